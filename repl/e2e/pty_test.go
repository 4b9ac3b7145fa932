package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// terminal runs safesql on a real pseudo-terminal and collects what it
// shows.
type terminal struct {
	t    *testing.T
	f    *os.File
	cmd  *exec.Cmd
	mu   sync.Mutex
	seen bytes.Buffer
}

// startOnPTY starts safesql with args on an 80x24 pty, env added to the
// base environment, and kills it when the test ends.
func startOnPTY(t *testing.T, env []string, args ...string) (*exec.Cmd, *os.File) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(baseEnv(), append(env, "TERM=xterm-256color", "COLORTERM=")...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatalf("start safesql on a pty: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
		f.Close()
	})
	return cmd, f
}

func startTerminal(t *testing.T, env []string, args ...string) *terminal {
	t.Helper()
	cmd, f := startOnPTY(t, env, args...)
	term := &terminal{t: t, f: f, cmd: cmd}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			term.mu.Lock()
			term.seen.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return term
}

// waitFor waits until the screen output contains s.
func (term *terminal) waitFor(s string) {
	term.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		term.mu.Lock()
		ok := strings.Contains(term.seen.String(), s)
		term.mu.Unlock()
		if ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	term.mu.Lock()
	defer term.mu.Unlock()
	term.t.Fatalf("timed out waiting for %q; the terminal shows:\n%q", s, term.seen.String())
}

func (term *terminal) send(s string) {
	term.t.Helper()
	if _, err := io.WriteString(term.f, s); err != nil {
		term.t.Fatal(err)
	}
}

