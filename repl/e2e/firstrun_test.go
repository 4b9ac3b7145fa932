package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// releaseBinary builds safesql as goreleaser builds a release: the
// version linked in with -X (.goreleaser.yaml and the Makefile's build
// use the same flag).
func releaseBinary(t *testing.T, version string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "safesql")
	build := exec.Command("go", "build", "-ldflags", "-X github.com/safesql/safesql/repl/app.Version="+version, "-o", bin, "github.com/safesql/safesql")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build safesql %s: %v\n%s", version, err, out)
	}
	return bin
}

// TestVersionOfARelease: --version prints psql's form and the banner the
// release number, in both front ends.
func TestVersionOfARelease(t *testing.T) {
	bin := releaseBinary(t, "0.3.0")
	r := runProgram(t, bin, nil, "", t.TempDir(), "--version")
	if r.stdout != "safesql (PostgreSQL-compatible) 0.3.0\n" || r.stderr != "" || r.code != 0 {
		t.Errorf("safesql --version: %q %q exit %d", r.stdout, r.stderr, r.code)
	}
	if r := runProgram(t, bin, nil, "", t.TempDir(), "-V"); r.stdout != "safesql (PostgreSQL-compatible) 0.3.0\n" {
		t.Errorf("safesql -V: %q", r.stdout)
	}

	p := pgtest.DB(t)
	prod := writeConfig(t, "unknown_tier = \"production\"\n")
	t.Run("plain", func(t *testing.T) {
		term := startTerminalWith(t, bin, append(p.Env(), "SAFESQL_CONFIG="+prod, "XDG_STATE_HOME="+t.TempDir()), "-X", "--plain")
		term.waitFor("safesql 0.3.0 (server ")
		term.waitFor("=#")
		term.send("\\q\r")
		_ = term.cmd.Wait()
	})
	t.Run("tui", func(t *testing.T) {
		s := startScreenWith(t, bin, 120, 35, append(p.Env(), tuiEnv(t, prod, "xterm-256color")...), "-X")
		got := s.waitFor("╰─ read-only")
		if !regexp.MustCompile(`(?m)^safesql 0\.3\.0 \(server 1\d\.\d+`).MatchString(got) {
			t.Errorf("the banner does not say safesql 0.3.0:\n%s", got)
		}
	})
}

// TestVersionOfABuildFromSource: a binary without a release number names
// the commit it was built from, or says it is a development build; never
// a bare word like "dev", which reads as an environment.
func TestVersionOfABuildFromSource(t *testing.T) {
	r := runProgram(t, binary, nil, "", t.TempDir(), "--version")
	want := `^safesql \(PostgreSQL-compatible\) (built from [0-9a-f]{7}(\+dirty)?|development build)\n$`
	if !regexp.MustCompile(want).MatchString(r.stdout) || r.code != 0 {
		t.Errorf("safesql --version: %q exit %d, want %s", r.stdout, r.code, want)
	}
	p := pgtest.DB(t)
	prod := writeConfig(t, "unknown_tier = \"production\"\n")
	s := startScreen(t, 120, 35, append(p.Env(), tuiEnv(t, prod, "xterm-256color")...), "-X")
	got := s.waitFor("╰─ read-only")
	banner := regexp.MustCompile(`(?m)^safesql \((built from [0-9a-f]{7}(\+dirty)?|development build)\) \(server 1\d\.\d+[^\n]*\)$`)
	if !banner.MatchString(got) {
		t.Errorf("the banner does not name a version:\n%s", got)
	}
}

// startTerminalWith is startTerminal for another build of safesql.
func startTerminalWith(t *testing.T, bin string, env []string, args ...string) *terminal {
	t.Helper()
	saved := binary
	binary = bin
	defer func() { binary = saved }()
	return startTerminal(t, env, args...)
}

// startScreenWith is startScreen for another build of safesql.
func startScreenWith(t *testing.T, bin string, w, h int, env []string, args ...string) *screen {
	t.Helper()
	saved := binary
	binary = bin
	defer func() { binary = saved }()
	return startScreen(t, w, h, env, args...)
}

