package shell

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/safesql/safesql/repl/pg"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/dryrun"
)

// SetWrites turns writes on or off in a read-only environment. Turning
// them on in an environment that asks for a word asks for it.
func (s *Session) SetWrites(ctx context.Context, on bool) error {
	if !s.policy.ReadOnly {
		if on {
			fmt.Fprintf(s.out, "writes are already allowed in %s\n", s.where())
		} else {
			fmt.Fprintf(s.out, "%s is not read-only by configuration; \\read applies only where read_only is set\n", s.where())
		}
		return nil
	}
	if on == s.writes {
		return nil
	}
	if on {
		req := frontend.ConfirmRequest{
			Title: fmt.Sprintf("Allow writes in %s for this session", s.where()),
			Env:   s.policy.Env, Tier: s.policy.Tier,
		}
		if s.policy.ConfirmWord != "" {
			req.Kind, req.Word = frontend.AskWord, s.policy.ConfirmWord
			req.Question = fmt.Sprintf("Type %s to allow writes:", req.Word)
		} else {
			req.Kind, req.Question = frontend.AskYesNo, "Allow writes? [y/N]"
		}
		allowed := false
		switch {
		case !s.Interactive && s.Grants.Write:
			allowed = true // --write said so for this run
		case s.Confirm == nil:
		default:
			ans, _ := s.Confirm.Confirm(ctx, req)
			allowed = ans == frontend.Accepted
		}
		if !allowed {
			fmt.Fprintln(s.streams.Err, "writes stay off")
			s.auditLine(audit.Entry{Statement: `\write`, Decision: audit.Aborted, Reason: "declined"})
			return ErrAborted
		}
		// A read-only transaction cannot become read-write once it has
		// run a query; it cannot hold changes either, so it is ended.
		if pg.StateOf(s.conn) != pg.Gone && pg.StateOf(s.conn) != pg.Idle {
			_ = s.hiddenExec(ctx, "ROLLBACK")
			if s.tx.statements > 0 {
				s.notef("the open read-only transaction (%s) was ended; it held no changes", plural(s.tx.statements, "statement"))
			}
			s.tx = txTrack{}
		}
	} else if pg.StateOf(s.conn) != pg.Gone && pg.StateOf(s.conn) == pg.InTx {
		if err := s.hiddenExec(ctx, "SET TRANSACTION READ ONLY"); err != nil {
			return s.report("SET TRANSACTION READ ONLY", err)
		}
	}
	s.writes = on
	if err := s.applySessionSettings(ctx); err != nil {
		s.errorf("%v", err)
	}
	decision := "writes off"
	if on {
		decision = "writes on"
	}
	s.auditLine(audit.Entry{Statement: map[bool]string{true: `\write`, false: `\read`}[on], Decision: audit.Ran, Reason: decision})
	switch {
	case !s.Interactive:
	case on:
		fmt.Fprintf(s.out, "writes allowed in %s for this session (\\read turns them off)\n", s.where())
	default:
		fmt.Fprintf(s.out, "%s is read-only again\n", s.where())
	}
	return nil
}

// PrintStatus prints the session's state and the transaction's effects
// (\status).
func (s *Session) PrintStatus(w io.Writer) {
	st := s.State()
	mode := "read-write"
	if s.readOnlyNow() {
		mode = "read-only (\\write allows writes)"
	} else if s.policy.ReadOnly {
		mode = "WRITE (\\read turns writes off)"
	}
	fmt.Fprintf(w, "environment: %s, %s\n", s.where(), mode)
	switch st.Tx {
	case frontend.TxNone:
		if s.policy.Autocommit {
			fmt.Fprintln(w, "transaction: none (autocommit: each statement commits)")
		} else {
			fmt.Fprintln(w, "transaction: none (the next statement opens one)")
		}
	case frontend.TxFailed:
		fmt.Fprintf(w, "transaction: failed (%s); only ROLLBACK helps\n", s.txSummary())
	case frontend.TxLost:
		fmt.Fprintln(w, "transaction: none (the connection was lost)")
	default:
		fmt.Fprintf(w, "transaction: open (%s)\n", s.txSummary())
		for _, l := range s.reviewLines() {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
}

// DryRun shows a statement's impact without running it (\dryrun).
func (s *Session) DryRun(ctx context.Context, sql string) error {
	if strings.TrimSpace(sql) == "" {
		s.errorf(`\dryrun: a statement is required`)
		return ErrStatementFailed
	}
	if err := s.reconnectIfLost(ctx); err != nil {
		return err
	}
	v := s.classify(ctx, sql)
	fmt.Fprintf(s.out, "%s: %s\n", v.Class, strings.Join(v.Reasons, "; "))
	if v.Class == analyze.Read {
		fmt.Fprintln(s.out, "reads only: nothing to dry-run")
		return nil
	}
	if s.readOnlyNow() && pg.StateOf(s.conn) == pg.Idle {
		// Read-only: nothing is tried for real, not even rolled back;
		// the dry run gives the planner's estimate.
		if err := s.hiddenExec(ctx, "BEGIN READ ONLY"); err != nil {
			return s.report(sql, err)
		}
		defer func() { _ = s.hiddenExec(ctx, "ROLLBACK") }()
	}
	imp, err := dryrun.Run(ctx, s.conn, sql, v, dryrun.Options{
		Timeout: s.policy.DryRunTimeout, LockTimeout: s.policy.DryRunLockTimeout, SampleRows: -1,
		Opaque: true,
	})
	s.syncTx()
	if err != nil {
		return s.report(sql, err)
	}
	for _, l := range dryrun.Format(imp) {
		fmt.Fprintln(s.out, l)
	}
	return nil
}
