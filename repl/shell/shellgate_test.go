package shell

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/internal/termtest"
)

// prodShellRefusal is what follows "WHAT: " in every refusal of the shell
// gate under production().
const prodShellRefusal = `shell commands are refused in production (environment "prod"); set allow_shell = true for it in the config to allow them`

// gateCase is one way to start a program: run types command under env
// (MARKER: a file the program creates).
type gateCase struct {
	name    string
	env     map[string]string
	command string
	refused string // what the refusal names
}

func gateCases() []gateCase {
	return []gateCase{
		{name: `\!`, command: `\! touch MARKER`, refused: `\!`},
		{name: "backquote", command: "\\set x `touch MARKER`", refused: "`touch MARKER`"},
		{name: `\o |cmd`, command: "\\o |touch MARKER\n\\o", refused: `\o |touch MARKER`},
		{name: `\g |cmd`, command: `select 1 \g |touch MARKER`, refused: `\g |touch MARKER`},
		{name: `\gx |cmd`, command: `select 1 \gx |touch MARKER`, refused: `\gx |touch MARKER`},
		{name: `\w |cmd`, command: "select 1\n" + `\w |touch MARKER`, refused: `\w |touch MARKER`},
		{name: "copy to program", command: `\copy customers to program 'touch MARKER'`, refused: `\copy ... to program "touch MARKER"`},
		{name: "copy from program", command: `\copy audit_log (what) from program 'touch MARKER; echo x'`, refused: `\copy ... from program "touch MARKER; echo x"`},
		{name: `\e`, env: map[string]string{"EDITOR": "touch MARKER;true"}, command: "select 1\n" + `\e`, refused: `\e (the editor "touch MARKER;true")`},
		{name: `\ef`, env: map[string]string{"EDITOR": "touch MARKER;true"}, command: `\ef log_delete`, refused: `\ef (the editor "touch MARKER;true")`},
		{name: `\ev`, env: map[string]string{"EDITOR": "touch MARKER;true"}, command: `\ev`, refused: `\ev (the editor "touch MARKER;true")`},
	}
}

// gateHarness is a harness whose streams have env, with MARKER replaced
// by marker.
func gateHarness(t *testing.T, p engine.Policy, env map[string]string, marker string) *harness {
	t.Helper()
	h := newHarness(t, p)
	vars := map[string]string{}
	for k, v := range env {
		vars[k] = strings.ReplaceAll(v, "MARKER", marker)
	}
	h.sess.streams, h.out, h.errb = termtest.Streams("", vars)
	h.sess.out = h.sess.streams.Out
	return h
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}

func TestShellGateRefusesEveryProgramInProduction(t *testing.T) {
	for _, tc := range gateCases() {
		t.Run(tc.name, func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "ran")
			h := gateHarness(t, production(), tc.env, marker)
			h.run(strings.ReplaceAll(tc.command, "MARKER", marker))
			want := strings.ReplaceAll(tc.refused, "MARKER", marker) + ": " + prodShellRefusal + "\n"
			if got := h.errb.String(); got != want {
				t.Errorf("stderr\n%q\nwant\n%q", got, want)
			}
			if exists(marker) {
				t.Errorf("the program ran: %s exists", marker)
			}
			if n := h.committed("SELECT count(*) FROM audit_log"); n != 0 {
				t.Errorf("%d rows copied in", n)
			}
		})
	}
}

func TestShellGateLetsProgramsRunLocally(t *testing.T) {
	for _, tc := range gateCases() {
		t.Run(tc.name, func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "ran")
			h := gateHarness(t, psqlPolicy(), tc.env, marker)
			h.run(strings.ReplaceAll(tc.command, "MARKER", marker))
			if !exists(marker) {
				t.Errorf("the program did not run (stderr %q)", h.errb.String())
			}
			if strings.Contains(h.errb.String(), "refused") {
				t.Errorf("refused locally: %q", h.errb.String())
			}
		})
	}
}

// TestShellGateKeepsTheBuffer: a refused \g |cmd sends nothing and keeps
// the query buffer (\p shows it, and it waits for the next entry, as in
// psql: a ';' then sends it).
func TestShellGateKeepsTheBuffer(t *testing.T) {
	h := gateHarness(t, production(), nil, "")
	h.run("select 41 + 1 as n \\g |cat\n\\p")
	if want := "select 41 + 1 as n \n"; h.out.String() != want {
		t.Fatalf("stdout %q, want %q (stderr %q)", h.out.String(), want, h.errb.String())
	}
	h.run(";")
	if want := "select 41 + 1 as n \n n  \n----\n 42\n(1 row)\n\n"; h.out.String() != want {
		t.Fatalf("stdout %q, want %q (stderr %q)", h.out.String(), want, h.errb.String())
	}
}

func TestShellGateRefusesSetenvOfPrograms(t *testing.T) {
	for _, name := range []string{"PAGER", "PSQL_PAGER", "EDITOR", "PSQL_EDITOR", "VISUAL", "SHELL"} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(name, "before")
			h := newHarness(t, production())
			h.run(`\setenv ` + name + ` touch /tmp/x`)
			want := `\setenv ` + name + ": " + prodShellRefusal + "\n"
			if got := h.errb.String(); got != want {
				t.Errorf("stderr %q, want %q", got, want)
			}
			if got := os.Getenv(name); got != "before" {
				t.Errorf("%s is %q", name, got)
			}
			h.run(`\setenv ` + name)
			if got := os.Getenv(name); got != "before" {
				t.Errorf("unset: %s is %q", name, got)
			}

			local := newHarness(t, psqlPolicy())
			local.run(`\setenv ` + name + ` after`)
			if got := os.Getenv(name); got != "after" || local.errb.String() != "" {
				t.Errorf("local: %s is %q (stderr %q)", name, got, local.errb.String())
			}
		})
	}
	h := newHarness(t, production())
	t.Setenv("SAFESQL_GATE_TEST", "")
	h.run(`\setenv SAFESQL_GATE_TEST 1`)
	if got := os.Getenv("SAFESQL_GATE_TEST"); got != "1" || h.errb.String() != "" {
		t.Errorf("another variable: %q (stderr %q)", got, h.errb.String())
	}
}

func TestShellGatePrintsWithoutThePager(t *testing.T) {
	for _, tc := range []struct {
		name   string
		policy engine.Policy
		paged  bool
	}{{"production", production(), false}, {"local", psqlPolicy(), true}} {
		t.Run(tc.name, func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "ran")
			h := gateHarness(t, tc.policy, map[string]string{"PAGER": "touch MARKER; sed 's/^/paged: /'"}, marker)
			h.sess.streams.InTTY, h.sess.streams.OutTTY = true, true
			h.sess.Print.Pager = 2 // always
			h.run("select 1 as n;")
			want := " n \n---\n 1\n(1 row)\n\n"
			if tc.paged {
				want = "paged:  n \npaged: ---\npaged:  1\npaged: (1 row)\npaged: \n"
			}
			if got := h.out.String(); got != want || h.errb.String() != "" {
				t.Errorf("stdout %q, want %q (stderr %q)", got, want, h.errb.String())
			}
			if exists(marker) != tc.paged {
				t.Errorf("pager started: %v, want %v", exists(marker), tc.paged)
			}
		})
	}
}
