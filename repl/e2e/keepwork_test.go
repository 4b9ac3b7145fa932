package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// keepWorkDB is a database named prod (production) in a config that
// also names another database dev (development); each holds items, ten
// rows with v = 0, and audit_log, five rows. admin and devAdmin are
// connections of the test's own that read what each server holds.
func keepWorkDB(t *testing.T) (admin, devAdmin *pgx.Conn, cfg string) {
	t.Helper()
	conn, p := pgtest.Conn(t)
	if _, err := conn.Exec(context.Background(), `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL DEFAULT 0);
INSERT INTO items SELECT g FROM generate_series(1, 10) g;
CREATE TABLE audit_log (id int);
INSERT INTO audit_log SELECT generate_series(1, 5);`); err != nil {
		t.Fatal(err)
	}
	conn.Close(context.Background()) // a template must have no sessions
	dp := pgtest.Clone(t, p, "dev")
	connect := func(p pgtest.Params) (*pgx.Conn, string) {
		c, err := pgx.Connect(context.Background(), p.ConnString())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c, fmt.Sprintf("host=%s port=%d user=%s dbname=%s", p.Host, p.Port, p.User, p.DBName)
	}
	admin, dsn := connect(p)
	devAdmin, devDSN := connect(dp)
	cfg = writeConfig(t, fmt.Sprintf(`
[envs.prod]
dsn = %q
tier = "production"
label = "PROD"

[envs.dev]
dsn = %q
tier = "development"
`, dsn, devDSN))
	return admin, devAdmin, cfg
}

// waitLine waits until a line of the pane is exactly want.
func (s *screen) waitLine(want string) {
	s.t.Helper()
	s.waitUntil(fmt.Sprintf("a line %q", want), func(screen string) bool {
		for _, l := range strings.Split(screen, "\n") {
			if strings.TrimRight(l, " ") == want {
				return true
			}
		}
		return false
	})
}

// joined is the pane with wrapped lines joined: what a person reads,
// whatever the width.
func (s *screen) joined() string { return s.tmux("capture-pane", "-p", "-J", "-t", "0") }

// waitJoined waits until the pane, wrapped lines joined, shows want.
func (s *screen) waitJoined(want string) string {
	s.t.Helper()
	return s.waitRead(want, s.joined)
}

// scalar reads one integer from the server.
func scalar(t *testing.T, conn *pgx.Conn, query string) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// waitActive waits until a statement containing marker runs at the
// server, so that a Ctrl-C lands on it.
func waitActive(t *testing.T, admin *pgx.Conn, marker string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if scalar(t, admin, fmt.Sprintf("select count(*) from pg_stat_activity where query like '%%%s%%' and state = 'active' and pid <> pg_backend_pid()", marker)) > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never ran at the server", marker)
}

// frontEnds are the TUI and --plain, each at its own width.
var frontEnds = []struct {
	name  string
	w, h  int
	extra []string
}{
	{"tui-120", 120, 35, nil},
	{"plain-80", 80, 24, []string{"--plain"}},
}

