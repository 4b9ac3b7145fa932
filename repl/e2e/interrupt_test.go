package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
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
		_ = cmd.Process.Signal(os.Interrupt)
		code := 0
		if err := cmd.Wait(); err != nil {
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatal(err)
			}
			code = exit.ExitCode()
		}
		return result{stdout: out.String(), stderr: errb.String(), code: code}
	}
	sameAsPsql(t, run(psql, psqlDB), run(binary, safesqlDB), nil)
}
