package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/safesql/safesql/repl/engine"

	"github.com/safesql/safesql/repl/pg"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze/split"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/meta"
	"github.com/safesql/safesql/repl/render"
	"github.com/safesql/safesql/repl/term"
)

// Session is one connection and everything psql keeps beside it: the
// variables, the print settings, the query buffer's last query, where
// output goes. Statements run through its engine (the embedded
// *engine.Engine), which owns the connection and the environment's rules.
type Session struct {
	*engine.Engine

	streams *term.IOStreams

	Print render.Options
	Vars  *Vars

	// echoOff: the input is a -c backslash command, echoed whole before
	// it runs (psql does not echo it line by line).
	echoOff bool
	// typed is psql's query buffer between two entries typed in the
	// shell: text before a backslash command ("clear\d orders" keeps
	// "clear"), not sent until a ';' or \g ends it.
	typed string

	// Deps are what the program around the session gave it when it was
	// built (New); embedded, so s.ConfigFor and the others read as fields.
	Deps

	out     io.Writer // query output: standard output or the \o file or pipe
	outFile io.Closer

	// where the statement being run came from, for psql's
	// "safesql:FILE:LINE: " prefix
	file   string
	line   int
	script bool

	lastTag     pgconn.CommandTag
	timing      bool   // \timing: print each statement's duration
	failed      bool   // something failed since RunCommand started
	errors      int    // statements and commands that failed in this session
	copyNote    string // printed after a failed COPY's error
	quit        bool   // \q was given
	restrictKey string // set by \restrict: only \unrestrict KEY runs
	lastQuery   string // what \g sends again when the buffer is empty

	commands *meta.Table // the backslash commands, built once
	// lastErr and lastErrQuery are the last server error and its query,
	// for \errverbose.
	lastErr      *pgconn.PgError
	lastErrQuery string

	// logFile is -L's session log: each query and its result.
	logFile io.Writer
	// watchStop ends the running \watch (StopWatch); nil when none runs.
	watchStop atomic.Pointer[context.CancelFunc]
	// readFailed: the last script could not be read to its end (\i of a
	// directory): a failed command, not the end of the run.
	readFailed bool
	// running: a statement is at the server (Running).
	running atomic.Bool
	// pagerTime adds up the time results waited on the pager (PagerTime).
	pagerTime time.Duration
}

// timedWriter adds the time its writes take to *total: writes to a pager
// wait while the person reads.
type timedWriter struct {
	w     io.Writer
	total *time.Duration
}

func (t timedWriter) Write(p []byte) (int, error) {
	start := time.Now()
	n, err := t.w.Write(p)
	*t.total += time.Since(start)
	return n, err
}

// Deps are what a session needs from the program around it: each is given
// once, when the session is built (Config.Deps), and any may be nil.
type Deps struct {
	// ConfigFor builds the configuration of a \connect; nil refuses it.
	ConfigFor ConfigFunc
	// ShellRefused says why \! may not run here ("" when it may); nil:
	// the policy's allow_shell decides.
	ShellRefused func() string
	// OptionsHelp is the command-line help (\? options); nil: none.
	OptionsHelp func() string
	// History lists the interactive shell's history for \s; nil when no
	// history is kept (a script).
	History func() []string
	// ListEnvs prints the configured environments (\envs).
	ListEnvs func(io.Writer)
	// OnConnect is told about every connection the session makes: the
	// first (Open), a \connect's and a reconnect's. An error fails Open;
	// later ones are printed and the session goes on.
	OnConnect func(*Session, *pgconn.Config) error
}

// Config is what a session is built from.
type Config struct {
	Streams *term.IOStreams
	Print   render.Options
	Vars    *Vars
	Deps    Deps
	// Commands is the backslash command table; nil: meta's default,
	// built here.
	Commands *meta.Table
}

// New builds a session with no connection yet: Open makes the first.
func New(c Config) (*Session, error) {
	if c.Commands == nil {
		t, err := meta.NewDefaultTable()
		if err != nil {
			return nil, fmt.Errorf("build the backslash command table: %w", err)
		}
		c.Commands = t
	}
	s := &Session{streams: c.Streams, Print: c.Print, Vars: c.Vars, Deps: c.Deps, out: c.Streams.Out, commands: c.Commands}
	s.Engine = engine.New(s, c.Streams.Err)
	return s, nil
}

