package render

import (
	"testing"
)

// oldASCIILayouts are the layouts linestyle old-ascii is tried in: those
// of the unicode styles, and narrower wrapped ones, where expanded records
// are as narrow as their "RECORD n" lines allow.
func oldASCIILayouts() [][]string {
	sets := unicodeLayouts()
	for _, b := range []string{"0", "1", "2"} {
		sets = append(sets,
			[]string{"-P", "format=wrapped", "-P", "columns=20", "-P", "border=" + b},
			[]string{"-P", "format=wrapped", "-P", "columns=20", "-P", "border=" + b, "-t", "-P", "null=N"},
			[]string{"-x", "-P", "format=wrapped", "-P", "columns=20", "-P", "border=" + b},
			[]string{"-x", "-P", "format=wrapped", "-P", "columns=14", "-P", "border=" + b, "-P", "title=A title"},
			[]string{"-x", "-P", "format=wrapped", "-P", "columns=5", "-P", "border=" + b},
			[]string{"-x", "-P", "format=wrapped", "-P", "columns=1", "-P", "border=" + b},
			[]string{"-x", "-P", "footer=off", "-P", "border=" + b},
			[]string{"-P", "expanded=auto", "-P", "columns=20", "-P", "border=" + b},
		)
	}
	return sets
}

// TestOldASCIIAgainstPsql prints with linestyle old-ascii in every layout,
// values and headers of several lines, long values to wrap, through psql
// and through us.
func TestOldASCIIAgainstPsql(t *testing.T) {
	fx := setup(t)
	qs := []struct{ name, sql string }{
		{"text", `SELECT id, txt, n FROM t WHERE id IN (1, 2, 3, 4, 6, 7, 8, 9, 10) ORDER BY id`},
		{"multiline_header", "SELECT 1 AS \"two\nline\", 'x' AS \"a\", E'p\\nq' AS \"three\nline\nname\", 'a much longer value than the header' AS \"a_rather_long_column_name\""},
		{"multiline", "SELECT 1 AS \"two\nline\", E'x\\ny\\nz' AS b, 'abc' AS c, E'p\\nq' AS \"three\nline\nname\" UNION ALL SELECT 22, 'k', E'm\\nn', 'r'"},
		{"multiline_flat_headers", "SELECT 1 AS a_long_header_name, E'x\\ny' AS b, 'abc' AS c, E'\\nq' AS d, E'' AS e, E'w\\n' AS f"},
		{"multiline_last_header", "SELECT 1 AS a_long_header_name, E'x\\ny' AS b, 'a fairly long value to wrap around' AS \"two\nlines\""},
		{"header_only_multiline", "SELECT 1 AS \"h\ni\", 'v' AS w, '' AS \"\n\""},
		{"wrap", "SELECT 1 AS a, 'a fairly long value to wrap around here' AS b, E'x\\ny' AS c, 'another long-ish value here' AS d, E'\\nq' AS e UNION ALL SELECT 2, 'short', '', NULL, 'one more rather long value'"},
		{"one_column", `SELECT g AS n FROM generate_series(1, 3) g`},
		{"one_multiline_column", "SELECT E'a\\nbb\\n' || repeat('long ', g) AS \"v\nw\" FROM generate_series(1, 4) g"},
		{"empty", `SELECT id, txt FROM t WHERE false`},
		{"zero_columns", `SELECT FROM t WHERE id < 4`},
		{"wide", `SELECT txt AS "名前", id AS "🎉", f8 FROM t WHERE id IN (3, 4, 5, 6) ORDER BY id`},
		{"wide_multiline", "SELECT E'日本語\\nテキストです' AS \"名\n前\", '😀🎉😀🎉😀🎉😀🎉😀🎉😀🎉' AS e"},
		{"many_rows", `SELECT g AS n, repeat(E'x\n', g % 3) AS s FROM generate_series(1, 12) g`},
	}
	var runs []psqlRun
	for _, q := range qs {
		for _, layout := range oldASCIILayouts() {
			runs = append(runs, psqlRun{q.name, q.sql, append([]string{"-P", "linestyle=old-ascii"}, layout...)})
		}
	}
	comparePsqlRuns(t, fx, runs)
}
