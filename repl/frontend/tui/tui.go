package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/frontend"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"golang.org/x/term"

	"github.com/safesql/safesql/repl/frontend/line"
	"github.com/safesql/safesql/repl/frontend/syntax"
	"github.com/safesql/safesql/theme"
)

// Config is what the TUI needs.
type Config struct {
	In      io.Reader // the keyboard: a terminal
	Out     io.Writer // where the editor draws: a terminal (standard error)
	Environ []string  // TERM and friends, for the renderer
	Theme   *theme.Theme
	// History and Completer are shared with the line editor; nil: none.
	History   *line.History
	Completer *line.Completer
	// Now is the clock of the status line (tests); nil: time.Now.
	Now func() time.Time
	// Width and Height are the size when the terminal cannot tell (tests).
	Width, Height int
	// Highlight turns on syntax highlighting of the input (and of its
	// echo in the scrollback). A theme without colours draws none.
	Highlight bool
}

// TUI is the Bubble Tea front end: a frontend.LineReader and a frontend.Confirmer.
type TUI struct {
	cfg  Config
	hist *line.History
	// paint highlights the SQL being typed (disabled when Highlight is off).
	paint *syntax.Painter
	// typeahead holds keys that arrived after an entry was submitted,
	// replayed into the next program.
	typeahead []tea.Msg
	// info is the session as the last ReadLine showed it: the frame of a
	// confirmation carries it.
	info theme.Info
	// rows measures the editors' soft-wrapped rows, one editor at a time.
	rows *rowMeasure
}

var (
	_ frontend.LineReader = (*TUI)(nil)
	_ frontend.Confirmer  = (*TUI)(nil)
)

