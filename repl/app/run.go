package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/envs"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/frontend"
	"github.com/safesql/safesql/repl/frontend/line"
	"github.com/safesql/safesql/repl/meta"
	"github.com/safesql/safesql/repl/pg"
	"github.com/safesql/safesql/repl/render"
	"github.com/safesql/safesql/repl/shell"
	sterm "github.com/safesql/safesql/repl/term"
	"github.com/safesql/safesql/theme"
)

// run is one start of the shell (not a subcommand): its steps read top
// to bottom, each building one part from what the ones before it built.
// A step that ends the run early returns an exit; what went wrong was
// already said.
func run(ctx context.Context, args []string, streams *sterm.IOStreams, paths envs.Paths) int {
	r := &runner{ctx: ctx, streams: streams, paths: paths}
	defer r.cleanup()
	steps := []func() error{
		func() error { return r.parse(args) },
		r.loadConfig,
		r.resolveEnvironment,
		r.connect,
		r.prepareRun,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			var e exit
			if errors.As(err, &e) {
				return int(e)
			}
			fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
			return int(engine.StatusFatal)
		}
	}
	if r.interactive {
		return int(r.runInteractive())
	}
	return int(r.runScript())
}

// exit ends a run early with an exit status; what went wrong was said.
type exit engine.Status

func (e exit) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// runner holds the parts of one run as its steps build them.
type runner struct {
	ctx     context.Context
	streams *sterm.IOStreams
	paths   envs.Paths
	// atExit runs, last first, when the run ends.
	atExit []func()

	// parse
	opts        *Options
	print       render.Options
	vars        *shell.Vars
	interactive bool
	// loadConfig
	envCfg *envs.Config
	// resolveEnvironment
	env   *envs.Env      // the environment at start
	cfg   *pgconn.Config // the connection at start
	tried string         // a word tried as an environment, then as a database
	// connect
	hist *line.History // the interactive shell's history; nil: none
	ev   *environment
	sess *shell.Session
	// prepareRun
	runCtx context.Context
	sigs   chan os.Signal
}

// deferred registers f to run when the run ends, after those registered
// later (as defer would).
func (r *runner) deferred(f func()) { r.atExit = append(r.atExit, f) }

func (r *runner) cleanup() {
	for i := len(r.atExit) - 1; i >= 0; i-- {
		r.atExit[i]()
	}
}

// fail says err as safesql's error and ends the run with status.
func (r *runner) fail(status engine.Status, err error) error {
	fmt.Fprintf(r.streams.Err, "safesql: error: %v\n", err)
	return exit(status)
}

// parse reads the command line: safesql's options and psql's, the print
// settings (-A, -t, -P ...) and the variables (-v, -q, -e ...). --help
// and --version end the run here.
func (r *runner) parse(args []string) error {
	opts, err := ParseArgs(args)
	if err != nil {
		fmt.Fprintf(r.streams.Err, "safesql: %v\nsafesql: hint: Try \"safesql --help\" for more information.\n", err)
		return exit(engine.StatusFatal)
	}
	if opts.Help {
		fmt.Fprint(r.streams.Out, helpText())
		return exit(engine.StatusOK)
	}
	if opts.Version {
		fmt.Fprintln(r.streams.Out, currentVersion().Long())
		return exit(engine.StatusOK)
	}
	if r.print, err = printOptions(opts); err != nil {
		return r.fail(engine.StatusFatal, err)
	}
	if r.vars, err = sessionVars(opts); err != nil {
		return r.fail(engine.StatusFatal, err)
	}
	r.opts = opts
	r.interactive = len(opts.Actions) == 0 && !opts.List && r.streams.InTTY
	return nil
}

// loadConfig reads the environments' config and resolves what it names
// outside itself.
func (r *runner) loadConfig() error {
	cfg, err := envs.LoadContext(r.ctx, r.paths)
	if err == nil {
		err = resolveEnvs(r.ctx, cfg, r.streams)
	}
	if err != nil {
		return r.fail(engine.StatusFatal, err)
	}
	r.envCfg = cfg
	return nil
}

