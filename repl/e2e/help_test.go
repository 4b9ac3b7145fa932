package e2e

import (
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// \? is psql's, section by section, line by line (the program's name and
// \copyright aside), then a section of safesql's own commands; the
// "(currently ...)" parts follow the session.
func TestHelpIsPsqlsPlusSafesqls(t *testing.T) {
	psql := pgtest.Psql(t)
	params := pgtest.DB(t)
	want := runProgram(t, psql, params.Env(), "", t.TempDir(), "-X", "-c", `\x`, "-c", `\?`)
	got := runProgram(t, binary, params.Env(), "", t.TempDir(), "-X", "-c", `\x`, "-c", `\?`)
	if got.code != 0 {
		t.Fatalf("exit %d: %s", got.code, got.stderr)
	}
	ours := strings.Split(got.stdout, "\n")
	i := 0
	for _, l := range strings.Split(want.stdout, "\n") {
		switch {
		case strings.Contains(l, `\copyright`):
			continue
		case strings.Contains(l, "quit psql"), strings.Contains(l, "psql command-line options"):
			l = strings.ReplaceAll(l, "psql", "safesql")
		}
		for i < len(ours) && ours[i] != l {
			i++
		}
		if i == len(ours) {
			t.Fatalf("psql's line %q is missing or out of order in:\n%s", l, got.stdout)
		}
	}
	for _, l := range []string{"toggle expanded output (currently on)", "\nsafesql\n", `\write`, `\dryrun [STATEMENT]`} {
		if !strings.Contains(got.stdout, l) {
			t.Errorf("no %q in:\n%s", l, got.stdout)
		}
	}
	opts := runProgram(t, binary, params.Env(), "", t.TempDir(), "-X", "-c", `\? options`)
	if !strings.Contains(opts.stdout, "--single-transaction") {
		t.Errorf(`\? options does not list the options:\n%s`, opts.stdout)
	}
	vars := runProgram(t, binary, params.Env(), "", t.TempDir(), "-X", "-c", `\? variables`)
	if !strings.Contains(vars.stdout, "ON_ERROR_STOP") {
		t.Errorf(`\? variables does not list the variables:\n%s`, vars.stdout)
	}
}
