package line

import (
	"bytes"
	"io"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/safesql/safesql/repl/term"
)

// typeahead stands between the terminal and the line editor. It hands the
// editor at most one line per read, so the editor never holds input past
// the line it returned: what was typed after Enter (the next lines of a
// paste, a word typed ahead) stays here, where a confirmation can set it
// aside before its question is shown (hold), and give it back to the
// editor afterwards (release). A word typed before the question can
// therefore never answer it.
//
// It also hands a burst of text (a paste without bracketed paste, keys
// typed ahead) to the editor at once. readline inserts a key at a time
// and redraws and copies the whole line for each, so a long line cost
// time in the square of its length (16 KB on one line: 67 s). A run of
// at least burstMin printable characters is handed as burstMark; the
// editor's filter (filter) turns the mark into the run's first character,
// which readline inserts as typed, and its listener (insert) then inserts
// the rest of the run after it in one edit. Outside plain editing (reverse
// search, completion) the rest is given back and handed key by key, as
// typed.
type typeahead struct {
	in io.Reader
	// pending reports bytes the terminal has ready without blocking; nil
	// when in is no terminal (then only what was read is held).
	pending func() ([]byte, error)
	// editing reports whether the editor edits plainly (no search, no
	// completion). It is called on the editor's own goroutine; nil: no
	// bursts (the editor is not started yet).
	editing func() bool

	// scratch is what in is read into (by the editor's reader only).
	scratch []byte

	mu   sync.Mutex
	buf  []byte // read from in, not yet handed to the editor
	held []byte // set aside while a question is asked
	// keyed is how many bytes at the start of buf are handed key by key
	// (a burst given back).
	keyed int
	// first is the first character of the burst whose mark was handed
	// and not yet seen by filter (marked); no burst is made until it is.
	first  rune
	marked bool
	// rest is the rest of the burst handed last, until the editor takes
	// it or it is given back; taken is closed then. armed: filter let
	// the burst's first character through, insert adds rest after it.
	rest  []rune
	taken chan struct{}
	armed bool

	// asking is set from hold to release: a question is being asked, and
	// what belongs to a paste goes to held, never to the answer. A paste
	// is what a bracketed paste wraps (pasting: inside one), and, for
	// terminals that do not bracket it, the rest of a paste the terminal
	// sent in pieces: what arrives within pasteGap of heldAt, which hold
	// sets when what it held was cut mid-line or was still arriving
	// (bufAt: when input last went to buf), and each piece moves on.
	asking  bool
	pasting bool
	heldAt  time.Time // zero: nothing continues what was held
	bufAt   time.Time
	heldIn  time.Time // when what is held last arrived
	now     func() time.Time
}

// The bracketed paste markers (the editor turns the mode on while it
// reads a line): never handed to the editor.
const (
	pasteStart = "\x1b[200~"
	pasteEnd   = "\x1b[201~"
)

// pasteGap: input that arrives this soon after what was set aside for a
// question continues it (a paste in pieces); nobody reads a question and
// answers it this fast.
const pasteGap = 150 * time.Millisecond

// burstMin is the shortest run of characters handed as a burst: longer
// than what keys typed by hand bring in one read.
const burstMin = 16

// readSize is how much a read of the terminal takes at most.
const readSize = 64 << 10

// burstMark stands for a burst's first character between the reader and
// the editor's filter: a private-use character no keyboard sends (not
// printable, so never part of a burst).
const burstMark = '\U0010FFFD'

// burstWait bounds the wait for the editor to take a burst (it always
// does while it reads a line); past it the rest is handed key by key.
const burstWait = time.Second

func newTypeahead(in io.Reader) *typeahead {
	return &typeahead{in: in, pending: term.PendingInput(in), now: time.Now}
}

// arrive sorts input read from the terminal (mu held): bracketed paste
// markers are dropped; while a question is asked, a paste, or what
// continues what was set aside (within pasteGap), is set aside too;
// the rest is for the editor, or the answer.
func (t *typeahead) arrive(b []byte) {
	now := t.now()
	for len(b) > 0 {
		marker := pasteStart
		if t.pasting {
			marker = pasteEnd
		}
		seg, after, found := bytes.Cut(b, []byte(marker))
		if len(seg) > 0 {
			if t.asking && (t.pasting || (!t.heldAt.IsZero() && now.Sub(t.heldAt) < pasteGap)) {
				t.held = append(t.held, seg...)
				t.heldAt, t.heldIn = now, now
			} else {
				t.buf = append(t.buf, seg...)
				t.bufAt = now
			}
		}
		if !found {
			return
		}
		t.pasting = !t.pasting
		b = after
	}
}

// partialMarker reports whether b ends with the beginning of a paste
// marker (the rest is still on its way).
func partialMarker(b []byte) bool {
	for _, m := range []string{pasteStart, pasteEnd} {
		for n := min(len(m)-1, len(b)); n >= 2; n-- {
			if bytes.HasSuffix(b, []byte(m[:n])) {
				return true
			}
		}
	}
	return false
}

