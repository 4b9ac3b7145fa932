package pgtest

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/internal/pgcluster"
)

// server is the one server of this test binary. A test helper is the one
// place where package state is the right tool: TestMain owns its lifetime.
var server struct {
	once    sync.Once
	err     error
	base    *pgconn.Config
	cluster *pgcluster.Cluster
	dir     string
	mu      sync.Mutex
	dbs     map[string]bool
}

// Main runs the tests and stops the throwaway cluster afterwards.
func Main(m *testing.M) int {
	code := m.Run()
	if server.cluster != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := server.cluster.Stop(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
		_ = os.RemoveAll(server.dir)
	}
	return code
}

func start() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if dsn := os.Getenv("SAFESQL_TEST_DSN"); dsn != "" {
		cfg, err := pgconn.ParseConfig(dsn)
		if err != nil {
			server.err = fmt.Errorf("parse SAFESQL_TEST_DSN: %w", err)
			return
		}
		server.base = cfg
		return
	}
	// A short path: unix socket paths are limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "safesql-pg-")
	if err != nil {
		server.err = err
		return
	}
	server.dir = dir
	c, err := pgcluster.Open(ctx, dir)
	if err != nil {
		server.err = err
		return
	}
	if err := c.Start(ctx, true); err != nil {
		server.err = err
		return
	}
	server.cluster = c
	cfg, err := pgconn.ParseConfig(c.ConnString("postgres"))
	if err != nil {
		server.err = err
		return
	}
	server.base = cfg
}

func ready(t testing.TB) {
	t.Helper()
	server.once.Do(start)
	if server.err != nil {
		if os.Getenv("SAFESQL_REQUIRE_PG") == "1" {
			t.Fatalf("pgtest: no PostgreSQL for tests: %v (SAFESQL_REQUIRE_PG=1 makes this a failure)", server.err)
		}
		t.Skipf("pgtest: no PostgreSQL for tests, skipping: %v; %s (or set SAFESQL_TEST_DSN)", server.err, pgcluster.InstallHint)
	}
}

// Params are the connection parameters of a test database, ready for psql's
// environment variables or a conninfo string.
type Params struct {
	Host     string
	Port     uint16
	User     string
	Password string
	DBName   string
}

// ConnString is a keyword/value connection string.
func (p Params) ConnString() string {
	s := fmt.Sprintf("host=%s port=%d user=%s dbname=%s", quote(p.Host), p.Port, quote(p.User), quote(p.DBName))
	if p.Password != "" {
		s += " password=" + quote(p.Password)
	}
	return s
}

// Env returns PGHOST, PGPORT, PGUSER, PGDATABASE (and PGPASSWORD) settings.
func (p Params) Env() []string {
	env := []string{"PGHOST=" + p.Host, fmt.Sprintf("PGPORT=%d", p.Port), "PGUSER=" + p.User, "PGDATABASE=" + p.DBName}
	if p.Password != "" {
		env = append(env, "PGPASSWORD="+p.Password)
	}
	return env
}

func quote(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\\") {
		return s
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

// DB creates a fresh, empty database for this test (dropped at cleanup) and
// returns its parameters.
func DB(t testing.TB) Params {
	t.Helper()
	ready(t)
	name := strings.ToLower(t.Name())
	sum := sha1.Sum([]byte(t.Name()))
	name = unsafeChars.ReplaceAllString(name, "_")
	if len(name) > 40 {
		name = name[:40]
	}
	name = "t_" + name + "_" + hex.EncodeToString(sum[:4])

	createDB(t, name, "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
	return Params{Host: server.base.Host, Port: server.base.Port, User: server.base.User, Password: server.base.Password, DBName: name}
}

// createDB (re)creates database name with the given CREATE DATABASE options
// and drops it when the test ends.
func createDB(t testing.TB, name, options string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin := adminConn(ctx, t)
	defer admin.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		t.Fatalf("pgtest: drop database %s: %v", name, err)
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+ident+" "+options); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c, err := pgx.ConnectConfig(ctx, connConfig(t, "postgres"))
		if err != nil {
			return
		}
		defer c.Close(ctx)
		_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)")
	})
}

// DSN creates a fresh database for this test and returns its connection
// string.
func DSN(t testing.TB) string {
	t.Helper()
	return DB(t).ConnString()
}

