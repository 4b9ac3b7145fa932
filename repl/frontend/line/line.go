package line

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/chzyer/readline"

	"github.com/safesql/safesql/analyze/split"
	"github.com/safesql/safesql/repl/frontend/syntax"
	"github.com/safesql/safesql/theme"
)

// Config is what the line editor needs.
type Config struct {
	In  io.Reader // the keyboard
	Out io.Writer // where prompts and questions go (standard error)
	// InTTY, OutTTY: whether In and Out are terminals (readline edits only
	// on a terminal; otherwise lines are read as they come).
	InTTY, OutTTY bool
	Theme         *theme.Theme
	History       *History   // nil: in memory only
	Completer     *Completer // nil: no completion
	// Highlight turns on syntax highlighting of the line being edited
	// (on a terminal; a theme without colours draws none).
	Highlight bool
	// Width is the terminal's width in columns when the process's own
	// terminal cannot tell (tests); nil: readline asks it.
	Width func() int
}

// Reader is the readline front end: a frontend.LineReader and frontend.Confirmer.
type Reader struct {
	rl   *readline.Instance
	out  io.Writer
	th   *theme.Theme
	hist *History
	pt   *painter
	// in is the terminal as the editor reads it: a confirmation sets
	// aside what was typed before its question.
	in *typeahead
	// bracketed: the terminal is asked to bracket pastes while a line is
	// read (as GNU readline does), so that a paste is told from typing.
	bracketed bool
	// comp is suspended while a question is answered; nil: none.
	comp *Completer
}

var (
	_ frontend.LineReader = (*Reader)(nil)
	_ frontend.Confirmer  = (*Reader)(nil)
)

// New starts the line editor.
func New(cfg Config) (*Reader, error) {
	th := cfg.Theme
	if th == nil {
		th = theme.Plain()
	}
	hist := cfg.History
	if hist == nil {
		hist = NewHistory()
	}
	in := newTypeahead(cfg.In)
	filter := in.filter
	if cfg.InTTY && cfg.OutTTY {
		filter = clearOnCtrlL(cfg.Out, in.filter)
	}
	rc := &readline.Config{
		Stdin:                  io.NopCloser(in),
		Stdout:                 cfg.Out,
		Stderr:                 cfg.Out,
		InterruptPrompt:        "^C",
		EOFPrompt:              `\q`,
		DisableAutoSaveHistory: true,
		HistoryLimit:           HistorySize,
		FuncIsTerminal:         func() bool { return cfg.InTTY && cfg.OutTTY },
		// A burst of text typed ahead goes in at once (typeahead.go).
		FuncFilterInputRune: filter,
		Listener:            readline.FuncListener(in.insert),
	}
	if cfg.Completer != nil {
		rc.AutoComplete = cfg.Completer
	}
	if cfg.Width != nil {
		rc.FuncGetWidth = cfg.Width
	}
	pt := &painter{p: syntax.NewPainter(th, cfg.Highlight, syntax.Options{})}
	if pt.p.Enabled() {
		rc.Painter = pt
	}
	rl, err := readline.NewEx(rc)
	if err != nil {
		return nil, fmt.Errorf("start line editor: %w", err)
	}
	in.setEditing(func() bool {
		return rl.Operation.IsNormalMode() && !rl.Operation.IsInCompleteSelectMode()
	})
	for _, e := range hist.Entries() {
		// Multi-line entries come back on one line: readline edits one line.
		if err := rl.SaveHistory(oneLine(e)); err != nil {
			rl.Close()
			return nil, fmt.Errorf("load history: %w", err)
		}
	}
	return &Reader{rl: rl, out: cfg.Out, th: th, hist: hist, pt: pt, in: in, bracketed: cfg.InTTY && cfg.OutTTY, comp: cfg.Completer}, nil
}

// clearOnCtrlL clears the screen on Ctrl-L before readline sees the key:
// readline only moves the cursor home and redraws the prompt there,
// over what the screen showed.
func clearOnCtrlL(out io.Writer, next func(rune) (rune, bool)) func(rune) (rune, bool) {
	return func(r rune) (rune, bool) {
		if r == readline.CharCtrlL {
			fmt.Fprint(out, "\x1b[H\x1b[2J")
		}
		return next(r)
	}
}

func oneLine(e string) string { return strings.ReplaceAll(e, "\n", " ") }

// Complete reports whether text is ready to run: blank, or its last item
// is a backslash command or a statement ended by ';' (psql's rule; else
// the "->" continuation).
func Complete(text string) bool {
	items := split.Split(text)
	if len(items) == 0 {
		return true
	}
	last := items[len(items)-1]
	return !(last.Kind == split.Statement && !last.Complete && strings.TrimSpace(last.SQL) != "")
}

