package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/pg"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/policy"
)

// the savepoint each statement of an open transaction runs under
const stmtSavepoint = "safesql_stmt"

// SetPolicy applies an environment's rules: on connect and after every
// \connect. Writes go back off: a new connection starts read-only where
// its environment says so.
func (e *Engine) SetPolicy(ctx context.Context, p Policy) error {
	e.policy = p
	e.writes = false
	e.tx = txTrack{}
	if err := e.applySessionSettings(ctx); err != nil {
		return err
	}
	if e.guarded() {
		return e.prepareHelpers(ctx)
	}
	return nil
}

// Policy returns the rules in force.
func (e *Engine) Policy() Policy { return e.policy }

// applySessionSettings sets the session-level parameters the policy asks
// for: the idle-in-transaction timeout, and in autocommit mode the
// statement and lock timeouts and the read-only default (inside implicit
// transactions these are set again with SET LOCAL, for poolers).
func (e *Engine) applySessionSettings(ctx context.Context) error {
	if pg.StateOf(e.conn) == pg.Gone {
		return nil
	}
	p := e.policy
	set := p.timeouts("SET ")
	if p.ReadOnly {
		set = append(set, "SET default_transaction_read_only = "+onOff(!e.writes))
	}
	if len(set) == 0 {
		return nil
	}
	if pg.StateOf(e.conn) != pg.Idle {
		return nil // applied by the next transaction's SET LOCAL
	}
	if _, err := e.conn.Exec(ctx, strings.Join(set, "; ")).ReadAll(); err != nil {
		return fmt.Errorf("apply %s settings: %w", p.Tier, err)
	}
	return nil
}

