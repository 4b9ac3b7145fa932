package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// safetyDB is a database with customers and cascading orders, and a
// config naming it as production (prod) and as staging (stage).
func safetyDB(t *testing.T) (*pgx.Conn, []string) {
	conn, _, env := safetyDBs(t)
	return conn, env
}

// safetyDBs also returns a connection to the staging database (a copy).
func safetyDBs(t *testing.T) (prod, stage *pgx.Conn, env []string) {
	t.Helper()
	conn, p := pgtest.Conn(t)
	_, err := conn.Exec(context.Background(), `
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers ON DELETE CASCADE);
INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 10) g;
INSERT INTO orders (customer_id) SELECT 1 + g % 10 FROM generate_series(1, 100) g;`)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close(context.Background()) // a template must have no sessions
	sp := pgtest.Clone(t, p, "stage")
	if conn, err = pgx.Connect(context.Background(), p.ConnString()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	stage, err = pgx.Connect(context.Background(), sp.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stage.Close(context.Background()) })
	dsn := fmt.Sprintf("host=%s port=%d user=%s dbname=%s", p.Host, p.Port, p.User, p.DBName)
	stageDSN := fmt.Sprintf("host=%s port=%d user=%s dbname=%s", sp.Host, sp.Port, sp.User, sp.DBName)
	cfg := writeConfig(t, fmt.Sprintf(`
[envs.prod]
dsn = %q
tier = "production"
audit = { enabled = true, path = %q }

[envs.stage]
dsn = %q
tier = "staging"
`, dsn, t.TempDir()+"/audit.jsonl", stageDSN))
	return conn, stage, []string{"SAFESQL_CONFIG=" + cfg}
}

func count(t *testing.T, conn *pgx.Conn, table string) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNonInteractiveProductionRules(t *testing.T) {
	conn, stage, env := safetyDBs(t)
	tests := []struct {
		name      string
		args      []string
		stdin     string
		code      int
		stdout    string
		stderr    []string // each must appear
		customers int      // committed afterwards (in prod)
		staged    int      // committed afterwards in staging; 0: not checked
	}{
		{
			name: "a read prints exactly what psql prints",
			args: []string{"prod", "-c", "select count(*) from customers"},
			code: 0, stdout: " count \n-------\n    10\n(1 row)\n\n", customers: 10,
		},
		{
			name:  "a write is refused before anything runs",
			args:  []string{"prod"},
			stdin: "select 1;\ninsert into customers values (11, 'x');\n",
			code:  3,
			stderr: []string{
				"safesql: plan for prod (production): 2 statements: 1 read, 1 write, 0 destructive\n",
				"  line 2: write: insert into customers values (11, 'x');\n",
				"safesql: refused: prod (production) is read-only and this input writes (1 statement; the first at line 2: INSERT would write public.customers); run with --write to allow writes\n",
			},
			customers: 10,
		},
		{
			name:  "a large object import is a write, refused before anything runs",
			args:  []string{"prod"},
			stdin: "select 1;\n\\lo_import /etc/hostname\n",
			code:  3,
			stderr: []string{
				"  line 2: write: \\lo_import /etc/hostname\n",
				"the first at line 2: \\lo_import would write the database); run with --write to allow writes\n",
			},
			customers: 10,
		},
		{
			name:  "statements \\gexec generates meet the rules as they run",
			args:  []string{"prod", "--write"},
			stdin: "select 'delete from customers' \\gexec\n",
			code:  3,
			stderr: []string{
				"DELETE would remove 10 rows of public.customers",
				"give --confirm production\n",
			},
			customers: 10,
		},
		{
			name:      "a destructive statement needs --confirm",
			args:      []string{"prod", "--write", "-c", "delete from customers"},
			code:      3,
			stderr:    []string{"destructive: delete from customers", "give --confirm production\n"},
			customers: 10,
		},
		{
			name:      "the wrong word is refused",
			args:      []string{"prod", "--write", "--confirm", "yes", "-c", "delete from customers"},
			code:      3,
			stderr:    []string{`--confirm "yes" is not the word for prod (production); give --confirm production`},
			customers: 10,
		},
		{
			name:      "without --commit the run is rolled back and says so",
			args:      []string{"prod", "--write", "--confirm", "production", "-c", "delete from customers where id = 1"},
			code:      3,
			stdout:    "DELETE 1\n",
			stderr:    []string{"DELETE would remove 1 row of public.customers", "cascades: public.orders 10 deleted", "safesql: rolled back: the run's transaction (1 statement, public.customers, public.orders changed) was not committed; give --commit to commit it\n"},
			customers: 10,
		},
		{
			name:      "with --commit it commits",
			args:      []string{"prod", "--write", "--confirm", "production", "--commit", "-c", "delete from customers where id = 1"},
			code:      0,
			stdout:    "DELETE 1\n",
			stderr:    []string{"DELETE would remove 1 row of public.customers"},
			customers: 9,
		},
		{
			name:      "staging asks yes or no: any --confirm answers it",
			args:      []string{"stage", "--confirm", "yes", "--commit", "-c", "delete from customers where id = 2"},
			code:      0,
			stdout:    "DELETE 1\n",
			stderr:    []string{"DELETE would remove 1 row of public.customers"},
			customers: 9, staged: 9,
		},
		{
			name:      "-1 commits nothing when a statement failed, even with --commit",
			args:      []string{"prod", "--write", "--commit", "-1"},
			stdin:     "insert into customers values (30, 'a');\ninsert into customers values (2, 'duplicate');\n",
			code:      0,
			stdout:    "INSERT 0 1\n",
			stderr:    []string{"duplicate key value violates unique constraint", "safesql: rolled back: the run's transaction"},
			customers: 9,
		},
		{
			name:      "an explicit COMMIT in production needs --commit",
			args:      []string{"prod", "--write"},
			stdin:     "begin;\ninsert into customers values (20, 'x');\ncommit;\n",
			code:      3,
			stderr:    []string{"the input commits (at line 3) in prod (production) and there is no terminal to review the commit on; give --commit\n"},
			customers: 9,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runProgram(t, binary, env, tt.stdin, t.TempDir(), tt.args...)
			if got.code != tt.code {
				t.Errorf("exit %d, want %d\nstdout %q\nstderr %q", got.code, tt.code, got.stdout, got.stderr)
			}
			if got.stdout != tt.stdout {
				t.Errorf("stdout %q, want %q", got.stdout, tt.stdout)
			}
			if len(tt.stderr) == 0 && got.stderr != "" {
				t.Errorf("stderr %q, want nothing", got.stderr)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(got.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, got.stderr)
				}
			}
			if n := count(t, conn, "customers"); n != tt.customers {
				t.Errorf("%d customers committed, want %d", n, tt.customers)
			}
			if n := count(t, stage, "customers"); tt.staged != 0 && n != tt.staged {
				t.Errorf("%d customers committed in staging, want %d", n, tt.staged)
			}
		})
	}
}

