package shell

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/engine"
)

// The session is its engine's Host: it sends statements and prints their
// results as psql does, and keeps psql's variables.
var _ engine.Host = (*Session)(nil)

// Send sends sql with w's statements around it and prints its results.
func (s *Session) Send(ctx context.Context, sql string, copyData io.Reader, w *engine.Wrap) error {
	return s.execWrapped(ctx, sql, copyData, w)
}

// Report shows err, the failure of sql, as psql would.
func (s *Session) Report(sql string, err error) error { return s.report(sql, err) }

// Fail records sql as the last query, failed with err, and reports it.
func (s *Session) Fail(sql string, err error) error {
	s.lastQuery = sql
	s.setResultVars(err)
	return s.report(sql, err)
}

// Ran records sql as having run with tag, and prints the tag as psql does.
func (s *Session) Ran(sql string, tag pgconn.CommandTag) {
	s.lastQuery, s.lastTag = sql, tag
	s.setResultVars(nil)
	if !s.quiet() {
		fmt.Fprintln(s.out, tag.String())
	}
}

// ShowTag prints a command tag held back with the statement's results.
func (s *Session) ShowTag(tag pgconn.CommandTag) {
	if tag.String() != "" && !s.quiet() {
		fmt.Fprintln(s.out, tag.String())
	}
}

// SetResultVars sets psql's ERROR, SQLSTATE and ROW_COUNT for err.
func (s *Session) SetResultVars(err error) { s.setResultVars(err) }

// LastTag is the command tag of the last statement sent.
func (s *Session) LastTag() pgconn.CommandTag { return s.lastTag }

// Var is a psql variable's value.
func (s *Session) Var(name string) (string, bool) { return s.Vars.Get(name) }

// BoolVar is a psql variable read as psql reads a boolean.
func (s *Session) BoolVar(name string) (value, known bool) {
	v, _ := s.Vars.Get(name)
	return analyze.ParseBool(v)
}

// Prefix is psql's "safesql:FILE:LINE: " while a script runs.
func (s *Session) Prefix() string { return s.prefix() }

// Errorf prints one of safesql's own errors as psql's logging does.
func (s *Session) Errorf(format string, args ...any) { s.errorf(format, args...) }

// Out is where query output goes.
func (s *Session) Out() io.Writer { return s.out }

// Reconnected sets psql's connection variables for a new connection.
func (s *Session) Reconnected() { s.setConnectionVars() }

// PagerTime is the time results have waited on the pager, in all.
func (s *Session) PagerTime() time.Duration { return s.pagerTime }