func (t *typeahead) Read(p []byte) (int, error) {
	t.mu.Lock()
	if t.rest != nil {
		// Nothing after a burst is handed before the burst is in place.
		taken := t.taken
		t.mu.Unlock()
		wait := time.NewTimer(burstWait)
		select {
		case <-taken:
		case <-wait.C:
		}
		wait.Stop()
		t.mu.Lock()
		t.giveBack()
	}
	for len(t.buf) == 0 {
		t.mu.Unlock()
		// Read more than the editor asked for: a longer burst is fewer
		// edits of the line.
		if len(t.scratch) < readSize {
			t.scratch = make([]byte, readSize)
		}
		n, err := t.in.Read(t.scratch)
		if n == 0 {
			return n, err
		}
		got := t.scratch[:n]
		if partialMarker(got) && t.pending != nil {
			// A marker cut in two: its rest is in the terminal already.
			if more, err := t.pending(); err == nil {
				got = append(got, more...)
			}
		}
		t.mu.Lock()
		t.arrive(got)
	}
	defer t.mu.Unlock()
	end := len(t.buf)
	if i := bytes.IndexAny(t.buf, "\r\n"); i >= 0 {
		end = i + 1
	}
	switch {
	case t.keyed > 0:
		end = min(end, t.keyed)
		t.keyed -= end
	case t.editing != nil && !t.marked:
		run, size, next := plainRun(t.buf[:end])
		if run >= burstMin && size == len(t.buf) && t.pending != nil {
			// The burst may go on in what the terminal holds already.
			if more, err := t.pending(); err == nil && len(more) > 0 {
				t.arrive(more)
				end = len(t.buf)
				if i := bytes.IndexAny(t.buf, "\r\n"); i >= 0 {
					end = i + 1
				}
				run, size, next = plainRun(t.buf[:end])
			}
		}
		if run >= burstMin && len(p) >= utf8.UTFMax {
			first, n := utf8.DecodeRune(t.buf)
			t.first, t.marked = first, true
			t.rest = bytes.Runes(t.buf[n:size])
			t.taken = make(chan struct{})
			t.buf = t.buf[size:]
			return utf8.EncodeRune(p, burstMark), nil
		}
		if next > 0 {
			end = next // a burst starts there
		}
	}
	n := copy(p, t.buf[:end])
	t.buf = t.buf[n:]
	return n, nil
}

// plainRun measures the run of printable characters b starts with: how
// many (run) and their bytes (size); next is where the first run of at
// least burstMin characters in b starts, 0 when none does.
func plainRun(b []byte) (run, size, next int) {
	start, n := 0, 0 // the current run
	for i := 0; i < len(b); {
		r, w := utf8.DecodeRune(b[i:])
		i += w
		if r != utf8.RuneError && r != burstMark && unicode.IsPrint(r) {
			n++
			if start == 0 {
				run, size = n, i
			}
			if n >= burstMin && start > 0 {
				return run, size, start
			}
			continue
		}
		if start == 0 && n >= burstMin {
			return run, size, 0
		}
		start, n = i, 0
	}
	return run, size, 0
}

// giveBack puts a burst's rest back, to be handed key by key (mu held).
func (t *typeahead) giveBack() {
	if t.rest == nil {
		return
	}
	rest := []byte(string(t.rest))
	t.buf = append(rest, t.buf...)
	t.keyed += len(rest)
	t.rest, t.armed = nil, false
	close(t.taken)
}

// filter is readline's FuncFilterInputRune: it turns a burst's mark into
// the burst's first character. While the editor edits plainly, the rest
// is inserted after it (insert); otherwise it is given back.
func (t *typeahead) filter(r rune) (rune, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.armed = false
	if r != burstMark || !t.marked {
		return r, true
	}
	r, t.marked = t.first, false
	if t.rest != nil {
		if t.editing() {
			t.armed = true
		} else {
			t.giveBack()
		}
	}
	return r, true
}

// setEditing starts bursts: editing reports whether the editor edits
// plainly, on the editor's goroutine.
func (t *typeahead) setEditing(editing func() bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.editing = editing
}

// insert is readline's Listener: after the first character of a burst,
// the rest goes in after it, in one edit.
func (t *typeahead) insert(line []rune, pos int, _ rune) ([]rune, int, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.armed {
		return nil, 0, false
	}
	t.armed = false
	if t.rest == nil || pos < 0 || pos > len(line) {
		t.giveBack()
		return nil, 0, false
	}
	out := make([]rune, 0, len(line)+len(t.rest))
	out = append(append(append(out, line[:pos]...), t.rest...), line[pos:]...)
	pos += len(t.rest)
	t.rest = nil
	close(t.taken)
	return out, pos, true
}

// hold sets aside everything typed so far, read or still waiting in the
// terminal, and reports how many bytes that was.
func (t *typeahead) hold() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending != nil {
		if b, err := t.pending(); err == nil {
			t.arrive(b)
		}
	}
	t.held = append(t.held, t.buf...)
	t.buf, t.keyed = nil, 0
	t.asking, t.heldAt, t.heldIn = true, time.Time{}, t.bufAt
	now := t.now()
	if n := len(t.held); n > 0 && (!bytes.ContainsAny(t.held[n-1:], "\r\n") || now.Sub(t.bufAt) < pasteGap) {
		// A paste cut mid-line, or still arriving: what comes next
		// continues it.
		t.heldAt = now
	}
	return len(t.held)
}

// release gives what hold set aside back to the editor, before anything
// typed since.
func (t *typeahead) release() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.held, t.buf...)
	t.held, t.asking = nil, false
	// What comes back arrived when it was held (the answer, read since,
	// is gone): a question asked next tells a paste by it.
	t.bufAt = t.heldIn
}
