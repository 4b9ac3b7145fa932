package repl

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/audit"
)

// commit runs COMMIT after the commit review.
func (s *Session) commit(ctx context.Context, sql string) error {
	if s.conn.TxStatus() == 'T' && s.tx.changed && s.policy.asks() {
		ok, err := s.reviewCommit(ctx)
		if !ok {
			return err
		}
	}
	err := s.execWrapped(ctx, sql, nil, nil)
	s.auditTx(sql, audit.Commit, err)
	s.syncTx()
	return err
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
	req := ConfirmRequest{
		Title:  fmt.Sprintf("COMMIT in %s", s.where()),
		Impact: s.reviewLines(),
		Env:    s.policy.Env, Tier: s.policy.Tier,
	}
	if s.tx.destructive && s.policy.Confirm == ConfirmWord {
		req.Kind, req.Word = AskWord, s.policy.ConfirmWord
		req.Question = fmt.Sprintf("The transaction holds destructive changes. Type %s to commit (anything else keeps it open):", req.Word)
	} else {
		req.Kind = AskYesNo
		req.Question = "Commit? [y/N] (no keeps the transaction open)"
	}
	if s.Confirm == nil {
		if s.Grants.Commit {
			return true, nil
		}
		s.printImpact(req)
		s.errorf("refused: COMMIT in %s needs confirmation and there is no terminal to ask on; give --commit", s.where())
		s.auditLine(audit.Entry{Statement: "COMMIT", Decision: audit.Refused, Reason: "commit review"})
		return false, ErrRefused
	}
	ans, _ := s.Confirm.Confirm(ctx, req)
	if ans != Accepted {
		fmt.Fprintf(s.streams.Err, "%snot committed: the transaction is still open (%s)\n", s.prefix(), s.txSummary())
		s.auditLine(audit.Entry{Statement: "COMMIT", Decision: audit.Aborted, Reason: "declined"})
		return false, ErrAborted
	}
	return true, nil
}

// leave ends an open transaction on the way out.
func (s *Session) leave(ctx context.Context, ask bool) {
	if s.conn == nil || s.conn.IsClosed() {
		return
	}
	switch s.conn.TxStatus() {
	case 'I':
		return
	case 'E':
		_ = s.hiddenExec(ctx, "ROLLBACK")
		s.auditTx("ROLLBACK", audit.Rollback, nil)
		return
	}
	if !s.tx.changed {
		_ = s.hiddenExec(ctx, "ROLLBACK")
		s.tx = txTrack{}
		return
	}
	ans := Rollback
	if ask && s.Confirm != nil {
		req := ConfirmRequest{
			Kind:     AskCommitRollback,
			Title:    fmt.Sprintf("Leaving %s with an open transaction", s.where()),
			Impact:   s.reviewLines(),
			Question: "Commit or rollback? [c/R] (Enter, Ctrl-C or Ctrl-D roll back)",
			Env:      s.policy.Env, Tier: s.policy.Tier,
		}
		a, err := s.Confirm.Confirm(ctx, req)
		if err == nil && a == Commit {
			ans = Commit
		}
	}
	if ans == Commit {
		if err := s.hiddenExec(ctx, "COMMIT"); err != nil {
			fmt.Fprintf(s.streams.Err, "safesql: COMMIT failed: %v; the server rolled the transaction back\n", err)
			s.auditTx("COMMIT", audit.Rollback, err)
			return
		}
		fmt.Fprintln(s.streams.Err, "COMMIT")
		s.auditTx("COMMIT", audit.Commit, nil)
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
	if s.conn == nil || s.conn.IsClosed() || s.conn.TxStatus() == 'I' {
		return StatusOK
	}
	if !ok || s.conn.TxStatus() == 'E' || !s.tx.changed {
		if changed, summary := s.tx.changed, s.txSummary(); s.rollbackRun(ctx) && changed {
			fmt.Fprintf(s.streams.Err, "safesql: rolled back: the run's transaction (%s) was not committed\n", summary)
		}
		return StatusOK
	}
	commit := s.Grants.Commit
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
	if err := s.hiddenExec(ctx, "COMMIT"); err != nil {
		fmt.Fprintf(s.streams.Err, "safesql: COMMIT failed: %v\n", err)
		s.auditTx("COMMIT", audit.Rollback, err)
		return StatusScript
	}
	s.auditTx("COMMIT", audit.Commit, nil)
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