func ms(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// guarded reports whether statements go through the safety rules; a
// psql-like policy (autocommit, writable, no questions, no audit) runs
// them exactly as psql would.
func (e *Engine) guarded() bool {
	p := e.policy
	return !p.Autocommit || p.ReadOnly || p.asks() || e.Audit != nil
}

// Guarded reports whether the environment's rules apply to statements
// (false: psql's behaviour, untouched).
func (e *Engine) Guarded() bool { return e.guarded() }

// readOnlyNow reports whether writes are refused right now.
func (e *Engine) readOnlyNow() bool { return e.policy.ReadOnly && !e.writes }

// classify analyses one statement and refines the verdict with what the
// server knows of the functions it calls.
func (e *Engine) Classify(ctx context.Context, sql string) analyze.Verdict {
	e.initAnalyzer()
	// Predict, not Classify: what a statement teaches (PREPARE, CREATE
	// FUNCTION) is learnt once the server has accepted it (learn).
	v := e.analyzer.WithStandardStrings(e.StandardStrings()).Predict(sql)
	if e.misread != nil {
		v = e.misread(sql, v)
	}
	if len(v.Calls) == 0 || pg.StateOf(e.conn) == pg.Gone || pg.StateOf(e.conn) == pg.Failed {
		return v
	}
	vol := e.volatility(ctx, v.Calls)
	return v.Refine(vol)
}

func (e *Engine) initAnalyzer() {
	if e.analyzer == nil {
		e.analyzer = analyze.NewAnalyzer().WithCache(e.Verdicts())
	}
}

// classifyTx says which transaction-control statement sql is.
func (e *Engine) classifyTx(sql string) analyze.TxKind {
	e.initAnalyzer()
	return e.analyzer.Predict(sql).TxControl
}

// learn teaches the analyzer what v's statement defined (PREPARE, CREATE
// FUNCTION, DEALLOCATE), once the server has accepted it.
func (e *Engine) learn(v analyze.Verdict) {
	e.initAnalyzer()
	e.analyzer.Learn(v)
}

// verdictCacheSize bounds the verdicts kept between the plan and the run
// (about 1 KiB each): an input of up to this many statements is parsed
// once; a longer one partly twice, in bounded memory.
const verdictCacheSize = 100000

// verdicts is the session's cache of verdicts, shared by the plan made
// before a run and the checks as it runs (each statement is parsed once).
func (e *Engine) Verdicts() *analyze.Cache {
	if e.verdictCache == nil {
		e.verdictCache = analyze.NewCache(verdictCacheSize)
	}
	return e.verdictCache
}

// volatility looks the called functions up in pg_proc: a name whose every
// overload is IMMUTABLE or STABLE gets 's', anything else 'v'.
func (e *Engine) volatility(ctx context.Context, calls []string) map[string]byte {
	rows, err := e.queryNames(ctx, `SELECT c.name, bool_and(p.provolatile IN ('i','s')) FROM unnest($1::text[]) AS c(name)
		JOIN pg_proc p ON (CASE WHEN strpos(c.name, '.') > 0
		THEN p.pronamespace::regnamespace::text = lower(split_part(c.name, '.', 1)) AND p.proname = lower(split_part(c.name, '.', 2))
		ELSE p.proname = lower(c.name) AND pg_function_is_visible(p.oid) END) GROUP BY c.name`, calls)
	if err != nil {
		return nil
	}
	out := map[string]byte{}
	for _, r := range rows {
		if len(r) == 2 && string(r[1]) == "t" {
			out[string(r[0])] = 's'
		} else if len(r) == 2 {
			out[string(r[0])] = 'v'
		}
	}
	return out
}

// wrap is what the session sends around a statement in the same round
// trip: pre statements before it, post after it; their results are not
// printed but kept in results, by position.
type Wrap struct {
	Pre, Post []string
	results   map[int][][]string
	Offset    int // characters before the statement, for error positions
	// snapshot: the last of pre and the first of post measure the
	// tables' row counters around the statement
	snapshot bool
	// savepoint: the statement runs under the statement savepoint
	savepoint bool
	// tagEffect: the plain table whose rows an INSERT adds, counted
	// from its command tag instead of a snapshot
	tagEffect string
	// inRun: the INSERT is one of a run of INSERTs, with no check after
	// it; runStart, when it begins the run, is the position of the
	// counters read before it (else 0)
	inRun    bool
	runStart int
	// HoldTag: the statement's command tag is not printed with its
	// results; the engine shows it (Host.ShowTag) once it has checked
	// the statement's count, so that only a true outcome is printed
	HoldTag bool
	// Stmts is how many statements the text wrapped holds (psql's
	// combined queries, where psql's own wrapping goes around all of
	// them); 0 means one.
	Stmts int
}

func (w *Wrap) Text(sql string) string {
	if w == nil || (len(w.Pre) == 0 && len(w.Post) == 0) {
		return sql
	}
	var b strings.Builder
	for _, p := range w.Pre {
		b.WriteString(p)
		b.WriteString(";\n")
	}
	w.Offset = len([]rune(b.String()))
	b.WriteString(sql)
	for _, p := range w.Post {
		b.WriteString("\n;")
		b.WriteString(p)
	}
	return b.String()
}

// HoldsTag reports whether the statement's command tag waits for the
// engine (HoldTag).
func (w *Wrap) HoldsTag() bool { return w != nil && w.HoldTag }

// hidden reports whether result i belongs to the wrapping.
func (w *Wrap) Hidden(i int) bool {
	if w == nil {
		return false
	}
	return i < len(w.Pre) || i >= len(w.Pre)+max(w.Stmts, 1)
}

func (w *Wrap) Keep(i int, row [][]byte) {
	if w.results == nil {
		w.results = map[int][][]string{}
	}
	r := make([]string, len(row))
	for j, v := range row {
		r[j] = string(v)
	}
	w.results[i] = append(w.results[i], r)
}

// effects is per-table inserted/updated/deleted counts.
type effects map[string][3]int64

// snapshotPrepared measures what a statement changes, run before and
// after it in the same round trip as EXECUTE safesql_snap('table'), where
// 'table' is the one table the statement changes or ” when it changes
// more or cannot be seen into. Scanning every table's counters costs in
// proportion to the number of tables, so where the statement changes one
// plain table (no triggers but foreign-key checks, no rules, no foreign key with an action that
// points at it) the server reads that table's counters alone. Whether the
// table is plain is decided by the server, in the same query, every time:
// a trigger added since is seen. It is a prepared statement because
// planning the statistics view costs more than running it.
const snapshotPrepared = `PREPARE safesql_snap(text) AS
WITH t AS (SELECT c.oid, n.nspname || '.' || c.relname AS name,
		c.relkind = 'r' AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND NOT g.tgisinternal) AND NOT c.relhasrules
		AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.confrelid = c.oid AND (k.confdeltype NOT IN ('a','r') OR k.confupdtype NOT IN ('a','r'))) AS plain
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE $1 <> '' AND c.oid = to_regclass($1))
SELECT schemaname || '.' || relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables
	WHERE NOT coalesce((SELECT plain FROM t), false) AND n_tup_ins + n_tup_upd + n_tup_del > 0
UNION ALL
SELECT name, pg_stat_get_xact_tuples_inserted(oid), pg_stat_get_xact_tuples_updated(oid), pg_stat_get_xact_tuples_deleted(oid) FROM t WHERE plain`

// txCheckPrepared asks the server, after each statement in a transaction,
// whether the transaction is still read-only and whether it holds a
// transaction id (it wrote something, whatever the analyzer predicted).
// Its third column is the table named by its argument, qualified, when
// that table is plain (see snapshotPrepared without the foreign keys,
// which an INSERT does not follow), else NULL.
const txCheckPrepared = `PREPARE safesql_check(text) AS SELECT current_setting('transaction_read_only'), coalesce(txid_current_if_assigned()::text, ''),
	(SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE $1 <> '' AND c.oid = to_regclass($1) AND c.relkind = 'r' AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND NOT g.tgisinternal) AND NOT c.relhasrules)`

const txCheckSQL = "EXECUTE safesql_check"

// txCheckFor is the check after v's statement, naming the table whose
// plainness it reports (” for none).
func txCheckFor(table string) string {
	return txCheckSQL + "(" + analyze.QuoteLiteral(table) + ")"
}

// insertTarget is the table an INSERT or COPY FROM changes when it changes
// that one table alone and calls nothing unseen: its effect is its command
// tag's count when the table is plain.
func insertTarget(v analyze.Verdict) (string, bool) {
	t, ok := singleDMLTarget(v)
	if !ok || (t.Effect != analyze.EffectInsert && t.Effect != analyze.EffectCopyIn) {
		return "", false
	}
	return qualifiedIdent(t), true
}

// snapshotFor is the snapshot query for v's statement.
func snapshotFor(v analyze.Verdict) string {
	if t, ok := singleDMLTarget(v); ok {
		return "EXECUTE safesql_snap(" + analyze.QuoteLiteral(qualifiedIdent(t)) + ")"
	}
	return "EXECUTE safesql_snap('')"
}

// prepareHelpers defines the session's prepared statements on the
// connection, once (again after a reconnect, DEALLOCATE or DISCARD ALL).
func (e *Engine) prepareHelpers(ctx context.Context) error {
	if e.helpersReady || pg.StateOf(e.conn) == pg.Gone || pg.StateOf(e.conn) == pg.Failed {
		return nil
	}
	// Only what is missing is prepared: a PREPARE that failed inside the
	// person's transaction would abort it.
	rows, err := e.query(ctx, `SELECT name FROM pg_prepared_statements WHERE name IN ('safesql_snap', 'safesql_check')`)
	if err != nil {
		return fmt.Errorf("look up safesql's prepared statements: %w", err)
	}
	have := map[string]bool{}
	for _, r := range rows {
		have[string(r[0])] = true
	}
	var todo []string
	if !have["safesql_snap"] {
		todo = append(todo, snapshotPrepared)
	}
	if !have["safesql_check"] {
		todo = append(todo, txCheckPrepared)
	}
	if len(todo) > 0 {
		if _, err := e.conn.Exec(ctx, strings.Join(todo, ";\n")).ReadAll(); err != nil {
			return fmt.Errorf("prepare safesql's own statements: %w", err)
		}
	}
	e.helpersReady = true
	return nil
}

// forgetHelpers notes that a statement may have removed the prepared
// statements (DEALLOCATE, DISCARD ALL), as its command tag says.
func (e *Engine) forgetHelpers() {
	if t := e.host.LastTag().String(); strings.HasPrefix(t, "DEALLOCATE") || t == "DISCARD ALL" {
		e.helpersReady = false
	}
}

// singleDMLTarget is the one table v's statement inserts into, updates
// or deletes from, when it changes exactly one table and calls nothing the
// analyzer cannot see.
func singleDMLTarget(v analyze.Verdict) (analyze.Target, bool) {
	if len(v.Calls) > 0 || v.Has(analyze.FlagOpaque) || v.Has(analyze.FlagUnparsed) || v.Has(analyze.FlagUntryable) {
		return analyze.Target{}, false
	}
	var found analyze.Target
	n := 0
	for _, t := range v.Targets {
		switch t.Effect {
		case analyze.EffectRead:
		case analyze.EffectInsert, analyze.EffectUpdate, analyze.EffectDelete, analyze.EffectCopyIn:
			if t.Kind != "" && t.Kind != "table" {
				return analyze.Target{}, false
			}
			found = t
			n++
		default:
			return analyze.Target{}, false
		}
	}
	return found, n == 1 && found.Name != ""
}

// qualifiedIdent is a target's name as SQL: schema.name, quoted where
// needed.
func qualifiedIdent(t analyze.Target) string {
	if t.Schema == "" {
		return analyze.QuoteIdent(t.Name)
	}
	return analyze.QuoteIdent(t.Schema) + "." + analyze.QuoteIdent(t.Name)
}

func snapshotOf(rows [][]string) effects {
	e := effects{}
	for _, r := range rows {
		if len(r) != 4 {
			continue
		}
		var c [3]int64
		for i := range c {
			c[i], _ = strconv.ParseInt(r[i+1], 10, 64)
		}
		e[r[0]] = c
	}
	return e
}

// add adds after-before to e.
func (e effects) add(before, after effects) {
	for t, a := range after {
		b := before[t]
		d := [3]int64{a[0] - b[0], a[1] - b[1], a[2] - b[2]}
		if d == [3]int64{} {
			continue
		}
		c := e[t]
		e[t] = [3]int64{c[0] + d[0], c[1] + d[1], c[2] + d[2]}
	}
}

// refuseBy says why rule refused sql, with the way out, and audits it.
func (e *Engine) refuseBy(ctx context.Context, sql string, v analyze.Verdict, rule policy.Rule) error {
	var msg string
	switch rule {
	case policy.AuditBroken:
		e.host.Errorf("refused: the audit log cannot be written (%v); fix it and reconnect, nothing else runs in %s until then", e.auditBroken, e.policy.Tier)
		return ErrRefused
	case policy.SeveralStatements:
		msg = fmt.Sprintf("refused: this text holds %d statements where one was expected (is standard_conforming_strings off?); nothing ran", v.Statements)
	case policy.ReadOnly:
		what := describeWrite(sql, e.qualified(ctx, v))
		if v.TxControl == analyze.TxBegin {
			what = "BEGIN READ WRITE would allow writes"
		}
		msg = fmt.Sprintf("%s is read-only: %s. %s", e.where(), what, e.writeWayOut())
	case policy.TransactionBlock:
		msg = fmt.Sprintf("%s cannot run inside a transaction, and one is open (%s): COMMIT or ROLLBACK first; nothing ran", analyze.Command(sql), e.txSummary())
	case policy.Irreversible:
		msg = fmt.Sprintf("refused: %s takes effect outside the run's transaction, so the rollback at the end would not undo it; %s; nothing ran", analyze.Command(sql), e.irreversibleWayOut(v))
	case policy.AbortedTx:
		e.host.Errorf("current transaction is aborted: ROLLBACK (\\rollback) first; nothing ran")
		return ErrRefused
	default:
		msg = fmt.Sprintf("refused by the rule %q; nothing ran", rule)
	}
	e.refuse(sql, v, string(rule), msg)
	return ErrRefused
}

// where names the environment in messages: "production", or the
// environment's name when it has one.
func (e *Engine) where() string {
	if e.policy.Unknown || e.policy.Env == "" {
		return e.policy.Tier
	}
	return fmt.Sprintf("%s (%s)", e.policy.Env, e.policy.Tier)
}

func (e *Engine) writeWayOut() string {
	if e.Interactive {
		return `Type \write to allow writes in this session`
	}
	return "Run with --write to allow writes"
}

// qualified returns v with the schema of each unqualified table target
// filled in as the server resolves the name now (search_path), so that
// messages say public.orders, not orders. Names it cannot resolve stay.
func (e *Engine) qualified(ctx context.Context, v analyze.Verdict) analyze.Verdict {
	if pg.StateOf(e.conn) == pg.Gone || pg.StateOf(e.conn) == pg.Failed {
		return v
	}
	var names []string
	for _, t := range v.Targets {
		if t.Schema == "" && t.Name != "" {
			names = append(names, analyze.QuoteIdent(t.Name))
		}
	}
	if len(names) == 0 {
		return v
	}
	rows, err := e.queryNames(ctx, `SELECT c.name, n.nspname FROM unnest($1::text[]) AS c(name)
		JOIN pg_class r ON r.oid = to_regclass(c.name) JOIN pg_namespace n ON n.oid = r.relnamespace`, names)
	if err != nil {
		return v
	}
	schema := map[string]string{}
	for _, r := range rows {
		schema[string(r[0])] = string(r[1])
	}
	out := v
	out.Targets = append([]analyze.Target(nil), v.Targets...)
	for i, t := range out.Targets {
		if sch, ok := schema[analyze.QuoteIdent(t.Name)]; ok && t.Schema == "" {
			out.Targets[i].Schema = sch
		}
	}
	return out
}

// describeWrite is "UPDATE would change public.orders".
func describeWrite(sql string, v analyze.Verdict) string {
	cmd := analyze.Command(sql)
	switch v.TxControl {
	case analyze.TxCommitPrepared:
		cmd = "COMMIT PREPARED"
	case analyze.TxRollbackPrepared:
		cmd = "ROLLBACK PREPARED"
	}
	var names []string
	seen := map[string]bool{}
	for _, t := range v.Targets {
		if t.Name == "" || t.Effect == analyze.EffectRead {
			continue
		}
		n := qualifiedName(t)
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	verb := "would write"
	if v.Class == analyze.Destructive {
		verb = "would change"
	}
	if len(names) == 0 {
		if v.Has(analyze.FlagOpaque) {
			return fmt.Sprintf("%s runs code that may write (%s)", cmd, FirstReason(v))
		}
		return fmt.Sprintf("%s %s the database", cmd, verb)
	}
	if len(names) > 3 {
		names = append(names[:3], "...")
	}
	return fmt.Sprintf("%s %s %s", cmd, verb, strings.Join(names, ", "))
}

func FirstReason(v analyze.Verdict) string {
	if len(v.Reasons) > 0 {
		return v.Reasons[0]
	}
	return v.Class.String()
}

// refuse prints a refusal and audits it.
func (e *Engine) refuse(sql string, v analyze.Verdict, rule, msg string) {
	_, scrub := audit.RedactStatement(sql)
	e.host.Errorf("%s", scrub(msg))
	e.auditLine(audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), Decision: audit.Refused, Reason: rule})
}

