package dryrun

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/pg"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
)

// Options bound a dry run.
type Options struct {
	Timeout     time.Duration // statement_timeout of the dry run; 0 means 5s
	LockTimeout time.Duration // lock_timeout of the dry run; 0 means 1s
	SampleRows  int           // rows of the target to show; 0 means none, negative means the default 5
	// Opaque lets CALL and DO blocks run under the savepoint (the user
	// asked with \dryrun). Without it they are reported, never run.
	Opaque bool
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = time.Second
	}
	if o.SampleRows < 0 {
		o.SampleRows = 5
	}
	return o
}

// TableEffect is what the statement did to one table, from
// pg_stat_xact_user_tables before and after the dry run.
type TableEffect struct {
	Schema, Name               string
	Inserted, Updated, Deleted int64
	// Via says how the table was reached: "" for the statement's own
	// target, "cascade" for a foreign key action (ON DELETE CASCADE, SET
	// NULL, SET DEFAULT, ON UPDATE CASCADE), "trigger" when the target
	// changed and a changed table has triggers, "other" when neither
	// explains it (rules, a procedure's body).
	Via string
}

// Relation is one table (or index, view, sequence) from the catalogue.
type Relation struct {
	Schema, Name string
	Kind         string // "table", "partitioned table", "view", "materialized view", "index", "sequence", "foreign table"
	EstRows      int64  // pg_class.reltuples; -1 when the table was never analysed
	Bytes        int64  // pg_total_relation_size
	Size         string // pg_size_pretty of Bytes
}

// Dependent is an object that depends on a target.
type Dependent struct {
	Kind   string // "view", "materialized view", "foreign key", "trigger", "function", "column default"
	Name   string // qualified where it has a schema
	Detail string // e.g. "on public.orders, ON DELETE CASCADE", "uses column total"
}

// Blocker is a session that holds or waits for a lock on a target.
type Blocker struct {
	PID      int
	User     string
	App      string
	State    string        // pg_stat_activity.state: active, idle in transaction, ...
	Since    time.Duration // how long its transaction (or, outside one, its state) has lasted
	Query    string        // its current or last query
	Relation string        // the target it locks
	Mode     string        // e.g. "AccessShareLock"
	Granted  bool          // false: it is itself waiting, and we would queue behind it
}

// Impact is what a statement would do.
type Impact struct {
	Command string // "DELETE", "UPDATE", "DROP TABLE", ... as the statement's effect reads
	Target  string // the main target, qualified (public.orders)

	Exact    bool   // the statement really ran, under a savepoint, and was rolled back
	Estimate bool   // Rows is the planner's (or the catalogue's) estimate
	Why      string // why an estimate, or why nothing ran
	Rows     int64  // the command tag's count (Exact), the planner's rows (Estimate); -1 unknown
	Tables   []TableEffect

	Columns []string   // of Sample: the target's columns (what RETURNING gives)
	Sample  [][]string // up to SampleRows rows as the statement leaves them (DELETE: the removed rows); NULL is ""

	Relations  []Relation
	Dependents []Dependent
	Lock       string // the strongest table lock taken, e.g. "ACCESS EXCLUSIVE"
	Rewrites   bool
	Blockers   []Blocker
	Elapsed    time.Duration // how long the dry run took
}

// Differs reports whether the real run's count differs from the exact dry
// run's, meaning the table changed between the two. An estimate is never
// compared: the session shows the real count instead.
func Differs(dry Impact, realRows int64) bool {
	return dry.Exact && dry.Rows != realRows
}

// ErrFailedTransaction is returned when the transaction has already failed:
// nothing can run in it until ROLLBACK.
var ErrFailedTransaction = errors.New("dry run: the current transaction is aborted; ROLLBACK (or ROLLBACK TO SAVEPOINT) first")

const savepoint = "safesql_dryrun"

type mode int

const (
	modeCatalogue mode = iota // report from the catalogue, never run
	modeDML                   // run under the savepoint
)

var dmlEffects = map[analyze.Effect]bool{
	analyze.EffectInsert: true, analyze.EffectUpdate: true, analyze.EffectUpsert: true,
	analyze.EffectDelete: true, analyze.EffectMerge: true,
}

