package engine

import (
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/dryrun"
)

func (e *Engine) auditBase() audit.Entry {
	entry := e.AuditTemplate
	entry.Env, entry.Tier = e.policy.Env, e.policy.Tier
	if e.config != nil {
		entry.Host, entry.Database, entry.DBUser = e.config.Host, e.config.Database, e.config.User
	}
	return entry
}

// auditLine writes one line about what already happened; a failure is
// remembered (and in an environment that requires the audit, stops what
// follows, and the run's exit status says so).
func (e *Engine) auditLine(entry audit.Entry) {
	_ = e.writeAudit(entry, auditAfter)
}

// auditStrict writes one line before the statement it is about and,
// where the audit is required, returns the failure so that the statement
// does not run.
func (e *Engine) auditStrict(entry audit.Entry) error {
	return e.writeAudit(entry, auditBefore)
}

// auditAheadOf writes the write-ahead line of what is about to be sent;
// the caller says what was not sent when it fails.
func (e *Engine) auditAheadOf(entry audit.Entry) error {
	return e.writeAudit(entry, auditAhead)
}

// auditWhen says when a line is written, for what a failure means.
type auditWhen int

const (
	auditBefore auditWhen = iota // before the statement: it does not run
	auditAhead                   // the write-ahead line: the caller explains
	auditAfter                   // after it ran: what ran is not on record
)

func (e *Engine) writeAudit(entry audit.Entry, when auditWhen) error {
	if e.Audit == nil {
		return nil
	}
	base := e.auditBase()
	base.Statement, base.Class, base.Flags = entry.Statement, entry.Class, entry.Flags
	base.DryRunRows, base.DryRunEstimate = entry.DryRunRows, entry.DryRunEstimate
	base.Decision, base.Reason, base.Rows = entry.Decision, entry.Reason, entry.Rows
	base.Duration, base.Error, base.Tx = entry.Duration, entry.Error, entry.Tx
	if e.config != nil && e.config.Password != "" {
		base.Secrets = []string{e.config.Password}
	}
	if err := e.Audit.Write(base); err != nil {
		e.auditBroken = err
		e.host.Errorf("audit log: %v", err)
		if !e.policy.AuditRequired {
			return nil
		}
		switch when {
		case auditBefore:
			e.host.Errorf("refused: the audit log is required in %s and cannot be written; nothing ran", e.policy.Tier)
		case auditAfter:
			e.host.Errorf("the audit log is required in %s and the line recording what just ran could not be written; nothing else runs until the log works", e.policy.Tier)
		}
		return ErrRefused
	}
	return nil
}

func (e *Engine) auditRan(sql string, v analyze.Verdict, imp *dryrun.Impact, d time.Duration, err error) {
	entry := audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), Decision: audit.Ran, Duration: d}
	if imp != nil {
		entry.DryRunRows, entry.DryRunEstimate = dryRows(*imp), imp.Estimate
	}
	if err != nil {
		entry.Error = errText(err)
	} else {
		n := e.host.LastTag().RowsAffected()
		entry.Rows = &n
	}
	e.auditLine(entry)
}

func (e *Engine) auditTx(sql, outcome string, err error) {
	entry := audit.Entry{Statement: sql, Class: "read", Decision: audit.Ran, Tx: outcome}
	if err != nil {
		entry.Error = errText(err)
		if outcome == audit.Commit {
			entry.Tx = audit.Rollback
		}
	}
	e.auditLine(entry)
}

func errText(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Severity + ": " + pgErr.Message
	}
	return err.Error()
}
