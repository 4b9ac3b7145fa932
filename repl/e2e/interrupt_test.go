package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
	"github.com/safesql/safesql/repl/internal/termtest"
)

// Ctrl-C (SIGINT) while a script's statement runs: the statement is
// cancelled, "Cancel request sent" is said, the script stops, exit 3;
// the same output as psql's.
func TestScriptInterruptSameAsPsql(t *testing.T) {
	psql := pgtest.Psql(t)
	params := pgtest.DB(t)
	psqlDB, safesqlDB := pgtest.Clone(t, params, "psql"), pgtest.Clone(t, params, "safesql")
	admin, err := pgx.Connect(context.Background(), params.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	run := func(prog string, db pgtest.Params) result {
		dir := t.TempDir()
		script := "select 1 as before;\nselect pg_sleep(30);\nselect 2 as after;\n"
		if err := os.WriteFile(filepath.Join(dir, "s.sql"), []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(prog, "-X", "-f", "s.sql")
		cmd.Env = append(baseEnv(), db.Env()...)
		cmd.Dir = dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Signal once the sleep is at the server.
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			var n int
			if err := admin.QueryRow(context.Background(), "select count(*) from pg_stat_activity where datname = $1 and query like 'select pg_sleep(30)%' and state = 'active'", db.DBName).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		code := interruptAndWait(t, cmd)
		return result{stdout: out.String(), stderr: errb.String(), code: code}
	}
	sameAsPsql(t, run(psql, psqlDB), run(binary, safesqlDB), nil)
}

// Ctrl-C during \watch ends the watch, not the script: what follows
// runs and the exit code is 0, as in psql.
func TestInterruptEndsWatchOnly(t *testing.T) {
	psql := pgtest.Psql(t)
	params := pgtest.DB(t)
	run := func(prog string) result {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "w.sql"), []byte("select 1 as a \\watch 0.2\n\\echo after\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(prog, "-X", "-f", "w.sql")
		cmd.Env = append(baseEnv(), params.Env()...)
		cmd.Dir = dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		var out termtest.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(out.String(), "(1 row)") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		code := interruptAndWait(t, cmd)
		return result{stdout: out.String(), code: code}
	}
	for _, prog := range []string{psql, binary} {
		got := run(prog)
		// The signal lands in the watch's sleep (then psql's blank line
		// ends it) or, rarely, in its query: either way the script goes on.
		if got.code != 0 || !strings.Contains(got.stdout, "(1 row)\n\n") || !strings.HasSuffix(got.stdout, "\nafter\n") {
			t.Errorf("%s: exit %d, output ends %q; want 0 and the watch's end, then after", filepath.Base(prog), got.code, tail(got.stdout, 40))
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// interruptAndWait sends SIGINT to cmd and returns its exit code.
func interruptAndWait(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	_ = cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return exit.ExitCode()
	}
	return 0
}
