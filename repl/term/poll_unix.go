//go:build unix

package term

import (
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// readable waits until fd has input or the wait runs out. A terminal's
// descriptor is blocking, so reading without this could hang forever on a
// terminal that never answers.
func readable(fd int, wait time.Duration) bool {
	if wait <= 0 {
		return false
	}
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	for {
		n, err := unix.Poll(fds, int(wait.Milliseconds())+1)
		if err == unix.EINTR {
			continue
		}
		return err == nil && n > 0
	}
}

// PendingInput returns a function that reads what the terminal in has
// ready, without waiting: what was typed ahead, a line without its Enter
// included. It is nil when in is not a terminal.
func PendingInput(in io.Reader) func() ([]byte, error) {
	f, ok := in.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	fd := int(f.Fd())
	return func() ([]byte, error) {
		// Raw for the moment: a line typed without Enter is readable
		// too, and is set aside with the rest.
		if st, err := term.MakeRaw(fd); err == nil {
			defer func() { _ = term.Restore(fd, st) }()
		}
		var out []byte
		buf := make([]byte, 4096)
		for {
			fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
			n, err := unix.Poll(fds, 0)
			if errors.Is(err, unix.EINTR) {
				continue
			}
			if err != nil {
				return out, fmt.Errorf("poll terminal: %w", err)
			}
			if n == 0 || fds[0].Revents&unix.POLLIN == 0 {
				return out, nil
			}
			m, err := unix.Read(fd, buf)
			if m > 0 {
				out = append(out, buf[:m]...)
			}
			if err != nil || m <= 0 {
				return out, err
			}
		}
	}
}
