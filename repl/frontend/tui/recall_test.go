package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/safesql/safesql/theme"
)

// TestRecallMarksOnlyWhatIsDestructive: a recalled destructive statement
// is marked DESTRUCTIVE; an incomplete one or one that does not parse is
// said to be that, never DESTRUCTIVE.
func TestRecallMarksOnlyWhatIsDestructive(t *testing.T) {
	for _, tt := range []struct{ entry, want, not string }{
		{"delete from orders;", "⚠ DESTRUCTIVE statement recalled from history: DELETE", ""},
		{"select 1 from (", "incomplete statement recalled from history", "DESTRUCTIVE"},
		{"select 1 from (\n  select 2", "incomplete statement recalled from history", "DESTRUCTIVE"},
		{"update orders set total = 0 where", "incomplete statement recalled from history", "DESTRUCTIVE"},
		{"selec 1;", `statement recalled from history does not parse: syntax error at or near "selec"`, "DESTRUCTIVE"},
		{"select 1; delete from orders;", "⚠ DESTRUCTIVE", ""},
		{"select 1;", "", "recalled from history"},
	} {
		for _, w := range []int{120, 80, 40} {
			e := newTestEditor(t, theme.Plain(), prodState(), []string{tt.entry}, w, 24)
			e.Update(tea.KeyPressMsg{Code: tea.KeyUp})
			view := plainView(e.View())
			want := tt.want
			flat := strings.Join(strings.Fields(view), " ")
			if want != "" && !strings.Contains(flat, want) {
				t.Errorf("%d columns, recalled %q: want %q:\n%s", w, tt.entry, want, view)
			}
			if tt.not != "" && strings.Contains(view, tt.not) {
				t.Errorf("%d columns, recalled %q: %q shown:\n%s", w, tt.entry, tt.not, view)
			}
		}
	}
}
