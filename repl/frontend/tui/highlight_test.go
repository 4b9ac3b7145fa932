package tui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/safesql/safesql/repl/frontend/syntax"
	"github.com/safesql/safesql/theme"
)

func newHighlightEditor(t testing.TB, th *theme.Theme, on bool, w, h int) *editor {
	e := newEditor(editorConfig{theme: th, state: prodState(), now: now, width: w, height: h,
		painter: syntax.NewPainter(th, on, syntax.Options{})})
	return e
}

func TestHighlightDrawsKeywordsStringsAndComments(t *testing.T) {
	th := theme.Default(colorprofile.ANSI256)
	ss := th.Syntax()
	e := newHighlightEditor(t, th, true, 80, 24)
	e.keys("select 'it''s' from t -- note\r")
	e.keys("where id = 42 and :v;")
	view := e.View().Content
	for _, want := range []string{
		ss.Keyword.Render("select"), ss.String.Render("'it''s'"), ss.Keyword.Render("from"),
		ss.Comment.Render("-- note"), ss.Keyword.Render("where"), ss.Number.Render("42"),
		ss.Variable.Render(":v"),
	} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%q", want, view)
		}
	}
	// The scrollback echo is highlighted too.
	e.keys("\r")
	if !e.done {
		t.Fatal("the statement did not run")
	}
	if echo := e.echo(); !strings.Contains(echo, ss.Keyword.Render("where")) {
		t.Errorf("echo not highlighted: %q", echo)
	}
}

func TestHighlightOffOrWithoutColourDrawsNothingExtra(t *testing.T) {
	input := "select 'x', \"Y\" from t /* c */ where a = 1;"
	for _, c := range []struct {
		name string
		th   *theme.Theme
		on   bool
	}{
		{"setting off", theme.Default(colorprofile.TrueColor), false},
		{"plain theme", theme.Plain(), true},
		{"no colour profile", theme.Default(colorprofile.NoTTY), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			on := newHighlightEditor(t, c.th, c.on, 80, 24)
			ref := newTestEditor(t, c.th, prodState(), nil, 80, 24)
			on.keys(input)
			ref.keys(input)
			if got, want := on.View(), ref.View(); got.Content != want.Content || *got.Cursor != *want.Cursor {
				t.Errorf("view differs from the unhighlighted one:\n%q\n%q", got.Content, want.Content)
			}
			if kw := c.th.Syntax().Keyword.Render("select"); kw != "select" && strings.Contains(on.View().Content, kw) {
				t.Errorf("keyword styled with highlighting off")
			}
		})
	}
}

// The highlighted view is the textarea's, character for character, with
// the cursor in the same place: wrapping, prompts, scrolling, wide
// characters, long words and runs of spaces.
func TestHighlightKeepsTheLayout(t *testing.T) {
	th := theme.Default(colorprofile.TrueColor)
	words := []string{"select", "from", "where", "'a b'", "'multi\nline'", "/* c\n d */", "-- x\n",
		"\"Q\"", "42", "1.5e3", ":v", "$$ body $$", "Größe", "漢字", "averyveryveryverylongidentifierthatwraps",
		"   ", ",", "\n", "\t", "e'\\''", "$1", "::int", "\\d"}
	rng := rand.New(rand.NewPCG(1, 2))
	wrapped, scrolled := 0, 0
	for n := range 400 {
		var b strings.Builder
		for range 1 + rng.IntN(40) {
			b.WriteString(words[rng.IntN(len(words))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		value := b.String()
		w, h := 20+rng.IntN(70), 6+rng.IntN(30)
		e := newHighlightEditor(t, th, true, w, h)
		ref := newTestEditor(t, th, prodState(), nil, w, h)
		paste := rng.IntN(2) == 0
		if paste {
			e.Update(tea.PasteMsg{Content: value})
			ref.Update(tea.PasteMsg{Content: value})
		} else {
			e.setValue(value, false)
			ref.setValue(value, false)
		}
		top := rng.IntN(2) == 0
		if top {
			e.ta.MoveToBegin()
			e.layout()
		}
		// A height other than layout's shows scrolling in more ways.
		tall := 1 + rng.IntN(15)
		e.ta.SetHeight(tall)
		body := e.ta.View()
		got, ok := e.repaint(body)
		name := fmt.Sprintf("case %d (%dx%d) %q", n, w, h, value)
		if !ok {
			t.Fatalf("%s: a row was not the one the wrapping predicts:\n%s", name, body)
		}
		if plainView(tea.NewView(got)) != plainView(tea.NewView(body)) {
			t.Fatalf("%s: text changed:\n%s\n%s", name, plainView(tea.NewView(got)), plainView(tea.NewView(body)))
		}
		if e.ta.ScrollYOffset() > 0 {
			scrolled++
		}
		if rows := strings.Count(body, "\n") + 1; rows > strings.Count(e.ta.Value(), "\n")+1 {
			wrapped++
		}
		if top {
			ref.ta.MoveToBegin()
			ref.layout()
		}
		ref.ta.SetHeight(tall)
		gv, rv := e.View(), ref.View()
		if plainView(gv) != plainView(rv) || (gv.Cursor == nil) != (rv.Cursor == nil) || gv.Cursor != nil && *gv.Cursor != *rv.Cursor {
			t.Fatalf("%s: view or cursor moved:\n%s\n%s", name, plainView(gv), plainView(rv))
		}
		// layout makes the textarea as tall as its rows, soft-wrapped
		// ones included, up to MaxHeight: no end-of-buffer row is drawn,
		// and below MaxHeight nothing has scrolled away.
		e.layout()
		e.ta.EndOfBufferCharacter = '~'
		if hgt := e.ta.Height(); strings.Contains(e.ta.View(), "> ~") ||
			hgt < e.ta.MaxHeight && e.ta.ScrollYOffset() > 0 {
			t.Fatalf("%s: height %d (max %d) for the rows:\n%s", name, hgt, e.ta.MaxHeight, e.ta.View())
		}
	}
	t.Logf("%d cases with soft-wrapped rows shown, %d scrolled", wrapped, scrolled)
	if scrolled < 50 {
		t.Errorf("only %d cases scrolled", scrolled)
	}
	if wrapped < 50 {
		t.Errorf("only %d cases showed soft-wrapped rows", wrapped)
	}
}

func BenchmarkView30Lines(b *testing.B) {
	var sb strings.Builder
	for i := range 30 {
		fmt.Fprintf(&sb, "  select o.id, c.name, 'status %d' as s, sum(i.total) -- line %d\n", i, i)
	}
	sb.WriteString("from orders o;")
	th := theme.Default(colorprofile.TrueColor)
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("highlight=%v", on), func(b *testing.B) {
			e := newHighlightEditor(b, th, on, 100, 50)
			e.setValue(sb.String(), false)
			b.ReportAllocs()
			for b.Loop() {
				_ = e.View()
			}
		})
	}
}
