package shell

import (
	"os"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/internal/termtest"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestPlanShowsNoPassword(t *testing.T) {
	h := newHarness(t, production())
	file := t.TempDir() + "/roles.sql"
	if err := os.WriteFile(file, []byte("SELECT 1;\nALTER ROLE app PASSWORD 'hunter2';\nCREATE ROLE app PASSWORD hunter2;\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.run(`\i ` + file)
	got := h.errb.String()
	// the syntax error on line 3 is not a change: it is shown when it is
	// reached, as the server's error would be, and never sent
	want := "safesql: plan for prod (production): 2 statements: 1 read, 0 write, 1 destructive\n" +
		"  " + file + ":2: destructive: ALTER ROLE app PASSWORD '[redacted]';\n" +
		"      ALTER ROLE changes role app's attributes or password\n"
	if !strings.HasPrefix(got, want) || strings.Contains(got, "hunter2") {
		t.Fatalf("stderr:\n%s\nwant it to start with:\n%s", got, want)
	}
	h.errb.Reset()
	h.run("CREATE ROLE app PASSWORD hunter2;")
	got = h.errb.String()
	if !strings.Contains(got, `ERROR:  syntax error at or near "[redacted]"`) || strings.Contains(got, "hunter2") {
		t.Fatalf("the parser's error shows the password or is missing:\n%s", got)
	}
}

func TestHistoryListingShowsNoPassword(t *testing.T) {
	h := newHarness(t, psqlPolicy())
	h.sess.History = func() []string {
		return []string{"select 1;", `\c postgres://app:hunter2@db/shop`}
	}
	h.run(`\s`)
	if got, want := h.out.String(), "select 1;\n\\c postgres://app:[redacted]@db/shop\n\n"; got != want {
		t.Errorf("\\s printed %q, want %q", got, want)
	}
	file := t.TempDir() + "/history"
	h.run(`\s ` + file)
	if b, err := os.ReadFile(file); err != nil || string(b) != "select 1;\n\\c postgres://app:[redacted]@db/shop\n" {
		t.Errorf("\\s FILE wrote %q (%v)", b, err)
	}
}

// TestErrorsShowNoPassword: the server's error, its LINE and the ECHO
// errors STATEMENT show no password. (Unguarded: a guarded session's
// warnings come from the statement engine, guard.go.)
func TestErrorsShowNoPassword(t *testing.T) {
	for _, tc := range []struct{ sql, want string }{
		{"ALTER ROLE nosuch PASSWORD 'hunter2' garbage;",
			"ERROR:  unrecognized role option \"garbage\"\n" +
				"LINE 1: ALTER ROLE nosuch PASSWORD '[redacted]' garbage;\n" +
				"                                                ^\n"},
		{"CREATE ROLE nosuch PASSWORD hunter2;",
			"ERROR:  syntax error at or near \"[redacted]\"\n" +
				"LINE 1: CREATE ROLE nosuch PASSWORD [redacted];\n" +
				"                                    ^\n"},
		{"ALTER ROLE nosuch_gate_role PASSWORD 'hunter2';",
			"ERROR:  role \"nosuch_gate_role\" does not exist\n"},
	} {
		h := newHarness(t, psqlPolicy())
		h.sess.Audit = nil // psql's path
		h.sess.Vars.Set("ECHO", "errors")
		h.run(tc.sql)
		// a destructive statement typed where nothing asks is warned
		// about first: the warning shows no password either
		got := h.errb.String()
		if w, rest, ok := strings.Cut(got, "\n"); ok && strings.HasPrefix(w, "safesql: warning: ") {
			if strings.Contains(w, "hunter2") {
				t.Errorf("%s: the warning shows the password: %s", tc.sql, w)
			}
			got = rest
		}
		want := tc.want + "STATEMENT:  " + strings.Replace(strings.Replace(tc.sql, "'hunter2'", "'[redacted]'", 1), "hunter2", "[redacted]", 1) + "\n"
		if got != want {
			t.Errorf("%s: stderr\n%s\nwant\n%s", tc.sql, got, want)
		}
		h.out.Reset()
		h.run(`\errverbose`)
		if strings.Contains(h.out.String(), "hunter2") {
			t.Errorf("%s: \\errverbose shows the password:\n%s", tc.sql, h.out.String())
		}
	}
}

func TestSessionLogShowsNoPassword(t *testing.T) {
	h := newHarness(t, psqlPolicy())
	var log termtest.Buffer
	h.sess.SetLog(&log)
	h.run("ALTER ROLE nosuch_gate_role PASSWORD 'hunter2';")
	want := "********* QUERY **********\nALTER ROLE nosuch_gate_role PASSWORD '[redacted]';\n**************************\n\n"
	if got := log.String(); got != want {
		t.Errorf("log %q, want %q", got, want)
	}
}

func TestMovedPosition(t *testing.T) {
	from := "select 'hunter2' + 'ab' from x"
	to := "select '[redacted]' + 'ab' from x"
	for _, tc := range []struct{ pos, want int32 }{
		{0, 0}, {1, 1}, {8, 8}, {10, 9}, {18, 21}, {30, 33},
	} {
		if got := movedPosition(from, to, tc.pos); got != tc.want {
			t.Errorf("movedPosition(%d) = %d, want %d", tc.pos, got, tc.want)
		}
	}
	e := &pgconn.PgError{Message: "plain"}
	if sql, got := redactedError("select 1", e); sql != "select 1" || got != e {
		t.Errorf("an error with no secret changed: %q %+v", sql, got)
	}
}