// New prepares the front end; nothing is drawn until ReadLine.
func New(cfg Config) (*TUI, error) {
	if cfg.In == nil || cfg.Out == nil {
		return nil, errors.New("tui: no terminal to read from or draw on")
	}
	if cfg.Theme == nil {
		cfg.Theme = theme.Plain()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	hist := cfg.History
	if hist == nil {
		hist = line.NewHistory()
	}
	return &TUI{cfg: cfg, hist: hist, paint: syntax.NewPainter(cfg.Theme, cfg.Highlight, syntax.Options{}),
		rows: new(rowMeasure)}, nil
}

// ender is a model whose input ends in order (handover).
type ender interface {
	setEndInput(func())
	programEnded()
}

func (h *handover) setEndInput(f func()) { h.endInput = f }

// run runs one inline program until the model is done. The program reads
// the terminal through a lease (keyboard_unix.go), so no key typed while
// one program hands over to the next is lost.
// With fresh, keys typed before the program started are dropped.
func (t *TUI) run(ctx context.Context, m tea.Model, fresh bool) (tea.Model, error) {
	if err := ctx.Err(); err != nil {
		return m, err
	}
	in, err := openLease(t.cfg.In, fresh)
	if err != nil {
		return m, err
	}
	defer in.close()
	if e, ok := m.(ender); ok && in.ordered() {
		e.setEndInput(in.finish)
	}
	if e, ok := m.(ender); ok {
		defer e.programEnded()
	}
	reflow := reflows(t.cfg.Environ)
	profile := t.cfg.Theme.Profile()
	if !t.cfg.Theme.Colorful() {
		profile = colorprofile.Ascii
	}
	opts := []tea.ProgramOption{
		tea.WithContext(ctx),
		tea.WithInput(in),
		tea.WithOutput(t.cfg.Out),
		tea.WithEnvironment(t.cfg.Environ),
		tea.WithColorProfile(profile),
		// The shell's own signal handling stays in charge (SIGTERM and
		// SIGHUP end the session through ctx; SIGINT is a key here).
		tea.WithoutSignalHandler(),
		tea.WithoutCatchPanics(),
		// Ctrl-Z: the terminal gets its own mode back while stopped.
		tea.WithFilter(func(m tea.Model, msg tea.Msg) tea.Msg {
			switch msg := msg.(type) {
			case tea.SuspendMsg:
				in.suspend()
			case tea.WindowSizeMsg:
				// Before the renderer hears of it (reflow.go).
				if r, ok := m.(reflower); ok && reflow {
					if n := r.drawnShape().reflowRows(msg.Width); n > 0 {
						fmt.Fprint(t.cfg.Out, cursorUp(n))
					}
				}
			}
			return msg
		}),
	}
	if t.cfg.Width > 0 && t.cfg.Height > 0 {
		opts = append(opts, tea.WithWindowSize(t.cfg.Width, t.cfg.Height))
	}
	p := tea.NewProgram(m, opts...)
	final, err := p.Run()
	if ctx.Err() != nil {
		return final, ctx.Err()
	}
	if err != nil {
		return final, fmt.Errorf("run the terminal editor: %w", err)
	}
	return final, nil
}

// runEditor gives the editor the keys typed ahead, then (unless they
// finished it) runs its program.
func (t *TUI) runEditor(ctx context.Context, m *editor) (*editor, error) {
	finished, rest := replay(m, &m.handover, func() bool { return m.done }, t.typeahead)
	t.typeahead = nil
	if finished {
		t.typeahead = rest
		return m, nil
	}
	final, err := t.run(ctx, m, false)
	if err != nil {
		return nil, err
	}
	e, ok := final.(*editor)
	if !ok {
		return nil, errors.New("tui: the editor ended in an unknown state")
	}
	t.typeahead = e.typeahead
	return e, nil
}

// runConfirm runs a confirmation's program. It answers only to keys
// typed once it is on the screen: keys typed ahead (here or still in the
// terminal) are dropped, so a word typed before the question was asked,
// or a statement typed ahead, never answers it.
func (t *TUI) runConfirm(ctx context.Context, m *confirm) (*confirm, error) {
	t.typeahead = nil
	final, err := t.run(ctx, m, true)
	if err != nil {
		return nil, err
	}
	c, ok := final.(*confirm)
	if !ok {
		return nil, errors.New("tui: the confirmation ended in an unknown state")
	}
	t.typeahead = c.typeahead
	return c, nil
}

// size is the window's size before the first frame is drawn: Bubble
// Tea says it only after, and a first frame drawn at the default 80
// columns in a wider window was left in the scrollback. Config's size
// when set; else the terminal's; else 0 (the defaults).
func (t *TUI) size() (width, height int) {
	if t.cfg.Width > 0 && t.cfg.Height > 0 {
		return t.cfg.Width, t.cfg.Height
	}
	for _, end := range []any{t.cfg.Out, t.cfg.In} {
		if f, ok := end.(interface{ Fd() uintptr }); ok {
			if w, h, err := term.GetSize(int(f.Fd())); err == nil && w > 0 && h > 0 {
				return w, h
			}
		}
	}
	return 0, 0
}

// ReadLine shows the framed editor and returns one complete entry.
func (t *TUI) ReadLine(ctx context.Context, st frontend.State) (string, error) {
	t.info = st.PromptInfo()
	w, h := t.size()
	m := newEditor(editorConfig{
		theme: t.cfg.Theme, state: st, now: t.cfg.Now(),
		history: t.hist.Entries(), completer: t.cfg.Completer,
		width: w, height: h, painter: t.paint, rows: t.rows,
		clock: time.Now, tick: t.cfg.Now,
	})
	e, err := t.runEditor(ctx, m)
	if err != nil {
		return "", err
	}
	fmt.Fprint(t.cfg.Out, cursorUp(e.cursorY)+e.echo())
	if e.err != nil {
		return "", e.err
	}
	return e.result, nil
}

// AddHistory records a run entry (secrets left out).
func (t *TUI) AddHistory(entry string) error { return t.hist.Add(entry) }

// Close has nothing to release: each program gives the terminal back.
func (t *TUI) Close() error { return nil }

// Confirm shows the confirmation view and returns the answer.
func (t *TUI) Confirm(ctx context.Context, req frontend.ConfirmRequest) (frontend.Answer, error) {
	info := t.info
	if req.Tier != "" && req.Tier != info.Tier {
		info = theme.Info{Tier: req.Tier, Label: strings.ToUpper(req.Env)}
	}
	w, h := t.size()
	m := newConfirm(t.cfg.Theme, req, info, w, h)
	c, err := t.runConfirm(ctx, m)
	if err != nil {
		return line.Decide(req, "", false), err
	}
	fmt.Fprint(t.cfg.Out, cursorUp(c.cursorY)+c.echo())
	return c.answer(), nil
}

// promptLines is the entry as psql leaves it in the scrollback: the
// prompt, then "->" prompts on the lines that follow; the text
// highlighted by p (which keeps each line's styles on that line).
func promptLines(th *theme.Theme, p *syntax.Painter, info theme.Info, text string) string {
	var b strings.Builder
	for i, l := range strings.Split(p.Paint(text), "\n") {
		var cont rune
		if i > 0 {
			cont = '-'
		}
		b.WriteString(th.Prompt(info, cont) + l + "\n")
	}
	return b.String()
}

// finalView is the last view of a program: blank rows down to the row
// the cursor was on. The renderer erases from its first row (as long as
// the view still reaches the cursor's row: a shorter one makes it lose
// track of where it is and leave the frame's top rows behind) and leaves
// the cursor on the last row; cursorUp then takes it back to the first,
// where the echo goes.
func finalView(cursorY int) tea.View {
	return tea.NewView(strings.Repeat("\n", max(cursorY, 0)))
}

// cursorUp moves the cursor up n rows (CUU, which vt100 has).
func cursorUp(n int) string {
	if n <= 0 {
		return ""
	}
	return "\x1b[" + strconv.Itoa(n) + "A\r"
}

// clearScreen is Ctrl-L: the terminal's screen is cleared and the cursor
// taken home (an inline program's tea.ClearScreen clears only its own
// rows), then the renderer draws its view again from there.
func clearScreen() tea.Cmd {
	return tea.Sequence(tea.Raw("\x1b[H\x1b[2J"), tea.ClearScreen)
}