// Open makes the session's first connection, on cfg, and tells OnConnect
// about it. Notices are printed on standard error with the current script
// position, as psql does. When OnConnect fails the connection stays open,
// for Close.
func (s *Session) Open(ctx context.Context, cfg *pgconn.Config) error {
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		render.NoticeVerbosity(s.streams.Err, n, s.prefix(), s.verbosity(), s.showContext())
	}
	pg.KeepReason(cfg) // the server's reason when it ends the session
	conn, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	s.SetConn(conn, cfg)
	s.connectionVars()
	if s.OnConnect != nil {
		return s.OnConnect(s, cfg)
	}
	return nil
}

// setConnectionVars is told about a new connection after the first (a
// \connect, a reconnect): it sets psql's variables for it, then tells
// OnConnect, whose error is said and does not end the session.
func (s *Session) setConnectionVars() {
	s.connectionVars()
	if s.OnConnect == nil {
		return
	}
	if err := s.OnConnect(s, s.Config()); err != nil {
		fmt.Fprintf(s.streams.Err, "safesql: error: %v\n", err)
	}
}

// connectionVars sets psql's DBNAME, USER, HOST, PORT and server version
// variables for the current connection.
func (s *Session) connectionVars() {
	cfg := s.Config()
	s.Vars.Set("DBNAME", cfg.Database)
	s.Vars.Set("USER", cfg.User)
	s.Vars.Set("HOST", cfg.Host)
	s.Vars.Set("PORT", fmt.Sprint(cfg.Port))
	if v := s.Conn().ParameterStatus("server_version"); v != "" {
		s.Vars.Set("SERVER_VERSION_NAME", v)
	}
	if n := pg.ServerVersionNum(s.Conn()); n > 0 {
		s.Vars.Set("SERVER_VERSION_NUM", strconv.Itoa(n))
	}
	if v := s.Conn().ParameterStatus("client_encoding"); v != "" {
		s.Vars.Set("ENCODING", v)
	}
}

// Errors counts the statements and commands that have failed so far.
func (s *Session) Errors() int { return s.errors }

// Close closes the connection and any \o file.
func (s *Session) Close(ctx context.Context) error {
	s.setOutput(nil, nil)
	if s.Engine == nil || s.Conn() == nil {
		return nil
	}
	return s.Conn().Close(ctx)
}

// OpenOutput sends query results where psql's -o and \o say: "" is
// standard output, "|command" a shell command's input, anything else a
// file (created or truncated). The previous target is closed first.
func (s *Session) OpenOutput(ctx context.Context, target string) error {
	s.setOutput(nil, nil)
	if target == "" {
		return nil
	}
	w, c, err := s.openTarget(ctx, target)
	if err != nil {
		return err
	}
	s.setOutput(w, c)
	return nil
}

// openTarget opens what \o and \g write to: a file (truncated), or with
// a leading "|" a shell command's standard input.
func (s *Session) openTarget(ctx context.Context, target string) (io.Writer, io.Closer, error) {
	if strings.HasPrefix(target, "|") {
		if err := s.shellGate(target); err != nil {
			return nil, nil, err
		}
		cmd := exec.CommandContext(ctx, "/bin/sh", "-c", strings.TrimSpace(target[1:]))
		cmd.Args[0] = "sh" // as popen names it in the shell's messages
		in, err := cmd.StdinPipe()
		if err != nil {
			return nil, nil, fmt.Errorf("could not start \"%s\": %w", target[1:], err)
		}
		cmd.Stdout, cmd.Stderr = s.streams.Out, s.streams.Err
		if err := cmd.Start(); err != nil {
			return nil, nil, fmt.Errorf("could not start \"%s\": %w", target[1:], err)
		}
		return in, closerFunc(func() error { in.Close(); return cmd.Wait() }), nil
	}
	f, err := os.Create(target)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %s", target, osMessage(err))
	}
	return f, f, nil
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

func (s *Session) setOutput(w io.Writer, c io.Closer) {
	if s.outFile != nil {
		_ = s.outFile.Close()
		s.outFile = nil
	}
	s.out = s.streams.Out
	if w != nil {
		s.outFile, s.out = c, w
	}
}

func (s *Session) prefix() string {
	if !s.script {
		return ""
	}
	return fmt.Sprintf("safesql:%s:%d: ", s.file, s.line)
}

// errorf prints one of safesql's own errors the way psql's logging does.
func (s *Session) errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if s.script {
		fmt.Fprintf(s.streams.Err, "%serror: %s\n", s.prefix(), msg)
		return
	}
	fmt.Fprintln(s.streams.Err, msg)
}

