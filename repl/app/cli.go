package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/safesql/safesql/repl/engine"

	"github.com/safesql/safesql/repl/pg"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	"github.com/safesql/safesql/analyze/check"
	"github.com/safesql/safesql/envs"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/demo"
	"github.com/safesql/safesql/repl/render"
	"github.com/safesql/safesql/repl/shell"
	sterm "github.com/safesql/safesql/repl/term"
	"github.com/safesql/safesql/theme"
)

// Main runs safesql with args (without the program name) and returns the
// exit code, psql's: 0 fine, 1 an error of its own, 2 connection failed or
// lost, 3 a script error with ON_ERROR_STOP.
func Main(ctx context.Context, args []string, streams *sterm.IOStreams) int {
	// SIGTERM and SIGHUP (the SSH connection dropped) end the run through
	// the normal exit path, so the terminal is restored and nothing is left
	// half done; the exit status is then a killed client's, as the shell
	// reports psql's (128 + the signal's number).
	ctx, stop := signalContext(ctx, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	code := dispatch(ctx, args, streams)
	var killed killedBy
	if errors.As(context.Cause(ctx), &killed) {
		return 128 + int(killed.sig)
	}
	return code
}

// dispatch runs the subcommand args name, or the shell.
func dispatch(ctx context.Context, args []string, streams *sterm.IOStreams) int {
	if len(args) > 0 {
		switch args[0] {
		case "check":
			return check.Run(ctx, args[1:], streams.In, streams.Out, streams.Err, streams.OutTTY)
		case "demo":
			return runDemo(ctx, args[1:], streams)
		case "envs":
			return runEnvs(ctx, args[1:], streams, envs.DefaultPaths(streams.Getenv))
		}
	}
	return run(ctx, args, streams, envs.DefaultPaths(streams.Getenv))
}

// killedBy is the cause of a run ended by a signal.
type killedBy struct{ sig syscall.Signal }

func (k killedBy) Error() string { return k.sig.String() + " signal received" }

// signalContext is ctx, cancelled with a killedBy cause when one of sigs
// arrives. stop releases the signals.
func signalContext(ctx context.Context, sigs ...os.Signal) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			if n, ok := s.(syscall.Signal); ok {
				cancel(killedBy{n})
			} else {
				cancel(fmt.Errorf("%v signal received", s))
			}
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// demoUsage is what `safesql demo --help` prints.
const demoUsage = `safesql demo runs safesql on a sandbox PostgreSQL with three databases.

Usage:
  safesql demo [dev|staging|prod] [OPTION]...   start the sandbox (first time: a few seconds) and connect
  safesql demo --stop                          stop the sandbox

OPTIONs are safesql's own (safesql --help), e.g. -c COMMAND.
`

func runDemo(ctx context.Context, args []string, streams *sterm.IOStreams) int {
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-?" || args[0] == "help") {
		fmt.Fprint(streams.Out, demoUsage)
		return 0
	}
	if len(args) > 0 && args[0] == "--stop" {
		if err := demo.Stop(ctx, streams.Err); err != nil {
			fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
			return 1
		}
		return 0
	}
	if _, err := demo.Start(ctx, streams.Err); err != nil {
		fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
		return 1
	}
	paths, err := demoConfig()
	if err != nil {
		fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
		return 1
	}
	name := "prod"
	if len(args) > 0 && (args[0] == "dev" || args[0] == "staging" || args[0] == "prod") {
		name, args = args[0], args[1:]
	}
	if streams.InTTY {
		fmt.Fprintf(streams.Err, "safesql demo: opening %s; the others: safesql demo dev | staging | prod\n", name)
	}
	return run(ctx, append([]string{name}, args...), streams, paths)
}

// demoConfig writes the sandbox's three environments next to it and
// returns the config paths that use only that file.
func demoConfig() (envs.Paths, error) {
	dir, err := demo.Dir()
	if err != nil {
		return envs.Paths{}, err
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, envs.Demo(dir, 5432, demoUser()), 0o600); err != nil {
		return envs.Paths{}, fmt.Errorf("write demo config %s: %w", path, err)
	}
	return envs.Paths{User: path, UserExplicit: true}, nil
}

