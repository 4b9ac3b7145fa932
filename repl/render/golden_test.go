package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// schema has every common type and the awkward values: -0, NaN, Infinity,
// newlines, tabs, CR, control characters, wide and combining characters,
// NULLs, a domain, an enum, a very long value.
const schema = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE TABLE t (
  id int4, i2 int2, i8 int8, n numeric, f4 float4, f8 float8, txt text, b bytea, ok bool,
  d date, tm time, ts timestamptz, iv interval, u uuid, j json, jb jsonb, arr int[], tarr text[],
  m mood, p posint, cash money, vc varchar(10), ch char(3), o oid
);
INSERT INTO t VALUES
 (1, 1, 10000000000, 3.14159, 1.5, 2.25, 'plain', '\xdeadbeef', true, '2024-02-29', '12:34:56',
  '2024-02-29 12:34:56.789+00', '1 year 2 mons 3 days 04:05:06', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  '{"a": 1,
  "b": [1, 2]}', '{"b": [1, 2], "a": "x"}', '{1,2,3}', '{"a b","c,d",NULL}', 'happy', 5, 12.34, 'short', 'ab', 42),
 (2, -32768, -9223372036854775808, -0.0001, '-0', '-0', E'two\nlines\nhere', '\x', false, 'infinity', '00:00',
  '-infinity', '-1 days', '00000000-0000-0000-0000-000000000000', 'null', '[]', '{}', '{}', 'sad', 1, -1, '', '', 0),
 (3, 32767, 9223372036854775807, 'NaN', 'NaN', 'Infinity', E'tab\there\tand\tmore', '\x00ff', NULL, '1999-12-31', '23:59:59.999999',
  '1999-12-31 23:59:59+00', '00:00:00.000001', NULL, '"str"', '"ü"', '{NULL}', '{"x\"y"}', 'ok', 2, 0, 'ümlaut', 'x', 4294967295),
 (4, NULL, NULL, NULL, NULL, '-Infinity', E'日本語テキスト', NULL, true, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (5, 0, 0, 1e100, 1e-30, 1.7976931348623157e308, E'emoji 😀🎉 and e\u0301 combining', NULL, false, '0001-01-01 BC', NULL, NULL, NULL, NULL, '{}', '{}', '{{1,2},{3,4}}', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (6, NULL, NULL, 123456789012345678901234567890.123456789, NULL, 0.1, E'cr\r\nlf and \x01 ctl and \x7f del and \u0085 c1', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (7, NULL, NULL, NULL, NULL, NULL, repeat('long value ', 30), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (8, NULL, NULL, NULL, NULL, NULL, E'\n', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (9, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (10, NULL, NULL, NULL, NULL, NULL, E'x\n\n', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (11, NULL, NULL, NULL, NULL, NULL, E'"quoted", \\. and ;semi', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (12, NULL, NULL, NULL, NULL, NULL, '\.', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
`

var queries = []struct{ name, sql string }{
	{"all", `SELECT * FROM t ORDER BY id`},
	{"text", `SELECT id, txt, n FROM t ORDER BY id`},
	{"wide_first", `SELECT txt AS "名前", id AS "🎉", f8 FROM t WHERE id IN (3, 4, 5, 6) ORDER BY id`},
	{"multiline_header", "SELECT 1 AS \"two\nline\", 'x' AS \"a\", E'p\\nq' AS \"three\nline\nname\""},
	{"empty", `SELECT id, txt FROM t WHERE false`},
	{"zero_columns", `SELECT FROM t WHERE id < 4`},
	{"zero_columns_one_row", `SELECT`},
	{"one_row", `SELECT 1 AS a`},
	{"nulls", `SELECT NULL::int AS a, NULL::text AS b, '' AS c`},
	{"duplicate_names", `SELECT 1 AS x, 'y' AS x`},
	{"long_title_width", `SELECT 'a' AS c`},
	{"many_rows", `SELECT g AS n, repeat('x', g % 7) AS s FROM generate_series(1, 120) g`},
	{"noncharacters_dropped", "SELECT 'a' || chr(131070) || 'b' || chr(1114111) AS \"x\U0001FFFFy\", chr(65534) AS fffe"},
	{"odd_headers", "SELECT 1 AS \"tab\there\", 2 AS \"\u00e9t\u00e9\", 3 AS \"a very long header name indeed\", 'v' AS \"日本\""},
	{"number_grouping", `SELECT v::numeric AS n, v::float8 AS f, -v::numeric AS neg FROM (VALUES ('0'), ('1'), ('12'), ('123'), ('1234'), ('12345'), ('123456'), ('1234567.891'), ('1e20'), ('-0.5'), ('NaN'), ('Infinity'), ('+12')) s(v)`},
	{"markup_specials", "SELECT E'<b>&amp;\"q\" | a\\\\b #$%^_{}~' AS \"h<&>|\\_\", E'  lead\n  next  \n' AS \"two\nlines\", '1|2' AS p, 1234567.5::numeric AS num"},
	{"blank_values", "SELECT '' AS e, ' ' AS s, E'\t \t' AS t, NULL AS n, E' \n' AS nl, 'x' AS x UNION ALL SELECT ' a', NULL, '', '', '', ''"},
	{"numbers", `SELECT 1::int2 AS i2, 2::int8 AS i8, 1.5::float4 AS f4, 'NaN'::numeric AS n, 42::oid AS o, '12'::xid AS x, '3'::cid AS c, '7'::xid8 AS x8, 1.25::money AS m, 5::posint AS dom`},
}

var optionSets = append(markupOptionSets(), [][]string{
	{},
	{"-P", "border=0"},
	{"-P", "border=2"},
	{"-P", "border=3"},
	{"-t"},
	{"-P", "null=(null)"},
	{"-P", "footer=off"},
	{"-P", "title=A title"},
	{"-P", "title=A much longer title than the table is wide, surely"},
	{"-A"},
	{"-A", "-t"},
	{"-A", "-F", ",", "-R", "#"},
	{"-A", "-P", "title=T", "-P", "null=N"},
	{"-A", "-z"},
	{"-A", "-0"},
	{"-A", "-z", "-0", "-t"},
	{"-A", "-x"},
	{"-A", "-x", "-t"},
	{"-A", "-x", "-P", "title=T"},
	{"--csv"},
	{"--csv", "-t"},
	{"--csv", "-P", "csv_fieldsep=;"},
	{"--csv", "-P", "csv_fieldsep=."},
	{"--csv", "-x"},
	{"--csv", "-P", "null=N", "-P", "title=ignored"},
	{"-A", "-x", "-P", "null=N", "-F", "=", "-R", ";"},
	{"-P", "expanded=auto", "-A"},
	{"-P", "expanded=auto", "--csv", "-P", "columns=10"},
	{"-x"},
	{"-x", "-P", "border=0"},
	{"-x", "-P", "border=2"},
	{"-x", "-t"},
	{"-x", "-t", "-P", "border=2"},
	{"-x", "-t", "-P", "border=0"},
	{"-x", "-P", "title=T", "-P", "null=NULL"},
	{"-x", "-P", "footer=off"},
	{"-P", "expanded=auto", "-P", "columns=30"},
	{"-P", "expanded=auto", "-P", "columns=1000"},
	{"-P", "format=wrapped", "-P", "columns=40"},
	{"-P", "format=wrapped", "-P", "columns=40", "-P", "border=2"},
	{"-P", "format=wrapped", "-P", "columns=40", "-P", "border=0"},
	{"-P", "format=wrapped", "-P", "columns=12"},
	{"-P", "format=wrapped"},
	{"-x", "-P", "format=wrapped", "-P", "columns=30"},
	{"-x", "-P", "format=wrapped", "-P", "columns=30", "-P", "border=0"},
	{"-x", "-P", "format=wrapped", "-P", "columns=30", "-P", "border=2"},
	{"-x", "-P", "format=wrapped", "-P", "columns=5"},
	{"-P", "linestyle=unicode"},
	{"-P", "numericlocale=on"},
	{"-P", "numericlocale=on", "-A"},
	{"-P", "numericlocale=on", "--csv"},
	{"-P", "numericlocale=on", "-x"},
	{"-P", "linestyle=unicode", "-P", "border=0"},
	{"-P", "linestyle=unicode", "-P", "border=2"},
	{"-P", "linestyle=unicode", "-P", "border=2", "-t"},
	{"-P", "linestyle=unicode", "-x"},
	{"-P", "linestyle=unicode", "-x", "-P", "border=0"},
	{"-P", "linestyle=unicode", "-x", "-P", "border=2"},
	{"-P", "linestyle=unicode", "-x", "-P", "border=2", "-t"},
	{"-P", "linestyle=unicode", "-P", "format=wrapped", "-P", "columns=40", "-P", "border=2"},
	{"-P", "linestyle=unicode", "-x", "-P", "format=wrapped", "-P", "columns=30"},
	{"-P", "linestyle=old-ascii"},
	{"-P", "linestyle=old-ascii", "-P", "border=0"},
	{"-P", "linestyle=old-ascii", "-P", "border=2", "-P", "title=T"},
	{"-P", "linestyle=old-ascii", "-x"},
	{"-P", "linestyle=old-ascii", "-x", "-P", "border=0"},
	{"-P", "linestyle=old-ascii", "-x", "-P", "border=2", "-t"},
	{"-P", "linestyle=old-ascii", "-P", "format=wrapped", "-P", "columns=40", "-P", "border=0"},
	{"-P", "linestyle=old-ascii", "-P", "format=wrapped", "-P", "columns=40", "-P", "border=2"},
	{"-P", "linestyle=old-ascii", "-x", "-P", "format=wrapped", "-P", "columns=30"},
}...)

// optionsFor turns psql flags into Options the way the CLI is meant to.
func optionsFor(t *testing.T, args []string) Options {
	t.Helper()
	o := DefaultOptions()
	for i := 0; i < len(args); i++ {
		next := func() string { i++; return args[i] }
		switch a := args[i]; a {
		case "-A":
			o.Format = Unaligned
		case "-t":
			o.TuplesOnly = true
		case "-x":
			o.Expanded = ExpandedOn
		case "--csv":
			o.Format = CSV
		case "-H":
			o.Format = HTML
		case "-T":
			o.TableAttr, o.TableAttrSet = next(), true
		case "-F":
			o.FieldSep = next()
		case "-R":
			o.RecordSep = next()
		case "-z":
			o.FieldSepZero = true
		case "-0":
			o.RecordSepZero = true
		case "-P":
			k, v, _ := strings.Cut(next(), "=")
			switch k {
			case "border":
				o.Border, _ = strconv.Atoi(v)
			case "null":
				o.Null = v
			case "footer":
				o.Footer = v == "on"
			case "title":
				o.Title = v
			case "numericlocale":
				o.NumericLocale = v == "on"
			case "linestyle":
				o.LineStyle = map[string]LineStyle{"ascii": LineASCII, "unicode": LineUnicode, "old-ascii": LineOldASCII}[v]
			case "unicode_border_linestyle", "unicode_column_linestyle", "unicode_header_linestyle":
				l, ok := map[string]UnicodeLine{"single": UnicodeSingle, "double": UnicodeDouble}[v]
				if !ok {
					t.Fatalf("optionsFor: bad %s", args[i])
				}
				*map[string]*UnicodeLine{"unicode_border_linestyle": &o.UnicodeBorder,
					"unicode_column_linestyle": &o.UnicodeColumn, "unicode_header_linestyle": &o.UnicodeHeader}[k] = l
			case "csv_fieldsep":
				o.CSVFieldSep = v
			case "columns":
				o.TermWidth, _ = strconv.Atoi(v)
			case "expanded":
				o.Expanded = map[string]Expanded{"on": ExpandedOn, "off": ExpandedOff, "auto": ExpandedAuto}[v]
			case "format":
				o.Format = map[string]Format{"aligned": Aligned, "unaligned": Unaligned, "csv": CSV, "wrapped": Wrapped,
					"html": HTML, "asciidoc": AsciiDoc, "latex": LaTeX, "latex-longtable": LaTeXLongtable, "troff-ms": TroffMS}[v]
			case "tableattr":
				o.TableAttr, o.TableAttrSet = v, true
			default:
				t.Fatalf("optionsFor: unknown -P %s", k)
			}
		default:
			t.Fatalf("optionsFor: unknown flag %s", a)
		}
	}
	return o
}

type psqlRunner struct {
	bin string
	env []string
	dir string
}

func newPsql(t *testing.T, p pgtest.Params) *psqlRunner {
	env := append(os.Environ(), p.Env()...)
	env = append(env, "PGTZ=UTC", "PGDATESTYLE=ISO, MDY", "PGCLIENTENCODING=UTF8", "LC_ALL=C.UTF-8", "PSQLRC=/nonexistent", "PAGER=", "PSQL_PAGER=", "COLUMNS=")
	return &psqlRunner{bin: pgtest.Psql(t), env: env, dir: t.TempDir()}
}

func (r *psqlRunner) run(t *testing.T, args ...string) (stdout, stderr []byte) {
	t.Helper()
	cmd := exec.Command(r.bin, append([]string{"-X", "-q"}, args...)...)
	cmd.Env = r.env
	cmd.Dir = r.dir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("psql: %v", err)
		}
	}
	return o.Bytes(), e.Bytes()
}

// runAll runs psql once per argument list, a few at a time, and returns
// each run's stdout and stderr in order.
func (r *psqlRunner) runAll(t *testing.T, argLists [][]string) (stdouts, stderrs [][]byte) {
	t.Helper()
	stdouts, stderrs = make([][]byte, len(argLists)), make([][]byte, len(argLists))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	errs := make([]error, len(argLists))
	for i, args := range argLists {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			cmd := exec.Command(r.bin, append([]string{"-X", "-q"}, args...)...)
			cmd.Env = r.env
			cmd.Dir = r.dir
			var o, e bytes.Buffer
			cmd.Stdout, cmd.Stderr = &o, &e
			if err := cmd.Run(); err != nil {
				var ee *exec.ExitError
				if !errors.As(err, &ee) {
					errs[i] = err
				}
			}
			stdouts[i], stderrs[i] = o.Bytes(), e.Bytes()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("psql: %v", err)
		}
	}
	return stdouts, stderrs
}

// connect opens a connection with the session settings psql gets from
// PGTZ and PGDATESTYLE, collecting notices.
func connect(t *testing.T, p pgtest.Params, notices *[]*pgconn.Notice) *pgconn.PgConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, err := pgconn.ParseConfig(p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["timezone"] = "UTC"
	cfg.RuntimeParams["datestyle"] = "ISO, MDY"
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		if notices != nil {
			*notices = append(*notices, n)
		}
	}
	c, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// render runs sql and prints every result with opts, as the CLI does.
func render(t *testing.T, c *pgconn.PgConn, sql string, opts Options) []byte {
	t.Helper()
	var out bytes.Buffer
	mrr := c.Exec(context.Background(), sql)
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		fds := rr.FieldDescriptions()
		cols := make([]Column, len(fds))
		for i, fd := range fds {
			cols[i] = Column{Name: fd.Name, TypeOID: fd.DataTypeOID}
		}
		tab := NewTable(&out, opts, cols)
		for rr.NextRow() {
			if err := tab.Row(rr.Values()); err != nil {
				t.Fatalf("Row: %v", err)
			}
		}
		if _, err := rr.Close(); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if err := tab.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	if err := mrr.Close(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out.Bytes()
}

func setup(t *testing.T) (*pgconn.PgConn, *psqlRunner, pgtest.Params) {
	t.Helper()
	_, p := pgtest.Conn(t)
	psql := newPsql(t, p)
	c := connect(t, p, nil)
	if err := c.Exec(context.Background(), schema).Close(); err != nil {
		t.Fatalf("schema: %v", err)
	}
	return c, psql, p
}

func TestGoldenAgainstPsql(t *testing.T) {
	c, psql, _ := setup(t)
	var runs [][]string
	for _, q := range queries {
		for _, args := range optionSets {
			runs = append(runs, append(append([]string{}, args...), "-c", q.sql))
		}
	}
	outs, errs := psql.runAll(t, runs)
	n := 0
	for _, q := range queries {
		for _, args := range optionSets {
			name := q.name + "/" + strings.Join(args, " ")
			want, stderr := outs[n], errs[n]
			n++
			t.Run(name, func(t *testing.T) {
				if len(stderr) > 0 {
					t.Fatalf("psql stderr: %s", stderr)
				}
				got := render(t, c, q.sql, optionsFor(t, args))
				if !bytes.Equal(got, want) {
					t.Errorf("psql %s -c %q\n%s", strings.Join(args, " "), q.sql, diff(want, got))
				}
			})
		}
	}
}

// diff shows the first differing line of psql's output and ours.
func diff(want, got []byte) string {
	wl := strings.SplitAfter(string(want), "\n")
	gl := strings.SplitAfter(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("first difference at line %d:\npsql: %q\nours: %q\n--- psql:\n%s--- ours:\n%s", i+1, w, g, want, got)
		}
	}
	return "identical?"
}

// TestWidthsMatchPsql checks the width table against psql itself for every
// code point (chr() refuses only NUL and surrogates).
func TestWidthsMatchPsql(t *testing.T) {
	if testing.Short() {
		t.Skip("prints a million rows through psql")
	}
	_, p := pgtest.Conn(t)
	psql := newPsql(t, p)
	// Widths are measured from aligned output: a column of chr(i)||'|' is
	// padded to the widest value, so the padding tells the width.
	q := `SELECT chr(i) || '|' AS c, i FROM generate_series(128, 1114111) i WHERE i NOT BETWEEN 55296 AND 57343`
	out, stderr := psql.run(t, "-P", "border=0", "-t", "-c", q)
	if len(stderr) > 0 {
		t.Fatalf("psql: %s", stderr)
	}
	lines := bytes.Split(out, []byte("\n"))
	checked := 0
	// Every line is the value, then spaces up to the column width, then
	// " " and the right-aligned number.
	colw := -1
	for _, l := range lines {
		if len(l) == 0 {
			continue
		}
		// The number column is 7 wide ("1114111"), after one space.
		k := len(l) - 8
		if k < 0 || l[k] != ' ' {
			t.Fatalf("bad line %q", l)
		}
		num, err := strconv.Atoi(string(bytes.TrimSpace(l[k:])))
		if err != nil {
			t.Fatalf("bad line %q", l)
		}
		cell := l[:k]
		bar := bytes.LastIndexByte(cell, '|')
		pad := len(cell) - bar - 1
		val := cell[:bar]
		r := rune(num)
		enc := []byte(string(r))
		var want int
		switch {
		case !isValid(enc):
			if len(val) != 0 {
				t.Errorf("U+%04X: psql kept %q, we drop it", r, val)
			}
			continue
		case bytes.Equal(val, enc):
			want = ucsWidth(r)
		case len(val) == 6 && val[0] == '\\' && val[1] == 'u':
			if ucsWidth(r) >= 0 {
				t.Errorf("U+%04X: psql shows %s, we think it printable", r, val)
			}
			continue
		default:
			t.Fatalf("U+%04X: unexpected %q", r, val)
		}
		// widths are relative: the widest value has no padding.
		if colw < 0 {
			colw = want + 1 + pad
		}
		if got := colw - pad - 1; got != want {
			t.Errorf("U+%04X: psql width %d, ours %d", r, got, want)
		}
		checked++
	}
	if checked < 1000000 {
		t.Fatalf("checked only %d code points", checked)
	}
}

func TestErrorsAgainstPsql(t *testing.T) {
	c, psql, _ := setup(t)
	ctx := context.Background()
	if err := c.Exec(ctx, `
CREATE TABLE u (id int PRIMARY KEY);
INSERT INTO u VALUES (1);
CREATE FUNCTION boom(x int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  IF x > 0 THEN
    RAISE EXCEPTION 'boom % happened', x USING DETAIL = 'some detail', HINT = 'some hint';
  END IF;
  RETURN x;
END $$;
CREATE FUNCTION badsql() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT nosuchcol FROM u);
END $$;
`).Close(); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("abc ", 30)
	cases := []struct{ name, sql string }{
		{"syntax_start", `selec 1`},
		{"syntax_end_of_input", `SELECT 1 +`},
		{"syntax_multiline", "SELECT 1,\n  2,\n  3 3 3 FROM"},
		{"undefined_column_line3", "SELECT id,\n       txt\n  FROM t WHERE nosuch = 1"},
		{"tabs", "SELECT\t1,\t\tnosuch\tFROM t"},
		{"tabs_multiline", "SELECT 1\n\t\t, nosuch"},
		{"wide_chars", "SELECT '日本語テキスト', '😀😀', nosuch"},
		{"wide_chars_multiline", "SELECT '日本語'\n  , 'テキスト' AS \"列\", nosuch"},
		{"combining", "SELECT 'e\u0301e\u0301e\u0301', nosuch"},
		{"long_line_error_at_end", "SELECT '" + long + "' AS x, nosuch"},
		{"long_line_error_at_start", "SELECT nosuch, '" + long + "' AS x"},
		{"long_line_error_in_middle", "SELECT '" + long + "', nosuch, '" + long + "'"},
		{"long_line_wide", "SELECT '" + strings.Repeat("日本", 30) + "', nosuch, '" + strings.Repeat("語", 40) + "'"},
		{"long_line_multiline", "SELECT 1,\n '" + long + "', nosuch, '" + long + "'\n , 2"},
		{"crlf", "SELECT 1,\r\n 2,\r\n nosuch"},
		{"cr_only", "SELECT 1,\r 2,\r nosuch"},
		{"unique_violation_detail", `INSERT INTO u VALUES (1)`},
		{"function_hint", `SELECT nosuchfunc(1, 'a')`},
		{"operator_hint", `SELECT 1 + 'a'::text`},
		{"raise_context", `SELECT boom(3)`},
		{"internal_query", `SELECT badsql()`},
		{"division_by_zero", `SELECT 1/0`},
		{"no_table", `SELECT * FROM nosuchtable`},
		{"not_null", `INSERT INTO t (id, p) VALUES (1, -1)`},
		{"empty_position_line", "\n\nSELECT nosuch"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// -c: the whole string is the query, no prefix.
			_, want := psql.run(t, "-c", tc.sql)
			err := c.Exec(ctx, tc.sql).Close()
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) {
				t.Fatalf("want a server error, got %v", err)
			}
			var got bytes.Buffer
			Error(&got, pgErr, tc.sql, "")
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("-c %q\n%s", tc.sql, diff(want, got.Bytes()))
			}

			// -f: psql sends the statement with its semicolon and prefixes
			// the first line with psql:FILE:LINE:, LINE being the line the
			// statement ends on.
			stmt := "SELECT 1 AS warmup;\n" + tc.sql + ";"
			file := filepath.Join(psql.dir, "script.sql")
			if err := os.WriteFile(file, []byte(stmt+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, want = psql.run(t, "-o", "/dev/null", "-f", "script.sql")
			// psql does not send the blank lines before a statement, and
			// counts lines by \n only.
			sent := strings.TrimLeft(tc.sql, " \t\r\n") + ";"
			line := 1 + strings.Count(stmt, "\n")
			err = c.Exec(ctx, sent).Close()
			if !errors.As(err, &pgErr) {
				t.Fatalf("want a server error, got %v", err)
			}
			got.Reset()
			Error(&got, pgErr, sent, fmt.Sprintf("safesql:script.sql:%d: ", line))
			want = bytes.Replace(want, []byte("psql:script.sql:"), []byte("safesql:script.sql:"), 1)
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("-f with %q\n%s", stmt, diff(want, got.Bytes()))
			}
		})
	}
}

func TestNoticesAgainstPsql(t *testing.T) {
	_, psql, p := setup(t)
	var notices []*pgconn.Notice
	c := connect(t, p, &notices)
	cases := []struct{ name, sql string }{
		{"notice", `DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$`},
		{"notice_detail_hint", `DO $$ BEGIN RAISE NOTICE 'n' USING DETAIL = 'd', HINT = 'h'; END $$`},
		{"warning", `DO $$ BEGIN RAISE WARNING 'careful'; END $$`},
		{"info", `DO $$ BEGIN RAISE INFO 'fyi'; END $$`},
		{"multiline_message", `DO $$ BEGIN RAISE NOTICE E'line1\nline2'; END $$`},
		{"server_notice", `DROP TABLE IF EXISTS nosuchtable`},
		{"two_notices", `DO $$ BEGIN RAISE NOTICE 'one'; RAISE WARNING 'two'; END $$`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, viaFile := range []bool{false, true} {
				var want []byte
				prefix := ""
				if viaFile {
					file := filepath.Join(psql.dir, "n.sql")
					if err := os.WriteFile(file, []byte("\n"+tc.sql+";\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					_, want = psql.run(t, "-f", "n.sql")
					want = bytes.ReplaceAll(want, []byte("psql:n.sql:"), []byte("safesql:n.sql:"))
					prefix = "safesql:n.sql:2: "
				} else {
					_, want = psql.run(t, "-c", tc.sql)
				}
				notices = notices[:0]
				if err := c.Exec(context.Background(), tc.sql).Close(); err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				for _, n := range notices {
					Notice(&got, n, prefix)
				}
				if len(notices) == 0 || !bytes.Equal(got.Bytes(), want) {
					t.Errorf("file=%v %q\n%s", viaFile, tc.sql, diff(want, got.Bytes()))
				}
			}
		})
	}
}