func flagStrings(v analyze.Verdict) []string {
	out := make([]string, len(v.Flags))
	for i, f := range v.Flags {
		out[i] = string(f)
	}
	return out
}

// begin runs the user's BEGIN and, in the same round trip, the settings
// every transaction gets.
func (e *Engine) begin(ctx context.Context, sql string, v analyze.Verdict) error {
	if pg.StateOf(e.conn) == pg.InTx && e.tx.implicit && !e.tx.hasChanges() && !v.BeginModes.HasModes {
		// The transaction the session opened for earlier reads becomes
		// the one the person asked for: psql, with no transaction open,
		// would just say BEGIN.
		e.tx.implicit = false
		e.host.Ran(sql, pgconn.NewCommandTag("BEGIN"))
		return nil
	}
	if pg.StateOf(e.conn) != pg.Idle {
		return e.send(ctx, sql, nil, nil) // the server warns, as in psql
	}
	w := &Wrap{Post: e.txSettings()}
	if e.readOnlyNow() {
		w.Post = append([]string{"SET TRANSACTION READ ONLY"}, w.Post...)
	}
	err := e.send(ctx, sql, nil, w)
	e.SyncTx()
	return err
}

// txSettings are the SET LOCALs of every transaction the session opens.
func (e *Engine) txSettings() []string { return e.policy.timeouts("SET LOCAL ") }

