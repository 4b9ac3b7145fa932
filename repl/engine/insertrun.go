package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/safesql/safesql/analyze"
)

// A run of INSERTs into plain tables (a data load, the inserts of a
// migration) is counted from the statements' command tags with no check
// after each one: the server's row counters for every table are read once
// when the run begins and once when it ends (before the next statement of
// another kind, a COMMIT, \status, leaving, or when an INSERT of the run
// fails), and what they say changed must be exactly what the tags said.
// Anything else (a trigger added by another session meanwhile, rows
// changed by something nobody counted) is what nobody measured: the commit
// asks for the word. The read-only check does not apply (writes are on),
// and an INSERT always takes a transaction id.
type insertRun struct {
	open   bool
	start  effects          // every table's counters when the run began
	tagged map[string]int64 // rows the run's INSERTs said they added, per qualified table
	tables map[string]bool  // the run's tables, as written (rechecked at the end)
}

// allSnapshot reads every table's counters in the transaction.
const allSnapshot = "EXECUTE safesql_snap('')"

// continuesRun reports whether v's statement may run as part of a run of
// INSERTs: an INSERT into a table the server said is plain, writes on, a
// plain INSERT just before it in the transaction.
func (e *Engine) continuesRun(v analyze.Verdict) bool {
	table, insert := insertTarget(v)
	return insert && !e.readOnlyNow() && e.plainTables[table] != "" && e.tx.plainInserts > 0
}

// closeRun ends the open run of INSERTs: it reads every table's counters
// and whether the run's tables are still plain, and records what nobody
// counted as unexplained. failed names the qualified table of an INSERT of
// the run that failed: the rows it added before failing count in the
// server's counters (a rolled-back insert still counts), so that table may
// show more inserted rows than counted.
func (e *Engine) closeRun(ctx context.Context, failed string) {
	run := e.tx.run
	if !run.open {
		return
	}
	e.tx.run = insertRun{}
	stmts := []string{allSnapshot}
	var written []string
	for t := range run.tables {
		written = append(written, t)
		stmts = append(stmts, txCheckFor(t))
	}
	w := &Wrap{}
	if err := w.RunHidden(ctx, e.conn, 0, stmts); err != nil {
		e.tx.unexplained = append(e.tx.unexplained, "a run of INSERTs whose effects could not be read back ("+err.Error()+")")
		return
	}
	now := snapshotOf(w.results[0])
	seen := map[string]bool{}
	var odd []string
	check := func(t string) {
		if seen[t] {
			return
		}
		seen[t] = true
		d := now[t]
		s := run.start[t]
		got := [3]int64{d[0] - s[0], d[1] - s[1], d[2] - s[2]}
		want := [3]int64{run.tagged[t], 0, 0}
		if t == failed && got[0] > want[0] {
			want[0] = got[0]
		}
		if got != want {
			odd = append(odd, fmt.Sprintf("%s (%d inserted, %d updated, %d deleted where the INSERTs counted %d inserted)", t, got[0], got[1], got[2], run.tagged[t]))
		}
	}
	for _, t := range sortedKeys(now) {
		check(t)
	}
	for t := range run.tagged {
		check(t)
	}
	if len(odd) > 0 {
		e.tx.unexplained = append(e.tx.unexplained, "rows changed that no statement counted: "+strings.Join(odd, ", "))
		e.notef("during a run of INSERTs, rows changed that no statement counted: %s; COMMIT will ask for the word", strings.Join(odd, ", "))
	}
	for i, t := range written {
		if rows := w.results[i+1]; len(rows) != 1 || len(rows[0]) != 3 || rows[0][2] == "" {
			delete(e.plainTables, t)
			e.tx.unexplained = append(e.tx.unexplained, "INSERTs into "+t+", which is no longer plain")
		}
	}
}