// A signal that ends the run (SIGHUP when the SSH connection drops,
// SIGTERM) rolls back: nothing is committed, even with --commit.
func TestSignalLeavesNothingCommitted(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			conn, env := safetyDB(t)
			cmd := exec.Command(binary, "prod", "--write", "--commit", "-c", "insert into customers values (11, 'x')", "-c", "select pg_sleep(30)")
			cmd.Env = append(baseEnv(), env...)
			cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			deadline := time.Now().Add(20 * time.Second)
			for {
				var n int
				err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid() AND state = 'active'").Scan(&n)
				if err != nil {
					t.Fatal(err)
				}
				if n > 0 {
					break
				}
				if time.Now().After(deadline) {
					_ = cmd.Process.Kill()
					t.Fatal("safesql never reached the sleep")
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-done:
				// a killed client's status, as the shell reports psql's
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() != 128+int(sig) {
					t.Errorf("exit %v after %v, want status %d", err, sig, 128+int(sig))
				}
			case <-time.After(20 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("safesql did not exit after the signal")
			}
			if n := count(t, conn, "customers"); n != 10 {
				t.Fatalf("%d customers after %v, want 10 (nothing committed)", n, sig)
			}
			if !strings.Contains(stderr.String(), "safesql: rolled back: the run's transaction (1 statement, public.customers changed) was not committed") {
				t.Errorf("stderr after %v does not say the transaction was rolled back:\n%s", sig, stderr.String())
			}
		})
	}
}

// A connection no environment matches is production: read-only, with an
// implicit transaction. Scripts that only read must still print exactly
// what psql prints: errors, savepoints, a BEGIN after reads, variables.
func TestReadOnlyProductionSameAsPsql(t *testing.T) {
	psql := pgtest.Psql(t)
	conn, params := pgtest.Conn(t)
	if _, err := conn.Exec(context.Background(), schema); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, "unknown_tier = \"production\"\n")
	env := append(params.Env(), "SAFESQL_CONFIG="+cfg, "SAFESQL_SYSTEM_CONFIG="+cfg)
	script := `select 1 as a;
select nosuch;
select 2 as b;
begin;
select count(*) from items;
commit;
rollback;
\set x 5
\echo :x
select :x + 1 as v \gset
\echo :v :ROW_COUNT
select 1/0;
\echo :SQLSTATE :LAST_ERROR_MESSAGE
show transaction_isolation;
select id, name from items order by id;
`
	cases := []psqlCase{
		{name: "select", args: []string{"-c", "select 1"}},
		{name: "two statements in one -c", args: []string{"-c", "select 1 as a; select 'x' as b"}},
		{name: "error in -c", args: []string{"-c", "select nosuch"}},
		{name: "script with errors, BEGIN after reads, variables", stdin: script},
		{name: "the same as a file", args: []string{"-f", "s.sql"}, files: map[string]string{"s.sql": script}},
		{name: "ON_ERROR_STOP", args: []string{"-v", "ON_ERROR_STOP=1", "-f", "s.sql"}, files: map[string]string{"s.sql": script}},
		{name: "describe", args: []string{"-c", `\d items`}},
		{name: "expanded", args: []string{"-x", "-c", "select * from items order by id"}},
		{name: "copy to stdout", args: []string{"-c", "copy (select id, name from items order by id) to stdout"}},
		{name: "backslash copy to stdout", args: []string{"-c", `\copy items (id, name) to stdout`}},
		{name: "set and show", stdin: "set search_path = public;\nshow search_path;\nselect current_setting('search_path');\n"},
		{name: "single transaction", args: []string{"-1", "-f", "s.sql"}, files: map[string]string{"s.sql": "select 1;\nselect 2;\n"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			compareWithPsql(t, tc, psql, params.Env(), env)
		})
	}
}