// demoUser is the sandbox's superuser: the server runs as postgres when
// safesql runs as root.
func demoUser() string {
	if os.Geteuid() == 0 {
		return "postgres"
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "postgres"
}

func run(ctx context.Context, args []string, streams *sterm.IOStreams, paths envs.Paths) int {
	opts, err := ParseArgs(args)
	if err != nil {
		fmt.Fprintf(streams.Err, "safesql: %v\nsafesql: hint: Try \"safesql --help\" for more information.\n", err)
		return 1
	}
	if opts.Help {
		fmt.Fprint(streams.Out, helpText())
		return 0
	}
	if opts.Version {
		fmt.Fprintln(streams.Out, currentVersion().Long())
		return 0
	}
	print, err := printOptions(opts)
	if err != nil {
		fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
		return 1
	}
	vars, err := sessionVars(opts)
	if err != nil {
		fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
		return 1
	}

	envCfg, err := envs.LoadContext(ctx, paths)
	if err == nil {
		err = resolveEnvs(ctx, envCfg, streams)
	}
	if err != nil {
		fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
		return int(engine.StatusFatal)
	}
	var named *envs.Env
	if len(opts.Positional) > 0 {
		if e, ok := envCfg.Lookup(opts.Positional[0]); ok {
			named, opts.Positional = e, opts.Positional[1:]
		}
	}
	tried := triedAsDatabase(opts, named)
	base := ""
	if named != nil {
		base = named.ConnString()
	}
	cfg, err := connConfig(opts, streams, base)
	if err != nil {
		// psql counts a bad connection option as a failed connection.
		fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
		return int(engine.StatusConnection)
	}
	env, warnings := envCfg.ForConnection(named, cfg)
	for _, w := range warnings {
		fmt.Fprintf(streams.Err, "safesql: warning: %s\n", w)
	}
	if err := envCfg.Check(env); err != nil {
		fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
		return int(engine.StatusFatal)
	}
	if pw, err := env.Password(ctx); err != nil {
		fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
		return int(engine.StatusConnection)
	} else if pw != "" {
		cfg.Password = pw
	}
	interactive := len(opts.Actions) == 0 && !opts.List && streams.InTTY
	if !interactive && streams.Getenv("GOMAXPROCS") == "" {
		// A script waits on one connection, one round trip at a time: one
		// thread running Go code saves the wake-ups of the others between
		// round trips (bench/compare.sh: -f INSERTs 1.9 -> 1.6 times psql).
		runtime.GOMAXPROCS(1)
	}
	sess, err := connect(ctx, cfg, opts, streams, print, vars)
	if err != nil {
		if tried != "" {
			notAnEnvironment(streams.Err, envCfg, paths, tried)
		}
		fmt.Fprintf(streams.Err, "safesql: error: %s\n", pg.DescribeConnectError(cfg, err))
		return int(engine.StatusConnection)
	}
	defer sess.Close(context.Background())
	sess.Interactive = interactive
	sess.Grants = engine.Grants{Write: opts.Write, ConfirmWord: opts.Confirm, Commit: opts.Commit}
	sess.PlanVerbose = opts.PlanVerbose
	osUser, ssh := audit.Who(streams.Getenv)
	sess.AuditTemplate = audit.Entry{Session: sessionID(), OSUser: osUser, SSHClient: ssh}
	ev := &environment{cfg: envCfg, streams: streams, sess: sess}
	defer ev.close()
	first, err := ev.prepare(env)
	if err != nil {
		var req *errAuditRequired
		if errors.As(err, &req) {
			fmt.Fprintf(streams.Err, "safesql: error: %v\n", req.err)
			fmt.Fprintln(streams.Err, "safesql: the audit log is required in production: nothing runs without it")
		} else {
			fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
		}
		return int(engine.StatusFatal)
	}
	// Whatever ends the run (a signal, an error), an open transaction is
	// rolled back, never left to chance, and audited before the log
	// closes; after a normal end there is none.
	defer sess.Abandon(context.Background())
	if err := ev.enter(ctx, first); err != nil {
		fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
		return int(engine.StatusConnection)
	}
	sess.OnConnect = func(cfg *pgconn.Config) { ev.onConnect(ctx, cfg) }
	if !interactive && streams.TTY != nil {
		// Questions of a script go to the terminal, as sudo and ssh ask.
		if tty, err := streams.TTY(); err == nil {
			defer tty.Close()
			sess.Confirm = frontend.NewLineConfirmer(tty, tty)
		}
	}
	sess.OptionsHelp = helpText
	sess.ListEnvs = func(w io.Writer) { printEnvs(w, envCfg, paths, streams.OutTTY, opts.NoColor) }
	sess.ShellRefused = ev.shellRefused
	// \connect resolves the environment again and prepares it (its audit
	// log opened); it is entered only once the new connection is made, so
	// a failed \connect keeps the old connection and all of its rules.
	sess.ConfigFor = func(ctx context.Context, dbname, user, host, port string) (*pgconn.Config, error) {
		o := &Options{DBName: dbname, User: user, Host: host, Port: port}
		cfg, err := connConfig(o, streams, "")
		if err != nil {
			return nil, err
		}
		next, warnings := envCfg.ForConnection(nil, cfg)
		for _, w := range warnings {
			fmt.Fprintf(streams.Err, "safesql: warning: %s\n", w)
		}
		if err := envCfg.Check(next); err != nil {
			return nil, err
		}
		if pw, err := next.Password(ctx); err != nil {
			return nil, err
		} else if pw != "" {
			cfg.Password = pw
		}
		p, err := ev.prepare(next)
		if err != nil {
			return nil, err
		}
		p.conn = cfg
		ev.setPending(p)
		return cfg, nil
	}

	if opts.Output != "" {
		if err := sess.OpenOutput(ctx, opts.Output); err != nil {
			fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
			return 1
		}
	}

	// Ctrl-C cancels the running statement (the server is asked to cancel;
	// the connection stays) and, in a script, stops it as psql does.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if !interactive {
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
						fmt.Fprintln(streams.Err, "Cancel request sent")
					}
					cancel()
					return
				case <-runCtx.Done():
					return
				}
			}
		}()
	}

	if opts.List {
		return int(sess.RunCommand(runCtx, `\l`))
	}
	if opts.LogFile != "" {
		f, err := os.OpenFile(opts.LogFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
		if err != nil {
			fmt.Fprintf(streams.Err, "safesql: error: could not open log file \"%s\": %s\n", opts.LogFile, shell.OSMessage(err))
			return 1
		}
		defer f.Close()
		sess.SetLog(f)
	}
	if interactive {
		th := theme.Default(theme.Detect(streams.Err, os.Environ(), opts.NoColor))
		title := envCfg.Theme.Title && streams.ErrTTY
		if title {
			// The terminal's title names the environment; restored on the
			// way out (the title is the terminal's, not ours).
			fmt.Fprint(streams.Err, theme.PushTitle)
			defer fmt.Fprint(streams.Err, theme.PopTitle)
		}
		// The background is asked for once, at start, and only for a
		// tinted tier: a \connect cannot read the terminal's answer while
		// the editor owns standard input.
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
		runPsqlrc(runCtx, sess, opts, streams.Getenv)
		hint := firstRunHint(streams, paths, envCfg, env)
		return int(interactiveShell(runCtx, sess, streams, sigs, func() *envs.Env { return ev.current }, th, opts.Plain, envCfg.Theme.Highlight, hint))
	}
	actions := opts.Actions
	if len(actions) == 0 {
		actions = []Action{{File: true, Command: "\x00stdin"}}
	}
	implicit := !sess.Policy().Autocommit
	if sess.Guarded() {
		// The whole input is split and classified before anything runs.
		spooled, cleanup, err := spoolStdin(actions, streams)
		if err != nil {
			fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
			return int(engine.StatusFatal)
		}
		defer cleanup()
		if st, ok := preflight(runCtx, sess, actions, spooled, streams); !ok {
			return int(st)
		}
		if spooled != nil {
			streams.In = spooled // the session reads the same streams
		}
	}
	runPsqlrc(runCtx, sess, opts, streams.Getenv)
	if opts.SingleTxn && !implicit {
		if err := sess.Conn().Exec(runCtx, "BEGIN").Close(); err != nil {
			fmt.Fprintf(streams.Err, "safesql: error: BEGIN: %v\n", err)
			return int(engine.StatusFatal)
		}
	}
	status := engine.StatusOK
	for _, a := range actions {
		switch {
		case a.File && a.Command == "\x00stdin":
			status = sess.RunScript(runCtx, streams.In, shell.Source{})
		case a.File:
			status = sess.RunFile(runCtx, a.Command)
		default:
			status = sess.RunCommand(runCtx, a.Command)
		}
		if status == engine.StatusConnection || (status != engine.StatusOK && vars.Bool("ON_ERROR_STOP")) {
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
		return int(refusedStatus(sess, status))
	}
	if opts.SingleTxn && status != engine.StatusConnection {
		end := "COMMIT"
		if status != engine.StatusOK {
			end = "ROLLBACK"
		}
		_ = sess.Conn().Exec(context.Background(), end).Close()
	}
	return int(refusedStatus(sess, status))
}

// refusedStatus is a run's exit status when a safety rule refused
// something wherever it came from (a start-up file, \gexec, the editor):
// psql's exit status for a failed script, 3.
func refusedStatus(sess *shell.Session, status engine.Status) engine.Status {
	if status == engine.StatusOK && sess.Refusals() > 0 {
		return engine.StatusScript
	}
	return status
}

// printOptions applies -A, -t, -x, -F, -R, --csv and -P in order.
func printOptions(opts *Options) (render.Options, error) {
	print := render.DefaultOptions()
	for _, p := range opts.Psets {
		value, has := p[1], true
		if value == "\x00toggle" {
			value, has = "", false
		}
		if err := shell.SetPrintOption(&print, p[0], value, has); err != nil {
			// psql's two lines: the \pset error, then which -P failed.
			return print, fmt.Errorf("%v\nsafesql: error: could not set printing parameter \"%s\"", err, p[0])
		}
	}
	return print, nil
}

// sessionVars are psql's variables as -v, -q, -e, -a and -b set them.
// A -v value a special variable refuses, or a bad name, stops psql
// before it connects.
func sessionVars(opts *Options) (*shell.Vars, error) {
	vars := shell.NewVars()
	for _, v := range opts.Vars {
		if v[1] == "\x00unset" {
			vars.Remove(v[0])
			continue
		}
		if !shell.ValidName(v[0]) {
			return nil, fmt.Errorf(`invalid variable name: "%s"`, v[0])
		}
		if err := vars.Assign(v[0], v[1]); err != nil {
			return nil, err
		}
	}
	if opts.Quiet {
		vars.Set("QUIET", "on")
	}
	switch {
	case opts.EchoAll:
		vars.Set("ECHO", "all")
	case opts.EchoQuery:
		vars.Set("ECHO", "queries")
	case opts.EchoErr:
		vars.Set("ECHO", "errors")
	}
	return vars, nil
}

func connect(ctx context.Context, cfg *pgconn.Config, opts *Options, streams *sterm.IOStreams, print render.Options, vars *shell.Vars) (*shell.Session, error) {
	if opts.ForcePassword && !opts.NoPassword {
		pw, err := readPassword(streams, cfg.User)
		if err != nil {
			return nil, err
		}
		cfg.Password = pw
	}
	sess, err := shell.Connect(ctx, cfg, streams, print, vars)
	if err == nil || opts.NoPassword || cfg.Password != "" || !needsPassword(err) {
		return sess, err
	}
	pw, perr := readPassword(streams, cfg.User)
	if perr != nil {
		return nil, err
	}
	cfg.Password = pw
	return shell.Connect(ctx, cfg, streams, print, vars)
}

func needsPassword(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "28P01" {
		return true
	}
	return strings.Contains(err.Error(), "no password")
}

// readPassword asks on the terminal, without echo, as psql does.
func readPassword(streams *sterm.IOStreams, user string) (string, error) {
	pw, err := streams.ReadSecret(fmt.Sprintf("Password for user %s: ", user))
	if err != nil {
		return "", fmt.Errorf("ask for the password: %w", err)
	}
	return pw, nil
}

// connConfig builds the connection the way psql does: PG* variables,
// service files and .pgpass through pgx, then the command line; a DBNAME
// that is a conninfo string or URI is expanded and wins over -h/-p/-U.
func connConfig(o *Options, streams *sterm.IOStreams, base string) (*pgconn.Config, error) {
	dbname, user := o.DBName, o.User
	pos := o.Positional
	if dbname == "" && len(pos) > 0 {
		dbname, pos = pos[0], pos[1:]
	}
	if user == "" && len(pos) > 0 {
		user, pos = pos[0], pos[1:]
	}
	for _, extra := range pos {
		fmt.Fprintf(streams.Err, "safesql: warning: extra command-line argument \"%s\" ignored\n", extra)
	}
	var kv []string
	if strings.HasPrefix(base, "postgres://") || strings.HasPrefix(base, "postgresql://") {
		expanded, err := uriToConninfo(base)
		if err != nil {
			return nil, err
		}
		base = expanded
	}
	if base != "" {
		kv = append(kv, base)
	}
	if o.Host != "" {
		kv = append(kv, "host="+envs.QuoteConninfo(o.Host))
	}
	if o.Port != "" {
		kv = append(kv, "port="+envs.QuoteConninfo(o.Port))
	}
	if user != "" {
		kv = append(kv, "user="+envs.QuoteConninfo(user))
	}
	connString := strings.Join(kv, " ")
	switch {
	case strings.HasPrefix(dbname, "postgres://") || strings.HasPrefix(dbname, "postgresql://"):
		if len(kv) == 0 {
			connString = dbname
			break
		}
		expanded, err := uriToConninfo(dbname)
		if err != nil {
			return nil, err
		}
		connString += " " + expanded
	case strings.Contains(dbname, "="):
		connString += " " + dbname
	case dbname != "":
		connString += " dbname=" + envs.QuoteConninfo(dbname)
	}
	if err := checkSSLMode(connString, streams); err != nil {
		return nil, err
	}
	cfg, err := pgconn.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("invalid connection options: %s", pg.Redact(err.Error()))
	}
	if cfg.Database == "" {
		cfg.Database = cfg.User
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		// DBAs see who is connected: safesql/<os user>.
		getenv := os.Getenv
		if streams != nil {
			getenv = streams.Getenv
		}
		user, _ := audit.Who(getenv)
		cfg.RuntimeParams["application_name"] = audit.ApplicationName(user)
	}
	// Ctrl-C sends a cancel request and keeps the connection (and its
	// transaction); pgx's default would close it.
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, CancelRequestDelay: 0, DeadlineDelay: 5 * time.Second}
	}
	return cfg, nil
}

