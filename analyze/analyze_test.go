//go:build cgo

package analyze

import (
	"reflect"
	"strings"
	"testing"
)

func TestReasons(t *testing.T) {
	for _, tc := range []struct {
		name, sql string
		want      string // the first reason
	}{
		{"delete no where", "DELETE FROM orders", "DELETE without WHERE removes every row of orders"},
		{"qualified", "DELETE FROM public.orders;", "DELETE without WHERE removes every row of public.orders"},
		{"update no where", "UPDATE orders SET total = 0", "UPDATE without WHERE changes every row of orders"},
		{"tautology", "DELETE FROM orders WHERE 1=1", "DELETE with a WHERE that is always true removes every row of orders"},
		{"alter type", "ALTER TABLE orders ALTER COLUMN total TYPE numeric",
			"ALTER TABLE orders ALTER COLUMN total TYPE converts every value, which can fail or lose precision; takes an ACCESS EXCLUSIVE lock on orders: blocks every read and write until it finishes; rewrites the table"},
		{"add column", "ALTER TABLE orders ADD COLUMN note text",
			"ALTER TABLE orders ADD COLUMN note takes an ACCESS EXCLUSIVE lock on orders: blocks every read and write until it finishes"},
		{"add fk", "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)",
			"ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY takes a SHARE ROW EXCLUSIVE lock on orders: blocks writes until it finishes; also takes a SHARE ROW EXCLUSIVE lock on customers: blocks writes to it until it finishes"},
		{"validate", "ALTER TABLE orders VALIDATE CONSTRAINT c", "ALTER TABLE orders VALIDATE CONSTRAINT c"},
		{"drop column", "ALTER TABLE orders DROP COLUMN note",
			"ALTER TABLE orders DROP COLUMN note removes the column and its data; takes an ACCESS EXCLUSIVE lock on orders: blocks every read and write until it finishes"},
		{"drop table", "DROP TABLE orders, customers CASCADE", "DROP TABLE removes orders and all its rows"},
		{"truncate", "TRUNCATE orders", "TRUNCATE removes every row of orders"},
		{"truncate cascade", "TRUNCATE orders CASCADE", "TRUNCATE ... CASCADE removes every row of orders and of every table that references it"},
		{"truncate two cascade", "TRUNCATE TABLE public.orders, customers RESTART IDENTITY CASCADE",
			"TRUNCATE ... CASCADE removes every row of public.orders, customers and of every table that references them"},
		{"create index", "CREATE INDEX i ON orders (a)", "CREATE INDEX builds index i on orders under a SHARE lock: blocks writes until it finishes (use CONCURRENTLY)"},
		{"unknown function", "SELECT app.f(1)", "calls app.f(), which is not a PostgreSQL built-in: the analyzer cannot see what it does"},
		{"setval", "SELECT setval('s', 1)", "calls setval(), which resets a sequence: new rows can collide with existing keys"},
		{"select", "SELECT 1", "SELECT only reads"},
		{"explain", "EXPLAIN DELETE FROM orders", "EXPLAIN without ANALYZE only plans: it runs nothing"},
		{"lock", "LOCK TABLE orders IN SHARE MODE", "LOCK TABLE orders IN SHARE MODE blocks writes to it until the transaction ends"},
		{"revoke", "REVOKE SELECT ON orders FROM bob", "REVOKE SELECT ON TABLE orders FROM bob takes access away"},
		{"grant", "GRANT SELECT, INSERT ON orders TO bob", "GRANT SELECT, INSERT ON TABLE orders TO bob"},
		{"do", "DO $$ BEGIN DELETE FROM t WHERE id = 1; END $$", "DO block: DELETE removes rows of t"},
		{"cte", "WITH d AS (DELETE FROM t RETURNING 1) SELECT * FROM d", "DELETE without WHERE removes every row of t"},
		{"copy program", "COPY t TO PROGRAM 'gzip'", `COPY to PROGRAM runs "gzip" on the database server`},
		{"call", "CALL app.cleanup(1)", "CALL runs procedure app.cleanup, whose body the analyzer cannot see"},
		{"set role", "SET ROLE admin", "SET ROLE changes the role the following statements run as"},
		{"rename column", "ALTER TABLE orders RENAME COLUMN a TO b", "RENAME COLUMN orders.a to b breaks every query and view that uses the old name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Classify(tc.sql)
			if len(v.Reasons) == 0 || v.Reasons[0] != tc.want {
				t.Errorf("reasons %q\nwant first %q", v.Reasons, tc.want)
			}
		})
	}
}