func (s *Session) quiet() bool { return s.Vars.Bool("QUIET") }

// showContext is the SHOW_CONTEXT variable.
func (s *Session) showContext() render.Context {
	v, _ := s.Vars.Get("SHOW_CONTEXT")
	return render.ParseContext(v)
}

// verbosity is the VERBOSITY variable.
func (s *Session) verbosity() render.Verbosity {
	v, _ := s.Vars.Get("VERBOSITY")
	return render.ParseVerbosity(v)
}

// execWrapped sends sql, with w's statements around it in the same round
// trip, and prints its results as psql does.
func (s *Session) execWrapped(ctx context.Context, sql string, copyData io.Reader, w *engine.Wrap) error {
	s.running.Store(true)
	defer s.running.Store(false)
	s.logQuery(sql)
	if echo, _ := s.Vars.Get("ECHO"); strings.EqualFold(echo, "queries") {
		fmt.Fprintln(s.out, strings.TrimRight(sql, "\n"))
	}
	s.lastQuery = sql
	s.lastTag = pgconn.CommandTag{}
	if s.timing {
		defer s.printTiming(time.Now())
	}
	var err error
	switch {
	case !s.Guarded() && s.combined(sql) && containsFold(sql, "copy"):
		// psql's combined queries holding a COPY: one query, its data
		// fed when the server asks for it
		err = s.combinedCopy(ctx, sql, w, copyData)
	case copyData != nil || s.CopyToClient(sql):
		// pgconn runs a COPY on its own: the wrapping goes before and
		// after it, in round trips of their own.
		if w != nil && len(w.Pre) > 0 {
			err = w.RunHidden(ctx, s.Conn(), 0, w.Pre)
		}
		if err == nil {
			if copyData != nil {
				err = s.copyIn(ctx, sql, copyData)
			} else {
				s.lastTag, err = s.Conn().CopyTo(ctx, s.out, sql)
			}
		}
		if err == nil && w != nil && len(w.Post) > 0 {
			err = w.RunHidden(ctx, s.Conn(), len(w.Pre)+1, w.Post)
		}
	default:
		err = s.query(ctx, sql, w)
	}
	s.setResultVars(err)
	defer s.flushCopyNote()
	if w != nil && w.Offset > 0 {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Position > int32(w.Offset) {
			pgErr.Position -= int32(w.Offset)
		} else if errors.As(err, &pgErr) && pgErr.Position > 0 {
			pgErr.Position = 0
		}
	}
	return s.report(sql, err)
}

// printTiming prints psql's "Time: 1.234 ms", with the long form from a
// second on.
func (s *Session) printTiming(start time.Time) {
	ms := float64(time.Since(start).Nanoseconds()) / 1e6
	if ms < 1000 {
		fmt.Fprintf(s.streams.Out, "Time: %.3f ms\n", ms)
		return
	}
	d := time.Duration(ms * float64(time.Millisecond))
	secs := d.Seconds() - float64(int(d.Minutes()))*60
	switch {
	case d < time.Hour:
		fmt.Fprintf(s.streams.Out, "Time: %.3f ms (%02d:%06.3f)\n", ms, int(d.Minutes()), secs)
	case d < 24*time.Hour:
		fmt.Fprintf(s.streams.Out, "Time: %.3f ms (%02d:%02d:%06.3f)\n", ms, int(d.Hours()), int(d.Minutes())%60, secs)
	default:
		fmt.Fprintf(s.streams.Out, "Time: %.3f ms (%.0f d %02d:%02d:%06.3f)\n", ms, d.Hours()/24, int(d.Hours())%24, int(d.Minutes())%60, secs)
	}
}

// setResultVars sets psql's ERROR, SQLSTATE, ROW_COUNT and, after a
// failure, LAST_ERROR_MESSAGE and LAST_ERROR_SQLSTATE.
func (s *Session) setResultVars(err error) {
	if err == nil {
		s.Vars.Set("ERROR", "false")
		s.Vars.Set("SQLSTATE", "00000")
		s.Vars.Set("ROW_COUNT", fmt.Sprint(s.lastTag.RowsAffected()))
		return
	}
	code := "XX000"
	msg := err.Error()
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		code, msg = pgErr.Code, pgErr.Message
	}
	s.Vars.Set("ERROR", "true")
	s.Vars.Set("SQLSTATE", code)
	s.Vars.Set("ROW_COUNT", "0")
	s.Vars.Set("LAST_ERROR_MESSAGE", msg)
	s.Vars.Set("LAST_ERROR_SQLSTATE", code)
}

