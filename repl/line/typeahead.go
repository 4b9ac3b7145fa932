package line

import (
	"bytes"
	"io"
	"sync"

	"github.com/safesql/safesql/repl/term"
)

// typeahead stands between the terminal and the line editor. It hands the
// editor at most one line per read, so the editor never holds input past
// the line it returned: what was typed after Enter (the next lines of a
// paste, a word typed ahead) stays here, where a confirmation can set it
// aside before its question is shown (hold), and give it back to the
// editor afterwards (release). A word typed before the question can
// therefore never answer it.
type typeahead struct {
	in io.Reader
	// pending reports bytes the terminal has ready without blocking; nil
	// when in is no terminal (then only what was read is held).
	pending func() ([]byte, error)

	mu   sync.Mutex
	buf  []byte // read from in, not yet handed to the editor
	held []byte // set aside while a question is asked
}

func newTypeahead(in io.Reader) *typeahead {
	return &typeahead{in: in, pending: term.PendingInput(in)}
}

func (t *typeahead) Read(p []byte) (int, error) {
	t.mu.Lock()
	if len(t.buf) == 0 {
		t.mu.Unlock()
		n, err := t.in.Read(p)
		if n == 0 {
			return n, err
		}
		t.mu.Lock()
		t.buf = append(t.buf, p[:n]...)
	}
	defer t.mu.Unlock()
	end := len(t.buf)
	if i := bytes.IndexAny(t.buf, "\r\n"); i >= 0 {
		end = i + 1
	}
	n := copy(p, t.buf[:end])
	t.buf = t.buf[n:]
	return n, nil
}

// hold sets aside everything typed so far, read or still waiting in the
// terminal, and reports how many bytes that was.
func (t *typeahead) hold() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending != nil {
		if b, err := t.pending(); err == nil {
			t.buf = append(t.buf, b...)
		}
	}
	t.held = append(t.held, t.buf...)
	t.buf = nil
	return len(t.held)
}

// release gives what hold set aside back to the editor, before anything
// typed since.
func (t *typeahead) release() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.held, t.buf...)
	t.held = nil
}
