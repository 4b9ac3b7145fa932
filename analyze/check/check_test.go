//go:build cgo

package check

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, strings.NewReader(stdin), &out, &errb, false)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestContractExample(t *testing.T) {
	f := writeFile(t, "m.sql", "-- migration\nBEGIN;\nDELETE FROM orders;\n")
	code, out, errs := run(t, "", "--format", "json", f)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines: %q (stderr %q)", len(lines), out, errs)
	}
	want := `{"file":"` + f + `","index":2,"line":3,"class":"destructive","flags":["no-where"],"reasons":["DELETE without WHERE removes every row of orders"],"sql":"DELETE FROM orders"}`
	if lines[1] != want {
		t.Errorf("got  %s\nwant %s", lines[1], want)
	}
	if !strings.Contains(lines[0], `"flags":[]`) || !strings.Contains(lines[0], `"reasons":["transaction control changes no data by itself"]`) {
		t.Errorf("read line: %s", lines[0])
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
}

func TestExitStatus(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input string
		args  []string
		want  int
	}{
		{"read under default", "SELECT 1;", nil, 0},
		{"write under default", "INSERT INTO t VALUES (1);", nil, 0},
		{"destructive at default", "DROP TABLE t;", nil, 1},
		{"write at fail-on write", "INSERT INTO t VALUES (1);", []string{"--fail-on", "write"}, 1},
		{"read at fail-on read", "SELECT 1;", []string{"--fail-on=read"}, 1},
		{"empty input", "", []string{"--fail-on", "read"}, 0},
		{"bad format", "SELECT 1;", []string{"--format", "yaml"}, 2},
		{"bad fail-on", "SELECT 1;", []string{"--fail-on", "bad"}, 2},
		{"unknown flag", "SELECT 1;", []string{"--nope"}, 2},
		{"unreadable file", "", []string{"/nonexistent/x.sql"}, 2},
		{"unparsable is destructive", "SELEC 1;", nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := run(t, tc.input, tc.args...)
			if code != tc.want {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.want, errs)
			}
			if code == 2 && errs == "" {
				t.Error("exit 2 without a message on stderr")
			}
		})
	}
}

func TestStdinAndFiles(t *testing.T) {
	f := writeFile(t, "a.sql", "SELECT 1;\nSELECT 2;\n")
	_, out, _ := run(t, "UPDATE t SET a = 1;\n", "--format", "json", f, "-")
	var recs []record
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 3 || recs[0].File != f || recs[1].Index != 2 || recs[1].Line != 2 || recs[2].File != "-" || recs[2].Index != 1 {
		t.Errorf("records: %+v", recs)
	}
	if recs[2].Class != "destructive" || len(recs[2].Flags) != 1 || recs[2].Flags[0] != "no-where" {
		t.Errorf("stdin record: %+v", recs[2])
	}
}

func TestScriptFeatures(t *testing.T) {
	script := `\set ON_ERROR_STOP on
COPY orders FROM STDIN;
1	DELETE FROM orders;
\.
PREPARE p AS DELETE FROM t WHERE id = $1;
EXECUTE p(1);
\copy orders from 'data.csv' csv
\copy (SELECT * FROM orders) to 'out.csv'
SELECT 'x' \gexec
`
	_, out, errs := run(t, script, "--format", "json")
	var classes []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%q: %v (stderr %q)", l, err, errs)
		}
		classes = append(classes, r.Class)
	}
	want := []string{"write", "read", "destructive", "write", "read", "read", "destructive"}
	if strings.Join(classes, " ") != strings.Join(want, " ") {
		t.Errorf("classes %v, want %v\n%s", classes, want, out)
	}
}

func TestText(t *testing.T) {
	_, out, _ := run(t, "SELECT 1;\nDELETE FROM orders WHERE 1 = 1 OR id = 2;\n")
	want := "-:1: read: SELECT only reads\n-:2: destructive [tautology]: DELETE with a WHERE that is always true removes every row of orders\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	var b bytes.Buffer
	Run(context.Background(), nil, strings.NewReader("DROP TABLE t;"), &b, &bytes.Buffer{}, true)
	if !strings.Contains(b.String(), "\x1b[1;31mdestructive\x1b[0m") {
		t.Errorf("no colour on a terminal: %q", b.String())
	}
	b.Reset()
	Run(context.Background(), []string{"--format", "json"}, strings.NewReader("DROP TABLE t;"), &b, &bytes.Buffer{}, true)
	if strings.Contains(b.String(), "\x1b") {
		t.Errorf("colour in JSON: %q", b.String())
	}
}

func TestSQLField(t *testing.T) {
	_, out, _ := run(t, "  -- c\n  SELECT '<&>' ;  \n", "--format", "json")
	var r record
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.SQL != "SELECT '<&>'" || !strings.Contains(out, `"sql":"SELECT '<&>'"`) {
		t.Errorf("sql %q in %s", r.SQL, out)
	}
}

func TestQueryBuffer(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		want         []string // "line class sql"
	}{
		{"kept across echo", "DELETE FROM orders\n\\echo hi\nWHERE id = 1;\n",
			[]string{"1 destructive DELETE FROM orders\nWHERE id = 1"}},
		{"sent by g", "SELECT 1 \\g\n", []string{"1 read SELECT 1"}},
		{"g again sends the previous query", "DELETE FROM t WHERE id = 1;\n\\g\n",
			[]string{"1 destructive DELETE FROM t WHERE id = 1", "2 destructive DELETE FROM t WHERE id = 1"}},
		{"gdesc runs nothing", "DELETE FROM t \\gdesc\n", nil},
		{"reset discards", "DELETE FROM t\n\\r\nSELECT 1;\n", []string{"3 read SELECT 1"}},
		{"end of input sends", "SELECT 1;\nUPDATE t SET a = 1", []string{"1 read SELECT 1", "2 destructive UPDATE t SET a = 1"}},
		{"gexec", "SELECT 'DROP TABLE ' || tablename FROM pg_tables \\gexec\n",
			[]string{"1 read SELECT 'DROP TABLE ' || tablename FROM pg_tables", "1 destructive \\gexec"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, out, errs := run(t, tc.script, "--format", "json")
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				if l == "" {
					continue
				}
				var r record
				if err := json.Unmarshal([]byte(l), &r); err != nil {
					t.Fatalf("%q: %v (stderr %q)", l, err, errs)
				}
				got = append(got, fmt.Sprintf("%d %s %s", r.Line, r.Class, r.SQL))
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
