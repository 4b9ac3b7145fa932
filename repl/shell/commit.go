package shell

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/pg"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
)

// commit runs the person's COMMIT (or END, or PREPARE TRANSACTION) after
// the commit review.
func (s *Session) commit(ctx context.Context, sql string) error {
	if pg.StateOf(s.conn) == pg.InTx && s.policy.asks() && s.tx.hasChanges() && !s.readOnlyNow() {
		ok, err := s.reviewCommit(ctx)
		if !ok {
			return err
		}
	}
	return s.commitNow(ctx, sql, typedCommit)
}

// commitWay is who sends a COMMIT.
type commitWay int

const (
	typedCommit   commitWay = iota // the person typed COMMIT, END, \commit or PREPARE TRANSACTION
	leavingCommit                  // the person answered "commit" when leaving
	scriptCommit                   // the end of a script run with --commit (or its review)
)

// readOnlyGuardSQL travels before the COMMIT of a transaction in read-only
// mode: it fails, so that the COMMIT after it in the same round trip is not
// run, when the transaction is no longer read-only or holds a transaction
// id (something wrote).
const readOnlyGuardSQL = `DO $safesql$BEGIN IF current_setting('transaction_read_only') <> 'on' OR txid_current_if_assigned() IS NOT NULL THEN RAISE EXCEPTION 'safesql: the transaction is no longer read-only or wrote something: it is not committed'; END IF; END$safesql$`

// commitNow sends sql (COMMIT, END, PREPARE TRANSACTION) for the open
// transaction, whichever way the commit was reached: in read-only mode
// only if the server says the transaction is still read-only and wrote
// nothing; in a tier that audits, only after the write-ahead audit line is
// written. A COMMIT whose connection is lost in flight is said to have an
// unknown outcome. how says who sent it: typed (psql prints the tag),
// leaving (the tag goes to standard error) or the end of a script (no tag).
func (s *Session) commitNow(ctx context.Context, sql string, how commitWay) error {
	print := how == typedCommit
	outcome := audit.Commit
	if v := s.classifyTx(sql); v == analyze.TxPrepare {
		outcome = audit.Prepared
	}
	open := pg.StateOf(s.conn) == pg.InTx
	if open && s.auditBroken != nil && s.policy.AuditRequired {
		// the log was known to be broken: nothing commits until it works
		return s.auditFailed(ctx, sql)
	}
	if open && s.Audit != nil {
		if err := s.auditAheadOf(audit.Entry{Statement: sql, Class: "read", Decision: audit.Sending, Tx: outcome}); err != nil {
			return s.auditFailed(ctx, sql)
		}
	}
	var w *wrap
	if open && s.policy.ReadOnly && !s.writes {
		w = &wrap{pre: []string{readOnlyGuardSQL}}
	}
	summary := s.txSummary()
	var err error
	if print {
		err = s.execWrapped(ctx, sql, nil, w)
	} else {
		err = s.hiddenResults(ctx, &wrap{}, 0, append(w.preList(), sql))
		if err == nil && how == leavingCommit {
			fmt.Fprintln(s.streams.Err, strings.ToUpper(strings.Fields(sql)[0]))
		}
	}
	switch {
	case err != nil && (pg.StateOf(s.conn) == pg.Gone || isLost(err)):
		fmt.Fprintf(s.streams.Err, "%ssafesql: the connection was lost after %s was sent: whether the transaction (%s) was committed is unknown; check the data\n", s.prefix(), strings.ToUpper(firstWord(sql)), summary)
		s.auditTx(sql, audit.Unknown, err)
		s.tx = txTrack{}
		if _, lost := err.(*pg.ConnectionLostError); !lost && !print {
			return &pg.ConnectionLostError{Err: err}
		}
		return err
	case err != nil && open && w != nil:
		if pg.StateOf(s.conn) != pg.Idle {
			_ = s.hiddenExec(ctx, "ROLLBACK")
		}
		if !print {
			fmt.Fprintf(s.streams.Err, "%ssafesql: %v\n", s.prefix(), err)
		}
		fmt.Fprintf(s.streams.Err, "%ssafesql: not committed: the read-only transaction (%s) was rolled back\n", s.prefix(), summary)
		s.auditTx(sql, audit.Rollback, err)
		s.tx = txTrack{}
		return ErrRefused
	}
	s.auditTx(sql, outcome, err)
	s.syncTx()
	return err
}

// preList is w's statements before the main one (nil for no wrap).
func (w *wrap) preList() []string {
	if w == nil {
		return nil
	}
	return append([]string(nil), w.pre...)
}

// isLost reports whether err means the connection is gone.
func isLost(err error) bool {
	var lost *pg.ConnectionLostError
	return errors.As(err, &lost)
}

