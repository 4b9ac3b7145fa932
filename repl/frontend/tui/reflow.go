package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// When a window gets narrower, most terminals (tmux, VTE, kitty, iTerm2,
// Windows Terminal, Alacritty) reflow its lines: each line of the frame,
// drawn as wide as the window was, now takes two rows or more, and the
// cursor moves down with them. Bubble Tea's renderer, unaware, goes up
// as many rows as it drew and erases from there: the first rows of the
// old frame were left on the screen, and in the scrollback. Before the
// renderer hears of the new size, the cursor is taken up by the rows the
// reflow added above it, so that the renderer's erase starts at the old
// frame's first row.

// drawnFrame is what a reflow needs of the last view drawn: the width of
// each line above the cursor's, and the cursor.
type drawnFrame struct {
	above []int
	x, y  int
}

func drawnAt(lines []string, x, y int) drawnFrame {
	f := drawnFrame{x: x, y: y}
	for i := 0; i < y && i < len(lines); i++ {
		f.above = append(f.above, lipgloss.Width(lines[i]))
	}
	return f
}

// reflowRows is how many rows more than before the lines above the
// cursor, and the cursor's own, take once reflowed to width.
func (f drawnFrame) reflowRows(width int) int {
	if width <= 0 {
		return 0
	}
	rows := 0
	for _, w := range f.above {
		rows += max((w+width-1)/width, 1)
	}
	return rows + f.x/width - len(f.above)
}

// reflower is a model that can say how its last view reflows.
type reflower interface{ drawnShape() drawnFrame }

func (e *editor) drawnShape() drawnFrame  { return e.shape }
func (c *confirm) drawnShape() drawnFrame { return c.shape }

// reflows reports whether the terminal reflows its lines on a resize:
// all common ones do but xterm, rxvt and the Linux console, which cut
// them instead.
func reflows(environ []string) bool {
	get := func(name string) string {
		for _, kv := range environ {
			if v, ok := strings.CutPrefix(kv, name+"="); ok {
				return v
			}
		}
		return ""
	}
	term := get("TERM")
	switch {
	case get("TMUX") != "":
		return true
	case get("XTERM_VERSION") != "", term == "linux", strings.HasPrefix(term, "rxvt"):
		return false
	}
	return true
}