// classify decides whether the statement may run under the savepoint.
func classify(v analyze.Verdict, opts Options) mode {
	if v.Has(analyze.FlagUnparsed) {
		return modeCatalogue
	}
	dml, call := false, false
	for _, t := range v.Targets {
		switch {
		case t.Effect == analyze.EffectRead || t.Effect == analyze.EffectLock && t.Lock == "ROW EXCLUSIVE":
		case dmlEffects[t.Effect]:
			dml = true
		case t.Effect == analyze.EffectCall:
			call = true
		default:
			return modeCatalogue // DDL, TRUNCATE, DROP, COPY, GRANT...: never run
		}
	}
	// DML that calls unknown functions still runs: whatever the function
	// writes is rolled back with the rest. Code with no visible DML target
	// (CALL, a DO block with dynamic SQL) runs only when asked.
	if call || v.Has(analyze.FlagOpaque) && !dml {
		if opts.Opaque {
			return modeDML
		}
		return modeCatalogue
	}
	if dml {
		return modeDML
	}
	return modeCatalogue
}

// command names the statement from its first changing target.
func command(v analyze.Verdict) (cmd string, target *analyze.Target) {
	for i := range v.Targets {
		if v.Targets[i].Effect == analyze.EffectUpsert {
			return "INSERT ... ON CONFLICT DO UPDATE", &v.Targets[i]
		}
	}
	for i := range v.Targets {
		t := &v.Targets[i]
		if t.Effect == analyze.EffectRead {
			continue
		}
		switch t.Effect {
		case analyze.EffectDelete, analyze.EffectUpdate, analyze.EffectMerge, analyze.EffectInsert, analyze.EffectTruncate, analyze.EffectCall:
			cmd = strings.ToUpper(string(t.Effect))
		case analyze.EffectUpsert:
			cmd = "INSERT ... ON CONFLICT DO UPDATE"
		case analyze.EffectRename:
			cmd = "RENAME"
		default:
			cmd = strings.ToUpper(string(t.Effect) + " " + t.Kind)
		}
		return cmd, t
	}
	return "", nil
}

// Run computes the impact of sql (one statement, classified as v) on conn.
//
// It runs inside the connection's transaction when one is open, and in
// BEGIN ... ROLLBACK otherwise, always under SAVEPOINT safesql_dryrun, and
// leaves the transaction as it found it. DML runs and is rolled back; when it
// hits statement_timeout or lock_timeout, Run falls back to EXPLAIN and says
// why. Everything else is reported from the catalogue. A statement error is
// returned with the transaction still usable.
func Run(ctx context.Context, conn *pgconn.PgConn, sql string, v analyze.Verdict, opts Options) (Impact, error) {
	opts = opts.withDefaults()
	start := time.Now()
	var imp Impact
	cmd, main := command(v)
	if cmd == "" {
		cmd = analyze.Command(sql)
	}
	imp.Command = cmd
	for _, t := range v.Targets {
		if stronger(t.Lock, imp.Lock) {
			imp.Lock = t.Lock
		}
		imp.Rewrites = imp.Rewrites || t.Rewrites
	}

	tx := &txn{conn: conn, opts: opts}
	var err error
	if v.Has(analyze.FlagUntryable) {
		// Effects a rollback does not undo (ending another backend, a
		// session lock, a program on the server): never tried, even with
		// \dryrun; the planner's estimate stands in.
		cause := untryableCause(v)
		if !hasDMLTarget(v) {
			imp.Rows, imp.Why = -1, cause.Error() // nothing the planner can count
		} else if _, err = tx.begin(ctx); err == nil {
			err = tx.estimate(ctx, &imp, sql, v, cause)
		}
	} else if classify(v, opts) == modeDML {
		// what the statement reaches without naming it (triggers, rules,
		// views, the bodies of functions it calls) is read first: the
		// dry run tries nothing a rollback would not undo
		var why string
		if pg.StateOf(conn) == pg.Failed {
			err = ErrFailedTransaction
		} else if why, err = unseenCode(ctx, conn, v); err == nil && why != "" {
			if _, err = tx.begin(ctx); err == nil {
				err = tx.estimate(ctx, &imp, sql, v, untryable{"not tried: " + why})
			}
		} else if err == nil {
			err = tx.dml(ctx, &imp, sql, v, main)
		}
	} else if _, err = tx.begin(ctx); err == nil {
		err = tx.catalogue(ctx, &imp, sql, v, main)
	}
	if _, endErr := tx.end(ctx); err == nil {
		err = endErr
	}
	imp.Elapsed = time.Since(start)
	return imp, err
}

// txn is one dry run's hold on the connection.
type txn struct {
	conn  *pgconn.PgConn
	opts  Options
	began bool // we sent BEGIN, so we end with ROLLBACK
	open  bool // the savepoint may exist: end must undo
}

