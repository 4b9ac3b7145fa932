package engine

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/safesql/safesql/repl/dryrun"
	"github.com/safesql/safesql/repl/pg"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
)

// commit runs the person's COMMIT (or END, or PREPARE TRANSACTION) after
// the commit review.
func (e *Engine) commit(ctx context.Context, sql string) error {
	if pg.StateOf(e.conn) == pg.InTx && e.policy.asks() && e.tx.hasChanges() && !e.readOnlyNow() {
		if err := e.stillThere(ctx); err != nil {
			return err
		}
		ok, err := e.reviewCommit(ctx)
		if !ok {
			return err
		}
	}
	return e.commitNow(ctx, sql, typedCommit)
}

// stillThere asks the server, before a commit review, whether the
// transaction it would commit still exists: a server that ended the
// session meanwhile (idle_in_transaction_session_timeout,
// pg_terminate_backend) rolled it back, and offering to commit it would
// be a lie. One round trip, at the speed a person reviews.
func (e *Engine) stillThere(ctx context.Context) error {
	err := e.HiddenExec(ctx, "-- safesql: is the transaction still there")
	if err == nil || pg.StateOf(e.conn) != pg.Gone {
		return nil // a failure of another kind shows with the COMMIT
	}
	why := ""
	if r := pg.Reason(e.conn, err); r != nil {
		why = " (" + r.Message + ")"
	}
	e.host.Errorf("nothing to commit: the server ended the session%s, and the open transaction (%s) is gone: rolled back by the server, nothing of it was committed; the next statement reconnects", why, e.txSummary())
	e.auditLine(audit.Entry{Statement: "COMMIT", Decision: audit.Refused, Reason: "the server ended the session" + why, Tx: audit.Rollback})
	e.tx = txTrack{}
	return &pg.ConnectionLostError{Err: err}
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
func (e *Engine) commitNow(ctx context.Context, sql string, how commitWay) error {
	showTag := how == typedCommit
	outcome := audit.Commit
	if v := e.classifyTx(sql); v == analyze.TxPrepare {
		outcome = audit.Prepared
	}
	open := pg.StateOf(e.conn) == pg.InTx
	if open && e.auditBroken != nil && e.policy.AuditRequired {
		// the log was known to be broken: nothing commits until it works
		return e.auditFailed(ctx, sql)
	}
	if open && e.Audit != nil {
		if err := e.auditAheadOf(audit.Entry{Statement: sql, Class: "read", Decision: audit.Sending, Tx: outcome}); err != nil {
			return e.auditFailed(ctx, sql)
		}
	}
	var w *Wrap
	if open && e.policy.ReadOnly && !e.writes {
		w = &Wrap{Pre: []string{readOnlyGuardSQL}}
	}
	summary := e.txSummary()
	var err error
	if showTag {
		err = e.send(ctx, sql, nil, w)
	} else {
		err = (&Wrap{}).RunHidden(ctx, e.conn, 0, append(w.preList(), sql))
		if err == nil && how == leavingCommit {
			fmt.Fprintln(e.errOut, analyze.Command(sql))
		}
	}
	switch {
	case err != nil && (pg.StateOf(e.conn) == pg.Gone || isLost(err)):
		switch e.fate(ctx) {
		case "committed":
			fmt.Fprintf(e.errOut, "%ssafesql: the connection was lost after %s was sent; the server says the transaction (%s) was committed\n", e.host.Prefix(), analyze.Command(sql), summary)
			e.auditTx(sql, outcome, nil)
		case "aborted":
			fmt.Fprintf(e.errOut, "%ssafesql: the connection was lost after %s was sent; the server says the transaction (%s) was rolled back: nothing of it was committed\n", e.host.Prefix(), analyze.Command(sql), summary)
			e.auditTx(sql, audit.Rollback, err)
		default:
			fmt.Fprintf(e.errOut, "%ssafesql: the connection was lost after %s was sent: whether the transaction (%s) was committed is unknown; check the data\n", e.host.Prefix(), analyze.Command(sql), summary)
			e.auditTx(sql, audit.Unknown, err)
		}
		e.tx = txTrack{}
		if _, lost := err.(*pg.ConnectionLostError); !lost && !showTag {
			return &pg.ConnectionLostError{Err: err}
		}
		return err
	case err != nil && open && w != nil:
		if pg.StateOf(e.conn) != pg.Idle {
			_ = e.HiddenExec(ctx, "ROLLBACK")
		}
		if !showTag {
			fmt.Fprintf(e.errOut, "%ssafesql: %v\n", e.host.Prefix(), err)
		}
		fmt.Fprintf(e.errOut, "%ssafesql: not committed: the read-only transaction (%s) was rolled back\n", e.host.Prefix(), summary)
		e.auditTx(sql, audit.Rollback, err)
		e.tx = txTrack{}
		return ErrRefused
	}
	e.auditTx(sql, outcome, err)
	e.SyncTx()
	return err
}

// preList is w's statements before the main one (nil for no wrap).
func (w *Wrap) preList() []string {
	if w == nil {
		return nil
	}
	return append([]string(nil), w.Pre...)
}

// isLost reports whether err means the connection is gone.
// fate asks the server, on a connection of its own, what became of the
// transaction whose connection was lost with its COMMIT in flight:
// "committed", "aborted", or "" when it cannot tell (no transaction id
// known, no connection, a transaction too old to know about).
func (e *Engine) fate(ctx context.Context) string {
	xid := e.tx.xidValue
	if xid == "" || e.config == nil || strings.Trim(xid, "0123456789") != "" {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cfg := e.config.Copy()
	cfg.OnNotice, cfg.OnNotification = nil, nil
	conn, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		return ""
	}
	defer conn.Close(context.Background())
	// the transaction's end may take a moment to be recorded after its
	// backend went away
	for i := 0; i < 20; i++ {
		res, err := conn.Exec(ctx, "SELECT coalesce(txid_status("+xid+"), '')").ReadAll()
		if err != nil || len(res) != 1 || len(res[0].Rows) != 1 {
			return ""
		}
		switch st := string(res[0].Rows[0][0]); st {
		case "committed", "aborted":
			return st
		}
		select {
		case <-ctx.Done():
			return ""
		case <-time.After(100 * time.Millisecond):
		}
	}
	return ""
}

func isLost(err error) bool {
	var lost *pg.ConnectionLostError
	return errors.As(err, &lost)
}

// auditFailed handles a write-ahead audit line that could not be written:
// nothing of sql is sent, the open transaction is rolled back, and the
// person is told exactly that.
func (e *Engine) auditFailed(ctx context.Context, sql string) error {
	what := "no transaction was open"
	if pg.StateOf(e.conn).Open() {
		summary := e.txSummary()
		_ = e.HiddenExec(ctx, "ROLLBACK")
		what = fmt.Sprintf("the open transaction (%s) was rolled back; nothing of it was committed", summary)
	}
	e.tx = txTrack{}
	e.host.Errorf("refused: the audit log cannot be written, so %s was not sent; %s. Fix the audit log and reconnect", analyze.Command(sql), what)
	return ErrRefused
}

// reviewLines: what the transaction did, for the commit review and the
// leaving question.
func (e *Engine) reviewLines() []string {
	var out []string
	names := make([]string, 0, len(e.tx.effects))
	for t := range e.tx.effects {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		c := e.tx.effects[t]
		var parts []string
		for i, verb := range []string{"inserted", "updated", "deleted"} {
			if c[i] != 0 {
				parts = append(parts, fmt.Sprintf("%s %s", dryrun.Thousands(c[i]), verb))
			}
		}
		out = append(out, fmt.Sprintf("%s: %s", t, strings.Join(parts, ", ")))
	}
	for _, d := range e.tx.ddl {
		out = append(out, "DDL: "+d)
	}
	if !e.tx.since.IsZero() {
		out = append(out, fmt.Sprintf("open for %s, %s", round(e.now().Sub(e.tx.since)), plural(e.tx.statements, "statement")))
	}
	return out
}

func round(d time.Duration) time.Duration {
	if d > time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

// reviewCommit shows the transaction's effects and asks.
func (e *Engine) reviewCommit(ctx context.Context) (bool, error) {
	req := frontend.ConfirmRequest{
		Title:  fmt.Sprintf("COMMIT in %s", e.where()),
		Impact: e.reviewLines(),
		Env:    e.policy.Env, Tier: e.policy.Tier,
	}
	if e.tx.needsWord() && e.policy.Confirm == ConfirmWord {
		req.Kind, req.Word = frontend.AskWord, e.policy.ConfirmWord
		req.Question = fmt.Sprintf("The transaction holds destructive changes. Type %s to commit (anything else keeps it open):", req.Word)
	} else {
		req.Kind = frontend.AskYesNo
		req.Question = "Commit? [y/N] (no keeps the transaction open)"
	}
	if e.Confirm == nil {
		if e.Grants.Commit && e.wordGranted() {
			return true, nil
		}
		if e.Grants.Commit {
			e.printImpact(req)
			e.host.Errorf("refused: the transaction holds destructive changes (%s) and --commit alone does not commit them in %s; give --confirm %s too", strings.Join(e.tx.destructiveWhy(), "; "), e.where(), e.policy.ConfirmWord)
			e.auditLine(audit.Entry{Statement: "COMMIT", Decision: audit.Refused, Reason: "commit review: the word"})
			return false, ErrRefused
		}
		e.printImpact(req)
		e.host.Errorf("refused: COMMIT in %s needs confirmation and there is no terminal to ask on; give --commit", e.where())
		e.auditLine(audit.Entry{Statement: "COMMIT", Decision: audit.Refused, Reason: "commit review"})
		return false, ErrRefused
	}
	ans, _ := e.Confirm.Confirm(ctx, req)
	if ans != frontend.Accepted {
		fmt.Fprintf(e.errOut, "%snot committed: the transaction is still open (%s)\n", e.host.Prefix(), e.txSummary())
		e.auditLine(audit.Entry{Statement: "COMMIT", Decision: audit.Aborted, Reason: "declined"})
		return false, ErrAborted
	}
	return true, nil
}

// leave ends an open transaction on the way out.
func (e *Engine) leave(ctx context.Context, ask bool) {
	if pg.StateOf(e.conn) == pg.Gone {
		return
	}
	switch pg.StateOf(e.conn) {
	case pg.Idle:
		return
	case pg.Failed:
		_ = e.HiddenExec(ctx, "ROLLBACK")
		e.auditTx("ROLLBACK", audit.Rollback, nil)
		return
	}
	if !e.tx.hasChanges() {
		_ = e.HiddenExec(ctx, "ROLLBACK")
		e.tx = txTrack{}
		return
	}
	e.closeRun(ctx, "")
	ans := frontend.Rollback
	if ask && e.Confirm != nil {
		req := frontend.ConfirmRequest{
			Kind:     frontend.AskCommitRollback,
			Title:    fmt.Sprintf("Leaving %s with an open transaction", e.where()),
			Impact:   e.reviewLines(),
			Question: "Commit or rollback? [c/R] (Enter, Ctrl-C or Ctrl-D roll back)",
			Env:      e.policy.Env, Tier: e.policy.Tier,
		}
		a, err := e.Confirm.Confirm(ctx, req)
		if err == nil && a == frontend.Commit {
			ans = frontend.Commit
		}
		if ans == frontend.Commit && e.tx.needsWord() && e.policy.Confirm == ConfirmWord {
			// the same word \commit asks for: leaving is no way around it
			req.Kind, req.Word = frontend.AskWord, e.policy.ConfirmWord
			req.Question = fmt.Sprintf("The transaction holds destructive changes. Type %s to commit (anything else rolls back):", req.Word)
			if a, err := e.Confirm.Confirm(ctx, req); err != nil || a != frontend.Accepted {
				ans = frontend.Rollback
			}
		}
	}
	if ans == frontend.Commit {
		if err := e.commitNow(ctx, "COMMIT", leavingCommit); err != nil && !isLost(err) && !errors.Is(err, ErrRefused) {
			fmt.Fprintf(e.errOut, "safesql: COMMIT failed: %v; the server rolled the transaction back\n", err)
		}
		e.tx = txTrack{}
		return
	}
	summary := e.txSummary()
	err := e.HiddenExec(ctx, "ROLLBACK")
	fmt.Fprintf(e.errOut, "safesql: rolled back: the open transaction (%s) was not committed\n", summary)
	e.auditTx("ROLLBACK", audit.Rollback, err)
	e.tx = txTrack{}
}

// FinishScript ends a non-interactive run's implicit transaction: the
// commit review on a terminal, --commit without one, else a rollback that
// is said out loud. It returns StatusScript when changes were rolled back
// for want of an answer.
func (e *Engine) FinishScript(ctx context.Context, ok bool) Status {
	st := e.finishScript(ctx, ok)
	if st == StatusOK && e.auditBroken != nil && e.policy.AuditRequired {
		// what ran is not all on record: the run did not end well
		return StatusScript
	}
	return st
}

func (e *Engine) finishScript(ctx context.Context, ok bool) Status {
	if pg.StateOf(e.conn) == pg.Gone || pg.StateOf(e.conn) == pg.Idle {
		return StatusOK
	}
	if !ok || pg.StateOf(e.conn) == pg.Failed || !e.tx.hasChanges() {
		if changed, summary := e.tx.changed, e.txSummary(); e.rollbackRun(ctx) && changed {
			fmt.Fprintf(e.errOut, "safesql: rolled back: the run's transaction (%s) was not committed\n", summary)
		}
		return StatusOK
	}
	e.closeRun(ctx, "")
	commit := e.Grants.Commit
	if commit && e.Confirm == nil && e.policy.asks() && !e.wordGranted() {
		summary := e.txSummary()
		why := strings.Join(e.tx.destructiveWhy(), "; ")
		e.rollbackRun(ctx)
		fmt.Fprintf(e.errOut, "safesql: refused: the run's transaction holds destructive changes (%s) and --commit alone does not commit them; give --confirm %s too. It was rolled back (%s): nothing of it was committed\n", why, e.policy.ConfirmWord, summary)
		return StatusScript
	}
	if !commit && e.Confirm != nil {
		commit = true
		if e.policy.asks() {
			commit, _ = e.reviewCommit(ctx)
		}
	}
	if !commit {
		summary := e.txSummary()
		e.rollbackRun(ctx)
		fmt.Fprintf(e.errOut, "safesql: rolled back: the run's transaction (%s) was not committed; give --commit to commit it\n", summary)
		return StatusScript
	}
	if err := e.commitQuietly(ctx); err != nil {
		return StatusScript
	}
	e.tx = txTrack{}
	return StatusOK
}

// rollbackRun rolls the run's transaction back and audits it; true when
// the server took the ROLLBACK.
func (e *Engine) rollbackRun(ctx context.Context) bool {
	err := e.HiddenExec(ctx, "ROLLBACK")
	e.auditTx("ROLLBACK", audit.Rollback, err)
	e.tx = txTrack{}
	return err == nil
}

// commitQuietly commits the run's transaction at the end of a script,
// through the same checks as a typed COMMIT, without printing its tag.
func (e *Engine) commitQuietly(ctx context.Context) error {
	err := e.commitNow(ctx, "COMMIT", scriptCommit)
	if err != nil && !isLost(err) && !errors.Is(err, ErrRefused) {
		fmt.Fprintf(e.errOut, "safesql: COMMIT failed: %v\n", err)
	}
	return err
}

// wordGranted reports whether committing the open transaction needs no
// word, or the command line gave it (--confirm WORD).
func (e *Engine) wordGranted() bool {
	if !e.tx.needsWord() || e.policy.Confirm != ConfirmWord {
		return true
	}
	return e.Grants.ConfirmWord == e.policy.ConfirmWord
}
