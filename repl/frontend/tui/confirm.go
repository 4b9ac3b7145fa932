package tui

import (
	"fmt"
	"strings"

	"github.com/safesql/safesql/repl/frontend"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/safesql/safesql/repl/frontend/line"
	"github.com/safesql/safesql/theme"
)

// confirm is the model of one Confirm: the statement, the reasons (loud
// ones on top), the impact, and the input that must receive the word.
type confirm struct {
	th    *theme.Theme
	req   frontend.ConfirmRequest
	info  theme.Info
	width int
	high  int

	typed    []rune
	done     bool
	cursorY  int        // the cursor's row in the last view drawn
	shape    drawnFrame // the last view drawn, for a reflow (reflow.go)
	answered bool       // Enter (not Esc, Ctrl-C or Ctrl-D)
	how      string     // "^C", "Esc", "^D" when not answered

	// scroll is the first row of the scrolled part shown; page its
	// rows; scrollable the largest scroll (0: everything fits).
	scroll, page, scrollable int

	handover
}

func newConfirm(th *theme.Theme, req frontend.ConfirmRequest, info theme.Info, width, height int) *confirm {
	if th == nil {
		th = theme.Plain()
	}
	if width <= 0 {
		width = defaultWidth
	}
	if height <= 0 {
		height = defaultHeight
	}
	return &confirm{th: th, req: req, info: info, width: width, high: height}
}

// Init runs what the keys typed ahead asked for.
func (c *confirm) Init() tea.Cmd { return c.first }

func (c *confirm) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if c.done {
		return c, c.after(msg)
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		c.width, c.high = max(msg.Width, 1), max(msg.Height, 1)
	case tea.PasteMsg:
		// The word is typed, not pasted: a paste could carry a newline
		// and answer for the person.
	case tea.KeyPressMsg:
		switch msg.String() {
		case "ctrl+c":
			c.done, c.how = true, "^C"
			return c, c.end()
		case "esc":
			c.done, c.how = true, "Esc"
			return c, c.end()
		case "ctrl+d":
			if len(c.typed) == 0 {
				c.done, c.how = true, "^D"
				return c, c.end()
			}
		case "enter", "ctrl+j":
			c.done, c.answered = true, true
			return c, c.end()
		case "backspace", "ctrl+h":
			if len(c.typed) > 0 {
				c.typed = c.typed[:len(c.typed)-1]
			}
		case "ctrl+u":
			c.typed = nil
		case "ctrl+l":
			return c, clearScreen()
		case "pgdown":
			c.scrollBy(max(c.page-1, 1))
		case "pgup":
			c.scrollBy(-max(c.page-1, 1))
		case "down":
			c.scrollBy(1)
		case "up":
			c.scrollBy(-1)
		default:
			if msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt) == 0 && len(c.typed) < 200 {
				c.typed = append(c.typed, []rune(msg.Text)...)
			}
		}
	}
	return c, nil
}

// scrollBy moves the scrolled part by n rows, within its bounds (as the
// last view drew it).
func (c *confirm) scrollBy(n int) { c.scroll = min(max(c.scroll+n, 0), c.scrollable) }

func (c *confirm) answer() frontend.Answer { return line.Decide(c.req, string(c.typed), c.answered) }

// wrapLine wraps one styled line to width columns at spaces (a word
// longer than the width is broken), its continuation rows indented as
// the line is (up to half the width): nothing is ever cut.
func wrapLine(l string, width int) []string {
	width = max(width, 1)
	if lipgloss.Width(l) <= width {
		return []string{l}
	}
	indent := 0
	for indent < len(l) && l[indent] == ' ' {
		indent++
	}
	if indent > width/2 {
		indent = 0
	}
	pad := strings.Repeat(" ", indent)
	rows := strings.Split(lipgloss.Wrap(l[indent:], width-indent, ""), "\n")
	for i, r := range rows {
		rows[i] = pad + strings.TrimRight(r, " ")
	}
	return rows
}

// wrapLines wraps each line (wrapLine).
func wrapLines(lines []string, width int) []string {
	var out []string
	for _, l := range lines {
		out = append(out, wrapLine(l, width)...)
	}
	return out
}