func (tx *txn) settings() string {
	return "SET LOCAL statement_timeout = " + strconv.FormatInt(tx.opts.Timeout.Milliseconds(), 10) +
		"; SET LOCAL lock_timeout = " + strconv.FormatInt(tx.opts.LockTimeout.Milliseconds(), 10)
}

// begin opens the dry run (BEGIN when no transaction is open, the
// savepoint, the timeouts) and runs the extra queries in the same round
// trip, returning their results.
func (tx *txn) begin(ctx context.Context, extra ...string) ([]*pgconn.Result, error) {
	var b strings.Builder
	switch pg.StateOf(tx.conn) {
	case pg.Idle:
		b.WriteString("BEGIN; ")
		tx.began = true
	case pg.InTx:
	case pg.Failed:
		return nil, ErrFailedTransaction
	default:
		return nil, fmt.Errorf("dry run: connection is not ready (%s)", pg.StateOf(tx.conn))
	}
	b.WriteString("SAVEPOINT " + savepoint + "; " + tx.settings())
	for _, q := range extra {
		b.WriteString(";\n" + q)
	}
	tx.open = true
	res, err := tx.conn.Exec(ctx, b.String()).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("dry run: start: %w", err)
	}
	if len(res) < len(extra) {
		return nil, fmt.Errorf("dry run: start: %d results, want at least %d", len(res), len(extra))
	}
	return res[len(res)-len(extra):], nil
}

// restart undoes everything since the savepoint (a failed statement
// included) and sets the timeouts again, which ROLLBACK TO undid.
func (tx *txn) restart(ctx context.Context) error {
	_, err := tx.conn.Exec(ctx, "ROLLBACK TO SAVEPOINT "+savepoint+"; "+tx.settings()).ReadAll()
	if err != nil {
		return fmt.Errorf("dry run: roll back to savepoint: %w", err)
	}
	return nil
}

// end rolls back to the savepoint and releases it (or rolls back the
// transaction it opened), running extra first in the same round trip.
func (tx *txn) end(ctx context.Context, extra ...string) ([]*pgconn.Result, error) {
	if !tx.open {
		return nil, nil
	}
	tx.open = false
	// Undo even when the caller's context is done: leaving the dry run's
	// changes in the transaction would be the one unforgivable outcome.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	q := "ROLLBACK TO SAVEPOINT " + savepoint + "; RELEASE SAVEPOINT " + savepoint
	if tx.began {
		q = "ROLLBACK"
	}
	if len(extra) > 0 {
		q = strings.Join(extra, ";\n") + ";\n" + q
	}
	res, err := tx.conn.Exec(cctx, q).ReadAll()
	if err != nil && len(extra) > 0 && pg.StateOf(tx.conn) == pg.Failed {
		// One of the extra queries failed: undo without them.
		_, err2 := tx.conn.Exec(cctx, q[strings.LastIndex(q, ";\n")+2:]).ReadAll()
		if err2 != nil {
			err = err2
		}
	}
	if err == nil && tx.began && pg.StateOf(tx.conn) != pg.Idle {
		err = fmt.Errorf("transaction %s after ROLLBACK", pg.StateOf(tx.conn))
	}
	if err != nil {
		return nil, fmt.Errorf("dry run: roll back: %w", err)
	}
	if len(res) < len(extra) {
		return nil, fmt.Errorf("dry run: roll back: %d results, want at least %d", len(res), len(extra))
	}
	return res[:len(extra)], nil
}

// query runs one catalogue query with text parameters and returns its rows
// as strings (NULL as "").
func (tx *txn) query(ctx context.Context, sql string, args ...string) ([][]string, error) {
	params := make([][]byte, len(args))
	for i, a := range args {
		params[i] = []byte(a)
	}
	res := tx.conn.ExecParams(ctx, sql, params, nil, nil, nil).Read()
	if res.Err != nil {
		return nil, res.Err
	}
	return strRows(res.Rows), nil
}

func strRows(rows [][][]byte) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, c := range r {
			out[i][j] = string(c)
		}
	}
	return out
}

// stat is one row of pg_stat_xact_user_tables.
type stat struct {
	schema, name  string
	ins, upd, del int64
	cascadeFrom   []string // oids of tables whose changes this table follows through an FK action
	triggers      bool     // the table has triggers of its own
}

