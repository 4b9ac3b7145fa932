package envs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// manyEnvs writes a config of n environments, a quarter of each tier, and
// the service file half of them name. Pairs of environments share an
// address, as copies do, so every one of them has a warning. It returns the
// config's paths and the defaults that resolve it.
func manyEnvs(tb testing.TB, n int) (Paths, Defaults) {
	tb.Helper()
	dir := tb.TempDir()
	var cfg, svc strings.Builder
	cfg.WriteString("production_markers = [\"live\"]\n\n")
	tiers := Tiers()
	for i := range n {
		dsn := fmt.Sprintf("host=db%06d.internal port=5432 dbname=app", i/2)
		if i%2 == 1 {
			dsn = fmt.Sprintf("service=svc%06d", i/2)
			fmt.Fprintf(&svc, "[svc%06d]\nhost=db%06d.internal\nport=5432\ndbname=app\n\n", i/2, i/2)
		}
		fmt.Fprintf(&cfg, "[envs.env%06d]\ndsn = %q\ntier = %q\nlabel = \"Env %d\"\nstatement_timeout = \"30s\"\naudit = { enabled = true }\n\n",
			i, dsn, tiers[i%len(tiers)], i)
	}
	p := Paths{User: filepath.Join(dir, "config.toml"), UserExplicit: true}
	d := Defaults{Host: "/tmp", Port: 5432, User: "u", ServiceFiles: []string{filepath.Join(dir, "pg_service.conf")}, Read: &ServiceFiles{}}
	for path, text := range map[string]string{p.User: cfg.String(), d.ServiceFiles[0]: svc.String()} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return p, d
}

// loadResolveAll is what `safesql envs` does: load, resolve, and the
// warnings of every environment.
func loadResolveAll(tb testing.TB, p Paths, d Defaults) (*Config, []string) {
	tb.Helper()
	cfg, err := Load(p)
	if err != nil {
		tb.Fatal(err)
	}
	d.Read = &ServiceFiles{}
	cfg.Resolve(d.Parse)
	var warnings []string
	for _, e := range cfg.Envs() {
		warnings = append(warnings, cfg.Warnings(e)...)
	}
	return cfg, warnings
}

func BenchmarkLoadManyEnvs(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		p, d := manyEnvs(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				loadResolveAll(b, p, d)
			}
		})
	}
}

// The case: 10,000 environments took 38 s. The bound is generous
// (the work takes about 0.1 s, a few times that under -race): only a
// return of the quadratic cost can miss it.
func TestLoadTenThousandEnvs(t *testing.T) {
	p, d := manyEnvs(t, 10000)
	start := time.Now()
	cfg, warnings := loadResolveAll(t, p, d)
	took := time.Since(start)
	if len(cfg.Names()) != 10000 {
		t.Fatalf("loaded %d environments, want 10000", len(cfg.Names()))
	}
	if len(warnings) != 10000 {
		t.Errorf("%d warnings, want one per environment (each shares its address with one other)", len(warnings))
	}
	if e := cfg.Match("db004999.internal", 5432, "app"); e == nil || e.Name != "env009998" {
		t.Errorf("Match(db004999.internal) = %v, want env009998 (staging, stricter than env009999's development)", e)
	}
	want := `environments "env009999" (local) and "env009998" (development) both connect to db004999.internal:5432/app: check which one you mean`
	if w := cfg.Warnings(cfg.envs["env009999"]); len(w) != 1 || w[0] != want {
		t.Errorf("warnings of env009999 = %q, want %q", w, want)
	}
	if took > 10*time.Second {
		t.Errorf("10,000 environments took %v to load, resolve and check: the cost is no longer linear", took)
	}
}

func TestLoadContextStops(t *testing.T) {
	p, _ := manyEnvs(t, 10)
	cause := errors.New("terminated signal received")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(cause)
	_, err := LoadContext(ctx, p)
	if !errors.Is(err, cause) || err.Error() != "load config: terminated signal received" {
		t.Errorf("LoadContext with a cancelled context: %v, want load config: terminated signal received", err)
	}
	if _, err := LoadContext(context.Background(), p); err != nil {
		t.Errorf("LoadContext: %v", err)
	}
	cfg, _ := Load(p)
	if err := cfg.ResolveContext(ctx, Defaults{}.Parse); !errors.Is(err, cause) {
		t.Errorf("ResolveContext with a cancelled context: %v, want the cause", err)
	}
}