// resolveEnvironment finds the connection the command line asks for and
// the environment it is in: a first word that names an environment is
// that environment; the connection's real target decides its tier.
func (r *runner) resolveEnvironment() error {
	var named *envs.Env
	if len(r.opts.Positional) > 0 {
		if e, ok := r.envCfg.Lookup(r.opts.Positional[0]); ok {
			named, r.opts.Positional = e, r.opts.Positional[1:]
		}
	}
	r.tried = triedAsDatabase(r.opts, named)
	base := ""
	if named != nil {
		base = named.ConnString()
	}
	cfg, err := connConfig(r.opts, r.streams, base)
	if err != nil {
		// psql counts a bad connection option as a failed connection.
		return r.fail(engine.StatusConnection, err)
	}
	env, warnings := r.envCfg.ForConnection(named, cfg)
	for _, w := range warnings {
		fmt.Fprintf(r.streams.Err, "safesql: warning: %s\n", w)
	}
	if err := r.envCfg.Check(env); err != nil {
		return r.fail(engine.StatusFatal, err)
	}
	if pw, err := env.Password(r.ctx); err != nil {
		return r.fail(engine.StatusConnection, err)
	} else if pw != "" {
		cfg.Password = pw
	}
	r.env, r.cfg = env, cfg
	return nil
}

// connect builds the session with everything it needs from here (Deps)
// and opens its first connection, which enters the environment: its
// rules, its audit log, its frame.
func (r *runner) connect() error {
	if !r.interactive && r.streams.Getenv("GOMAXPROCS") == "" {
		// A script waits on one connection, one round trip at a time: one
		// thread running Go code saves the wake-ups of the others between
		// round trips (bench/compare.sh: -f INSERTs 1.9 -> 1.6 times psql).
		runtime.GOMAXPROCS(1)
	}
	if r.interactive {
		hist, err := line.OpenHistory(r.streams.Getenv, r.env.Name)
		if err != nil {
			fmt.Fprintf(r.streams.Err, "safesql: warning: %v (history is not kept)\n", err)
		}
		r.hist = hist
	}
	r.ev = &environment{cfg: r.envCfg, streams: r.streams, start: r.env}
	commands, err := meta.NewDefaultTable()
	if err != nil {
		return err
	}
	r.sess, err = shell.New(shell.Config{Streams: r.streams, Print: r.print, Vars: r.vars, Deps: r.deps(), Commands: commands})
	if err != nil {
		return err
	}
	r.deferred(func() { _ = r.sess.Close(context.Background()) })
	r.deferred(r.ev.close)
	sess := r.sess
	sess.Interactive = r.interactive
	sess.Grants = engine.Grants{Write: r.opts.Write, ConfirmWord: r.opts.Confirm, Commit: r.opts.Commit}
	sess.PlanVerbose = r.opts.PlanVerbose
	osUser, ssh := audit.Who(r.streams.Getenv)
	sess.AuditTemplate = audit.Entry{Session: sessionID(), OSUser: osUser, SSHClient: ssh}

	err = r.open()
	if sess.Conn() != nil {
		// Whatever ends the run (a signal, an error), an open
		// transaction is rolled back, never left to chance, and audited
		// before the log closes; after a normal end there is none.
		r.deferred(func() { sess.Abandon(context.Background()) })
	}
	var req *errAuditRequired
	var entering *enterError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &req):
		fmt.Fprintf(r.streams.Err, "safesql: error: %v\n", req.err)
		fmt.Fprintln(r.streams.Err, "safesql: the audit log is required in production: nothing runs without it")
		return exit(engine.StatusFatal)
	case errors.As(err, &entering):
		return r.fail(engine.StatusConnection, entering.err)
	default:
		if r.tried != "" {
			notAnEnvironment(r.streams.Err, r.envCfg, r.paths, r.tried)
		}
		return r.fail(engine.StatusConnection, fmt.Errorf("%s", pg.DescribeConnectError(r.cfg, err)))
	}
}

// open makes the session's first connection, asking for the password
// first (-W) or when the server wants one, as psql does.
func (r *runner) open() error {
	opts, cfg := r.opts, r.cfg
	if opts.ForcePassword && !opts.NoPassword {
		pw, err := readPassword(r.streams, cfg.User)
		if err != nil {
			return err
		}
		cfg.Password = pw
	}
	err := r.sess.Open(r.ctx, cfg)
	if err == nil || r.sess.Conn() != nil || opts.NoPassword || cfg.Password != "" || !needsPassword(err) {
		return err
	}
	pw, perr := readPassword(r.streams, cfg.User)
	if perr != nil {
		return err
	}
	cfg.Password = pw
	return r.sess.Open(r.ctx, cfg)
}