// statQuery is pg_stat_xact_user_tables' three counters without the view,
// which groups over pg_index and costs half a millisecond on an empty
// database: the dry run reads it twice.
const statQuery = `SELECT c.oid::text, n.nspname, c.relname, s.ins, s.upd, s.del,
	ARRAY(SELECT f.confrelid FROM pg_constraint f WHERE f.conrelid = c.oid AND f.contype = 'f'
		AND (f.confdeltype IN ('c','n','d') OR f.confupdtype IN ('c','n','d')))::text,
	EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND NOT g.tgisinternal)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
	LATERAL (SELECT pg_stat_get_xact_tuples_inserted(c.oid) AS ins, pg_stat_get_xact_tuples_updated(c.oid) AS upd,
		pg_stat_get_xact_tuples_deleted(c.oid) AS del) s
WHERE c.relkind IN ('r', 'm', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
	AND n.nspname !~ '^pg_toast' AND s.ins + s.upd + s.del > 0`

func toStats(rows [][]string) map[string]stat {
	m := make(map[string]stat, len(rows))
	for _, r := range rows {
		s := stat{schema: r[1], name: r[2], ins: atoi(r[3]), upd: atoi(r[4]), del: atoi(r[5]), triggers: r[7] == "t"}
		if a := strings.Trim(r[6], "{}"); a != "" {
			s.cascadeFrom = strings.Split(a, ",")
		}
		m[r[0]] = s
	}
	return m
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func (tx *txn) dml(ctx context.Context, imp *Impact, sql string, v analyze.Verdict, main *analyze.Target) error {
	extra := []string{statQuery}
	if main != nil && !relKind(main.Kind) {
		main = nil // CALL names a procedure, not the table it changes
	}
	if main != nil {
		extra = append(extra, qualifyQuery(*main))
	}
	res0, err := tx.begin(ctx, extra...)
	if err != nil {
		return err
	}
	before := toStats(strRows(res0[0].Rows))
	if main != nil {
		imp.Target = main.Name
		if rows := res0[1].Rows; len(rows) == 1 {
			imp.Target = string(rows[0][0]) + "." + main.Name
		}
	}
	wrapped := ""
	if tx.opts.SampleRows > 0 {
		wrapped = analyze.Sampling(sql, savepoint, tx.opts.SampleRows)
	}
	var res *pgconn.Result
	if wrapped != "" {
		res = tx.conn.ExecParams(ctx, wrapped, nil, nil, nil, nil).Read()
		if res.Err != nil && !isTimeout(res.Err) && ctx.Err() == nil {
			// The sampling form is refused for some statements (rules,
			// views with INSTEAD triggers): measure the plain one.
			if err := tx.restart(ctx); err != nil {
				return err
			}
			wrapped = ""
		}
	}
	if wrapped == "" {
		res = tx.conn.ExecParams(ctx, sql, nil, nil, nil, nil).Read()
	}
	if res.Err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !isTimeout(res.Err) {
			return res.Err
		}
		return tx.estimate(ctx, imp, sql, v, res.Err)
	}
	imp.Exact = true
	if wrapped != "" {
		imp.Rows = 0
		for i, f := range res.FieldDescriptions {
			if i > 0 {
				imp.Columns = append(imp.Columns, f.Name)
			}
		}
		for i, r := range res.Rows {
			if i == 0 {
				imp.Rows = atoi(string(r[0]))
			}
			row := make([]string, 0, len(r)-1)
			for _, c := range r[1:] {
				row = append(row, string(c))
			}
			imp.Sample = append(imp.Sample, row)
		}
	} else {
		imp.Rows = res.CommandTag.RowsAffected()
	}
	after, err := tx.end(ctx, statQuery)
	if err != nil {
		return err
	}
	imp.Tables = effects(before, toStats(strRows(after[0].Rows)), v)
	return nil
}

// effects is after minus before, the statement's own targets first. A
// table the statement does not name was reached through a foreign key
// action ("cascade") when one leads to it from another changed table,
// through a trigger ("trigger") when the target changed and a changed table
// has triggers, and otherwise by means the catalogue cannot tell (a rule, a
// procedure's body: "other").
func effects(before, after map[string]stat, v analyze.Verdict) []TableEffect {
	changed := map[string]bool{}
	targetChanged, triggers := false, false
	for oid, a := range after {
		b := before[oid]
		if a.ins != b.ins || a.upd != b.upd || a.del != b.del {
			changed[oid] = true
			targetChanged = targetChanged || isTarget(v, a.schema, a.name)
			triggers = triggers || a.triggers
		}
	}
	var own, others []TableEffect
	for oid := range changed {
		a, b := after[oid], before[oid]
		e := TableEffect{Schema: a.schema, Name: a.name, Inserted: a.ins - b.ins, Updated: a.upd - b.upd, Deleted: a.del - b.del}
		if isTarget(v, a.schema, a.name) {
			own = append(own, e)
			continue
		}
		e.Via = "other"
		if targetChanged && triggers {
			e.Via = "trigger"
		}
		if e.Inserted == 0 {
			for _, from := range a.cascadeFrom {
				if changed[from] {
					e.Via = "cascade"
				}
			}
		}
		others = append(others, e)
	}
	sortEffects(own)
	sortEffects(others)
	return append(own, others...)
}

