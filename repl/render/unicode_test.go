package render

import (
	"bytes"
	"strings"
	"testing"
)

// unicodeCombos are the eight settings of psql's unicode_border_linestyle,
// unicode_column_linestyle and unicode_header_linestyle, as -P flags.
func unicodeCombos() [][]string {
	var sets [][]string
	for _, b := range []string{"single", "double"} {
		for _, c := range []string{"single", "double"} {
			for _, h := range []string{"single", "double"} {
				sets = append(sets, []string{"-P", "unicode_border_linestyle=" + b,
					"-P", "unicode_column_linestyle=" + c, "-P", "unicode_header_linestyle=" + h})
			}
		}
	}
	return sets
}

// unicodeLayouts are the layouts every unicode combination is tried in:
// aligned and wrapped at each border, expanded (plain and wrapped) at each
// border, with titles, tuples-only, footers off and expanded auto.
func unicodeLayouts() [][]string {
	var sets [][]string
	for _, b := range []string{"0", "1", "2", "3"} {
		sets = append(sets,
			[]string{"-P", "border=" + b},
			[]string{"-P", "border=" + b, "-t"},
			[]string{"-P", "border=" + b, "-P", "title=A title"},
			[]string{"-P", "format=wrapped", "-P", "columns=40", "-P", "border=" + b},
			[]string{"-P", "format=wrapped", "-P", "columns=12", "-P", "border=" + b, "-P", "title=T"},
			[]string{"-x", "-P", "border=" + b},
			[]string{"-x", "-t", "-P", "border=" + b},
			[]string{"-x", "-P", "border=" + b, "-P", "title=A title", "-P", "null=NULL"},
			[]string{"-x", "-P", "format=wrapped", "-P", "columns=30", "-P", "border=" + b},
			[]string{"-x", "-t", "-P", "format=wrapped", "-P", "columns=20", "-P", "border=" + b},
		)
	}
	return append(sets,
		[]string{"-P", "footer=off", "-P", "border=2"},
		[]string{"-P", "expanded=auto", "-P", "columns=30", "-P", "border=2"},
		[]string{"-P", "expanded=auto", "-P", "columns=1000", "-P", "border=2"},
	)
}

// TestUnicodeLineStylesAgainstPsql prints with linestyle unicode in every
// combination of single and double border, column and header lines, in
// every layout, through psql and through us.
func TestUnicodeLineStylesAgainstPsql(t *testing.T) {
	fx := setup(t)
	qs := []struct{ name, sql string }{
		{"text", `SELECT id, txt, n FROM t WHERE id IN (1, 2, 3, 4, 6, 7, 8, 10) ORDER BY id`},
		{"multiline_header", "SELECT 1 AS \"two\nline\", 'x' AS \"a\", E'p\\nq' AS \"three\nline\nname\", 'a much longer value than the header' AS \"a_rather_long_column_name\""},
		{"one_column", `SELECT g AS n FROM generate_series(1, 3) g`},
		{"empty", `SELECT id, txt FROM t WHERE false`},
		{"zero_columns", `SELECT FROM t WHERE id < 4`},
		{"wide", `SELECT txt AS "名前", id AS "🎉", f8 FROM t WHERE id IN (3, 4, 5, 6) ORDER BY id`},
	}
	var runs []psqlRun
	for _, q := range qs {
		for _, combo := range unicodeCombos() {
			for _, layout := range unicodeLayouts() {
				args := append(append([]string{"-P", "linestyle=unicode"}, combo...), layout...)
				runs = append(runs, psqlRun{q.name, q.sql, args})
			}
		}
		// The options change nothing in ascii.
		runs = append(runs, psqlRun{q.name, q.sql, []string{"-P", "unicode_border_linestyle=double",
			"-P", "unicode_column_linestyle=double", "-P", "unicode_header_linestyle=double", "-P", "border=2"}})
	}
	comparePsqlRuns(t, fx, runs)
}

// psqlRun is one psql command line over one query, for comparePsqlRuns.
type psqlRun struct {
	name, sql string
	args      []string
}

// comparePsqlRuns runs every run through psql in one batch and requires
// our rendering of each, with the same -P options, to be psql's.
func comparePsqlRuns(t *testing.T, fx *fixture, runs []psqlRun) {
	t.Helper()
	argLists := make([][]string, len(runs))
	for i, r := range runs {
		argLists[i] = append(append([]string{}, r.args...), "-c", r.sql)
	}
	outs, errs := fx.psqlAll(t, argLists)
	for i, r := range runs {
		want, stderr := outs[i], errs[i]
		t.Run(r.name+"/"+strings.Join(r.args, " "), func(t *testing.T) {
			if len(stderr) > 0 {
				t.Fatalf("psql stderr: %s", stderr)
			}
			got := render(t, fx, r.sql, optionsFor(t, r.args))
			if !bytes.Equal(got, want) {
				t.Errorf("psql %s -c %q\n%s", strings.Join(r.args, " "), r.sql, diff(want, got))
			}
		})
	}
}
