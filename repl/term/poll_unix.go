//go:build unix

package term

import (
	"time"

	"golang.org/x/sys/unix"
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
