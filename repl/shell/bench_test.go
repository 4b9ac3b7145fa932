package shell

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/engine"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/repl/internal/pgtest"
	"github.com/safesql/safesql/repl/internal/termtest"
	"github.com/safesql/safesql/repl/render"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func newTestSession(t testing.TB, stdin string) (*Session, *termtest.Buffer, *termtest.Buffer) {
	t.Helper()
	p := pgtest.DB(t)
	cfg, err := pgconn.ParseConfig(p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	streams, out, errb := termtest.Streams(stdin, nil)
	s, err := connect(context.Background(), cfg, streams, render.DefaultOptions(), NewVars())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s, out, errb
}

// benchInserts is how many INSERTs the script benchmarks run.
const benchInserts = 1000

// insertScript is n INSERT statements into the table ins.
func insertScript(n int) string {
	var script strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&script, "insert into ins values (%d, 'name %d');\n", i, i)
	}
	return script.String()
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
	text := insertScript(benchInserts)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if st := s.RunScript(ctx, strings.NewReader(text), Source{Name: "bench.sql"}); st != engine.StatusOK {
			b.Fatalf("status %d: %s", st, errb.String())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchInserts), "ns/stmt")
}

// BenchmarkInsertScriptProduction is BenchmarkInsertScript under
// production's rules with writes granted, as `--write --commit` runs a
// migration: each INSERT in the run's transaction under a savepoint, the
// audit line written ahead, the server's check after it.
func BenchmarkInsertScriptProduction(b *testing.B) {
	s, _, errb := newTestSession(b, "")
	ctx := context.Background()
	if err := s.Exec(ctx, "create table ins (id int, name text)", nil); err != nil {
		b.Fatal(err, errb.String())
	}
	log, err := audit.Open(filepath.Join(b.TempDir(), "audit.jsonl"), func(string) string { return "" }, false)
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	s.Audit = log
	s.Grants = engine.Grants{Write: true, Commit: true}
	if err := s.SetPolicy(ctx, engine.Policy{Tier: "production", ReadOnly: true, Confirm: engine.ConfirmWord, ConfirmWord: "production", AuditRequired: true}); err != nil {
		b.Fatal(err)
	}
	if err := s.SetWrites(ctx, true); err != nil {
		b.Fatal(err)
	}
	s.Vars.Set("QUIET", "on")
	text := insertScript(benchInserts)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if st := s.RunScript(ctx, strings.NewReader(text), Source{Name: "bench.sql"}); st != engine.StatusOK {
			b.Fatalf("status %d: %s", st, errb.String())
		}
		if st := s.FinishScript(ctx, true); st != engine.StatusOK {
			b.Fatalf("finish: status %d: %s", st, errb.String())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchInserts), "ns/stmt")
}

// BenchmarkReadStatement compares one read statement run as psql runs it
// (autocommit, no rules) with the same statement under production's rules
// (implicit READ ONLY transaction, a savepoint around each statement, the
// analyzer).
func BenchmarkReadStatement(b *testing.B) {
	for _, tc := range []struct {
		name   string
		policy engine.Policy
	}{
		{"psql", psqlPolicy()},
		{"production", engine.Policy{Tier: "production", ReadOnly: true, Confirm: engine.ConfirmWord, ConfirmWord: "production"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, _, errb := newTestSession(b, "")
			ctx := context.Background()
			if err := s.SetPolicy(ctx, tc.policy); err != nil {
				b.Fatal(err)
			}
			s.setOutput(io.Discard, nil)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.Exec(ctx, "SELECT 1 AS one", nil); err != nil {
					b.Fatal(err, errb.String())
				}
			}
		})
	}
}

// BenchmarkDestructive compares a one-row DELETE run plainly with the same
// DELETE under production's rules: exact dry run, confirmation (answered at
// once), real run under a savepoint, count check.
func BenchmarkDestructive(b *testing.B) {
	for _, tc := range []struct {
		name   string
		policy engine.Policy
	}{
		{"psql", psqlPolicy()},
		{"production", engine.Policy{Tier: "production", Confirm: engine.ConfirmWord, ConfirmWord: "production", DryRunTimeout: 5 * time.Second, DryRunLockTimeout: time.Second}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, _, errb := newTestSession(b, "")
			ctx := context.Background()
			if err := s.Exec(ctx, "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 1000000)", nil); err != nil {
				b.Fatal(err, errb.String())
			}
			if err := s.SetPolicy(ctx, tc.policy); err != nil {
				b.Fatal(err)
			}
			s.Confirm = confirmFunc(func(context.Context, frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil })
			s.setOutput(io.Discard, nil)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.Exec(ctx, fmt.Sprintf("DELETE FROM t WHERE id = %d", i%1000000+1), nil); err != nil {
					b.Fatal(err, errb.String())
				}
			}
		})
	}
}
