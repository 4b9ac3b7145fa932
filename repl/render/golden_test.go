package render

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

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

// update makes the comparisons with psql run psql and the server again
// and rewrite their outputs in testdata/*.golden; without it they read
// the files, and run without either.
var update = flag.Bool("update", false, "run psql and PostgreSQL again and rewrite testdata/*.golden")

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

// fixture is what a comparison with psql reads: psql's outputs and the
// server's results, recorded in testdata/NAME.golden. With -update, c,
// psql and p are a live database (with schema) and psql, and every
// output is produced again; otherwise they are nil and the file answers.
type fixture struct {
	g    *pgtest.Golden
	c    *pgconn.PgConn
	psql *psqlRunner
	p    pgtest.Params
	// seen holds the results of each query already asked for: every
	// query is printed in many layouts.
	seen map[string][]recorded
}

func setup(t *testing.T) *fixture {
	t.Helper()
	name, _, _ := strings.Cut(t.Name(), "/")
	fx := &fixture{g: pgtest.OpenGolden(t, name, *update), seen: map[string][]recorded{}}
	if !*update {
		return fx
	}
	_, fx.p = pgtest.Conn(t)
	fx.psql = newPsql(t, fx.p)
	fx.c = connect(t, fx.p, nil)
	fx.exec(t, schema)
	return fx
}

