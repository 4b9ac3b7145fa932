//go:build unix

package tui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// A program reads the terminal through a lease, never through the file
// itself. Bubble Tea, when a program ends, drops whatever its reader had
// already taken from the terminal and not yet handed to the model: keys
// typed in the moment between Enter and the next editor were lost (CI
// saw a Ctrl-D after a Ctrl-C vanish). A lease ends in order instead:
// the model asks for the end (finish), the lease hands over endOfInput
// after the bytes it already gave, and the model quits when that key
// arrives, so every key read from the terminal reached a model. Keys not
// yet read stay in the terminal for the next program.

// endOfInput is the key a lease ends with: a private-use character no
// keyboard sends.
const endOfInput = "\U0010FFFD"

// lease is one program's reader of the terminal (an io.Reader that
// Bubble Tea does not take for a terminal, so the TUI sets raw mode).
type lease struct {
	fd int

	mu      sync.Mutex
	ending  bool // finish was asked: endOfInput is owed
	ended   bool // endOfInput was given: EOF from now on
	closed  bool // the wake pipe is closed
	reading bool // a Read is waiting on the pipe
	// generation counts suspends: a Read from before one ends.
	generation int
	raw        bool // the terminal is in raw mode now
	wakeR      int
	wakeW      int
	restore    *term.State
	terminal   bool
}

// openLease puts the terminal in raw mode (when in is one) and returns
// the program's reader of it. With fresh, what the terminal holds
// already (keys typed before the program) is dropped.
func openLease(in io.Reader, fresh bool) (input, error) {
	f, ok := in.(*os.File)
	if !ok {
		// Not a file (tests): Bubble Tea reads it as it is.
		return passThrough{in}, nil
	}
	l := &lease{fd: int(f.Fd())}
	if term.IsTerminal(l.fd) {
		st, err := makeRaw(l.fd)
		if err != nil {
			return nil, fmt.Errorf("put the terminal in raw mode: %w", err)
		}
		l.restore, l.terminal, l.raw = st, true, true
	}
	if fresh {
		// In raw mode a partial line typed ahead is readable too.
		dropPending(l.fd)
	}
	var p [2]int
	if err := unix.Pipe(p[:]); err != nil {
		l.restoreMode()
		return nil, fmt.Errorf("make the input's wake pipe: %w", err)
	}
	l.wakeR, l.wakeW = p[0], p[1]
	return l, nil
}

// makeRaw is term.MakeRaw with "\n" still starting a new row
// (keepNewlines).
func makeRaw(fd int) (*term.State, error) {
	st, err := term.MakeRaw(fd)
	if err != nil {
		return nil, err
	}
	keepNewlines(fd)
	return st, nil
}

func (l *lease) ordered() bool { return true }

// suspend gives the terminal its own mode back while the process is
// stopped (Ctrl-Z), and ends the read Bubble Tea is waiting in (with
// EOF, nothing taken): after the stop it starts a new reader, and two
// would share the keys. The first read after that takes raw mode again.
func (l *lease) suspend() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.generation++
	if l.terminal && l.restore != nil {
		_ = term.Restore(l.fd, l.restore)
		l.raw = false
	}
	if !l.closed {
		_, _ = unix.Write(l.wakeW, []byte{1})
	}
}

// finish asks for the end of the input: the next read gives endOfInput
// instead of waiting for the terminal.
func (l *lease) finish() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ending || l.closed {
		return
	}
	l.ending = true
	_, _ = unix.Write(l.wakeW, []byte{1})
}

// close ends the lease after its program: a read still waiting returns
// EOF, and the terminal goes back to the mode it was in.
func (l *lease) close() {
	l.mu.Lock()
	l.ending, l.ended = true, true
	switch {
	case l.reading:
		// The waiting Read wakes, returns EOF and closes the pipe.
		_, _ = unix.Write(l.wakeW, []byte{1})
	default:
		l.release()
	}
	l.mu.Unlock()
	l.restoreMode()
}

func (l *lease) restoreMode() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.terminal && l.restore != nil {
		_ = term.Restore(l.fd, l.restore)
		l.restore = nil
	}
}

// release closes the wake pipe once nothing reads any more (called with
// mu held, by the reader itself, so no read is waiting on it).
func (l *lease) release() {
	if !l.closed {
		l.closed = true
		_ = unix.Close(l.wakeR)
		_ = unix.Close(l.wakeW)
	}
}

// Read gives what the terminal has, blocking until it has something or
// the lease ends.
func (l *lease) Read(p []byte) (int, error) {
	l.mu.Lock()
	generation := l.generation
	if l.terminal && !l.raw && l.restore != nil && !l.ended {
		if _, err := makeRaw(l.fd); err == nil {
			l.raw = true
		}
	}
	l.mu.Unlock()
	for {
		l.mu.Lock()
		switch {
		case l.generation != generation:
			l.mu.Unlock()
			return 0, io.EOF
		case l.ended:
			l.release()
			l.mu.Unlock()
			return 0, io.EOF
		case l.ending:
			l.ended = true
			l.mu.Unlock()
			return copy(p, endOfInput), nil
		}
		wake := l.wakeR
		l.reading = true
		l.mu.Unlock()

		var rfds unix.FdSet
		rfds.Zero()
		rfds.Set(l.fd)
		rfds.Set(wake)
		_, err := unix.Select(max(l.fd, wake)+1, &rfds, nil, nil, nil)
		l.mu.Lock()
		l.reading = false
		l.mu.Unlock()
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return 0, fmt.Errorf("wait for the terminal: %w", err)
		}
		if rfds.IsSet(wake) {
			var b [16]byte
			_, _ = unix.Read(wake, b[:])
			continue
		}
		n, err := unix.Read(l.fd, p)
		switch {
		case errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN):
			continue
		case err != nil:
			return 0, fmt.Errorf("read the terminal: %w", err)
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// dropPending reads and drops what fd holds now, without waiting.
func dropPending(fd int) {
	var buf [4096]byte
	for {
		var rfds unix.FdSet
		rfds.Zero()
		rfds.Set(fd)
		n, err := unix.Select(fd+1, &rfds, nil, nil, &unix.Timeval{})
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil || n == 0 {
			return
		}
		if m, err := unix.Read(fd, buf[:]); err != nil || m <= 0 {
			return
		}
	}
}
