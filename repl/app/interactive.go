package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/engine"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/envs"
	"github.com/safesql/safesql/repl/frontend/line"
	"github.com/safesql/safesql/repl/frontend/tui"
	"github.com/safesql/safesql/repl/shell"
	sterm "github.com/safesql/safesql/repl/term"
	"github.com/safesql/safesql/theme"
)

// frontEnd is what the loop reads entries and answers from.
type frontEnd interface {
	frontend.LineReader
	frontend.Confirmer
}

// useTUI reports whether the Bubble Tea front end can run: a person at a
// terminal (standard input, output and error all terminals), a TERM that
// can move the cursor, and no --plain.
func useTUI(streams *sterm.IOStreams, plain bool) bool {
	if plain || !streams.InTTY || !streams.OutTTY || !streams.ErrTTY {
		return false
	}
	if _, ok := streams.In.(*os.File); !ok {
		return false
	}
	t := streams.Getenv("TERM")
	return t != "" && t != "dumb"
}

// interactiveShell reads entries until the person leaves: the TUI when
// useTUI says so, else (or when the TUI cannot start) the line editor.
// Each entry is recorded in the environment's history (hist; nil: none)
// and run; Ctrl-C
// cancels a running statement; Ctrl-D or \q start the session's leaving
// flow; a signal that ends the run (ctx) abandons the session.
// hint, when not empty, is a line said under the banner (firstRunHint).
func interactiveShell(ctx context.Context, sess *shell.Session, streams *sterm.IOStreams, sigs <-chan os.Signal, envOf func() *envs.Env, th *theme.Theme, hist *line.History, plain, highlight bool, hint string) engine.Status {
	env := envOf()
	var err error
	comp := line.NewCompleter(sess, sess.MetaCommandNames())

	highlight = highlight && highlightOn(streams.Getenv)
	var fe frontEnd
	isTUI := useTUI(streams, plain)
	if isTUI {
		fe, err = tui.New(tui.Config{
			In: streams.In, Out: streams.Err, Environ: os.Environ(), Theme: th,
			History: hist, Completer: comp, Highlight: highlight,
			Now: sess.Clock(), // the status line and the session judge time by one clock
		})
		if err != nil {
			fmt.Fprintf(streams.Err, "safesql: warning: %v; using the line editor\n", err)
			isTUI = false
		}
	}
	if !isTUI {
		if fe, err = newLineEditor(streams, th, hist, comp, highlight); err != nil {
			fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
			return engine.StatusFatal
		}
	}
	defer func() { _ = fe.Close() }()
	sess.Confirm = fe

	server := sess.Conn().ParameterStatus("server_version")
	fmt.Fprintf(streams.Out, "%s (server %s)\n", currentVersion().Banner(), server)
	where := env.Name
	if env.Unknown {
		where = "no configured environment"
	}
	fmt.Fprintf(streams.Out, "%s: %s tier. Type \"\\?\" for help, \"\\q\" to quit.\n", where, theme.TierName(string(env.Tier)))
	if hint != "" {
		fmt.Fprintln(streams.Err, hint)
	}
	fmt.Fprintln(streams.Out)

	read := 0
	for {
		text, err := fe.ReadLine(ctx, sessionState(sess, envOf()))
		switch {
		case ctx.Err() != nil:
			abandon(sess)
			return engine.StatusOK
		case errors.Is(err, frontend.ErrInterrupt):
			sess.ResetQueryBuffer() // Ctrl-C at the prompt, as in psql
			continue
		case errors.Is(err, io.EOF):
			sess.Leave(ctx)
			return engine.StatusOK
		case err != nil && isTUI && read == 0:
			// The terminal would not take the full-screen editor: the
			// line editor does the same work.
			fmt.Fprintf(streams.Err, "safesql: warning: %v; using the line editor\n", err)
			_ = fe.Close()
			if fe, err = newLineEditor(streams, th, hist, comp, highlight); err != nil {
				fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
				return engine.StatusFatal
			}
			isTUI = false
			sess.Confirm = fe
			continue
		case err != nil:
			fmt.Fprintf(streams.Err, "safesql: error: read input: %v\n", err)
			abandon(sess)
			return engine.StatusFatal
		}
		read++
		if strings.TrimSpace(text) == "" {
			continue
		}
		if err := fe.AddHistory(text); err != nil {
			fmt.Fprintf(streams.Err, "safesql: warning: %v\n", err)
		}
		st, quit := runInteractive(ctx, sess, text, sigs, streams.Err)
		if changesCatalog(text) {
			comp.Invalidate()
		}
		// A lost connection does not end the shell: the session said what
		// was lost, and the next statement reconnects.
		if quit {
			sess.Leave(ctx)
			return st
		}
	}
}