// deps is what the session gets from here: \connect's environments, the
// shell rule, the help, the history and \envs; and OnConnect, which
// enters the environment of every connection made.
func (r *runner) deps() shell.Deps {
	d := shell.Deps{
		ConfigFor:    r.configFor,
		ShellRefused: r.ev.shellRefused,
		OptionsHelp:  helpText,
		ListEnvs: func(w io.Writer) {
			printEnvs(w, r.envCfg, r.paths, r.streams.OutTTY, r.opts.NoColor)
		},
		OnConnect: func(sess *shell.Session, cfg *pgconn.Config) error {
			return r.ev.onConnect(r.ctx, sess, cfg)
		},
	}
	if r.hist != nil {
		d.History = r.hist.Entries
	}
	return d
}

// configFor is \connect's connection: the environment is resolved again
// and prepared (its audit log opened); it is entered only once the new
// connection is made (onConnect), so a failed \connect keeps the old
// connection and all of its rules.
func (r *runner) configFor(ctx context.Context, dbname, user, host, port string) (*pgconn.Config, error) {
	o := &Options{DBName: dbname, User: user, Host: host, Port: port}
	cfg, err := connConfig(o, r.streams, "")
	if err != nil {
		return nil, err
	}
	next, warnings := r.envCfg.ForConnection(nil, cfg)
	for _, w := range warnings {
		fmt.Fprintf(r.streams.Err, "safesql: warning: %s\n", w)
	}
	if err := r.envCfg.Check(next); err != nil {
		return nil, err
	}
	if pw, err := next.Password(ctx); err != nil {
		return nil, err
	} else if pw != "" {
		cfg.Password = pw
	}
	p, err := r.ev.prepare(next)
	if err != nil {
		return nil, err
	}
	p.conn = cfg
	r.ev.setPending(p)
	return cfg, nil
}