// exec runs sql when recording (more schema for the queries to read).
func (fx *fixture) exec(t *testing.T, sql string) {
	t.Helper()
	if fx.c == nil {
		return
	}
	if err := fx.c.Exec(context.Background(), sql).Close(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// recorded is one result of a query as the server sent it: the columns
// and the values in text format (nil for NULL).
type recorded struct {
	Cols []Column
	Rows [][]*string
}

// results returns the results of sql.
func (fx *fixture) results(t *testing.T, sql string) []recorded {
	t.Helper()
	if rs, ok := fx.seen[sql]; ok {
		return rs
	}
	b := fx.g.Bytes(t, "results "+sql, func() []byte {
		var rs []recorded
		mrr := fx.c.Exec(context.Background(), sql)
		for mrr.NextResult() {
			rr := mrr.ResultReader()
			var r recorded
			for _, fd := range rr.FieldDescriptions() {
				r.Cols = append(r.Cols, Column{Name: fd.Name, TypeOID: fd.DataTypeOID})
			}
			for rr.NextRow() {
				row := make([]*string, len(rr.Values()))
				for i, v := range rr.Values() {
					if v != nil {
						if !utf8.Valid(v) {
							t.Fatalf("%s: a value that is not UTF-8 cannot be recorded: %q", sql, v)
						}
						s := string(v)
						row[i] = &s
					}
				}
				r.Rows = append(r.Rows, row)
			}
			if _, err := rr.Close(); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
			rs = append(rs, r)
		}
		if err := mrr.Close(); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return marshal(t, rs)
	})
	var rs []recorded
	if err := json.Unmarshal(b, &rs); err != nil {
		t.Fatalf("results of %q: %v", sql, err)
	}
	fx.seen[sql] = rs
	return rs
}

// serverError returns the error the server answers sql with.
func (fx *fixture) serverError(t *testing.T, sql string) *pgconn.PgError {
	t.Helper()
	b := fx.g.Bytes(t, "error "+sql, func() []byte {
		err := fx.c.Exec(context.Background(), sql).Close()
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) {
			t.Fatalf("want a server error, got %v", err)
		}
		return marshal(t, pgErr)
	})
	var pgErr pgconn.PgError
	if err := json.Unmarshal(b, &pgErr); err != nil {
		t.Fatalf("error of %q: %v", sql, err)
	}
	return &pgErr
}

// psqlRun returns what psql prints with args (after -X -q); files are
// written to its working directory first.
func (fx *fixture) psqlRun(t *testing.T, files map[string]string, args ...string) (stdout, stderr []byte) {
	t.Helper()
	key := fmt.Sprintf("%q", args)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		key += fmt.Sprintf(" %s=%q", name, files[name])
	}
	var errOut []byte
	out := fx.g.Bytes(t, "psql "+key, func() []byte {
		for _, name := range names {
			if err := os.WriteFile(filepath.Join(fx.psql.dir, name), []byte(files[name]), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var o []byte
		o, errOut = fx.psql.run(t, args...)
		return o
	})
	return out, fx.g.Bytes(t, "psql stderr "+key, func() []byte { return errOut })
}

// psqlAll is psqlRun (without files) for each argument list, run a few at
// a time when recording.
func (fx *fixture) psqlAll(t *testing.T, argLists [][]string) (stdouts, stderrs [][]byte) {
	t.Helper()
	var outs, errs [][]byte
	if *update {
		outs, errs = fx.psql.runAll(t, argLists)
	}
	for i, args := range argLists {
		key := fmt.Sprintf("%q", args)
		stdouts = append(stdouts, fx.g.Bytes(t, "psql "+key, func() []byte { return outs[i] }))
		stderrs = append(stderrs, fx.g.Bytes(t, "psql stderr "+key, func() []byte { return errs[i] }))
	}
	return stdouts, stderrs
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// render prints every result of sql with opts, as the CLI does.
func render(t *testing.T, fx *fixture, sql string, opts Options) []byte {
	t.Helper()
	var out bytes.Buffer
	for _, r := range fx.results(t, sql) {
		tab := NewTable(&out, opts, r.Cols)
		for _, row := range r.Rows {
			vals := make([][]byte, len(row))
			for i, v := range row {
				if v != nil {
					vals[i] = []byte(*v)
				}
			}
			if err := tab.Row(vals); err != nil {
				t.Fatalf("Row: %v", err)
			}
		}
		if err := tab.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	return out.Bytes()
}

func TestGoldenAgainstPsql(t *testing.T) {
	fx := setup(t)
	var runs [][]string
	for _, q := range queries {
		for _, args := range optionSets {
			runs = append(runs, append(append([]string{}, args...), "-c", q.sql))
		}
	}
	outs, errs := fx.psqlAll(t, runs)
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
				got := render(t, fx, q.sql, optionsFor(t, args))
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
	g := pgtest.OpenGolden(t, "TestWidthsMatchPsql", *update)
	// The file holds psql's widths as ranges of code points of one kind
	// (see psqlWidths): a million lines of psql's output would not do.
	b := g.Bytes(t, "widths", func() []byte { return psqlWidths(t) })
	checked := 0
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		var lo, hi rune
		var kind string
		if _, err := fmt.Sscanf(l, "%X %X %s", &lo, &hi, &kind); err != nil {
			t.Fatalf("testdata/TestWidthsMatchPsql.golden: bad line %q: %v", l, err)
		}
		for r := lo; r <= hi; r++ {
			enc := []byte(string(r))
			switch kind {
			case "dropped":
				if isValid(enc) {
					t.Errorf("U+%04X: psql drops it, we keep it", r)
				}
			case "escaped":
				if !isValid(enc) || ucsWidth(r) >= 0 {
					t.Errorf("U+%04X: psql shows it escaped, we think it printable", r)
				}
			default:
				want, _ := strconv.Atoi(kind)
				if !isValid(enc) {
					t.Errorf("U+%04X: psql kept it, we drop it", r)
				} else if got := ucsWidth(r); got != want {
					t.Errorf("U+%04X: psql width %d, ours %d", r, want, got)
				}
			}
			checked++
		}
	}
	if checked < 1000000 {
		t.Fatalf("checked only %d code points", checked)
	}
}

// psqlWidths prints every code point (chr() refuses only NUL and
// surrogates) through psql and returns what psql makes of each, as lines
// "FIRST LAST KIND" over ranges of code points of one kind: a width,
// "dropped" (psql drops the character) or "escaped" (psql shows \uXXXX).
func psqlWidths(t *testing.T) []byte {
	_, p := pgtest.Conn(t)
	psql := newPsql(t, p)
	// Widths are measured from aligned output: a column of chr(i)||'|' is
	// padded to the widest value, so the padding tells the width.
	q := `SELECT chr(i) || '|' AS c, i FROM generate_series(128, 1114111) i WHERE i NOT BETWEEN 55296 AND 57343`
	out, stderr := psql.run(t, "-P", "border=0", "-t", "-c", q)
	if len(stderr) > 0 {
		t.Fatalf("psql: %s", stderr)
	}
	var ranges bytes.Buffer
	var lo, hi rune = -1, -1
	var kind string
	add := func(r rune, k string) {
		if k == kind && r == hi+1 {
			hi = r
			return
		}
		if lo >= 0 {
			fmt.Fprintf(&ranges, "%04X %04X %s\n", lo, hi, kind)
		}
		lo, hi, kind = r, r, k
	}
	lines := bytes.Split(out, []byte("\n"))
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
		switch {
		case len(val) == 0 && !bytes.Equal(val, enc):
			add(r, "dropped")
		case bytes.Equal(val, enc):
			// Widths are relative: the widest value has no padding. The
			// first code point, U+0080, is escaped; the first printed one
			// is taken to be as wide as ours says.
			if colw < 0 {
				colw = ucsWidth(r) + 1 + pad
			}
			add(r, strconv.Itoa(colw-pad-1))
		case len(val) == 6 && val[0] == '\\' && val[1] == 'u':
			add(r, "escaped")
		default:
			t.Fatalf("U+%04X: unexpected %q", r, val)
		}
	}
	add(-2, "")
	return ranges.Bytes()
}

func TestErrorsAgainstPsql(t *testing.T) {
	fx := setup(t)
	fx.exec(t, `
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
`)
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
			_, want := fx.psqlRun(t, nil, "-c", tc.sql)
			pgErr := fx.serverError(t, tc.sql)
			var got bytes.Buffer
			Error(&got, pgErr, tc.sql, "")
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("-c %q\n%s", tc.sql, diff(want, got.Bytes()))
			}

			// -f: psql sends the statement with its semicolon and prefixes
			// the first line with psql:FILE:LINE:, LINE being the line the
			// statement ends on.
			stmt := "SELECT 1 AS warmup;\n" + tc.sql + ";"
			_, want = fx.psqlRun(t, map[string]string{"script.sql": stmt + "\n"}, "-o", "/dev/null", "-f", "script.sql")
			// psql does not send the blank lines before a statement, and
			// counts lines by \n only.
			sent := strings.TrimLeft(tc.sql, " \t\r\n") + ";"
			line := 1 + strings.Count(stmt, "\n")
			pgErr = fx.serverError(t, sent)
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
	fx := setup(t)
	var notices []*pgconn.Notice
	var c *pgconn.PgConn
	if *update {
		c = connect(t, fx.p, &notices)
	}
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
					_, want = fx.psqlRun(t, map[string]string{"n.sql": "\n" + tc.sql + ";\n"}, "-f", "n.sql")
					want = bytes.ReplaceAll(want, []byte("psql:n.sql:"), []byte("safesql:n.sql:"))
					prefix = "safesql:n.sql:2: "
				} else {
					_, want = fx.psqlRun(t, nil, "-c", tc.sql)
				}
				b := fx.g.Bytes(t, "notices "+tc.sql, func() []byte {
					notices = notices[:0]
					if err := c.Exec(context.Background(), tc.sql).Close(); err != nil {
						t.Fatal(err)
					}
					return marshal(t, notices)
				})
				var sent []*pgconn.Notice
				if err := json.Unmarshal(b, &sent); err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				for _, n := range sent {
					Notice(&got, n, prefix)
				}
				if len(sent) == 0 || !bytes.Equal(got.Bytes(), want) {
					t.Errorf("file=%v %q\n%s", viaFile, tc.sql, diff(want, got.Bytes()))
				}
			}
		})
	}
}