// TestKeepWorkCtrlCUndoesOnlyTheStatement: an UPDATE confirmed earlier in
// a production transaction survives a Ctrl-C on a later statement (the
// cancelled statement alone is undone, as psql's ON_ERROR_ROLLBACK=
// interactive does); COMMIT then commits it.
func TestKeepWorkCtrlCUndoesOnlyTheStatement(t *testing.T) {
	for _, fe := range frontEnds {
		t.Run(fe.name, func(t *testing.T) {
			admin, _, cfg := keepWorkDB(t)
			s := startScreen(t, fe.w, fe.h, tuiEnv(t, cfg, "xterm-256color"), append([]string{"-X", "prod"}, fe.extra...)...)
			s.waitFor("=#")
			s.line(`\write`)
			s.waitFor("Type production")
			s.line("production")
			s.waitFor("WRITE")
			s.line("update items set v = 7 where id = 3;")
			s.waitFor("Type production to run it")
			s.line("production")
			s.waitFor("UPDATE 1")
			s.line("select pg_sleep(31);")
			waitActive(t, admin, "pg_sleep(31)")
			s.key("C-c")
			got := s.waitJoined("the transaction is still open, with its earlier changes (1 statement, public.items changed); only the failed statement was undone")
			if strings.Contains(got, "FAILED") {
				t.Errorf("the transaction failed with the cancelled statement:\n%s", got)
			}
			// an error is a failed statement too: undone alone
			s.line("select 1/0;")
			s.waitFor("division by zero")
			s.waitUntil("the second undo", func(string) bool {
				return strings.Count(s.joined(), "only the failed statement was undone") == 2
			})
			s.line("select v as seen from items where id = 3;")
			got = s.waitFor("(1 row)")
			if !strings.Contains(got, "    7\n") {
				t.Errorf("the UPDATE is lost after Ctrl-C:\n%s", got)
			}
			if n := scalar(t, admin, "select v from items where id = 3"); n != 0 {
				t.Fatalf("the server committed before COMMIT: v = %d", n)
			}
			s.line("commit;")
			s.waitFor("Type production to commit")
			s.line("production")
			s.waitLine("COMMIT")
			if n := scalar(t, admin, "select v from items where id = 3"); n != 7 {
				t.Errorf("after COMMIT the server holds v = %d, want 7", n)
			}
			s.line(`\q`)
			s.waitExit(0)
		})
	}
}

// TestKeepWorkCancelledFirstReadLeavesNoTransaction: a read cancelled
// with Ctrl-C as the first statement leaves no transaction to roll back:
// the prompt has no * or !, and the server holds no transaction.
func TestKeepWorkCancelledFirstReadLeavesNoTransaction(t *testing.T) {
	for _, fe := range frontEnds {
		t.Run(fe.name, func(t *testing.T) {
			admin, _, cfg := keepWorkDB(t)
			s := startScreen(t, fe.w, fe.h, tuiEnv(t, cfg, "xterm-256color"), append([]string{"-X", "prod"}, fe.extra...)...)
			s.waitFor("=#")
			s.line("select pg_sleep(32);")
			waitActive(t, admin, "pg_sleep(32)")
			s.key("C-c")
			s.waitFor("canceling statement due to user request")
			// the prompt after the error (plain) or the status line (TUI)
			s.waitUntil("the prompt after the cancel", func(screen string) bool {
				return strings.Contains(screen, "no transaction") || strings.HasSuffix(strings.TrimRight(screen, " \n"), "#")
			})
			got := s.text()
			if strings.Contains(got, "=!#") || strings.Contains(got, "FAILED") || strings.Contains(got, "=*#") {
				t.Errorf("the cancelled read left a transaction:\n%s", got)
			}
			if n := scalar(t, admin, "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'"); n != 0 {
				t.Errorf("the server holds %d transactions after the cancelled read", n)
			}
			s.line(`\q`)
			s.waitExit(0)
		})
	}
}

var lastTime = regexp.MustCompile(`last ([0-9.]+) (µs|ms|s|m)\b`)

// TestKeepWorkLastIsTheStatementsOwnTime: the status line's "last" is the
// statement's own time, not the seconds spent reading the confirmation
// and typing the word.
func TestKeepWorkLastIsTheStatementsOwnTime(t *testing.T) {
	for _, w := range []int{120, 80} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			admin, _, cfg := keepWorkDB(t)
			s := startScreen(t, w, 30, tuiEnv(t, cfg, "xterm-256color"), "-X", "prod")
			s.waitFor("╰─ read-only")
			s.line(`\write`)
			s.waitFor("Type production")
			s.line("production")
			s.waitFor("WRITE")
			s.line("update items set v = 5 where id = 2;")
			s.waitFor("Type production to run it")
			// a person reads the confirmation before typing the word
			time.Sleep(2500 * time.Millisecond)
			s.line("production")
			s.waitFor("UPDATE 1")
			got := s.waitFor("tx open")
			m := lastTime.FindStringSubmatch(got)
			if m == nil {
				t.Fatalf("no last statement's time on the status line:\n%s", got)
			}
			if m[2] == "s" || m[2] == "m" {
				t.Errorf("the status line says %q: the time spent confirming is counted as the statement's:\n%s", m[0], got)
			}
			if n := scalar(t, admin, "select v from items where id = 2"); n != 0 {
				t.Errorf("the server holds v = %d before any COMMIT", n)
			}
			s.line(`\q`)
			s.waitFor("ommit or rollback")
			s.key("Enter")
			s.waitExit(0)
		})
	}
}