// A script with a terminal behind it asks there (as sudo does): the
// question goes to /dev/tty and the answer comes from it, while the SQL
// comes from a pipe.
func TestScriptAsksOnTheTerminal(t *testing.T) {
	type step struct{ question, answer string }
	for _, tc := range []struct {
		name      string
		commit    bool // --commit
		steps     []step
		code      int
		customers int
	}{
		{"wrong word", true, []step{{"Type production to run it", "prod"}}, 3, 10},
		{"the word, --commit", true, []step{{"Type production to run it", "production"}}, 0, 9},
		// Without --commit, the run ends with the commit review on the
		// terminal: the word commits, anything else rolls back.
		{"commit review, the word", false, []step{{"Type production to run it", "production"}, {"COMMIT in prod", "production"}}, 0, 9},
		{"commit review declined", false, []step{{"Type production to run it", "production"}, {"COMMIT in prod", "no"}}, 3, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, env := safetyDB(t)
			args := []string{"prod", "--write"}
			if tc.commit {
				args = append(args, "--commit")
			}
			cmd := exec.Command(binary, args...)
			cmd.Env = append(baseEnv(), env...)
			cmd.Stdin = strings.NewReader("delete from customers where id = 1;\n")
			var out strings.Builder
			cmd.Stdout = &out
			screen, answer := onTerminal(t, cmd)
			for _, st := range tc.steps {
				answer(st.question, st.answer)
			}
			if !strings.Contains(screen(), "DELETE would remove 1 row of public.customers") {
				t.Errorf("the terminal does not show the dry run:\n%s", screen())
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("safesql did not finish")
			}
			if code := cmd.ProcessState.ExitCode(); code != tc.code {
				t.Errorf("exit %d, want %d; stdout %q", code, tc.code, out.String())
			}
			if n := count(t, conn, "customers"); n != tc.customers {
				t.Errorf("%d customers, want %d", n, tc.customers)
			}
		})
	}
}

// The files \i and \ir bring in are planned with the whole input: a
// destructive statement two files down is refused before the first
// statement runs.
func TestIncludedFilesArePlannedFirst(t *testing.T) {
	conn, _, env := safetyDBs(t)
	dir := t.TempDir()
	files := map[string]string{
		"top.sql":       "insert into customers values (40, 'early');\n\\i inc/outer.sql\n",
		"inc/outer.sql": "select 1;\n\\ir inner.sql\n",
		"inc/inner.sql": "delete from customers;\n",
	}
	if err := os.MkdirAll(filepath.Join(dir, "inc"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := runProgram(t, binary, env, "", dir, "prod", "--write", "--commit", "-f", "top.sql")
	if got.code != 3 || got.stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 3 and nothing run\nstderr %s", got.code, got.stdout, got.stderr)
	}
	for _, want := range []string{"inc/inner.sql:1: destructive: delete from customers;", "give --confirm production"} {
		if !strings.Contains(got.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, got.stderr)
		}
	}
	var n int
	if err := conn.QueryRow(context.Background(), "select count(*) from customers where id = 40").Scan(&n); err != nil || n != 0 {
		t.Errorf("the first statement ran (%d rows, %v)", n, err)
	}
	// With the word, the plan is shown once (not again at \i) and all runs.
	got = runProgram(t, binary, env, "", dir, "prod", "--write", "--confirm", "production", "-f", "top.sql")
	if c := strings.Count(got.stderr, "safesql: plan for prod"); c != 1 {
		t.Errorf("the plan was shown %d times:\n%s", c, got.stderr)
	}
	if !strings.Contains(got.stdout, "DELETE 11") {
		t.Errorf("the included DELETE did not run:\n%s\n%s", got.stdout, got.stderr)
	}
}