// auditFailed handles a write-ahead audit line that could not be written:
// nothing of sql is sent, the open transaction is rolled back, and the
// person is told exactly that.
func (s *Session) auditFailed(ctx context.Context, sql string) error {
	what := "no transaction was open"
	if pg.StateOf(s.conn) != pg.Gone && pg.StateOf(s.conn) != pg.Idle {
		summary := s.txSummary()
		_ = s.hiddenExec(ctx, "ROLLBACK")
		what = fmt.Sprintf("the open transaction (%s) was rolled back; nothing of it was committed", summary)
	}
	s.tx = txTrack{}
	s.errorf("refused: the audit log cannot be written, so %s was not sent; %s. Fix the audit log and reconnect", strings.ToUpper(firstWord(sql)), what)
	return ErrRefused
}

// reviewLines: what the transaction did, for the commit review and the
// leaving question.
func (s *Session) reviewLines() []string {
	var out []string
	names := make([]string, 0, len(s.tx.effects))
	for t := range s.tx.effects {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		c := s.tx.effects[t]
		var parts []string
		for i, verb := range []string{"inserted", "updated", "deleted"} {
			if c[i] != 0 {
				parts = append(parts, fmt.Sprintf("%s %s", thousands(c[i]), verb))
			}
		}
		out = append(out, fmt.Sprintf("%s: %s", t, strings.Join(parts, ", ")))
	}
	for _, d := range s.tx.ddl {
		out = append(out, "DDL: "+d)
	}
	if !s.tx.since.IsZero() {
		out = append(out, fmt.Sprintf("open for %s, %s", round(time.Since(s.tx.since)), plural(s.tx.statements, "statement")))
	}
	return out
}

