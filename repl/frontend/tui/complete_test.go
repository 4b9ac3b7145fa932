package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/safesql/safesql/repl/frontend/line"
	"github.com/safesql/safesql/repl/internal/completetest"
	"github.com/safesql/safesql/theme"
)

// TestCandidateListKeepsEachCandidateWhole: at any width, the list under
// the frame breaks between candidates, never inside one.
func TestCandidateListKeepsEachCandidateWhole(t *testing.T) {
	rels := []string{"order_items", "orders", "order_archive_2024", "order_events", "order_notes", "order_x"}
	for _, width := range []int{120, 80, 40, 24} {
		e := newEditor(editorConfig{theme: theme.Plain(), state: prodState(), now: now, width: width, height: 24,
			completer: line.NewCompleter(completetest.Catalog{Relations: rels}, nil)})
		e.keys("select * from ord")
		e.press(tea.KeyTab, 0)
		if e.ta.Value() != "select * from order" {
			t.Fatalf("width %d: common prefix %q", width, e.ta.Value())
		}
		rows := e.candidateLines()
		if len(rows) == 0 {
			t.Fatalf("width %d: no list", width)
		}
		var words []string
		for _, r := range rows {
			r = ansi.ReplaceAllString(r, "")
			if len([]rune(r)) > width {
				t.Errorf("width %d: row %q is wider than the window", width, r)
			}
			words = append(words, strings.Fields(r)...)
		}
		want := map[string]bool{}
		for _, r := range rels {
			want[r] = true
		}
		for _, w := range words {
			if !want[w] {
				t.Errorf("width %d: %q listed, not a whole candidate; rows %q", width, w, rows)
			}
			delete(want, w)
		}
		if len(want) != 0 {
			t.Errorf("width %d: candidates missing from the list: %v; rows %q", width, want, rows)
		}
	}
}
