package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/pg"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/dryrun"
)

// runDestructive: dry run, impact, confirmation, real run, count check.
func (s *Session) runDestructive(ctx context.Context, sql string, copyData io.Reader, v analyze.Verdict) error {
	for attempt := 0; ; attempt++ {
		imp, err := dryrun.Run(ctx, s.conn, sql, v, dryrun.Options{
			Timeout: s.policy.DryRunTimeout, LockTimeout: s.policy.DryRunLockTimeout, SampleRows: -1,
		})
		s.syncTx()
		if err != nil {
			// The real run would fail the same way: show the error, run
			// nothing (report says when the connection was lost).
			return s.report(sql, err)
		}
		ok, err := s.ask(ctx, sql, v, imp)
		if err != nil || !ok {
			return err
		}
		again, err := s.runConfirmed(ctx, sql, copyData, v, imp)
		if !again || attempt >= 2 {
			return err
		}
	}
}

// ask shows the impact and asks as the policy says.
func (s *Session) ask(ctx context.Context, sql string, v analyze.Verdict, imp dryrun.Impact) (bool, error) {
	req := frontend.ConfirmRequest{
		Title:     fmt.Sprintf("%s in %s", describeWrite(sql, s.qualified(ctx, v)), s.where()),
		Statement: sql,
		Reasons:   v.Reasons,
		Loud:      v.Has(analyze.FlagNoWhere) || v.Has(analyze.FlagTautology),
		Impact:    dryrun.Format(imp),
		Env:       s.policy.Env,
		Tier:      s.policy.Tier,
	}
	if strongLock(v) {
		req.Impact = append(req.Impact, lockAdvice(v, s.policy)...)
		if f := v.SafeForm; f != "" {
			req.Impact = append(req.Impact, f)
		}
	}
	if s.policy.Confirm == ConfirmWord {
		req.Kind, req.Word = frontend.AskWord, s.policy.ConfirmWord
		req.Question = fmt.Sprintf("Type %s to run it (anything else aborts):", req.Word)
	} else {
		req.Kind = frontend.AskYesNo
		req.Question = "Run it? [y/N]"
	}
	dry := dryRows(imp)
	entry := audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), DryRunRows: dry, DryRunEstimate: imp.Estimate}
	if s.Confirm == nil {
		// Nobody to ask: the command line's --confirm WORD answers.
		g := s.Grants.ConfirmWord
		if g != "" && (req.Kind == frontend.AskYesNo || g == req.Word) {
			s.printImpact(req)
			entry.Decision, entry.Reason = audit.Confirmed, "--confirm"
			return true, s.auditStrict(entry)
		}
		s.printImpact(req)
		way := fmt.Sprintf("run it on a terminal or give --confirm %s", orWord(req.Word))
		s.errorf("refused: %s needs confirmation in %s and there is no terminal to ask on; %s", firstWord(sql), s.where(), way)
		entry.Decision, entry.Reason = audit.Refused, "confirmation"
		s.auditLine(entry)
		return false, ErrRefused
	}
	ans, err := s.Confirm.Confirm(ctx, req)
	if err != nil && !errors.Is(err, frontend.ErrNoPrompt) && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
		s.errorf("confirmation failed: %v; nothing ran", err)
		entry.Decision, entry.Reason = audit.Aborted, "confirmation failed"
		s.auditLine(entry)
		return false, ErrAborted
	}
	if ans != frontend.Accepted {
		fmt.Fprintf(s.streams.Err, "%saborted, nothing ran\n", s.prefix())
		entry.Decision, entry.Reason = audit.Aborted, "declined"
		s.auditLine(entry)
		return false, ErrAborted
	}
	entry.Decision = audit.Confirmed
	return true, s.auditStrict(entry)
}

func orWord(w string) string {
	if w == "" {
		return "yes"
	}
	return w
}

func dryRows(imp dryrun.Impact) *int64 {
	if !imp.Exact && !imp.Estimate {
		return nil
	}
	n := imp.Rows
	return &n
}

// printImpact shows a request on standard error (no terminal to show it on).
func (s *Session) printImpact(req frontend.ConfirmRequest) {
	fmt.Fprintf(s.streams.Err, "%s%s\n", s.prefix(), req.Title)
	for _, r := range req.Reasons {
		fmt.Fprintf(s.streams.Err, "  ! %s\n", r)
	}
	for _, l := range req.Impact {
		fmt.Fprintf(s.streams.Err, "  %s\n", l)
	}
}

// lockAdvice says what a strong lock means and the safe form, if any.
func lockAdvice(v analyze.Verdict, p Policy) []string {
	lock := ""
	for _, t := range v.Targets {
		if t.Lock != "" && lock == "" {
			lock = t.Lock
		}
	}
	out := []string{fmt.Sprintf("takes %s: while it waits for the lock it blocks every later query on the table", lock)}
	if p.LockTimeout > 0 {
		out = append(out, fmt.Sprintf("it runs with lock_timeout %s and fails rather than queue longer", p.LockTimeout))
	}
	return out
}

