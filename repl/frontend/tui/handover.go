package tui

import (
	"io"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// input is a program's reader of the terminal.
type input interface {
	io.Reader
	// ordered: finish makes the reader end with endOfInput.
	ordered() bool
	finish()
	close()
	suspend()
}

// passThrough is a reader that is not a terminal (tests): Bubble Tea
// reads it as it is, and a model quits as soon as it is done.
type passThrough struct{ io.Reader }

func (passThrough) ordered() bool { return false }
func (passThrough) finish()       {}
func (passThrough) close()        {}
func (passThrough) suspend()      {}

// handoverWait bounds the wait for endOfInput: a program whose reader
// never delivers it (a broken terminal) still ends.
const handoverWait = 2 * time.Second

// handoverTimeout: endOfInput did not come within handoverWait.
type handoverTimeout struct{}

// handover ends a model's input in order (see keyboard_unix.go): once
// the model is done, the keys that still come are kept for the next
// program, and the model quits at endOfInput.
type handover struct {
	// endInput asks the program's reader for endOfInput; nil (model
	// tests, a reader that is not the terminal): quit at once.
	endInput  func()
	typeahead []tea.Msg
	// first is what the keys replayed before the program asked for
	// (the model's Init returns it).
	first tea.Cmd
	// ended is closed when the program has ended: its waits (for
	// endOfInput, for gathered keys) stop then. A Bubble Tea command cannot be cancelled,
	// and its goroutine keeps the whole program (its screen buffers, the
	// model) alive: a tea.Tick of handoverWait kept every program of the
	// last two seconds, well over 100 MB in a quick session.
	ended chan struct{}
}

// end is the command of the update that finished the model.
func (h *handover) end() tea.Cmd {
	if h.endInput == nil {
		return tea.Quit
	}
	h.endInput()
	return h.wait(handoverWait, handoverTimeout{})
}

// wait is a command that gives msg after d, or nothing once the program
// has ended.
func (h *handover) wait(d time.Duration, msg tea.Msg) tea.Cmd {
	if h.ended == nil {
		h.ended = make(chan struct{})
	}
	ended := h.ended
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return msg
		case <-ended:
			return nil
		}
	}
}

// programEnded stops the program's waits (after it ended).
func (h *handover) programEnded() {
	if h.ended != nil {
		close(h.ended)
		h.ended = nil
	}
}

// after takes a message that came after the model was done.
func (h *handover) after(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case handoverTimeout:
		return tea.Quit
	case tea.KeyPressMsg:
		if strings.Contains(m.Text, endOfInput) {
			return tea.Quit
		}
		h.typeahead = append(h.typeahead, msg)
	case tea.PasteMsg:
		if before, _, found := strings.Cut(m.Content, endOfInput); found {
			if before != "" {
				h.typeahead = append(h.typeahead, tea.PasteMsg{Content: before})
			}
			return tea.Quit
		}
		h.typeahead = append(h.typeahead, msg)
	}
	return nil
}

// flusher is a model that gathers keys (the editor).
type flusher interface{ flushNow() tea.Cmd }

// replay feeds the keys typed ahead of a model to it, in order, before
// its program starts (so no key read later can overtake them). It
// reports whether they finished the model; the keys after the one that
// did are returned for the model after it.
func replay(m tea.Model, h *handover, done func() bool, keys []tea.Msg) (finished bool, rest []tea.Msg) {
	var cmds []tea.Cmd
	for i, msg := range keys {
		if done() {
			return true, append(h.typeahead, keys[i:]...)
		}
		_, cmd := m.Update(msg)
		cmds = append(cmds, cmd)
	}
	// Keys the model gathered to apply together are applied now.
	if f, ok := m.(flusher); ok {
		cmds = append(cmds, f.flushNow())
	}
	if done() {
		return true, h.typeahead
	}
	h.first = tea.Batch(cmds...)
	return false, nil
}
