package line

import (
	"testing"

	"github.com/charmbracelet/colorprofile"

	"github.com/safesql/safesql/repl/frontend/syntax"
	"github.com/safesql/safesql/theme"
)

func TestPainterCarriesTheEntrysEarlierLines(t *testing.T) {
	th := theme.Default(colorprofile.ANSI256)
	ss := th.Syntax()
	pt := &painter{p: syntax.NewPainter(th, true, syntax.Options{})}
	pt.set(true, "")
	if got, want := string(pt.Paint([]rune("select 1"), 0)), ss.Keyword.Render("select")+" "+ss.Number.Render("1"); got != want {
		t.Errorf("Paint = %q, want %q", got, want)
	}
	// A literal opened on an earlier line goes on: "from" is in it.
	pt.set(true, "select 'a\n")
	if got, want := string(pt.Paint([]rune("from' from t"), 0)), ss.String.Render("from'")+" "+ss.Keyword.Render("from")+" t"; got != want {
		t.Errorf("Paint = %q, want %q", got, want)
	}
	// An answer to a question is not SQL.
	pt.set(false, "")
	if got := string(pt.Paint([]rune("select"), 0)); got != "select" {
		t.Errorf("answer painted: %q", got)
	}
	off := &painter{p: syntax.NewPainter(theme.Plain(), true, syntax.Options{})}
	off.set(true, "")
	if got := string(off.Paint([]rune("select"), 0)); got != "select" {
		t.Errorf("plain theme painted: %q", got)
	}
}
