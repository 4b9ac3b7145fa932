package tui

import (
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/safesql/safesql/repl/frontend"
	"github.com/safesql/safesql/repl/internal/completetest"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/safesql/safesql/repl/frontend/line"
	"github.com/safesql/safesql/theme"
)

var now = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func prodState() frontend.State {
	return frontend.State{
		Env: "prod", Label: "PROD", Tier: "production",
		User: "app", Host: "db1", Database: "orders",
		ReadOnly: true,
	}
}

func newTestEditor(t *testing.T, th *theme.Theme, st frontend.State, hist []string, w, h int) *editor {
	t.Helper()
	return newEditor(editorConfig{theme: th, state: st, now: now, history: hist, width: w, height: h,
		completer: line.NewCompleter(completetest.Catalog{
			Relations: []string{"orders", "order_items", "customers"},
			Columns:   map[string][]string{"orders": {"id", "total"}},
		}, []string{`\dt`, `\di`, `\q`})})
}

// keys sends each rune of s as a key press; "\r" is Enter.
func (e *editor) keys(s string) {
	for _, r := range s {
		if r == '\r' {
			e.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
			continue
		}
		e.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (e *editor) press(code rune, mod tea.KeyMod) tea.Cmd {
	_, cmd := e.Update(tea.KeyPressMsg{Code: code, Mod: mod})
	return cmd
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;:]*[A-Za-z]")

func plainView(v tea.View) string { return ansi.ReplaceAllString(v.Content, "") }

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestEnterContinuesUntilTheStatementEnds(t *testing.T) {
	e := newTestEditor(t, theme.Plain(), prodState(), nil, 80, 24)
	e.keys("select 40 +\r")
	if e.done {
		t.Fatal("Enter ran an incomplete statement")
	}
	if got := e.ta.Value(); got != "select 40 +\n" {
		t.Fatalf("buffer %q, want a new line (psql's -> continuation)", got)
	}
	view := plainView(e.View())
	if !strings.Contains(view, "app@orders=> select 40 +") || !strings.Contains(view, "app@orders-> ") {
		t.Errorf("view lacks the prompt and the continuation prompt:\n%s", view)
	}
	e.keys("2;")
	_, cmd := e.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if !e.done || e.result != "select 40 +\n2;" || !isQuit(cmd) {
		t.Fatalf("done %v, result %q; want the statement", e.done, e.result)
	}
	if got := e.echo(); got != "[PRODUCTION] PROD app@orders=> select 40 +\n[PRODUCTION] PROD app@orders-> 2;\n" {
		t.Errorf("echo %q", got)
	}
	if strings.TrimSpace(plainView(e.View())) != "" {
		t.Error("the view is not cleared when done")
	}
}

func TestBackslashCommandRunsOnEnter(t *testing.T) {
	e := newTestEditor(t, theme.Plain(), prodState(), nil, 80, 24)
	e.keys(`\dt` + "\r")
	if !e.done || e.result != `\dt` {
		t.Fatalf("done %v, result %q", e.done, e.result)
	}
}

func TestAltEnterAlwaysInsertsANewline(t *testing.T) {
	e := newTestEditor(t, theme.Plain(), prodState(), nil, 80, 24)
	e.keys("select 1;")
	e.press(tea.KeyEnter, tea.ModAlt)
	if e.done || e.ta.Value() != "select 1;\n" {
		t.Fatalf("done %v, buffer %q; want a newline", e.done, e.ta.Value())
	}
}

func TestCtrlCClearsAndCtrlDLeaves(t *testing.T) {
	e := newTestEditor(t, theme.Plain(), prodState(), nil, 80, 24)
	e.keys("select 1")
	if cmd := e.press('c', tea.ModCtrl); !isQuit(cmd) || !errors.Is(e.err, frontend.ErrInterrupt) {
		t.Fatalf("Ctrl-C: err %v", e.err)
	}
	if got := e.echo(); !strings.HasSuffix(got, "select 1 ^C\n") {
		t.Errorf("echo %q", got)
	}

	e = newTestEditor(t, theme.Plain(), prodState(), nil, 80, 24)
	e.keys("x")
	e.press(tea.KeyLeft, 0)
	e.press('d', tea.ModCtrl) // deletes forward on a non-empty input
	if e.done || e.ta.Value() != "" {
		t.Fatalf("Ctrl-D on input: done %v, buffer %q", e.done, e.ta.Value())
	}
	if cmd := e.press('d', tea.ModCtrl); !isQuit(cmd) || e.err != io.EOF {
		t.Fatalf("Ctrl-D on empty input: err %v", e.err)
	}
	if got := e.echo(); got != "[PRODUCTION] PROD app@orders=> \\q\n" {
		t.Errorf("echo %q", got)
	}
}

func TestFrameSaysProductionAndTheStatus(t *testing.T) {
	st := prodState()
	st.Tx, st.TxSince, st.TxStatements, st.TxTables = frontend.TxOpen, now.Add(-134*time.Second), 3, []string{"public.orders", "public.customers"}
	st.LastDuration = 12345 * time.Microsecond
	e := newTestEditor(t, theme.Plain(), st, nil, 80, 24)
	view := plainView(e.View())
	lines := strings.Split(view, "\n")
	if !strings.Contains(lines[0], "[PRODUCTION] PROD") || !strings.Contains(lines[0], "app@db1/orders") {
		t.Errorf("top of the frame: %q", lines[0])
	}
	for _, want := range []string{"tx open 2m14s, 3 statements, orders, customers", "read-only", "last 12.345 ms"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > 80 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
	// The cursor sits after the prompt, inside the frame.
	if c := e.View().Cursor; c == nil || c.Y != 1 || c.X != 2+lipgloss.Width("[PRODUCTION] PROD app@orders=*> ") {
		t.Errorf("cursor %+v", c)
	}
}

func TestFrameIsInTheTierColour(t *testing.T) {
	th := theme.Default(colorprofile.ANSI256)
	e := newTestEditor(t, th, prodState(), nil, 80, 24)
	view := e.View().Content
	if !strings.Contains(view, "38;5;160m╭") && !strings.Contains(view, "38;5;160m") {
		t.Errorf("frame not in production red (160):\n%q", view)
	}
	if !strings.Contains(plainView(e.View()), "PROD · PRODUCTION") {
		t.Errorf("frame does not say PRODUCTION:\n%s", plainView(e.View()))
	}
	st := prodState()
	st.Writes = true
	e = newTestEditor(t, th, st, nil, 80, 24)
	if !strings.Contains(plainView(e.View()), "WRITE") {
		t.Errorf("WRITE mode not shown:\n%s", plainView(e.View()))
	}
}

func TestSmallAndResizedTerminals(t *testing.T) {
	st := prodState()
	st.Tx, st.TxSince, st.TxStatements = frontend.TxOpen, now.Add(-time.Hour), 12
	e := newTestEditor(t, theme.Plain(), st, nil, 80, 24)
	e.keys("select 1,\r2,\r3")
	for _, size := range [][2]int{{80, 24}, {40, 10}, {24, 6}, {20, 5}, {12, 3}, {1, 1}} {
		e.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		view := plainView(e.View())
		lines := strings.Split(view, "\n")
		if len(lines) > size[1] && size[1] >= 5 {
			t.Errorf("%dx%d: %d lines:\n%s", size[0], size[1], len(lines), view)
		}
		for i, l := range lines {
			if w := lipgloss.Width(l); w > max(size[0], 4) {
				t.Errorf("%dx%d: line %d is %d wide: %q", size[0], size[1], i, w, l)
			}
		}
		if size[0] >= 24 && !strings.Contains(view, "PRODUCTION") {
			t.Errorf("%dx%d: no PRODUCTION:\n%s", size[0], size[1], view)
		}
	}
	if e.ta.Value() != "select 1,\n2,\n3" {
		t.Errorf("resizing changed the buffer: %q", e.ta.Value())
	}
}

func TestHistoryUpDownAndTheDraft(t *testing.T) {
	hist := []string{"select 1;", "select\n2;", "delete from orders;"}
	e := newTestEditor(t, theme.Plain(), prodState(), hist, 80, 24)
	e.keys("draft")
	e.press(tea.KeyUp, 0)
	if e.ta.Value() != "delete from orders;" {
		t.Fatalf("up: %q", e.ta.Value())
	}
	if view := plainView(e.View()); !strings.Contains(view, "DESTRUCTIVE statement recalled from history") {
		t.Errorf("a recalled DELETE without WHERE is not marked:\n%s", view)
	}
	e.press(tea.KeyUp, 0)
	if e.ta.Value() != "select\n2;" {
		t.Fatalf("up: %q", e.ta.Value())
	}
	if strings.Contains(plainView(e.View()), "DESTRUCTIVE") {
		t.Error("a SELECT is marked destructive")
	}
	// Up on the second line of a recalled entry moves inside it first.
	e.press(tea.KeyUp, 0)
	if e.ta.Value() != "select\n2;" || e.ta.Line() != 0 {
		t.Fatalf("up inside the entry: %q, line %d", e.ta.Value(), e.ta.Line())
	}
	e.press(tea.KeyUp, 0)
	if e.ta.Value() != "select 1;" {
		t.Fatalf("up: %q", e.ta.Value())
	}
	e.press(tea.KeyUp, 0) // the oldest: stays
	if e.ta.Value() != "select 1;" {
		t.Fatalf("up past the oldest: %q", e.ta.Value())
	}
	e.press(tea.KeyDown, 0)
	e.press(tea.KeyDown, 0) // second line of "select\n2;"
	e.press(tea.KeyDown, 0)
	e.press(tea.KeyDown, 0)
	if e.ta.Value() != "draft" {
		t.Fatalf("down back to the draft: %q", e.ta.Value())
	}
	if strings.Contains(plainView(e.View()), "DESTRUCTIVE") {
		t.Error("the draft is marked as recalled")
	}
	// No suggestion is ever shown for what is typed.
	e.keys(" del")
	if strings.Contains(plainView(e.View()), "from orders") {
		t.Error("an earlier statement is suggested")
	}
}

func TestReverseSearch(t *testing.T) {
	hist := []string{"select * from customers;", "delete from orders;", "select * from orders;"}
	e := newTestEditor(t, theme.Plain(), prodState(), hist, 80, 24)
	e.press('r', tea.ModCtrl)
	e.keys("orders")
	if e.ta.Value() != "select * from orders;" {
		t.Fatalf("search: %q", e.ta.Value())
	}
	if view := plainView(e.View()); !strings.Contains(view, "(reverse-i-search)`orders'") {
		t.Errorf("no search line:\n%s", view)
	}
	e.press('r', tea.ModCtrl)
	if e.ta.Value() != "delete from orders;" {
		t.Fatalf("ctrl-r again: %q", e.ta.Value())
	}
	e.press('r', tea.ModCtrl) // no older match: stays
	if e.ta.Value() != "delete from orders;" {
		t.Fatalf("ctrl-r past the last match: %q", e.ta.Value())
	}
	// Enter takes the match into the editor without running it.
	e.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if e.done || e.searching {
		t.Fatalf("Enter in the search ran the statement (done %v) or kept searching (%v)", e.done, e.searching)
	}
	if view := plainView(e.View()); !strings.Contains(view, "DESTRUCTIVE") {
		t.Errorf("a recalled DELETE is not marked:\n%s", view)
	}
	e.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if !e.done || e.result != "delete from orders;" {
		t.Fatalf("second Enter: done %v, %q", e.done, e.result)
	}

	// Esc gives back what was typed.
	e = newTestEditor(t, theme.Plain(), prodState(), hist, 80, 24)
	e.keys("sel")
	e.press('r', tea.ModCtrl)
	e.keys("zzz")
	if view := plainView(e.View()); !strings.Contains(view, "failed reverse-i-search") {
		t.Errorf("no failure shown:\n%s", view)
	}
	e.press(tea.KeyEscape, 0)
	if e.ta.Value() != "sel" || e.searching {
		t.Fatalf("after Esc: %q, searching %v", e.ta.Value(), e.searching)
	}
}

func TestTabCompletion(t *testing.T) {
	e := newTestEditor(t, theme.Plain(), prodState(), nil, 80, 24)
	e.keys("sel")
	e.press(tea.KeyTab, 0)
	if e.ta.Value() != "select " {
		t.Fatalf("one candidate: %q", e.ta.Value())
	}
	e.keys("* from ord")
	e.press(tea.KeyTab, 0)
	if e.ta.Value() != "select * from order" {
		t.Fatalf("common prefix: %q", e.ta.Value())
	}
	view := plainView(e.View())
	if !strings.Contains(view, "order_items  orders") {
		t.Errorf("candidates not listed:\n%s", view)
	}
	e.keys("_")
	if strings.Contains(plainView(e.View()), "order_items") {
		t.Error("the list stays after typing")
	}
	e.press(tea.KeyTab, 0)
	if e.ta.Value() != "select * from order_items " {
		t.Fatalf("completed: %q", e.ta.Value())
	}
	e.keys("where t")
	e.press(tea.KeyTab, 0)
	if !strings.HasSuffix(e.ta.Value(), "where t") {
		// "t" has several candidates (table, then, to, total, ...)
		t.Logf("buffer %q", e.ta.Value())
	}
	e.ta.SetValue(`\d`)
	e.press(tea.KeyTab, 0)
	if view := plainView(e.View()); !strings.Contains(view, `\di  \dt`) {
		t.Errorf("backslash commands not listed:\n%s", view)
	}
}

func TestPasteDoesNotRun(t *testing.T) {
	e := newTestEditor(t, theme.Plain(), prodState(), nil, 80, 24)
	e.Update(tea.PasteMsg{Content: "delete from orders;\n"})
	if e.done {
		t.Fatal("a paste ran a statement")
	}
	if e.ta.Value() != "delete from orders;\n" {
		t.Errorf("buffer %q", e.ta.Value())
	}
}

func TestKeysAfterSubmitAreKept(t *testing.T) {
	e := newTestEditor(t, theme.Plain(), prodState(), nil, 80, 24)
	e.keys("select 1;\rselect 2;")
	if e.result != "select 1;" || len(e.typeahead) != len("select 2;") {
		t.Errorf("result %q, typeahead %d keys", e.result, len(e.typeahead))
	}
}

// An Enter typed ahead arrives as LF (ctrl+j) from a cooked terminal: it
// runs a complete statement as Enter does.
func TestCtrlJRunsLikeEnter(t *testing.T) {
	e := newTestEditor(t, theme.Plain(), frontend.State{}, nil, 80, 24)
	e.keys("select 1;")
	_, cmd := e.Update(tea.KeyPressMsg{Code: 'j', Mod: tea.ModCtrl})
	if !e.done || e.result != "select 1;" || !isQuit(cmd) {
		t.Fatalf("ctrl+j did not run the statement: done %v, result %q", e.done, e.result)
	}
}

// drawnRows is the text of the editor's rows in a framed view, without
// the frame and the prompts, trailing blanks trimmed; pw is the prompt's
// width. The first row has the first prompt unless the editor scrolled.
func (e *editor) drawnRows(t *testing.T, v tea.View) (rows []string, pw int) {
	t.Helper()
	lines := strings.Split(plainView(v), "\n")
	first, next := e.paddedPrompts()
	for i, l := range lines[1:] {
		if strings.HasPrefix(l, "╰") {
			return rows, lipgloss.Width(first)
		}
		inner, left := strings.CutPrefix(l, "│ ")
		body, right := strings.CutSuffix(inner, " │")
		if !left || !right {
			t.Fatalf("row %d is not inside the frame: %q", i, l)
		}
		p := next
		if len(rows) == 0 && e.ta.ScrollYOffset() == 0 {
			p = first
		}
		body, ok := strings.CutPrefix(body, p)
		if !ok {
			t.Fatalf("row %d lacks the prompt %q: %q", i, p, l)
		}
		rows = append(rows, strings.TrimRight(body, " "))
	}
	t.Fatalf("no frame in:\n%s", plainView(v))
	return nil, 0
}

// A line longer than the editor is wide is drawn on all the rows it wraps
// onto, with the cursor on the right one: typed, pasted, recalled from
// history and after resizes; past the height the editor has, it scrolls.
func TestLongLineShowsAllItsWrappedRows(t *testing.T) {
	const long = "select aaaa, bbbb, cccc, dddd, eeee from t where x = 1 and y = 2 and z = 3"
	// check wants the whole line drawn on want rows (0: more than one),
	// the cursor at its end.
	check := func(t *testing.T, e *editor, want int) {
		t.Helper()
		v := e.View()
		rows, pw := e.drawnRows(t, v)
		if want == 0 && len(rows) < 2 || want > 0 && len(rows) != want {
			t.Fatalf("%d rows, want %d:\n%s", len(rows), want, plainView(v))
		}
		if got := strings.Join(rows, " "); got != long {
			t.Fatalf("rows drawn %q, not the whole line:\n%s", got, plainView(v))
		}
		last := rows[len(rows)-1]
		if v.Cursor == nil || v.Cursor.Y != len(rows) || v.Cursor.X != 2+pw+lipgloss.Width(last) {
			t.Fatalf("cursor at %+v, want after %q on view row %d:\n%s", v.Cursor, last, len(rows), plainView(v))
		}
	}
	t.Run("typed", func(t *testing.T) {
		e := newTestEditor(t, theme.Plain(), prodState(), nil, 40, 24)
		e.keys(long)
		check(t, e, 0)
		// At the start of the line the cursor is on the first row, and
		// nothing has scrolled away.
		e.press(tea.KeyHome, 0)
		v := e.View()
		rows, pw := e.drawnRows(t, v)
		if strings.Join(rows, " ") != long || v.Cursor == nil || v.Cursor.Y != 1 || v.Cursor.X != 2+pw {
			t.Fatalf("home: cursor at %+v:\n%s", v.Cursor, plainView(v))
		}
	})
	t.Run("pasted", func(t *testing.T) {
		e := newTestEditor(t, theme.Plain(), prodState(), nil, 40, 24)
		e.Update(tea.PasteMsg{Content: long})
		check(t, e, 0)
	})
	t.Run("recalled", func(t *testing.T) {
		e := newTestEditor(t, theme.Plain(), prodState(), []string{long}, 40, 24)
		e.press(tea.KeyUp, 0)
		check(t, e, 0)
		e.press(tea.KeyDown, 0) // back to the empty draft: one row
		if rows, _ := e.drawnRows(t, e.View()); len(rows) != 1 {
			t.Fatalf("the draft is drawn on %d rows", len(rows))
		}
	})
	t.Run("resized", func(t *testing.T) {
		e := newTestEditor(t, theme.Plain(), prodState(), nil, 200, 24)
		e.keys(long)
		check(t, e, 1)
		e.Update(tea.WindowSizeMsg{Width: 40, Height: 24})
		check(t, e, 0)
		narrow, _ := e.drawnRows(t, e.View())
		e.Update(tea.WindowSizeMsg{Width: 30, Height: 24})
		if rows, _ := e.drawnRows(t, e.View()); len(rows) <= len(narrow) {
			t.Fatalf("30 wide: %d rows, at 40: %d", len(rows), len(narrow))
		}
		check(t, e, 0)
		e.Update(tea.WindowSizeMsg{Width: 200, Height: 24})
		check(t, e, 1)
	})
	t.Run("taller than the terminal", func(t *testing.T) {
		e := newTestEditor(t, theme.Plain(), prodState(), nil, 40, 8)
		text := strings.Repeat(long+" ", 3)
		e.keys(text)
		v := e.View()
		rows, pw := e.drawnRows(t, v)
		if len(rows) != e.ta.MaxHeight || len(strings.Split(plainView(v), "\n")) > 8 {
			t.Fatalf("%d rows (max %d):\n%s", len(rows), e.ta.MaxHeight, plainView(v))
		}
		// The end is in sight, the cursor after it.
		if last := rows[len(rows)-1]; !strings.HasSuffix(last, "z = 3") || v.Cursor == nil ||
			v.Cursor.Y != len(rows) || v.Cursor.X != 2+pw+lipgloss.Width(last)+1 {
			t.Fatalf("cursor at %+v:\n%s", v.Cursor, plainView(v))
		}
	})
}
