package shell

import (
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/dryrun"
)

func (s *Session) auditBase() audit.Entry {
	e := s.AuditTemplate
	e.Env, e.Tier = s.policy.Env, s.policy.Tier
	if s.config != nil {
		e.Host, e.Database, e.DBUser = s.config.Host, s.config.Database, s.config.User
	}
	return e
}

// auditLine writes one line about what already happened; a failure is
// remembered (and in an environment that requires the audit, stops what
// follows, and the run's exit status says so).
func (s *Session) auditLine(e audit.Entry) {
	_ = s.writeAudit(e, auditAfter)
}

// auditStrict writes one line before the statement it is about and,
// where the audit is required, returns the failure so that the statement
// does not run.
func (s *Session) auditStrict(e audit.Entry) error {
	return s.writeAudit(e, auditBefore)
}

// auditAheadOf writes the write-ahead line of what is about to be sent;
// the caller says what was not sent when it fails.
func (s *Session) auditAheadOf(e audit.Entry) error {
	return s.writeAudit(e, auditAhead)
}

// auditWhen says when a line is written, for what a failure means.
type auditWhen int

const (
	auditBefore auditWhen = iota // before the statement: it does not run
	auditAhead                   // the write-ahead line: the caller explains
	auditAfter                   // after it ran: what ran is not on record
)

func (s *Session) writeAudit(e audit.Entry, when auditWhen) error {
	if s.Audit == nil {
		return nil
	}
	base := s.auditBase()
	base.Statement, base.Class, base.Flags = e.Statement, e.Class, e.Flags
	base.DryRunRows, base.DryRunEstimate = e.DryRunRows, e.DryRunEstimate
	base.Decision, base.Reason, base.Rows = e.Decision, e.Reason, e.Rows
	base.Duration, base.Error, base.Tx = e.Duration, e.Error, e.Tx
	if s.config != nil && s.config.Password != "" {
		base.Secrets = []string{s.config.Password}
	}
	if err := s.Audit.Write(base); err != nil {
		s.auditBroken = err
		s.errorf("audit log: %v", err)
		if !s.policy.AuditRequired {
			return nil
		}
		switch when {
		case auditBefore:
			s.errorf("refused: the audit log is required in %s and cannot be written; nothing ran", s.policy.Tier)
		case auditAfter:
			s.errorf("the audit log is required in %s and the line recording what just ran could not be written; nothing else runs until the log works", s.policy.Tier)
		}
		return ErrRefused
	}
	return nil
}

func (s *Session) auditRan(sql string, v analyze.Verdict, imp *dryrun.Impact, d time.Duration, err error) {
	e := audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), Decision: audit.Ran, Duration: d}
	if imp != nil {
		e.DryRunRows, e.DryRunEstimate = dryRows(*imp), imp.Estimate
	}
	if err != nil {
		e.Error = errText(err)
	} else {
		n := s.lastTag.RowsAffected()
		e.Rows = &n
	}
	s.auditLine(e)
}

func (s *Session) auditTx(sql, outcome string, err error) {
	e := audit.Entry{Statement: sql, Class: "read", Decision: audit.Ran, Tx: outcome}
	if err != nil {
		e.Error = errText(err)
		if outcome == audit.Commit {
			e.Tx = audit.Rollback
		}
	}
	s.auditLine(e)
}

func errText(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Severity + ": " + pgErr.Message
	}
	return err.Error()
}
