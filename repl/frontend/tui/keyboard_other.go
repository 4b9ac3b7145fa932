//go:build !unix

package tui

import "io"

// endOfInput is the key a lease ends with (see keyboard_unix.go).
const endOfInput = "\U0010FFFD"

// openLease: without a Unix terminal, Bubble Tea reads in itself.
func openLease(in io.Reader, fresh bool) (input, error) {
	return passThrough{in}, nil
}