func (s *Session) copyIn(ctx context.Context, sql string, data io.Reader) error {
	startLine := s.line
	tag, err := s.Conn().CopyFrom(ctx, data, sql)
	s.lastTag = tag
	s.finishCopyData(data, startLine, err)
	if err != nil {
		return err
	}
	if !s.quiet() {
		fmt.Fprintln(s.out, tag.String())
	}
	return nil
}

// streamedCopy is a split.CopyReader: what is left of a failed COPY's data
// must be skipped, and its errors belong to the line of its "\.".
type streamedCopy interface {
	Close() error
	Last() split.Item
}

// finishCopyData skips what a COPY did not read of its inline data, moves
// the error position to the end of the data as psql does, and when the
// COPY failed says that its data was not run as SQL (psql would run it).
func (s *Session) finishCopyData(data io.Reader, startLine int, err error) {
	end := startLine
	if sc, ok := data.(streamedCopy); ok {
		_ = sc.Close()
		if last := sc.Last(); last.EndLine > 0 {
			end = last.EndLine
			if s.script {
				s.line = end
			}
		}
	}
	// A COPY that failed on its data had the data (psql sends all of it
	// too); one that failed before starting is where psql would run the
	// data as SQL: say that safesql did not.
	var pgErr *pgconn.PgError
	if err != nil && end > startLine && !(errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Where, "COPY ")) {
		s.copyNote = fmt.Sprintf("%sCOPY failed: its data (lines %d to %d) was skipped, not run as SQL\n", s.prefix(), startLine+1, end)
	}
}

// flushCopyNote prints finishCopyData's note after the error it explains.
func (s *Session) flushCopyNote() {
	if s.copyNote != "" {
		fmt.Fprint(s.streams.Err, s.copyNote)
		s.copyNote = ""
	}
}

func (s *Session) query(ctx context.Context, sql string, w *engine.Wrap) error {
	return s.queryResults(ctx, sql, w, nil)
}

// lastResult takes the last result of a query instead of printing it
// (\gset of combined queries: the results before it are printed).
type lastResult struct {
	cols []render.Column
	rows [][][]byte // the first two rows
	n    int        // rows in all
	set  bool
}

// combined reports whether sql holds more than one statement (psql's
// combined queries, "select 1 \; select 2").
func (s *Session) combined(sql string) bool {
	body := strings.TrimRight(sql, " \t\r\n;")
	if !strings.Contains(body, ";") {
		return false
	}
	parts, _ := s.Statements(sql)
	return len(parts) > 1
}

// send sends sql with w's statements around it in one round trip. Under
// the safety rules each goes in a message of its own through the extended
// protocol, whose Parse message holds exactly one statement: text that the
// splitter misread as one statement (standard_conforming_strings, a
// variable's value) is refused by the server, never run unseen. psql's
// behaviour keeps psql's simple query.
func (s *Session) send(ctx context.Context, sql string, w *engine.Wrap) *pgconn.MultiResultReader {
	if !s.Guarded() {
		return s.Conn().Exec(ctx, w.Text(sql))
	}
	b := &pgconn.Batch{}
	if w != nil {
		for _, p := range w.Pre {
			b.ExecParams(p, nil, nil, nil, nil)
		}
	}
	b.ExecParams(sql, nil, nil, nil, nil)
	if w != nil {
		for _, p := range w.Post {
			b.ExecParams(p, nil, nil, nil, nil)
		}
	}
	return s.Conn().ExecBatch(ctx, b)
}

func (s *Session) termWidth() int {
	if s.outFile != nil {
		return 0
	}
	return s.streams.Width()
}

// containsFold reports whether s holds word in any case.
func containsFold(s, word string) bool {
	return strings.Contains(strings.ToLower(s), word)
}

