package complete

import (
	"strings"
	"testing"
)

// FuzzSuggest: any text, any cursor: no panic, and the word replaced
// lies before the cursor.
func FuzzSuggest(f *testing.F) {
	for _, s := range []string{"select * from orders o join customers c on ", `\d shop.`, `select "a""b`, "e'\\", "$$", "/* x", "a.b.c.", "insert into orders (", "select (((", ")))", "with a as (select * from b), b as (select * from a) select a."} {
		f.Add(s, len(s))
	}
	m := testMeta()
	f.Fuzz(func(t *testing.T, text string, cursor int) {
		if cursor < 0 {
			cursor = -cursor
		}
		cursor %= len(text) + 1
		cands, start := Suggest(text, cursor, m, metas)
		if start < 0 || start > cursor {
			t.Fatalf("Suggest(%q, %d) starts at %d", text, cursor, start)
		}
		for _, c := range cands {
			if c.Text == "" || strings.ContainsRune(c.Text, '\n') {
				t.Fatalf("Suggest(%q, %d) offers %q", text, cursor, c.Text)
			}
		}
	})
}