func round(d time.Duration) time.Duration {
	if d > time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// reviewCommit shows the transaction's effects and asks.
func (s *Session) reviewCommit(ctx context.Context) (bool, error) {
	req := frontend.ConfirmRequest{
		Title:  fmt.Sprintf("COMMIT in %s", s.where()),
		Impact: s.reviewLines(),
		Env:    s.policy.Env, Tier: s.policy.Tier,
	}
	if s.tx.needsWord() && s.policy.Confirm == ConfirmWord {
		req.Kind, req.Word = frontend.AskWord, s.policy.ConfirmWord
		req.Question = fmt.Sprintf("The transaction holds destructive changes. Type %s to commit (anything else keeps it open):", req.Word)
	} else {
		req.Kind = frontend.AskYesNo
		req.Question = "Commit? [y/N] (no keeps the transaction open)"
	}
	if s.Confirm == nil {
		if s.Grants.Commit && s.wordGranted() {
			return true, nil
		}
		if s.Grants.Commit {
			s.printImpact(req)
			s.errorf("refused: the transaction holds destructive changes (%s) and --commit alone does not commit them in %s; give --confirm %s too", strings.Join(s.tx.destructiveWhy(), "; "), s.where(), s.policy.ConfirmWord)
			s.auditLine(audit.Entry{Statement: "COMMIT", Decision: audit.Refused, Reason: "commit review: the word"})
			return false, ErrRefused
		}
		s.printImpact(req)
		s.errorf("refused: COMMIT in %s needs confirmation and there is no terminal to ask on; give --commit", s.where())
		s.auditLine(audit.Entry{Statement: "COMMIT", Decision: audit.Refused, Reason: "commit review"})
		return false, ErrRefused
	}
	ans, _ := s.Confirm.Confirm(ctx, req)
	if ans != frontend.Accepted {
		fmt.Fprintf(s.streams.Err, "%snot committed: the transaction is still open (%s)\n", s.prefix(), s.txSummary())
		s.auditLine(audit.Entry{Statement: "COMMIT", Decision: audit.Aborted, Reason: "declined"})
		return false, ErrAborted
	}
	return true, nil
}

// leave ends an open transaction on the way out.
func (s *Session) leave(ctx context.Context, ask bool) {
	if pg.StateOf(s.conn) == pg.Gone {
		return
	}
	switch pg.StateOf(s.conn) {
	case pg.Idle:
		return
	case pg.Failed:
		_ = s.hiddenExec(ctx, "ROLLBACK")
		s.auditTx("ROLLBACK", audit.Rollback, nil)
		return
	}
	if !s.tx.hasChanges() {
		_ = s.hiddenExec(ctx, "ROLLBACK")
		s.tx = txTrack{}
		return
	}
	ans := frontend.Rollback
	if ask && s.Confirm != nil {
		req := frontend.ConfirmRequest{
			Kind:     frontend.AskCommitRollback,
			Title:    fmt.Sprintf("Leaving %s with an open transaction", s.where()),
			Impact:   s.reviewLines(),
			Question: "Commit or rollback? [c/R] (Enter, Ctrl-C or Ctrl-D roll back)",
			Env:      s.policy.Env, Tier: s.policy.Tier,
		}
		a, err := s.Confirm.Confirm(ctx, req)
		if err == nil && a == frontend.Commit {
			ans = frontend.Commit
		}
		if ans == frontend.Commit && s.tx.needsWord() && s.policy.Confirm == ConfirmWord {
			// the same word \commit asks for: leaving is no way around it
			req.Kind, req.Word = frontend.AskWord, s.policy.ConfirmWord
			req.Question = fmt.Sprintf("The transaction holds destructive changes. Type %s to commit (anything else rolls back):", req.Word)
			if a, err := s.Confirm.Confirm(ctx, req); err != nil || a != frontend.Accepted {
				ans = frontend.Rollback
			}
		}
	}
	if ans == frontend.Commit {
		if err := s.commitNow(ctx, "COMMIT", leavingCommit); err != nil && !isLost(err) && !errors.Is(err, ErrRefused) {
			fmt.Fprintf(s.streams.Err, "safesql: COMMIT failed: %v; the server rolled the transaction back\n", err)
		}
		s.tx = txTrack{}
		return
	}
	summary := s.txSummary()
	err := s.hiddenExec(ctx, "ROLLBACK")
	fmt.Fprintf(s.streams.Err, "safesql: rolled back: the open transaction (%s) was not committed\n", summary)
	s.auditTx("ROLLBACK", audit.Rollback, err)
	s.tx = txTrack{}
}

// FinishScript ends a non-interactive run's implicit transaction: the
// commit review on a terminal, --commit without one, else a rollback that
// is said out loud. It returns StatusScript when changes were rolled back
// for want of an answer.
func (s *Session) FinishScript(ctx context.Context, ok bool) Status {
	st := s.finishScript(ctx, ok)
	if st == StatusOK && s.auditBroken != nil && s.policy.AuditRequired {
		// what ran is not all on record: the run did not end well
		return StatusScript
	}
	return st
}

func (s *Session) finishScript(ctx context.Context, ok bool) Status {
	if pg.StateOf(s.conn) == pg.Gone || pg.StateOf(s.conn) == pg.Idle {
		return StatusOK
	}
	if !ok || pg.StateOf(s.conn) == pg.Failed || !s.tx.hasChanges() {
		if changed, summary := s.tx.changed, s.txSummary(); s.rollbackRun(ctx) && changed {
			fmt.Fprintf(s.streams.Err, "safesql: rolled back: the run's transaction (%s) was not committed\n", summary)
		}
		return StatusOK
	}
	commit := s.Grants.Commit
	if commit && s.Confirm == nil && s.policy.asks() && !s.wordGranted() {
		summary := s.txSummary()
		why := strings.Join(s.tx.destructiveWhy(), "; ")
		s.rollbackRun(ctx)
		fmt.Fprintf(s.streams.Err, "safesql: refused: the run's transaction holds destructive changes (%s) and --commit alone does not commit them; give --confirm %s too. It was rolled back (%s): nothing of it was committed\n", why, s.policy.ConfirmWord, summary)
		return StatusScript
	}
	if !commit && s.Confirm != nil {
		commit = true
		if s.policy.asks() {
			commit, _ = s.reviewCommit(ctx)
		}
	}
	if !commit {
		summary := s.txSummary()
		s.rollbackRun(ctx)
		fmt.Fprintf(s.streams.Err, "safesql: rolled back: the run's transaction (%s) was not committed; give --commit to commit it\n", summary)
		return StatusScript
	}
	if err := s.commitQuietly(ctx); err != nil {
		return StatusScript
	}
	s.tx = txTrack{}
	return StatusOK
}

// rollbackRun rolls the run's transaction back and audits it; true when
// the server took the ROLLBACK.
func (s *Session) rollbackRun(ctx context.Context) bool {
	err := s.hiddenExec(ctx, "ROLLBACK")
	s.auditTx("ROLLBACK", audit.Rollback, err)
	s.tx = txTrack{}
	return err == nil
}

// commitQuietly commits the run's transaction at the end of a script,
// through the same checks as a typed COMMIT, without printing its tag.
func (s *Session) commitQuietly(ctx context.Context) error {
	err := s.commitNow(ctx, "COMMIT", scriptCommit)
	if err != nil && !isLost(err) && !errors.Is(err, ErrRefused) {
		fmt.Fprintf(s.streams.Err, "safesql: COMMIT failed: %v\n", err)
	}
	return err
}

// wordGranted reports whether committing the open transaction needs no
// word, or the command line gave it (--confirm WORD).
func (s *Session) wordGranted() bool {
	if !s.tx.needsWord() || s.policy.Confirm != ConfirmWord {
		return true
	}
	return s.Grants.ConfirmWord == s.policy.ConfirmWord
}
