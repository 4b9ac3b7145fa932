package tui

import "golang.org/x/sys/unix"

// keepNewlines turns output processing back on after term.MakeRaw, so
// that "\n" moves to the start of the next row. Bubble Tea's renderer
// counts on that whenever it does not own the terminal's input (it reads
// a lease here): in a raw terminal its "\n" kept the column, and a
// status line redrawn while idle, or a line added to a long entry, was
// written that many columns to the right.
func keepNewlines(fd int) {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return
	}
	t.Oflag |= unix.OPOST | unix.ONLCR
	_ = unix.IoctlSetTermios(fd, unix.TCSETS, t)
}
