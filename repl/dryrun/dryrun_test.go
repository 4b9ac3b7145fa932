package dryrun

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// schema is the demo's shape: 10 customers with 10 orders each, 3 items
// per order, cascading deletes and an audit trigger on orders.
const schema = `
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id serial PRIMARY KEY,
	customer_id int NOT NULL REFERENCES customers ON DELETE CASCADE,
	total numeric NOT NULL, note text);
CREATE TABLE order_items (id serial PRIMARY KEY,
	order_id int NOT NULL REFERENCES orders ON DELETE CASCADE, sku text, qty int);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, tbl text, op text, row_id int);
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO audit_log (tbl, op, row_id) VALUES (TG_TABLE_NAME, TG_OP, OLD.id);
	RETURN NULL;
END $$;
CREATE TRIGGER orders_audit AFTER UPDATE OR DELETE ON orders FOR EACH ROW EXECUTE FUNCTION audit();
CREATE VIEW order_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
CREATE FUNCTION slow_note(t text) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN PERFORM pg_sleep(1); RETURN t; END $$;
INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 10) g;
INSERT INTO orders (customer_id, total) SELECT 1 + g % 10, g FROM generate_series(1, 100) g;
INSERT INTO order_items (order_id, sku, qty) SELECT 1 + g % 100, 'sku', 1 FROM generate_series(1, 300) g;
ANALYZE;
`

type fixture struct {
	conn  *pgconn.PgConn // the connection under test
	other *pgx.Conn      // a second session
}

func setup(t testing.TB) fixture {
	t.Helper()
	other, p := pgtest.Conn(t)
	ctx := context.Background()
	if _, err := other.Exec(ctx, schema); err != nil {
		t.Fatalf("schema: %v", err)
	}
	conn, err := pgconn.Connect(ctx, p.ConnString())
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return fixture{conn: conn, other: other}
}

// counts is what a user would check: the rows of every table.
func tableCounts(t *testing.T, q func(string) int64) map[string]int64 {
	t.Helper()
	m := map[string]int64{}
	for _, tbl := range []string{"customers", "orders", "order_items", "audit_log"} {
		m[tbl] = q("SELECT count(*) FROM " + tbl)
	}
	return m
}