// firstErr keeps the first error of several: first, or err when first is
// nil.
func firstErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// report shows err as psql would and classifies it: nil, an
// engine.ErrStatementFailed (a *engine.StatementError with the server's
// error) or a *pg.ConnectionLostError.
func (s *Session) report(sql string, err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		sql, pgErr = redactedError(sql, pgErr) // the error shows no secret
		s.lastErr, s.lastErrQuery = pgErr, sql
		render.ErrorVerbosity(s.streams.Err, pgErr, sql, s.prefix(), s.verbosity(), s.showContext())
		if echo, _ := s.Vars.Get("ECHO"); strings.EqualFold(echo, "errors") {
			fmt.Fprintf(s.streams.Err, "%sSTATEMENT:  %s\n", s.prefix(), sql)
		}
		if pgErr.Severity == "FATAL" || pgErr.Severity == "PANIC" || pg.StateOf(s.Conn()) == pg.Gone {
			return s.lost(err)
		}
		return &engine.StatementError{Err: pgErr}
	}
	if pg.StateOf(s.Conn()) == pg.Gone {
		return s.lost(err)
	}
	s.errorf("%v", err)
	return engine.ErrStatementFailed
}

func (s *Session) lost(err error) error {
	if reason := pg.Reason(s.Conn(), err); reason != nil {
		// the server said why it ended the session: that (a person is
		// told it instead of psql's guess that the server "terminated
		// abnormally"; a script keeps psql's words after it)
		var shown *pgconn.PgError
		if !errors.As(err, &shown) {
			fmt.Fprintf(s.streams.Err, "%s%s:  %s\n", s.prefix(), reason.Severity, reason.Message)
		}
	}
	if reason := pg.Reason(s.Conn(), err); reason != nil && s.Interactive {
		fmt.Fprintf(s.streams.Err, "%sthe server closed the connection\n", s.prefix())
	} else {
		fmt.Fprintf(s.streams.Err, "%sserver closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.\n", s.prefix())
	}
	if s.script {
		fmt.Fprintf(s.streams.Err, "%serror: connection to server was lost\n", s.prefix())
	} else {
		fmt.Fprintln(s.streams.Err, "connection to server was lost")
	}
	return &pg.ConnectionLostError{Err: err}
}

// SetLog sends the session log (-L) to w: each query sent, under psql's
// banner, and its result in aligned form, as psql writes it.
func (s *Session) SetLog(w io.Writer) { s.logFile = w }

// logQuery writes a query's banner to the session log.
func (s *Session) logQuery(sql string) {
	if s.logFile != nil {
		fmt.Fprintf(s.logFile, "********* QUERY **********\n%s\n**************************\n\n", audit.Redact(sql))
	}
}

// StopWatch ends a running \watch and reports whether there was one (the
// signal handler: Ctrl-C during \watch ends the watch, not the run).
func (s *Session) StopWatch() bool {
	if stop := s.watchStop.Load(); stop != nil {
		(*stop)()
		return true
	}
	return false
}

// Running reports whether a statement is at the server now (safe from
// another goroutine: the signal handler asks).
func (s *Session) Running() bool { return s.running.Load() }

// resultColumns are a result's columns as render takes them: nil for a
// command that returns no rows, empty (not nil) for a result with no
// columns ("SELECT;").
func resultColumns(fields []pgconn.FieldDescription) []render.Column {
	if fields == nil {
		return nil
	}
	cols := make([]render.Column, len(fields))
	for i, f := range fields {
		cols[i] = render.Column{Name: f.Name, TypeOID: f.DataTypeOID}
	}
	return cols
}

// copyRow copies a row's values out of pgconn's buffer (NULL stays nil).
func copyRow(vals [][]byte) [][]byte {
	row := make([][]byte, len(vals))
	for i, v := range vals {
		if v != nil {
			row[i] = append([]byte{}, v...)
		}
	}
	return row
}

// Query runs one statement and returns its columns and rows instead of
// printing them (\gset, the describing commands). Values are copied.
func (s *Session) Query(ctx context.Context, sql string) ([]render.Column, [][][]byte, error) {
	mrr := s.Conn().Exec(ctx, sql)
	var cols []render.Column
	var rows [][][]byte
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		cols, rows = resultColumns(rr.FieldDescriptions()), nil
		for rr.NextRow() {
			rows = append(rows, copyRow(rr.Values()))
		}
		tag, err := rr.Close()
		if err != nil {
			_ = mrr.Close()
			return nil, nil, err
		}
		s.lastTag = tag
	}
	if err := mrr.Close(); err != nil {
		return nil, nil, err
	}
	return cols, rows, nil
}

// returningTag reports whether tag is that of a statement psql prints the
// tag of after its rows (INSERT, UPDATE or DELETE with RETURNING).
func returningTag(tag pgconn.CommandTag) bool {
	return tag.Insert() || tag.Update() || tag.Delete()
}
