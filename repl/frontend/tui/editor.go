package tui

import (
	"io"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/frontend"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/analyze/split"
	"github.com/safesql/safesql/repl/frontend/line"
	"github.com/safesql/safesql/repl/frontend/syntax"
	"github.com/safesql/safesql/theme"
)

// Sizes when the terminal does not say.
const (
	defaultWidth  = 80
	defaultHeight = 24
	// maxCandidates is how many completion candidates are listed.
	maxCandidates = 24
)

type editorConfig struct {
	theme         *theme.Theme
	state         frontend.State
	now           time.Time
	history       []string
	completer     *line.Completer
	width, height int
	// painter highlights the SQL; nil or disabled: no highlighting.
	painter *syntax.Painter
	// rows is shared by a TUI's editors; nil: the editor has its own.
	rows *rowMeasure
	// clock, when set, lets keys that come faster than a frame be
	// gathered and applied together (typing.go); nil: each key at once.
	clock func() time.Time
	// tick, when set, is the clock of a status line that ticks each
	// second while a transaction is open (its age, the long-transaction
	// warning, the server's idle timeout); nil: it shows now only.
	tick func() time.Time
}

// tickMsg redraws the status line of an open transaction.
type tickMsg struct{}

// editor is the model of one ReadLine.
type editor struct {
	th    *theme.Theme
	st    frontend.State
	info  theme.Info
	now   time.Time
	comp  *line.Completer
	tick  func() time.Time
	width int
	high  int
	ta    textarea.Model

	paint    *syntax.Painter
	kinds    []syntax.Kind // the syntax kind of each rune of kindsFor
	kindsFor string

	rows *rowMeasure // the rows each logical line is drawn on

	hist    []string
	histPos int // len(hist): the draft
	draft   string

	// recalled: the buffer came from history; its verdict is shown.
	recalled    bool
	verdictFor  string
	verdictText string
	verdictLoud bool // destructive (else: incomplete, or does not parse)

	searching    bool
	query        string
	searchPos    int // index of the current match, or len(hist)
	searchFailed bool
	beforeSearch string

	cands []string // completion candidates listed under the frame

	done    bool
	cursorY int        // the cursor's row in the last view drawn
	shape   drawnFrame // the last view drawn, for a reflow (reflow.go)
	result  string
	err     error
	handover
	typing
}

func newEditor(cfg editorConfig) *editor {
	th := cfg.theme
	if th == nil {
		th = theme.Plain()
	}
	e := &editor{
		th: th, st: cfg.state, info: cfg.state.PromptInfo(), now: cfg.now,
		comp: cfg.completer, hist: cfg.history, histPos: len(cfg.history),
		width: cfg.width, high: cfg.height, paint: cfg.painter, rows: cfg.rows,
		typing: typing{clock: cfg.clock}, tick: cfg.tick,
	}
	if e.st.IdleSince.IsZero() {
		e.st.IdleSince = cfg.now // the prompt shows when the last statement ended
	}
	if e.rows == nil {
		e.rows = new(rowMeasure)
	}
	if e.width <= 0 {
		e.width = defaultWidth
	}
	if e.high <= 0 {
		e.high = defaultHeight
	}
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Placeholder = ""
	ta.CharLimit = 0
	ta.MaxWidth = 0
	ta.DynamicHeight = true
	ta.MinHeight = 1
	ta.MaxContentHeight = 100000
	ta.SetVirtualCursor(false)
	plain := lipgloss.NewStyle()
	state := textarea.StyleState{Base: plain, Text: plain, CursorLine: plain, Prompt: plain, EndOfBuffer: plain, Placeholder: th.Muted}
	ta.SetStyles(textarea.Styles{Focused: state, Blurred: state, Cursor: textarea.CursorStyle{Shape: tea.CursorBar}})
	// Alt-Enter always inserts a newline; Enter is decided in Update.
	// Ctrl-J is Enter, as in readline: it is also what an Enter typed
	// ahead becomes while no program reads the terminal (the cooked tty
	// turns CR into LF), and it must then run the statement.
	ta.KeyMap.InsertNewline.SetKeys("alt+enter")
	// Up and down at the buffer's edges walk the history (Update).
	ta.Focus()
	e.ta = ta
	e.layout()
	return e
}

// Init runs what the keys typed ahead asked for; the editor then waits
// for keys.
func (e *editor) Init() tea.Cmd { return tea.Batch(e.first, e.nextTick()) }

// nextTick is the command that redraws the status line at the next
// second of the open transaction's age; nil when nothing ticks (no
// transaction: nothing changes, no CPU is spent).
func (e *editor) nextTick() tea.Cmd {
	if e.tick == nil || (e.st.Tx != frontend.TxOpen && e.st.Tx != frontend.TxFailed) {
		return nil
	}
	d := time.Second
	if !e.st.TxSince.IsZero() {
		d -= e.now.Sub(e.st.TxSince) % time.Second
	}
	return e.wait(d, tickMsg{})
}