// timeouts are the policy's statement and idle-in-transaction timeouts as
// SET statements (verb "SET " or "SET LOCAL ").
func (p Policy) timeouts(verb string) []string {
	var out []string
	if p.StatementTimeout > 0 {
		out = append(out, verb+"statement_timeout = "+ms(p.StatementTimeout))
	}
	if p.IdleInTxTimeout > 0 {
		out = append(out, verb+"idle_in_transaction_session_timeout = "+ms(p.IdleInTxTimeout))
	}
	return out
}

// open is the wrapping of a statement: BEGIN (READ ONLY) and the settings
// when no transaction is open and the policy wants one, a savepoint when
// one is open. began says which.
func (e *Engine) open(sql string, v analyze.Verdict, snapshot bool) (w *Wrap, began bool) {
	w = &Wrap{}
	status := pg.StateOf(e.conn)
	if outsideTx(v) {
		return w, false // runs on its own, as PostgreSQL requires
	}
	switch {
	case status == pg.Idle && !e.policy.Autocommit:
		b := "BEGIN"
		if e.readOnlyNow() {
			b = "BEGIN READ ONLY"
		}
		w.Pre = append(w.Pre, b)
		w.Pre = append(w.Pre, e.txSettings()...)
		began = true
	case status == pg.InTx && e.tx.implicit && !e.tx.hasChanges() && e.readOnlyNow() && v.Class == analyze.Read:
		// a read in the read-only transaction the session opened for
		// reads: a failure rolls that transaction back whole (it holds
		// nothing), so no savepoint is needed
	case status == pg.InTx && !e.tx.implicit && !e.Interactive:
		// a script's own BEGIN ... COMMIT: an error aborts the block and
		// its COMMIT rolls back, as in psql; no savepoint undoes the
		// failed statement alone (that is for a person at a prompt)
	case status == pg.InTx:
		w.Pre = append(w.Pre, "SAVEPOINT "+stmtSavepoint)
		w.Post = append(w.Post, "RELEASE SAVEPOINT "+stmtSavepoint)
		w.savepoint = true
	}
	if (status == pg.InTx || began) && e.policy.LockTimeout > 0 && strongLock(v) {
		w.Pre = append(w.Pre, "SET LOCAL lock_timeout = "+ms(e.policy.LockTimeout))
	}
	table, insert := insertTarget(v)
	if snapshot && insert && e.plainTables[table] != "" {
		// an INSERT into a table known to be plain: its effect is its
		// command tag's count; the check after it says whether the table
		// is still plain (else the commit asks for the word)
		snapshot = false
		w.tagEffect = table
		if (status == pg.InTx || began) && e.continuesRun(v) {
			// one of a run of INSERTs: checked as a whole when the run
			// ends (insertrun.go)
			if !e.tx.run.open {
				w.runStart = len(w.Pre)
				w.Pre = append(w.Pre, allSnapshot)
			}
			w.inRun = true
			return w, began
		}
	}
	if snapshot && (status == pg.InTx || began) {
		q := snapshotFor(v)
		w.Pre = append(w.Pre, q)
		w.Post = append([]string{q}, w.Post...)
		w.snapshot = true
	}
	if status == pg.InTx || began {
		// what the server says after the statement: still read-only,
		// whether the transaction now holds a transaction id, and
		// whether the table an INSERT changed is plain
		if !insert {
			table = ""
		}
		w.Post = append(w.Post, txCheckFor(table))
	}
	if began && e.Interactive && e.readOnlyNow() && v.Class == analyze.Read && !needsItsTx(sql) {
		// A read typed in read-only mode leaves nothing to commit: the
		// transaction it opened ends in the same round trip, so that no
		// transaction (with the locks the read took, which would block a
		// migration's ALTER TABLE, and the idle-in-transaction timeout)
		// is held at the prompt while the person thinks. The guard keeps
		// the COMMIT from running when the server says the transaction
		// is not read-only after all. A script does not wait at a
		// prompt: its reads share the run's transaction (no BEGIN and
		// COMMIT each).
		w.Post = append(w.Post, readOnlyGuardSQL, "COMMIT")
	}
	return w, began
}

