package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// The shell a tired DBA trusts at 3 a.m. (issue 13): what the TUI draws
// at 120, 80 and 40 columns.

// sizes3am are the windows the issue was tried on.
var sizes3am = []struct{ w, h int }{{120, 35}, {80, 24}, {40, 12}}

// prodConfigWith is prodConfig with more settings for the environment.
func prodConfigWith(t *testing.T, p pgtest.Params, extra string) string {
	return writeConfig(t, fmt.Sprintf(`
[envs.prod]
dsn = "host=%s port=%d user=%s dbname=%s"
tier = "production"
label = "PROD"
%s
`, p.Host, p.Port, p.User, p.DBName, extra))
}

// TestTUIStatusLineTicksAndWarnsWhileIdle: a transaction left open at the
// prompt is counted each second, flagged once older than
// transaction_warning, and the server's idle timeout is announced before
// it ends the session.
func TestTUIStatusLineTicksAndWarnsWhileIdle(t *testing.T) {
	p := pgtest.DB(t)
	cfg := prodConfigWith(t, p, `transaction_warning = "2s"
idle_in_transaction_session_timeout = "6s"`)
	for _, size := range sizes3am {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			s := startScreen(t, size.w, size.h, tuiEnv(t, cfg, "xterm-256color"), "-X", "prod")
			s.waitFor("read-only")
			// A read typed at the prompt holds no transaction; BEGIN does.
			s.line("begin;")
			s.waitFor("tx open 1s")
			// Nothing typed: the status line goes on counting, and the
			// long-transaction warning comes.
			s.waitFor("⚠ tx open 2s") // past transaction_warning; from 3s on the idle warning takes its place
			// The last half of the idle timeout (3s) is announced.
			s.waitUntil("the idle timeout's warning", func(screen string) bool {
				return strings.Contains(screen, "⚠ the server ends this idle transaction in 2s") ||
					strings.Contains(screen, "⚠ idle tx ends in 2s")
			})
			s.waitUntil("the idle timeout's end", func(screen string) bool {
				return strings.Contains(screen, "⚠ idle_in_transaction_session_timeout passed: the server has ended the session") ||
					strings.Contains(screen, "⚠ idle timeout passed")
			})
			s.key("C-d")
			s.waitExit(0)
		})
	}
}

// scrollback is the whole pane: its scrollback and the screen.
func (s *screen) scrollback() string { return s.tmux("capture-pane", "-p", "-t", "0", "-S", "-") }

// frameRows are the rows of a frame's top and bottom borders, with their
// widths, in text.
func frameRows(text string) (tops, bottoms []int) {
	for _, l := range strings.Split(text, "\n") {
		w := len([]rune(strings.TrimRight(l, " ")))
		switch {
		case strings.HasPrefix(l, "╭─"):
			tops = append(tops, w)
		case strings.HasPrefix(l, "╰─"):
			bottoms = append(bottoms, w)
		}
	}
	return tops, bottoms
}

// onlyFrame checks that the pane, scrollback included, holds exactly one
// frame (the editor's or the confirmation's now on the screen), w wide.
func onlyFrame(t *testing.T, s *screen, w int) {
	t.Helper()
	all := s.scrollback()
	tops, bottoms := frameRows(all)
	if len(tops) != 1 || len(bottoms) != 1 || tops[0] != w || bottoms[0] != w {
		t.Errorf("want one frame %d wide in the pane and its scrollback, got tops %v and bottoms %v:\n%s", w, tops, bottoms, all)
	}
}