func TestInteractiveSessionOnATerminal(t *testing.T) {
	p := pgtest.DB(t)
	prod := writeConfig(t, "unknown_tier = \"production\"\n")
	term := startTerminal(t, append(p.Env(), "SAFESQL_CONFIG="+prod), "-X")
	// No environment matches: production, said in red (256 colours: 160).
	term.waitFor("38;5;160m")
	term.waitFor("=#")
	term.send("select 40 +\r")
	term.waitFor("-#") // psql's continuation prompt
	term.send("2 as answer;\r")
	term.waitFor("answer")
	term.waitFor("42")
	term.waitFor("(1 row)")

	// Ctrl-C cancels a running statement and keeps the session.
	term.send("select pg_sleep(30);\r")
	waitForQuery(t, p, "pg_sleep(30)")
	term.send("\x03")
	term.waitFor("canceling statement due to user request")
	term.send("select 'still here' as s;\r")
	term.waitFor("still here")

	term.send("\\q\r")
	done := make(chan error, 1)
	go func() { done <- term.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("safesql exited with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("safesql did not exit after \\q")
	}
}

func TestNoColorStillSaysProduction(t *testing.T) {
	p := pgtest.DB(t)
	prod := writeConfig(t, "unknown_tier = \"production\"\n")
	term := startTerminal(t, append(p.Env(), "NO_COLOR=1", "SAFESQL_CONFIG="+prod), "-X")
	term.waitFor("[PRODUCTION]")
	term.send("\\q\r")
	_ = term.cmd.Wait()
	term.mu.Lock()
	defer term.mu.Unlock()
	prompt := term.seen.String()
	if i := strings.Index(prompt, "[PRODUCTION]"); i >= 0 {
		line := prompt[i:]
		if j := strings.IndexByte(line, '\n'); j >= 0 {
			line = line[:j]
		}
		if strings.Contains(line, "\x1b[3") || strings.Contains(line, "\x1b[1m") {
			t.Errorf("prompt has colour escapes under NO_COLOR: %q", line)
		}
	}
}

func TestConnectReResolvesTheEnvironment(t *testing.T) {
	dev, prod := pgtest.DB(t), pgtest.Clone(t, pgtest.DB(t), "prod")
	cfg := writeConfig(t, fmt.Sprintf(`
[envs.dev]
dsn = "host=%s port=%d user=%s dbname=%s"
tier = "development"
label = "DEV"

[envs.prod]
dsn = "host=%s port=%d user=%s dbname=%s"
tier = "production"
label = "PROD"
`, dev.Host, dev.Port, dev.User, dev.DBName, prod.Host, prod.Port, prod.User, prod.DBName))
	term := startTerminal(t, []string{"SAFESQL_CONFIG=" + cfg}, "-X", "dev")
	term.waitFor("DEV")
	term.send("\\c " + prod.DBName + "\r")
	term.waitFor(`You are now connected to database "` + prod.DBName + `"`)
	term.waitFor("PROD")
	term.send("\\q\r")
	_ = term.cmd.Wait()
}

func TestPasswordPromptOnTheTerminal(t *testing.T) {
	p := pgtest.DB(t)
	pgtest.PasswordRole(t, "pw_prompt", "s3cret-pw")
	env := []string{"PGHOST=" + p.Host, fmt.Sprintf("PGPORT=%d", p.Port), "PGDATABASE=" + p.DBName, "PGUSER=pw_prompt", "PGPASSFILE=/nonexistent"}
	term := startTerminal(t, env, "-X", "-W", "-Atc", "select 'in as ' || current_user")
	term.waitFor("Password for user pw_prompt: ")
	term.send("s3cret-pw\r")
	term.waitFor("in as pw_prompt")
	_ = term.cmd.Wait()
	term.mu.Lock()
	defer term.mu.Unlock()
	if strings.Contains(term.seen.String(), "s3cret-pw") {
		t.Error("the password was echoed")
	}
}

// TestTypedAheadNeverAnswersAQuestion: in --plain, a statement and the
// word pasted together do not run the statement; the word typed after
// the question shows does.
func TestTypedAheadNeverAnswersAQuestion(t *testing.T) {
	conn, env := safetyDB(t)
	term := startTerminal(t, append(env, "NO_COLOR=1"), "-X", "--plain", "prod")
	term.waitFor("=#")
	term.send("\\write\r")
	term.waitFor("Type production to allow writes:")
	term.send("production\r")
	term.waitFor("=# ")
	term.send("delete from orders;\rproduction\r") // one write: pasted
	term.waitFor("Type production to run it (anything else aborts):")
	term.waitFor("(what was typed before this question does not answer it: it waits for the prompt)")
	time.Sleep(500 * time.Millisecond)
	term.mu.Lock()
	ran := strings.Contains(term.seen.String(), "DELETE 100")
	term.mu.Unlock()
	if ran {
		t.Fatal("the word typed ahead answered the question: DELETE ran")
	}
	term.send("production\r")
	// Without WHERE the number of rows is typed too (confirm_test.go).
	term.waitFor("It removes 100 rows. Type that number")
	term.send("100\r")
	term.waitFor("DELETE 100")
	// The word typed ahead came back to the prompt, as a line of input
	// (an unfinished statement, which \r clears).
	term.waitFor("# production\r\n")
	term.send("\\r\r")
	term.waitFor("Query buffer reset (cleared).")
	term.send("commit;\r")
	term.waitFor("Type production to commit")
	term.send("production\r")
	term.waitFor("\r\nCOMMIT\r\n")
	if n := count(t, conn, "orders"); n != 0 {
		t.Fatalf("%d orders left after the confirmed delete", n)
	}
}

// waitForQuery waits until a session of p's database is running a
// statement that holds text (as pg_stat_activity shows it), so that what the test does next (a
// Ctrl-C) meets the query running rather than a fixed time after it was
// typed.
func waitForQuery(t *testing.T, p pgtest.Params, text string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	for {
		var n int
		err := c.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND strpos(query, $1) > 0 AND query !~* '^\\s*explain'", text).Scan(&n)
		if err != nil {
			t.Fatalf("waiting for a statement with %q to run: %v", text, err)
		}
		if n > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
