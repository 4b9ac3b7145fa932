package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEnvironmentByName(t *testing.T) {
	p := pgtest.DB(t)
	cfg := writeConfig(t, fmt.Sprintf(`
[envs.shop]
dsn = "host=%s port=%d user=%s dbname=%s"
tier = "staging"
`, p.Host, p.Port, p.User, p.DBName))
	env := []string{"SAFESQL_CONFIG=" + cfg}
	got := runProgram(t, binary, env, "", t.TempDir(), "shop", "-Atc", "select current_database()")
	if got.code != 0 || got.stdout != p.DBName+"\n" {
		t.Fatalf("safesql shop: exit %d, stdout %q, stderr %q", got.code, got.stdout, got.stderr)
	}
	// psql-style arguments override parts of the environment.
	got = runProgram(t, binary, env, "", t.TempDir(), "shop", "-d", "postgres", "-Atc", "select current_database()")
	if got.code != 0 || got.stdout != "postgres\n" {
		t.Fatalf("safesql shop -d postgres: exit %d, stdout %q, stderr %q", got.code, got.stdout, got.stderr)
	}
	got = runProgram(t, binary, env, "", t.TempDir(), "envs")
	if got.code != 0 || !strings.Contains(got.stdout, "shop") || !strings.Contains(got.stdout, "staging") || !strings.Contains(got.stdout, p.DBName) {
		t.Fatalf("safesql envs: exit %d, stdout %q, stderr %q", got.code, got.stdout, got.stderr)
	}
}

func TestConfigErrorNamesFileLineAndKey(t *testing.T) {
	cfg := writeConfig(t, "[envs.prod]\ndsn = \"host=/tmp\"\ntier = \"production\"\nreadonly = true\n")
	got := runProgram(t, binary, []string{"SAFESQL_CONFIG=" + cfg}, "", t.TempDir(), "prod", "-c", "select 1")
	want := cfg + `:4: envs.prod.readonly: unknown key in an environment (did you mean "read_only"?)`
	if got.code != 1 || !strings.Contains(got.stderr, want) {
		t.Fatalf("exit %d, stderr %q; want exit 1 and %q", got.code, got.stderr, want)
	}
}

func TestFailingPasswordCommandExitsTwoAndShowsItsError(t *testing.T) {
	p := pgtest.DB(t)
	cfg := writeConfig(t, fmt.Sprintf(`
[envs.vault]
dsn = "host=%s port=%d user=%s dbname=%s"
tier = "production"
password_command = ["sh", "-c", "echo s3cret-on-stdout; echo vault is sealed >&2; exit 1"]
`, p.Host, p.Port, p.User, p.DBName))
	got := runProgram(t, binary, []string{"SAFESQL_CONFIG=" + cfg}, "", t.TempDir(), "vault", "-c", "select 1")
	if got.code != 2 || !strings.Contains(got.stderr, "vault is sealed") || strings.Contains(got.stderr+got.stdout, "s3cret") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2, the command's stderr, no password", got.code, got.stdout, got.stderr)
	}
}

func TestConfusableEnvironmentsWarn(t *testing.T) {
	p := pgtest.DB(t)
	dsn := fmt.Sprintf("host=%s port=%d user=%s dbname=%s", p.Host, p.Port, p.User, p.DBName)
	cfg := writeConfig(t, fmt.Sprintf("[envs.staging]\ndsn = %q\ntier = \"staging\"\n\n[envs.prod]\ndsn = %q\ntier = \"production\"\n", dsn, dsn))
	got := runProgram(t, binary, []string{"SAFESQL_CONFIG=" + cfg}, "", t.TempDir(), "staging", "-Atc", "select 1")
	if got.code != 0 || !strings.Contains(got.stderr, "warning") || !strings.Contains(got.stderr, "prod") {
		t.Fatalf("exit %d, stderr %q; want a warning that staging and prod are the same database", got.code, got.stderr)
	}
}

func TestPasswordAuthentication(t *testing.T) {
	psql := pgtest.Psql(t)
	p := pgtest.DB(t)
	pgtest.PasswordRole(t, "pw_user", "s3cret-pw")
	base := []string{"PGHOST=" + p.Host, fmt.Sprintf("PGPORT=%d", p.Port), "PGDATABASE=" + p.DBName, "PGUSER=pw_user", "PGPASSFILE=/nonexistent"}

	// -w with no password anywhere: psql's words, exit 2.
	want := runProgram(t, psql, base, "", t.TempDir(), "-X", "-w", "-c", "select 1")
	got := runProgram(t, binary, base, "", t.TempDir(), "-X", "-w", "-c", "select 1")
	if got.code != 2 || got.stderr != normalise(want.stderr) {
		t.Errorf("-w without a password: exit %d, stderr %q; psql: exit %d, %q", got.code, got.stderr, want.code, want.stderr)
	}
	// A wrong password: the server's words, exit 2, the password never shown.
	got = runProgram(t, binary, append(base, "PGPASSWORD=wrong-pw"), "", t.TempDir(), "-X", "-c", "select 1")
	if got.code != 2 || !strings.Contains(got.stderr, `password authentication failed for user "pw_user"`) || strings.Contains(got.stderr, "wrong-pw") {
		t.Errorf("wrong password: exit %d, stderr %q", got.code, got.stderr)
	}
	// ~/.pgpass (PGPASSFILE) and a service file, as libpq reads them.
	dir := t.TempDir()
	passfile := filepath.Join(dir, "pgpass")
	if err := os.WriteFile(passfile, []byte("*:*:*:pw_user:s3cret-pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got = runProgram(t, binary, append(base, "PGPASSFILE="+passfile), "", dir, "-X", "-Atc", "select current_user")
	if got.code != 0 || got.stdout != "pw_user\n" {
		t.Errorf("pgpass: exit %d, stdout %q, stderr %q", got.code, got.stdout, got.stderr)
	}
	service := filepath.Join(dir, "services.conf")
	svc := fmt.Sprintf("[shop]\nhost=%s\nport=%d\ndbname=%s\nuser=pw_user\n", p.Host, p.Port, p.DBName)
	if err := os.WriteFile(service, []byte(svc), 0o600); err != nil {
		t.Fatal(err)
	}
	got = runProgram(t, binary, []string{"PGSERVICEFILE=" + service, "PGPASSFILE=" + passfile}, "", dir, "-X", "-Atc", "select current_database()", "service=shop")
	if got.code != 0 || got.stdout != p.DBName+"\n" {
		t.Errorf("service file: exit %d, stdout %q, stderr %q", got.code, got.stdout, got.stderr)
	}
}

func TestApplicationNameSaysWhoIsConnected(t *testing.T) {
	p := pgtest.DB(t)
	got := runProgram(t, binary, p.Env(), "", t.TempDir(), "-X", "-Atc", "show application_name")
	if got.code != 0 || !strings.HasPrefix(got.stdout, "safesql/") || len(strings.TrimSpace(got.stdout)) <= len("safesql/") {
		t.Errorf("application_name %q (exit %d, stderr %q), want safesql/<os user>", got.stdout, got.code, got.stderr)
	}
	got = runProgram(t, binary, append(p.Env(), "PGAPPNAME=mine"), "", t.TempDir(), "-X", "-Atc", "show application_name")
	if got.stdout != "mine\n" {
		t.Errorf("PGAPPNAME ignored: %q", got.stdout)
	}
}
