//go:build unix && !linux && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd

package tui

// keepNewlines: see termios_linux.go (not known how here).
func keepNewlines(int) {}
