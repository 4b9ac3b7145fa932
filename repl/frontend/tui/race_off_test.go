//go:build !race

package tui

// slowdown is how much slower the race detector makes the timed tests.
const slowdown = 1