func isTarget(v analyze.Verdict, schema, name string) bool {
	for _, t := range v.Targets {
		if t.Effect == analyze.EffectRead || t.Name != name {
			continue
		}
		if t.Schema == "" || t.Schema == schema {
			return true
		}
	}
	return false
}

func sortEffects(es []TableEffect) {
	// Cascades before trigger writes, then biggest first, then by name:
	// stable output for people and tests.
	less := func(a, b TableEffect) bool {
		if a.Via != b.Via {
			return a.Via < b.Via
		}
		ta, tb := a.Inserted+a.Updated+a.Deleted, b.Inserted+b.Updated+b.Deleted
		if ta != tb {
			return ta > tb
		}
		return a.Schema+"."+a.Name < b.Schema+"."+b.Name
	}
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && less(es[j], es[j-1]); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// isTimeout reports the errors after which the planner's estimate is the
// best answer: statement_timeout or lock_timeout cancellations, deadlocks,
// and a read-only transaction, where no write can be tried.
func isTimeout(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "57014", "55P03", "40P01", "25006":
			return true
		}
	}
	return false
}

// qualify returns schema.name of a target, resolved through the search
// path when the statement did not qualify it.
func (tx *txn) qualify(ctx context.Context, t analyze.Target) string {
	if t.Schema != "" {
		return t.Schema + "." + t.Name
	}
	res, err := tx.conn.Exec(ctx, qualifyQuery(t)).ReadAll()
	if err == nil && len(res) == 1 && len(res[0].Rows) == 1 {
		return string(res[0].Rows[0][0]) + "." + t.Name
	}
	return t.Name
}

// qualifyQuery finds a target's schema; it goes in a simple-protocol batch,
// so the name is a quoted literal.
func qualifyQuery(t analyze.Target) string {
	id := pgx.Identifier{t.Name}
	if t.Schema != "" {
		id = pgx.Identifier{t.Schema, t.Name}
	}
	return `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(` +
		literal(id.Sanitize()) + `)`
}

// literal quotes s as an escape string constant, which reads the same
// whatever standard_conforming_strings says.
func literal(s string) string {
	return "E'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// lockLevels orders table lock modes by strength.
var lockLevels = map[string]int{
	"ACCESS SHARE": 1, "ROW SHARE": 2, "ROW EXCLUSIVE": 3, "SHARE UPDATE EXCLUSIVE": 4,
	"SHARE": 5, "SHARE ROW EXCLUSIVE": 6, "EXCLUSIVE": 7, "ACCESS EXCLUSIVE": 8,
}

func stronger(a, b string) bool { return lockLevels[a] > lockLevels[b] }

// untryable is why a statement was not tried in the dry run.
type untryable struct{ why string }

func (u untryable) Error() string { return u.why }

// untryableCause names what a rollback would not undo, from the verdict's
// reasons: the call or the server-side program, not the statement's own
// effect.
func untryableCause(v analyze.Verdict) error {
	for _, r := range v.Reasons {
		if strings.Contains(r, "rollback does not undo") {
			return untryable{"not tried: " + strings.TrimSuffix(r, ": not tried in a dry run")}
		}
	}
	for _, r := range v.Reasons {
		if strings.HasPrefix(r, "calls ") {
			return untryable{"not tried: it " + r}
		}
	}
	for _, r := range v.Reasons {
		if strings.Contains(r, "PROGRAM") || strings.Contains(r, "server file") || strings.Contains(r, "database host") {
			return untryable{"not tried: " + r}
		}
	}
	for _, r := range v.Reasons {
		if strings.Contains(r, "cannot see") {
			return untryable{"not tried: it has effects a rollback does not undo (" + r + ")"}
		}
	}
	if len(v.Reasons) > 0 {
		return untryable{"not tried: it has effects a rollback does not undo (" + v.Reasons[0] + ")"}
	}
	return untryable{"not tried: it has effects a rollback does not undo"}
}

// hasDMLTarget reports whether v's statement inserts, updates or deletes
// rows of a named table (the planner can estimate how many).
func hasDMLTarget(v analyze.Verdict) bool {
	for _, t := range v.Targets {
		if dmlEffects[t.Effect] {
			return true
		}
	}
	return false
}
