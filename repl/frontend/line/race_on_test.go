//go:build race

package line

// slowdown is how much slower the race detector makes the timed tests.
const slowdown = 10
