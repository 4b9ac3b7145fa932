package envs

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// fakeParse resolves DSNs from a table, so the tests depend on no PG*
// variable, service file or DNS.
func fakeParse(table map[string]*pgconn.Config) ParseFunc {
	return func(dsn string) (*pgconn.Config, error) {
		if c, ok := table[dsn]; ok {
			return c, nil
		}
		return nil, fmt.Errorf("cannot parse %q: failed to read service file password=hunter2", dsn)
	}
}

func addr(host string, port uint16, db string) *pgconn.Config {
	return &pgconn.Config{Host: host, Port: port, Database: db, User: "app"}
}

func loadResolved(t *testing.T, system, user string, table map[string]*pgconn.Config) (*Config, Paths) {
	t.Helper()
	p := writeConfig(t, system, user)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	c.Resolve(fakeParse(table))
	return c, p
}

const matchConfig = `
[envs.prod]
dsn = "service=prod"
tier = "production"

[envs.staging]
dsn = "service=staging"
tier = "staging"

[envs.dev]
dsn = "service=dev"
tier = "development"

[envs.tunnel]
dsn = "host=127.0.0.1 port=6543 dbname=orders"
tier = "development"

[envs.ha]
dsn = "service=ha"
tier = "staging"

[envs.broken]
dsn = "service=missing"
tier = "local"
`

var matchTable = map[string]*pgconn.Config{
	"service=prod":                           addr("prod-db.internal", 5432, "orders"),
	"service=staging":                        addr("Staging-DB.internal.", 5432, "orders"),
	"service=dev":                            addr("localhost", 5432, "orders_dev"),
	"host=127.0.0.1 port=6543 dbname=orders": addr("127.0.0.1", 6543, "orders"),
	"service=ha": {Host: "ha1", Port: 5432, Database: "", User: "shop",
		Fallbacks: []*pgconn.FallbackConfig{{Host: "ha2", Port: 5433}}},
}

func TestMatch(t *testing.T) {
	c, _ := loadResolved(t, "", matchConfig, matchTable)
	tests := []struct {
		name string
		host string
		port uint16
		db   string
		want string // "" = no environment
	}{
		{name: "exact", host: "prod-db.internal", port: 5432, db: "orders", want: "prod"},
		{name: "host case and trailing dot", host: "staging-db.INTERNAL", port: 5432, db: "orders", want: "staging"},
		{name: "other database on the same server", host: "prod-db.internal", port: 5432, db: "postgres"},
		{name: "other port", host: "prod-db.internal", port: 5433, db: "orders"},
		{name: "localhost and 127.0.0.1 are one host", host: "localhost", port: 6543, db: "orders", want: "tunnel"},
		{name: "::1 too", host: "::1", port: 5432, db: "orders_dev", want: "dev"},
		{name: "database defaults to the user", host: "ha1", port: 5432, db: "shop", want: "ha"},
		{name: "fallback host", host: "ha2", port: 5433, db: "shop", want: "ha"},
		{name: "nothing", host: "elsewhere", port: 5432, db: "orders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Match(tt.host, tt.port, tt.db)
			var name string
			if got != nil {
				name = got.Name
			}
			if name != tt.want {
				t.Errorf("Match(%s, %d, %s) = %q, want %q", tt.host, tt.port, tt.db, name, tt.want)
			}
		})
	}
}

func TestMatchStrictestWins(t *testing.T) {
	// A user who copies production under a friendlier name still gets
	// production's rules when connecting by address.
	cfg := `
[envs.friendly]
dsn = "service=friendly"
tier = "local"

[envs.prod]
dsn = "service=prod"
tier = "production"
`
	c, _ := loadResolved(t, "", cfg, map[string]*pgconn.Config{
		"service=friendly": addr("prod-db.internal", 5432, "orders"),
		"service=prod":     addr("prod-db.internal", 5432, "orders"),
	})
	if got := c.Match("prod-db.internal", 5432, "orders"); got == nil || got.Name != "prod" {
		t.Fatalf("Match = %v, want prod", got)
	}
	friendly, _ := c.Lookup("friendly")
	want := []string{
		`environments "friendly" (local) and "prod" (production) both connect to prod-db.internal:5432/orders: check which one you mean`,
		`environment "friendly" is tier local but its host "prod-db.internal" contains "prod": is this production?`,
	}
	if got := c.Warnings(friendly); !slices.Equal(got, want) {
		t.Errorf("warnings %q, want %q", got, want)
	}
}