// framed reports whether there is room for the frame and status line.
func (e *editor) framed() bool { return e.width >= 24 && e.high >= 6 }

// innerWidth is the width the textarea gets.
func (e *editor) innerWidth() int {
	if e.framed() {
		return e.width - 4
	}
	return e.width
}

// prompt is the prompt for a line (cont '-' after the first), shortened
// when it would take more than half the editor's width.
func (e *editor) prompt(cont rune) string {
	p := e.th.Prompt(e.info, cont)
	room := e.innerWidth() / 2
	if lipgloss.Width(p) <= room {
		return p
	}
	short := e.info
	short.User, short.Database = "", ""
	if p = e.th.Prompt(short, cont); lipgloss.Width(p) <= room {
		return p
	}
	if cont != 0 {
		return "-> "
	}
	return "=> "
}

// layout sizes the textarea for the window.
func (e *editor) layout() {
	first, next := e.prompt(e.firstCont()), e.prompt('-')
	pw := max(lipgloss.Width(first), lipgloss.Width(next))
	e.ta.SetPromptFunc(pw, func(pi textarea.PromptInfo) string {
		if pi.LineNumber == 0 {
			return first
		}
		return next
	})
	extra := 0
	if e.framed() {
		extra = 3 // the frame's two lines and the status line
	}
	extra += e.extraLines()
	e.ta.MaxHeight = max(1, e.high-extra-1)
	e.ta.SetWidth(e.innerWidth())
	// As tall as the rows the text is drawn on, soft-wrapped ones
	// included; past MaxHeight the textarea scrolls. Should the rows not
	// be known, the height the textarea gave itself (DynamicHeight) stays.
	if rows, ok := e.contentRows(); ok {
		e.ta.SetHeight(rows)
	}
}

// extraLines is how many lines below the frame are in use.
func (e *editor) extraLines() int {
	n := 0
	if e.searching {
		n++
	}
	n += len(e.noteLines())
	if len(e.cands) > 0 {
		n += len(e.candidateLines())
	}
	return n
}

// Update handles keys, paste and resizes. Keys that come fast are
// gathered and applied together (typing.go), before any other message.
func (e *editor) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if e.done {
		return e, e.after(msg)
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && e.gather(k) {
		return e, e.flushCmd()
	}
	if _, ok := msg.(flushMsg); ok {
		e.flushDue = false
		return e, e.flush()
	}
	if len(e.pending) > 0 {
		cmd := e.flush()
		if e.done {
			return e, tea.Batch(cmd, e.after(msg))
		}
	}
	return e.update(msg)
}

func (e *editor) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tickMsg:
		e.now = e.tick()
		return e, e.nextTick()
	case tea.WindowSizeMsg:
		e.width, e.high = max(msg.Width, 1), max(msg.Height, 1)
		e.layout()
		return e, nil
	case tea.KeyPressMsg:
		if e.searching {
			return e.searchKey(msg)
		}
		return e.key(msg)
	case tea.PasteMsg:
		// A paste never runs: Enter does.
		e.cands = nil
		return e.forward(msg)
	}
	return e.forward(msg)
}

func (e *editor) forward(msg tea.Msg) (tea.Model, tea.Cmd) {
	before := e.ta.Value()
	var cmd tea.Cmd
	e.ta, cmd = e.ta.Update(msg)
	if e.ta.Value() != before {
		e.cands = nil
		e.updateVerdict()
	}
	e.layout()
	return e, cmd
}

func (e *editor) finish(result string, err error) (tea.Model, tea.Cmd) {
	e.done, e.result, e.err = true, result, err
	return e, e.end()
}

func (e *editor) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "ctrl+c":
		return e.finish("", frontend.ErrInterrupt)
	case "ctrl+d":
		if e.ta.Value() == "" {
			return e.finish("", io.EOF)
		}
	case "ctrl+z":
		return e, tea.Suspend
	case "ctrl+l":
		// As in readline and psql: clear the screen, draw the frame at
		// its top.
		return e, clearScreen()
	case "enter", "ctrl+j":
		v := e.ta.Value()
		if strings.TrimSpace(v) == "" {
			e.ta.Reset()
			return e, nil
		}
		if line.Complete(v) {
			return e.finish(v, nil)
		}
		e.ta.InsertString("\n") // psql's "->" continuation
		e.cands = nil
		e.layout()
		return e, nil
	case "tab":
		e.complete()
		e.layout()
		return e, nil
	case "esc":
		e.cands = nil
		e.layout()
		return e, nil
	case "up", "ctrl+p":
		if e.ta.Line() == 0 {
			e.recall(-1)
			return e, nil
		}
	case "down", "ctrl+n":
		if e.ta.Line() == e.ta.LineCount()-1 {
			e.recall(+1)
			return e, nil
		}
	case "ctrl+r":
		e.searching, e.query, e.searchPos, e.searchFailed = true, "", len(e.hist), false
		e.beforeSearch = e.ta.Value()
		e.cands = nil
		e.layout()
		return e, nil
	}
	return e.forward(msg)
}

