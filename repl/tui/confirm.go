package tui

import (
	"strings"

	"github.com/safesql/safesql/repl/frontend"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/safesql/safesql/repl/line"
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
	cursorY  int    // the cursor's row in the last view drawn
	answered bool   // Enter (not Esc, Ctrl-C or Ctrl-D)
	how      string // "^C", "Esc", "^D" when not answered

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
		default:
			if msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt) == 0 && len(c.typed) < 200 {
				c.typed = append(c.typed, []rune(msg.Text)...)
			}
		}
	}
	return c, nil
}

func (c *confirm) answer() frontend.Answer { return line.Decide(c.req, string(c.typed), c.answered) }

// bodyLines fits the request into rows lines of width columns: the
// title, the first (loudest) reason and the question always; then the
// statement's first line, the other reasons, the impact and the rest of
// the statement as room allows.
func (c *confirm) bodyLines(rows, width int) []string {
	full := line.RequestLines(c.th, c.req, 0)
	q := c.question(width)
	if len(full)+2 <= rows {
		return append(full, "", q)
	}
	var title, reasons, impact []string
	if c.req.Title != "" {
		title = full[:1]
	}
	stmt := strings.Split(strings.TrimSpace(c.req.Statement), "\n")
	if strings.TrimSpace(c.req.Statement) == "" {
		stmt = nil
	}
	at := len(title) + len(stmt)
	reasons = full[at : at+len(c.req.Reasons)]
	impact = full[at+len(c.req.Reasons):]

	room := rows - len(title) - 1 // the question
	take := func(list []string, n int) ([]string, int) {
		n = max(min(n, len(list)), 0)
		return list[:n], n
	}
	var keepReasons, keepImpact []string
	var n int
	keepReasons, n = take(reasons, min(1, room))
	room -= n
	stmtLines := 0
	if len(stmt) > 0 && room > 0 {
		stmtLines, room = 1, room-1
	}
	more, n := take(reasons[len(keepReasons):], room)
	keepReasons, room = append(keepReasons, more...), room-n
	if len(impact) > 0 && room > 0 {
		if len(impact) <= room {
			keepImpact, room = impact, room-len(impact)
		} else {
			keepImpact = append(append([]string{}, impact[:room-1]...), c.th.Muted.Render("  … "+itoa(len(impact)-room+1)+" more lines"))
			room = 0
		}
	}
	stmtLines += max(0, min(room, len(stmt)-1))
	var out []string
	out = append(out, title...)
	if stmtLines > 0 {
		if stmtLines < len(stmt) {
			shown := stmt[:max(stmtLines-1, 1)]
			for _, l := range shown {
				out = append(out, "  "+l)
			}
			if stmtLines > 1 {
				out = append(out, c.th.Muted.Render("  … "+itoa(len(stmt)-len(shown))+" more lines"))
			} else {
				out[len(out)-1] += c.th.Muted.Render(" …")
			}
		} else {
			for _, l := range stmt {
				out = append(out, "  "+l)
			}
		}
	}
	out = append(out, keepReasons...)
	out = append(out, keepImpact...)
	return append(out, q)
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
	v.Cursor.Shape = tea.CursorBar
	return v
}

// echo leaves the question and the answer in the scrollback, so that what
// was asked and answered stays there.
func (c *confirm) echo() string {
	var b strings.Builder
	b.WriteString(line.RenderRequest(c.th, c.req))
	b.WriteString(strings.TrimRight(line.Question(c.req), " ") + " " + string(c.typed))
	if !c.answered && c.how != "" {
		b.WriteString(" " + c.how)
	}
	b.WriteString("\n")
	return b.String()
}
