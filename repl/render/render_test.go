package render

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// These tests need no server: they pin psql's behaviour in cases checked
// once against psql 15 by hand (the golden tests compare with psql itself).

func rows(vals ...string) [][][]byte {
	var out [][][]byte
	for _, v := range vals {
		var r [][]byte
		if v != "" {
			for _, f := range strings.Split(v, ",") {
				if f == "NULL" {
					r = append(r, nil)
				} else {
					r = append(r, []byte(f))
				}
			}
		}
		out = append(out, r)
	}
	return out
}

func print(t *testing.T, opts Options, cols []Column, rs [][][]byte) string {
	t.Helper()
	var b bytes.Buffer
	tab := NewTable(&b, opts, cols)
	for _, r := range rs {
		if err := tab.Row(r); err != nil {
			t.Fatalf("Row(%q): %v", r, err)
		}
	}
	if err := tab.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return b.String()
}

func TestTable(t *testing.T) {
	ab := []Column{{Name: "a", TypeOID: 23}, {Name: "b", TypeOID: 25}}
	def := DefaultOptions()
	with := func(f func(*Options)) Options { o := DefaultOptions(); f(&o); return o }
	tests := []struct {
		name string
		opts Options
		cols []Column
		rows [][][]byte
		want string
	}{
		{"aligned", def, ab, rows("1,x", "22,NULL"), " a  | b \n----+---\n  1 | x\n 22 | \n(2 rows)\n\n"},
		{"aligned one row", def, ab, rows("1,x"), " a | b \n---+---\n 1 | x\n(1 row)\n\n"},
		{"aligned no rows", def, ab, nil, " a | b \n---+---\n(0 rows)\n\n"},
		{"aligned multi-line value", def, ab, rows("1,p\nq"), " a | b \n---+---\n 1 | p+\n   | q\n(1 row)\n\n"},
		{"aligned zero columns", def, nil, rows(""), "--\n(1 row)\n\n"},
		{"aligned tuples only, no rows", with(func(o *Options) { o.TuplesOnly = true }), ab, nil, "\n"},
		{"aligned null string", with(func(o *Options) { o.Null = "∅" }), ab, rows("1,NULL"), " a | b \n---+---\n 1 | ∅\n(1 row)\n\n"},
		{"aligned wide", def, []Column{{Name: "c"}}, rows("日本"), "  c   \n------\n 日本\n(1 row)\n\n"},
		{"unaligned", with(func(o *Options) { o.Format = Unaligned }), ab, rows("1,x"), "a|b\n1|x\n(1 row)\n"},
		{"unaligned zero columns", with(func(o *Options) { o.Format = Unaligned }), nil, rows(""), "\n(1 row)\n"},
		{"unaligned tuples only zero columns", with(func(o *Options) { o.Format = Unaligned; o.TuplesOnly = true }), nil, rows(""), ""},
		{"unaligned expanded", with(func(o *Options) { o.Format = Unaligned; o.Expanded = ExpandedOn }), ab, rows("1,x", "2,y"), "a|1\nb|x\n\na|2\nb|y\n"},
		{"unaligned expanded no rows", with(func(o *Options) { o.Format = Unaligned; o.Expanded = ExpandedOn }), ab, nil, ""},
		{"unaligned zero separators", with(func(o *Options) { o.Format = Unaligned; o.FieldSepZero = true; o.RecordSepZero = true }), ab, rows("1,x"), "a\x00b\x001\x00x\x00(1 row)\x00"},
		{"csv", with(func(o *Options) { o.Format = CSV }), ab, rows("1,x", `2,"q"`, "3,NULL", `4,\.`), "a,b\n1,x\n2,\"\"\"q\"\"\"\n3,\n4,\"\\.\"\n"},
		{"csv zero columns", with(func(o *Options) { o.Format = CSV }), nil, rows(""), "\n"}, // psql: the header line, and nothing per row
		{"csv expanded", with(func(o *Options) { o.Format = CSV; o.Expanded = ExpandedOn }), ab, rows("1,x"), "a,1\nb,x\n"},
		{"expanded", with(func(o *Options) { o.Expanded = ExpandedOn }), ab, rows("1,x"), "-[ RECORD 1 ]\na | 1\nb | x\n\n"},
		{"expanded no rows", with(func(o *Options) { o.Expanded = ExpandedOn }), ab, nil, "(0 rows)\n\n"},
		{"expanded zero columns", with(func(o *Options) { o.Expanded = ExpandedOn }), nil, rows("", ""), "(2 rows)\n\n"},
		{"expanded auto switches when too wide", with(func(o *Options) { o.Expanded = ExpandedAuto; o.TermWidth = 5 }), ab, rows("1,xxxxx"), "-[ RECORD 1 ]\na | 1\nb | xxxxx\n\n"},
		{"expanded auto stays without a terminal", with(func(o *Options) { o.Expanded = ExpandedAuto }), ab, rows("1,xxxxx"), " a |   b   \n---+-------\n 1 | xxxxx\n(1 row)\n\n"},
		{"json", with(func(o *Options) { o.Format = JSON }), []Column{{"i", 23}, {"f", 701}, {"b", 16}, {"j", 3802}, {"s", 25}, {"i", 23}},
			rows("1,NaN,t,{\"k\": [1]},a\"b\nc,NULL", "-0,1e+100,f,NULL,NULL,2"),
			`{"i":1,"f":"NaN","b":true,"j":{"k": [1]},"s":"a\"b\nc","i":null}` + "\n" + `{"i":-0,"f":1e+100,"b":false,"j":null,"s":null,"i":2}` + "\n"},
		{"json zero columns", with(func(o *Options) { o.Format = JSON }), nil, rows(""), "{}\n"},
		{"invalid utf-8 and NUL dropped as psql does", with(func(o *Options) { o.Format = Unaligned; o.TuplesOnly = true }), []Column{{Name: "v"}},
			[][][]byte{{[]byte("a\xffb\xc0\x80c\x00dropped")}}, "abc\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := print(t, tc.opts, tc.cols, tc.rows); got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestRowContract(t *testing.T) {
	for _, f := range []Format{Aligned, Unaligned, CSV, JSON, Wrapped} {
		var b bytes.Buffer
		opts := DefaultOptions()
		opts.Format = f
		tab := NewTable(&b, opts, []Column{{Name: "a"}})
		if err := tab.Row([][]byte{[]byte("1"), []byte("2")}); err == nil {
			t.Errorf("format %d: a ragged row was accepted", f)
		}
		if err := tab.Row(nil); err == nil {
			t.Errorf("format %d: an empty row was accepted", f)
		}
		// The caller reuses its buffers: what was printed must not change.
		v := []byte("keep")
		if err := tab.Row([][]byte{v}); err != nil {
			t.Fatal(err)
		}
		copy(v, "XXXX")
		if err := tab.Close(); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "keep") || strings.Contains(b.String(), "XXXX") {
			t.Errorf("format %d: value not copied: %q", f, b.String())
		}
		if err := tab.Row([][]byte{v}); !errors.Is(err, ErrClosed) {
			t.Errorf("format %d: Row after Close: %v", f, err)
		}
		if err := tab.Close(); !errors.Is(err, ErrClosed) {
			t.Errorf("format %d: second Close: %v", f, err)
		}
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errors.New("broken pipe")
}

func TestWriterErrors(t *testing.T) {
	for _, f := range []Format{Aligned, Unaligned, CSV, JSON} {
		opts := DefaultOptions()
		opts.Format = f
		w := &failWriter{}
		tab := NewTable(w, opts, []Column{{Name: "a"}})
		var rowErr error
		big := []byte(strings.Repeat("x", 1000))
		for i := 0; i < 200 && rowErr == nil; i++ {
			rowErr = tab.Row([][]byte{big})
		}
		if f != Aligned && rowErr == nil {
			t.Errorf("format %d: streaming rows did not report the writer's error", f)
		}
		if err := tab.Close(); err == nil {
			t.Errorf("format %d: Close did not report the writer's error", f)
		}
		if w.n > 2 {
			t.Errorf("format %d: kept writing after an error (%d writes)", f, w.n)
		}
	}
}

func TestWcsSize(t *testing.T) {
	tests := []struct {
		in            string
		width, height int
	}{
		{"", 0, 1},
		{"abc", 3, 1},
		{"a\nbcd\n", 3, 3},
		{"\t", 8, 1},
		{"ab\tc", 9, 1},
		{"a\r", 3, 1},
		{"\x01", 4, 1},
		{"\u0085", 6, 1},
		{"日本", 4, 1},
		{"😀", 2, 1},
		{"e\u0301", 1, 1},
		{"\u200b", 1, 1}, // psql 15 has no special case for format characters
	}
	for _, tc := range tests {
		w, h := wcsSize([]byte(tc.in))
		if w != tc.width || h != tc.height {
			t.Errorf("wcsSize(%q) = %d, %d; want %d, %d", tc.in, w, h, tc.width, tc.height)
		}
	}
}

func TestWcsFormat(t *testing.T) {
	_, lines := wcsFormat([]byte("a\tb\r\x01\u0085\nx"), nil, nil)
	var got []string
	for _, l := range lines {
		got = append(got, string(l.s))
	}
	want := []string{`a       b\r\x01\u0085`, "x"}
	if strings.Join(got, "|") != strings.Join(want, "|") || lines[0].width != 21 || lines[1].width != 1 {
		t.Errorf("wcsFormat: %q (%d)", got, lines[0].width)
	}
}

func TestError(t *testing.T) {
	tests := []struct {
		name   string
		err    pgconn.PgError
		query  string
		prefix string
		want   string
	}{
		{"plain", pgconn.PgError{Severity: "ERROR", Message: "division by zero"}, "select 1/0", "",
			"ERROR:  division by zero\n"},
		{"position", pgconn.PgError{Severity: "ERROR", Message: `syntax error at or near "x"`, Position: 8}, "select x x", "",
			"ERROR:  syntax error at or near \"x\"\nLINE 1: select x x\n               ^\n"},
		{"position on line 2 with prefix", pgconn.PgError{Severity: "ERROR", Message: "m", Position: 10, Detail: "d", Hint: "h", Where: "w"}, "select\n  nosuch", "safesql:f.sql:3: ",
			"safesql:f.sql:3: ERROR:  m\nLINE 2:   nosuch\n          ^\nDETAIL:  d\nHINT:  h\nCONTEXT:  w\n"},
		{"position without query", pgconn.PgError{Severity: "ERROR", Message: "m", Position: 3}, "", "",
			"ERROR:  m at character 3\n"},
		{"position past the end", pgconn.PgError{Severity: "ERROR", Message: "m", Position: 99}, "abc", "",
			"ERROR:  m\n"},
		{"internal query", pgconn.PgError{Severity: "ERROR", Message: "m", InternalPosition: 8, InternalQuery: "SELECT x"}, "select f()", "",
			"ERROR:  m\nLINE 1: SELECT x\n               ^\nQUERY:  SELECT x\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			Error(&b, &tc.err, tc.query, tc.prefix)
			if b.String() != tc.want {
				t.Errorf("got\n%q\nwant\n%q", b.String(), tc.want)
			}
		})
	}
	var b bytes.Buffer
	n := pgconn.Notice{Severity: "NOTICE", Message: "hi", Where: "not shown"}
	Notice(&b, &n, "")
	if b.String() != "NOTICE:  hi\n" {
		t.Errorf("Notice: %q", b.String())
	}
}

func TestIsJSONNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "-0": true, "12": true, "1.5": true, "1e+100": true, "1.5e-07": true, "-1E5": true,
		"": false, "NaN": false, "Infinity": false, "-Infinity": false, "01": false, "1.": false, ".5": false, "1e": false, "+1": false, "$1.00": false,
	} {
		if got := isJSONNumber([]byte(s)); got != want {
			t.Errorf("isJSONNumber(%q) = %v", s, got)
		}
	}
}