// bodyLines fits the request into rows lines of width columns. Nothing
// is cut: every line is wrapped. When all of it fits: the title, the
// statement, the reasons, the impact, a blank line and the question.
// When it does not: the title and the loud reason stay on top, the rest
// scrolls (PgUp/PgDn) in the rows left above a line that says where the
// view is, and the question stays at the bottom.
func (c *confirm) bodyLines(rows, width int) []string {
	rows = max(rows, 1)
	full := frontend.RequestLines(c.th, c.req, 0)
	q := c.question(width)
	all := wrapLines(full, width)
	c.scrollable = 0
	if len(all)+2 <= rows {
		c.scroll = 0
		return append(all, "", q)
	}
	if len(all)+1 <= rows {
		c.scroll = 0
		return append(all, q)
	}
	// Pinned on top: the title and the loud reason.
	var pinned, rest []string
	stmt := 0
	if s := strings.TrimSpace(c.req.Statement); s != "" {
		stmt = len(strings.Split(s, "\n"))
	}
	at := 0
	if c.req.Title != "" {
		pinned = append(pinned, full[0])
		at = 1
	}
	rest = append(rest, full[at:at+stmt]...)
	reasons := full[at+stmt : at+stmt+len(c.req.Reasons)]
	if c.req.Loud && len(reasons) > 0 {
		pinned = append(pinned, reasons[0])
		reasons = reasons[1:]
	}
	rest = append(rest, reasons...)
	rest = append(rest, full[at+stmt+len(c.req.Reasons):]...)
	top, body := wrapLines(pinned, width), wrapLines(rest, width)
	// The question and the scroll line, then at least one row of the
	// scrolled part; the pinned lines give way on a tiny screen.
	room := rows - 2
	if len(top) > room-1 && len(pinned) == 2 {
		// A tiny screen: the loud reason stays, the title scrolls.
		top, body = wrapLine(pinned[1], width), append(wrapLine(pinned[0], width), body...)
	}
	if len(top) > room-1 {
		top = top[:max(room-1, 0)]
	}
	window := max(room-len(top), 1)
	maxScroll := max(len(body)-window, 0)
	c.scroll = min(max(c.scroll, 0), maxScroll)
	c.page, c.scrollable = window, maxScroll
	end := min(c.scroll+window, len(body))
	out := append(append([]string{}, top...), body[c.scroll:end]...)
	return append(out, c.scrollLine(c.scroll, end, len(body), width), q)
}

// scrollLine says which rows of the scrolled part are shown and how to
// see the others.
func (c *confirm) scrollLine(from, to, n, width int) string {
	var keys []string
	if from > 0 {
		keys = append(keys, "PgUp")
	}
	if to < n {
		keys = append(keys, "PgDn")
	}
	texts := []string{
		fmt.Sprintf("── lines %d-%d of %d · %s for more ──", from+1, to, n, strings.Join(keys, "/")),
		fmt.Sprintf("%d-%d of %d · %s", from+1, to, n, strings.Join(keys, "/")),
		strings.Join(keys, "/"),
	}
	if to < n {
		texts = append([]string{fmt.Sprintf("── %d more lines below · %s ──", n-to, strings.Join(keys, "/"))}, texts...)
	}
	for _, t := range texts {
		if lipgloss.Width(t) <= width {
			return c.th.Muted.Render(t)
		}
	}
	return c.th.Muted.Render(truncate(texts[len(texts)-1], width))
}

// question is the question and the typed text; at narrow widths the
// question shrinks so that the word stays in sight.
func (c *confirm) question(width int) string {
	typed := string(c.typed)
	q := strings.TrimRight(line.Question(c.req), " ")
	if (c.req.Kind == frontend.AskWord || c.req.Kind == frontend.AskCount) && c.req.Word != "" {
		for _, alt := range []string{q, "Type " + c.req.Word + ":", c.req.Word + "?"} {
			q = alt
			if lipgloss.Width(q)+1+len(c.typed) < width {
				break
			}
		}
	}
	return c.th.Emphasis.Render(q) + " " + typed
}

func (c *confirm) framed() bool { return c.width >= 24 && c.high >= 6 }

// View draws the confirmation; the cursor waits after the typed word.
func (c *confirm) View() tea.View {
	if c.done {
		return finalView(c.cursorY)
	}
	var out []string
	if c.framed() {
		body := c.bodyLines(c.high-3, c.width-4)
		for i, l := range body {
			body[i] = truncate(l, c.width-4)
		}
		out = strings.Split(c.th.Frame(c.info, strings.Join(body, "\n"), c.width), "\n")
	} else {
		out = c.bodyLines(max(c.high-1, 1), c.width)
		for i, l := range out {
			out[i] = truncate(l, c.width)
		}
	}
	v := tea.NewView(strings.Join(out, "\n"))
	// The cursor: after the question, on the last body line.
	w := c.width
	if c.framed() {
		w -= 4
	}
	x := lipgloss.Width(c.question(w))
	y := len(out) - 1
	if c.framed() {
		x, y = x+2, len(out)-2
	}
	v.Cursor = tea.NewCursor(min(x, c.width-1), y)
	c.cursorY = y
	c.shape = drawnAt(out, min(x, c.width-1), y)
	v.Cursor.Shape = tea.CursorBar
	return v
}

// echo leaves the question and the answer in the scrollback, so that what
// was asked and answered stays there.
func (c *confirm) echo() string {
	var b strings.Builder
	b.WriteString(frontend.RenderRequest(c.th, c.req))
	b.WriteString(strings.TrimRight(line.Question(c.req), " ") + " " + string(c.typed))
	if !c.answered && c.how != "" {
		b.WriteString(" " + c.how)
	}
	b.WriteString("\n")
	return b.String()
}