// TestLoud: the statements whose first reason is shown loudest (the "!"
// line of a confirmation): every row of a table, by no WHERE, a
// tautology or TRUNCATE ... CASCADE.
func TestLoud(t *testing.T) {
	for sql, want := range map[string]bool{
		"DELETE FROM orders":                          true,
		"UPDATE orders SET total = 0 WHERE true":      true,
		"TRUNCATE orders CASCADE":                     true,
		"TRUNCATE a, b CASCADE":                       true,
		"TRUNCATE orders":                             false,
		"TRUNCATE orders RESTRICT":                    false,
		"DELETE FROM orders WHERE id = 1":             false,
		"DROP TABLE orders CASCADE":                   false,
		"DROP SCHEMA s CASCADE":                       false,
		"SELECT 1":                                    false,
		"DELETE FROM orders WHERE id = 1; TRUNCATE t": false,
	} {
		if got := Classify(sql).Loud(); got != want {
			t.Errorf("Loud(%q) = %v, want %v", sql, got, want)
		}
	}
}

func TestUnparsed(t *testing.T) {
	v := Classify("DELETE FROM WHERE")
	if v.Class != Destructive || !v.Has(FlagUnparsed) {
		t.Fatalf("got %s %v", v.Class, v.Flags)
	}
	if !strings.Contains(v.Reasons[0], `syntax error at or near "WHERE"`) {
		t.Errorf("reason %q lacks the parser's message", v.Reasons[0])
	}
}

func TestTargets(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		want []Target
	}{
		{"DELETE FROM app.orders WHERE id IN (SELECT order_id FROM refunds)", []Target{
			{Schema: "app", Name: "orders", Kind: "table", Effect: EffectDelete, Lock: "ROW EXCLUSIVE"},
			{Name: "refunds", Kind: "table", Effect: EffectRead},
		}},
		{"UPDATE orders SET total = 0 WHERE id = 1", []Target{
			{Name: "orders", Kind: "table", Effect: EffectUpdate, Lock: "ROW EXCLUSIVE"},
		}},
		{"ALTER TABLE orders ALTER COLUMN total TYPE bigint, ADD COLUMN x int", []Target{
			{Name: "orders", Kind: "table", Effect: EffectAlter, Lock: "ACCESS EXCLUSIVE", Rewrites: true},
		}},
		{"ALTER TABLE orders ADD FOREIGN KEY (c) REFERENCES customers (id)", []Target{
			{Name: "orders", Kind: "table", Effect: EffectAlter, Lock: "SHARE ROW EXCLUSIVE"},
			{Name: "customers", Kind: "table", Effect: EffectLock, Lock: "SHARE ROW EXCLUSIVE"},
		}},
		{"ALTER TABLE orders VALIDATE CONSTRAINT c", []Target{
			{Name: "orders", Kind: "table", Effect: EffectAlter, Lock: "SHARE UPDATE EXCLUSIVE"},
		}},
		{"TRUNCATE a, b", []Target{
			{Name: "a", Kind: "table", Effect: EffectTruncate, Lock: "ACCESS EXCLUSIVE"},
			{Name: "b", Kind: "table", Effect: EffectTruncate, Lock: "ACCESS EXCLUSIVE"},
		}},
		{"DROP TABLE s.t", []Target{
			{Schema: "s", Name: "t", Kind: "table", Effect: EffectDrop, Lock: "ACCESS EXCLUSIVE"},
		}},
		{"DROP SCHEMA app CASCADE", []Target{{Name: "app", Kind: "schema", Effect: EffectDrop}}},
		{"CREATE INDEX CONCURRENTLY i ON t (a)", []Target{{Name: "t", Kind: "table", Effect: EffectAlter, Lock: "SHARE UPDATE EXCLUSIVE"}}},
		{"LOCK TABLE t IN EXCLUSIVE MODE", []Target{{Name: "t", Kind: "table", Effect: EffectLock, Lock: "EXCLUSIVE"}}},
		{"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", []Target{{Name: "t", Kind: "table", Effect: EffectInsert, Lock: "ROW EXCLUSIVE"}}},
		{"SELECT 1", []Target{}},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			v := Classify(tc.sql)
			if !reflect.DeepEqual(v.Targets, tc.want) {
				t.Errorf("targets\n got  %+v\n want %+v", v.Targets, tc.want)
			}
		})
	}
}

