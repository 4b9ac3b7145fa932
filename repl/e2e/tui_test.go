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
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// screen runs safesql in a tmux pane of its own server, so that a test
// reads the screen as a person sees it (capture-pane), colours included.
type screen struct {
	t      *testing.T
	socket string
	start  time.Time
}

// startScreen starts safesql in a w×h tmux pane with exactly env (plus
// the base environment) and args.
func startScreen(t *testing.T, w, h int, env []string, args ...string) *screen {
	t.Helper()
	pgtest.Tool(t, "tmux", "install tmux")
	socket := fmt.Sprintf("safesql-e2e-%d-%s", os.Getpid(), regexp.MustCompile(`\W`).ReplaceAllString(t.Name(), "_"))
	// env -i: the pane sees the test's environment, not the tmux server's.
	cmd := []string{"env", "-i"}
	cmd = append(cmd, baseEnv()...)
	cmd = append(cmd, env...)
	cmd = append(cmd, binary)
	cmd = append(cmd, args...)
	// The pane stays after safesql exits, so its last screen and exit
	// status can be read. No shell in between: a Ctrl-C while a statement
	// runs reaches the terminal's foreground group, which a shell would
	// die of.
	conf := filepath.Join(t.TempDir(), "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g remain-on-exit on\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &screen{t: t, socket: socket, start: time.Now()}
	s.tmux(append([]string{"-f", conf, "new-session", "-d", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h)}, cmd...)...)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", socket, "kill-server").Run() })
	return s
}

// exited: the process is gone or a zombie.
func exited(pid string) bool {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return true
	}
	i := strings.LastIndexByte(string(stat), ')')
	return i > 0 && strings.HasPrefix(string(stat[i+1:]), " Z")
}