// needsItsTx: the statement means something only inside the transaction it
// runs in (a cursor, SET LOCAL, SET TRANSACTION), so the transaction a read
// opened stays open after it.
func needsItsTx(sql string) bool {
	switch analyze.Command(sql) {
	case "DECLARE", "SET":
		return true
	}
	return false
}

// txCheck is what txCheckSQL answered, found among w's hidden results.
type txCheck struct {
	ok       bool // the check ran (the statement succeeded)
	readOnly bool
	xid      bool
	xidValue string // the transaction id, when it holds one
	plain    string // the INSERT's table, qualified, when it is plain
}

func (w *Wrap) txCheck() txCheck {
	if w == nil {
		return txCheck{}
	}
	j := len(w.Post) - 1
	for j >= 0 && !strings.HasPrefix(w.Post[j], txCheckSQL) {
		j-- // a read's guarded COMMIT may follow the check
	}
	if j < 0 {
		return txCheck{}
	}
	i := len(w.Pre) + 1 + j // the statement's own result is len(w.Pre)
	rows := w.results[i]
	if len(rows) != 1 || len(rows[0]) != 3 {
		return txCheck{}
	}
	return txCheck{ok: true, readOnly: rows[0][0] == "on", xid: rows[0][1] != "", xidValue: rows[0][1], plain: rows[0][2]}
}