func TestCallsAndRefine(t *testing.T) {
	v := Classify("SELECT app.price(id), lower(name), Tax(id) FROM orders")
	if v.Class != Write || !v.Has(FlagOpaque) {
		t.Fatalf("offline: %s %v", v.Class, v.Flags)
	}
	if !reflect.DeepEqual(v.Calls, []string{"app.price", "tax"}) {
		t.Fatalf("calls %q", v.Calls)
	}
	r := v.Refine(map[string]byte{"app.price": 's'})
	if r.Class != Write || !reflect.DeepEqual(r.Calls, []string{"tax"}) {
		t.Errorf("half resolved: %s %v %q", r.Class, r.Flags, r.Calls)
	}
	r = v.Refine(map[string]byte{"app.price": 's', "tax": 'i'})
	if r.Class != Read || r.Has(FlagOpaque) || len(r.Calls) != 0 || len(r.Reasons) != 1 {
		t.Errorf("resolved: %s %v %q %q", r.Class, r.Flags, r.Calls, r.Reasons)
	}
	r = v.Refine(map[string]byte{"app.price": 'v', "tax": 'i'})
	if r.Class != Write || !r.Has(FlagOpaque) {
		t.Errorf("volatile stays opaque: %s %v", r.Class, r.Flags)
	}
	// A resolved call does not lower what the statement does itself.
	d := Classify("DELETE FROM orders WHERE app.stale(id)")
	if d2 := d.Refine(map[string]byte{"app.stale": 's'}); d2.Class != Destructive || d2.Has(FlagOpaque) {
		t.Errorf("delete refined: %s %v", d2.Class, d2.Flags)
	}
	if v.Class != Write {
		t.Error("Refine changed its receiver")
	}
}

func TestClassNames(t *testing.T) {
	for _, c := range []Class{Read, Write, Destructive} {
		got, err := ParseClass(strings.ToUpper(c.String()))
		if err != nil || got != c {
			t.Errorf("%s: %v %v", c, got, err)
		}
	}
	if _, err := ParseClass("harmless"); err == nil {
		t.Error("ParseClass accepted nonsense")
	}
}

func TestAlterTableRulesComplete(t *testing.T) {
	// Every subcommand pg_query can produce has a rule (0 is UNDEFINED).
	for i := int32(1); ; i++ {
		name, ok := alterTableTypeName(i)
		if !ok {
			break
		}
		if _, ok := alterTableRules[pgATType(i)]; !ok {
			t.Errorf("no rule for %s", name)
		}
	}
}

func TestNeverPanics(t *testing.T) {
	for _, sql := range []string{"", ";", ";;;", "--", "/*", "$$", "DO $$", "DO $x$ $x$", "EXECUTE", "PREPARE p AS", "\x00", strings.Repeat("(", 5000),
		"SELECT " + strings.Repeat("NOT ", 3000) + "true", "DELETE FROM t WHERE " + strings.Repeat("1=1 OR ", 5000) + "true"} {
		v := Classify(sql)
		if v.Class < Read || v.Class > Destructive || len(v.Reasons) == 0 {
			t.Errorf("%.40q: %+v", sql, v)
		}
		for _, r := range v.Reasons {
			if strings.HasPrefix(r, "the analyzer failed") {
				t.Errorf("%.40q: %s", sql, r)
			}
		}
	}
}

func TestRefineDropsUntryable(t *testing.T) {
	v := Classify("SELECT app.price(id) FROM orders")
	if !v.Has(FlagUntryable) || !v.Has(FlagOpaque) {
		t.Fatalf("offline: %s %v", v.Class, v.Flags)
	}
	if r := v.Refine(map[string]byte{"app.price": 's'}); r.Has(FlagUntryable) || r.Has(FlagOpaque) || r.Class != Read {
		t.Errorf("stable call: %s %v", r.Class, r.Flags)
	}
	if r := v.Refine(map[string]byte{"app.price": 'v'}); !r.Has(FlagUntryable) {
		t.Errorf("volatile call lost untryable: %s %v", r.Class, r.Flags)
	}
	// Untryable for another reason stays, whatever the function is.
	w := Classify("SELECT app.price(id), pg_terminate_backend(1) FROM orders")
	if r := w.Refine(map[string]byte{"app.price": 'i'}); !r.Has(FlagUntryable) || r.Has(FlagOpaque) {
		t.Errorf("terminate refined: %s %v", r.Class, r.Flags)
	}
}