// readRaw reads one line with prompt, unblocking when ctx ends.
func (r *Reader) readRaw(ctx context.Context, prompt string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	stop := context.AfterFunc(ctx, func() { r.rl.Close() })
	defer stop()
	r.rl.SetPrompt(prompt)
	if r.bracketed {
		// Bracketed paste on for every line read (a program run since,
		// such as an editor, may have turned it off), until Close: a
		// paste is then told from typing, and the markers never reach
		// the editor (typeahead.arrive).
		fmt.Fprint(r.out, bracketOn)
	}
	l, err := r.rl.Readline()
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	return l, err
}

const (
	bracketOn  = "\x1b[?2004h"
	bracketOff = "\x1b[?2004l"
)

// ReadLine reads until an entry is complete. Each line is lexed once:
// the painter colours a line from the lexer's state after the lines
// before it, and a line that cannot end the statement (no ';' in plain
// SQL, no backslash) continues it without the whole entry split again,
// so that a long paste costs time in proportion to its size.
func (r *Reader) ReadLine(ctx context.Context, st frontend.State) (string, error) {
	var buf strings.Builder
	var lex syntax.State
	open := false // buf is a statement the next line continues
	for {
		var cont rune
		if buf.Len() > 0 || st.Buffered {
			cont = '-'
		}
		r.pt.set(true, lex.Prefix())
		l, err := r.readRaw(ctx, r.th.Prompt(st.PromptInfo(), cont))
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			return "", frontend.ErrInterrupt
		case errors.Is(err, io.EOF):
			return "", io.EOF
		case err != nil:
			return "", fmt.Errorf("read input: %w", err)
		}
		if buf.Len() > 0 {
			buf.WriteByte('\n')
		}
		buf.WriteString(l)
		next, semi := syntax.Scan(lex, l+"\n", syntax.Options{})
		lex = next
		if open && !semi && !strings.Contains(l, `\`) {
			continue
		}
		text := buf.String()
		if strings.TrimSpace(text) == "" {
			buf.Reset()
			lex, open = syntax.State{}, false
			continue
		}
		if Complete(text) {
			return text, nil
		}
		open = true
	}
}

// AddHistory records a run entry (secrets left out) in the file and in
// the editor.
func (r *Reader) AddHistory(entry string) error {
	if !Keep(entry) {
		return nil
	}
	if err := r.rl.SaveHistory(oneLine(entry)); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return r.hist.Add(entry)
}

// Close stops the editor and gives the terminal back.
func (r *Reader) Close() error {
	if r.bracketed {
		fmt.Fprint(r.out, bracketOff)
	}
	if err := r.rl.Close(); err != nil {
		return fmt.Errorf("close line editor: %w", err)
	}
	return nil
}

// TypedAheadNote is said when input typed before a question was set
// aside: it does not answer the question.
const TypedAheadNote = "(what was typed before this question does not answer it: it waits for the prompt)"

// Confirm shows the request and reads the answer on the line: only what
// is typed after the question is on the screen answers it. What was typed
// before (a word typed ahead, the next lines of a paste) is set aside and
// given back to the editor afterwards.
func (r *Reader) Confirm(ctx context.Context, req frontend.ConfirmRequest) (frontend.Answer, error) {
	fmt.Fprint(r.out, frontend.RenderRequest(r.th, req))
	// Set aside at the last moment before the question shows.
	if r.in.hold() > 0 {
		fmt.Fprintln(r.out, TypedAheadNote)
	}
	defer r.in.release()
	if r.comp != nil {
		defer r.comp.Suspend()()
	}
	q := Question(req)
	if r.th.Colorful() {
		q = r.th.Emphasis.Render(strings.TrimRight(q, " ")) + " "
	}
	r.pt.set(false, "")
	l, err := r.readRaw(ctx, q)
	switch {
	case errors.Is(err, readline.ErrInterrupt), errors.Is(err, io.EOF):
		return Decide(req, "", false), nil
	case err != nil:
		return Decide(req, "", false), fmt.Errorf("read answer: %w", err)
	}
	return Decide(req, l, true), nil
}

// Question is the line that asks, ending in a space.
func Question(req frontend.ConfirmRequest) string {
	q := strings.TrimSpace(req.Question)
	if q == "" {
		switch req.Kind {
		case frontend.AskWord, frontend.AskCount:
			q = fmt.Sprintf("Type %s to run it:", req.Word)
		case frontend.AskYesNo:
			q = "Run it? [y/N]"
		case frontend.AskCommitRollback:
			q = "Commit or rollback? [rollback]"
		}
	}
	return q + " "
}

// Decide turns what was typed into the answer (frontend.Judge: the word
// exactly, y or yes, c or commit). answered is false for Esc, Ctrl-C and
// EOF: Declined, or Rollback for the leaving question.
func Decide(req frontend.ConfirmRequest, typed string, answered bool) frontend.Answer {
	if !answered {
		if req.Kind == frontend.AskCommitRollback {
			return frontend.Rollback
		}
		return frontend.Declined
	}
	return frontend.Judge(req, typed)
}
