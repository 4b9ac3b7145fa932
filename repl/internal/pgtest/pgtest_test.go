package pgtest

import (
	"context"
	"os"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestDBIsFreshAndUsable(t *testing.T) {
	conn, p := Conn(t)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "create table t (id int)"); err != nil {
		t.Fatal(err)
	}
	var db string
	if err := conn.QueryRow(ctx, "select current_database()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	if db != p.DBName {
		t.Fatalf("connected to %q, want %q", db, p.DBName)
	}
	var n int
	if err := conn.QueryRow(ctx, "select count(*) from pg_class where relname = 't'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("table t: count %d, err %v", n, err)
	}
}
