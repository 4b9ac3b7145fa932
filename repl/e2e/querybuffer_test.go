package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// TestQueryBufferKeepsTextBeforeABackslashCommand: text typed before a
// backslash command stays in psql's query buffer, is not run, and the
// next entry continues it (psql's '-' prompt); Ctrl-C at the prompt
// empties it. In --plain on a terminal.
func TestQueryBufferKeepsTextBeforeABackslashCommand(t *testing.T) {
	p := pgtest.DB(t)
	local := writeConfig(t, "unknown_tier = \"local\"\n")
	term := startTerminal(t, append(p.Env(), "SAFESQL_CONFIG="+local, "HOME="+t.TempDir(), "XDG_STATE_HOME="+t.TempDir()), "-X", "--plain")
	term.waitFor("=#")
	term.send("select 40 \\echo marker-one\r")
	term.waitFor("marker-one")
	term.waitFor("-#") // the buffer holds "select 40"
	term.send("\\p\r")
	term.waitFor("select 40 \r\n") // the space before the backslash too, as psql keeps it
	term.send("+ 2 as kept;\r")
	term.waitFor(" kept \r\n------\r\n   42\r\n(1 row)")

	// Nothing before the backslash ran on its own: "clear\d" keeps clear.
	term.send("clearx\\echo marker-two\r")
	term.waitFor("marker-two")
	term.send("\x03") // Ctrl-C at the prompt empties the buffer
	term.send("select 'after' as fresh;\r")
	term.waitFor("fresh")
	term.waitFor("after")
	if strings.Contains(term.output(), "clearx") && strings.Contains(term.output(), `syntax error at or near "clearx"`) {
		t.Errorf("the text before a backslash command was run:\n%s", term.output())
	}
}

// TestTUIQueryBufferKeepsTextBeforeABackslashCommand: the same in the
// TUI, at 120, 80 and 40 columns.
func TestTUIQueryBufferKeepsTextBeforeABackslashCommand(t *testing.T) {
	p := pgtest.DB(t)
	local := writeConfig(t, "unknown_tier = \"local\"\n")
	for _, w := range []int{120, 80, 40} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			s := startScreen(t, w, 30, append(p.Env(), tuiEnv(t, local, "xterm-256color")...), "-X")
			s.editorReady()
			s.line(`select 40 \echo marker-one`)
			s.waitFor("marker-one")
			s.line("+ 2 as kept;")
			s.waitFor("   42")
			if got := s.text(); strings.Contains(got, "syntax error") {
				t.Errorf("the text before a backslash command was run alone:\n%s", got)
			}
		})
	}
}

// output is everything the terminal has shown so far.
func (term *terminal) output() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.seen.String()
}