// verifyTx holds the session to what the server reports after a statement
// ran in a transaction: in read-only mode a transaction that is no longer
// read-only is rolled back whole and the statement refused; in read-write
// mode a statement classed as a read that made the transaction take a
// transaction id wrote something unseen, and the commit will ask for the
// word. It returns ErrRefused when it rolled back.
func (e *Engine) verifyTx(ctx context.Context, sql string, v analyze.Verdict, w *Wrap) error {
	c := w.txCheck()
	if !c.ok {
		return nil
	}
	if e.readOnlyNow() && !c.readOnly {
		summary := e.txSummary()
		_ = e.HiddenExec(ctx, "ROLLBACK")
		e.tx = txTrack{}
		e.host.Errorf("refused: the transaction stopped being read-only after %s (the server says transaction_read_only is off); the whole transaction (%s) was rolled back and nothing of it was committed. %s", analyze.Command(sql), summary, e.writeWayOut())
		e.auditLine(audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), Decision: audit.Refused, Reason: "read-only lost", Tx: audit.Rollback})
		return ErrRefused
	}
	if c.xid && !e.tx.xid && v.Class == analyze.Read && !e.readOnlyNow() {
		e.tx.unexplained = append(e.tx.unexplained, frontend.Shorten(sql, 70))
		e.tx.changed = true
		e.notef("%s was classed as a read but wrote to the database (the transaction now holds a transaction id): COMMIT will ask for the word", analyze.Command(sql))
	}
	if c.xid {
		e.noteXid(c)
		e.tx.xid = true
	}
	return nil
}

// noteXid keeps the transaction's id, which the server can be asked about
// when the connection is lost with the COMMIT in flight (txid_status).
func (e *Engine) noteXid(c txCheck) {
	if c.xidValue != "" && e.tx.xidValue == "" {
		e.tx.xidValue = c.xidValue
	}
}

// strongLock: the statement takes a table lock stronger than ROW EXCLUSIVE.
func strongLock(v analyze.Verdict) bool {
	for _, t := range v.Targets {
		switch strings.ToUpper(t.Lock) {
		case "", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE":
		default:
			return true
		}
	}
	return false
}

// runStatement runs a read or write statement inside the session's
// transaction: BEGIN piggybacked when none is open, a savepoint that is
// released on success and rolled back on error when one is.
func (e *Engine) runStatement(ctx context.Context, sql string, copyData io.Reader, v analyze.Verdict) error {
	e.warnDestructive(sql, v)
	if v.Class == analyze.Write && strongLock(v) && e.policy.asks() {
		for _, l := range e.lockNotes(ctx, sql, v) {
			e.notef("note: %s", l)
		}
	}
	if e.Audit != nil && !(e.readOnlyNow() && v.Class == analyze.Read) {
		// write-ahead: what can change something is on record before
		// it is sent (reads in read-only mode cannot, the server sees to it)
		entry := audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), Decision: audit.Sending}
		if err := e.auditAheadOf(entry); err != nil {
			return e.auditFailed(ctx, sql)
		}
	}
	if err := e.prepareHelpers(ctx); err != nil {
		e.host.Errorf("%v; nothing ran", err)
		return ErrStatementFailed
	}
	snapshot := v.Class >= analyze.Write
	w, began := e.open(sql, v, snapshot)
	start := time.Now()
	stopWatch := func() {}
	if v.Class >= analyze.Write && e.policy.asks() {
		stopWatch = e.watchLocks(ctx)
	}
	err := e.send(ctx, sql, copyData, w)
	stopWatch()
	elapsed := time.Since(start)
	if err == nil && began && e.readOnlyNow() {
		if c := w.txCheck(); !c.ok || !c.readOnly {
			_ = e.HiddenExec(ctx, "ROLLBACK")
			e.host.Errorf("refused: the transaction was not read-only after %s (is a pooler or proxy in the way, or did the statement turn it off?); the statement's transaction was rolled back and nothing of it was committed", analyze.Command(sql))
			e.auditLine(audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), Decision: audit.Refused, Reason: "read-only lost", Tx: audit.Rollback})
			e.tx = txTrack{}
			e.SyncTx()
			return ErrRefused
		}
	}
	var lost *pg.ConnectionLostError
	switch {
	case errors.As(err, &lost):
		e.txLost(err)
	case err != nil:
		e.undo(ctx, began, w)
	default:
		e.learn(v)
		e.forgetHelpers()
		e.track(sql, v, w, began, start)
		if verr := e.verifyTx(ctx, sql, v, w); verr != nil {
			return verr
		}
	}
	e.auditRan(sql, v, nil, elapsed, err)
	return err
}