// TestTUINoFrameOfTheWrongWidthIsLeftBehind: the editor's and the
// confirmation's first frames are drawn at the window's width: no frame
// of another width is left in the scrollback.
func TestTUINoFrameOfTheWrongWidthIsLeftBehind(t *testing.T) {
	p := pgtest.DB(t)
	cfg := prodConfig(t, p)
	for _, size := range sizes3am {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			s := startScreen(t, size.w, size.h, tuiEnv(t, cfg, "xterm-256color"), "-X", "prod")
			s.waitFor("read-only")
			for i := range 3 {
				s.line(fmt.Sprintf("select %d as n;", i))
				s.waitInScrollback("(1 row)")
			}
			s.line(`\write`)
			s.waitFor("Type production")
			onlyFrame(t, s, size.w)
			s.line("production")
			s.waitFor("WRITE")
			onlyFrame(t, s, size.w)
			s.key("C-d")
			s.waitExit(0)
		})
	}
}

// eightLines is a recalled 8-line entry.
const eightLines = `delete from gadgets
where id in (
  select id
  from gadgets
  where id > 40
  order by id
  limit 2
);`

// envWithHistory is tuiEnv with a history for prod that holds entries.
func envWithHistory(t *testing.T, cfg string, entries ...string) []string {
	t.Helper()
	state := t.TempDir()
	dir := filepath.Join(state, "safesql", "history")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(strconv.Quote(e) + "\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "prod"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"SAFESQL_CONFIG=" + cfg, "TERM=xterm-256color", "XDG_STATE_HOME=" + state, "HOME=" + t.TempDir()}
}

// lineStarting is the screen's line that holds want, and whether want
// starts it.
func lineStarting(screen, want string) (string, bool) {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, want) {
			return l, strings.HasPrefix(l, want)
		}
	}
	return "", false
}

// TestTUINoticesStartAtColumnZeroAndLongEntriesStayIntact: the history
// warning and reverse search start at the left edge, and typing at the
// end of a recalled 8-line entry leaves its lines in place.
func TestTUINoticesStartAtColumnZeroAndLongEntriesStayIntact(t *testing.T) {
	p := pgtest.DB(t)
	cfg := prodConfig(t, p)
	for _, size := range sizes3am {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			s := startScreen(t, size.w, size.h, envWithHistory(t, cfg, eightLines), "-X", "prod")
			s.waitFor("read-only")
			s.key("Up")
			got := s.waitFor("⚠")
			if l, ok := lineStarting(got, "⚠ DESTRUCTIVE"); !ok {
				t.Errorf("the history warning does not start at column 0: %q\n%s", l, got)
			}
			// Type at the end of the entry: every line stays whole, where
			// it was, the typed text at the end of the last.
			s.key("C-End")
			s.typeText(" -- checked")
			got = s.waitFor("-- checked")
			for _, want := range strings.Split(eightLines, "\n")[2:7] {
				if !strings.Contains(got, "│ PROD -# "+want) && !strings.Contains(got, "-> "+want) {
					t.Errorf("line %q of the recalled entry is not whole on the screen:\n%s", want, got)
				}
			}
			if !strings.Contains(got, ");  -- checked") && !strings.Contains(got, "); -- checked") {
				t.Errorf("the typed text is not at the end of the entry:\n%s", got)
			}
			s.key("C-c")
			s.key("C-r")
			got = s.waitFor("reverse-i-search")
			if l, ok := lineStarting(got, "(reverse-i-search)"); !ok {
				t.Errorf("(reverse-i-search) does not start at column 0: %q\n%s", l, got)
			}
			s.key("C-g")
			s.waitUntil("the search to end", func(screen string) bool { return !strings.Contains(screen, "reverse-i-search") })
			s.key("C-d")
			s.waitExit(0)
		})
	}
}

// TestPlainReverseSearchStartsAtColumnZero: in --plain, readline's
// reverse search ("bck-i-search") starts at the left edge too.
func TestPlainReverseSearchStartsAtColumnZero(t *testing.T) {
	p := pgtest.DB(t)
	cfg := prodConfig(t, p)
	for _, size := range sizes3am {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			s := startScreen(t, size.w, size.h, envWithHistory(t, cfg, "select 42 as answer;"), "-X", "--plain", "prod")
			s.waitFor("=#")
			s.key("C-r")
			s.typeText("42")
			got := s.waitFor("bck-i-search: 42")
			if l, ok := lineStarting(got, "bck-i-search: 42"); !ok {
				t.Errorf("readline's search does not start at column 0: %q\n%s", l, got)
			}
			s.key("Enter")
			s.key("Enter")
			s.waitInScrollback("(1 row)")
			s.line(`\q`)
			s.waitExit(0)
		})
	}
}

