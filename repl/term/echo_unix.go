//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package term

import "golang.org/x/sys/unix"

// echoOff turns the terminal's echo off and returns what puts it back. It
// runs before a password prompt is printed, so that a password typed as
// soon as the prompt shows is never echoed.
func echoOff(fd int) (restore func(), err error) {
	old, err := unix.IoctlGetTermios(fd, getTermios)
	if err != nil {
		return func() {}, err
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	quiet.Iflag |= unix.ICRNL
	if err := unix.IoctlSetTermios(fd, setTermios, &quiet); err != nil {
		return func() {}, err
	}
	return func() { _ = unix.IoctlSetTermios(fd, setTermios, old) }, nil
}
