package tui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/safesql/safesql/repl/frontend/syntax"
)

// highlighted is the textarea's view (body) with the SQL in it drawn in
// the theme's syntax styles. The bubbles textarea cannot style words, so
// the rows it drew are repainted: each row's text is matched against the
// piece of its line the textarea reports for that row (lineRows), and
// only its characters get styles, so wrapping, prompts, padding and the
// cursor stay exactly the textarea's. When any row is not what is
// expected, the view is left as drawn.
func (e *editor) highlighted(body string) string {
	if !e.paint.Enabled() {
		return body
	}
	if s, ok := e.repaint(body); ok {
		return s
	}
	return body
}

// repaint does highlighted's work; false when a row was not as expected.
func (e *editor) repaint(body string) (string, bool) {
	value := e.ta.Value()
	if strings.TrimSpace(value) == "" {
		return body, true
	}
	if value != e.kindsFor || e.kinds == nil {
		e.kinds, e.kindsFor = e.paint.RuneKinds(value), value
	}
	rows := strings.Split(body, "\n")
	first, next := e.paddedPrompts()
	skip := e.ta.ScrollYOffset()
	var b strings.Builder
	b.Grow(len(body) * 2)
	row, offset := 0, 0
	for _, l := range strings.Split(value, "\n") {
		if row-skip >= len(rows) {
			break
		}
		lr := []rune(l)
		spans, ok := e.lineRows(l)
		if !ok {
			return body, false
		}
		for _, sp := range spans {
			if i := row - skip; i >= 0 && i < len(rows) {
				p := next
				if row == 0 {
					p = first
				}
				want := string(lr[sp.start:min(sp.start+sp.n, len(lr))])
				drawn, ok := strings.CutPrefix(rows[i], p)
				if !ok || strings.TrimRight(drawn, " ") != strings.TrimRight(want, " ") {
					return body, false
				}
				b.Reset()
				b.WriteString(p)
				// Past the row's piece of the line is padding.
				end := offset + min(len(lr), sp.start+sp.n)
				e.paintRow(&b, []rune(drawn), offset+sp.start, end)
				rows[i] = b.String()
			}
			row++
		}
		offset += len(lr) + 1
	}
	return strings.Join(rows, "\n"), true
}

// paintRow writes the drawn runes of a row whose first rune is the
// value's rune at base; runes at or after end are padding.
func (e *editor) paintRow(b *strings.Builder, drawn []rune, base, end int) {
	kindAt := func(j int) syntax.Kind {
		if k := base + j; k < end && k < len(e.kinds) {
			return e.kinds[k]
		}
		return syntax.Plain
	}
	start := 0
	for j := 1; j <= len(drawn); j++ {
		if j == len(drawn) || kindAt(j) != kindAt(start) {
			e.paint.Write(b, kindAt(start), string(drawn[start:j]))
			start = j
		}
	}
}

// paddedPrompts are the first and the continuation prompt as the
// textarea draws them: right-aligned to the prompt width.
func (e *editor) paddedPrompts() (string, string) {
	first, next := e.prompt(e.firstCont()), e.prompt('-')
	pw := max(lipgloss.Width(first), lipgloss.Width(next))
	pad := func(p string) string { return strings.Repeat(" ", max(0, pw-lipgloss.Width(p))) + p }
	return pad(first), pad(next)
}
