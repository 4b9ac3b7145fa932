package tui

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/safesql/safesql/repl/frontend/line"
	"github.com/safesql/safesql/repl/frontend/syntax"
)

// Keys that come faster than a frame (a paste without bracketed paste,
// keys typed ahead while a statement ran) are gathered and applied
// together, and the view is drawn once for them. Applying and drawing
// cost time in proportion to the whole buffer (the textarea wraps and
// draws every line), so doing it once per key made a paste quadratic: 4
// KB took 49 s. A key typed at a human pace is applied at once, as
// before.

// frame is how long gathered keys wait at least: about a frame of the
// renderer.
const frame = 16 * time.Millisecond

// flushMsg applies the gathered keys.
type flushMsg struct{}

// typing is the editor's state for gathering keys.
type typing struct {
	// clock is nil when keys are never gathered (model tests).
	clock    func() time.Time
	pending  []tea.KeyPressMsg
	flushDue bool          // a flushMsg is on its way
	lastKey  time.Time     // when the last key came, or the editor was last drawn
	cost     time.Duration // what applying and drawing the last batch took
	drawn    tea.View      // the view drawn before the gathered keys
	drawnOK  bool
}

// typed reports whether k is text typed into the buffer (no modifier
// but Shift, nothing the editor or the textarea binds) or Enter.
func typed(k tea.KeyPressMsg) bool {
	if isEnter(k) {
		return true
	}
	if k.Text == "" || k.Mod&^(tea.ModShift|tea.ModCapsLock|tea.ModNumLock) != 0 {
		return false
	}
	for _, r := range k.Text {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func isEnter(k tea.KeyPressMsg) bool {
	s := k.String()
	return s == "enter" || s == "ctrl+j"
}

// gather keeps k for later when keys come fast, and says whether it did.
func (e *editor) gather(k tea.KeyPressMsg) bool {
	if e.clock == nil || e.searching || !typed(k) {
		return false
	}
	now := e.clock()
	last := e.lastKey
	e.lastKey = now
	if len(e.pending) == 0 && (now.Sub(last) >= frame || e.ta.HasSelection()) {
		return false
	}
	e.pending = append(e.pending, k)
	return true
}

// flushCmd is the command that applies the gathered keys: after a frame,
// or after as long as the last batch took (so that drawing never takes
// most of the time).
func (e *editor) flushCmd() tea.Cmd {
	if e.flushDue {
		return nil
	}
	e.flushDue = true
	return e.wait(max(frame, e.cost), flushMsg{})
}

// flush applies the gathered keys as the editor would one by one, with
// the textarea edited and measured once. Keys after an Enter that
// finishes the entry are kept for the next editor.
func (e *editor) flush() tea.Cmd {
	keys := e.pending
	e.pending = nil
	if len(keys) == 0 {
		return nil
	}
	var start time.Time
	if e.clock != nil {
		start = e.clock()
		defer func() {
			e.lastKey = e.clock()
			e.cost = e.lastKey.Sub(start)
		}()
	}
	before := e.ta.Value()
	// The text is followed here as the keys edit it, and the textarea is
	// edited once at the end: text is what precedes the cursor, post what
	// follows it.
	off := cursorOffset(before, e.ta.Line(), e.ta.Column())
	post := before[off:]
	var text strings.Builder
	text.WriteString(before[:off])
	reset := false                                             // the textarea is emptied first
	insStart := off                                            // what text adds to the textarea starts here
	lineStart := strings.LastIndexByte(before[:off], '\n') + 1 // the cursor's line starts here
	// open: text is a statement that Enter continues and the cursor is at
	// the end; st is the lexer's state at the start of the cursor's line.
	// A line without a ';' in plain SQL or a backslash leaves the
	// statement open: Enter continues it without the whole text lexed.
	open := false
	var st syntax.State
	apply := func(upTo int) {
		if reset {
			e.ta.Reset()
		}
		s := text.String()[insStart:]
		if upTo >= 0 {
			// The last key goes through the textarea, as a key typed alone
			// does (it keeps the cursor in sight).
			last := keys[upTo]
			if s = s[:len(s)-len(last.Text)]; s != "" {
				e.ta.InsertString(s)
			}
			e.ta, _ = e.ta.Update(last)
			return
		}
		if s != "" {
			e.ta.InsertString(s)
		}
	}
	for i, k := range keys {
		if !isEnter(k) {
			text.WriteString(k.Text)
			continue
		}
		cur := text.String()
		if l := cur[lineStart:]; open && !strings.Contains(l, "\\") {
			if next, semi := syntax.Scan(st, l+"\n", syntax.Options{}); !semi {
				text.WriteByte('\n')
				lineStart, st = text.Len(), next
				continue
			}
		}
		v := cur + post
		if strings.TrimSpace(v) == "" {
			text.Reset()
			reset, insStart, lineStart, post, open = true, 0, 0, "", false
			continue
		}
		if line.Complete(v) {
			apply(-1)
			e.typeahead = append(e.typeahead, asMsgs(keys[i+1:])...)
			_, cmd := e.finish(v, nil)
			return cmd
		}
		text.WriteByte('\n')
		lineStart = text.Len()
		if open = post == ""; open {
			st, _ = syntax.Scan(syntax.State{}, text.String(), syntax.Options{})
		}
	}
	last := -1
	if !isEnter(keys[len(keys)-1]) {
		last = len(keys) - 1
	}
	apply(last)
	if e.ta.Value() != before {
		e.cands = nil
		e.updateVerdict()
	}
	e.layout()
	return nil
}

// cursorOffset is the byte offset in v of the rune at col of line row.
func cursorOffset(v string, row, col int) int {
	off := 0
	for range row {
		i := strings.IndexByte(v[off:], '\n')
		if i < 0 {
			return len(v)
		}
		off += i + 1
	}
	for range col {
		if off >= len(v) || v[off] == '\n' {
			break
		}
		_, n := utf8.DecodeRuneInString(v[off:])
		off += n
	}
	return off
}

func asMsgs(keys []tea.KeyPressMsg) []tea.Msg {
	out := make([]tea.Msg, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out
}

// flushNow applies the gathered keys at once (replay).
func (e *editor) flushNow() tea.Cmd {
	if e.done {
		return nil
	}
	return e.flush()
}