// waitExit waits until safesql has exited and checks its status when
// tmux has it (tmux may see the pane close before it reaps the process,
// and then never learn the status: a gone process is enough then).
func (s *screen) waitExit(want int) {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var gone time.Time
	var got string
	for time.Now().Before(deadline) {
		got = strings.TrimSpace(s.tmux("display-message", "-p", "-t", "0", "#{pane_dead} #{pane_pid} s#{pane_dead_status} g#{pane_dead_signal}"))
		fields := strings.Fields(got)
		if len(fields) != 4 {
			s.t.Fatalf("tmux pane state %q", got)
		}
		switch {
		case fields[0] == "1" && fields[2] != "s":
			if fields[2] != fmt.Sprintf("s%d", want) {
				s.t.Errorf("safesql exited with status %s, want %d; the screen shows:\n%s", fields[2][1:], want, s.text())
			}
			return
		case fields[0] == "1" && fields[3] != "g":
			s.t.Errorf("safesql was killed by signal %s; the screen shows:\n%s", fields[3][1:], s.text())
			return
		case fields[0] == "1" || exited(fields[1]):
			if gone.IsZero() {
				gone = time.Now()
			} else if time.Since(gone) > 2*time.Second {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("safesql did not exit (%q); the screen shows:\n%s", got, s.text())
}

func (s *screen) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// text is what the pane shows, without colours; colours keeps them.
func (s *screen) text() string    { return s.tmux("capture-pane", "-p", "-t", "0") }
func (s *screen) colours() string { return s.tmux("capture-pane", "-p", "-e", "-t", "0") }

// editorReady waits, on a screen that shows the framed editor, until an
// editor's frame is the last thing drawn, as a person would before
// typing. (Keys typed ahead are kept: TestTUIKeysTypedAheadAreKept.)
func (s *screen) editorReady() {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		got := s.text()
		if !strings.Contains(got, frameTop) {
			return // plain mode, or no editor yet: nothing to wait for
		}
		lines := strings.Split(strings.TrimRight(got, "\n "), "\n")
		for i := len(lines) - 1; i >= 0 && i >= len(lines)-3; i-- {
			if strings.Contains(lines[i], "╰─") {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitUntil waits until ok says yes to the screen.
func (s *screen) waitUntil(what string, ok func(screen string) bool) {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		if got = s.text(); ok(got) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting for %s; the screen shows:\n%s", what, got)
}

// waitInScrollback waits until want is on the screen or in the pane's
// scrollback (on a tiny screen a result scrolls away before it is seen).
func (s *screen) waitInScrollback(want string) {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		if got = s.tmux("capture-pane", "-p", "-t", "0", "-S", "-200"); strings.Contains(got, want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting for %q; the pane and its scrollback show:\n%s", want, got)
}

// waitFor waits until the pane shows want and returns the screen.
func (s *screen) waitFor(want string) string {
	s.t.Helper()
	return s.waitRead(want, s.text)
}

// waitRead waits until read shows want and returns what it read.
func (s *screen) waitRead(want string, read func() string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		if got = read(); strings.Contains(got, want) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting for %q; the screen shows:\n%s", want, got)
	return ""
}

// waitForCount waits until want shows n times.
func (s *screen) waitForCount(want string, n int) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		if got = s.text(); strings.Count(got, want) >= n {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting for %d× %q; the screen shows:\n%s", n, want, got)
	return ""
}

// typeText types text literally (tmux takes a trailing ';' for its own
// command separator: it goes escaped).
func (s *screen) typeText(text string) {
	s.t.Helper()
	s.editorReady()
	for i, part := range strings.Split(text, ";") {
		if i > 0 {
			s.tmux("send-keys", "-t", "0", "-l", `\;`)
		}
		if part != "" {
			s.tmux("send-keys", "-t", "0", "-l", part)
		}
	}
}

// key sends tmux key names: Enter, C-c, C-d, Escape, M-Enter...
func (s *screen) key(keys ...string) {
	s.t.Helper()
	s.tmux(append([]string{"send-keys", "-t", "0"}, keys...)...)
}

// line types text and Enter.
func (s *screen) line(text string) {
	s.t.Helper()
	s.typeText(text)
	s.key("Enter")
}

func prodConfig(t *testing.T, p pgtest.Params) string {
	return writeConfig(t, fmt.Sprintf(`
[envs.prod]
dsn = "host=%s port=%d user=%s dbname=%s"
tier = "production"
label = "PROD"
`, p.Host, p.Port, p.User, p.DBName))
}

func tuiEnv(t *testing.T, cfg, term string) []string {
	return []string{"SAFESQL_CONFIG=" + cfg, "TERM=" + term, "XDG_STATE_HOME=" + t.TempDir(), "HOME=" + t.TempDir()}
}

var frameTop = "╭─ "

func TestTUIFrameSaysProductionInItsColour(t *testing.T) {
	p := pgtest.DB(t)
	s := startScreen(t, 80, 24, tuiEnv(t, prodConfig(t, p), "xterm-256color"), "-X", "prod")
	got := s.waitFor("╰─ read-only")
	t.Logf("start-up to the framed prompt: %v (connection included)", time.Since(s.start))
	if !strings.Contains(got, "PROD · PRODUCTION") || !strings.Contains(got, p.User+"@") || !strings.Contains(got, "│ PROD ") {
		t.Errorf("the frame does not name the environment, user and database:\n%s", got)
	}
	if !strings.Contains(got, "no transaction · read-only") {
		t.Errorf("no status line:\n%s", got)
	}
	colours := s.colours()
	var top string
	for _, l := range strings.Split(colours, "\n") {
		if strings.Contains(l, frameTop) {
			top = l
		}
	}
	if !strings.Contains(top, "38;5;160m") { // production red in 256 colours
		t.Errorf("the frame is not production red: %q", top)
	}
	s.line("select 40 +")
	s.waitFor("-# ")
	s.line("2 as answer;")
	got = s.waitFor("(1 row)")
	if !strings.Contains(got, "=# select 40 +\n") || !strings.Contains(got, "-# 2 as answer;") || !strings.Contains(got, "42") {
		t.Errorf("the entry is not echoed like psql, or no result:\n%s", got)
	}
	got = s.waitFor("last ")
	if strings.Count(got, frameTop) != 1 {
		t.Errorf("want exactly one frame on the screen (the old one erased):\n%s", got)
	}
	s.key("C-d")
	s.waitExit(0)
}

func TestTUIWorksOnCommonTerminals(t *testing.T) {
	p := pgtest.DB(t)
	cfg := prodConfig(t, p)
	for _, term := range []string{"xterm", "xterm-256color", "screen", "tmux-256color", "vt100"} {
		t.Run(term, func(t *testing.T) {
			s := startScreen(t, 80, 24, tuiEnv(t, cfg, term), "-X", "prod")
			s.waitFor("PRODUCTION")
			s.line("select 'on " + term + "' as t;")
			got := s.waitFor("(1 row)")
			if !strings.Contains(got, "on "+term) {
				t.Errorf("no result:\n%s", got)
			}
			s.line(`\q`)
			s.waitExit(0)
		})
	}
}

func TestTUIResize(t *testing.T) {
	p := pgtest.DB(t)
	s := startScreen(t, 80, 24, tuiEnv(t, prodConfig(t, p), "xterm-256color"), "-X", "prod")
	s.waitFor("╰─ read-only")
	s.typeText("select 'still here' as s")
	s.tmux("resize-window", "-t", "0", "-x", "44", "-y", "12")
	deadline := time.Now().Add(10 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		got = s.text()
		if narrow := frameWidth(got); narrow == 44 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if w := frameWidth(got); w != 44 {
		t.Fatalf("the frame is %d wide after a resize to 44:\n%s", w, got)
	}
	if !strings.Contains(got, "PRODUCTION") {
		t.Errorf("PRODUCTION is gone after the resize:\n%s", got)
	}
	s.line(";")
	got = s.waitFor("(1 row)")
	if !strings.Contains(got, "still here") {
		t.Errorf("the typed text did not survive the resize:\n%s", got)
	}
	// Smaller than the frame can take: still usable.
	s.tmux("resize-window", "-t", "0", "-x", "20", "-y", "5")
	s.line("select 7*6 as x;")
	s.waitInScrollback("42")
	s.line(`\q`)
	s.waitExit(0)
}

// frameWidth is the width of the last frame top on the screen, 0 if none.
func frameWidth(screen string) int {
	w := 0
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(l, frameTop) {
			w = len([]rune(strings.TrimRight(l, " ")))
		}
	}
	return w
}

func TestTUINoColour(t *testing.T) {
	p := pgtest.DB(t)
	s := startScreen(t, 80, 24, append(tuiEnv(t, prodConfig(t, p), "xterm-256color"), "NO_COLOR=1"), "-X", "prod")
	got := s.waitFor("[PRODUCTION] PROD")
	if !strings.Contains(got, "│ [PRODUCTION] PROD ") {
		t.Errorf("the prompt does not say the tier in words:\n%s", got)
	}
	if c := s.colours(); regexp.MustCompile(`\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7])(;[0-9;]*)?m`).MatchString(c) {
		t.Errorf("colours on the screen under NO_COLOR:\n%q", c)
	}
	s.key("C-d")
	s.waitExit(0)
}

// cancelWithin types a pg_sleep(30), waits until it runs, sends Ctrl-C
// and returns how long the cancel took to show.
func cancelWithin(t *testing.T, s *screen, p pgtest.Params) time.Duration {
	t.Helper()
	s.line("select pg_sleep(30);")
	// Wait until the statement is on the server.
	conn, err := pgx.Connect(context.Background(), p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		if err := conn.QueryRow(context.Background(), "select count(*) from pg_stat_activity where query like '%pg_sleep(30)%' and state = 'active' and pid <> pg_backend_pid()").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	start := time.Now()
	s.key("C-c")
	s.waitFor("canceling statement due to user request")
	took := time.Since(start)
	if took > 5*time.Second {
		t.Errorf("Ctrl-C took %v to cancel pg_sleep(30)", took)
	}
	// A cancelled first read leaves no transaction (a ROLLBACK is
	// harmless either way).
	s.line("rollback;")
	s.waitFor("ROLLBACK")
	return took
}

func TestTUICtrlCCancelsARunningStatement(t *testing.T) {
	p := pgtest.DB(t)
	s := startScreen(t, 80, 24, tuiEnv(t, prodConfig(t, p), "xterm-256color"), "-X", "prod")
	s.waitFor("╰─ read-only")
	t.Logf("Ctrl-C to the cancel message: %v", cancelWithin(t, s, p))
	s.line("select 'still here' as s;")
	s.waitFor("still here")
	// Ctrl-C while editing clears the input and keeps the session.
	s.typeText("select 'never run'")
	s.key("C-c")
	s.waitJoined("never run' ^C") // wrapped lines joined: the prompt's length varies
	s.line("select 'after' as s;")
	got := s.waitFor(" after\n")
	if strings.Contains(got, "never run\n") && strings.Contains(got, "(1 row)\n\n") && strings.Count(got, "never run") > 1 {
		t.Errorf("the cleared input ran:\n%s", got)
	}
	// Ctrl-D goes to the next editor, once it is drawn below the result
	// (a key sent between two editors would reach neither).
	s.waitUntil("the editor after the result", func(screen string) bool {
		return strings.LastIndex(screen, frameTop) > strings.LastIndex(screen, " after\n")
	})
	s.key("C-d")
	s.waitExit(0)
}

func TestTUIPlainModeCancelsToo(t *testing.T) {
	p := pgtest.DB(t)
	cfg := prodConfig(t, p)
	for _, mode := range []struct {
		name string
		env  []string
		args []string
	}{
		{"plain flag", nil, []string{"--plain"}},
		{"TERM=dumb", []string{"TERM=dumb"}, nil},
	} {
		t.Run(mode.name, func(t *testing.T) {
			env := append(tuiEnv(t, cfg, "xterm-256color"), mode.env...)
			s := startScreen(t, 80, 24, env, append([]string{"-X", "prod"}, mode.args...)...)
			got := s.waitFor("=#")
			if strings.Contains(got, frameTop) {
				t.Fatalf("a frame in plain mode:\n%s", got)
			}
			t.Logf("Ctrl-C to the cancel message: %v", cancelWithin(t, s, p))
			s.line("select 'still here' as s;")
			s.waitFor("still here")
			s.line(`\q`)
			s.waitExit(0)
		})
	}
}

// TestTUIDestructiveFlow: DELETE without WHERE in production shows the dry
// run's count and asks for the word; a wrong word runs nothing; the right
// one deletes inside the open transaction only (a second connection still
// sees the rows); leaving and answering rollback brings them back.
func TestTUIDestructiveFlow(t *testing.T) {
	p := pgtest.DB(t)
	conn, err := pgx.Connect(context.Background(), p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "create table gadgets (id int primary key); insert into gadgets select generate_series(1, 42)"); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := conn.QueryRow(context.Background(), "select count(*) from gadgets").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	s := startScreen(t, 100, 40, tuiEnv(t, prodConfig(t, p), "xterm-256color"), "-X", "prod")
	s.waitFor("╰─ read-only")
	s.line(`\write`)
	s.waitFor("Type production")
	s.line("production")
	s.waitFor("WRITE")

	s.line("delete from gadgets;")
	got := s.waitFor("Type production to run it")
	if !strings.Contains(got, "42") || !strings.Contains(got, "without WHERE") {
		t.Errorf("the confirmation lacks the dry run's count or the loud reason:\n%s", got)
	}
	s.line("producton")
	s.waitFor("aborted, nothing ran")
	if n := count(); n != 42 {
		t.Fatalf("%d rows after a wrong word, want 42", n)
	}
	s.line("select count(*) from gadgets;")
	s.waitFor("(1 row)")

	s.line("delete from gadgets;")
	s.waitForCount("Type production to run it", 2)
	s.line("production")
	// Without WHERE the number of rows is typed too (confirm_test.go).
	s.waitFor("It removes 42 rows. Type that number")
	s.line("42")
	s.waitFor("DELETE 42")
	s.waitFor("tx open")
	if n := count(); n != 42 {
		t.Fatalf("a second connection sees %d rows before the commit, want 42", n)
	}
	s.line(`\q`)
	s.waitFor("ommit or rollback")
	s.key("Enter") // the default: rollback
	s.waitExit(0)
	if n := count(); n != 42 {
		t.Fatalf("%d rows after leaving with rollback, want 42", n)
	}
}

// TestTUIHistoryFileIsPrivate: what was typed lands in the environment's
// history file with mode 0600, secrets left out, and comes back with Up.
func TestTUIHistoryFileIsPrivate(t *testing.T) {
	p := pgtest.DB(t)
	env := tuiEnv(t, prodConfig(t, p), "xterm-256color")
	state := strings.TrimPrefix(env[2], "XDG_STATE_HOME=")
	s := startScreen(t, 80, 24, env, "-X", "prod")
	s.waitFor("╰─ read-only")
	s.line("select 'remember me' as r;")
	s.waitFor("(1 row)")
	s.line("select 'password' as secret;")
	s.waitForCount("(1 row)", 2)
	s.key("Up", "Up")
	s.waitFor("# select 'remember me' as r;    ")
	s.key("C-c")
	s.key("C-d")
	s.waitExit(0)
	path := filepath.Join(state, "safesql", "history", "prod")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("history mode %v", fi.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "select 'remember me' as r;\n" {
		t.Errorf("history file %q", data)
	}
}

// A result taller than the screen goes through the pager, as in psql;
// \pset pager off prints it straight.
func TestTUIPagerForTallResults(t *testing.T) {
	p := pgtest.DB(t)
	// The pager is a program: production starts it only where the shell
	// is allowed (else results are printed directly).
	cfg := writeConfig(t, fmt.Sprintf(`
[envs.prod]
dsn = "host=%s port=%d user=%s dbname=%s"
tier = "production"
label = "PROD"
allow_shell = true
`, p.Host, p.Port, p.User, p.DBName))
	env := append(tuiEnv(t, cfg, "xterm-256color"), "PAGER=sed 's/^/paged: /'")
	s := startScreen(t, 80, 24, env, "-X", "prod")
	s.waitFor("╰─ read-only")
	s.line("select 'short' as s;")
	s.waitFor("(1 row)")
	s.line("select g as tall from generate_series(1, 40) g;")
	s.waitInScrollback("paged: (40 rows)")
	if got := s.tmux("capture-pane", "-p", "-t", "0", "-S", "-200"); strings.Contains(got, "paged:  s") || strings.Contains(got, "paged: (1 row)") {
		t.Errorf("a result that fits the screen went through the pager:\n%s", got)
	}
	// A describing command's listing taller than the screen is paged too.
	s.line(`\dS pg_class`)
	s.waitInScrollback("paged: Indexes:")
	s.line(`\pset pager off`)
	s.waitFor("Pager usage is off.")
	s.line("select g as straight from generate_series(1, 30) g;")
	s.waitInScrollback("(30 rows)")
	if got := s.tmux("capture-pane", "-p", "-t", "0", "-S", "-200"); strings.Contains(got, "paged: (30 rows)") {
		t.Errorf("\\pset pager off still pages:\n%s", got)
	}
	s.line(`\q`)
	s.waitExit(0)
}

// TestTUIKeysTypedAheadAreKept types five statements and a Ctrl-D in one
// burst, without waiting for any editor: every key must reach an editor,
// in order, across the hand-over from one entry's program to the next
// and across the statements' runs.
func TestTUIKeysTypedAheadAreKept(t *testing.T) {
	p := pgtest.DB(t)
	s := startScreen(t, 80, 40, tuiEnv(t, prodConfig(t, p), "xterm-256color"), "-X", "prod")
	s.waitFor("╰─ read-only")
	var burst strings.Builder
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&burst, "select %d as n_%d;\r", i, i)
	}
	burst.WriteString("\x04")
	// The text does not end in ';', so tmux takes it whole.
	s.tmux("send-keys", "-t", "0", "-l", burst.String())
	s.waitExit(0)
	got := s.tmux("capture-pane", "-p", "-t", "0", "-S", "-200")
	last := -1
	for i := 1; i <= 5; i++ {
		at := strings.Index(got, fmt.Sprintf(" n_%d\n-----\n   %d\n(1 row)\n", i, i))
		if at < 0 || at < last {
			t.Fatalf("statement %d's result is missing or out of order:\n%s", i, got)
		}
		last = at
	}
}

// TestTUIConfirmationIgnoresKeysTypedAhead: a word typed before the
// question was on the screen never answers it (it was typed blind).
func TestTUIConfirmationIgnoresKeysTypedAhead(t *testing.T) {
	p := pgtest.DB(t)
	conn, err := pgx.Connect(context.Background(), p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "create table widgets (id int primary key); insert into widgets select generate_series(1, 7)"); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, fmt.Sprintf(`
[envs.prod]
dsn = "host=%s port=%d user=%s dbname=%s"
tier = "production"
read_only = false
`, p.Host, p.Port, p.User, p.DBName))
	s := startScreen(t, 100, 40, tuiEnv(t, cfg, "xterm-256color"), "-X", "prod")
	s.waitFor("╰─ ")
	s.tmux("send-keys", "-t", "0", "-l", "delete from widgets;\rproduction\r")
	s.waitFor("Type production to run it")
	// Give the typed-ahead word every chance to land.
	time.Sleep(500 * time.Millisecond)
	if got := s.text(); strings.Contains(got, "DELETE 7") {
		t.Fatalf("the word typed ahead answered the confirmation:\n%s", got)
	}
	s.key("Escape")
	s.waitFor("aborted, nothing ran")
	s.line("select count(*) as left_ from widgets;")
	s.waitFor("     7\n(1 row)")
	s.key("C-d")
	s.waitExit(0)
}
