package tui

import (
	"strings"
	"unicode"

	"charm.land/lipgloss/v2"

	"github.com/safesql/safesql/repl/syntax"
)

// highlighted is the textarea's view (body) with the SQL in it drawn in
// the theme's syntax styles. The bubbles textarea cannot style words, so
// the rows it drew are repainted: each row's text is matched against the
// row the textarea's wrapping puts there, and only its characters get
// styles, so wrapping, prompts, padding and the cursor stay exactly the
// textarea's. When any row is not what is expected (a textarea that wraps
// differently), the view is left as drawn.
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
	width := e.ta.Width()
	skip := e.ta.ScrollYOffset()
	var b strings.Builder
	b.Grow(len(body) * 2)
	row, offset := 0, 0
	for _, l := range strings.Split(value, "\n") {
		if row-skip >= len(rows) {
			break
		}
		lr := []rune(l)
		base := offset
		for _, wr := range wrapRunes(lr, width) {
			if i := row - skip; i >= 0 && i < len(rows) {
				p := next
				if row == 0 {
					p = first
				}
				drawn, ok := strings.CutPrefix(rows[i], p)
				if !ok || strings.TrimRight(drawn, " ") != strings.TrimRight(string(wr), " ") {
					return body, false
				}
				b.Reset()
				b.WriteString(p)
				end := offset + len(lr) // the line's end: the rest is padding
				e.paintRow(&b, []rune(drawn), base, end)
				rows[i] = b.String()
			}
			base += len(wr)
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
	first, next := e.prompt(0), e.prompt('-')
	pw := max(lipgloss.Width(first), lipgloss.Width(next))
	pad := func(p string) string { return strings.Repeat(" ", max(0, pw-lipgloss.Width(p))) + p }
	return pad(first), pad(next)
}

// wrapRunes is the bubbles v2.2.1 textarea's soft wrapping (MIT licence,
// Charmbracelet), with lipgloss measuring widths: the rows a logical line
// is drawn on, each space as ' ', the last row with one trailing space.
func wrapRunes(runes []rune, width int) [][]rune {
	var (
		lines  = [][]rune{{}}
		word   = []rune{}
		row    int
		spaces int
	)
	w := func(r []rune) int { return lipgloss.Width(string(r)) }
	for _, r := range runes {
		if unicode.IsSpace(r) {
			spaces++
		} else {
			word = append(word, r)
		}
		if spaces > 0 {
			if w(lines[row])+w(word)+spaces > width {
				row++
				lines = append(lines, []rune{})
			}
			lines[row] = append(lines[row], word...)
			lines[row] = append(lines[row], []rune(strings.Repeat(" ", spaces))...)
			spaces = 0
			word = nil
		} else {
			lastCharLen := w(word[len(word)-1:])
			if w(word)+lastCharLen > width {
				if len(lines[row]) > 0 {
					row++
					lines = append(lines, []rune{})
				}
				lines[row] = append(lines[row], word...)
				word = nil
			}
		}
	}
	if w(lines[row])+w(word)+spaces >= width {
		lines = append(lines, []rune{})
		lines[row+1] = append(lines[row+1], word...)
		spaces++
		lines[row+1] = append(lines[row+1], []rune(strings.Repeat(" ", spaces))...)
	} else {
		lines[row] = append(lines[row], word...)
		spaces++
		lines[row] = append(lines[row], []rune(strings.Repeat(" ", spaces))...)
	}
	return lines
}
