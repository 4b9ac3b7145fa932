package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/safesql/safesql/repl/frontend"
	"github.com/safesql/safesql/theme"
)

// tickingEditor is an editor whose status line ticks on the clock *at.
func tickingEditor(t *testing.T, st frontend.State, at *time.Time) *editor {
	t.Helper()
	return newEditor(editorConfig{theme: theme.Plain(), state: st, now: *at, width: 120, height: 35,
		tick: func() time.Time { return *at }})
}

// statusOf is the status line (the line under the frame) as drawn.
func statusOf(e *editor) string {
	lines := strings.Split(plainView(e.View()), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "╰") && i+1 < len(lines) {
			return lines[i+1]
		}
	}
	return ""
}

func TestStatusLineTicksWhileATransactionIsOpen(t *testing.T) {
	at := now
	st := prodState()
	st.Tx, st.TxSince, st.TxStatements = frontend.TxOpen, now.Add(-3*time.Second), 1
	st.TxWarnAfter = 5 * time.Second
	e := tickingEditor(t, st, &at)
	if got := statusOf(e); !strings.Contains(got, "tx open 3s, 1 statement") || strings.Contains(got, "⚠") {
		t.Fatalf("status line %q, want tx open 3s without a warning", got)
	}
	if e.Init() == nil {
		t.Fatal("no tick asked for while a transaction is open")
	}
	at = now.Add(time.Second)
	e.Update(tickMsg{})
	if got := statusOf(e); !strings.Contains(got, "tx open 4s") {
		t.Errorf("after a tick the status line says %q, want tx open 4s", got)
	}
	at = now.Add(3 * time.Second)
	_, cmd := e.Update(tickMsg{})
	if got := statusOf(e); !strings.Contains(got, "⚠ tx open 6s") {
		t.Errorf("past transaction_warning (5s) the status line says %q, want ⚠ tx open 6s", got)
	}
	if cmd == nil {
		t.Error("the status line stopped ticking")
	}
}

func TestNoTickWithoutATransaction(t *testing.T) {
	at := now
	e := tickingEditor(t, prodState(), &at)
	if cmd := e.nextTick(); cmd != nil {
		t.Error("the status line ticks with no transaction open: it must cost nothing while idle")
	}
}

func TestIdleTimeoutIsAnnouncedBeforeTheServerEndsTheSession(t *testing.T) {
	at := now
	st := prodState()
	st.Tx, st.TxSince = frontend.TxOpen, now.Add(-time.Minute)
	st.IdleTxTimeout = 10 * time.Second
	e := tickingEditor(t, st, &at) // idle since the prompt showed: now
	if got := statusOf(e); strings.Contains(got, "idle") {
		t.Errorf("a warning with 10s left of 10s: %q", got)
	}
	at = now.Add(6 * time.Second)
	e.Update(tickMsg{})
	want := "⚠ the server ends this idle transaction in 4s (idle_in_transaction_session_timeout)"
	if got := statusOf(e); !strings.Contains(got, want) {
		t.Errorf("status line %q, want %q", got, want)
	}
	at = now.Add(11 * time.Second)
	e.Update(tickMsg{})
	if got := statusOf(e); !strings.Contains(got, "timeout passed") {
		t.Errorf("after the timeout the status line says %q", got)
	}
	for _, w := range []int{80, 40} {
		e.Update(tickMsg{})
		e.width = w
		e.layout()
		if got := statusOf(e); !strings.Contains(got, "⚠ idle timeout passed") {
			t.Errorf("at %d columns the status line says %q", w, got)
		}
	}
}
