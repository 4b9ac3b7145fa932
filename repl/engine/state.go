package engine

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/safesql/safesql/repl/pg"

	"github.com/safesql/safesql/repl/frontend"
)

// now reads the session's clock (Engine.Now).
func (e *Engine) now() time.Time { return e.Clock()() }

// Clock is the session's clock (Engine.Now, else time.Now), for a front
// end that draws what the session judges by the time (the status line).
func (e *Engine) Clock() func() time.Time {
	if e.Now != nil {
		return e.Now
	}
	return time.Now
}

// State reports the session's state for the prompt, frame and status line.
func (e *Engine) State() frontend.State {
	st := frontend.State{
		Env: e.policy.Env, Label: e.policy.Label, Tier: e.policy.Tier, Color: e.policy.Color,
		ReadOnly: e.policy.ReadOnly, Writes: e.writes,
		LastDuration: e.lastDuration,
		TxWarnAfter:  e.policy.TxWarnAfter, IdleTxTimeout: e.policy.IdleInTxTimeout,
		IdleSince: e.idleSince,
	}
	if cfg := e.config; cfg != nil {
		st.User, st.Host, st.Database = cfg.User, cfg.Host, cfg.Database
	}
	if pg.StateOf(e.conn) == pg.Gone {
		st.Tx = frontend.TxLost
		return st
	}
	st.Superuser = e.conn.ParameterStatus("is_superuser") == "on"
	switch pg.StateOf(e.conn) {
	case pg.InTx:
		st.Tx = frontend.TxOpen
	case pg.Failed:
		st.Tx = frontend.TxFailed
	}
	if st.Tx != frontend.TxNone {
		st.TxSince = e.tx.since
		st.TxStatements = e.tx.statements
		st.TxTables = e.tx.tableList()
		if w := e.policy.TxWarnAfter; w > 0 && !e.tx.since.IsZero() && e.now().Sub(e.tx.since) > w {
			st.TxLong = true
		}
	}
	return st
}

// Leave ends the session the way a person leaving should: an open
// transaction that changed anything is committed or rolled back as the
// person answers (anything but an explicit commit rolls back); one that
// changed nothing is rolled back without asking.
func (e *Engine) Leave(ctx context.Context) {
	e.leave(ctx, true)
}

// Abandon ends the session without asking (SIGHUP, SIGTERM): an open
// transaction is rolled back.
func (e *Engine) Abandon(ctx context.Context) {
	e.leave(ctx, false)
}

// txTrack is what the session knows of the open transaction.
type txTrack struct {
	since       time.Time
	statements  int
	tables      map[string]bool // tables changed, qualified
	changed     bool            // a write or destructive statement ran in it
	destructive bool            // a destructive statement ran in it
	ddl         []string        // DDL statements run in it, shortened
	effects     effects         // rows inserted, updated, deleted per table
	implicit    bool            // the session opened it (BEGIN piggybacked), not the person
	xid         bool            // the server said it holds a transaction id: something was written
	xidValue    string          // that transaction id, once the server said it
	// unexplained lists statements classed as reads after which the
	// transaction held a transaction id: they wrote something unseen.
	unexplained []string
	// plainInserts counts the INSERTs into plain tables that ran one
	// after the other, up to the last statement; run is the run of
	// INSERTs counted from their tags (insertrun.go).
	plainInserts int
	run          insertRun
}

func (t *txTrack) tableList() []string {
	out := make([]string, 0, len(t.tables))
	for name := range t.tables {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// hasChanges reports whether the transaction changed anything, as the
// statements' classes or the server (a transaction id) say.
func (t *txTrack) hasChanges() bool { return t.changed || t.xid }

// needsWord reports whether committing the transaction needs the typed
// word: what the server observed (rows updated or deleted, DDL, a write by
// a statement classed as a read) as well as the statements' classes.
func (t *txTrack) needsWord() bool {
	if t.destructive || len(t.ddl) > 0 || len(t.unexplained) > 0 {
		return true
	}
	for _, c := range t.effects {
		if c[1] != 0 || c[2] != 0 {
			return true
		}
	}
	return false
}

// destructiveWhy says what makes the transaction need the word.
func (t *txTrack) destructiveWhy() []string {
	var out []string
	if t.destructive {
		out = append(out, "destructive statements ran")
	}
	for _, name := range sortedKeys(t.effects) {
		c := t.effects[name]
		if c[1] != 0 || c[2] != 0 {
			out = append(out, fmt.Sprintf("%s: %d updated, %d deleted", name, c[1], c[2]))
		}
	}
	if len(t.ddl) > 0 {
		out = append(out, "DDL ran")
	}
	for _, u := range t.unexplained {
		out = append(out, "a write nobody predicted: "+u)
	}
	return out
}

func sortedKeys(m effects) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
