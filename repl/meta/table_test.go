package meta

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/render"
)

// stateHost is a Host with the state \? shows; anything else it is asked
// panics (the embedded nil interface), so a help that reads more fails.
type stateHost struct {
	Host
	print  render.Options
	timing bool
}

func (h *stateHost) Print() *render.Options { return &h.print }
func (h *stateHost) Timing() bool           { return h.timing }
func (h *stateHost) ConnInfo() ConnInfo     { return ConnInfo{Database: "mydb"} }

// TestHelpIsPsqlLayout: \? is what the shell printed before the table
// moved here (testdata, byte for byte; repl/e2e's TestHelp compares
// it with psql's own), in a fresh session and with the toggles changed.
func TestHelpIsPsqlLayout(t *testing.T) {
	table, err := NewDefaultTable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		file string
		host *stateHost
	}{
		{"testdata/help.txt", &stateHost{}},
		{"testdata/help-changed.txt", &stateHost{
			print:  render.Options{Expanded: render.ExpandedAuto, TuplesOnly: true, Format: render.HTML},
			timing: true,
		}},
	} {
		want, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		table.PrintHelp(&got, tt.host)
		if got.String() != string(want) {
			t.Errorf("\\? differs from %s:\n%s", tt.file, lineDiff(got.String(), string(want)))
		}
	}
}

// lineDiff shows the first line where got and want differ.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(same lines)"
}

// TestKnownCommands: every command psql 15 has (its dispatcher's list)
// and safesql's own are known, even where the table has no body for them
// (the conditionals) or package describe has them; a misspelling is not.
func TestKnownCommands(t *testing.T) {
	table, err := NewDefaultTable()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range strings.Fields(`a C c connect cd conninfo copyright crosstabview e edit ef ev echo qecho warn
		if elif else endif encoding errverbose f g gx gdesc getenv gexec gset h help H html i include ir
		include_relative l list l+ list+ o out p print password prompt pset q quit r reset restrict s set
		setenv sf sf+ sv sv+ t T timing unrestrict unset w write watch x z ! ? write_buffer copy COPY Copy
		dt dfoo lo_list lo_x commit rollback read status dryrun envs`) {
		if !table.Known(n) {
			t.Errorf(`\%s is not known`, n)
		}
	}
	for _, n := range strings.Fields(`foo b gg qq setx lox`) {
		if table.Known(n) {
			t.Errorf(`\%s is known, and psql has no such command`, n)
		}
	}
}

// TestNamesForCompletion: completion offers every name of every row and
// the common describing commands, once each, sorted.
func TestNamesForCompletion(t *testing.T) {
	table, err := NewDefaultTable()
	if err != nil {
		t.Fatal(err)
	}
	names := table.Names()
	seen := map[string]bool{}
	for i, n := range names {
		if seen[n] {
			t.Errorf("%s is offered twice", n)
		}
		seen[n] = true
		if i > 0 && names[i-1] > n {
			t.Errorf("not sorted: %s before %s", names[i-1], n)
		}
	}
	for _, n := range []string{`\q`, `\quit`, `\gx`, `\sf+`, `\write_buffer`, `\dt`, `\l+`, `\z`, `\dryrun`, `\?`, `\!`, `\endif`} {
		if !seen[n] {
			t.Errorf("%s is not offered", n)
		}
	}
}

// TestTableRefusesDuplicates: a name in two rows is an error naming it,
// not a command that silently shadows another.
func TestTableRefusesDuplicates(t *testing.T) {
	_, err := NewTable([]Command{{Names: []string{"x"}}, {Names: []string{"y", "x"}}})
	if err == nil || !strings.Contains(err.Error(), `\x`) {
		t.Errorf("NewTable with \\x twice: %v, want an error naming \\x", err)
	}
	if _, err := NewTable([]Command{{}}); err == nil {
		t.Error("NewTable with a nameless row: no error")
	}
}

// TestEveryRowRuns: every row but the conditionals (which the loop runs)
// has a body, and every row has a section's help.
func TestEveryRowRuns(t *testing.T) {
	table, err := NewDefaultTable()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range table.rows {
		if (c.Run == nil) != (c.Section == Conditional) {
			t.Errorf(`\%s: Run set %v in section %s`, c.Names[0], c.Run != nil, c.Section)
		}
		if !strings.HasPrefix(c.Help, `\`+strings.TrimRight(c.Names[0], "+")) {
			t.Errorf(`\%s: help %q does not start with the command`, c.Names[0], c.Help)
		}
	}
}
