package repl

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/repl/internal/pgtest"
	"github.com/safesql/safesql/repl/render"
	"github.com/safesql/safesql/repl/term"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func newTestSession(t testing.TB, stdin string) (*Session, *term.SyncBuffer, *term.SyncBuffer) {
	t.Helper()
	p := pgtest.DB(t)
	cfg, err := pgconn.ParseConfig(p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	streams, out, errb := term.Test(stdin, nil)
	s, err := Connect(context.Background(), cfg, streams, render.DefaultOptions(), NewVars())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s, out, errb
}

// BenchmarkInsertScript measures safesql's own cost per statement of a
// round-trip-bound script (bench/compare.sh compares it with psql).
func BenchmarkInsertScript(b *testing.B) {
	s, _, errb := newTestSession(b, "")
	ctx := context.Background()
	if err := s.Exec(ctx, "create table ins (id int, name text)", nil); err != nil {
		b.Fatal(err, errb.String())
	}
	s.Vars.Set("QUIET", "on")
	var script strings.Builder
	const n = 1000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&script, "insert into ins values (%d, 'name %d');\n", i, i)
	}
	text := script.String()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if st := s.RunScript(ctx, strings.NewReader(text), Source{Name: "bench.sql"}); st != StatusOK {
			b.Fatalf("status %d: %s", st, errb.String())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/stmt")
}
