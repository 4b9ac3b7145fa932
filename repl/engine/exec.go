package engine

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/pg"
)

// ErrStatementFailed is returned after a statement's error has been shown.
var ErrStatementFailed = errors.New("statement failed")

// isCopyToStdout reports whether sql is a COPY ... TO STDOUT, whose data
// pgconn must read with CopyTo, as the analyzer reads it. Only text that
// may start with COPY is parsed: scripts are mostly other statements.
func (e *Engine) CopyToClient(sql string) bool {
	rest := skipNoise(sql)
	if len(rest) < 4 || !strings.EqualFold(rest[:4], "copy") {
		return false
	}
	e.initAnalyzer()
	a := e.analyzer.WithStandardStrings(e.StandardStrings())
	v := a.Predict(sql)
	if parts, _ := e.Statements(sql); v.Statements > 1 && len(parts) > 1 {
		// psql's multi-statement text (no rules): its first statement
		v = a.Predict(parts[0])
	}
	return v.CopyToClient
}

// Exec runs one SQL text (possibly several statements, as psql's -c does)
// and prints its results. copyData, when not nil, is the inline data of a
// COPY ... FROM STDIN. Where the environment has rules, the statement goes
// through them first (guard.go).
func (e *Engine) Exec(ctx context.Context, sql string, copyData io.Reader) error {
	if e.guarded() {
		// Text holding several statements (a variable's value, a \gexec
		// cell, -c) is never one statement: each goes through the rules
		// on its own, and the first that fails or is refused stops the
		// rest, as psql's multi-statement query stops at its first error.
		parts, rest := e.Statements(sql)
		if len(parts) > 1 {
			// the server parses a whole query text before it runs any of
			// it: a statement the parser rejects stops all of them
			if err := e.ParseWhole(sql, parts, rest); err != nil {
				return err
			}
		}
		if len(parts) > 1 && copyData != nil {
			e.host.Errorf("refused: COPY ... FROM STDIN must be a statement of its own, and this text holds %d statements; nothing ran", len(parts))
			return ErrRefused
		}
		for i := 0; i < len(parts); i++ {
			scs := e.StandardStrings()
			start := time.Now()
			err := e.execGuarded(ctx, parts[i], copyData)
			e.lastDuration = time.Since(start)
			if errors.Is(err, ErrRefused) || errors.Is(err, ErrAborted) {
				e.refusals++
			}
			if err != nil {
				return err
			}
			if e.StandardStrings() != scs && i+1 < len(parts) {
				// the statement changed how strings are read: the rest
				// is cut again as the server will now read it
				parts, rest = e.Statements(rest[i+1])
				i = -1
			}
		}
		return nil
	}
	w, savepoint := e.psqlWrap(sql)
	err := e.host.Send(ctx, sql, copyData, w)
	if err != nil && savepoint && pg.StateOf(e.conn) != pg.Gone && pg.StateOf(e.conn) == pg.Failed {
		// ON_ERROR_ROLLBACK: the failed statement alone is undone.
		_ = e.HiddenExec(ctx, "ROLLBACK TO SAVEPOINT "+psqlSavepoint)
	}
	return err
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