func (f fixture) countsOther(t *testing.T) map[string]int64 {
	return tableCounts(t, func(sql string) int64 {
		var n int64
		if err := f.other.QueryRow(context.Background(), sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	})
}

func (f fixture) countsSame(t *testing.T) map[string]int64 {
	return tableCounts(t, func(sql string) int64 { return atoi(f.one(t, sql)) })
}

// one runs a query on the connection under test and returns the first
// value.
func (f fixture) one(t *testing.T, sql string) string {
	t.Helper()
	res, err := f.conn.Exec(context.Background(), sql).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	last := res[len(res)-1]
	if len(last.Rows) == 0 {
		return ""
	}
	return string(last.Rows[0][0])
}

var before = map[string]int64{"customers": 10, "orders": 100, "order_items": 300, "audit_log": 0}

func run(t *testing.T, f fixture, sql string, opts Options) (Impact, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return Run(ctx, f.conn, sql, analyze.Classify(sql), opts)
}

func TestDML(t *testing.T) {
	t.Parallel()
	f := setup(t)
	tests := []struct {
		name    string
		sql     string
		rows    int64
		tables  []TableEffect
		lines   []string // Format's first lines
		columns []string
		sample  int
	}{
		{
			name: "delete one customer counts cascades and trigger writes",
			sql:  "DELETE FROM customers WHERE id = 1",
			rows: 1,
			tables: []TableEffect{
				{Schema: "public", Name: "customers", Deleted: 1},
				{Schema: "public", Name: "order_items", Deleted: 30, Via: "cascade"},
				{Schema: "public", Name: "orders", Deleted: 10, Via: "cascade"},
				{Schema: "public", Name: "audit_log", Inserted: 10, Via: "trigger"},
			},
			lines: []string{
				"DELETE would remove 1 row of public.customers",
				"cascades: public.order_items 30 deleted",
				"cascades: public.orders 10 deleted",
				"trigger writes: public.audit_log 10 inserted",
				"first 1 of the rows it would remove:",
				"  id | name",
				"  1  | customer 1",
			},
			columns: []string{"id", "name"},
			sample:  1,
		},
		{
			name: "update with where",
			sql:  "UPDATE orders o SET total = o.total + 1 WHERE o.customer_id = 2;",
			rows: 10,
			tables: []TableEffect{
				{Schema: "public", Name: "orders", Updated: 10},
				{Schema: "public", Name: "audit_log", Inserted: 10, Via: "trigger"},
			},
			lines: []string{
				"UPDATE would change 10 rows of public.orders",
				"trigger writes: public.audit_log 10 inserted",
				"first 5 of the rows as it leaves them:",
			},
			columns: []string{"id", "customer_id", "total", "note"},
			sample:  5,
		},
		{
			name:    "delete without where",
			sql:     "DELETE FROM public.order_items -- every row\n",
			rows:    300,
			tables:  []TableEffect{{Schema: "public", Name: "order_items", Deleted: 300}},
			lines:   []string{"DELETE would remove 300 rows of public.order_items"},
			columns: []string{"id", "order_id", "sku", "qty"},
			sample:  5,
		},
		{
			name:    "upsert",
			sql:     "INSERT INTO customers VALUES (3, 'renamed') ON CONFLICT (id) DO UPDATE SET name = excluded.name RETURNING id",
			rows:    1,
			tables:  []TableEffect{{Schema: "public", Name: "customers", Updated: 1}},
			lines:   []string{"INSERT ... ON CONFLICT DO UPDATE would insert or update 1 row of public.customers"},
			columns: []string{"id"},
			sample:  1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imp, err := run(t, f, tt.sql, DefaultOptions())
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if !imp.Exact || imp.Estimate || imp.Rows != tt.rows {
				t.Errorf("Exact=%v Estimate=%v Rows=%d, want exact %d (why %q)", imp.Exact, imp.Estimate, imp.Rows, tt.rows, imp.Why)
			}
			if !reflect.DeepEqual(imp.Tables, tt.tables) {
				t.Errorf("Tables:\n got %+v\nwant %+v", imp.Tables, tt.tables)
			}
			if !reflect.DeepEqual(imp.Columns, tt.columns) || len(imp.Sample) != tt.sample {
				t.Errorf("Columns %v with %d sample rows, want %v with %d", imp.Columns, len(imp.Sample), tt.columns, tt.sample)
			}
			got := Format(imp)
			if len(got) < len(tt.lines) || !reflect.DeepEqual(got[:len(tt.lines)], tt.lines) {
				t.Errorf("Format:\n got %q\nwant %q", got, tt.lines)
			}
			if s := f.conn.TxStatus(); s != 'I' {
				t.Errorf("TxStatus = %q, want 'I'", s)
			}
			if got := f.countsOther(t); !reflect.DeepEqual(got, before) {
				t.Errorf("rows seen from another session after the dry run: %v, want %v", got, before)
			}
			if got := f.countsSame(t); !reflect.DeepEqual(got, before) {
				t.Errorf("rows seen from the same session after the dry run: %v, want %v", got, before)
			}
		})
	}
	if n := f.one(t, "SELECT name FROM customers WHERE id = 3"); n != "customer 3" {
		t.Errorf("the upsert's change survived: name = %q", n)
	}
}

