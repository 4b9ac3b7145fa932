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
