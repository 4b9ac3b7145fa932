package envs

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

var testDefaults = Defaults{Host: "/var/run/postgresql", Port: 5432, User: "me"}

func TestParseSettings(t *testing.T) {
	tests := []struct {
		dsn  string
		want []Setting
	}{
		{`host=db port=5433 dbname=app`, []Setting{{"host", "db"}, {"port", "5433"}, {"dbname", "app"}}},
		{`  dbname = 'my app'  user='o\'brien' password=a\ b`, []Setting{{"dbname", "my app"}, {"user", "o'brien"}, {"password", "a b"}}},
		{`postgres://u@/db?host=/socket/dir&port=5433`, []Setting{{"user", "u"}, {"dbname", "db"}, {"host", "/socket/dir"}, {"port", "5433"}}},
		{`postgresql://u:p%40ss@%2Fsocket%2Fdir:5433/my%20db`, []Setting{{"user", "u"}, {"password", "p@ss"}, {"host", "/socket/dir"}, {"port", "5433"}, {"dbname", "my db"}}},
		{`postgres://h1:1,h2,[::1]:3/db`, []Setting{{"host", "h1,h2,::1"}, {"port", "1,,3"}, {"dbname", "db"}}},
		{`postgres://db.internal/app?sslmode=require&host=other`, []Setting{{"host", "db.internal"}, {"dbname", "app"}, {"sslmode", "require"}, {"host", "other"}}},
	}
	for _, tt := range tests {
		got, err := ParseSettings(tt.dsn)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseSettings(%q) = %q, %v; want %q", tt.dsn, got, err, tt.want)
		}
	}
	for _, bad := range []string{`dbname`, `dbname='open`, `postgres://h/db?x`, `postgres://%zz/db`} {
		if _, err := ParseSettings(bad); err == nil {
			t.Errorf("ParseSettings(%q): no error", bad)
		}
	}
}

// An environment's own address comes from its DSN and libpq's defaults,
// never from the caller's PG* variables: `dsn = "dbname=app"` is the local
// server, whatever PGHOST the person has set for something else.
func TestOwnAddressIgnoresCallerPGVariables(t *testing.T) {
	t.Setenv("PGHOST", "prod-db.internal")
	t.Setenv("PGPORT", "6000")
	t.Setenv("PGDATABASE", "orders")
	t.Setenv("PGUSER", "admin")
	c, _ := loadResolved(t, "", `
[envs.dev]
dsn = "dbname=app"
tier = "development"

[envs.mine]
dsn = "sslmode=disable"
tier = "local"
`, nil)
	c.Resolve(testDefaults.Parse)
	dev, _ := c.Lookup("dev")
	if got, want := dev.Addrs(), []Addr{{"/var/run/postgresql", 5432, "app"}}; !slices.Equal(got, want) {
		t.Errorf("dev resolved to %v, want %v", got, want)
	}
	mine, _ := c.Lookup("mine")
	if got, want := mine.Addrs(), []Addr{{"/var/run/postgresql", 5432, "me"}}; !slices.Equal(got, want) {
		t.Errorf("a DSN without an address resolved to %v, want %v", got, want)
	}
	// The connection itself does follow PGHOST and PGPORT: it goes to
	// production's server, which dev does not name.
	conn, err := pgconn.ParseConfig("dbname=app")
	if err != nil {
		t.Fatal(err)
	}
	e, _ := c.ForConnection(nil, conn)
	if !e.Unknown || e.Tier != Production {
		t.Errorf("a connection to %s:%d/app is %q (%s), want an unknown server (production)", conn.Host, conn.Port, e.Name, e.Tier)
	}
	e, warn := c.ForConnection(dev, conn)
	if !e.Unknown || e.Tier != Production || len(warn) == 0 {
		t.Errorf("safesql dev with PGHOST set: %q (%s), warnings %q; want an unknown server (production) and a warning", e.Name, e.Tier, warn)
	}
}

// URI query parameters name the target as libpq reads them: ?host= and
// ?port= win over the authority.
func TestURIQueryParametersResolve(t *testing.T) {
	dir := t.TempDir()
	svc := filepath.Join(dir, "services.conf")
	if err := os.WriteFile(svc, []byte("[prod]\nhost=prod-db.internal\nport=5433\ndbname=orders\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := testDefaults
	d.ServiceFiles = []string{filepath.Join(dir, "missing.conf"), svc}
	tests := []struct {
		dsn  string
		want []Addr
	}{
		{"postgres://u@/db?host=/socket/dir&port=5433", []Addr{{"/socket/dir", 5433, "db"}}},
		{"postgresql://u@%2Fsocket%2Fdir:5433/db", []Addr{{"/socket/dir", 5433, "db"}}},
		{"postgres://elsewhere:1/db?host=/socket/dir/", []Addr{{"/socket/dir", 1, "db"}}},
		{"postgres://u@h1:1,h2/db", []Addr{{"h1", 1, "db"}, {"h2", 5432, "db"}}},
		{"postgres:///db?port=5433", []Addr{{"/var/run/postgresql", 5433, "db"}}},
		{"host=a,b port=7 dbname=x", []Addr{{"a", 7, "x"}, {"b", 7, "x"}}},
		{"service=prod", []Addr{{"prod-db.internal", 5433, "orders"}}},
		{"service=prod dbname=other port=1", []Addr{{"prod-db.internal", 1, "other"}}},
		{"service=prod servicefile=" + svc, []Addr{{"prod-db.internal", 5433, "orders"}}},
	}
	for _, tt := range tests {
		cfg, err := d.Parse(tt.dsn)
		if err != nil {
			t.Errorf("%s: %v", tt.dsn, err)
			continue
		}
		if got := AddrsOf(cfg); !slices.Equal(got, tt.want) {
			t.Errorf("%s resolved to %v, want %v", tt.dsn, got, tt.want)
		}
	}
	for _, bad := range []string{"service=nope", "host=a,b,c port=1,2", "port=x", "service=prod servicefile=" + filepath.Join(dir, "missing.conf")} {
		if _, err := d.Parse(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	// The connection's side: pgconn reads the same URI to the same place,
	// so an environment written as a URI matches it.
	c, _ := loadResolved(t, "", "[envs.sock]\ndsn = \"postgres://u@/db?host=/socket/dir&port=5433\"\ntier = \"staging\"\n", nil)
	c.Resolve(d.Parse)
	conn, err := pgconn.ParseConfig("host=/socket/dir port=5433 dbname=db user=u")
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := c.ForConnection(nil, conn); e.Name != "sock" {
		t.Errorf("the connection to /socket/dir:5433/db is %q (%s), want sock", e.Name, e.Tier)
	}
}
