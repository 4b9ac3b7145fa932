package engine

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/frontend"
)

// Host is what the engine asks of the shell around it: sending a statement
// and printing its results as psql does, psql's variables, and where
// messages go.
type Host interface {
	// Send sends sql, with w's statements around it in the same round
	// trip (w may be nil), prints its results as psql does and returns
	// nil, ErrStatementFailed or a *pg.ConnectionLostError.
	Send(ctx context.Context, sql string, copyData io.Reader, w *Wrap) error
	// Report shows err, the failure of sql, as psql would and classifies
	// it like Send.
	Report(sql string, err error) error
	// Fail records sql as the last query, failed with err (psql's result
	// variables), and reports it.
	Fail(sql string, err error) error
	// Ran records sql as having run with tag, printing the tag as psql
	// does, without sending anything.
	Ran(sql string, tag pgconn.CommandTag)
	// ShowTag prints a command tag the statement's results held back
	// (Wrap.HoldTag), as psql prints it.
	ShowTag(tag pgconn.CommandTag)
	// SetResultVars sets psql's ERROR, SQLSTATE and ROW_COUNT for err.
	SetResultVars(err error)
	// LastTag is the command tag of the last statement sent.
	LastTag() pgconn.CommandTag
	// Var is a psql variable's value.
	Var(name string) (string, bool)
	// BoolVar is a psql variable read as psql reads a boolean; known is
	// false when it is unset or not a boolean.
	BoolVar(name string) (value, known bool)
	// Prefix is psql's "safesql:FILE:LINE: " while a script runs, else "".
	Prefix() string
	// Errorf prints one of safesql's own errors as psql's logging does.
	Errorf(format string, args ...any)
	// Out is where query output goes (standard output, or \o's target).
	Out() io.Writer
	// Reconnected is told when the engine opened a new connection.
	Reconnected()
	// PagerTime is the time spent, in all, waiting on the pager (a
	// person reading a result): it is not the statement's own time.
	PagerTime() time.Duration
}

// ErrRefused is returned when a safety rule refused a statement: nothing
// was sent and the transaction is as it was.
var ErrRefused = errors.New("refused by a safety rule")

// ErrAborted is returned when the person declined (or nobody could
// answer): nothing ran and the transaction is as it was.
var ErrAborted = errors.New("aborted: nothing ran")

// AuditSink receives the audit lines (audit.Log is one).
type AuditSink interface {
	Write(audit.Entry) error
}

// Engine runs statements under an environment's rules on one connection.
type Engine struct {
	// Interactive: a person is typing (a failed \connect keeps the
	// previous connection instead of ending the run).
	Interactive bool
	// Confirm asks the person; nil means nobody can answer.
	Confirm frontend.Confirmer
	// Grants are what the command line allowed a run with no terminal.
	Grants Grants
	// PlanVerbose: a script's plan lists every statement that changes
	// something (--plan-verbose), not only its summary.
	PlanVerbose bool
	// Audit receives one line per statement and decision; nil: no audit.
	Audit AuditSink
	// AuditTemplate holds the audit fields the engine does not know:
	// OS user, SSH client, session id.
	AuditTemplate audit.Entry
	// Now is the session's clock, for what it judges by the time: how
	// long a transaction has been open, since when the server is idle.
	// Nil is time.Now. Durations it measures (a statement's time, a lock
	// wait) use the real clock.
	Now func() time.Time

	host   Host
	errOut io.Writer // safesql's own messages: standard error

	conn   *pgconn.PgConn
	config *pgconn.Config

	policy       Policy
	writes       bool // \write: writes allowed where the policy is read-only
	tx           txTrack
	lastDuration time.Duration
	// stmtTime adds up the statement's own round trips (send): not its
	// dry run, its confirmation, nor the time a person spent in the pager.
	stmtTime time.Duration
	// idleSince is when the server finished the last statement sent.
	idleSince time.Time

	analyzer *analyze.Analyzer
	// verdictCache: see verdicts.
	verdictCache *analyze.Cache
	// preplanned: the \i files planned with the whole input (Preplanned).
	preplanned  map[string]bool
	auditBroken error // the last audit write failed
	// helpersReady: safesql's own prepared statements (safesql_snap,
	// safesql_check) exist on the connection.
	helpersReady bool
	// refusals counts what the safety rules refused or nobody confirmed.
	refusals int
	// plainTables: INSERT targets (as written, to qualified) the server
	// last said were plain (no triggers, no rules), counted from their
	// command tags.
	plainTables map[string]string
	// misread, set by tests only, replaces the analyzer's verdict: what
	// the server backs must hold when the analyzer is wrong.
	misread func(sql string, v analyze.Verdict) analyze.Verdict
}

// New is an engine that works for host and writes its own messages to
// errOut. It has no connection until SetConn.
func New(host Host, errOut io.Writer) *Engine {
	return &Engine{host: host, errOut: errOut}
}

// SetConn makes conn, opened with cfg, the engine's connection. The rules
// are set again with SetPolicy.
func (e *Engine) SetConn(conn *pgconn.PgConn, cfg *pgconn.Config) {
	e.conn, e.config = conn, cfg
	e.tx = txTrack{}
	e.helpersReady = false
	clear(e.plainTables)
}

// Conn is the engine's connection (nil before the first).
func (e *Engine) Conn() *pgconn.PgConn { return e.conn }

// Config is the configuration the connection was opened with.
func (e *Engine) Config() *pgconn.Config { return e.config }

// Misread makes the analyzer's verdicts pass through f: a test seam, so
// that tests can show that what the server backs holds when the analyzer
// is wrong.
func (e *Engine) Misread(f func(sql string, v analyze.Verdict) analyze.Verdict) { e.misread = f }

// send is Host.Send, timed: what the statement's own round trips took
// adds up in stmtTime, less the time the result waited on the pager.
func (e *Engine) send(ctx context.Context, sql string, copyData io.Reader, w *Wrap) error {
	start, paged := time.Now(), e.host.PagerTime()
	err := e.host.Send(ctx, sql, copyData, w)
	e.stmtTime += time.Since(start) - (e.host.PagerTime() - paged)
	return err
}

// query runs one statement of the engine's own and returns its rows.
func (e *Engine) query(ctx context.Context, sql string) ([][][]byte, error) {
	res, err := e.conn.Exec(ctx, sql).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(res) == 0 {
		return nil, nil
	}
	return res[len(res)-1].Rows, nil
}

// queryNames runs a catalogue query of the engine's own whose one
// parameter, $1, is a text array of names: the names travel as a bound
// parameter, never spliced into the query's text.
func (e *Engine) queryNames(ctx context.Context, sql string, names []string) ([][][]byte, error) {
	res := e.conn.ExecParams(ctx, sql, [][]byte{textArray(names)}, nil, nil, nil).Read()
	return res.Rows, res.Err
}

// textArray is names as a PostgreSQL text[] literal in text format.
func textArray(names []string) []byte {
	b := []byte{'{'}
	for i, n := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		for j := 0; j < len(n); j++ {
			if n[j] == '"' || n[j] == '\\' {
				b = append(b, '\\')
			}
			b = append(b, n[j])
		}
		b = append(b, '"')
	}
	return append(b, '}')
}

// Status is how a run ends, with psql's exit codes.
type Status int

const (
	StatusOK         Status = 0 // finished normally
	StatusFatal      Status = 1 // an error of safesql's own (file not found, bad option)
	StatusConnection Status = 2 // the connection failed or was lost
	StatusScript     Status = 3 // an error in a script with ON_ERROR_STOP set
)