// lockNotes are what a person should know before a statement that takes a
// strong lock runs: the sessions it would queue behind now (from the
// catalogue; nothing runs), and the safe form.
func (s *Session) lockNotes(ctx context.Context, sql string, v analyze.Verdict) []string {
	var out []string
	if pg.StateOf(s.conn) != pg.Failed {
		imp, err := dryrun.Run(ctx, s.conn, sql, v, dryrun.Options{Timeout: s.policy.DryRunTimeout, LockTimeout: s.policy.DryRunLockTimeout})
		s.syncTx()
		if err == nil && len(imp.Blockers) > 0 {
			for _, l := range dryrun.Format(imp) {
				if strings.HasPrefix(l, "takes ") || strings.HasPrefix(l, "while it waits") {
					out = append(out, l)
				}
			}
			if s.policy.LockTimeout > 0 {
				out = append(out, fmt.Sprintf("it runs with lock_timeout %s and fails rather than queue longer", s.policy.LockTimeout))
			}
		}
	}
	if f := v.SafeForm; f != "" && (len(out) > 0 || s.Interactive) {
		out = append(out, f)
	}
	return out
}

// runConfirmed runs a confirmed destructive statement under a savepoint and
// compares its count with the dry run's. again says the table changed and
// the person should be asked again.
func (s *Session) runConfirmed(ctx context.Context, sql string, copyData io.Reader, v analyze.Verdict, imp dryrun.Impact) (again bool, err error) {
	status := pg.StateOf(s.conn)
	w := &wrap{}
	began := false
	if outsideTx(v) {
		// DROP DATABASE, DROP INDEX CONCURRENTLY, ...: confirmed, and run
		// on their own (execGuarded refused them inside a transaction).
		start := time.Now()
		err := s.execWrapped(ctx, sql, copyData, nil)
		if err == nil {
			s.learn(v)
		}
		s.auditRan(sql, v, &imp, time.Since(start), err)
		s.syncTx()
		return false, err
	}
	switch status {
	case pg.Idle:
		b := "BEGIN"
		w.pre = append(w.pre, b)
		w.pre = append(w.pre, s.txSettings()...)
		began = true
	case pg.InTx:
	default:
		s.errorf("current transaction is aborted: ROLLBACK first; nothing ran")
		return false, ErrRefused
	}
	w.pre = append(w.pre, "SAVEPOINT "+stmtSavepoint)
	if s.policy.LockTimeout > 0 && strongLock(v) {
		w.pre = append(w.pre, "SET LOCAL lock_timeout = "+ms(s.policy.LockTimeout))
	}
	if err := s.prepareHelpers(ctx); err != nil {
		s.errorf("%v; nothing ran", err)
		return false, ErrStatementFailed
	}
	snap := snapshotFor(v)
	w.pre = append(w.pre, snap)
	w.post = append(w.post, snap)
	w.snapshot = true
	start := time.Now()
	err = s.execWrapped(ctx, sql, copyData, w)
	elapsed := time.Since(start)
	var lost *pg.ConnectionLostError
	switch {
	case errors.As(err, &lost):
		s.txLost()
		s.auditRan(sql, v, &imp, elapsed, err)
		return false, err
	case err != nil:
		if began {
			_ = s.hiddenExec(ctx, "ROLLBACK")
		} else {
			_ = s.hiddenExec(ctx, "ROLLBACK TO SAVEPOINT "+stmtSavepoint+"; RELEASE SAVEPOINT "+stmtSavepoint)
		}
		s.syncTx()
		s.auditRan(sql, v, &imp, elapsed, err)
		return false, err
	}
	real := s.lastTag.RowsAffected()
	if dryrun.Differs(imp, real) {
		if began {
			_ = s.hiddenExec(ctx, "ROLLBACK")
		} else {
			_ = s.hiddenExec(ctx, "ROLLBACK TO SAVEPOINT "+stmtSavepoint+"; RELEASE SAVEPOINT "+stmtSavepoint)
		}
		s.syncTx()
		s.errorf("the table changed under us: the dry run counted %d rows, the statement touched %d; it was undone (nothing changed)", imp.Rows, real)
		s.auditLine(audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), DryRunRows: dryRows(imp), Rows: &real, Decision: audit.Aborted, Reason: "count changed"})
		if s.Confirm == nil {
			return false, ErrAborted
		}
		return true, ErrAborted
	}
	if err := s.hiddenExec(ctx, "RELEASE SAVEPOINT "+stmtSavepoint); err != nil {
		return false, s.report("RELEASE SAVEPOINT", err)
	}
	s.learn(v)
	s.track(sql, v, w, began, start)
	if s.policy.Autocommit && began {
		// an autocommit environment that asks: the confirmed statement
		// commits on its own, as it would have without safesql.
		if err := s.hiddenExec(ctx, "COMMIT"); err != nil {
			return false, s.report("COMMIT", err)
		}
		s.tx = txTrack{}
	}
	s.auditRan(sql, v, &imp, elapsed, nil)
	return false, nil
}