// undo puts the transaction back as it was before a failed statement.
// A statement cancelled with Ctrl-C failed like any other: its context is
// cancelled, so the undoing gets one of its own (cleanupCtx).
func (e *Engine) undo(ctx context.Context, began bool, w *Wrap) {
	ctx, cancel := cleanupCtx(ctx)
	defer cancel()
	if pg.StateOf(e.conn) == pg.Gone {
		e.txLost(nil)
		return
	}
	switch {
	case began:
		if pg.StateOf(e.conn) != pg.Idle {
			_ = e.HiddenExec(ctx, "ROLLBACK")
		}
		e.tx = txTrack{}
	case w != nil && !w.savepoint && pg.StateOf(e.conn) != pg.Idle && e.tx.implicit && !e.tx.hasChanges():
		// the read-only transaction opened for reads: rolled back whole
		_ = e.HiddenExec(ctx, "ROLLBACK")
		e.tx = txTrack{}
	case w != nil && w.savepoint && pg.StateOf(e.conn) != pg.Idle:
		err := e.HiddenExec(ctx, "ROLLBACK TO SAVEPOINT "+stmtSavepoint+"; RELEASE SAVEPOINT "+stmtSavepoint)
		if err == nil && w.inRun {
			e.closeRun(ctx, e.plainTables[w.tagEffect])
		}
		if err == nil && e.tx.statements > 0 && e.Interactive {
			e.notef("the transaction is still open, with its earlier changes (%s); only the failed statement was undone", e.txSummary())
		}
	}
	e.tx.plainInserts = 0
	e.SyncTx()
}

// cleanupCtx is ctx without its cancellation, bounded in time: what undoes
// a statement the person cancelled (Ctrl-C cancels the statement's
// context) must still reach the server, or the transaction is left
// aborted with everything it held.
func cleanupCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}

// hiddenExec runs SQL of the session's own, printing nothing.
func (e *Engine) HiddenExec(ctx context.Context, sql string) error {
	_, err := e.conn.Exec(ctx, sql).ReadAll()
	return err
}

// track records a statement that ran in the transaction.
func (e *Engine) track(sql string, v analyze.Verdict, w *Wrap, began bool, start time.Time) {
	if pg.StateOf(e.conn) == pg.Idle {
		e.tx = txTrack{}
		return
	}
	if began || e.tx.since.IsZero() {
		e.tx = txTrack{since: start, implicit: began}
	}
	e.tx.statements++
	if v.Class >= analyze.Write {
		e.tx.changed = true
	}
	if v.Class == analyze.Destructive {
		e.tx.destructive = true
	}
	if isDDL(v) {
		e.tx.ddl = append(e.tx.ddl, frontend.Shorten(sql, 70))
	}
	// The tables it changed: from the row counters, or, for a statement
	// that changes no rows (DDL), the tables it names.
	stmt := effects{}
	if w != nil && w.snapshot {
		stmt.add(snapshotOf(w.results[len(w.Pre)-1]), snapshotOf(w.results[len(w.Pre)+1]))
	}
	e.notePlain(v, w, stmt)
	if table, insert := insertTarget(v); insert && e.plainTables[table] != "" {
		e.tx.plainInserts++
	} else {
		e.tx.plainInserts = 0
	}
	if isDDL(v) {
		clear(e.plainTables) // a trigger or rule may have come or gone
	}
	if e.tx.effects == nil {
		e.tx.effects = effects{}
	}
	if e.tx.tables == nil {
		e.tx.tables = map[string]bool{}
	}
	e.tx.effects.add(effects{}, stmt)
	for t := range stmt {
		e.tx.tables[t] = true
	}
	if len(stmt) == 0 && v.Class >= analyze.Write {
		for _, t := range v.Targets {
			if t.Name != "" && t.Effect != analyze.EffectRead && (t.Kind == "table" || t.Kind == "") {
				e.tx.tables[qualifiedName(t)] = true
			}
		}
	}
}

// qualifiedName is schema.name, or the name as written when unqualified.
func qualifiedName(t analyze.Target) string {
	if t.Schema == "" {
		return t.Name
	}
	return t.Schema + "." + t.Name
}

func isDDL(v analyze.Verdict) bool {
	for _, t := range v.Targets {
		switch t.Effect {
		case analyze.EffectCreate, analyze.EffectDrop, analyze.EffectAlter, analyze.EffectRename:
			return true
		}
	}
	return false
}

// syncTx forgets the transaction when the server says none is open.
func (e *Engine) SyncTx() {
	if pg.StateOf(e.conn) == pg.Gone {
		return
	}
	if pg.StateOf(e.conn) == pg.Idle {
		e.tx = txTrack{}
	} else if e.tx.since.IsZero() {
		e.tx.since = e.now()
	}
}

// txLost tells the person what a lost connection did to the transaction,
// with the server's reason when it gave one (err is the failure that
// found the connection gone, or nil).
func (e *Engine) txLost(err error) {
	why := ""
	if r := pg.Reason(e.conn, err); r != nil {
		why = ": " + r.Message
	}
	// A script that only read keeps psql's output; one that changed
	// something, and a person, are told what was lost.
	if (e.tx.statements > 0 || !e.tx.since.IsZero()) && (e.Interactive || e.tx.changed) {
		what := "its changes"
		if !e.tx.changed {
			what = "nothing changed"
		}
		e.notef("the open transaction (%s, %s) was rolled back by the server%s; nothing of it was committed", plural(e.tx.statements, "statement"), what, why)
		e.auditLine(audit.Entry{Decision: audit.Ran, Tx: audit.Rollback, Error: "connection lost" + why})
	}
	e.tx = txTrack{}
}

