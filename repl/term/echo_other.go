//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package term

// echoOff is left to term.ReadPassword where termios is not at hand.
func echoOff(int) (func(), error) { return func() {}, nil }
