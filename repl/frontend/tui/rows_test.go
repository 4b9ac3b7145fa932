package tui

import (
	"math/rand/v2"
	"strings"
	"testing"

	"charm.land/bubbles/v2/textarea"
	"charm.land/lipgloss/v2"
)

// textareaRows learns the rows of line the slow way: a textarea holds
// the line at width, and its cursor is walked from row to row (LineInfo
// says where each row starts and how many runes it holds). nil when the
// textarea does not answer consistently.
func textareaRows(line string, width int) []span {
	m := textarea.New()
	m.ShowLineNumbers = false
	m.Prompt = ""
	m.CharLimit = 0
	m.MaxWidth = 0
	m.MaxContentHeight = 0
	plain := lipgloss.NewStyle()
	state := textarea.StyleState{Base: plain, Text: plain, CursorLine: plain, Prompt: plain, EndOfBuffer: plain, Placeholder: plain}
	m.SetStyles(textarea.Styles{Focused: state, Blurred: state})
	m.SetWidth(width)
	if m.Width() != width {
		return nil
	}
	m.SetValue(line)
	if m.Value() != line {
		return nil
	}
	n := len([]rune(line))
	var rows []span
	for col := 0; col <= n; {
		m.SetCursorColumn(col)
		li := m.LineInfo()
		if li.RowOffset != len(rows) || li.StartColumn != col || li.Width <= 0 {
			return nil
		}
		rows = append(rows, span{col, li.Width})
		if li.RowOffset == li.Height-1 {
			return rows
		}
		col += li.Width
	}
	return nil
}

// wrapRows must draw the rows exactly where the textarea does: the
// highlighting repaints the textarea's rows by them.
func TestWrapRowsAgreesWithTheTextarea(t *testing.T) {
	words := []string{"select", "a", "from", "orders", "'it''s'", "--", "x", "数据库", "é",
		"averyveryveryverylongidentifierthatdoesnotfit", "  ", "(", ");", "1.5e3", "\t"}
	rng := rand.New(rand.NewPCG(3, 4))
	checked := 0
	for range 400 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(words[rng.IntN(len(words))])
			if rng.IntN(3) > 0 {
				b.WriteString(strings.Repeat(" ", 1+rng.IntN(2)))
			}
		}
		l := b.String()
		for _, w := range []int{5, 11, 20, 37, 76} {
			want := textareaRows(l, w)
			if want == nil {
				continue
			}
			checked++
			got := wrapRows(l, w)
			if len(got) != len(want) {
				t.Fatalf("line %q at width %d: %d rows %v, the textarea draws %d %v", l, w, len(got), got, len(want), want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("line %q at width %d: rows %v, the textarea draws %v", l, w, got, want)
				}
			}
		}
	}
	if checked < 500 {
		t.Errorf("only %d cases could be compared", checked)
	}
}
