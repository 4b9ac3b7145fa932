package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/pg"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/dryrun"
)

// runDestructive: dry run, impact, confirmation, real run, count check.
func (e *Engine) runDestructive(ctx context.Context, sql string, copyData io.Reader, v analyze.Verdict) error {
	for attempt := 0; ; attempt++ {
		imp, err := dryrun.Run(ctx, e.conn, sql, v, dryrun.Options{
			Timeout: e.policy.DryRunTimeout, LockTimeout: e.policy.DryRunLockTimeout, SampleRows: -1,
		})
		e.SyncTx()
		if err != nil {
			// The real run would fail the same way: show the error, run
			// nothing (report says when the connection was lost).
			err = e.host.Report(sql, err)
			var lost *pg.ConnectionLostError
			if errors.As(err, &lost) {
				e.txLost(err)
			}
			return err
		}
		ok, err := e.ask(ctx, sql, v, imp)
		if err != nil || !ok {
			return err
		}
		again, err := e.runConfirmed(ctx, sql, copyData, v, imp)
		if !again || attempt >= 2 {
			return err
		}
	}
}

// ask shows the impact and asks as the policy says.
func (e *Engine) ask(ctx context.Context, sql string, v analyze.Verdict, imp dryrun.Impact) (bool, error) {
	req := frontend.ConfirmRequest{
		Title:     fmt.Sprintf("%s in %s", describeWrite(sql, e.qualified(ctx, v)), e.where()),
		Statement: sql,
		Reasons:   v.Reasons,
		Loud:      v.Loud(),
		Impact:    dryrun.Format(imp),
		Env:       e.policy.Env,
		Tier:      e.policy.Tier,
	}
	if strongLock(v) {
		req.Impact = append(req.Impact, lockAdvice(v, e.policy)...)
		if f := v.SafeForm; f != "" {
			req.Impact = append(req.Impact, f)
		}
	}
	if e.policy.Confirm == ConfirmWord {
		req.Kind, req.Word = frontend.AskWord, e.policy.ConfirmWord
		req.Question = fmt.Sprintf("Type %s to run it (anything else aborts):", req.Word)
	} else {
		req.Kind = frontend.AskYesNo
		req.Question = "Run it? [y/N]"
	}
	dry := dryRows(imp)
	entry := audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), DryRunRows: dry, DryRunEstimate: imp.Estimate}
	if e.Confirm == nil {
		// Nobody to ask: the command line's --confirm WORD answers.
		g := e.Grants.ConfirmWord
		if g != "" && (req.Kind == frontend.AskYesNo || g == req.Word) {
			e.printImpact(req)
			entry.Decision, entry.Reason = audit.Confirmed, "--confirm"
			return true, e.auditStrict(entry)
		}
		e.printImpact(req)
		way := fmt.Sprintf("run it on a terminal or give --confirm %s", orWord(req.Word))
		e.host.Errorf("refused: %s needs confirmation in %s and there is no terminal to ask on; %s", analyze.Command(sql), e.where(), way)
		entry.Decision, entry.Reason = audit.Refused, "confirmation"
		e.auditLine(entry)
		return false, ErrRefused
	}
	ans, err := e.Confirm.Confirm(ctx, req)
	if confirmFailed(err) {
		return false, e.confirmationFailed(err, entry)
	}
	if ans != frontend.Accepted {
		fmt.Fprintf(e.errOut, "%saborted, nothing ran\n", e.host.Prefix())
		entry.Decision, entry.Reason = audit.Aborted, "declined"
		e.auditLine(entry)
		return false, ErrAborted
	}
	if more, ok := escalate(req, v, imp, e.policy.countAbove()); ok {
		// The word alone becomes a reflex: a statement of large impact
		// also wants what only reading the screen gives.
		ans, err := e.Confirm.Confirm(ctx, more)
		if confirmFailed(err) {
			return false, e.confirmationFailed(err, entry)
		}
		if ans != frontend.Accepted {
			fmt.Fprintf(e.errOut, "%snot %s: aborted, nothing ran\n", e.host.Prefix(), more.Word)
			entry.Decision, entry.Reason = audit.Aborted, "declined: "+escalationWhat(more)
			e.auditLine(entry)
			return false, ErrAborted
		}
	}
	entry.Decision = audit.Confirmed
	return true, e.auditStrict(entry)
}