func TestUnknown(t *testing.T) {
	tests := []struct {
		name     string
		system   string
		user     string
		host     string
		want     Env
		warnings []string
	}{
		{name: "fails closed to production", host: "db.example.com",
			want: Env{Name: "db.example.com", Label: "db.example.com", Tier: Production, ConfirmWord: "production",
				ReadOnly: true, Audit: AuditConfig{Enabled: true}, Unknown: true}},
		{name: "unix socket", host: "/var/run/postgresql",
			want: Env{Name: "localhost", Label: "localhost", Tier: Production, ConfirmWord: "production",
				ReadOnly: true, Audit: AuditConfig{Enabled: true}, Unknown: true}},
		{name: "unknown_tier from the config", user: "unknown_tier = \"development\"\n", host: "db",
			want: Env{AllowShell: true, Name: "db", Label: "db", Tier: Development, Autocommit: true, Unknown: true}},
		{name: "policy floors apply", system: "unknown_tier = \"staging\"\n[policy.staging]\nread_only = true\nlock_timeout = \"3s\"\n", host: "db",
			want: Env{AllowShell: true, Name: "db", Label: "db", Tier: Staging, ReadOnly: true, LockTimeout: 3 * time.Second, Unknown: true}},
		{name: "a non-production fallback on a prod host warns", user: "unknown_tier = \"development\"\n", host: "prod-db",
			want:     Env{AllowShell: true, Name: "prod-db", Label: "prod-db", Tier: Development, Autocommit: true, Unknown: true},
			warnings: []string{`environment "prod-db" is tier development but its host "prod-db" contains "prod": is this production?`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := loadResolved(t, tt.system, tt.user, nil)
			e := c.Unknown(tt.host, 5432, "app")
			tt.want.addrs = []Addr{{Host: normHost(tt.host), Port: 5432, Database: "app"}}
			if !equalEnv(e, &tt.want) {
				t.Errorf("\n got %+v\nwant %+v", *e, tt.want)
			}
			if got := c.Warnings(e); !slices.Equal(got, tt.warnings) {
				t.Errorf("warnings %q, want %q", got, tt.warnings)
			}
		})
	}
}

