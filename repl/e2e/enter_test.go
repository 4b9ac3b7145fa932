package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// demoLikeConfig is the demo's two ends: a development database and a
// production one (audited by default: no audit key), on the test server.
func demoLikeConfig(t *testing.T, dev, prod pgtest.Params) string {
	t.Helper()
	dsn := func(p pgtest.Params) string {
		return fmt.Sprintf("host=%s port=%d user=%s dbname=%s", p.Host, p.Port, p.User, p.DBName)
	}
	return writeConfig(t, fmt.Sprintf(`unknown_tier = "production"

[envs.dev]
dsn = %q
tier = "development"
label = "DEV"

[envs.prod]
dsn = %q
tier = "production"
label = "PROD"
`, dsn(dev), dsn(prod)))
}

// \connect from development into production enters production: its audit
// log (on by default), read-only, and no shell.
func TestConnectEntersTheNewEnvironment(t *testing.T) {
	dev, prod := pgtest.DB(t), pgtest.Clone(t, pgtest.DB(t), "prod")
	state := t.TempDir()
	env := []string{"SAFESQL_CONFIG=" + demoLikeConfig(t, dev, prod), "XDG_STATE_HOME=" + state}
	script := `select 'before connect' as s;
\c ` + prod.DBName + `
select 'audited after connect' as s;
\! echo shell-ran
create table made_after_connect (x int);
`
	got := runProgram(t, binary, env, script, t.TempDir(), "dev")
	if !strings.Contains(got.stdout, "audited after connect") {
		t.Fatalf("exit %d, stdout %q, stderr %q: the select after \\c did not run", got.code, got.stdout, got.stderr)
	}
	if strings.Contains(got.stdout, "shell-ran") || !strings.Contains(got.stderr, `shell commands are refused in production (environment "prod")`) {
		t.Errorf("\\! after \\c into production: stdout %q, stderr %q; want it refused", got.stdout, got.stderr)
	}
	if !strings.Contains(got.stderr, "read-only") {
		t.Errorf("stderr %q: want the CREATE TABLE refused as read-only", got.stderr)
	}
	conn, err := pgx.Connect(context.Background(), prod.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var made bool
	if err := conn.QueryRow(context.Background(), "select to_regclass('made_after_connect') is not null").Scan(&made); err != nil || made {
		t.Errorf("the table was created in production (%v)", err)
	}
	log, err := os.ReadFile(filepath.Join(state, "safesql", "audit.jsonl"))
	if err != nil {
		t.Fatalf("production's audit log: %v", err)
	}
	if !strings.Contains(string(log), "audited after connect") || !strings.Contains(string(log), `"production"`) {
		t.Errorf("audit log %q: want the statement run in production", log)
	}
	if strings.Contains(string(log), "before connect") {
		t.Errorf("audit log %q: development's statement is not production's to record", log)
	}
}

// A \connect that fails keeps the old connection and all of its rules: the
// shell development allows, and its writes.
func TestFailedConnectKeepsTheEnvironment(t *testing.T) {
	dev := pgtest.DB(t)
	prod := dev
	prod.DBName = "no_such_production_db"
	env := []string{"SAFESQL_CONFIG=" + demoLikeConfig(t, dev, prod), "XDG_STATE_HOME=" + t.TempDir()}
	term := startTerminal(t, env, "-X", "--plain", "dev")
	term.waitFor("DEV")
	term.send(`\c no_such_production_db` + "\r")
	term.waitFor("Previous connection kept")
	term.send(`\! echo shell-still-$((40+2))` + "\r")
	term.waitFor("shell-still-42")
	term.send("create table still_writable (x int);\r")
	term.waitFor("CREATE TABLE")
	term.send("\\q\r")
	_ = term.cmd.Wait()
}

// `safesql dev -d other` goes somewhere dev does not name: it is resolved
// again, and a target no environment names is an unknown server
// (production by default), whatever the name said.
func TestOverriddenAddressIsResolvedAgain(t *testing.T) {
	dev, prod := pgtest.DB(t), pgtest.Clone(t, pgtest.DB(t), "prod")
	env := []string{"SAFESQL_CONFIG=" + demoLikeConfig(t, dev, prod), "XDG_STATE_HOME=" + t.TempDir()}
	got := runProgram(t, binary, env, "", t.TempDir(), "dev", "-d", "postgres", "-c", `\! echo shell-ran`)
	if strings.Contains(got.stdout, "shell-ran") || !strings.Contains(got.stderr, "shell commands are refused in production") ||
		!strings.Contains(got.stderr, `environment "dev" (development) was asked for, but`) {
		t.Errorf("dev -d postgres: exit %d, stdout %q, stderr %q; want a warning and production's refusal", got.code, got.stdout, got.stderr)
	}
	got = runProgram(t, binary, env, "", t.TempDir(), "dev", "-d", prod.DBName, "-c", `\! echo shell-ran`)
	if strings.Contains(got.stdout, "shell-ran") || !strings.Contains(got.stderr, `shell commands are refused in production (environment "prod")`) {
		t.Errorf("dev -d <prod's database>: exit %d, stdout %q, stderr %q; want prod's refusal", got.code, got.stdout, got.stderr)
	}
	// Another user on dev's own address is still dev.
	got = runProgram(t, binary, env, "", t.TempDir(), "dev", "-U", dev.User, "-c", `\! echo shell-ran`)
	if got.code != 0 || got.stdout != "shell-ran\n" {
		t.Errorf("dev -U: exit %d, stdout %q, stderr %q; want dev's shell", got.code, got.stdout, got.stderr)
	}
}

// An environment written as `dsn = "dbname=app"` is the database app on
// libpq's default server; the caller's PGHOST and PGPORT do not make it
// match another server.
func TestPartialDSNIsNotMatchedThroughPGVariables(t *testing.T) {
	p := pgtest.DB(t)
	cfg := writeConfig(t, fmt.Sprintf("unknown_tier = \"production\"\n[envs.dev]\ndsn = \"dbname=%s\"\ntier = \"development\"\n", p.DBName))
	env := append(p.Env(), "SAFESQL_CONFIG="+cfg, "XDG_STATE_HOME="+t.TempDir())
	for _, args := range [][]string{{"-c", `\! echo shell-ran`}, {"dev", "-c", `\! echo shell-ran`}} {
		got := runProgram(t, binary, env, "", t.TempDir(), args...)
		if strings.Contains(got.stdout, "shell-ran") || !strings.Contains(got.stderr, "shell commands are refused in production") {
			t.Errorf("%q with PGHOST=%s: exit %d, stdout %q, stderr %q; want an unknown server's refusal", args, p.Host, got.code, got.stdout, got.stderr)
		}
	}
}

// Environments written as URIs with a socket directory (?host=, or
// percent-encoded) connect and match as libpq reads them.
func TestURIEnvironmentsWithSocketHosts(t *testing.T) {
	p, other := pgtest.DB(t), pgtest.Clone(t, pgtest.DB(t), "other")
	cfg := writeConfig(t, fmt.Sprintf(`
[envs.prod]
dsn = "postgresql://%s@%s:%d/%s"
tier = "production"

[envs.stage]
dsn = "postgres://%s@/%s?host=%s&port=%d"
tier = "staging"
`, p.User, url.PathEscape(p.Host), p.Port, p.DBName, p.User, other.DBName, p.Host, p.Port))
	env := []string{"SAFESQL_CONFIG=" + cfg, "XDG_STATE_HOME=" + t.TempDir()}
	got := runProgram(t, binary, env, "", t.TempDir(), "prod", "-Atc", "select current_database()")
	if got.code != 0 || got.stdout != p.DBName+"\n" {
		t.Errorf("safesql prod: exit %d, stdout %q, stderr %q", got.code, got.stdout, got.stderr)
	}
	port := fmt.Sprint(p.Port)
	got = runProgram(t, binary, env, "", t.TempDir(), "-h", p.Host, "-p", port, "-U", p.User, "-d", p.DBName, "-c", `\! echo shell-ran`)
	if strings.Contains(got.stdout, "shell-ran") || !strings.Contains(got.stderr, `refused in production (environment "prod")`) {
		t.Errorf("psql-style to prod's address: exit %d, stdout %q, stderr %q; want prod's refusal", got.code, got.stdout, got.stderr)
	}
	got = runProgram(t, binary, env, "", t.TempDir(), "-h", p.Host, "-p", port, "-U", p.User, "-d", other.DBName, "-c", `\! echo shell-ran`)
	if got.code != 0 || got.stdout != "shell-ran\n" {
		t.Errorf("psql-style to stage's address: exit %d, stdout %q, stderr %q; want staging's shell", got.code, got.stdout, got.stderr)
	}
}

// A reconnect enters the same environment again (its rules and its audit
// log); a \connect out of production closes production's log and lifts its
// rules.
func TestReconnectKeepsAndLeavingEndsProduction(t *testing.T) {
	dev, prod := pgtest.DB(t), pgtest.Clone(t, pgtest.DB(t), "live")
	state := t.TempDir()
	env := []string{"SAFESQL_CONFIG=" + demoLikeConfig(t, dev, prod), "XDG_STATE_HOME=" + state}
	term := startTerminal(t, env, "-X", "--plain", "prod")
	term.waitFor("PROD")
	term.send("select 'in production' as s;\r")
	term.waitFor("(1 row)")

	admin, err := pgx.Connect(context.Background(), dev.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(context.Background(), "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", prod.DBName); err != nil {
		t.Fatal(err)
	}
	term.send("select 1;\r")
	term.waitFor("connection")
	term.send("select 'after reconnect' as s;\r")
	term.waitFor("reconnected to " + prod.DBName)
	term.waitFor("after reconnect")
	term.send(`\! echo shell-$((1+1))` + "\r")
	term.waitFor(`shell commands are refused in production (environment "prod")`)

	term.send(`\c ` + dev.DBName + "\r")
	term.waitFor(`You are now connected to database "` + dev.DBName + `"`)
	term.send(`\! echo shell-$((2+2))` + "\r")
	term.waitFor("shell-4")
	term.send("select 'after leaving' as s;\r")
	term.waitFor("after leaving")
	term.send("\\q\r")
	_ = term.cmd.Wait()

	log, err := os.ReadFile(filepath.Join(state, "safesql", "audit.jsonl"))
	if err != nil {
		t.Fatalf("production's audit log: %v", err)
	}
	for _, want := range []string{"in production", "after reconnect"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("audit log %q: want %q", log, want)
		}
	}
	if strings.Contains(string(log), "after leaving") {
		t.Errorf("audit log %q: development's statement is not production's to record", log)
	}
}
