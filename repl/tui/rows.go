package tui

import (
	"strings"

	"charm.land/bubbles/v2/textarea"
	"charm.land/lipgloss/v2"
)

// span is one drawn row of a logical line: the line's runes [start,
// start+n). The last row's n counts one rune more than the line has: the
// textarea keeps a place after the end for the cursor.
type span struct{ start, n int }

// rowsCacheLimit bounds the remembered lines; past it the cache starts over.
const rowsCacheLimit = 4096

// rowMeasure learns the rows the textarea draws a logical line on. The
// textarea does not wrap on our behalf through any exported function, so
// a second textarea, never drawn, holds the line alone at the editor's
// text width, and its cursor is walked from row to row: LineInfo reports
// where the cursor's row starts and how many runes it holds. Answers are
// remembered per line text and width. One serves the editors of a TUI in
// turn (it is not safe for concurrent use); its zero value is ready.
type rowMeasure struct {
	ta    textarea.Model
	ready bool // ta is set up
	rows  map[string][]span
	width int // the text width rows was measured at
}

// lineRows is the rows the textarea draws line on at its current width,
// false when they could not be learnt.
func (e *editor) lineRows(line string) ([]span, bool) {
	return e.rows.lineRows(line, e.ta.Width())
}

func (r *rowMeasure) lineRows(line string, width int) ([]span, bool) {
	if r.rows == nil || r.width != width || len(r.rows) > rowsCacheLimit {
		r.rows, r.width = make(map[string][]span), width
	}
	if rows, ok := r.rows[line]; ok {
		return rows, rows != nil
	}
	rows := r.measure(line, width)
	r.rows[line] = rows
	return rows, rows != nil
}

// measure does lineRows' work; nil when the measuring textarea does not
// answer consistently.
func (r *rowMeasure) measure(line string, width int) []span {
	if !r.ready {
		m := textarea.New()
		m.ShowLineNumbers = false
		m.Prompt = ""
		m.CharLimit = 0
		m.MaxWidth = 0
		m.MaxContentHeight = 0
		plain := lipgloss.NewStyle()
		state := textarea.StyleState{Base: plain, Text: plain, CursorLine: plain, Prompt: plain, EndOfBuffer: plain, Placeholder: plain}
		m.SetStyles(textarea.Styles{Focused: state, Blurred: state})
		r.ta, r.ready = m, true
	}
	m := &r.ta
	if m.Width() != width {
		m.SetWidth(width)
		if m.Width() != width {
			return nil
		}
	}
	m.SetValue(line)
	if m.Value() != line {
		return nil // the textarea would have changed it: not our line
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
