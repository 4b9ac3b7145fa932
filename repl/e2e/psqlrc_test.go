package e2e

import (
	"testing"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// The start-up file is read as psql reads it: PSQLRC (relative to the
// working directory here), its -15 variant first, errors shown with the
// file's name and line, -X skipping it.
func TestPsqlrcSameAsPsql(t *testing.T) {
	psql := pgtest.Psql(t)
	params := pgtest.DB(t)
	rc := "\\pset null '(null)'\n\\set answer 42\nselect nope;\n"
	cases := []struct {
		tc  psqlCase
		env []string
	}{
		{psqlCase{name: "read", args: []string{"-c", "select null as x, :answer as a"}, files: map[string]string{"rc": rc}}, []string{"PSQLRC=rc"}},
		{psqlCase{name: "version-specific first", args: []string{"-c", "\\echo :v"}, files: map[string]string{"rc": "\\set v plain\n", "rc-15": "\\set v fifteen\n"}}, []string{"PSQLRC=rc"}},
		{psqlCase{name: "skipped with -X", args: []string{"-c", "select null as x"}, files: map[string]string{"rc": rc}}, []string{"PSQLRC=rc"}},
		{psqlCase{name: "missing file", args: []string{"-c", "select 1 as one"}}, []string{"PSQLRC=nonexistent"}},
		{psqlCase{name: "before a script from standard input", args: []string{"-f", "-"}, stdin: "select null as x;\n", files: map[string]string{"rc": rc}}, []string{"PSQLRC=rc"}},
	}
	for _, c := range cases {
		t.Run(c.tc.name, func(t *testing.T) {
			psqlDB, safesqlDB := pgtest.Clone(t, params, "psql"), pgtest.Clone(t, params, "safesql")
			tc := c.tc
			if tc.name != "skipped with -X" {
				tc.noX = true
			}
			compareWithPsql(t, tc, psql, append(psqlDB.Env(), c.env...), append(safesqlDB.Env(), c.env...))
		})
	}
}
