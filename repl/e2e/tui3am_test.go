package e2e

import (
	"fmt"
	"strings"
	"testing"

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
			s.line("select 1 as one;")
			s.waitFor("tx open 1s")
			// Nothing typed: the status line goes on counting, and the
			// long-transaction warning comes.
			s.waitFor("⚠ tx open 3s")
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