func TestForConnection(t *testing.T) {
	c, _ := loadResolved(t, "", matchConfig, matchTable)
	staging, _ := c.Lookup("staging")
	dev, _ := c.Lookup("dev")
	tests := []struct {
		name     string
		named    *Env
		conn     *pgconn.Config
		want     string
		unknown  bool
		warnings []string
	}{
		{name: "by name", named: staging, conn: addr("staging-db.internal", 5432, "orders"), want: "staging"},
		{name: "by address only", conn: addr("prod-db.internal", 5432, "orders"), want: "prod"},
		{name: "named staging, pointed at prod by flags", named: staging, conn: addr("prod-db.internal", 5432, "orders"), want: "prod",
			warnings: []string{`environment "staging" (staging) was asked for, but prod-db.internal:5432/orders is environment "prod" (production): using prod's settings`}},
		{name: "named dev, other database on its server", named: dev, conn: addr("localhost", 5432, "scratch"), want: "localhost", unknown: true,
			warnings: []string{`environment "dev" (development) was asked for, but localhost:5432/scratch is not its address (localhost:5432/orders_dev) and matches no environment: using the rules of an unknown server (production)`}},
		{name: "named dev, pointed at another host by flags", named: dev, conn: addr("other-host", 5432, "app"), want: "other-host", unknown: true,
			warnings: []string{`environment "dev" (development) was asked for, but other-host:5432/app is not its address (localhost:5432/orders_dev) and matches no environment: using the rules of an unknown server (production)`}},
		{name: "named dev, other user on its own address", named: dev, conn: &pgconn.Config{Host: "127.0.0.1", Port: 5432, Database: "orders_dev", User: "admin"}, want: "dev"},
		{name: "named dev, pointed at prod by flags", named: dev, conn: addr("prod-db.internal", 5432, "orders"), want: "prod",
			warnings: []string{`environment "dev" (development) was asked for, but prod-db.internal:5432/orders is environment "prod" (production): using prod's settings`}},
		{name: "a fallback host that is no environment's", conn: &pgconn.Config{Host: "localhost", Port: 6543, Database: "orders", User: "app",
			Fallbacks: []*pgconn.FallbackConfig{{Host: "localhost", Port: 6543}, {Host: "elsewhere", Port: 5432}}}, want: "elsewhere", unknown: true},
		{name: "nothing matches", conn: addr("elsewhere", 5432, "x"), want: "elsewhere", unknown: true},
		{name: "tunnel found by its address", conn: addr("localhost", 6543, "orders"), want: "tunnel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, warn := c.ForConnection(tt.named, tt.conn)
			if e.Name != tt.want || e.Unknown != tt.unknown {
				t.Errorf("got %q (unknown %v), want %q (unknown %v)", e.Name, e.Unknown, tt.want, tt.unknown)
			}
			if !slices.Equal(warn, tt.warnings) {
				t.Errorf("warnings %q, want %q", warn, tt.warnings)
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	cfg := `production_markers = ["live"]

[envs.prod]
dsn = "service=prod"
tier = "production"

[envs.prod_copy]
dsn = "service=prod_copy"
tier = "staging"

[envs.customer_staging]
dsn = "service=cs"
tier = "staging"

[envs.customer_production]
dsn = "service=cp"
tier = "staging"

[envs.livehost]
dsn = "service=live"
tier = "development"

[envs.broken]
dsn = "service=missing"
tier = "local"
`
	c, _ := loadResolved(t, "", cfg, map[string]*pgconn.Config{
		"service=prod":      addr("db1", 5432, "orders"),
		"service=prod_copy": addr("localhost", 5432, "orders"),
		"service=cs":        addr("db2", 5432, "CustomerName_Staging"),
		"service=cp":        addr("db2", 5432, "CustomerName_Production"),
		"service=live":      addr("live-1.example.com", 5432, "app"),
	})
	tests := []struct {
		env  string
		want []string
	}{
		{env: "prod"},
		{env: "prod_copy"},
		{env: "customer_staging"},
		{env: "customer_production", want: []string{
			`environment "customer_production" is tier staging but its database "CustomerName_Production" contains "prod": is this production?`}},
		{env: "livehost", want: []string{
			`environment "livehost" is tier development but its host "live-1.example.com" contains "live": is this production?`}},
		{env: "broken", want: []string{
			`resolve dsn of environment "broken": cannot parse "service=missing": failed to read service file password=xxxxx`}},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			e, _ := c.Lookup(tt.env)
			if got := c.Warnings(e); !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
	t.Run("same address", func(t *testing.T) {
		c, _ := loadResolved(t, "", "[envs.a]\ndsn = \"A\"\ntier = \"production\"\n[envs.b]\ndsn = \"B\"\ntier = \"production\"\n",
			map[string]*pgconn.Config{"A": addr("db", 5432, "x"), "B": addr("DB.", 5432, "x")})
		a, _ := c.Lookup("a")
		b, _ := c.Lookup("b")
		if got, want := c.Warnings(a), []string{`environments "a" (production) and "b" (production) both connect to db:5432/x: check which one you mean`}; !slices.Equal(got, want) {
			t.Errorf("a: %q, want %q", got, want)
		}
		if got, want := c.Warnings(b), []string{`environments "b" (production) and "a" (production) both connect to db:5432/x: check which one you mean`}; !slices.Equal(got, want) {
			t.Errorf("b: %q, want %q", got, want)
		}
		cp := *a
		if got := c.Warnings(&cp); len(got) != 1 {
			t.Errorf("a copy of a (flags applied) should not warn about a itself: %q", got)
		}
	})
}

func TestResolveWithPgconn(t *testing.T) {
	// The real parser, on DSNs that need no environment: a URI and a
	// conninfo string for the same place match each other.
	c, _ := loadResolved(t, "", "[envs.a]\ndsn = \"postgres://app@prod-db.internal:5433/orders\"\n[envs.b]\ndsn = \"host=prod-db.internal port=5433 dbname=orders user=app\"\ntier = \"staging\"\n", nil)
	c.Resolve(pgconn.ParseConfig)
	a, _ := c.Lookup("a")
	if got := a.Addrs(); !slices.Equal(got, []Addr{{"prod-db.internal", 5433, "orders"}}) {
		t.Fatalf("addrs %v", got)
	}
	if got := c.Match("prod-db.internal", 5433, "orders"); got != a {
		t.Errorf("Match = %v, want a", got)
	}
	if len(c.Warnings(a)) != 1 {
		t.Errorf("want a same-address warning, got %q", c.Warnings(a))
	}
}

func TestPassword(t *testing.T) {
	sh := func(script string) []string { return []string{"sh", "-c", script} }
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	tests := []struct {
		name       string
		env        Env
		timeout    time.Duration
		want       string
		wantErr    string // substring
		wantStderr string
	}{
		{name: "none configured", env: Env{Name: "p"}},
		{name: "plain password", env: Env{Name: "p", password: ptr("hunter2")}, want: "hunter2"},
		{name: "command, trailing newline trimmed", env: Env{Name: "p", PasswordCommand: sh(`printf 's3cret\n'`)}, want: "s3cret"},
		{name: "command, no newline", env: Env{Name: "p", PasswordCommand: sh(`printf 's3cret'`)}, want: "s3cret"},
		{name: "command, CRLF", env: Env{Name: "p", PasswordCommand: sh(`printf 's3cret\r\n'`)}, want: "s3cret"},
		{name: "command, only one newline trimmed", env: Env{Name: "p", PasswordCommand: sh(`printf 'pass word \n\n'`)}, want: "pass word \n"},
		{name: "no shell: arguments are not interpreted", env: Env{Name: "p", PasswordCommand: []string{"echo", "$HOME", "*"}}, want: "$HOME *"},
		{name: "command wins over a plain password", env: Env{Name: "p", password: ptr("old"), PasswordCommand: []string{"echo", "new"}}, want: "new"},
		{name: "failing command shows stderr, not stdout",
			env:        Env{Name: "prod", PasswordCommand: sh(`echo hunter2; echo "[ERROR] not signed in to account my.1password.com" >&2; exit 1`)},
			wantErr:    "password_command of environment \"prod\" (sh) failed: exit status 1\n[ERROR] not signed in to account my.1password.com",
			wantStderr: "[ERROR] not signed in to account my.1password.com"},
		{name: "empty output", env: Env{Name: "p", PasswordCommand: []string{"true"}},
			wantErr: `password_command of environment "p" (true) failed: it printed no password`},
		{name: "program not found", env: Env{Name: "p", PasswordCommand: []string{"/nonexistent/op", "read"}},
			wantErr: `password_command of environment "p" (/nonexistent/op) failed: fork/exec /nonexistent/op: no such file or directory`},
		{name: "cancelled by the context", env: Env{Name: "p", PasswordCommand: []string{"sleep", "10"}}, timeout: 50 * time.Millisecond,
			wantErr: `password_command of environment "p" (sleep) failed: signal: killed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			start := time.Now()
			got, err := tt.env.Password(ctx)
			if time.Since(start) > 5*time.Second {
				t.Error("the command was not stopped")
			}
			if got != tt.want {
				t.Errorf("password %q, want %q", got, tt.want)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %q, want it to contain %q", errString(err), tt.wantErr)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error leaks the command's stdout: %q", err)
			}
			var ce *CommandError
			if !errors.As(err, &ce) {
				t.Fatalf("error is %T, want *CommandError", err)
			}
			if ce.Stderr != tt.wantStderr {
				t.Errorf("Stderr %q, want %q", ce.Stderr, tt.wantStderr)
			}
		})
	}
}

func TestPasswordStderrLimited(t *testing.T) {
	e := Env{Name: "p", PasswordCommand: []string{"sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x >&2; exit 3"}}
	_, err := e.Password(context.Background())
	var ce *CommandError
	if !errors.As(err, &ce) || len(ce.Stderr) != stderrLimit {
		t.Fatalf("stderr kept %d bytes, want %d (err %v)", len(ce.Stderr), stderrLimit, err != nil)
	}
}

func TestTiers(t *testing.T) {
	tests := []struct {
		a, b Tier
		want bool
	}{
		{Production, Staging, true},
		{Staging, Development, true},
		{Development, Local, true},
		{Local, Production, false},
		{Production, Production, false},
		{Local, "", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s>%s", tt.a, tt.b), func(t *testing.T) {
			if got := tt.a.StricterThan(tt.b); got != tt.want {
				t.Errorf("got %v", got)
			}
		})
	}
	if !slices.Equal(Tiers(), []Tier{Production, Staging, Development, Local}) {
		t.Error("Tiers order")
	}
}

func ptr(s string) *string { return &s }

func TestPasswordNotPrinted(t *testing.T) {
	p := writeConfig(t, "", "[envs.prod]\ndsn = \"postgres://app:hunter2@db/x\"\npassword = \"hunter2\"\n")
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := c.Lookup("prod")
	if !e.HasPassword() {
		t.Fatal("HasPassword = false")
	}
	for _, s := range []string{fmt.Sprintf("%v", *e), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", *e), e.SafeDSN()} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("password printed: %s", s)
		}
	}
}

func TestSafeDSN(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"service=prod", "service=prod"},
		{"host=db password=hunter2 user=app", "host=db password=xxxxx user=app"},
		{"host=db password='hunter 2' user=app", "host=db password=xxxxx user=app"},
		{"host=db password = hunter2", "host=db password=xxxxx"},
		{"postgres://app:hunter2@db/x", "postgres://app:xxxxx@db/x"},
		{"postgres://app@db/x?password=hunter2&sslmode=require", "postgres://app@db/x?password=xxxxx&sslmode=require"},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			if got := (&Env{DSN: tt.dsn}).SafeDSN(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