// prepareRun sets up what both kinds of run share: a script's questions
// go to the terminal, -o's output, Ctrl-C, -l and -L.
func (r *runner) prepareRun() error {
	sess := r.sess
	if !r.interactive && r.streams.TTY != nil {
		// Questions of a script go to the terminal, as sudo and ssh ask.
		if tty, err := r.streams.TTY(); err == nil {
			r.deferred(func() { tty.Close() })
			sess.Confirm = frontend.NewLineConfirmer(tty, tty)
		}
	}
	if r.opts.Output != "" {
		if err := sess.OpenOutput(r.ctx, r.opts.Output); err != nil {
			return r.fail(engine.StatusFatal, err)
		}
	}
	r.watchInterrupts()
	if r.opts.List {
		return exit(sess.RunCommand(r.runCtx, `\l`))
	}
	if r.opts.LogFile != "" {
		f, err := os.OpenFile(r.opts.LogFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
		if err != nil {
			return r.fail(engine.StatusFatal, fmt.Errorf("could not open log file \"%s\": %s", r.opts.LogFile, shell.OSMessage(err)))
		}
		r.deferred(func() { f.Close() })
		sess.SetLog(f)
	}
	return nil
}

// watchInterrupts makes Ctrl-C cancel the running statement (the server
// is asked to cancel; the connection stays) and, in a script, stop it as
// psql does. runCtx is the run's context from here on.
func (r *runner) watchInterrupts() {
	r.sigs = make(chan os.Signal, 1)
	signal.Notify(r.sigs, os.Interrupt)
	r.deferred(func() { signal.Stop(r.sigs) })
	runCtx, cancel := context.WithCancel(r.ctx)
	r.deferred(cancel)
	r.runCtx = runCtx
	if r.interactive {
		return // the shell cancels one statement at a time (runInteractive)
	}
	sess, sigs := r.sess, r.sigs
	go func() {
		for {
			select {
			case <-sigs:
				// As psql: Ctrl-C during \watch ends the watch; else a
				// statement at the server is cancelled (and said so),
				// and the script stops.
				if sess.StopWatch() {
					continue
				}
				if sess.Running() {
					fmt.Fprintln(r.streams.Err, "Cancel request sent")
				}
				cancel()
				return
			case <-runCtx.Done():
				return
			}
		}
	}()
}

// runInteractive is a person's session: the terminal's title and tint
// follow the environment, the start-up files run, then the front end
// reads entries until the person leaves.
func (r *runner) runInteractive() engine.Status {
	streams, env, envCfg, sess, ev := r.streams, r.env, r.envCfg, r.sess, r.ev
	th := theme.Default(theme.Detect(streams.Err, os.Environ(), r.opts.NoColor))
	title := envCfg.Theme.Title && streams.ErrTTY
	if title {
		// The terminal's title names the environment; restored on the
		// way out (the title is the terminal's, not ours).
		fmt.Fprint(streams.Err, theme.PushTitle)
		defer fmt.Fprint(streams.Err, theme.PopTitle)
	}
	// The background is asked for once, at start, and only for a tinted
	// tier: a \connect cannot read the terminal's answer while the editor
	// owns standard input.
	dark, darkKnown, tinted := false, false, false
	if envCfg.Theme.Tint && streams.InTTY && streams.ErrTTY && th.Colorful() && theme.Tint(string(env.Tier), env.Color, true) != "" {
		dark, darkKnown = sterm.DarkBackground(os.Stdin, os.Stderr, 200*time.Millisecond)
	}
	defer func() {
		if tinted {
			fmt.Fprint(streams.Err, theme.ResetTint)
		}
	}()
	ev.frame = func(e *envs.Env) {
		if title {
			fmt.Fprint(streams.Err, theme.SetTitle(theme.TitleText(promptInfo(sess, e))))
		}
		if !darkKnown {
			return
		}
		if seq := theme.Tint(string(e.Tier), e.Color, dark); seq != "" {
			fmt.Fprint(streams.Err, seq)
			tinted = true
		} else if tinted {
			fmt.Fprint(streams.Err, theme.ResetTint)
			tinted = false
		}
	}
	ev.frame(ev.current)
	runPsqlrc(r.runCtx, sess, r.opts, streams.Getenv)
	hint := firstRunHint(streams, r.paths, envCfg, env)
	return interactiveShell(r.runCtx, sess, streams, r.sigs, func() *envs.Env { return ev.current }, th, r.hist, r.opts.Plain, envCfg.Theme.Highlight, hint)
}

// runScript runs -c, -f and standard input in order: under the safety
// rules the whole input is planned first; the session's implicit
// transaction (or -1's) ends with the run.
func (r *runner) runScript() engine.Status {
	streams, opts, sess, runCtx := r.streams, r.opts, r.sess, r.runCtx
	actions := opts.Actions
	if len(actions) == 0 {
		actions = []Action{{Kind: StdinAction}}
	}
	implicit := !sess.Policy().Autocommit
	if sess.Guarded() {
		// The whole input is split and classified before anything runs.
		spooled, cleanup, err := spoolStdin(actions, streams)
		if err != nil {
			fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
			return engine.StatusFatal
		}
		defer cleanup()
		if st, ok := preflight(runCtx, sess, actions, spooled, streams); !ok {
			return st
		}
		if spooled != nil {
			streams.In = spooled // the session reads the same streams
		}
	}
	runPsqlrc(runCtx, sess, opts, streams.Getenv)
	if opts.SingleTxn && !implicit {
		if err := sess.Conn().Exec(runCtx, "BEGIN").Close(); err != nil {
			fmt.Fprintf(streams.Err, "safesql: error: BEGIN: %v\n", err)
			return engine.StatusFatal
		}
	}
	status := engine.StatusOK
	for _, a := range actions {
		switch {
		case a.Kind == StdinAction:
			status = sess.RunScript(runCtx, streams.In, shell.Source{})
		case a.Kind == FileAction:
			status = sess.RunFile(runCtx, a.Command)
		default:
			status = sess.RunCommand(runCtx, a.Command)
		}
		if sess.Stops(status) {
			break
		}
	}
	if implicit && status != engine.StatusConnection {
		// -1: any error means nothing is committed, as psql's single
		// transaction.
		ok := status == engine.StatusOK && runCtx.Err() == nil && !(opts.SingleTxn && sess.Errors() > 0)
		st := sess.FinishScript(context.Background(), ok)
		if status == engine.StatusOK {
			status = st
		}
		return sess.ExitStatus(status)
	}
	if opts.SingleTxn && status != engine.StatusConnection {
		end := "COMMIT"
		if status != engine.StatusOK {
			end = "ROLLBACK"
		}
		_ = sess.Conn().Exec(context.Background(), end).Close()
	}
	return sess.ExitStatus(status)
}
