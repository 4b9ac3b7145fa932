package engine

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
func (e *Engine) SetWrites(ctx context.Context, on bool) error {
	if !e.policy.ReadOnly {
		if on {
			fmt.Fprintf(e.host.Out(), "writes are already allowed in %s\n", e.where())
		} else {
			fmt.Fprintf(e.host.Out(), "%s is not read-only by configuration; \\read applies only where read_only is set\n", e.where())
		}
		return nil
	}
	if on == e.writes {
		return nil
	}
	if on {
		req := frontend.ConfirmRequest{
			Title: fmt.Sprintf("Allow writes in %s for this session", e.where()),
			Env:   e.policy.Env, Tier: e.policy.Tier,
		}
		if e.policy.ConfirmWord != "" {
			req.Kind, req.Word = frontend.AskWord, e.policy.ConfirmWord
			req.Question = fmt.Sprintf("Type %s to allow writes:", req.Word)
		} else {
			req.Kind, req.Question = frontend.AskYesNo, "Allow writes? [y/N]"
		}
		allowed := false
		switch {
		case !e.Interactive && e.Grants.Write:
			allowed = true // --write said so for this run
		case e.Confirm == nil:
		default:
			ans, _ := e.Confirm.Confirm(ctx, req)
			allowed = ans == frontend.Accepted
		}
		if !allowed {
			fmt.Fprintln(e.errOut, "writes stay off")
			e.auditLine(audit.Entry{Statement: `\write`, Decision: audit.Aborted, Reason: "declined"})
			return ErrAborted
		}
		// A read-only transaction cannot become read-write once it has
		// run a query; it cannot hold changes either, so it is ended.
		if pg.StateOf(e.conn).Open() {
			_ = e.HiddenExec(ctx, "ROLLBACK")
			if e.tx.statements > 0 {
				e.notef("the open read-only transaction (%s) was ended; it held no changes", plural(e.tx.statements, "statement"))
			}
			e.tx = txTrack{}
		}
	} else if pg.StateOf(e.conn) == pg.InTx {
		if err := e.HiddenExec(ctx, "SET TRANSACTION READ ONLY"); err != nil {
			return e.host.Report("SET TRANSACTION READ ONLY", err)
		}
	}
	e.writes = on
	if err := e.applySessionSettings(ctx); err != nil {
		e.host.Errorf("%v", err)
	}
	decision := "writes off"
	if on {
		decision = "writes on"
	}
	e.auditLine(audit.Entry{Statement: map[bool]string{true: `\write`, false: `\read`}[on], Decision: audit.Ran, Reason: decision})
	switch {
	case !e.Interactive:
	case on:
		fmt.Fprintf(e.host.Out(), "writes allowed in %s for this session (\\read turns them off)\n", e.where())
	default:
		fmt.Fprintf(e.host.Out(), "%s is read-only again\n", e.where())
	}
	return nil
}

// PrintStatus prints the session's state and the transaction's effects
// (\status).
func (e *Engine) PrintStatus(w io.Writer) {
	st := e.State()
	mode := "read-write"
	if e.readOnlyNow() {
		mode = "read-only (\\write allows writes)"
	} else if e.policy.ReadOnly {
		mode = "WRITE (\\read turns writes off)"
	}
	fmt.Fprintf(w, "environment: %s, %s\n", e.where(), mode)
	switch st.Tx {
	case frontend.TxNone:
		if e.policy.Autocommit {
			fmt.Fprintln(w, "transaction: none (autocommit: each statement commits)")
		} else {
			fmt.Fprintln(w, "transaction: none (the next statement opens one)")
		}
	case frontend.TxFailed:
		fmt.Fprintf(w, "transaction: failed (%s); only ROLLBACK helps\n", e.txSummary())
	case frontend.TxLost:
		fmt.Fprintln(w, "transaction: none (the connection was lost)")
	default:
		fmt.Fprintf(w, "transaction: open (%s)\n", e.txSummary())
		for _, l := range e.reviewLines() {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
}

// DryRun shows a statement's impact without running it (\dryrun).
func (e *Engine) DryRun(ctx context.Context, sql string) error {
	if strings.TrimSpace(sql) == "" {
		e.host.Errorf(`\dryrun: a statement is required`)
		return ErrStatementFailed
	}
	if err := e.ReconnectIfLost(ctx); err != nil {
		return err
	}
	v := e.Classify(ctx, sql)
	e.closeRun(ctx, "") // the dry run's rows count in the server's counters
	e.tx.plainInserts = 0
	fmt.Fprintf(e.host.Out(), "%s: %s\n", v.Class, strings.Join(v.Reasons, "; "))
	if v.Class == analyze.Read {
		fmt.Fprintln(e.host.Out(), "reads only: nothing to dry-run")
		return nil
	}
	if e.readOnlyNow() && pg.StateOf(e.conn) == pg.Idle {
		// Read-only: nothing is tried for real, not even rolled back;
		// the dry run gives the planner's estimate.
		if err := e.HiddenExec(ctx, "BEGIN READ ONLY"); err != nil {
			return e.host.Report(sql, err)
		}
		defer func() { _ = e.HiddenExec(ctx, "ROLLBACK") }()
	}
	imp, err := dryrun.Run(ctx, e.conn, sql, v, dryrun.Options{
		Timeout: e.policy.DryRunTimeout, LockTimeout: e.policy.DryRunLockTimeout, SampleRows: -1,
		Opaque: true,
	})
	e.SyncTx()
	if err != nil {
		return e.host.Report(sql, err)
	}
	for _, l := range dryrun.Format(imp) {
		fmt.Fprintln(e.host.Out(), l)
	}
	return nil
}
