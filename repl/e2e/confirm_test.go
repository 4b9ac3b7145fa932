package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// confirmDriver is a front end seen from outside: send types a line and
// Enter; waitFor waits for text shown after the last send; shows says
// whether it was shown after the last send.
type confirmDriver interface {
	send(line string)
	waitFor(want string)
	shows(want string) bool
}

// confirmDB makes a production database: big (1,500 rows) and small (5),
// writable without \write. extra is added to the environment's config.
func confirmDB(t *testing.T, extra string) (*pgx.Conn, string) {
	t.Helper()
	conn, p := pgtest.Conn(t)
	if _, err := conn.Exec(context.Background(), `
CREATE TABLE big (id int PRIMARY KEY, v int NOT NULL DEFAULT 0);
INSERT INTO big (id) SELECT generate_series(1, 1500);
CREATE TABLE small (id int PRIMARY KEY);
INSERT INTO small SELECT generate_series(1, 5);`); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, fmt.Sprintf(`
[envs.prod]
dsn = "host=%s port=%d user=%s dbname=%s"
tier = "production"
read_only = false
%s
`, p.Host, p.Port, p.User, p.DBName, extra))
	return conn, cfg
}

func queryString(t *testing.T, conn *pgx.Conn, sql string) string {
	t.Helper()
	var s string
	if err := conn.QueryRow(context.Background(), sql).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// confirmScenario: a one-row UPDATE by key asks the word only; a DELETE of
// 1,200 rows (above the default 1,000) asks the word, then the number of
// rows: a wrong number runs nothing and leaves the transaction as it was
// (the UPDATE still in it); the right number, typed as shown, deletes.
// TRUNCATE asks the table's name; a wrong name runs nothing. The rows in
// the database after the commit say what ran.
func confirmScenario(t *testing.T, d confirmDriver, conn *pgx.Conn) {
	d.send("update big set v = 1 where id = 1;")
	d.waitFor("Type production to run it")
	d.send("production")
	d.waitFor("UPDATE 1")
	if d.shows("Type that number") {
		t.Fatal("a one-row UPDATE by key asked for the number of rows")
	}

	d.send("delete from big where id > 300;")
	d.waitFor("DELETE would remove 1,200 rows of public.big")
	d.waitFor("Type production to run it")
	d.send("production")
	d.waitFor("It removes 1,200 rows. Type that number to run it (anything else aborts):")
	d.send("1,199")
	d.waitFor("not 1200: aborted, nothing ran")
	d.send("select count(*) || ' rows, v=' || sum(v) as state from big;")
	d.waitFor("1500 rows, v=1")

	d.send("delete from big where id > 300;")
	d.waitFor("Type production to run it")
	d.send("production")
	d.waitFor("It removes 1,200 rows. Type that number")
	d.send("1,200")
	d.waitFor("DELETE 1200")

	d.send("truncate small;")
	d.waitFor("Type production to run it")
	d.send("production")
	d.waitFor("Type small (the name, as written) to run it (anything else aborts):")
	d.send("smal")
	d.waitFor("not small: aborted, nothing ran")
	d.send("select count(*) || ' small rows' as s from small;")
	d.waitFor("5 small rows")

	d.send("commit;")
	d.waitFor("COMMIT in prod (production)")
	d.send("production")
	d.waitFor("COMMIT")
	if got := queryString(t, conn, "select count(*) || ' rows, v=' || sum(v) from big"); got != "300 rows, v=1" {
		t.Errorf("big after the commit: %s, want 300 rows, v=1 (the UPDATE and the confirmed DELETE)", got)
	}
	if n := count(t, conn, "small"); n != 5 {
		t.Errorf("small has %d rows after a wrong name, want 5", n)
	}
}

// ptyDriver drives --plain on a pty: what was shown after the last send.
type ptyDriver struct {
	term *terminal
	from int
}

func (d *ptyDriver) since() string {
	d.term.mu.Lock()
	defer d.term.mu.Unlock()
	return d.term.seen.String()[d.from:]
}

func (d *ptyDriver) send(line string) {
	d.term.mu.Lock()
	d.from = d.term.seen.Len()
	d.term.mu.Unlock()
	d.term.send(line + "\r")
}

// paste sends text as a terminal sends a paste: as it is, in one write.
func (d *ptyDriver) paste(text string) {
	d.term.mu.Lock()
	d.from = d.term.seen.Len()
	d.term.mu.Unlock()
	d.term.send(text)
}

func (d *ptyDriver) shows(want string) bool { return strings.Contains(d.since(), want) }

func (d *ptyDriver) waitFor(want string) {
	d.term.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !d.shows(want) {
		if time.Now().After(deadline) {
			d.term.t.Fatalf("timed out waiting for %q; the terminal shows since the last line sent:\n%q", want, d.since())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// tmuxDriver drives the full-screen front end: the pane and its
// scrollback, wrapped lines joined; "after the last send" is one more
// occurrence than before it.
type tmuxDriver struct {
	s      *screen
	before string
}

func (d *tmuxDriver) all() string {
	return d.s.tmux("capture-pane", "-p", "-J", "-t", "0", "-S", "-5000")
}

func (d *tmuxDriver) send(line string) {
	d.before = d.all()
	d.s.line(line)
}

func (d *tmuxDriver) shows(want string) bool {
	return strings.Count(d.all(), want) > strings.Count(d.before, want)
}

func (d *tmuxDriver) waitFor(want string) {
	d.s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !d.shows(want) {
		if time.Now().After(deadline) {
			d.s.t.Fatalf("timed out waiting for %q; the pane shows:\n%s", want, d.all())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestConfirmEscalatesPlain(t *testing.T) {
	conn, cfg := confirmDB(t, "")
	term := startTerminal(t, []string{"SAFESQL_CONFIG=" + cfg, "XDG_STATE_HOME=" + t.TempDir(), "NO_COLOR=1"}, "-X", "--plain", "prod")
	term.waitFor("=# ")
	confirmScenario(t, &ptyDriver{term: term}, conn)
}

func TestConfirmEscalatesTUI(t *testing.T) {
	for _, size := range []struct{ w, h int }{{120, 35}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			conn, cfg := confirmDB(t, "")
			s := startScreen(t, size.w, size.h, tuiEnv(t, cfg, "xterm-256color"), "-X", "prod")
			s.waitFor("╰─ ")
			confirmScenario(t, &tmuxDriver{s: s}, conn)
		})
	}
}

// TestConfirmAskCountAboveIsTheEnvironments: ask_count_above raises the
// threshold: 1,200 rows below 1,300 ask the word only.
func TestConfirmAskCountAboveIsTheEnvironments(t *testing.T) {
	conn, cfg := confirmDB(t, "ask_count_above = 1300")
	term := startTerminal(t, []string{"SAFESQL_CONFIG=" + cfg, "XDG_STATE_HOME=" + t.TempDir(), "NO_COLOR=1"}, "-X", "--plain", "prod")
	term.waitFor("=# ")
	d := &ptyDriver{term: term}
	d.send("delete from big where id > 300;")
	d.waitFor("Type production to run it")
	d.send("production")
	d.waitFor("DELETE 1200")
	if d.shows("Type that number") {
		t.Fatal("1,200 rows asked for the number under ask_count_above = 1300")
	}
	d.send("commit;")
	d.waitFor("Type production to commit")
	d.send("production")
	d.waitFor("COMMIT")
	if n := count(t, conn, "big"); n != 300 {
		t.Errorf("big has %d rows, want 300", n)
	}
}

// TestConfirmEscalatesOnTheScriptsTerminal: a script's question on
// /dev/tty asks the number too; a wrong number runs nothing.
func TestConfirmEscalatesOnTheScriptsTerminal(t *testing.T) {
	for _, tc := range []struct {
		name, number string
		code, rows   int
	}{{"the number", "1200", 0, 300}, {"a wrong number", "12000", 3, 1500}} {
		t.Run(tc.name, func(t *testing.T) {
			conn, cfg := confirmDB(t, "")
			cmd := exec.Command(binary, "prod", "--commit")
			cmd.Env = append(baseEnv(), "SAFESQL_CONFIG="+cfg, "XDG_STATE_HOME="+t.TempDir())
			cmd.Stdin = strings.NewReader("delete from big where id > 300;\n")
			var out strings.Builder
			cmd.Stdout = &out
			screen, answer := onTerminal(t, cmd)
			answer("Type production to run it", "production")
			answer("It removes 1,200 rows. Type that number to run it", tc.number)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("safesql did not finish; the terminal shows:\n%s", screen())
			}
			if code := cmd.ProcessState.ExitCode(); code != tc.code {
				t.Errorf("exit %d, want %d; stdout %q; the terminal shows:\n%s", code, tc.code, out.String(), screen())
			}
			if n := count(t, conn, "big"); n != tc.rows {
				t.Errorf("big has %d rows, want %d", n, tc.rows)
			}
		})
	}
}

// truncateCascadeScenario: TRUNCATE ... CASCADE gets the loud first line
// a DELETE without WHERE gets, and asks for the table's name; both tables
// are empty after the commit.
func truncateCascadeScenario(t *testing.T, d confirmDriver, conn *pgx.Conn, loudDelete, loudTruncate string) {
	if _, err := conn.Exec(context.Background(), "CREATE TABLE child (small_id int REFERENCES small); INSERT INTO child SELECT generate_series(1, 5)"); err != nil {
		t.Fatal(err)
	}
	d.send("delete from child;")
	d.waitFor(loudDelete)
	d.send("no")
	d.waitFor("aborted, nothing ran")
	d.send("truncate small cascade;")
	d.waitFor(loudTruncate)
	d.waitFor("Type production to run it")
	d.send("production")
	d.waitFor("Type small (the name, as written) to run it")
	d.send("small")
	d.waitFor("TRUNCATE TABLE")
	d.send("commit;")
	d.waitFor("COMMIT in prod (production)")
	d.send("production")
	d.waitFor("COMMIT")
	if n := count(t, conn, "small") + count(t, conn, "child"); n != 0 {
		t.Errorf("%d rows left in small and child after TRUNCATE small CASCADE", n)
	}
}

func TestConfirmTruncateCascadeIsLoudPlain(t *testing.T) {
	conn, cfg := confirmDB(t, "")
	term := startTerminal(t, []string{"SAFESQL_CONFIG=" + cfg, "XDG_STATE_HOME=" + t.TempDir(), "NO_COLOR=1"}, "-X", "--plain", "prod")
	term.waitFor("=# ")
	// Without colour, the loud line is in capitals.
	truncateCascadeScenario(t, &ptyDriver{term: term}, conn,
		"! DELETE WITHOUT WHERE REMOVES EVERY ROW OF CHILD",
		"! TRUNCATE ... CASCADE REMOVES EVERY ROW OF SMALL AND OF EVERY TABLE THAT REFERENCES IT")
}

func TestConfirmTruncateCascadeIsLoudTUI(t *testing.T) {
	conn, cfg := confirmDB(t, "")
	s := startScreen(t, 120, 35, tuiEnv(t, cfg, "xterm-256color"), "-X", "prod")
	s.waitFor("╰─ ")
	d := &tmuxDriver{s: s}
	truncateCascadeScenario(t, d, conn,
		"! DELETE without WHERE removes every row of child",
		"! TRUNCATE ... CASCADE removes every row of small and of every table that references it")
	// The same style as the DELETE's loud line.
	got := s.tmux("capture-pane", "-p", "-e", "-J", "-t", "0", "-S", "-5000")
	style := func(line string) string {
		i := strings.Index(got, line)
		if i < 0 {
			t.Fatalf("no %q in the pane:\n%s", line, got)
		}
		j := strings.LastIndex(got[:i], "\n")
		return got[j+1 : i]
	}
	if a, b := style("! DELETE without WHERE"), style("! TRUNCATE ... CASCADE"); a != b || !strings.Contains(a, "\x1b[") {
		t.Errorf("the TRUNCATE ... CASCADE line is drawn %q, the DELETE's loud line %q", b, a)
	}
}

// TestConfirmPasteIsNotAnAnswerPlain: in --plain, a DELETE pasted with
// two more statements: the paste does not answer the DELETE's question,
// and after the answer typed, the two statements come back to the editor
// and run, in order. Pasted in one burst, in two pieces (as a terminal
// sends a long paste), and with bracketed paste, its end arriving after
// the question is shown. (The timing of pieces without brackets is
// tested with a clock of its own: repl/frontend/line TestPasteNeverAnswers.)
func TestConfirmPasteIsNotAnAnswerPlain(t *testing.T) {
	for _, tc := range []struct {
		name      string
		bracketed bool
		parts     []string
	}{
		{"one burst", false, []string{"delete from big where id = 1;\rselect 'first' || 'pasted' as a;\rselect 'second' || 'pasted' as b;\r"}},
		{"two pieces", false, []string{"delete from big where id = 1;\rselect 'first' || 'pas", "ted' as a;\rselect 'second' || 'pasted' as b;\r"}},
		{"bracketed", true, []string{"\x1b[200~delete from big where id = 1;\rselect 'first' || 'pasted' as a;\r", "select 'second' || 'pasted' as b;\r\x1b[201~"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, cfg := confirmDB(t, "")
			term := startTerminal(t, []string{"SAFESQL_CONFIG=" + cfg, "XDG_STATE_HOME=" + t.TempDir(), "NO_COLOR=1"}, "-X", "--plain", "prod")
			term.waitFor("=# ")
			d := &ptyDriver{term: term}
			d.paste(tc.parts[0])
			if !tc.bracketed {
				for _, p := range tc.parts[1:] {
					term.send(p)
				}
			}
			d.waitFor("Type production to run it")
			if tc.bracketed {
				for _, p := range tc.parts[1:] {
					term.send(p)
				}
			}
			// Give the paste every chance to answer.
			time.Sleep(500 * time.Millisecond)
			for _, s := range []string{"DELETE 1", "aborted", "firstpasted", "secondpasted"} {
				if d.shows(s) {
					t.Fatalf("the paste answered the question (%q shown):\n%q", s, d.since())
				}
			}
			d.send("production")
			d.waitFor("DELETE 1")
			d.waitFor("secondpasted")
			got := d.since()
			if a, b := strings.Index(got, "firstpasted\r\n(1 row)"), strings.Index(got, "secondpasted\r\n(1 row)"); a < 0 || b < a || strings.Index(got, "DELETE 1") > a {
				t.Fatalf("the pasted statements did not run after the DELETE, in order:\n%q", got)
			}
			d.send("commit;")
			d.waitFor("COMMIT in prod (production)")
			d.send("production")
			d.waitFor("COMMIT")
			if n := count(t, conn, "big"); n != 1499 {
				t.Errorf("big has %d rows, want 1499", n)
			}
		})
	}
}