// FuzzTable feeds arbitrary bytes through every format: no panics, and the
// unaligned output of one column is its cleaned values.
func FuzzTable(f *testing.F) {
	f.Add([]byte("a\nb"), []byte("日本\t\x01"), uint8(0))
	f.Add([]byte("\xff\xfe\x00"), []byte(""), uint8(7))
	f.Add([]byte("\xf4\x8f\xbf\xbe"), []byte("\xed\xa0\x80"), uint8(13))
	f.Fuzz(func(t *testing.T, a, b []byte, mode uint8) {
		opts := DefaultOptions()
		opts.Format = Format(mode % 5)
		opts.Expanded = Expanded(mode / 5 % 3)
		opts.Border = int(mode / 15 % 4)
		opts.TermWidth = int(mode % 13)
		opts.TuplesOnly = mode&64 != 0
		var out bytes.Buffer
		tab := NewTable(&out, opts, []Column{{Name: string(a), TypeOID: 23}, {Name: "b"}})
		_ = tab.Row([][]byte{a, b})
		_ = tab.Row([][]byte{nil, a})
		_ = tab.Close()

		var u bytes.Buffer
		uo := DefaultOptions()
		uo.Format, uo.TuplesOnly, uo.FieldSepZero, uo.RecordSepZero = Unaligned, true, true, true
		tab = NewTable(&u, uo, []Column{{Name: "v"}})
		_ = tab.Row([][]byte{a})
		_ = tab.Close()
		want, _ := clean(a, nil)
		if !bytes.Equal(u.Bytes(), append(append([]byte{}, want...), 0)) {
			t.Errorf("unaligned %q: %q", a, u.Bytes())
		}
	})
}

func FuzzError(f *testing.F) {
	f.Add("select\t日本\r\nx", int32(5))
	f.Fuzz(func(t *testing.T, q string, pos int32) {
		var b bytes.Buffer
		Error(&b, &pgconn.PgError{Severity: "ERROR", Message: "m", Position: pos}, q, "")
		if !bytes.HasPrefix(b.Bytes(), []byte("ERROR:  m")) {
			t.Errorf("%q", b.String())
		}
	})
}

func TestNumericLocale(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "1": "1", "123": "123", "1234": "1,234", "-1234567.125": "-1,234,567.125", "+1000": "+1,000",
		"1e+100": "1e+100", "12345e5": "12,345e5", "NaN": "NaN", "$1,000.00": "$1,000.00", ".5": ".5",
	} {
		if got := string(appendNumericLocale(nil, []byte(in))); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