// recall moves through the history by dir (-1 older, +1 newer).
func (e *editor) recall(dir int) {
	next := e.histPos + dir
	if next < 0 || next > len(e.hist) {
		return
	}
	if e.histPos == len(e.hist) {
		e.draft = e.ta.Value()
	}
	e.histPos = next
	if next == len(e.hist) {
		e.setValue(e.draft, false)
		return
	}
	e.setValue(e.hist[next], true)
	if dir > 0 {
		// Moving down starts at the top of the entry, so that up goes on.
		e.ta.MoveToBegin()
	}
}

func (e *editor) setValue(v string, recalled bool) {
	e.ta.SetValue(v)
	e.recalled = recalled
	e.cands = nil
	e.updateVerdict()
	e.layout()
}

// updateVerdict classifies a recalled buffer: a destructive statement
// from history is shown as such before it can be run.
func (e *editor) updateVerdict() {
	if !e.recalled {
		e.verdictText = ""
		return
	}
	v := e.ta.Value()
	if v == e.verdictFor {
		return
	}
	e.verdictFor = v
	e.verdictText, e.verdictLoud = recallNote(v)
}

// noteLines are the recalled entry's note, wrapped to the width.
func (e *editor) noteLines() []string {
	if !e.recalled || e.verdictText == "" {
		return nil
	}
	note, style := e.verdictText, e.th.Warning
	if e.verdictLoud {
		note, style = "⚠ "+note, e.th.Destructive
	}
	rows := wrapLine(note, e.width)
	for i, r := range rows {
		rows[i] = style.Render(r)
	}
	return rows
}

// recallNote says what a recalled entry is when it needs saying: loud
// for a destructive statement; plainly for one that is incomplete (it
// ends before its ';', or the parser ran out of input) or does not
// parse. "" when nothing needs saying.
func recallNote(text string) (note string, loud bool) {
	for _, it := range split.Split(text) {
		if it.Kind != split.Statement || strings.TrimSpace(it.SQL) == "" {
			continue
		}
		if !it.Complete {
			if note == "" {
				note = "incomplete statement recalled from history: Enter goes on with it"
			}
			continue
		}
		v := analyze.Classify(it.SQL)
		if v.Class != analyze.Destructive {
			continue
		}
		var why string
		if len(v.Reasons) > 0 {
			why = v.Reasons[0]
		}
		if parse, ok := strings.CutPrefix(why, "cannot parse: "); ok {
			// The analyzer fails closed on what it cannot parse; the
			// server will not run it either: it is not destructive.
			if note == "" {
				note = "statement recalled from history does not parse: " + parse
				if strings.Contains(parse, "at end of input") {
					note = "incomplete statement recalled from history: " + parse
				}
			}
			continue
		}
		note = "DESTRUCTIVE statement recalled from history"
		if why != "" {
			note += ": " + why
		}
		return note, true
	}
	return note, false
}

func (e *editor) searchKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "ctrl+r":
		if e.searchPos > 0 {
			e.search(e.searchPos - 1)
		}
	case "backspace", "ctrl+h":
		if r := []rune(e.query); len(r) > 0 {
			e.query = string(r[:len(r)-1])
			e.search(len(e.hist) - 1)
		}
	case "esc", "ctrl+g":
		e.searching = false
		e.setValue(e.beforeSearch, false)
		e.histPos = len(e.hist)
	case "ctrl+c":
		e.searching = false
		return e.finish("", frontend.ErrInterrupt)
	case "enter", "ctrl+j":
		// The match goes to the editor; Enter again runs it.
		e.searching = false
		e.layout()
	default:
		if msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt) == 0 {
			e.query += msg.Text
			e.search(min(e.searchPos, len(e.hist)-1))
			return e, nil
		}
		// Any other key takes the match and does its own work.
		e.searching = false
		e.layout()
		return e.key(msg)
	}
	return e, nil
}

// search finds the newest entry at or before from that contains the query.
func (e *editor) search(from int) {
	q := strings.ToLower(e.query)
	for i := from; i >= 0 && i < len(e.hist); i-- {
		if q == "" || strings.Contains(strings.ToLower(e.hist[i]), q) {
			e.searchPos, e.searchFailed = i, false
			e.histPos = i
			e.setValue(e.hist[i], true)
			return
		}
	}
	e.searchFailed = true
	e.layout()
}

