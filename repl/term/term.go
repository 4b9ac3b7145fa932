package term

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"golang.org/x/term"
)

// IOStreams are the three standard streams with what is known about them.
type IOStreams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer

	InTTY  bool
	OutTTY bool
	ErrTTY bool

	// TTY opens the controlling terminal for questions a script cannot
	// answer on its standard input; nil when there is none.
	TTY func() (io.ReadWriteCloser, error)

	widthFn  func() int
	heightFn func() int
	lookup   func(string) (string, bool)
}

// System returns the process's own streams.
func System() *IOStreams {
	s := Streams(os.Stdin, os.Stdout, os.Stderr, os.LookupEnv)
	s.InTTY = term.IsTerminal(int(os.Stdin.Fd()))
	s.OutTTY = term.IsTerminal(int(os.Stdout.Fd()))
	s.ErrTTY = term.IsTerminal(int(os.Stderr.Fd()))
	s.TTY = func() (io.ReadWriteCloser, error) { return os.OpenFile("/dev/tty", os.O_RDWR, 0) }
	s.widthFn = func() int {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
			return w
		}
		return 0
	}
	s.heightFn = func() int {
		if _, h, err := term.GetSize(int(os.Stdout.Fd())); err == nil && h > 0 {
			return h
		}
		return 0
	}
	return s
}

// Height is the terminal's height in rows, 0 when stdout is not a
// terminal. LINES overrides it.
func (s *IOStreams) Height() int {
	if c, err := strconv.Atoi(s.Getenv("LINES")); err == nil && c > 0 {
		return c
	}
	if s.heightFn == nil || !s.OutTTY {
		return 0
	}
	return s.heightFn()
}

// Width is the terminal's width in columns, 0 when stdout is not a
// terminal. COLUMNS overrides it, as psql does.
func (s *IOStreams) Width() int {
	if s.lookup != nil {
		if c, err := strconv.Atoi(s.Getenv("COLUMNS")); err == nil && c > 0 {
			return c
		}
	}
	if s.widthFn == nil || !s.OutTTY {
		return 0
	}
	return s.widthFn()
}

// Getenv reads the environment the streams were made with: "" when key
// is unset.
func (s *IOStreams) Getenv(key string) string {
	v, _ := s.LookupEnv(key)
	return v
}

// LookupEnv reads the environment the streams were made with, telling an
// unset key from one set to "".
func (s *IOStreams) LookupEnv(key string) (string, bool) {
	if s.lookup == nil {
		return "", false
	}
	return s.lookup(key)
}

// Interactive reports whether a person is typing: stdin is a terminal.
func (s *IOStreams) Interactive() bool { return s.InTTY }

// Streams returns streams over in, out and err with no terminal anywhere,
// reading the environment through lookup (os.LookupEnv's shape; nil: an
// empty environment). Tests and embedders use it; the program itself uses
// System.
func Streams(in io.Reader, out, err io.Writer, lookup func(string) (string, bool)) *IOStreams {
	return &IOStreams{In: in, Out: out, Err: err, lookup: lookup}
}

// ReadSecret asks prompt on the controlling terminal and reads a line
// without echo (a password), as psql's simple_prompt does.
func (s *IOStreams) ReadSecret(prompt string) (string, error) {
	if s.TTY == nil {
		return "", errors.New("no terminal to ask on")
	}
	tty, err := s.TTY()
	if err != nil {
		return "", fmt.Errorf("open the terminal: %w", err)
	}
	defer tty.Close()
	f, ok := tty.(*os.File)
	if !ok {
		return "", errors.New("the terminal is not a file")
	}
	// echo goes off before the prompt shows: a password typed at once
	// must not be echoed in the moment before ReadPassword turns it off
	restore, err := echoOff(int(f.Fd()))
	if err != nil {
		return "", fmt.Errorf("turn the terminal's echo off: %w", err)
	}
	defer restore()
	fmt.Fprint(tty, prompt)
	secret, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("read from the terminal: %w", err)
	}
	return string(secret), nil
}
