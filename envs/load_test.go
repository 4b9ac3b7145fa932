package envs

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// writeConfig writes the system and user files ("" = no file) and returns
// their paths; expectations say SYS and USER for them.
func writeConfig(t *testing.T, system, user string) Paths {
	t.Helper()
	dir := t.TempDir()
	p := Paths{System: filepath.Join(dir, "system.toml"), User: filepath.Join(dir, "user.toml")}
	for path, text := range map[string]string{p.System: system, p.User: user} {
		if text == "" {
			continue
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func expand(p Paths, s string) string {
	return strings.NewReplacer("SYS", p.System, "USER", p.User).Replace(s)
}

func errLines(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name         string
		system, user string
		want         []string // one line per error, in order
	}{
		{
			name: "unknown env key suggests the nearest",
			user: "[envs.prod]\ndsn = \"service=prod\"\nread_onyl = true\n",
			want: []string{`USER:3: envs.prod.read_onyl: unknown key in an environment (did you mean "read_only"?)`},
		},
		{
			name: "unknown top-level key",
			user: "unknown_teir = \"production\"\n",
			want: []string{`USER:1: unknown_teir: unknown key (did you mean "unknown_tier"?)`},
		},
		{
			name: "misspelt envs table",
			user: "# comment\n[env.prod]\ndsn = \"service=prod\"\n",
			want: []string{`USER:2: env: unknown key (did you mean "envs"?)`},
		},
		{
			name: "unknown key with nothing near lists the valid ones",
			user: "[theme]\nrainbow = true\n",
			want: []string{`USER:2: theme.rainbow: unknown key in [theme]; valid keys: highlight, tint, title`},
		},
		{
			name: "tier prod",
			user: "[envs.prod]\ndsn = \"service=prod\"\ntier = \"prod\"\n",
			want: []string{`USER:3: envs.prod.tier: invalid tier "prod": want production, staging, development or local (did you mean "production"?)`},
		},
		{
			name: "tier that resembles nothing",
			user: "[envs.x]\ndsn = \"service=x\"\ntier = \"qa\"\n",
			want: []string{`USER:3: envs.x.tier: invalid tier "qa": want production, staging, development or local`},
		},
		{
			name: "duration without unit",
			user: "[envs.prod]\ndsn = \"service=prod\"\nstatement_timeout = \"30\"\n",
			want: []string{`USER:3: envs.prod.statement_timeout: invalid duration "30": missing unit (did you mean "30s" or "30ms"?)`},
		},
		{
			name: "duration as an integer",
			user: "[envs.prod]\ndsn = \"service=prod\"\nlock_timeout = 30\n",
			want: []string{`USER:3: envs.prod.lock_timeout: invalid duration 30: write it as a string with a unit, such as "30s" or "30ms"`},
		},
		{
			name: "duration with a bad unit",
			user: "[envs.prod]\ndsn = \"service=prod\"\ndry_run_timeout = \"5 seconds\"\n",
			want: []string{`USER:3: envs.prod.dry_run_timeout: invalid duration "5 seconds": want a number with a unit: ms, s, min, h or d, such as "30s"`},
		},
		{
			name: "boolean in quotes",
			user: "[envs.prod]\ndsn = \"service=prod\"\nread_only = \"true\"\n",
			want: []string{`USER:3: envs.prod.read_only: want true or false without quotes, got the string "true"`},
		},
		{
			name: "password_command as a shell string",
			user: "[envs.prod]\ndsn = \"service=prod\"\npassword_command = \"op read x\"\n",
			want: []string{`USER:3: envs.prod.password_command: want an argv array such as ["op", "read", "op://db/prod/password"] (it runs without a shell), got a string`},
		},
		{
			name: "bad colour",
			user: "[envs.prod]\ndsn = \"service=prod\"\ncolor = \"red\"\n",
			want: []string{`USER:3: envs.prod.color: invalid colour "red": want "#rrggbb", "#rgb" or an ANSI colour number 0-255`},
		},
		{
			name: "row count in quotes",
			user: "[envs.prod]\ndsn = \"service=prod\"\nask_count_above = \"1000\"\n",
			want: []string{`USER:3: envs.prod.ask_count_above: want a number of rows without quotes, such as 1000, got the string "1000"`},
		},
		{
			name: "row count of zero",
			user: "[envs.prod]\ndsn = \"service=prod\"\n\nask_count_above = 0\n",
			want: []string{`USER:4: envs.prod.ask_count_above: want a number of rows of at least 1, got 0 (1 asks for the count of every statement that changes more than one row)`},
		},
		{
			name: "row count as a fraction",
			user: "[envs.prod]\ndsn = \"service=prod\"\nask_count_above = 1.5\n",
			want: []string{`USER:3: envs.prod.ask_count_above: want a number of rows such as 1000, got a number`},
		},
		{
			name: "empty confirm word",
			user: "[envs.prod]\ndsn = \"service=prod\"\nconfirm_word = \" \"\n",
			want: []string{`USER:3: envs.prod.confirm_word: must not be empty`},
		},
		{
			name: "error inside an inline table",
			user: "[envs.prod]\ndsn = \"service=prod\"\naudit = { enabled = true,\n  pth = \"/x\" }\n",
			want: []string{`USER:4: envs.prod.audit.pth: unknown key in audit (did you mean "path"?)`},
		},
		{
			name: "dotted keys at the top level",
			user: "envs.prod.dsn = \"service=prod\"\nenvs.prod.tier = \"staged\"\n",
			want: []string{`USER:2: envs.prod.tier: invalid tier "staged": want production, staging, development or local (did you mean "staging"?)`},
		},
		{
			name: "empty password_command",
			user: "[envs.prod]\ndsn = \"service=prod\"\npassword_command = []\n",
			want: []string{`USER:3: envs.prod.password_command: must name a program`},
		},
		{
			name: "markers that are not strings",
			user: "production_markers = [\"live\", 1]\n",
			want: []string{`USER:1: production_markers: element 2: want a string, got an integer`},
		},
		{
			name: "environment without dsn",
			user: "\n[envs.prod]\ntier = \"production\"\n",
			want: []string{`USER:2: envs.prod: environment "prod" has no dsn; add dsn = "service=prod" or a conninfo string or URI`},
		},
		{
			name: "environment that is not a table",
			user: "[envs]\nprod = \"service=prod\"\n",
			want: []string{`USER:2: envs.prod: want a table such as [envs.prod], got a string`},
		},
		{
			name: "invalid environment name",
			user: "[envs.\"my env\"]\ndsn = \"x\"\n",
			want: []string{`USER:1: envs."my env": invalid environment name "my env": use letters, digits, '_', '-' and '.', starting with a letter or digit`},
		},
		{
			name: "TOML syntax error",
			user: "[envs.prod]\ndsn = \"service=prod\n",
			want: []string{`USER:2: basic strings cannot have new lines`},
		},
		{
			name: "duplicate key",
			user: "[envs.prod]\ndsn = \"a\"\ndsn = \"b\"\n",
			want: []string{`USER:3: envs.prod.dsn: key dsn is already defined`},
		},
		{
			name: "policy in the user file",
			user: "[policy.production]\nread_only = false\n",
			want: []string{`USER:1: policy.production: [policy.production] is honoured only in the system file; ask the administrator to set it there, or remove it`},
		},
		{
			name:   "policy for an unknown tier",
			system: "[policy.prod]\nread_only = true\n",
			want:   []string{`SYS:1: policy.prod: invalid tier "prod": want production, staging, development or local (did you mean "production"?)`},
		},
		{
			name:   "unknown policy key",
			system: "[policy.production]\nread_ony = true\n",
			want:   []string{`SYS:2: policy.production.read_ony: unknown key in a policy (did you mean "read_only"?)`},
		},
		{
			name:   "user file weakens read_only",
			system: "[policy.production]\nread_only = true\n",
			user:   "[envs.prod]\ndsn = \"service=prod\"\ntier = \"production\"\nread_only = false\n",
			want:   []string{`USER:4: envs.prod.read_only: envs.prod.read_only = false weakens the policy policy.production.read_only = true set in SYS:2`},
		},
		{
			name:   "user file weakens confirm_word and audit",
			system: "[policy.production]\nconfirm_word = \"production\"\naudit = true\n",
			user:   "[envs.prod]\ndsn = \"service=prod\"\nconfirm_word = \"yes\"\naudit = false\n",
			want: []string{
				`USER:3: envs.prod.confirm_word: envs.prod.confirm_word = "yes" weakens the policy policy.production.confirm_word = "production" set in SYS:2`,
				`USER:4: envs.prod.audit: envs.prod.audit = false weakens the policy policy.production.audit = true set in SYS:3`,
			},
		},
		{
			name:   "timeouts are ceilings",
			system: "[policy.staging]\nstatement_timeout = \"30s\"\nlock_timeout = \"2s\"\n",
			user:   "[envs.stg]\ndsn = \"service=stg\"\ntier = \"staging\"\nstatement_timeout = \"1h\"\nlock_timeout = \"0s\"\n",
			want: []string{
				`USER:4: envs.stg.statement_timeout: envs.stg.statement_timeout = "1h0m0s" weakens the policy policy.staging.statement_timeout = "30s" set in SYS:2`,
				`USER:5: envs.stg.lock_timeout: envs.stg.lock_timeout = "0s" weakens the policy policy.staging.lock_timeout = "2s" set in SYS:3`,
			},
		},
		{
			name:   "autocommit floor",
			system: "[policy.development]\nautocommit = false\n",
			user:   "[envs.dev]\ndsn = \"service=dev\"\ntier = \"development\"\nautocommit = true\n",
			want:   []string{`USER:4: envs.dev.autocommit: envs.dev.autocommit = true weakens the policy policy.development.autocommit = false set in SYS:2`},
		},
		{
			name:   "system file weakening its own policy",
			system: "[policy.production]\nread_only = true\n\n[envs.prod]\ndsn = \"service=prod\"\nread_only = false\n",
			want:   []string{`SYS:6: envs.prod.read_only: envs.prod.read_only = false weakens the policy policy.production.read_only = true set in SYS:2`},
		},
		{
			name:   "user file lowers the tier of a system environment",
			system: "[envs.prod]\ndsn = \"service=prod\"\ntier = \"production\"\n",
			user:   "[envs.prod]\ntier = \"development\"\n",
			want:   []string{`USER:2: envs.prod.tier: tier = "development" lowers environment "prod", which SYS:3 defines as production`},
		},
		{
			name:   "user file lowers an implicit production tier",
			system: "[envs.prod]\ndsn = \"service=prod\"\n",
			user:   "[envs.prod]\ntier = \"local\"\n",
			want:   []string{`USER:2: envs.prod.tier: tier = "local" lowers environment "prod", which SYS:1 defines as production`},
		},
		{
			name:   "user file lowers unknown_tier",
			system: "unknown_tier = \"staging\"\n",
			user:   "unknown_tier = \"local\"\n",
			want:   []string{`USER:1: unknown_tier: unknown_tier = "local" is less strict than unknown_tier = "staging" set in SYS:1`},
		},
		{
			name: "several errors, sorted by line",
			user: "[envs.b]\ndsn = \"x\"\ntier = \"dev\"\nlabl = \"B\"\n[envs.a]\ndsn = \"y\"\nlock_timeout = \"1\"\n",
			want: []string{
				`USER:3: envs.b.tier: invalid tier "dev": want production, staging, development or local (did you mean "development"?)`,
				`USER:4: envs.b.labl: unknown key in an environment (did you mean "label"?)`,
				`USER:7: envs.a.lock_timeout: invalid duration "1": missing unit (did you mean "1s" or "1ms"?)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeConfig(t, tt.system, tt.user)
			_, err := Load(p)
			var want []string
			for _, w := range tt.want {
				want = append(want, expand(p, w))
			}
			if got := errLines(err); !slices.Equal(got, want) {
				t.Errorf("errors:\n got %q\nwant %q", got, want)
			}
			var ce *Error
			if err != nil && !errors.As(err, &ce) {
				t.Errorf("error is not an *envs.Error: %T", err)
			}
		})
	}
}

func TestLoadMissingFiles(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.toml")
	tests := []struct {
		name    string
		paths   Paths
		wantErr bool
	}{
		{name: "no files at all", paths: Paths{}},
		{name: "default paths that do not exist", paths: Paths{System: missing, User: missing}},
		{name: "SAFESQL_CONFIG naming a missing file", paths: Paths{User: missing, UserExplicit: true}, wantErr: true},
		{name: "SAFESQL_SYSTEM_CONFIG naming a missing file", paths: Paths{System: missing, SystemExplicit: true}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.paths)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				if !strings.Contains(err.Error(), missing) {
					t.Errorf("error does not name the file: %v", err)
				}
				return
			}
			if c.UnknownTier != Production || len(c.Envs()) != 0 {
				t.Errorf("empty config: unknown tier %q, %d envs", c.UnknownTier, len(c.Envs()))
			}
		})
	}
}

func TestDefaultPaths(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want Paths
	}{
		{name: "home only", env: map[string]string{"HOME": "/home/ann"},
			want: Paths{System: "/etc/safesql/config.toml", User: "/home/ann/.config/safesql/config.toml"}},
		{name: "XDG_CONFIG_HOME", env: map[string]string{"HOME": "/home/ann", "XDG_CONFIG_HOME": "/xdg"},
			want: Paths{System: "/etc/safesql/config.toml", User: "/xdg/safesql/config.toml"}},
		{name: "SAFESQL_CONFIG wins and must exist", env: map[string]string{"HOME": "/h", "XDG_CONFIG_HOME": "/xdg", "SAFESQL_CONFIG": "/c.toml"},
			want: Paths{System: "/etc/safesql/config.toml", User: "/c.toml", UserExplicit: true}},
		{name: "SAFESQL_SYSTEM_CONFIG", env: map[string]string{"SAFESQL_SYSTEM_CONFIG": "/s.toml"},
			want: Paths{System: "/s.toml", SystemExplicit: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DefaultPaths(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

const exampleSystem = `unknown_tier = "production"

[envs.prod]
dsn = "service=prod"
tier = "production"
label = "PROD"
color = "#d70000"
confirm_word = "production"
read_only = true
statement_timeout = "30s"
lock_timeout = "2s"
idle_in_transaction_session_timeout = "10m"
dry_run_timeout = "5s"
password_command = ["op", "read", "op://db/prod/password"]

[envs.staging]
dsn = "postgres://app@staging-db.internal/app"
tier = "staging"

[policy.production]                  # honoured only in the system file
read_only = true                     # every key here is a floor for every
confirm_word = "production"          # production environment that no user
audit = true                         # file may weaken

[policy.staging]
lock_timeout = "5s"
`

func TestLoadMerge(t *testing.T) {
	user := `production_markers = ["PRD", "live"]

[theme]
tint = false

[envs.prod]
password_command = ["vault", "read", "-field=password", "db/prod"]
label = "ORDERS"

[envs.dev]
dsn = "host=localhost dbname=shop_dev"
tier = "development"

[envs.laptop]
dsn = "host=/tmp dbname=scratch"
tier = "local"
audit = { enabled = true, path = "/tmp/audit.log" }

[envs.mystery]
dsn = "host=mystery"

[envs.stg2]
dsn = "service=stg2"
tier = "staging"
lock_timeout = "1s"
`
	p := writeConfig(t, exampleSystem, user)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Names(), []string{"prod", "staging", "dev", "laptop", "mystery", "stg2"}; !slices.Equal(got, want) {
		t.Errorf("names %q, want %q", got, want)
	}
	if got, want := c.Files, []string{p.System, p.User}; !slices.Equal(got, want) {
		t.Errorf("files %q, want %q", got, want)
	}
	if got, want := c.Markers, []string{"prod", "prd", "live"}; !slices.Equal(got, want) {
		t.Errorf("markers %q, want %q", got, want)
	}
	if c.Theme != (ThemeConfig{Tint: false, Title: true, Highlight: true}) {
		t.Errorf("theme %+v", c.Theme)
	}
	tests := []struct {
		name string
		want Env
	}{
		{name: "prod", want: Env{Name: "prod", DSN: "service=prod", Tier: Production, Label: "ORDERS", Color: "#d70000",
			ConfirmWord: "production", ReadOnly: true, StatementTimeout: 30 * time.Second, LockTimeout: 2 * time.Second,
			IdleInTxTimeout: 10 * time.Minute, DryRunTimeout: 5 * time.Second,
			PasswordCommand: []string{"vault", "read", "-field=password", "db/prod"},
			Audit:           AuditConfig{Enabled: true}, Source: p.System, OverriddenBy: p.User}},
		{name: "staging", want: Env{AllowShell: true, Name: "staging", DSN: "postgres://app@staging-db.internal/app", Tier: Staging, Label: "STAGING",
			LockTimeout: 5 * time.Second, Source: p.System}},
		{name: "dev", want: Env{AllowShell: true, Name: "dev", DSN: "host=localhost dbname=shop_dev", Tier: Development, Label: "DEV",
			Autocommit: true, Source: p.User}},
		{name: "laptop", want: Env{AllowShell: true, Name: "laptop", DSN: "host=/tmp dbname=scratch", Tier: Local, Label: "LAPTOP",
			Autocommit: true, Audit: AuditConfig{Enabled: true, Path: "/tmp/audit.log"}, Source: p.User}},
		{name: "mystery", want: Env{Name: "mystery", DSN: "host=mystery", Tier: Production, Label: "MYSTERY",
			ConfirmWord: "production", ReadOnly: true, Audit: AuditConfig{Enabled: true}, Source: p.User}},
		{name: "stg2", want: Env{AllowShell: true, Name: "stg2", DSN: "service=stg2", Tier: Staging, Label: "STG2",
			LockTimeout: time.Second, Source: p.User}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := c.Lookup(tt.name)
			if !ok {
				t.Fatalf("no environment %q", tt.name)
			}
			if !equalEnv(e, &tt.want) {
				t.Errorf("\n got %+v\nwant %+v", *e, tt.want)
			}
			if err := c.Check(e); err != nil {
				t.Errorf("Check: %v", err)
			}
		})
	}
	if _, ok := c.Lookup("nope"); ok {
		t.Error("Lookup found an environment that does not exist")
	}
}

func equalEnv(a, b *Env) bool {
	x, y := *a, *b
	if !slices.Equal(x.PasswordCommand, y.PasswordCommand) || !slices.Equal(x.addrs, y.addrs) {
		return false
	}
	x.PasswordCommand, y.PasswordCommand = nil, nil
	x.addrs, y.addrs, x.resolveErr, y.resolveErr = nil, nil, nil, nil
	return reflect.DeepEqual(x, y)
}

func TestCheckFlags(t *testing.T) {
	p := writeConfig(t, exampleSystem, "")
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	prod, _ := c.Lookup("prod")
	tests := []struct {
		name   string
		change func(e *Env)
		want   string
	}{
		{name: "unchanged", change: func(*Env) {}},
		{name: "writable by flag", change: func(e *Env) { e.ReadOnly = false },
			want: `read_only = false for environment "prod" weakens the policy policy.production.read_only = true set in SYS:21`},
		{name: "confirm word by flag", change: func(e *Env) { e.ConfirmWord = "" },
			want: `confirm_word = "" for environment "prod" weakens the policy policy.production.confirm_word = "production" set in SYS:22`},
		{name: "a stricter change is fine", change: func(e *Env) { e.Autocommit = false; e.StatementTimeout = time.Second }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := *prod
			tt.change(&e)
			err := c.Check(&e)
			if got := errString(err); got != expand(p, tt.want) {
				t.Errorf("got %q\nwant %q", got, expand(p, tt.want))
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestPermissions(t *testing.T) {
	tests := []struct {
		name string
		text string
		mode os.FileMode
		want string
	}{
		{name: "password, private file", mode: 0o600,
			text: "[envs.prod]\ndsn = \"service=prod\"\npassword = \"hunter2\"\n"},
		{name: "password, world-readable", mode: 0o644,
			text: "[envs.prod]\ndsn = \"service=prod\"\npassword = \"hunter2\"\n",
			want: "USER:3: envs.prod.password: the file holds a plain password and is readable by group or others (mode 0644); run: chmod 600 USER (or use password_command or passfile)"},
		{name: "password, group-readable", mode: 0o640,
			text: "[envs.prod]\ndsn = \"service=prod\"\npassword = \"hunter2\"\n",
			want: "USER:3: envs.prod.password: the file holds a plain password and is readable by group or others (mode 0640); run: chmod 600 USER (or use password_command or passfile)"},
		{name: "password in a URI", mode: 0o644,
			text: "[envs.prod]\ndsn = \"postgres://app:hunter2@db/app\"\n",
			want: "USER:2: envs.prod.dsn: the file holds a plain password and is readable by group or others (mode 0644); run: chmod 600 USER (or use password_command or passfile)"},
		{name: "password in conninfo", mode: 0o604,
			text: "[envs.prod]\ndsn = \"host=db password=hunter2\"\n",
			want: "USER:2: envs.prod.dsn: the file holds a plain password and is readable by group or others (mode 0604); run: chmod 600 USER (or use password_command or passfile)"},
		{name: "no password, world-readable", mode: 0o644,
			text: "[envs.prod]\ndsn = \"postgres://app@db/app\"\npassword_command = [\"pass\", \"db\"]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeConfig(t, "", tt.text)
			if err := os.Chmod(p.User, tt.mode); err != nil {
				t.Fatal(err)
			}
			_, err := Load(p)
			if got, want := errString(err), expand(p, tt.want); got != want {
				t.Errorf("got  %q\nwant %q", got, want)
			}
			if strings.Contains(errString(err), "hunter2") {
				t.Error("the error shows the password")
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{in: "30s", want: 30 * time.Second},
		{in: "250ms", want: 250 * time.Millisecond},
		{in: "10min", want: 10 * time.Minute},
		{in: "10m", want: 10 * time.Minute},
		{in: "1h30min", want: 90 * time.Minute},
		{in: "2d", want: 48 * time.Hour},
		{in: "0s", want: 0},
		{in: "30", wantErr: `invalid duration "30": missing unit (did you mean "30s" or "30ms"?)`},
		{in: "-1s", wantErr: `invalid duration "-1s": must not be negative`},
		{in: "soon", wantErr: `invalid duration "soon": want a number with a unit: ms, s, min, h or d, such as "30s"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if errString(err) != tt.wantErr || got != tt.want {
				t.Errorf("got %v, %q; want %v, %q", got, errString(err), tt.want, tt.wantErr)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	keys := keysOf(envKeys)
	tests := []struct{ word, want string }{
		{"read_onyl", "read_only"},
		{"readonly", "read_only"},
		{"statment_timeout", "statement_timeout"},
		{"colour", "color"},
		{"confirm", "confirm_word"},
		{"passwd_command", "password_command"},
		{"xyz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if got := suggest(tt.word, keys); got != tt.want {
				t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

func TestAllowShell(t *testing.T) {
	p := writeConfig(t, "[policy.staging]\nallow_shell = false\n", "[envs.prod]\ndsn = \"host=p\"\ntier = \"production\"\n\n[envs.dev]\ndsn = \"host=d\"\ntier = \"development\"\n")
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := c.Lookup("prod"); e.AllowShell {
		t.Error("production allows \\! by default")
	}
	if e, _ := c.Lookup("dev"); !e.AllowShell {
		t.Error("development refuses \\! by default")
	}
	p = writeConfig(t, "[policy.staging]\nallow_shell = false\n", "[envs.stg]\ndsn = \"host=s\"\ntier = \"staging\"\nallow_shell = true\n")
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "allow_shell") {
		t.Errorf("a user file allowing the shell against the policy: err %v", err)
	}
}

func TestThemeHighlight(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	for _, tt := range []struct {
		content string
		want    bool
	}{
		{"", true},
		{"[theme]\nhighlight = false\n", false},
		{"[theme]\nhighlight = true\n", true},
	} {
		if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(Paths{User: path, UserExplicit: true})
		if err != nil {
			t.Fatal(err)
		}
		if c.Theme.Highlight != tt.want {
			t.Errorf("%q: highlight %v, want %v", tt.content, c.Theme.Highlight, tt.want)
		}
	}
}

// TestAskCountAbove: the threshold is read per environment; unset is 0
// (the session's default).
func TestAskCountAbove(t *testing.T) {
	p := writeConfig(t, "", "[envs.prod]\ndsn = \"service=prod\"\nask_count_above = 50_000\n[envs.dev]\ndsn = \"service=dev\"\n")
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	prod, _ := c.Lookup("prod")
	dev, _ := c.Lookup("dev")
	if got := prod.AskCountAbove; got != 50_000 {
		t.Errorf("prod: ask_count_above %d, want 50000", got)
	}
	if got := dev.AskCountAbove; got != 0 {
		t.Errorf("dev: ask_count_above %d, want 0 (unset)", got)
	}
}