func TestNoSample(t *testing.T) {
	t.Parallel()
	f := setup(t)
	imp, err := run(t, f, "DELETE FROM customers WHERE id = 1", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if imp.Rows != 1 || imp.Sample != nil || imp.Columns != nil || len(imp.Tables) != 4 {
		t.Errorf("got rows %d, sample %v, %d tables; want 1, none, 4", imp.Rows, imp.Sample, len(imp.Tables))
	}
}

func TestOpenTransactionKept(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.one(t, "BEGIN; INSERT INTO customers VALUES (99, 'uncommitted'); SET LOCAL statement_timeout = '42s'")
	imp, err := run(t, f, "DELETE FROM customers WHERE id >= 10", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if imp.Rows != 2 {
		t.Errorf("Rows = %d, want 2 (the dry run sees the transaction's own insert)", imp.Rows)
	}
	if s := f.conn.TxStatus(); s != 'T' {
		t.Fatalf("TxStatus = %q, want 'T'", s)
	}
	if n := f.one(t, "SELECT count(*) FROM customers WHERE id = 99"); n != "1" {
		t.Errorf("the earlier uncommitted insert is gone (count %s)", n)
	}
	if s := f.one(t, "SHOW statement_timeout"); s != "42s" {
		t.Errorf("statement_timeout = %s, want the transaction's own 42s", s)
	}
	if got := f.countsOther(t); !reflect.DeepEqual(got, before) {
		t.Errorf("another session sees %v, want %v", got, before)
	}

	// A statement error leaves the transaction usable, earlier changes intact.
	if _, err := run(t, f, "DELETE FROM no_such_table", DefaultOptions()); err == nil || !strings.Contains(err.Error(), "no_such_table") {
		t.Errorf("error = %v, want the server's error about no_such_table", err)
	}
	if s := f.conn.TxStatus(); s != 'T' {
		t.Fatalf("after a failed dry run TxStatus = %q, want 'T'", s)
	}
	if n := f.one(t, "SELECT count(*) FROM customers WHERE id = 99"); n != "1" {
		t.Errorf("the earlier uncommitted insert is gone after a failed dry run (count %s)", n)
	}
	f.one(t, "ROLLBACK")
	if n := f.one(t, "SELECT count(*) FROM customers"); n != "10" {
		t.Errorf("customers after ROLLBACK: %s, want 10", n)
	}
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	f := setup(t)
	// A COMMIT smuggled after the statement must never run: the extended
	// protocol takes one statement.
	_, err := run(t, f, "DELETE FROM customers WHERE id = 1; COMMIT; DELETE FROM customers", DefaultOptions())
	if err == nil {
		t.Error("a multi-statement text ran")
	}
	if s := f.conn.TxStatus(); s != 'I' {
		t.Errorf("TxStatus = %q, want 'I'", s)
	}
	if got := f.countsOther(t); !reflect.DeepEqual(got, before) {
		t.Errorf("another session sees %v, want %v", got, before)
	}
	// A failed transaction is refused untouched.
	f.conn.Exec(context.Background(), "BEGIN; SELECT 1/0").ReadAll()
	if _, err := run(t, f, "DELETE FROM customers WHERE id = 1", DefaultOptions()); err != ErrFailedTransaction {
		t.Errorf("error = %v, want ErrFailedTransaction", err)
	}
	if s := f.conn.TxStatus(); s != 'E' {
		t.Errorf("TxStatus = %q, want 'E' as it was", s)
	}
}

func TestLockTimeoutFallsBack(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	// The other session changes customer 1: a row lock our DELETE waits for.
	if _, err := f.other.Exec(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.other.Exec(ctx, "UPDATE customers SET name = 'busy' WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	pid := int(f.other.PgConn().PID())
	opts := DefaultOptions()
	opts.LockTimeout = 200 * time.Millisecond
	imp, err := run(t, f, "DELETE FROM customers WHERE id = 1", opts)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Exact || !imp.Estimate || imp.Rows != 1 {
		t.Errorf("Exact=%v Estimate=%v Rows=%d, want the planner's estimate of 1", imp.Exact, imp.Estimate, imp.Rows)
	}
	if want := "lock_timeout (200ms): another session holds a lock on public.customers"; imp.Why != want {
		t.Errorf("Why = %q, want %q", imp.Why, want)
	}
	if len(imp.Blockers) == 0 || imp.Blockers[0].PID != pid || imp.Blockers[0].State != "idle in transaction" {
		t.Errorf("Blockers = %+v, want pid %d idle in transaction", imp.Blockers, pid)
	}
	lines := Format(imp)
	if lines[0] != "estimate (lock_timeout (200ms): another session holds a lock on public.customers): about 1 row of public.customers" {
		t.Errorf("Format[0] = %q", lines[0])
	}
	if !strings.Contains(strings.Join(lines, "\n"), fmt.Sprintf("pid %d (", pid)) {
		t.Errorf("Format does not name the blocker:\n%s", strings.Join(lines, "\n"))
	}
	if s := f.conn.TxStatus(); s != 'I' {
		t.Errorf("TxStatus = %q, want 'I'", s)
	}
	if _, err := f.other.Exec(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}

	// An ACCESS EXCLUSIVE lock stops the planner too: the table's own
	// estimate is all there is.
	if _, err := f.other.Exec(ctx, "BEGIN; LOCK TABLE customers IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	defer f.other.Exec(ctx, "ROLLBACK")
	imp, err = run(t, f, "DELETE FROM customers WHERE id = 1", opts)
	if err != nil {
		t.Fatal(err)
	}
	if !imp.Estimate || imp.Rows != 10 || !strings.Contains(imp.Why, "the planner could not be asked either") {
		t.Errorf("Estimate=%v Rows=%d Why=%q, want the table's 10 rows as an upper bound", imp.Estimate, imp.Rows, imp.Why)
	}
	if len(imp.Blockers) != 1 || imp.Blockers[0].Mode != "AccessExclusiveLock" {
		t.Errorf("Blockers = %+v, want the ACCESS EXCLUSIVE holder", imp.Blockers)
	}
}

func TestStatementTimeoutFallsBack(t *testing.T) {
	t.Parallel()
	f := setup(t)
	opts := DefaultOptions()
	opts.Timeout = 300 * time.Millisecond
	start := time.Now()
	// slow_note is STABLE: the session's live lookup (Refine) makes the
	// UPDATE tryable again
	sql := "UPDATE orders SET note = slow_note(note) WHERE customer_id = 3"
	imp, err := Run(context.Background(), f.conn, sql, analyze.Classify(sql).Refine(map[string]byte{"slow_note": 's'}), opts)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Exact || !imp.Estimate || imp.Rows != 10 {
		t.Errorf("Exact=%v Estimate=%v Rows=%d, want the planner's estimate of 10", imp.Exact, imp.Estimate, imp.Rows)
	}
	if want := "the dry run hit statement_timeout (300ms)"; imp.Why != want {
		t.Errorf("Why = %q, want %q", imp.Why, want)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the dry run took %v: the timeout did not hold", d)
	}
	if got := Format(imp)[0]; got != "estimate (the dry run hit statement_timeout (300ms)): about 10 rows of public.orders" {
		t.Errorf("Format[0] = %q", got)
	}
	if s := f.conn.TxStatus(); s != 'I' {
		t.Errorf("TxStatus = %q, want 'I'", s)
	}
}

func TestCatalogue(t *testing.T) {
	t.Parallel()
	f := setup(t)
	tests := []struct {
		name      string
		sql       string
		lock      string
		rewrites  bool
		relations []string // "kind schema.name rows"
		deps      []Dependent
		lines     []string // lines Format must contain
	}{
		{
			name:      "drop table lists dependents",
			sql:       "DROP TABLE orders",
			lock:      "ACCESS EXCLUSIVE",
			relations: []string{"table public.orders 100"},
			deps: []Dependent{
				{Kind: "view", Name: "public.order_totals"},
				{Kind: "foreign key", Name: "order_items_order_id_fkey", Detail: "on public.order_items, ON DELETE CASCADE"},
				{Kind: "trigger", Name: "orders_audit", Detail: "runs audit()"},
			},
			lines: []string{
				"DROP is never run before confirmation",
				"takes an ACCESS EXCLUSIVE lock on public.orders",
				"dependents: view public.order_totals, foreign key order_items_order_id_fkey (on public.order_items, ON DELETE CASCADE), trigger orders_audit (runs audit())",
			},
		},
		{
			name:      "alter column type rewrites",
			sql:       "ALTER TABLE orders ALTER COLUMN total TYPE bigint",
			lock:      "ACCESS EXCLUSIVE",
			rewrites:  true,
			relations: []string{"table public.orders 100"},
			deps:      []Dependent{{Kind: "view", Name: "public.order_totals", Detail: "uses column total"}},
			lines: []string{
				"DDL is never run before confirmation",
				"takes an ACCESS EXCLUSIVE lock on public.orders",
				"rewrites every row of public.orders",
				"dependents: view public.order_totals (uses column total)",
			},
		},
		{
			name:      "rename column",
			sql:       "ALTER TABLE orders RENAME COLUMN customer_id TO client_id",
			lock:      "ACCESS EXCLUSIVE",
			relations: []string{"table public.orders 100"},
			deps: []Dependent{
				{Kind: "view", Name: "public.order_totals", Detail: "uses column customer_id"},
				{Kind: "foreign key", Name: "orders_customer_id_fkey", Detail: "on public.orders, uses column customer_id"},
			},
		},
		{
			name:      "drop column used by a function",
			sql:       "ALTER TABLE audit_log DROP COLUMN row_id",
			lock:      "ACCESS EXCLUSIVE",
			relations: []string{"table public.audit_log 0"},
			deps:      []Dependent{{Kind: "function", Name: "audit()", Detail: "its source mentions audit_log and row_id"}},
		},
		{
			name:      "truncate cascade empties the referencing tables",
			sql:       "TRUNCATE customers CASCADE",
			lock:      "ACCESS EXCLUSIVE",
			relations: []string{"table public.customers 10", "table public.orders 100", "table public.order_items 300"},
			deps: []Dependent{
				{Kind: "foreign key", Name: "orders_customer_id_fkey", Detail: "on public.orders, ON DELETE CASCADE"},
				{Kind: "foreign key", Name: "order_items_order_id_fkey", Detail: "on public.order_items, ON DELETE CASCADE"},
			},
			lines: []string{
				"table public.customers: about 10 rows, 24 kB",
				"table public.orders: about 100 rows, 24 kB",
			},
		},
		{
			name:      "create index names no dependents",
			sql:       "CREATE INDEX ON orders (note)",
			lock:      "SHARE",
			relations: []string{"table public.orders 100"},
			lines:     []string{"takes a SHARE lock on public.orders"},
		},
		{
			name:      "truncate",
			sql:       "TRUNCATE order_items",
			lock:      "ACCESS EXCLUSIVE",
			relations: []string{"table public.order_items 300"},
			lines:     []string{"TRUNCATE is never run before confirmation"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imp, err := run(t, f, tt.sql, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if imp.Exact || !imp.Estimate || imp.Lock != tt.lock || imp.Rewrites != tt.rewrites {
				t.Errorf("Exact=%v Estimate=%v Lock=%q Rewrites=%v, want estimate, %q, %v", imp.Exact, imp.Estimate, imp.Lock, imp.Rewrites, tt.lock, tt.rewrites)
			}
			var rels []string
			for _, r := range imp.Relations {
				rels = append(rels, fmt.Sprintf("%s %s.%s %d", r.Kind, r.Schema, r.Name, r.EstRows))
				if r.Bytes <= 0 || r.Size == "" {
					t.Errorf("relation %s.%s has no size: %+v", r.Schema, r.Name, r)
				}
			}
			if !reflect.DeepEqual(rels, tt.relations) {
				t.Errorf("Relations = %q, want %q", rels, tt.relations)
			}
			if !reflect.DeepEqual(imp.Dependents, tt.deps) && !(len(imp.Dependents) == 0 && len(tt.deps) == 0) {
				t.Errorf("Dependents:\n got %+v\nwant %+v", imp.Dependents, tt.deps)
			}
			got := Format(imp)
			for _, l := range tt.lines {
				if !contains(got, l) {
					t.Errorf("Format lacks %q:\n%s", l, strings.Join(got, "\n"))
				}
			}
			if s := f.conn.TxStatus(); s != 'I' {
				t.Errorf("TxStatus = %q, want 'I'", s)
			}
		})
	}
	if got := f.countsOther(t); !reflect.DeepEqual(got, before) {
		t.Errorf("another session sees %v, want %v", got, before)
	}
	if typ := f.one(t, "SELECT data_type FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'total'"); typ != "numeric" {
		t.Errorf("orders.total is %s after the dry run, want numeric", typ)
	}
	if n := f.one(t, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'customer_id'"); n != "1" {
		t.Errorf("orders.customer_id was renamed")
	}
}

func TestBlockersOfStrongLock(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	if _, err := f.other.Exec(ctx, "BEGIN; SELECT count(*) FROM orders"); err != nil {
		t.Fatal(err)
	}
	defer f.other.Exec(ctx, "ROLLBACK")
	pid := int(f.other.PgConn().PID())
	imp, err := run(t, f, "ALTER TABLE orders ALTER COLUMN total TYPE bigint", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Blockers) != 1 || imp.Blockers[0].PID != pid || imp.Blockers[0].Mode != "AccessShareLock" || !imp.Blockers[0].Granted {
		t.Fatalf("Blockers = %+v, want pid %d holding AccessShareLock", imp.Blockers, pid)
	}
	prefix := fmt.Sprintf("takes an ACCESS EXCLUSIVE lock on public.orders; 1 session holds a lock on it now: pid %d (", pid)
	found := false
	for _, l := range Format(imp) {
		if strings.HasPrefix(l, prefix) && strings.Contains(l, "idle in transaction") {
			found = true
		}
	}
	if !found || !contains(Format(imp), "while it waits for them, every later query on public.orders waits too") {
		t.Errorf("Format does not show the blocker:\n%s", strings.Join(Format(imp), "\n"))
	}

	// A DML dry run (ROW EXCLUSIVE) does not queue behind a reader.
	imp, err = run(t, f, "UPDATE orders SET note = 'x' WHERE id = 1", DefaultOptions())
	if err != nil || !imp.Exact || len(imp.Blockers) != 0 {
		t.Errorf("UPDATE next to a reader: exact %v, blockers %+v, err %v", imp.Exact, imp.Blockers, err)
	}
}

func contains(lines []string, l string) bool {
	for _, x := range lines {
		if x == l {
			return true
		}
	}
	return false
}

func TestDiffers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		dry  Impact
		real int64
		want bool
	}{
		{"same count", Impact{Exact: true, Rows: 3}, 3, false},
		{"table changed under us", Impact{Exact: true, Rows: 3}, 4, true},
		{"fewer now", Impact{Exact: true, Rows: 3}, 0, true},
		{"estimate is not compared", Impact{Estimate: true, Rows: 2100000}, 2099876, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Differs(tt.dry, tt.real); got != tt.want {
				t.Errorf("Differs = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDifferWhenTableChanges(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	sql := "DELETE FROM orders WHERE customer_id = 4"
	dry, err := run(t, f, sql, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.other.Exec(ctx, "INSERT INTO orders (customer_id, total) VALUES (4, 1)"); err != nil {
		t.Fatal(err)
	}
	res, err := f.conn.Exec(ctx, "BEGIN; "+sql).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f.one(t, "ROLLBACK")
	if real := res[1].CommandTag.RowsAffected(); !Differs(dry, real) {
		t.Errorf("dry %d, real %d: Differs = false", dry.Rows, real)
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		imp  Impact
		want []string
	}{
		{
			name: "big estimate",
			imp:  Impact{Command: "DELETE", Target: "public.orders", Estimate: true, Why: "the dry run hit statement_timeout (5s)", Rows: 2_100_000, Lock: "ROW EXCLUSIVE"},
			want: []string{"estimate (the dry run hit statement_timeout (5s)): about 2.1M rows of public.orders"},
		},
		{
			name: "exact with thousands",
			imp: Impact{Command: "DELETE", Target: "public.orders", Exact: true, Rows: 1204, Tables: []TableEffect{
				{Schema: "public", Name: "orders", Deleted: 1204},
				{Schema: "public", Name: "order_items", Deleted: 3611, Via: "cascade"},
				{Schema: "public", Name: "audit_log", Inserted: 1204, Via: "trigger"},
			}},
			want: []string{
				"DELETE would remove 1,204 rows of public.orders",
				"cascades: public.order_items 3,611 deleted",
				"trigger writes: public.audit_log 1,204 inserted",
			},
		},
		{
			name: "drop with blockers",
			imp: Impact{Command: "DROP TABLE", Target: "public.orders", Estimate: true, Why: "DROP is never run before confirmation", Rows: 12000,
				Relations: []Relation{{Schema: "public", Name: "orders", Kind: "table", EstRows: 12000, Bytes: 1 << 20, Size: "1024 kB"}},
				Lock:      "ACCESS EXCLUSIVE",
				Blockers: []Blocker{
					{PID: 4242, User: "app", State: "active", Since: 3*time.Minute + 12*time.Second, Query: "SELECT *\n  FROM orders", Granted: true},
					{PID: 4243, User: "bi", App: "metabase", State: "idle in transaction", Since: 2 * time.Hour, Granted: true},
				},
				Dependents: []Dependent{{Kind: "view", Name: "public.order_totals"}}},
			want: []string{
				"DROP is never run before confirmation",
				"table public.orders: about 12k rows, 1024 kB",
				"takes an ACCESS EXCLUSIVE lock on public.orders; 2 sessions hold locks on it now: pid 4242 (app, active 3m12s): SELECT * FROM orders; pid 4243 (bi, metabase, idle in transaction 2h)",
				"while it waits for them, every later query on public.orders waits too",
				"dependents: view public.order_totals",
			},
		},
		{
			name: "control characters in a sample are escaped",
			imp:  Impact{Command: "UPDATE", Target: "t", Exact: true, Rows: 1, Columns: []string{"v"}, Sample: [][]string{{"a\x1b[31mb"}}},
			want: []string{"UPDATE would change 1 row of t", "first 1 of the rows as it leaves them:", "  v", `  a\x1b[31mb`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(tt.imp); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Format:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func BenchmarkDryRun(b *testing.B) {
	f := setup(b)
	ctx := context.Background()
	sql := "UPDATE orders SET note = 'bench' WHERE id = 7"
	v := analyze.Classify(sql)
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			if _, err := f.conn.Exec(ctx, sql).ReadAll(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dryrun", func(b *testing.B) {
		for b.Loop() {
			if _, err := Run(ctx, f.conn, sql, v, DefaultOptions()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dryrun-nosample", func(b *testing.B) {
		for b.Loop() {
			if _, err := Run(ctx, f.conn, sql, v, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestMoreStatements(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	if _, err := f.other.Exec(ctx, `
CREATE RULE order_totals_delete AS ON DELETE TO order_totals
	DO INSTEAD DELETE FROM orders WHERE customer_id = OLD.customer_id;
CREATE PROCEDURE purge(c int) LANGUAGE sql AS $$ DELETE FROM customers WHERE id = c $$;
CREATE SCHEMA archive;
CREATE TABLE archive.old_orders (id int);`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		sql    string
		opts   Options
		exact  bool
		rows   int64
		tables []TableEffect
		why    string
		lines  []string
	}{
		{
			name:  "merge runs without a sample",
			sql:   "MERGE INTO customers c USING (VALUES (5, 'm')) v(id, name) ON c.id = v.id WHEN MATCHED THEN UPDATE SET name = v.name",
			exact: true, rows: 1,
			tables: []TableEffect{{Schema: "public", Name: "customers", Updated: 1}},
		},
		{
			name:  "a statement with its own WITH",
			sql:   "WITH old AS (SELECT id FROM orders WHERE total < 6) DELETE FROM order_items WHERE order_id IN (SELECT id FROM old)",
			exact: true, rows: 15,
			tables: []TableEffect{{Schema: "public", Name: "order_items", Deleted: 15}},
		},
		{
			name:  "a view rewritten by a rule falls back to the plain statement",
			sql:   "DELETE FROM order_totals WHERE customer_id = 5",
			exact: true, rows: 10,
			tables: []TableEffect{
				{Schema: "public", Name: "order_items", Deleted: 30, Via: "cascade"},
				{Schema: "public", Name: "audit_log", Inserted: 10, Via: "other"},
				{Schema: "public", Name: "orders", Deleted: 10, Via: "other"},
			},
		},
		{
			name: "CALL is not run unless asked",
			sql:  "CALL purge(2)", opts: DefaultOptions(),
			rows: -1, why: "not tried: it has effects a rollback does not undo (CALL runs procedure purge, whose body the analyzer cannot see)",
		},
		{
			name: "CALL is never tried, even when asked",
			sql:  "CALL purge(2)", opts: Options{Opaque: true},
			rows: -1, why: "not tried: it has effects a rollback does not undo (CALL runs procedure purge, whose body the analyzer cannot see)",
			lines: []string{"not tried: it has effects a rollback does not undo (CALL runs procedure purge, whose body the analyzer cannot see)"},
		},
		{
			name: "DO with dynamic SQL is not run unless asked",
			sql:  "DO $$ BEGIN EXECUTE 'DELETE FROM customers WHERE id = ' || 3; END $$",
			rows: -1, why: "not tried: it has effects a rollback does not undo (DO block: EXECUTE of dynamic SQL: the analyzer cannot see what it runs)",
		},
		{
			name: "DO with dynamic SQL is never tried, even when asked",
			sql:  "/* cleanup */ DO $$ BEGIN EXECUTE 'DELETE FROM customers WHERE id = ' || 3; END $$",
			opts: Options{Opaque: true}, exact: false, rows: -1,
			why:   "not tried: it has effects a rollback does not undo (DO block: EXECUTE of dynamic SQL: the analyzer cannot see what it runs)",
			lines: []string{"not tried: it has effects a rollback does not undo (DO block: EXECUTE of dynamic SQL: the analyzer cannot see what it runs)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if opts == (Options{}) {
				opts = DefaultOptions()
			}
			imp, err := run(t, f, tt.sql, opts)
			if err != nil {
				t.Fatal(err)
			}
			if imp.Exact != tt.exact || imp.Rows != tt.rows || imp.Why != tt.why {
				t.Errorf("Exact=%v Rows=%d Why=%q, want %v %d %q", imp.Exact, imp.Rows, imp.Why, tt.exact, tt.rows, tt.why)
			}
			if !reflect.DeepEqual(imp.Tables, tt.tables) {
				t.Errorf("Tables:\n got %+v\nwant %+v", imp.Tables, tt.tables)
			}
			if tt.lines != nil && !reflect.DeepEqual(Format(imp), tt.lines) {
				t.Errorf("Format:\n got %q\nwant %q", Format(imp), tt.lines)
			}
			if got := f.countsOther(t); !reflect.DeepEqual(got, before) {
				t.Errorf("another session sees %v, want %v", got, before)
			}
			if s := f.conn.TxStatus(); s != 'I' {
				t.Errorf("TxStatus = %q, want 'I'", s)
			}
		})
	}

	t.Run("drop schema lists its tables", func(t *testing.T) {
		imp, err := run(t, f, "DROP SCHEMA archive CASCADE", DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if len(imp.Relations) != 1 || imp.Relations[0].Name != "old_orders" {
			t.Errorf("Relations = %+v, want archive.old_orders", imp.Relations)
		}
		if n := f.one(t, "SELECT count(*) FROM pg_namespace WHERE nspname = 'archive'"); n != "1" {
			t.Error("the schema was dropped")
		}
	})
}

func TestReadOnlyTransactionFallsBack(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.one(t, "BEGIN READ ONLY")
	imp, err := run(t, f, "DELETE FROM orders WHERE customer_id = 7", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if imp.Exact || !imp.Estimate || imp.Rows != 10 || imp.Why != "the transaction is read-only, so the statement could not be tried" {
		t.Errorf("Exact=%v Estimate=%v Rows=%d Why=%q, want the planner's 10", imp.Exact, imp.Estimate, imp.Rows, imp.Why)
	}
	if s := f.conn.TxStatus(); s != 'T' {
		t.Errorf("TxStatus = %q, want 'T'", s)
	}
	if ro := f.one(t, "SHOW transaction_read_only"); ro != "on" {
		t.Errorf("transaction_read_only = %s, want on", ro)
	}
	f.one(t, "ROLLBACK")
}

// TestSequencesAreTheSideEffect pins what doc.go says: a dry run consumes
// sequence values, and nothing else survives it.
func TestSequencesAreTheSideEffect(t *testing.T) {
	t.Parallel()
	f := setup(t)
	last := f.one(t, "SELECT last_value FROM audit_log_id_seq")
	if _, err := run(t, f, "DELETE FROM orders WHERE customer_id = 6", DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	if got := f.one(t, "SELECT last_value FROM audit_log_id_seq"); got == last {
		t.Errorf("audit_log_id_seq still at %s: doc.go says a dry run consumes sequence values", got)
	}
	if got := f.countsOther(t); !reflect.DeepEqual(got, before) {
		t.Errorf("another session sees %v, want %v", got, before)
	}
}

// TestUntryableCauseNamesTheCall: the reason a statement is not tried is
// what a rollback would not undo, not the statement's own effect.
func TestUntryableCauseNamesTheCall(t *testing.T) {
	for sql, want := range map[string]string{
		"UPDATE orders SET note = slow(note) WHERE id = 3":                   "not tried: it calls slow(), which is not a PostgreSQL built-in: the analyzer cannot see what it does",
		"delete from t where id = 9 and pg_terminate_backend(1) is not null": "not tried: it calls pg_terminate_backend(), which terminates another session, rolling back its transaction",
		"select dblink_exec('x','y')":                                        "not tried: calls dblink_exec(), whose effects a rollback does not undo",
	} {
		if got := untryableCause(analyze.Classify(sql)).Error(); got != want {
			t.Errorf("%s:\n got %q\nwant %q", sql, got, want)
		}
	}
}