// escalate is the second question a statement of large impact gets after
// the word (or yes): the number of rows it changes when the dry run
// counted them exactly and they are more than above, or when it has no
// WHERE (or a tautology); the name of what it drops or truncates, or of
// the table a statement without WHERE changes when nothing could be
// counted. ok is false when the first answer is enough.
func escalate(first frontend.ConfirmRequest, v analyze.Verdict, imp dryrun.Impact, above int64) (frontend.ConfirmRequest, bool) {
	more := first
	more.Kind = frontend.AskCount
	everyRow := v.Has(analyze.FlagNoWhere) || v.Has(analyze.FlagTautology)
	if imp.Exact && imp.Target != "" && imp.Rows > 0 && (imp.Rows > above || everyRow) {
		more.Word = strconv.FormatInt(imp.Rows, 10)
		what := "rows"
		if imp.Rows == 1 {
			what = "row"
		}
		more.Question = fmt.Sprintf("It %s %s %s. Type that number to run it (anything else aborts):", verbOf(imp.Command), dryrun.Thousands(imp.Rows), what)
		return more, true
	}
	var names []string
	for _, t := range v.Targets {
		switch {
		case t.Name == "":
		case t.Effect == analyze.EffectDrop, t.Effect == analyze.EffectTruncate,
			everyRow && !imp.Exact && t.Effect != analyze.EffectRead:
			n := t.Name
			if t.Schema != "" {
				n = t.Schema + "." + n
			}
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return first, false
	}
	more.Kind, more.Word = frontend.AskWord, strings.Join(names, ", ")
	what := "name"
	if len(names) > 1 {
		what = "names"
	}
	more.Question = fmt.Sprintf("Type %s (the %s, as written) to run it (anything else aborts):", more.Word, what)
	return more, true
}

// escalationWhat names what the second question wanted, for the audit.
func escalationWhat(req frontend.ConfirmRequest) string {
	if req.Kind == frontend.AskCount {
		return "row count"
	}
	return "name"
}

// verbOf is what a command does to the rows it counts.
func verbOf(command string) string {
	switch command {
	case "DELETE":
		return "removes"
	case "UPDATE":
		return "changes"
	case "INSERT":
		return "writes"
	}
	return "touches"
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

// printImpact shows a request on standard error (no terminal to show it
// on): its lines as the plain printer writes them, without the statement
// (the script's position names it) and without the question.
func (e *Engine) printImpact(req frontend.ConfirmRequest) {
	req.Title, req.Statement = e.host.Prefix()+req.Title, ""
	frontend.WriteRequestLines(e.errOut, req)
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
func (e *Engine) lockNotes(ctx context.Context, sql string, v analyze.Verdict) []string {
	var out []string
	if pg.StateOf(e.conn) != pg.Failed {
		imp, err := dryrun.Run(ctx, e.conn, sql, v, dryrun.Options{Timeout: e.policy.DryRunTimeout, LockTimeout: e.policy.DryRunLockTimeout})
		e.SyncTx()
		if err == nil && len(imp.Blockers) > 0 {
			for _, l := range dryrun.Format(imp) {
				if strings.HasPrefix(l, "takes ") || strings.HasPrefix(l, "while it waits") {
					out = append(out, l)
				}
			}
			if e.policy.LockTimeout > 0 {
				out = append(out, fmt.Sprintf("it runs with lock_timeout %s and fails rather than queue longer", e.policy.LockTimeout))
			}
		}
	}
	if f := v.SafeForm; f != "" && (len(out) > 0 || e.Interactive) {
		out = append(out, f)
	}
	return out
}

// runConfirmed runs a confirmed destructive statement under a savepoint and
// compares its count with the dry run's. again says the table changed and
// the person should be asked again.
func (e *Engine) runConfirmed(ctx context.Context, sql string, copyData io.Reader, v analyze.Verdict, imp dryrun.Impact) (again bool, err error) {
	status := pg.StateOf(e.conn)
	w := &Wrap{}
	began := false
	if outsideTx(v) {
		// DROP DATABASE, DROP INDEX CONCURRENTLY, ...: confirmed, and run
		// on their own (execGuarded refused them inside a transaction).
		start := time.Now()
		err := e.send(ctx, sql, copyData, nil)
		if err == nil {
			e.learn(v)
		}
		e.auditRan(sql, v, &imp, time.Since(start), err)
		e.SyncTx()
		return false, err
	}
	switch status {
	case pg.Idle:
		b := "BEGIN"
		w.Pre = append(w.Pre, b)
		w.Pre = append(w.Pre, e.txSettings()...)
		began = true
	case pg.InTx:
	default:
		e.host.Errorf("current transaction is aborted: ROLLBACK first; nothing ran")
		return false, ErrRefused
	}
	w.Pre = append(w.Pre, "SAVEPOINT "+stmtSavepoint)
	if e.policy.LockTimeout > 0 && strongLock(v) {
		w.Pre = append(w.Pre, "SET LOCAL lock_timeout = "+ms(e.policy.LockTimeout))
	}
	if err := e.prepareHelpers(ctx); err != nil {
		e.host.Errorf("%v; nothing ran", err)
		return false, ErrStatementFailed
	}
	snap := snapshotFor(v)
	w.Pre = append(w.Pre, snap)
	w.Post = append(w.Post, snap)
	w.snapshot = true
	w.HoldTag = true // printed once the count is checked
	w.Post = append(w.Post, txCheckFor(""))
	start := time.Now()
	stopWatch := e.watchLocks(ctx)
	err = e.send(ctx, sql, copyData, w)
	stopWatch()
	elapsed := time.Since(start)
	var lost *pg.ConnectionLostError
	switch {
	case errors.As(err, &lost):
		e.txLost(err)
		e.auditRan(sql, v, &imp, elapsed, err)
		return false, err
	case err != nil:
		// a cancelled statement (Ctrl-C) is undone alone too: the undoing
		// does not share the cancelled context
		cctx, cancel := cleanupCtx(ctx)
		if began {
			_ = e.HiddenExec(cctx, "ROLLBACK")
		} else {
			_ = e.HiddenExec(cctx, "ROLLBACK TO SAVEPOINT "+stmtSavepoint+"; RELEASE SAVEPOINT "+stmtSavepoint)
		}
		cancel()
		e.SyncTx()
		e.auditRan(sql, v, &imp, elapsed, err)
		return false, err
	}
	touched := e.host.LastTag().RowsAffected()
	if dryrun.Differs(imp, touched) {
		if began {
			_ = e.HiddenExec(ctx, "ROLLBACK")
		} else {
			_ = e.HiddenExec(ctx, "ROLLBACK TO SAVEPOINT "+stmtSavepoint+"; RELEASE SAVEPOINT "+stmtSavepoint)
		}
		e.SyncTx()
		e.host.Errorf("the table changed under us: the dry run counted %d rows, the statement touched %d; it was undone (nothing changed)", imp.Rows, touched)
		e.auditLine(audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), DryRunRows: dryRows(imp), Rows: &touched, Decision: audit.Aborted, Reason: "count changed"})
		if e.Confirm == nil {
			return false, ErrAborted
		}
		return true, ErrAborted
	}
	if err := e.HiddenExec(ctx, "RELEASE SAVEPOINT "+stmtSavepoint); err != nil {
		return false, e.host.Report("RELEASE SAVEPOINT", err)
	}
	e.host.ShowTag(e.host.LastTag())
	e.learn(v)
	e.track(sql, v, w, began, start)
	if c := w.txCheck(); c.xid {
		// known to hold a transaction id: a later read is not taken for
		// one that wrote unseen
		e.noteXid(c)
		e.tx.xid = true
	}
	if e.policy.Autocommit && began {
		// an autocommit environment that asks: the confirmed statement
		// commits on its own, as it would have without safesql.
		if err := e.HiddenExec(ctx, "COMMIT"); err != nil {
			return false, e.host.Report("COMMIT", err)
		}
		e.tx = txTrack{}
	}
	e.auditRan(sql, v, &imp, elapsed, nil)
	return false, nil
}

// confirmFailed: the question could not be asked or answered (not a
// declined answer: no prompt, Ctrl-C and end of input are declines).
func confirmFailed(err error) bool {
	return err != nil && !errors.Is(err, frontend.ErrNoPrompt) && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF)
}

// confirmationFailed says a question failed and audits the statement as
// aborted.
func (e *Engine) confirmationFailed(err error, entry audit.Entry) error {
	e.host.Errorf("confirmation failed: %v; nothing ran", err)
	entry.Decision, entry.Reason = audit.Aborted, "confirmation failed"
	e.auditLine(entry)
	return ErrAborted
}
