package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/chzyer/readline"

	"github.com/safesql/safesql/analyze/split"
	"github.com/safesql/safesql/envs"
	"github.com/safesql/safesql/repl"
	sterm "github.com/safesql/safesql/repl/term"
	"github.com/safesql/safesql/theme"
)

// interactiveLoop is the line-editor front end: read until a statement is
// complete, run it, repeat. The full-screen shell comes with its own issue.
func interactiveLoop(ctx context.Context, sess *repl.Session, streams *sterm.IOStreams, sigs <-chan os.Signal, envOf func() *envs.Env, th *theme.Theme) repl.Status {
	env := envOf()
	history, err := historyFile(streams, env.Name)
	if err != nil {
		fmt.Fprintf(streams.Err, "safesql: warning: %v (history is not kept)\n", err)
	}
	rl, err := readline.NewEx(&readline.Config{
		Stdin:                  io.NopCloser(streams.In),
		Stdout:                 streams.Err,
		Stderr:                 streams.Err,
		InterruptPrompt:        "^C",
		EOFPrompt:              "\\q",
		HistoryFile:            history,
		DisableAutoSaveHistory: true,
		AutoComplete:           newCompleter(sess, sess.MetaCommandNames()),
	})
	if err != nil {
		fmt.Fprintf(streams.Err, "safesql: error: start line editor: %v\n", err)
		return repl.StatusFatal
	}
	defer rl.Close()
	// A signal that ends the run (SIGTERM, SIGHUP) must unblock the editor.
	stopEditor := context.AfterFunc(ctx, func() { rl.Close() })
	defer stopEditor()
	server := sess.Conn().ParameterStatus("server_version")
	fmt.Fprintf(streams.Out, "safesql %s (server %s)\n", version(), server)
	where := env.Name
	if env.Unknown {
		where = "no configured environment"
	}
	fmt.Fprintf(streams.Out, "%s: %s tier. Type \"\\?\" for help, \"\\q\" to quit.\n\n", where, theme.TierName(string(env.Tier)))

	var buf strings.Builder
	for {
		rl.SetPrompt(prompt(sess, envOf(), th, buf.String()))
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			buf.Reset()
			continue
		case errors.Is(err, io.EOF) || ctx.Err() != nil:
			return repl.StatusOK
		case err != nil:
			fmt.Fprintf(streams.Err, "safesql: error: read input: %v\n", err)
			return repl.StatusFatal
		}
		if buf.Len() > 0 {
			buf.WriteByte('\n')
		}
		buf.WriteString(line)
		items := split.Split(buf.String())
		if len(items) == 0 {
			continue
		}
		last := items[len(items)-1]
		if last.Kind == split.Statement && !last.Complete && strings.TrimSpace(last.SQL) != "" {
			continue // psql's "->" continuation
		}
		text := buf.String()
		buf.Reset()
		if strings.TrimSpace(text) == "" {
			continue
		}
		if keepInHistory(text) {
			_ = rl.SaveHistory(text)
		}
		st, quit := runInteractive(ctx, sess, text, sigs, streams.Err)
		if quit || st == repl.StatusConnection {
			return st
		}
	}
}

// runInteractive runs one complete entry; Ctrl-C cancels the statement.
func runInteractive(ctx context.Context, sess *repl.Session, text string, sigs <-chan os.Signal, errOut io.Writer) (repl.Status, bool) {
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

func prompt(sess *repl.Session, env *envs.Env, th *theme.Theme, pending string) string {
	var cont rune
	if pending != "" {
		cont = '-'
	}
	return th.Prompt(promptInfo(sess, env), cont)
}

// promptInfo is what the prompt and the title say about the session.
func promptInfo(sess *repl.Session, env *envs.Env) theme.Info {
	cfg := sess.Config()
	info := theme.Info{
		Label: env.Label, Tier: string(env.Tier), Color: env.Color,
		User: cfg.User, Host: cfg.Host, Database: cfg.Database,
		Superuser: sess.Conn().ParameterStatus("is_superuser") == "on",
	}
	switch sess.Conn().TxStatus() {
	case 'T':
		info.Tx = theme.TxOpen
	case 'E':
		info.Tx = theme.TxFailed
	}
	return info
}