// reconnectIfLost opens a new connection in an interactive session whose
// connection was lost. Nothing is replayed.
func (e *Engine) ReconnectIfLost(ctx context.Context) error {
	if pg.StateOf(e.conn) != pg.Gone {
		return nil
	}
	if !e.Interactive || e.config == nil {
		return &pg.ConnectionLostError{Err: errors.New("no connection")}
	}
	conn, err := pgconn.ConnectConfig(ctx, e.config)
	if err != nil {
		e.host.Errorf("reconnect failed: %v", err)
		return ErrStatementFailed
	}
	e.conn = conn
	e.tx = txTrack{}
	e.helpersReady = false
	clear(e.plainTables)
	if e.writes {
		e.writes = false
		e.notef("reconnected to %s; nothing was replayed, and writes are off again (\\write)", e.config.Database)
	} else {
		e.notef("reconnected to %s; nothing was replayed", e.config.Database)
	}
	e.host.Reconnected()
	return e.applySessionSettings(ctx)
}

// txSummary: "3 statements, public.orders changed".
func (e *Engine) txSummary() string {
	parts := []string{plural(e.tx.statements, "statement")}
	if t := e.tx.tableList(); len(t) > 0 {
		parts = append(parts, strings.Join(t, ", ")+" changed")
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// notef prints a note of the session's on standard error.
func (e *Engine) notef(format string, args ...any) {
	fmt.Fprintf(e.errOut, "%ssafesql: "+format+"\n", append([]any{e.host.Prefix()}, args...)...)
}

// outsideTx reports whether PostgreSQL runs v's statement only outside a
// transaction block.
func outsideTx(v analyze.Verdict) bool {
	return v.NoTransactionBlock || v.TxControl == analyze.TxCommitPrepared || v.TxControl == analyze.TxRollbackPrepared
}

// refuseUnparsed shows the parser's own error for a statement it rejects,
// in psql's layout, as the server would have: the statement is not sent
// (the transaction stays as it was) and it is not called a write.
func (e *Engine) refuseUnparsed(sql string, v analyze.Verdict) error {
	pe := v.ParseError
	if !e.Interactive && pg.StateOf(e.conn) == pg.InTx && !e.tx.implicit {
		// in a script's own transaction block the server's parse error
		// would abort the block: so does this one, without sending it
		_ = e.HiddenExec(context.Background(), "SELECT pg_catalog.int4('safesql: a statement of this transaction block was rejected by the parser')")
	}
	e.auditLine(audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), Decision: audit.Refused, Reason: "parse error: " + pe.Message})
	if pe.Cursor == 0 && strings.HasPrefix(pe.Message, "too deeply nested") {
		e.host.Errorf("refused: the statement is %s: it is not sent, and the transaction is as it was", pe.Message)
		e.host.SetResultVars(&pgconn.PgError{Severity: "ERROR", Code: "54001", Message: pe.Message})
		return ErrRefused
	}
	err := &pgconn.PgError{Severity: "ERROR", SeverityUnlocalized: "ERROR", Code: "42601", Message: pe.Message, Position: int32(pe.Cursor)}
	return e.host.Fail(sql, err)
}

// notePlain keeps what the server said of an INSERT's table: plain tables
// are remembered, so that the next INSERT into one is counted from its
// command tag; an INSERT counted so whose table is no longer plain (a
// trigger added since) wrote what nobody measured, and the commit asks
// for the word.
func (e *Engine) notePlain(v analyze.Verdict, w *Wrap, stmt effects) {
	table, insert := insertTarget(v)
	if w == nil || !insert {
		return
	}
	if w.inRun {
		qualified := e.plainTables[table]
		if !e.tx.run.open {
			e.tx.run = insertRun{open: true, start: snapshotOf(w.results[w.runStart]), tagged: map[string]int64{}, tables: map[string]bool{}}
		}
		n := e.host.LastTag().RowsAffected()
		e.tx.run.tagged[qualified] += n
		e.tx.run.tables[table] = true
		stmt[qualified] = [3]int64{n, 0, 0}
		e.tx.xid = e.tx.xid || n > 0
		return
	}
	c := w.txCheck()
	if !c.ok {
		return
	}
	if e.plainTables == nil {
		e.plainTables = map[string]string{}
	}
	if c.plain == "" {
		delete(e.plainTables, table)
		if w.tagEffect != "" {
			e.tx.unexplained = append(e.tx.unexplained, "an INSERT into "+table+", which is no longer plain")
		}
		return
	}
	e.plainTables[table] = c.plain
	if w.tagEffect != "" {
		stmt[c.plain] = [3]int64{e.host.LastTag().RowsAffected(), 0, 0}
	}
}

// irreversibleWayOut is what a run must be given to allow a change that
// takes effect outside its transaction.
func (e *Engine) irreversibleWayOut(v analyze.Verdict) string {
	if v.Class == analyze.Destructive && e.policy.asks() {
		return fmt.Sprintf("give --confirm %s --commit to run it", orWord(e.policy.ConfirmWord))
	}
	return "give --commit to allow changes that commit"
}