// TestTUIConfirmationShowsTheWholeStatement: the statement being
// confirmed is never cut: every word of it is on the screen, wrapped,
// after PgDn where the confirmation is taller than the window.
func TestTUIConfirmationShowsTheWholeStatement(t *testing.T) {
	p := pgtest.DB(t)
	conn, err := pgx.Connect(context.Background(), p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `create table customers (id int primary key, region text);
create table refunds (order_id int);
create table orders (id int primary key, status text, placed_at timestamptz, customer_id int, total int,
	note text, coupon text, channel text, warehouse_id int);
insert into customers values (1, 'emea');
insert into orders select g, 'cancelled', now() - interval '100 days', 1, 10, null, null, 'web', 7 from generate_series(1, 30) g`); err != nil {
		t.Fatal(err)
	}
	statement := []string{
		"delete from orders",
		"where status = 'cancelled' and placed_at < now() - interval '90 days' and customer_id in (select id from customers where region = 'emea')",
		"and id not in (select order_id from refunds)",
		"and total < 1000 and note is null and coupon is null",
		"and channel = 'web'",
		"and warehouse_id = 7;",
	}
	cfg := prodConfig(t, p)
	for _, size := range sizes3am {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			s := startScreen(t, size.w, size.h, tuiEnv(t, cfg, "xterm-256color"), "-X", "prod")
			s.waitFor("read-only")
			s.line(`\write`)
			s.waitFor("production")
			s.line("production")
			s.waitFor("WRITE")
			for _, l := range statement {
				s.line(l)
			}
			s.waitUntil("the confirmation", func(screen string) bool {
				return strings.Contains(screen, "Type production") || strings.Contains(screen, "production?")
			})
			var seen strings.Builder
			for range 8 {
				got := s.text()
				seen.WriteString(got)
				for _, l := range strings.Split(got, "\n") {
					if strings.HasPrefix(l, "│") && strings.Contains(l, "…") {
						t.Errorf("a line of the confirmation is cut: %q\n%s", l, got)
					}
				}
				s.key("NPage")
				s.waitUntil("the screen after PgDn", func(screen string) bool { return screen != got || !strings.Contains(got, "PgDn") })
			}
			flat := strings.Join(strings.Fields(strings.ReplaceAll(seen.String(), "│", " ")), " ")
			for _, w := range strings.Fields(strings.Join(statement, " ")) {
				if !strings.Contains(flat, w) {
					t.Errorf("%q of the statement was never on the screen:\n%s", w, seen.String())
				}
			}
			if !strings.Contains(flat, "30") {
				t.Errorf("the dry run's count (30 rows) was never on the screen:\n%s", seen.String())
			}
			s.key("Escape")
			s.waitInScrollback("aborted")
		})
	}
}

