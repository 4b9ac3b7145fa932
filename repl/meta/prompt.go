package meta

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// prompt is \prompt [TEXT] NAME: a line read into the variable NAME.
// As psql: a script read from a file asks on standard output and reads
// standard input; otherwise the question goes to the terminal, or, with
// no terminal, to standard error with the answer from standard input.
func prompt(ctx context.Context, h Host, e *Env) Result {
	if len(e.Args) == 0 {
		return h.Fail(`\prompt: missing required argument`)
	}
	text, name := "", e.Args[0]
	if len(e.Args) > 1 {
		text, name = e.Args[0], e.Args[1]
	}
	in, out := h.Stdin(), h.Stdout()
	if e.Source == "" || e.Source == "-" {
		out = h.Stderr()
		if tty, err := h.Terminal(); err == nil {
			defer tty.Close()
			in, out = tty, tty
		}
	}
	fmt.Fprint(out, text)
	value, err := readLine(in)
	if err != nil {
		return h.Fail(`\prompt: could not read value for variable`)
	}
	if err := h.AssignVar(name, value); err != nil {
		return h.Fail(err.Error())
	}
	return Result{}
}

// readLine reads one line from r a byte at a time (nothing after it is
// taken), without its newline.
func readLine(r io.Reader) (string, error) {
	var b []byte
	var one [1]byte
	for {
		n, err := r.Read(one[:])
		if n == 1 {
			if one[0] == '\n' {
				return strings.TrimSuffix(string(b), "\r"), nil
			}
			b = append(b, one[0])
			continue
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				// psql sets the variable to what came before the end,
				// an empty string at the very end.
				return string(b), nil
			}
			return "", err
		}
	}
}
