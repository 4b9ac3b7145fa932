package tui

import (
	"strings"
	"unicode"

	"github.com/mattn/go-runewidth"
	"github.com/rivo/uniseg"
)

// span is one drawn row of a logical line: the line's runes [start,
// start+n). The last row's n counts one rune more than the line has: the
// textarea keeps a place after the end for the cursor.
type span struct{ start, n int }

// rowsCacheLimit and rowsCacheBytes bound the remembered lines (how many,
// and their text); past either the cache starts over. A long line typed
// key by key is remembered once per key: without the bound on bytes, a
// 10 KB line typed at a human pace kept 20 MB of its past states.
const (
	rowsCacheLimit = 4096
	rowsCacheBytes = 1 << 20
)

// rowMeasure learns the rows the textarea draws a logical line on. The
// textarea does not wrap on our behalf through any exported function, so
// wrapRows does what its wrap does. Answers are remembered per line text
// and width. One serves the editors of a TUI in turn (it is not safe for
// concurrent use); its zero value is ready.
type rowMeasure struct {
	rows  map[string][]span
	bytes int // the length of the lines in rows
	width int // the text width rows was measured at
}

// lineRows is the rows the textarea draws line on at its current width,
// false when they could not be learnt.
func (e *editor) lineRows(line string) ([]span, bool) {
	return e.rows.lineRows(line, e.ta.Width())
}

func (r *rowMeasure) lineRows(line string, width int) ([]span, bool) {
	if rows, ok := r.rows[line]; ok && r.width == width {
		return rows, rows != nil
	}
	if r.rows == nil || r.width != width || len(r.rows) >= rowsCacheLimit || r.bytes+len(line) > rowsCacheBytes {
		r.rows, r.bytes, r.width = make(map[string][]span), 0, width
	}
	rows := wrapRows(line, width)
	r.rows[line] = rows
	r.bytes += len(line)
	return rows, rows != nil
}

// wrapRows is the rows the bubbles textarea (v2.2.1, textarea.wrap)
// soft-wraps line on at width, in one pass over the line; nil when width
// leaves no room. The textarea's own wrap is memoized by a hash of the
// whole line, which made measuring a long line row by row quadratic.
func wrapRows(line string, width int) []span {
	if width <= 0 {
		return nil
	}
	var (
		rows   []span
		start  int // the first rune of the current row
		rowW   int // the width of the current row's text
		rowN   int // its runes
		word   []rune
		spaces int
	)
	newRow := func() {
		rows = append(rows, span{start, rowN})
		start += rowN
		rowW, rowN = 0, 0
	}
	for _, r := range line {
		if unicode.IsSpace(r) {
			spaces++
		} else {
			word = append(word, r)
		}
		if spaces > 0 {
			ww := uniseg.StringWidth(string(word))
			if rowW+ww+spaces > width {
				newRow()
			}
			rowW += ww + spaces
			rowN += len(word) + spaces
			spaces, word = 0, word[:0]
			continue
		}
		if uniseg.StringWidth(string(word))+runewidth.RuneWidth(word[len(word)-1]) > width {
			if rowN > 0 {
				newRow()
			}
			rowW += uniseg.StringWidth(string(word))
			rowN += len(word)
			word = word[:0]
		}
	}
	ww := uniseg.StringWidth(string(word))
	if rowW+ww+spaces >= width {
		newRow()
	}
	rowN += len(word) + spaces + 1
	rows = append(rows, span{start, rowN})
	for _, sp := range rows {
		if sp.n <= 0 {
			return nil
		}
	}
	return rows
}

// contentRows is how many rows the buffer's text is drawn on, false when
// a line's rows could not be learnt.
func (e *editor) contentRows() (int, bool) {
	total := 0
	for l := range strings.SplitSeq(e.ta.Value(), "\n") {
		rows, ok := e.lineRows(l)
		if !ok {
			return 0, false
		}
		total += len(rows)
	}
	return total, true
}
