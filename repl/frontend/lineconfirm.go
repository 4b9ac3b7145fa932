package frontend

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/safesql/safesql/repl/term"
)

// LineConfirmer asks on a line-oriented terminal: /dev/tty for scripts
// (as sudo and ssh ask), or any reader and writer in tests. It shows the
// request, then reads one line.
//
// One goroutine reads In, a line at a time when a question asks for one,
// so a question cancelled while its read waits leaves that read to the
// next question instead of a second reader racing it. A line that read
// delivers before the next question is shown was typed for the cancelled
// one: it is discarded, as anything else typed ahead is. Questions are
// asked one at a time.
type LineConfirmer struct {
	In  *bufio.Reader
	Out io.Writer
	// pending reads what the terminal has ready (term.PendingInput);
	// nil when In reads no terminal.
	pending func() ([]byte, error)

	mu      sync.Mutex // one question at a time
	start   sync.Once
	want    chan struct{}   // asks the reader for one line
	lines   chan lineResult // the reader's lines, one per ask
	reading bool            // a line was asked for and not yet taken
}

type lineResult struct {
	line string
	err  error
}

// NewLineConfirmer asks on out and reads answers from in.
func NewLineConfirmer(in io.Reader, out io.Writer) *LineConfirmer {
	return &LineConfirmer{In: bufio.NewReader(in), Out: out, pending: term.PendingInput(in)}
}

// TypedAheadDiscarded is said when what was typed before a question was
// thrown away: a script's questions have no prompt to keep it for.
const TypedAheadDiscarded = "(what was typed before this question was discarded: it does not answer it)"

// readLines is the confirmer's one reader: a line for each ask.
func (c *LineConfirmer) readLines() {
	for range c.want {
		line, err := c.In.ReadString('\n')
		c.lines <- lineResult{line, err}
	}
}

// discardTypedAhead throws away what was typed before the question:
// only an answer typed after it counts.
func (c *LineConfirmer) discardTypedAhead() bool {
	n := 0
	if c.reading {
		select {
		case r := <-c.lines:
			// read for a cancelled question, before this one was shown
			c.reading = false
			n += len(r.line)
		default:
			// Still waiting for a whole line: In and the terminal are
			// the reader's until it has one.
			return false
		}
	}
	m, _ := c.In.Discard(c.In.Buffered())
	n += m
	if c.pending != nil {
		b, _ := c.pending()
		n += len(b)
	}
	return n > 0
}

// Confirm shows req and reads the answer. EOF, an error or a cancelled
// ctx decline (and, for the leaving question, mean rollback).
func (c *LineConfirmer) Confirm(ctx context.Context, req ConfirmRequest) (Answer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.start.Do(func() {
		c.want = make(chan struct{}, 1)
		c.lines = make(chan lineResult, 1)
		go c.readLines()
	})
	WriteRequest(c.Out, req)
	if c.discardTypedAhead() {
		fmt.Fprint(c.Out, "\n"+TypedAheadDiscarded+"\n"+req.Question+" ")
	}
	if !c.reading {
		c.want <- struct{}{}
		c.reading = true
	}
	var r lineResult
	select {
	case <-ctx.Done():
		// The read stays asked for: its line goes to the next question,
		// which discards it if it came before that question was shown.
		fmt.Fprintln(c.Out)
		return declined(req), ctx.Err()
	case r = <-c.lines:
		c.reading = false
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

// Shorten puts sql on one line and cuts it to n characters, with an
// ellipsis where it was cut.
func Shorten(sql string, n int) string {
	s := strings.Join(strings.Fields(sql), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