// TestCtrlLClearsTheScreen: Ctrl-L clears the screen and draws the frame
// (or the prompt, in --plain) at its top, the text typed kept.
func TestCtrlLClearsTheScreen(t *testing.T) {
	p := pgtest.DB(t)
	cfg := prodConfig(t, p)
	for _, plain := range []bool{false, true} {
		for _, size := range sizes3am {
			name := fmt.Sprintf("tui/%dx%d", size.w, size.h)
			args := []string{"-X", "prod"}
			if plain {
				name, args = fmt.Sprintf("plain/%dx%d", size.w, size.h), []string{"-X", "--plain", "prod"}
			}
			t.Run(name, func(t *testing.T) {
				s := startScreen(t, size.w, size.h, tuiEnv(t, cfg, "xterm-256color"), args...)
				s.waitFor("=#")
				s.line("select 'before' || 'clear' as marker;")
				s.waitFor("beforeclear")
				s.editorReady()
				s.typeText("select 'kept'")
				s.waitFor("'kept'")
				s.key("C-l")
				got := ""
				s.waitUntil("a cleared screen", func(screen string) bool {
					got = screen
					return !strings.Contains(screen, "beforeclear") && strings.Contains(screen, "'kept'")
				})
				first := strings.SplitN(got, "\n", 2)[0]
				if plain && !strings.HasPrefix(first, "PROD ") || !plain && !strings.HasPrefix(first, frameTop) {
					t.Errorf("the screen does not start with the prompt or the frame:\n%s", got)
				}
				s.line(" as k;")
				s.waitInScrollback("(1 row)")
				// \q, not Ctrl-D: at 40x12 a Ctrl-D sent as the frame
				// comes back was lost once in a loaded run (noted; the
				// other TUI tests leave with Ctrl-D)
				s.editorReady()
				s.line(`\q`)
				s.waitExit(0)
			})
		}
	}
}

// TestTUIRecallMarksIncompleteNotDestructive: a recalled `select 1 from (`
// is said to be incomplete, not DESTRUCTIVE; a recalled DELETE is.
func TestTUIRecallMarksIncompleteNotDestructive(t *testing.T) {
	p := pgtest.DB(t)
	cfg := prodConfig(t, p)
	for _, size := range sizes3am {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			s := startScreen(t, size.w, size.h, envWithHistory(t, cfg, "delete from gadgets;", "select 1 from ("), "-X", "prod")
			s.waitFor("read-only")
			s.key("Up")
			got := s.waitFor("incomplete statement")
			if l, ok := lineStarting(got, "incomplete statement"); !ok || strings.Contains(got, "DESTRUCTIVE") {
				t.Errorf("the recalled incomplete statement is not marked as such at column 0 (%q), or marked DESTRUCTIVE:\n%s", l, got)
			}
			s.key("Up")
			got = s.waitFor("DESTRUCTIVE")
			if strings.Contains(got, "incomplete statement") {
				t.Errorf("the incomplete mark stayed on the DELETE:\n%s", got)
			}
			s.key("C-c")
			s.editorReady()
			s.key("C-d")
			s.waitExit(0)
		})
	}
}

// TestTUIResizeLeavesNoFrameBehind: narrower, wider and back, the editor
// on the screen: the pane and its scrollback hold the one frame, as wide
// as the window. Not at 40×12 yet: there, narrowing 47 → 39 columns
// still leaves the old frame whole above the new one (tmux's reflow of a
// full 12-row screen puts the cursor below where reflow.go counts it).
func TestTUIResizeLeavesNoFrameBehind(t *testing.T) {
	p := pgtest.DB(t)
	cfg := prodConfig(t, p)
	for _, size := range sizes3am[:2] {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			s := startScreen(t, size.w, size.h, tuiEnv(t, cfg, "xterm-256color"), "-X", "prod")
			s.waitFor("read-only")
			s.line("select 1 as n;")
			s.waitInScrollback("(1 row)")
			s.typeText("select 'typed'")
			for _, w := range []int{size.w - 13, size.w + 7, size.w - 1, size.w} {
				s.tmux("resize-window", "-t", "0", "-x", fmt.Sprint(w), "-y", fmt.Sprint(size.h))
				s.waitUntil(fmt.Sprintf("a frame %d wide", w), func(screen string) bool { return frameWidth(screen) == w })
				s.editorReady()
				onlyFrame(t, s, w)
			}
			s.line(" as t;")
			got := s.waitFor("(1 row)")
			if !strings.Contains(got, "typed") {
				t.Errorf("the text typed before the resizes was lost:\n%s", got)
			}
			s.editorReady()
			s.line(`\q`) // see TestCtrlLClearsTheScreen: not Ctrl-D
			s.waitExit(0)
		})
	}
}
