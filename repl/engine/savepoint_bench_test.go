package engine

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// BenchmarkStatementSavepoint measures what the per-statement savepoint
// costs an INSERT inside a transaction: the savepoint and its release
// travel in the statement's own round trip (one batch, as Host.Send sends
// a Wrap), so the cost is the server's work for two more statements and a
// subtransaction, not a round trip.
func BenchmarkStatementSavepoint(b *testing.B) {
	for _, tc := range []struct {
		name      string
		pre, post []string
	}{
		{"bare", nil, nil},
		{"savepoint", []string{"SAVEPOINT " + stmtSavepoint}, []string{"RELEASE SAVEPOINT " + stmtSavepoint}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			conn, err := pgconn.Connect(ctx, pgtest.DSN(b))
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, "CREATE TABLE ins (id int, name text); BEGIN").ReadAll(); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				batch := &pgconn.Batch{}
				for _, p := range tc.pre {
					batch.ExecParams(p, nil, nil, nil, nil)
				}
				batch.ExecParams("INSERT INTO ins VALUES (1, 'a name of some length')", nil, nil, nil, nil)
				for _, p := range tc.post {
					batch.ExecParams(p, nil, nil, nil, nil)
				}
				if _, err := conn.ExecBatch(ctx, batch).ReadAll(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadAtThePrompt measures what ending a typed read's
// transaction in its own round trip costs, against holding the
// transaction the first read opened: both are one round trip; ending it
// adds BEGIN READ ONLY, the read-only guard and COMMIT at the server.
func BenchmarkReadAtThePrompt(b *testing.B) {
	check := txCheckFor("")
	for _, tc := range []struct {
		name  string
		stmts []string
	}{
		{"held", []string{"SELECT 1", check}},
		{"ended", []string{"BEGIN READ ONLY", "SELECT 1", check, readOnlyGuardSQL, "COMMIT"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			conn, err := pgconn.Connect(ctx, pgtest.DSN(b))
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close(ctx)
			setup := txCheckPrepared
			if tc.name == "held" {
				setup += "; BEGIN READ ONLY"
			}
			if _, err := conn.Exec(ctx, setup).ReadAll(); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				batch := &pgconn.Batch{}
				for _, p := range tc.stmts {
					batch.ExecParams(p, nil, nil, nil, nil)
				}
				if _, err := conn.ExecBatch(ctx, batch).ReadAll(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