// TestAWordThatNamesNoEnvironment: `safesql prod` where no environment is
// called prod says so, lists the known ones and their file, and only then
// what happened when prod was tried as a database name (psql's error and
// exit status 2).
func TestAWordThatNamesNoEnvironment(t *testing.T) {
	p := pgtest.DB(t)
	cfg := writeConfig(t, fmt.Sprintf(`
[envs.dev]
dsn = "host=%s port=%d user=%s dbname=%s"
tier = "development"

[envs.production]
dsn = "host=/nonexistent-dir port=5432 dbname=shop"
tier = "production"
`, p.Host, p.Port, p.User, p.DBName))
	// No system file (the base environment's makes unknown servers local).
	noSystem := "SAFESQL_SYSTEM_CONFIG=" + writeConfig(t, "")
	env := []string{"SAFESQL_CONFIG=" + cfg, noSystem, "PGHOST=/nonexistent-dir"}
	socketErr := "safesql: error: connection to server on socket \"/nonexistent-dir/.s.PGSQL.5432\" failed: No such file or directory\n" +
		"\tIs the server running locally and accepting connections on that socket?\n"

	got := runProgram(t, binary, env, "", t.TempDir(), "-X", "prod", "-c", "select 1")
	want := `safesql: no environment is named "prod" (did you mean "production"?); the known ones are dev, production, defined in ` + cfg + " (safesql envs lists them)\n" +
		"safesql: \"prod\" was then tried as a database name:\n" + socketErr
	if got.stderr != want || got.code != 2 {
		t.Errorf("safesql prod: exit %d, stderr\n%s\nwant exit 2 and\n%s", got.code, got.stderr, want)
	}

	// No config at all: where to write one.
	home := t.TempDir()
	got = runProgram(t, binary, []string{"SAFESQL_CONFIG=", noSystem, "HOME=" + home, "PGHOST=/nonexistent-dir"}, "", t.TempDir(), "-X", "prod", "-c", "select 1")
	want = `safesql: no environment is named "prod": none are defined (add them to ` + filepath.Join(home, ".config", "safesql", "config.toml") + ", or write a commented one with safesql envs --init)\n" +
		"safesql: \"prod\" was then tried as a database name:\n" + socketErr
	if got.stderr != want || got.code != 2 {
		t.Errorf("safesql prod without a config: exit %d, stderr\n%s\nwant exit 2 and\n%s", got.code, got.stderr, want)
	}

	// An environment that cannot be reached, and -d: psql's error alone.
	got = runProgram(t, binary, env, "", t.TempDir(), "-X", "production", "-c", "select 1")
	if got.stderr != socketErr || got.code != 2 {
		t.Errorf("safesql production (unreachable): exit %d, stderr %q; want 2 and %q", got.code, got.stderr, socketErr)
	}
	got = runProgram(t, binary, env, "", t.TempDir(), "-X", "-d", "prod", "-c", "select 1")
	if got.stderr != socketErr || got.code != 2 {
		t.Errorf("safesql -d prod: exit %d, stderr %q; want 2 and %q", got.code, got.stderr, socketErr)
	}
	// A word that is a database that can be connected to: no word of it.
	got = runProgram(t, binary, append(p.Env(), "SAFESQL_CONFIG="+cfg), "", t.TempDir(), "-X", p.DBName, "-Atc", "select 42")
	if got.stdout != "42\n" || got.stderr != "" || got.code != 0 {
		t.Errorf("safesql %s: exit %d, stdout %q, stderr %q", p.DBName, got.code, got.stdout, got.stderr)
	}
}

// firstRunHint is the line said once, on a terminal, when there is no
// config and every server is production.
func firstRunHint(configPath string) string {
	return `safesql: with no config, every server counts as production (read-only). For psql's behaviour on local ones, put unknown_tier = "local" in ` +
		configPath + `, or run safesql envs --init for a commented config; safesql envs shows what is configured.`
}

// noConfigEnv is a person's first run: no user config (HOME is new), no
// system file's environments, the test server's PG* variables.
func noConfigEnv(t *testing.T, p pgtest.Params, home string) []string {
	return append(p.Env(), "HOME="+home, "SAFESQL_CONFIG=", "SAFESQL_SYSTEM_CONFIG="+writeConfig(t, ""))
}