// complete completes the word before the cursor: the only candidate, or
// the candidates' common prefix with the list shown.
func (e *editor) complete() {
	e.cands = nil
	if e.comp == nil {
		return
	}
	cur := e.ta.Line()
	lines := strings.Split(e.ta.Value(), "\n")
	if cur >= len(lines) {
		return
	}
	row := []rune(lines[cur])
	col := min(e.ta.Column(), len(row))
	// Candidates for columns look at the whole entry.
	before := strings.Join(lines[:cur], "\n")
	if before != "" {
		before += "\n"
	}
	full := []rune(before + string(row))
	pos := len([]rune(before)) + col
	cands, start := e.comp.Complete(full, pos)
	if len(cands) == 0 {
		return
	}
	word := string(full[start:pos])
	insert := line.CommonPrefix(cands)
	if len(cands) == 1 {
		insert = cands[0]
		if !strings.HasPrefix(insert, `\`) {
			insert += " "
		}
	} else {
		e.cands = cands
	}
	if r := []rune(insert); len(r) > len([]rune(word)) {
		e.ta.InsertString(string(r[len([]rune(word)):]))
	}
}

func (e *editor) candidateLines() []string {
	if len(e.cands) == 0 {
		return nil
	}
	cands := e.cands
	more := 0
	if len(cands) > maxCandidates {
		more = len(cands) - maxCandidates
		cands = cands[:maxCandidates]
	}
	var rows []string
	var cur strings.Builder
	for _, c := range cands {
		if cur.Len() > 0 && lipgloss.Width(cur.String())+2+lipgloss.Width(c) > e.width {
			rows = append(rows, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteString("  ")
		}
		cur.WriteString(c)
	}
	if more > 0 {
		s := "… " + itoa(more) + " more"
		if lipgloss.Width(cur.String())+2+len(s) > e.width {
			rows = append(rows, cur.String())
			cur.Reset()
		} else {
			cur.WriteString("  ")
		}
		cur.WriteString(s)
	}
	rows = append(rows, cur.String())
	if limit := max(1, e.high/3); len(rows) > limit {
		rows = rows[:limit]
	}
	for i, r := range rows {
		rows[i] = e.th.Muted.Render(truncate(r, e.width))
	}
	return rows
}

// View draws the frame, the editor, the status line and what goes below.
// While keys are gathered, the view drawn before them stays.
func (e *editor) View() tea.View {
	if e.done {
		return finalView(e.cursorY)
	}
	if len(e.pending) > 0 && e.drawnOK {
		return e.drawn
	}
	v := e.view()
	e.drawn, e.drawnOK = v, true
	if e.clock != nil {
		// A key that comes right after a long draw was waiting for it.
		e.lastKey = e.clock()
	}
	return v
}

func (e *editor) view() tea.View {
	body := e.highlighted(e.ta.View())
	var out []string
	x, y := 0, 0
	if e.framed() {
		out = append(out, strings.Split(e.th.Frame(e.info, body, e.width), "\n")...)
		out = append(out, e.statusLine())
		x, y = 2, 1
	} else {
		if e.width >= 8 {
			out = append(out, e.th.StatusLine(e.info, e.width))
			y = 1
		}
		out = append(out, strings.Split(body, "\n")...)
	}
	out = append(out, e.noteLines()...)
	if e.searching {
		label := "(reverse-i-search)"
		if e.searchFailed {
			label = "(failed reverse-i-search)"
		}
		out = append(out, truncate(label+"`"+e.query+"': ", e.width))
	}
	out = append(out, e.candidateLines()...)
	v := tea.NewView(strings.Join(out, "\n"))
	if c := e.ta.Cursor(); c != nil {
		c.X += x
		c.Y += y
		v.Cursor = c
		e.cursorY = c.Y
		e.shape = drawnAt(out, c.X, c.Y)
	}
	return v
}

// echo is what stays in the scrollback: the entry after its prompts, or
// psql's "\q" for Ctrl-D.
func (e *editor) echo() string {
	switch {
	case e.err == io.EOF:
		return e.th.Prompt(e.info, 0) + "\\q\n"
	case e.err != nil:
		if v := e.ta.Value(); strings.TrimSpace(v) != "" {
			return strings.TrimSuffix(promptLines(e.th, e.paint, e.info, v), "\n") + " ^C\n"
		}
		return ""
	}
	return promptLines(e.th, e.paint, e.info, e.result)
}

func truncate(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	if width <= 1 {
		return ""
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// firstCont is the first line's prompt mark: psql's continuation when the
// query buffer holds text from an earlier entry.
func (e *editor) firstCont() rune {
	if e.st.Buffered {
		return '-'
	}
	return 0
}