// Conn creates a fresh database and returns a pgx connection to it, closed
// at cleanup.
func Conn(t testing.TB) (*pgx.Conn, Params) {
	t.Helper()
	p := DB(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := pgx.Connect(ctx, p.ConnString())
	if err != nil {
		t.Fatalf("pgtest: connect %s: %v", p.DBName, err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c, p
}

func connConfig(t testing.TB, db string) *pgx.ConnConfig {
	t.Helper()
	cfg, err := pgx.ParseConfig(Params{Host: server.base.Host, Port: server.base.Port, User: server.base.User, Password: server.base.Password, DBName: db}.ConnString())
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return cfg
}

func adminConn(ctx context.Context, t testing.TB) *pgx.Conn {
	t.Helper()
	db := server.base.Database
	if db == "" {
		db = "postgres"
	}
	c, err := pgx.ConnectConfig(ctx, connConfig(t, db))
	if err != nil {
		t.Fatalf("pgtest: connect to the test server: %v", err)
	}
	return c
}

// Psql returns the path of the real psql binary, or skips the test (fails
// under SAFESQL_REQUIRE_PG=1) when there is none. SAFESQL_PG_BINDIR, when
// set, is the only place looked in (as for the server's binaries):
// SAFESQL_PG_BINDIR=/nonexistent shows which tests need psql.
func Psql(t testing.TB) string {
	t.Helper()
	candidates := []string{}
	if dir := os.Getenv("SAFESQL_PG_BINDIR"); dir != "" {
		candidates = append(candidates, filepath.Join(dir, "psql"))
	} else if server.cluster != nil {
		candidates = append(candidates, filepath.Join(server.cluster.BinDir, "psql"))
	}
	if os.Getenv("SAFESQL_PG_BINDIR") == "" {
		if dir, err := pgcluster.FindBinDir(context.Background()); err == nil {
			candidates = append(candidates, filepath.Join(dir, "psql"))
		}
		globbed, _ := filepath.Glob("/usr/lib/postgresql/*/bin/psql")
		candidates = append(candidates, globbed...)
	}
	for _, p := range candidates {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("SAFESQL_REQUIRE_PG") == "1" {
		t.Fatal("pgtest: psql not found (SAFESQL_REQUIRE_PG=1 makes this a failure)")
	}
	t.Skip("pgtest: psql not found; install postgresql-client to run the comparisons with psql")
	return ""
}

// Tool returns the path of the program name on PATH for a test that needs
// it. When it is missing the test skips, or fails under
// SAFESQL_REQUIRE_PG=1 (CI installs every tool the tests use).
func Tool(t testing.TB, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("SAFESQL_REQUIRE_PG") == "1" {
		t.Fatalf("pgtest: %s not found (SAFESQL_REQUIRE_PG=1 makes this a failure; %s)", name, install)
	}
	t.Skipf("pgtest: %s not found; %s to run this test", name, install)
	return ""
}

// Clone creates a fresh database for this test as a copy of src (which must
// have no open connections) and returns its parameters; suffix tells clones
// of one test apart.
func Clone(t testing.TB, src Params, suffix string) Params {
	t.Helper()
	ready(t)
	sum := sha1.Sum([]byte(t.Name() + "/" + suffix))
	name := "c_" + hex.EncodeToString(sum[:8])
	createDB(t, name, "TEMPLATE "+pgx.Identifier{src.DBName}.Sanitize()+" STRATEGY FILE_COPY")
	p := src
	p.DBName = name
	return p
}

// PasswordRole creates a login role that must authenticate with password
// over the unix socket of the throwaway cluster (a pg_hba.conf line for that
// role alone, so other tests keep trust). It skips the test against
// SAFESQL_TEST_DSN, whose authentication is not ours to change.
func PasswordRole(t testing.TB, role, password string) {
	t.Helper()
	ready(t)
	if server.cluster == nil {
		t.Skip("pgtest: password authentication is only set up on the throwaway cluster")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin := adminConn(ctx, t)
	defer admin.Close(ctx)
	ident := pgx.Identifier{role}.Sanitize()
	if _, err := admin.Exec(ctx, "DROP ROLE IF EXISTS "+ident); err != nil {
		t.Fatalf("pgtest: drop role %s: %v", role, err)
	}
	if _, err := admin.Exec(ctx, "CREATE ROLE "+ident+" LOGIN PASSWORD "+quoteLiteral(password)); err != nil {
		t.Fatalf("pgtest: create role %s: %v", role, err)
	}
	server.mu.Lock()
	defer server.mu.Unlock()
	hba := filepath.Join(server.cluster.DataDir(), "pg_hba.conf")
	old, err := os.ReadFile(hba)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	line := "local all " + role + " scram-sha-256\n"
	if !strings.Contains(string(old), line) {
		if err := os.WriteFile(hba, append([]byte(line), old...), 0o600); err != nil {
			t.Fatalf("pgtest: %v", err)
		}
	}
	if _, err := admin.Exec(ctx, "SELECT pg_reload_conf()"); err != nil {
		t.Fatalf("pgtest: reload: %v", err)
	}
	time.Sleep(200 * time.Millisecond) // the postmaster rereads the file asynchronously
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
