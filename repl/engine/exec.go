package engine

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/pg"
)

// ErrStatementFailed is returned after a statement's error has been shown.
var ErrStatementFailed = errors.New("statement failed")

// StatementError is a statement's failure, already shown: it is
// ErrStatementFailed (errors.Is) and carries the server's error, which
// the audit line records.
type StatementError struct{ Err error }

func (e *StatementError) Error() string { return ErrStatementFailed.Error() + ": " + e.Err.Error() }

// Is makes a StatementError an ErrStatementFailed.
func (e *StatementError) Is(target error) bool { return target == ErrStatementFailed }

func (e *StatementError) Unwrap() error { return e.Err }

// CopyToClient reports whether sql is a COPY ... TO STDOUT, whose data
// pgconn must read with CopyTo, as the analyzer reads it.
func (e *Engine) CopyToClient(sql string) bool {
	e.initAnalyzer()
	return e.analyzer.WithStandardStrings(e.StandardStrings()).CopyToClient(sql)
}

// psqlSavepoint is the savepoint psql's ON_ERROR_ROLLBACK sets.
const psqlSavepoint = "pg_psql_temporary_savepoint"

// psqlWrap is psql's own transaction handling where the session has no
// rules of its own: AUTOCOMMIT off opens a transaction before a statement
// outside one (BEGIN travels with it), and ON_ERROR_ROLLBACK (on, or
// interactive in the shell) puts each statement in a transaction under a
// savepoint, so a failure undoes that statement only.
func (e *Engine) psqlWrap(sql string) (*Wrap, bool) {
	if e.conn == nil {
		return nil, false
	}
	// The variables first: the statement is only looked at (which costs
	// on a large one) when one of them is on.
	acOn, known := e.host.BoolVar("AUTOCOMMIT")
	noAutocommit := known && !acOn
	er, _ := e.host.Var("ON_ERROR_ROLLBACK")
	erOn, known := e.host.BoolVar("ON_ERROR_ROLLBACK")
	rollback := (known && erOn) || (strings.EqualFold(er, "interactive") && e.Interactive)
	if !noAutocommit && !rollback {
		return nil, false
	}
	e.initAnalyzer()
	v := e.analyzer.Predict(sql)
	if parts, _ := e.Statements(sql); v.Statements > 1 && len(parts) > 1 {
		// psql looks at the first statement of a multi-statement query
		v = e.analyzer.Predict(parts[0])
	}
	if v.TxControl != analyze.TxNone {
		return nil, false
	}
	status := pg.StateOf(e.conn)
	var w Wrap
	if noAutocommit && status == pg.Idle && !v.NoTransactionBlock {
		w.Pre = append(w.Pre, "BEGIN")
		status = pg.InTx
	}
	savepoint := false
	if rollback && status == pg.InTx {
		w.Pre = append(w.Pre, "SAVEPOINT "+psqlSavepoint)
		w.Post = append(w.Post, "RELEASE SAVEPOINT "+psqlSavepoint)
		savepoint = true
	}
	if len(w.Pre) == 0 {
		return nil, false
	}
	return &w, savepoint
}

// RunHidden runs the wrapping statements stmts on conn in one round trip,
// keeping their rows in w from position first on.
func (w *Wrap) RunHidden(ctx context.Context, conn *pgconn.PgConn, first int, stmts []string) error {
	res, err := conn.Exec(ctx, strings.Join(stmts, ";\n")).ReadAll()
	for i, r := range res {
		for _, row := range r.Rows {
			w.Keep(first+i, row)
		}
	}
	return err
}

// Refusals counts the statements the safety rules refused, or that nobody
// confirmed, in this session.
func (e *Engine) Refusals() int { return e.refusals }
