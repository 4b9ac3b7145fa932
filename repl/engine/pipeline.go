package engine

import (
	"context"
	"errors"
	"io"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/pg"
	"github.com/safesql/safesql/repl/policy"
)

// Exec runs one SQL text (possibly several statements, as psql's -c does)
// and prints its results. copyData, when not nil, is the inline data of a
// COPY ... FROM STDIN. Where the environment has rules, the statement goes
// through them first (execGuarded, below).
func (e *Engine) Exec(ctx context.Context, sql string, copyData io.Reader) error {
	// The server's idle clock starts when it has sent the last of the
	// results, before the person reads them in the pager.
	paged := e.host.PagerTime()
	defer func() { e.idleSince = e.now().Add(-(e.host.PagerTime() - paged)) }()
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
		if e.oneMessage(parts) {
			// The server runs a text of several statements (psql's
			// combined queries) in one implicit transaction: all of it
			// or none. Each statement goes through the rules alone, in a
			// transaction opened for them, ended with the last.
			return e.execOneMessage(ctx, parts, rest)
		}
		for i := 0; i < len(parts); i++ {
			scs := e.StandardStrings()
			e.stmtTime = 0
			err := e.execGuarded(ctx, parts[i], copyData)
			e.noteDuration()
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
	e.warnTyped(sql)
	w, savepoint := e.psqlWrap(sql)
	e.stmtTime = 0
	err := e.send(ctx, sql, copyData, w)
	e.noteDuration()
	if err != nil && savepoint && pg.StateOf(e.conn) == pg.Failed {
		// ON_ERROR_ROLLBACK: the failed (or cancelled) statement alone
		// is undone.
		cctx, cancel := cleanupCtx(ctx)
		_ = e.HiddenExec(cctx, "ROLLBACK TO SAVEPOINT "+psqlSavepoint)
		cancel()
	}
	return err
}

// oneMessage reports whether parts, the statements of one text, must be
// made one transaction as the server makes a multi-statement query one:
// where statements commit on their own (autocommit) and no transaction is
// open. A text that controls transactions itself (BEGIN, COMMIT, ...) runs
// statement by statement, as the server then does too.
func (e *Engine) oneMessage(parts []string) bool {
	if len(parts) < 2 || !e.policy.Autocommit || pg.StateOf(e.conn) != pg.Idle {
		return false
	}
	for _, p := range parts {
		if e.classifyTx(p) != analyze.TxNone {
			return false
		}
	}
	return true
}

// execOneMessage runs parts in one transaction: committed after the last,
// rolled back when one fails or is refused, so that nothing of the text
// stays, as with psql.
func (e *Engine) execOneMessage(ctx context.Context, parts, rest []string) error {
	if err := e.HiddenExec(ctx, "BEGIN"); err != nil {
		return e.host.Fail("BEGIN", err)
	}
	e.SyncTx()
	var err error
	for i := 0; i < len(parts) && err == nil; i++ {
		scs := e.StandardStrings()
		e.stmtTime = 0
		err = e.execGuarded(ctx, parts[i], nil)
		e.noteDuration()
		if errors.Is(err, ErrRefused) || errors.Is(err, ErrAborted) {
			e.refusals++
		}
		if err == nil && e.StandardStrings() != scs && i+1 < len(parts) {
			parts, rest = e.Statements(rest[i+1])
			i = -1
		}
	}
	switch pg.StateOf(e.conn) {
	case pg.Gone:
		return err
	case pg.Idle:
		// a statement ended the transaction itself (it cannot here,
		// but the server has the last word)
		return err
	}
	if err != nil {
		if rerr := e.HiddenExec(ctx, "ROLLBACK"); rerr == nil {
			e.auditTx("ROLLBACK", audit.Rollback, nil)
		}
		e.SyncTx()
		return err
	}
	cerr := e.HiddenExec(ctx, "COMMIT")
	e.auditTx("COMMIT", audit.Commit, cerr)
	e.SyncTx()
	if cerr != nil {
		return e.host.Fail("COMMIT", cerr)
	}
	return nil
}

// noteDuration keeps, for the status line, the last statement's own time
// (its round trips: not the dry run, the confirmation or the pager); a
// statement that sent nothing (refused, aborted) leaves the last one.
func (e *Engine) noteDuration() {
	if e.stmtTime > 0 {
		e.lastDuration = e.stmtTime
	}
}

// execGuarded runs one statement through the safety rules. This is the
// pipeline every statement from every source takes where there are rules:
//
//	classify -> policy.Decide -> (dry run -> confirm) -> write-ahead audit
//	-> execute -> observe what the server says -> record
//
// The steps after Decide are runStatement (and, for a statement that is
// asked about, runDestructive and runConfirmed), commit and begin.
func (e *Engine) execGuarded(ctx context.Context, sql string, copyData io.Reader) error {
	if err := e.ReconnectIfLost(ctx); err != nil {
		return err
	}
	v := e.Classify(ctx, sql)
	d := policy.Decide(policy.FactsOf(v), e.rules(), e.policyState())
	switch {
	case d.Step == policy.Refuse || d.Step == policy.ParseError:
		// nothing is sent: a run of INSERTs goes on
	case d.Step == policy.Run && e.continuesRun(v):
	default:
		// a run of INSERTs ends before anything else is sent: what it
		// did is read back from the server (insertrun.go)
		if d.Step != policy.Rollback {
			e.closeRun(ctx, "")
		}
		e.tx.plainInserts = 0
	}
	switch d.Step {
	case policy.Refuse:
		return e.refuseBy(ctx, sql, v, d.Rule)
	case policy.ParseError:
		return e.refuseUnparsed(sql, v)
	case policy.Empty:
		return e.send(ctx, sql, copyData, nil)
	case policy.Commit:
		return e.commit(ctx, sql)
	case policy.Rollback:
		err := e.send(ctx, sql, copyData, nil)
		e.auditTx(sql, audit.Rollback, err)
		e.SyncTx()
		return err
	case policy.Begin:
		return e.begin(ctx, sql, v)
	case policy.Savepoint:
		err := e.send(ctx, sql, copyData, nil)
		e.SyncTx()
		return err
	case policy.Ask:
		return e.runDestructive(ctx, sql, copyData, v)
	}
	return e.runStatement(ctx, sql, copyData, v)
}

// rules are the environment's rules as policy.Decide reads them.
func (e *Engine) rules() policy.Rules {
	return policy.Rules{Asks: e.policy.asks(), Autocommit: e.policy.Autocommit, AuditRequired: e.policy.AuditRequired}
}

// policyState is the session's state as policy.Decide reads it.
func (e *Engine) policyState() policy.State {
	st := policy.State{ReadOnly: e.readOnlyNow(), AuditBroken: e.auditBroken != nil,
		MayCommit: e.Interactive || e.Confirm != nil || e.Grants.Commit}
	if pg.StateOf(e.conn) != pg.Gone {
		st.TxOpen = pg.StateOf(e.conn) != pg.Idle
		st.TxFailed = pg.StateOf(e.conn) == pg.Failed
	}
	return st
}