func newLineEditor(streams *sterm.IOStreams, th *theme.Theme, hist *line.History, comp *line.Completer, highlight bool) (*line.Reader, error) {
	r, err := line.New(line.Config{
		In: streams.In, Out: streams.Err, InTTY: streams.InTTY, OutTTY: streams.ErrTTY,
		Theme: th, History: hist, Completer: comp, Highlight: highlight,
	})
	if err != nil {
		return nil, fmt.Errorf("start line editor: %w", err)
	}
	return r, nil
}

// highlightOn is the SAFESQL_HIGHLIGHT setting: the input is highlighted
// unless it says 0, false, off or no (any case). A theme without colours
// (NO_COLOR, --no-color) draws no highlighting either way.
func highlightOn(getenv func(string) string) bool {
	switch strings.ToLower(strings.TrimSpace(getenv("SAFESQL_HIGHLIGHT"))) {
	case "0", "false", "off", "no":
		return false
	}
	return true
}

// abandon rolls back without asking: the run is ending on a signal, so
// its context is gone; the rollback gets a few seconds of its own.
func abandon(sess *shell.Session) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sess.Abandon(ctx)
}

var catalogChange = regexp.MustCompile(`(?im)(^|;)\s*(create|alter|drop|comment|import|rollback|abort|\\c(onnect)?\b|\\ir?\b)`)

// changesCatalog: the entry may have changed the names completion offers
// (DDL, SELECT INTO, a DO block, a rolled back transaction, a script, a
// new connection): completion reads the catalogue again.
func changesCatalog(text string) bool {
	if catalogChange.MatchString(text) {
		return true
	}
	v := analyze.Classify(text)
	for _, f := range v.Flags {
		if f == analyze.FlagOpaque {
			return true
		}
	}
	for _, t := range v.Targets {
		switch t.Effect {
		case analyze.EffectCreate, analyze.EffectDrop, analyze.EffectAlter, analyze.EffectRename, analyze.EffectReplace:
			return true
		}
	}
	return false
}

// sessionState is the session's state for the prompt, the frame and the
// status line; the environment fills what the session does not know.
func sessionState(sess *shell.Session, env *envs.Env) frontend.State {
	st := sess.State()
	if st.Tier == "" && env != nil {
		st.Env, st.Label, st.Tier, st.Color = env.Name, env.Label, string(env.Tier), env.Color
	}
	if env != nil && st.TxWarnAfter == 0 && st.IdleTxTimeout == 0 {
		// Until the session says it: the environment's rules.
		p := policyFor(env, nil)
		st.TxWarnAfter, st.IdleTxTimeout = p.TxWarnAfter, p.IdleInTxTimeout
	}
	return st
}

// runInteractive runs one complete entry; Ctrl-C cancels the statement.
func runInteractive(ctx context.Context, sess *shell.Session, text string, sigs <-chan os.Signal, errOut io.Writer) (engine.Status, bool) {
	// A SIGINT that came while the person was typing is not for this
	// statement (in the TUI, Ctrl-C is a key, not a signal).
	for drained := false; !drained; {
		select {
		case <-sigs:
		default:
			drained = true
		}
	}
	stmtCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-sigs:
			cancel()
			fmt.Fprintln(errOut, "Cancel request sent")
		case <-done:
		}
	}()
	st, quit := sess.RunInteractive(stmtCtx, text)
	return st, quit
}

// promptInfo is what the prompt and the title say about the session.
func promptInfo(sess *shell.Session, env *envs.Env) theme.Info {
	return sessionState(sess, env).PromptInfo()
}