// TestKeepWorkReadHoldsNoTransaction: a read in production ends its
// read-only transaction in its own round trip: the prompt shows no *,
// the status line says no transaction, and the server holds neither a
// transaction nor the read's lock on the table (a migration's ALTER
// TABLE would queue behind it). After a write, a transaction is open
// and the * says so, as psql's %x does.
func TestKeepWorkReadHoldsNoTransaction(t *testing.T) {
	for _, fe := range frontEnds {
		t.Run(fe.name, func(t *testing.T) {
			admin, _, cfg := keepWorkDB(t)
			s := startScreen(t, fe.w, fe.h, tuiEnv(t, cfg, "xterm-256color"), append([]string{"-X", "prod"}, fe.extra...)...)
			s.waitFor("=#")
			s.line("select count(*) as n from items;")
			s.waitFor("(1 row)")
			s.waitUntil("the prompt after the read", func(screen string) bool {
				return strings.Contains(screen, "no transaction") || strings.HasSuffix(strings.TrimRight(screen, " \n"), "#")
			})
			got := s.text()
			if strings.Contains(got, "=*#") || strings.Contains(got, "tx open") {
				t.Errorf("a read left a transaction open at the prompt:\n%s", got)
			}
			if n := scalar(t, admin, "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'"); n != 0 {
				t.Errorf("the server holds %d transactions after a read", n)
			}
			if n := scalar(t, admin, "select count(*) from pg_locks where relation = 'items'::regclass and pid <> pg_backend_pid()"); n != 0 {
				t.Errorf("the session still holds %d locks on items after its read", n)
			}
			s.line(`\write`)
			s.waitFor("Type production")
			s.line("production")
			s.waitFor("WRITE")
			s.line("insert into items values (11);")
			s.waitFor("INSERT 0 1")
			s.line("select count(*) as n from items;")
			s.waitLine(" 11")
			s.waitFor("=*#")
			if n := scalar(t, admin, "select count(*) from items"); n != 10 {
				t.Errorf("the INSERT was committed without COMMIT: %d rows", n)
			}
			s.line(`\q`)
			s.waitFor("ommit or rollback")
			s.key("Enter")
			s.waitExit(0)
			if n := scalar(t, admin, "select count(*) from items"); n != 10 {
				t.Errorf("%d rows after leaving with rollback, want 10", n)
			}
		})
	}
}

// waitGone waits until the server has ended every session of safesql's
// on admin's database.
func waitGone(t *testing.T, admin *pgx.Conn) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if scalar(t, admin, "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()") == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the server did not end the session")
}