func TestFirstRunHintOnceOnATerminal(t *testing.T) {
	p := pgtest.DB(t)
	for _, mode := range []string{"plain", "tui"} {
		t.Run(mode, func(t *testing.T) {
			home := t.TempDir()
			hint := firstRunHint(filepath.Join(home, ".config", "safesql", "config.toml"))
			marker := filepath.Join(home, ".local", "state", "safesql", "first-run-seen")

			// A script first (standard input is not a terminal): no hint,
			// and nothing remembered, so the person still sees it later.
			got := runProgram(t, binary, noConfigEnv(t, p, home), "select 1 as one;\n", t.TempDir(), "-X", "-At")
			if got.stdout != "1\n" || got.stderr != "" || got.code != 0 {
				t.Errorf("script: exit %d, stdout %q, stderr %q; want 1 and no hint", got.code, got.stdout, got.stderr)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Errorf("a script left %s: the person would never see the hint", marker)
			}

			for run := 1; run <= 2; run++ {
				var screenText string
				if mode == "plain" {
					term := startTerminal(t, noConfigEnv(t, p, home), "-X", "--plain")
					term.waitFor("=#")
					term.send("\\q\r")
					_ = term.cmd.Wait()
					term.mu.Lock()
					screenText = strings.ReplaceAll(term.seen.String(), "\r\n", "\n")
					term.mu.Unlock()
				} else {
					s := startScreen(t, 120, 35, append(noConfigEnv(t, p, home), "TERM=xterm-256color"), "-X")
					s.waitFor("╰─ read-only")
					screenText = s.tmux("capture-pane", "-p", "-J", "-t", "0")
					s.line("\\q")
					s.waitExit(0)
				}
				if n := strings.Count(screenText, hint); run == 1 && n != 1 {
					t.Errorf("first run: the hint is shown %d times; want once, under the banner:\n%s", n, screenText)
				} else if run == 2 && strings.Contains(screenText, "with no config") {
					t.Errorf("second run: the hint is shown again:\n%s", screenText)
				}
				if run == 1 && !strings.Contains(screenText, "no configured environment: PRODUCTION tier. Type \"\\?\" for help, \"\\q\" to quit.\n"+hint+"\n") {
					t.Errorf("first run: the hint is not the line under the banner:\n%s", screenText)
				}
				if info, err := os.Stat(marker); err != nil || info.Mode().Perm() != 0o600 {
					t.Errorf("after run %d: marker %s: %v", run, marker, err)
				}
			}
		})
	}
}

func TestEnvsInitWritesACommentedConfig(t *testing.T) {
	p := pgtest.DB(t)
	home := t.TempDir()
	path := filepath.Join(home, ".config", "safesql", "config.toml")
	env := noConfigEnv(t, p, home)

	got := runProgram(t, binary, env, "", t.TempDir(), "envs", "--init")
	want := "Wrote a commented config to " + path + "\nEdit it, then run safesql envs to see what it defines.\n"
	if got.stdout != want || got.stderr != "" || got.code != 0 {
		t.Fatalf("safesql envs --init: exit %d, stdout %q, stderr %q; want %q", got.code, got.stdout, got.stderr, want)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the config %s: %v (want mode 0600)", path, err)
	}
	if dir, err := os.Stat(filepath.Dir(path)); err != nil || dir.Mode().Perm() != 0o700 {
		t.Errorf("its directory: %v (want mode 0700)", err)
	}
	content, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(content), "\n# unknown_tier = \"local\"\n") {
		t.Errorf("the config does not offer unknown_tier = \"local\" (commented):\n%s", content)
	}

	// It loads, defines nothing, and leaves unknown servers production.
	got = runProgram(t, binary, env, "", t.TempDir(), "envs")
	want = "No environments defined. Add them to " + path + " (or the file SAFESQL_CONFIG names).\nConnections that match no environment are treated as production.\n"
	if got.stdout != want || got.code != 0 {
		t.Errorf("safesql envs after --init: exit %d, stdout %q, stderr %q; want %q", got.code, got.stdout, got.stderr, want)
	}

	// Never over an existing file.
	if err := os.WriteFile(path, []byte("unknown_tier = \"staging\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got = runProgram(t, binary, env, "", t.TempDir(), "envs", "--init")
	want = "safesql envs --init: " + path + " already exists and was left as it is: edit it, or move it away and run safesql envs --init again\n"
	if got.stderr != want || got.stdout != "" || got.code != 1 {
		t.Errorf("safesql envs --init over a config: exit %d, stdout %q, stderr %q; want exit 1 and %q", got.code, got.stdout, got.stderr, want)
	}
	if content, _ := os.ReadFile(path); string(content) != "unknown_tier = \"staging\"\n" {
		t.Errorf("the existing config was changed: %q", content)
	}

	// With a config of one's own, no first-run hint.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if got := runProgram(t, binary, env, "", t.TempDir(), "envs", "--init"); got.code != 0 {
		t.Fatalf("safesql envs --init again: %+v", got)
	}
	term := startTerminal(t, env, "-X", "--plain")
	term.waitFor("=#")
	term.send("\\q\r")
	_ = term.cmd.Wait()
	term.mu.Lock()
	defer term.mu.Unlock()
	if strings.Contains(term.seen.String(), "with no config") {
		t.Errorf("the first-run hint is shown with a config:\n%s", term.seen.String())
	}
}

