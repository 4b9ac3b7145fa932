package frontend

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/safesql/safesql/repl/term"
)

// LineConfirmer asks on a line-oriented terminal: /dev/tty for scripts
// (as sudo and ssh ask), or any reader and writer in tests. It shows the
// request, then reads one line.
type LineConfirmer struct {
	In  *bufio.Reader
	Out io.Writer
	// pending reads what the terminal has ready (term.PendingInput);
	// nil when In reads no terminal.
	pending func() ([]byte, error)
}

// NewLineConfirmer asks on out and reads answers from in.
func NewLineConfirmer(in io.Reader, out io.Writer) *LineConfirmer {
	return &LineConfirmer{In: bufio.NewReader(in), Out: out, pending: term.PendingInput(in)}
}

// TypedAheadDiscarded is said when what was typed before a question was
// thrown away: a script's questions have no prompt to keep it for.
const TypedAheadDiscarded = "(what was typed before this question was discarded: it does not answer it)"

// discardTypedAhead throws away what was typed before the question:
// only an answer typed after it counts.
func (c *LineConfirmer) discardTypedAhead() bool {
	n, _ := c.In.Discard(c.In.Buffered())
	if c.pending != nil {
		b, _ := c.pending()
		n += len(b)
	}
	return n > 0
}

// Confirm shows req and reads the answer. EOF, an error or a cancelled
// ctx decline (and, for the leaving question, mean rollback).
func (c *LineConfirmer) Confirm(ctx context.Context, req ConfirmRequest) (Answer, error) {
	WriteRequest(c.Out, req)
	if c.discardTypedAhead() {
		fmt.Fprint(c.Out, "\n"+TypedAheadDiscarded+"\n"+req.Question+" ")
	}
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		line, err := c.In.ReadString('\n')
		ch <- result{line, err}
	}()
	var r result
	select {
	case <-ctx.Done():
		fmt.Fprintln(c.Out)
		return declined(req), ctx.Err()
	case r = <-ch:
	}
	if r.err != nil && r.line == "" {
		fmt.Fprintln(c.Out)
		return declined(req), nil
	}
	return Judge(req, strings.TrimRight(r.line, "\r\n")), nil
}

func declined(req ConfirmRequest) Answer {
	if req.Kind == AskCommitRollback {
		return Rollback
	}
	return Declined
}

// Judge turns a typed line into the answer req wants: the word exactly
// (no trimming: " production" is not the word), the number (spaces around
// it and thousands separators allowed: " 249,981" is 249981), y or yes,
// c or commit.
func Judge(req ConfirmRequest, line string) Answer {
	switch req.Kind {
	case AskWord:
		if req.Word != "" && line == req.Word {
			return Accepted
		}
	case AskCount:
		if req.Word != "" && sameNumber(line, req.Word) {
			return Accepted
		}
	case AskYesNo:
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "y", "yes":
			return Accepted
		}
	case AskCommitRollback:
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "c", "commit":
			return Commit
		}
		return Rollback
	}
	return Declined
}

// sameNumber reports whether typed is the number want (digits only),
// written with or without thousands separators (',' '_' or a space
// between groups of three digits).
func sameNumber(typed, want string) bool {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return false
	}
	var digits strings.Builder
	group := -1 // digits since the last separator; -1 before any separator
	run := 0
	for i, r := range typed {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
			run++
			if group >= 0 {
				group++
			}
		case r == ',' || r == '_' || r == ' ':
			if i == 0 || (group >= 0 && group != 3) || (group < 0 && run > 3) {
				return false
			}
			group = 0
		default:
			return false
		}
	}
	if group >= 0 && group != 3 {
		return false
	}
	return digits.String() == want
}

// WriteRequest prints a request as plain lines: title, reasons, impact,
// then the question without a newline.
func WriteRequest(w io.Writer, req ConfirmRequest) {
	if req.Title != "" {
		fmt.Fprintln(w, req.Title)
	}
	if req.Statement != "" {
		fmt.Fprintf(w, "  %s\n", Shorten(req.Statement, 200))
	}
	for _, r := range req.Reasons {
		fmt.Fprintf(w, "  ! %s\n", r)
	}
	for _, l := range req.Impact {
		fmt.Fprintf(w, "  %s\n", l)
	}
	fmt.Fprintf(w, "%s ", req.Question)
}

// Shorten puts sql on one line and cuts it to n characters, with an
// ellipsis where it was cut.
func Shorten(sql string, n int) string {
	s := strings.Join(strings.Fields(sql), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