// TestKeepWorkServerEndsTheSession: when the server ends the session, the
// person is told the server's reason, and a COMMIT is not offered for a
// transaction the server already rolled back.
func TestKeepWorkServerEndsTheSession(t *testing.T) {
	for _, fe := range frontEnds {
		t.Run(fe.name, func(t *testing.T) {
			admin, _, cfg := keepWorkDB(t)
			s := startScreen(t, fe.w, fe.h, tuiEnv(t, cfg, "xterm-256color"), append([]string{"-X", "prod"}, fe.extra...)...)
			s.waitFor("=#")
			s.line(`\write`)
			s.waitFor("Type production")
			s.line("production")
			s.waitFor("WRITE")
			s.line("update items set v = 9 where id = 4;")
			s.waitFor("Type production to run it")
			s.line("production")
			s.waitFor("UPDATE 1")
			s.line("set idle_in_transaction_session_timeout = '1s';")
			s.waitLine("SET")
			if strings.Contains(s.joined(), "classed as a read but wrote") {
				t.Errorf("the SET after the confirmed UPDATE is said to have written:\n%s", s.joined())
			}
			waitGone(t, admin)
			s.line("commit;")
			got := s.waitJoined("nothing to commit: the server ended the session (terminating connection due to idle-in-transaction timeout), and the open transaction (2 statements, public.items changed) is gone: rolled back by the server, nothing of it was committed")
			if strings.Contains(got, "to commit (anything else") || strings.Contains(got, "terminated abnormally") {
				t.Errorf("the review offered to commit a transaction the server had ended, or no reason:\n%s", got)
			}
			if n := scalar(t, admin, "select v from items where id = 4"); n != 0 {
				t.Fatalf("the server holds v = %d, want 0", n)
			}
			// the next statement reconnects; an ordinary statement on a
			// session the server ended says the server's reason too
			s.line("select v as after from items where id = 4;")
			s.waitJoined("reconnected to ")
			got = s.waitFor("(1 row)")
			if !strings.Contains(got, " after\n") {
				t.Errorf("no result after reconnecting:\n%s", got)
			}
			if _, err := admin.Exec(context.Background(), "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"); err != nil {
				t.Fatal(err)
			}
			waitGone(t, admin)
			s.line("select 1 as one;")
			got = s.waitJoined("FATAL:  terminating connection due to administrator command")
			s.waitJoined("the server closed the connection")
			if strings.Contains(s.joined(), "terminated abnormally") {
				t.Errorf("psql's guess instead of the server's reason:\n%s", got)
			}
			s.line(`\q`)
			s.waitExit(0)
		})
	}
}

// TestKeepWorkDevelopmentWarnsOnATerminal: development runs destructive
// statements without asking, but a person typing them is told: loudly
// for a DELETE without WHERE, plainly for an UPDATE by key. A script is
// not (its output stays psql's).
func TestKeepWorkDevelopmentWarnsOnATerminal(t *testing.T) {
	for _, fe := range append(frontEnds, struct {
		name  string
		w, h  int
		extra []string
	}{"tui-40", 40, 12, nil}) {
		t.Run(fe.name, func(t *testing.T) {
			_, dev, cfg := keepWorkDB(t)
			s := startScreen(t, fe.w, fe.h, tuiEnv(t, cfg, "xterm-256color"), append([]string{"-X", "dev"}, fe.extra...)...)
			s.waitFor("=#")
			s.line("delete from audit_log;")
			got := s.waitJoined("safesql: WARNING: DELETE without WHERE removes every row of audit_log: it runs now, unasked (development)")
			s.waitLine("DELETE 5")
			if strings.Contains(got, "to run it") || strings.Contains(got, "[y/N]") {
				t.Errorf("development asked:\n%s", got)
			}
			if n := scalar(t, dev, "select count(*) from audit_log"); n != 0 {
				t.Errorf("%d rows of audit_log left, want 0 (autocommit)", n)
			}
			s.line("update items set v = 2 where id = 1;")
			s.waitLine("UPDATE 1")
			got = s.tmux("capture-pane", "-p", "-J", "-t", "0", "-S", "-200") // the scrollback too
			if strings.Count(got, "WARNING:") != 1 || !strings.Contains(got, "safesql: warning: UPDATE ") {
				t.Errorf("an UPDATE by key is not warned plainly:\n%s", got)
			}
			if n := scalar(t, dev, "select v from items where id = 1"); n != 2 {
				t.Errorf("v = %d, want 2", n)
			}
			s.line(`\q`)
			s.waitExit(0)
		})
	}
	t.Run("script", func(t *testing.T) {
		_, dev, cfg := keepWorkDB(t)
		got := runProgram(t, binary, []string{"SAFESQL_CONFIG=" + cfg}, "", t.TempDir(), "-X", "dev", "-c", "delete from audit_log")
		if got.code != 0 || got.stdout != "DELETE 5\n" || got.stderr != "" {
			t.Errorf("a script in development: exit %d, stdout %q, stderr %q; want 0, psql's DELETE 5 and nothing else", got.code, got.stdout, got.stderr)
		}
		if n := scalar(t, dev, "select count(*) from audit_log"); n != 0 {
			t.Errorf("%d rows of audit_log left, want 0", n)
		}
	})
}
