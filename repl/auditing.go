package repl

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

// auditLine writes one line; a failure is remembered (and in an
// environment that requires the audit, stops what follows).
func (s *Session) auditLine(e audit.Entry) {
	_ = s.auditStrict(e)
}

// auditStrict writes one line and, where the audit is required, returns
// the failure so that the statement does not run.
func (s *Session) auditStrict(e audit.Entry) error {
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
		if s.policy.AuditRequired {
			s.errorf("refused: the audit log is required in %s and cannot be written; nothing ran", s.policy.Tier)
			return ErrRefused
		}
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
