package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/safesql/safesql/repl/meta"
	"github.com/safesql/safesql/repl/pg"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	"github.com/safesql/safesql/analyze/check"
	"github.com/safesql/safesql/envs"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/demo"
	"github.com/safesql/safesql/repl/render"
	"github.com/safesql/safesql/repl/shell"
	sterm "github.com/safesql/safesql/repl/term"
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

// printOptions applies -A, -t, -x, -F, -R, --csv and -P in order.
func printOptions(opts *Options) (render.Options, error) {
	out := render.DefaultOptions()
	for _, p := range opts.Psets {
		if err := meta.SetPrintOption(&out, p.Name, p.Value, p.HasValue); err != nil {
			// psql's two lines: the \pset error, then which -P failed.
			return out, fmt.Errorf("%v\nsafesql: error: could not set printing parameter \"%s\"", err, p.Name)
		}
	}
	return out, nil
}

// sessionVars are psql's variables as -v, -q, -e, -a and -b set them.
// A -v value a special variable refuses, or a bad name, stops psql
// before it connects.
func sessionVars(opts *Options) (*shell.Vars, error) {
	vars := shell.NewVars()
	for _, v := range opts.Vars {
		if !v.HasValue {
			vars.Remove(v.Name)
			continue
		}
		if !shell.ValidName(v.Name) {
			return nil, fmt.Errorf(`invalid variable name: "%s"`, v.Name)
		}
		if err := vars.Assign(v.Name, v.Value); err != nil {
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