// TestDemoSandboxIsEachPersons: without SAFESQL_DEMO_DIR, the sandbox is
// the user's own: as root, keyed by who became root (sudo), so one
// person's `safesql demo --stop` never stops another's.
func TestDemoSandboxIsEachPersons(t *testing.T) {
	home := t.TempDir()
	want := func(person string) string {
		if os.Geteuid() == 0 {
			return "/var/cache/safesql/demo-" + person
		}
		return filepath.Join(home, ".cache", "safesql", "demo")
	}
	for _, person := range []string{"e2e-alice", "e2e-bob"} {
		got := runProgram(t, binary, []string{"HOME=" + home, "SUDO_USER=" + person, "SAFESQL_DEMO_DIR=", "XDG_CACHE_HOME="}, "", t.TempDir(), "demo", "--stop")
		if w := "safesql demo: not running (no sandbox in " + want(person) + ")\n"; got.stderr != w || got.code != 0 {
			t.Errorf("%s: safesql demo --stop: exit %d, stderr %q; want 0 and %q", person, got.code, got.stderr, w)
		}
	}
}

// TestALongScriptsPlanIsASummary: a script of 10,000 INSERTs and a DELETE
// in production plans as two summary lines and the DELETE in full, not
// 10,000 lines; --plan-verbose lists every change.
func TestALongScriptsPlanIsASummary(t *testing.T) {
	conn, env := safetyDB(t)
	if _, err := conn.Exec(context.Background(), "CREATE TABLE w (id int, note text)"); err != nil {
		t.Fatal(err)
	}
	var script strings.Builder
	for i := 1; i <= 10_000; i++ {
		fmt.Fprintf(&script, "insert into w values (%d, 'row %d');\n", i, i)
	}
	script.WriteString("delete from w\n  where note like 'row%'\n     or true;\n")
	file := filepath.Join(t.TempDir(), "load.sql")
	if err := os.WriteFile(file, []byte(script.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	got := runProgram(t, binary, env, "", t.TempDir(), "-X", "prod", "-f", file)
	want := "safesql: plan for prod (production): 10,001 statements: 0 read, 10,000 write, 1 destructive\n" +
		"  10,000 writes: INSERT into public.w\n" +
		"  1 destructive: DELETE from public.w\n" +
		"  " + file + ":10001: destructive: delete from w\n" +
		"    |   where note like 'row%'\n" +
		"    |      or true;\n" +
		"      DELETE with a WHERE that is always true removes every row of w\n" +
		"safesql: refused: prod (production) is read-only and this input writes (10,001 statements; the first at " + file + ":1: INSERT would write public.w); run with --write to allow writes\n" +
		"safesql: refused: 1 statement is destructive in prod (production) and there is no terminal to confirm on; give --confirm production\n"
	if got.stderr != want || got.code != 3 {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 3 and:\n%s", got.code, got.stderr, want)
	}

	got = runProgram(t, binary, env, "", t.TempDir(), "-X", "prod", "--plan-verbose", "-f", file)
	lines := strings.Split(strings.TrimSuffix(got.stderr, "\n"), "\n")
	if got.code != 3 || len(lines) != 1+2+10_000+3+1+2 {
		t.Fatalf("--plan-verbose: exit %d, %d lines of stderr; want 3 and the summary, every change and the refusals:\n%s", got.code, len(lines), strings.Join(lines[:min(len(lines), 8)], "\n"))
	}
	for i, want := range map[int]string{
		1:      "  10,000 writes: INSERT into public.w",
		3:      "  " + file + ":1: write: insert into w values (1, 'row 1');",
		10_002: "  " + file + ":10000: write: insert into w values (10000, 'row 10000');",
		10_003: "  " + file + ":10001: destructive: delete from w",
	} {
		if lines[i] != want {
			t.Errorf("--plan-verbose line %d: %q, want %q", i+1, lines[i], want)
		}
	}
}