var sslModeSetting = regexp.MustCompile(`(?:^|[\s?&])sslmode\s*=\s*'?([^\s&']*)`)

// checkSSLMode refuses an sslmode libpq would refuse: pgx ignores it for
// unix sockets, and a typo must not silently mean "no TLS".
func checkSSLMode(connString string, streams *sterm.IOStreams) error {
	mode := ""
	if streams != nil {
		mode = streams.Getenv("PGSSLMODE")
	}
	if m := sslModeSetting.FindAllStringSubmatch(connString, -1); len(m) > 0 {
		mode = m[len(m)-1][1]
	}
	switch mode {
	case "", "disable", "allow", "prefer", "require", "verify-ca", "verify-full":
		return nil
	}
	return fmt.Errorf("invalid sslmode value: \"%s\"", mode)
}

// uriToConninfo rewrites a URI as keyword=value pairs, as libpq reads it:
// several hosts, percent-encoded socket directories and query parameters
// (?host=/socket/dir&port=5433, which win over the authority).
func uriToConninfo(uri string) (string, error) {
	settings, err := envs.ParseSettings(uri)
	if err != nil {
		return "", fmt.Errorf("%s", pg.Redact(err.Error()))
	}
	kv := make([]string, len(settings))
	for i, s := range settings {
		kv[i] = s.Key + "=" + envs.QuoteConninfo(s.Value)
	}
	return strings.Join(kv, " "), nil
}
