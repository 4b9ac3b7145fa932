package demo

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/internal/pgcluster"
)

func requirePG(t *testing.T) {
	t.Helper()
	if _, err := pgcluster.FindBinDir(context.Background()); err != nil {
		if os.Getenv("SAFESQL_REQUIRE_PG") == "1" {
			t.Fatalf("no PostgreSQL server binaries: %v (SAFESQL_REQUIRE_PG=1 makes this a failure)", err)
		}
		t.Skipf("no PostgreSQL server binaries, skipping the demo sandbox test: %v; %s", err, pgcluster.InstallHint)
	}
}

// sandboxDir gives the test a short directory of its own (unix socket paths
// are limited to about 100 bytes). As root, pgcluster hands it to the server
// user and makes its parent traversable.
func sandboxDir(t *testing.T) string {
	t.Helper()
	parent, err := os.MkdirTemp("", "safesql-demo-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(parent) })
	dir := filepath.Join(parent, "sandbox")
	t.Setenv("SAFESQL_DEMO_DIR", dir)
	return dir
}

func TestStartLoadsReusesAndStops(t *testing.T) {
	requirePG(t)
	dir := sandboxDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	t.Cleanup(func() { _ = Stop(context.Background(), nil) })

	// Two concurrent first starts: one creates, the other waits and reuses.
	var (
		wg       sync.WaitGroup
		conns    [2]string
		errs     [2]error
		progress [2]bytes.Buffer
	)
	for i := range 2 {
		wg.Go(func() { conns[i], errs[i] = Start(ctx, &progress[i]) })
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("Start #%d: %v\nprogress:\n%s", i, errs[i], progress[i].String())
		}
		t.Logf("Start #%d progress:\n%s", i, progress[i].String())
	}
	if conns[0] != conns[1] {
		t.Errorf("concurrent starts returned different connection strings: %q, %q", conns[0], conns[1])
	}
	all := progress[0].String() + progress[1].String()
	if n := strings.Count(all, "creating sandbox in "+dir); n != 1 {
		t.Errorf("sandbox created %d times by two concurrent starts, want 1", n)
	}
	if !strings.Contains(conns[0], "dbname="+ProdDB) {
		t.Errorf("connection string %q does not name %s", conns[0], ProdDB)
	}

	want := map[string]int64{"customers": 20000, "products": 1000, "orders": 100000, "order_items": 250000, "audit_log": 0, "order_totals": 100000}
	for _, db := range []string{DevDB, StagingDB, ProdDB} {
		conn := connect(t, ctx, strings.Replace(conns[0], "dbname="+ProdDB, "dbname="+db, 1))
		for table, n := range want {
			var got int64
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{table}.Sanitize()).Scan(&got); err != nil {
				t.Fatalf("%s: count %s: %v", db, table, err)
			}
			if got != n {
				t.Errorf("%s: %s has %d rows, want %d", db, table, got, n)
			}
		}
	}

	t.Run("cascade and audit trigger", func(t *testing.T) {
		conn := connect(t, ctx, conns[0])
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		// A customer with orders, and those orders' lines.
		var customer, orders, items int64
		err = tx.QueryRow(ctx, `SELECT o.customer_id, count(DISTINCT o.id), count(oi.*)
			FROM orders o JOIN order_items oi ON oi.order_id = o.id
			GROUP BY o.customer_id ORDER BY o.customer_id LIMIT 1`).Scan(&customer, &orders, &items)
		if err != nil {
			t.Fatal(err)
		}
		if orders == 0 || items == 0 {
			t.Fatalf("customer %d has %d orders and %d lines: the sample is too thin to test a cascade", customer, orders, items)
		}
		tag, err := tx.Exec(ctx, "UPDATE orders SET note = 'changed by test' WHERE customer_id = $1", customer)
		if err != nil {
			t.Fatal(err)
		}
		if tag.RowsAffected() != orders {
			t.Fatalf("UPDATE touched %d orders, want %d", tag.RowsAffected(), orders)
		}
		if _, err := tx.Exec(ctx, "DELETE FROM customers WHERE id = $1", customer); err != nil {
			t.Fatal(err)
		}
		var leftOrders, leftItems int64
		err = tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM orders WHERE customer_id = $1),
			(SELECT count(*) FROM order_items oi WHERE NOT EXISTS (SELECT FROM orders o WHERE o.id = oi.order_id))`,
			customer).Scan(&leftOrders, &leftItems)
		if err != nil {
			t.Fatal(err)
		}
		if leftOrders != 0 || leftItems != 0 {
			t.Errorf("after deleting customer %d: %d orders and %d orphan lines left, want the cascade to remove them", customer, leftOrders, leftItems)
		}
		audit := map[string]int64{}
		rows, err := tx.Query(ctx, "SELECT table_name || ' ' || operation, count(*) FROM audit_log GROUP BY 1")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			var n int64
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			audit[k] = n
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		wantAudit := map[string]int64{"orders UPDATE": orders, "orders DELETE": orders, "customers DELETE": 1}
		for k, n := range wantAudit {
			if audit[k] != n {
				t.Errorf("audit_log has %d %q rows, want %d (all: %v)", audit[k], k, n, audit)
			}
		}
		if len(audit) != len(wantAudit) {
			t.Errorf("audit_log rows %v, want %v", audit, wantAudit)
		}
	})

	t.Run("second start reuses", func(t *testing.T) {
		var out bytes.Buffer
		begin := time.Now()
		conn, err := Start(ctx, &out)
		if err != nil {
			t.Fatalf("second Start: %v\n%s", err, out.String())
		}
		if took := time.Since(begin); took > 3*time.Second {
			t.Errorf("second Start took %v: it should reuse the running sandbox", took)
		}
		if conn != conns[0] {
			t.Errorf("second Start returned %q, want %q", conn, conns[0])
		}
		if strings.Contains(out.String(), "loading") || strings.Contains(out.String(), "creating") {
			t.Errorf("second Start reloaded the sandbox:\n%s", out.String())
		}
	})

	t.Run("stop then start again", func(t *testing.T) {
		var out bytes.Buffer
		if err := Stop(ctx, &out); err != nil {
			t.Fatal(err)
		}
		if err := Stop(ctx, &out); err != nil {
			t.Fatal(err)
		}
		if got, want := out.String(), "safesql demo: stopped\nsafesql demo: not running\n"; got != want {
			t.Errorf("Stop twice printed %q, want %q", got, want)
		}
		out.Reset()
		begin := time.Now()
		if _, err := Start(ctx, &out); err != nil {
			t.Fatalf("Start after Stop: %v\n%s", err, out.String())
		}
		if strings.Contains(out.String(), "loading") {
			t.Errorf("Start after Stop reloaded the databases:\n%s", out.String())
		}
		t.Logf("restart took %v:\n%s", time.Since(begin), out.String())
		conn := connect(t, ctx, conns[0])
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM orders").Scan(&n); err != nil || n != 100000 {
			t.Errorf("after restart: %d orders, %v; want 100000 (the test's deletion was rolled back)", n, err)
		}
		out.Reset()
		if err := Stop(ctx, &out); err != nil {
			t.Fatal(err)
		}
	})
}

func connect(t *testing.T, ctx context.Context, connString string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatalf("connect %s: %v", connString, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func TestStartWithoutPostgreSQLSaysHowToInstall(t *testing.T) {
	sandboxDir(t)
	t.Setenv("SAFESQL_PG_BINDIR", t.TempDir()) // holds no initdb
	var out bytes.Buffer
	_, err := Start(context.Background(), &out)
	if out.Len() != 0 {
		t.Errorf("Start without binaries announced progress %q before failing", out.String())
	}
	if !errors.Is(err, pgcluster.ErrNoBinaries) {
		t.Fatalf("Start without binaries: %v, want ErrNoBinaries", err)
	}
	if !strings.Contains(err.Error(), pgcluster.InstallHint) {
		t.Errorf("error %q does not say how to install PostgreSQL", err)
	}
}

func TestStopWithoutSandbox(t *testing.T) {
	sandboxDir(t)
	var out bytes.Buffer
	if err := Stop(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "safesql demo: not running") {
		t.Errorf("Stop printed %q", out.String())
	}
}

func TestDir(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	login := func(name string) func() string { return func() string { return name } }
	// os.UserCacheDir reads XDG_CACHE_HOME, else ~/.cache.
	cache := func(getenv func(string) string) func() (string, error) {
		return func() (string, error) {
			if d := getenv("XDG_CACHE_HOME"); d != "" {
				return d, nil
			}
			return "/home/alice/.cache", nil
		}
	}
	tests := []struct {
		name  string
		env   func(string) string
		euid  int
		login string
		want  string
	}{
		{"SAFESQL_DEMO_DIR", env("SAFESQL_DEMO_DIR", "/somewhere/demo"), 0, "alice", "/somewhere/demo"},
		{"a user", env(), 1000, "alice", "/home/alice/.cache/safesql/demo"},
		{"XDG_CACHE_HOME as root", env("XDG_CACHE_HOME", "/cache"), 0, "", "/cache/safesql/demo"},
		{"sudo", env("SUDO_USER", "alice"), 0, "alice", "/var/cache/safesql/demo-alice"},
		{"sudo, another person", env("SUDO_USER", "bob"), 0, "bob", "/var/cache/safesql/demo-bob"},
		{"su - (no SUDO_USER)", env(), 0, "carol", "/var/cache/safesql/demo-carol"},
		{"sudo -i from root's login", env("SUDO_USER", "root"), 0, "dave", "/var/cache/safesql/demo-dave"},
		{"root itself", env(), 0, "", "/var/cache/safesql/demo-root"},
		{"a name unfit for a path", env("SUDO_USER", "../etc"), 0, "", "/var/cache/safesql/demo-root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d, err := dirFor(tt.env, tt.euid, login(tt.login), cache(tt.env)); err != nil || d != tt.want {
				t.Errorf("dirFor = %q, %v; want %q", d, err, tt.want)
			}
		})
	}
}
