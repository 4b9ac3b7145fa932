package split

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// render is a compact, readable form of an item for table tests:
//
//	S<line>-<endline><c|i>: <SQL>      statement, complete or incomplete
//	M<line>: \<cmd> [<args>]           backslash command
//
// followed by " copy=<data>" when CopyData is set ("copy-incomplete=" when
// the data was cut off).
func render(it Item) string {
	var s string
	switch it.Kind {
	case Statement:
		c := "i"
		if it.Complete {
			c = "c"
		}
		s = fmt.Sprintf("S%d-%d%s: %s", it.Line, it.EndLine, c, it.SQL)
	case Meta:
		s = fmt.Sprintf("M%d: \\%s [%s]", it.Line, it.Command, it.Args)
	}
	if it.CopyData != nil {
		if it.Kind == Meta && !it.Complete {
			s += " copy-incomplete=" + *it.CopyData
		} else {
			s += " copy=" + *it.CopyData
		}
	}
	return s
}

// checkInvariants verifies what every split must satisfy, and that Scanner
// (with reads of every size) agrees with Split.
func checkInvariants(t testing.TB, in string, items []Item) {
	t.Helper()
	var b strings.Builder
	prev := 0
	for i, it := range items {
		if it.Start != prev || it.End < it.Start || it.End > len(in) {
			t.Fatalf("item %d: offsets [%d,%d) after %d", i, it.Start, it.End, prev)
		}
		if in[it.Start:it.End] != it.Text {
			t.Fatalf("item %d: Text %q is not input[%d:%d]", i, it.Text, it.Start, it.End)
		}
		if it.Line < 1 || it.EndLine < it.Line && it.Kind == Statement && it.SQL != "" && !strings.Contains(it.SQL, "\n") {
			t.Fatalf("item %d: lines %d-%d", i, it.Line, it.EndLine)
		}
		if it.Kind == Meta && it.SQL != "" {
			t.Fatalf("item %d: meta with SQL", i)
		}
		prev = it.End
		b.WriteString(it.Text)
	}
	if b.String() != in {
		t.Fatalf("concatenated Text differs from input:\n got %q\nwant %q", b.String(), in)
	}
	if len(in) > 0 && len(items) == 0 {
		t.Fatalf("no items for non-empty input")
	}
	for _, r := range []func(io.Reader) io.Reader{
		func(r io.Reader) io.Reader { return r },
		iotest.OneByteReader,
		iotest.HalfReader,
	} {
		sc := NewScanner(r(strings.NewReader(in)))
		var got []Item
		for sc.Scan() {
			got = append(got, sc.Item())
		}
		if sc.Err() != nil {
			t.Fatalf("scanner: %v", sc.Err())
		}
		if !equalItems(got, items) {
			t.Fatalf("Scanner and Split differ on %q:\nscanner: %s\nsplit:   %s", in, dump(got), dump(items))
		}
	}
}

func equalItems(a, b []Item) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if (x.CopyData == nil) != (y.CopyData == nil) || x.CopyData != nil && *x.CopyData != *y.CopyData {
			return false
		}
		x.CopyData, y.CopyData = nil, nil
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

func dump(items []Item) string {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "\n  %q [%d,%d) %s", it.Text, it.Start, it.End, render(it))
	}
	return b.String()
}

var splitCases = []struct {
	name string
	in   string
	want []string
}{
	{"empty input", "", nil},
	{"only whitespace", "  \n\t\n", []string{"S1-2c: "}},
	{"only dash comment", "-- nothing\n", []string{"S1-1c: "}},
	{"one statement", "select 1;", []string{"S1-1c: select 1;"}},
	{"no terminator at end", "select 1", []string{"S1-1i: select 1"}},
	{"two on a line", "select 1; select 2;", []string{"S1-1c: select 1;", "S1-1c: select 2;"}},
	{"trailing newline is its own item", "select 1;\n", []string{"S1-1c: select 1;", "S1-1c: "}},
	{"leading whitespace and dash comments dropped", "  -- a\n\t-- b\n  select 1;", []string{"S3-3c: select 1;"}},
	{"dash comment after first token kept", "select 1 -- one\n, 2;", []string{"S1-2c: select 1 -- one\n, 2;"}},
	{"block comment first is kept", "/* hi */ select 1;", []string{"S1-1c: /* hi */ select 1;"}},
	{"multi-line statement lines", "\n\nselect\n1\n;", []string{"S3-5c: select\n1\n;"}},
	{"empty statement is sent", ";", []string{"S1-1c: ;"}},
	{"comment only statement", "/* x */;", []string{"S1-1c: /* x */;"}},
	{"whitespace before terminator kept", "select 1   ;", []string{"S1-1c: select 1   ;"}},
	{"crlf kept", "select 1\r\n;\r\n", []string{"S1-2c: select 1\r\n;", "S2-2c: "}},

	{"blank lines inside a statement are dropped", "select\n\n\n1\n\n;", []string{"S1-6c: select\n1\n;"}},
	{"blank lines inside a quote are kept", "select 'a\n\nb';", []string{"S1-3c: select 'a\n\nb';"}},
	{"blank lines inside a comment are kept", "select /*\n\n*/ 1;", []string{"S1-3c: select /*\n\n*/ 1;"}},
	{"a CR line is not empty", "select\n\r\n1;", []string{"S1-3c: select\n\r\n1;"}},
	{"last newline at end of input is not sent", "select 1\n\n", []string{"S1-2i: select 1"}},
	{"last newline inside a quote at end", "select 'a\n\n", []string{"S1-2i: select 'a\n"}},
	{"byte order mark is ignored", "\xef\xbb\xbfselect 1;", []string{"S1-1c: select 1;"}},
	{"byte order mark alone", "\xef\xbb\xbf", []string{"S1-1c: "}},
	{"newline before backslash semicolon is kept", "select 1\n\\; select 2;", []string{"S1-2c: select 1\n; select 2;"}},
	{"newline before a command is stripped, after it added", "select 1\n\n\\echo x\n\n\n, 2;", []string{"S1-3i: select 1", "M3: \\echo [x]", "S6-6c: , 2;"}},
	{"indented command keeps the newline", "select 1\n  \\g\n", []string{"S1-2i: select 1\n  ", "M2: \\g []"}},

	// quotes
	{"semicolon in single quotes", "select 'a;b';", []string{"S1-1c: select 'a;b';"}},
	{"doubled quote", "select 'it''s;';", []string{"S1-1c: select 'it''s;';"}},
	{"standard strings: backslash is literal", `select 'a\'; select 2;`, []string{`S1-1c: select 'a\';`, "S1-1c: select 2;"}},
	{"E string backslash quote", `select E'a\';b'; select 2;`, []string{`S1-1c: select E'a\';b';`, "S1-1c: select 2;"}},
	{"lowercase e string", `select e'\\'; select 2;`, []string{`S1-1c: select e'\\';`, "S1-1c: select 2;"}},
	{"e inside identifier is not a prefix", `select xe'\'; select 2;`, []string{`S1-1c: select xe'\';`, "S1-1c: select 2;"}},
	{"E string escaped newline", "select E'a\\\n;'; select 2;", []string{"S1-2c: select E'a\\\n;';", "S2-2c: select 2;"}},
	{"U& string", `select U&'d\0061t;a'; select 2;`, []string{`S1-1c: select U&'d\0061t;a';`, "S1-1c: select 2;"}},
	{"U& identifier", `select U&"a;b"; select 2;`, []string{`S1-1c: select U&"a;b";`, "S1-1c: select 2;"}},
	{"bit and hex strings", "select B'01;', X'1F;';", []string{"S1-1c: select B'01;', X'1F;';"}},
	{"N string", "select N'a;b';", []string{"S1-1c: select N'a;b';"}},
	{"double quoted identifier", `select 1 as "a;""b";`, []string{`S1-1c: select 1 as "a;""b";`}},
	{"multi-line string", "select 'a\n;\nb';", []string{"S1-3c: select 'a\n;\nb';"}},
	{"unterminated quote", "select 'abc;\n", []string{"S1-1i: select 'abc;"}},
	{"unterminated double quote", "select \"abc;", []string{"S1-1i: select \"abc;"}},
	{"unterminated E string at backslash", "select E'abc\\", []string{"S1-1i: select E'abc\\"}},
	{"E string continued after CR", "select E'a'\r'\\';'; select 2;", []string{"S1-1c: select E'a'\r'\\';';", "S1-1c: select 2;"}},
	{"E string not continued across LF", "select E'a'\n'\\'; select 2;", []string{"S1-2c: select E'a'\n'\\';", "S2-2c: select 2;"}},

	// dollar quotes
	{"dollar quote", "select $$a;b$$;", []string{"S1-1c: select $$a;b$$;"}},
	{"tagged dollar quote", "select $fn$ $$; $fn$;", []string{"S1-1c: select $fn$ $$; $fn$;"}},
	{"dollar tag mismatch", "select $a$ $b$; $a$;", []string{"S1-1c: select $a$ $b$; $a$;"}},
	{"parameter is not dollar quote", "select $1; select $2;", []string{"S1-1c: select $1;", "S1-1c: select $2;"}},
	{"dollar in identifier", "select a$b$; select 1;", []string{"S1-1c: select a$b$;", "S1-1c: select 1;"}},
	{"dollar tag after digit", "select 1$a$;$a$;", []string{"S1-1c: select 1$a$;$a$;"}},
	{"dollar failed is lone dollar", "select $a ; select 1;", []string{"S1-1c: select $a ;", "S1-1c: select 1;"}},
	{"unterminated dollar quote", "do $$ begin; end;\n", []string{"S1-1i: do $$ begin; end;"}},
	{"dollar quote body with dollars", "select $x$a$$b$ x$y$x$;", []string{"S1-1c: select $x$a$$b$ x$y$x$;"}},
	{"dollar tag with high bytes", "select $é$;$é$;", []string{"S1-1c: select $é$;$é$;"}},

	// comments
	{"block comment with semicolon", "select /* ; */ 1;", []string{"S1-1c: select /* ; */ 1;"}},
	{"nested block comment", "select /* /* ; */ ; */ 1;", []string{"S1-1c: select /* /* ; */ ; */ 1;"}},
	{"unterminated block comment", "select 1 /* ;", []string{"S1-1i: select 1 /* ;"}},
	{"dash comment with semicolon", "select 1 -- ;\n;", []string{"S1-2c: select 1 -- ;\n;"}},
	{"dash comment at end of input", "select 1; -- bye", []string{"S1-1c: select 1;", "S1-1c: "}},
	{"operator before comment", "select 1 +/* ; */ 2;", []string{"S1-1c: select 1 +/* ; */ 2;"}},
	{"comment ends at CR", "select 1 -- x\r;", []string{"S1-1c: select 1 -- x\r;"}},
	{"quote in comment", "select 1 /* ' */;", []string{"S1-1c: select 1 /* ' */;"}},

	// parentheses
	{"semicolon in parens", "select (1;2); select 3;", []string{"S1-1c: select (1;2);", "S1-1c: select 3;"}},
	{"unbalanced close paren", "select 1); select 2;", []string{"S1-1c: select 1);", "S1-1c: select 2;"}},
	{"unclosed paren at end", "select (1;", []string{"S1-1i: select (1;"}},

	// BEGIN ATOMIC
	{"begin atomic", "create function f() returns int language sql begin atomic select 1; select 2; end; select 3;",
		[]string{"S1-1c: create function f() returns int language sql begin atomic select 1; select 2; end;", "S1-1c: select 3;"}},
	{"create or replace procedure", "CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END;",
		[]string{"S1-1c: CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END;"}},
	{"case inside begin atomic", "create function f(x int) returns int begin atomic select case when x > 0 then 1 else 0 end; end; select 2;",
		[]string{"S1-1c: create function f(x int) returns int begin atomic select case when x > 0 then 1 else 0 end; end;", "S1-1c: select 2;"}},
	{"case outside begin is ignored", "create function f() returns int as $$ select 1 $$ language sql; select case when true then 1 end;",
		[]string{"S1-1c: create function f() returns int as $$ select 1 $$ language sql;", "S1-1c: select case when true then 1 end;"}},
	{"transaction begin is not atomic", "begin; select 1; end;", []string{"S1-1c: begin;", "S1-1c: select 1;", "S1-1c: end;"}},
	{"create table with begin column", "create table begin (x int); select 1;", []string{"S1-1c: create table begin (x int);", "S1-1c: select 1;"}},
	{"unterminated begin atomic", "create procedure p() begin atomic select 1;\n", []string{"S1-1i: create procedure p() begin atomic select 1;"}},
	{"quoted begin does not count", `create function f() returns int "begin" select 1; select 2;`,
		[]string{`S1-1c: create function f() returns int "begin" select 1;`, "S1-1c: select 2;"}},

	// backslash commands
	{"meta alone", "\\echo hello world\n", []string{"M1: \\echo [hello world]"}},
	{"meta at end without newline", "\\q", []string{"M1: \\q []"}},
	{"meta after statement", "select 1;\n\\echo x\nselect 2;", []string{"S1-1c: select 1;", "M2: \\echo [x]", "S3-3c: select 2;"}},
	{"g sends buffer", "select 1 \\g\n", []string{"S1-1i: select 1 ", "M1: \\g []"}},
	{"gx with file", "select 1\n\\gx /tmp/out\nselect 2;", []string{"S1-2i: select 1", "M2: \\gx [/tmp/out]", "S3-3c: select 2;"}},
	{"two commands on a line", "\\a \\t\n", []string{"M1: \\a []", "M1: \\t []"}},
	{"double backslash separator", "\\echo a \\\\ select 1;\n", []string{"M1: \\echo [a]", "S1-1c: select 1;", "S1-1c: "}},
	{"quoted backslash in args", "\\echo 'a\\\\b' \"c\\d\" `e\\f`\nselect 1;", []string{"M1: \\echo ['a\\\\b' \"c\\d\" `e\\f`]", "S2-2c: select 1;"}},
	{"quoted string with escaped quote in args", "\\echo 'it\\'s' \\t\n", []string{"M1: \\echo ['it\\'s']", "M1: \\t []"}},
	{"unterminated quote in args eats line", "\\echo 'a \\t\n", []string{"M1: \\echo ['a \\t]"}},
	{"unknown command eats line", "\\foo a \\echo b\nselect 1;", []string{"M1: \\foo [a \\echo b]", "S2-2c: select 1;"}},
	{"whole line command", "\\! echo a \\echo b\n", []string{"M1: \\! [echo a \\echo b]"}},
	{"pipe to whole line", "select 1 \\g | cat \\x\n", []string{"S1-1i: select 1 ", "M1: \\g [| cat \\x]"}},
	{"lone backslash", "\\\n", []string{"M1: \\ []"}},
	{"backslash in quotes is not a command", "select '\\echo';", []string{"S1-1c: select '\\echo';"}},
	{"backslash in comment is not a command", "select /* \\g */ 1;", []string{"S1-1c: select /* \\g */ 1;"}},
	{"backslash in dollar quote is not a command", "select $$\\g$$;", []string{"S1-1c: select $$\\g$$;"}},
	{"backslash semicolon", "select 1 \\; select 2;", []string{"S1-1c: select 1 ; select 2;"}},
	{"backslash colon", "select '1'\\:\\:int;", []string{"S1-1c: select '1'::int;"}},
	{"buffer carried over echo", "select 1 \\echo hi\n  from t;", []string{"S1-1i: select 1 ", "M1: \\echo [hi]", "S2-2c:   from t;"}},
	{"buffer carried over two commands", "select\n\\echo a\n\\echo b\n1;", []string{"S1-2i: select", "M2: \\echo [a]", "M3: \\echo [b]", "S4-4c: 1;"}},
	{"buffer carried to end", "select 1 \\echo x\n", []string{"S1-1i: select 1 ", "M1: \\echo [x]"}},
	{"g after a kept buffer has no statement before it", "select 1 \\echo x\n\\g\n", []string{"S1-1i: select 1 ", "M1: \\echo [x]", "M2: \\g []"}},
	{"whitespace line after a kept buffer", "select 1 \\echo x\n  \n", []string{"S1-1i: select 1 ", "M1: \\echo [x]", "S2-2i:   "}},
	{"reset discards buffer", "select 1 \\r\nselect 2;", []string{"S1-1i: select 1 ", "M1: \\r []", "S2-2c: select 2;"}},
	{"paren depth carried over echo", "select (1 \\echo x\n; 2);", []string{"S1-1i: select (1 ", "M1: \\echo [x]", "S2-2c: ; 2);"}},
	{"paren depth reset by g", "select (1 \\g\n; select 2;", []string{"S1-1i: select (1 ", "M1: \\g []", "S2-2c: ;", "S2-2c: select 2;"}},
	{"meta then dash comment", "\\set x 1 -- c\n", []string{"M1: \\set [x 1 -- c]"}},
	{"set with quotes", "\\set q 'select 1; select 2'\n:q;", []string{"M1: \\set [q 'select 1; select 2']", "S2-2c: :q;"}},
	{"variable token is not an identifier", "create function :begin () begin atomic select 1; end;",
		[]string{"S1-1c: create function :begin () begin atomic select 1; end;"}},
	{"variable name stops before a dollar quote", "select 1 :A$$;\nselect 2;$$;", []string{"S1-2c: select 1 :A$$;\nselect 2;$$;"}},
	{"typecast", "select 1::int; select 2;", []string{"S1-1c: select 1::int;", "S1-1c: select 2;"}},

	// COPY
	{"copy from stdin", "COPY t (a, b) FROM stdin;\n1\t2\n3\t4\n\\.\nselect 1;",
		[]string{"S1-4c: COPY t (a, b) FROM stdin; copy=1\t2\n3\t4\n", "S5-5c: select 1;"}},
	{"copy data is not sql", "copy t from stdin;\n'; \\g\n\\.\n", []string{"S1-3c: copy t from stdin; copy='; \\g\n"}},
	{"copy with options and comment", "copy t from STDIN with (format csv) ; -- data\na,b\n\\.\r\n",
		[]string{"S1-3c: copy t from STDIN with (format csv) ; copy=a,b\n"}},
	{"copy data to end of input", "copy t from stdin;\n1\n2", []string{"S1-3i: copy t from stdin; copy=1\n2"}},
	{"copy at end of input", "copy t from stdin;", []string{"S1-1i: copy t from stdin; copy="}},
	{"copy terminator at end of input", "copy t from stdin;\n1\n\\.", []string{"S1-3c: copy t from stdin; copy=1\n"}},
	{"copy terminator must be alone", "copy t from stdin;\n\\.x\n \\.\n\\.\n", []string{"S1-4c: copy t from stdin; copy=\\.x\n \\.\n"}},
	{"copy to stdout has no data", "copy t to stdout;\n1;", []string{"S1-1c: copy t to stdout;", "S2-2c: 1;"}},
	{"copy from file has no data", "copy t from '/tmp/stdin';\nselect 1;", []string{"S1-1c: copy t from '/tmp/stdin';", "S2-2c: select 1;"}},
	{"copy query with from stdin inside parens", "copy (select * from stdin) to stdout;\nselect 1;",
		[]string{"S1-1c: copy (select * from stdin) to stdout;", "S2-2c: select 1;"}},
	{"from stdin in a string", "copy t from program 'x from stdin';\nselect 1;", []string{"S1-1c: copy t from program 'x from stdin';", "S2-2c: select 1;"}},
	{"not first token", "select 1 from stdin;\nselect 2;", []string{"S1-1c: select 1 from stdin;", "S2-2c: select 2;"}},
	{"statements after copy on its line", "copy t from stdin; select 1;\nx\n\\.\nselect 2;",
		[]string{"S1-3c: copy t from stdin; copy=x\n", "S1-3c: select 1;", "S4-4c: select 2;"}},
	{"statement split by copy data", "copy t from stdin; select\nx\n\\.\n1;",
		[]string{"S1-3c: copy t from stdin; copy=x\n", "S1-4c: select\n1;"}},
	{"two copies on a line", "copy a from stdin; copy b from stdin;\n1\n\\.\n2\n\\.\n",
		[]string{"S1-3c: copy a from stdin; copy=1\n", "S1-5c: copy b from stdin; copy=2\n", "S1-5c: "}},
	{"backslash copy from stdin", "\\copy t from stdin\n1\n\\.\nselect 1;", []string{"M1: \\copy [t from stdin] copy=1\n", "S4-4c: select 1;"}},
	{"backslash copy from pstdin", "\\copy t from pstdin\nselect 1;", []string{"M1: \\copy [t from pstdin]", "S2-2c: select 1;"}},
	{"backslash copy to stdout", "\\copy t to stdout\nselect 1;", []string{"M1: \\copy [t to stdout]", "S2-2c: select 1;"}},
	{"backslash copy at end", "\\copy t from stdin", []string{"M1: \\copy [t from stdin] copy-incomplete="}},
	{"copy sent by g", "copy t from stdin \\g\n1\n\\.\n", []string{"S1-1i: copy t from stdin ", "M1: \\g [] copy=1\n"}},
	{"copy data with CRLF", "copy t from stdin;\r\n1\r\n\\.\r\nselect 1;", []string{"S1-3c: copy t from stdin; copy=1\r\n", "S4-4c: select 1;"}},

	// numbers and junk
	{"numbers", "select 1.5e10, .5, 1..2, 1e+, 0x1F;", []string{"S1-1c: select 1.5e10, .5, 1..2, 1e+, 0x1F;"}},
	{"junk eats one char before E string", `select 1e'\'; select 2;`, []string{`S1-1c: select 1e'\';`, "S1-1c: select 2;"}},
	{"integer then E string", `select 1 e'\'; select 2;'; select 3;`, []string{`S1-1c: select 1 e'\'; select 2;';`, "S1-1c: select 3;"}},

	{"nul byte", "select '\x00';", []string{"S1-1c: select '\x00';"}},
	{"invalid utf8", "select '\xff';\xfe;", []string{"S1-1c: select '\xff';", "S1-1c: \xfe;"}},
}

func TestSplit(t *testing.T) {
	for _, tt := range splitCases {
		t.Run(tt.name, func(t *testing.T) {
			items := Split(tt.in)
			checkInvariants(t, tt.in, items)
			var got []string
			for _, it := range items {
				got = append(got, render(it))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q):\n got %s\nwant %s", tt.in, fmtList(got), fmtList(tt.want))
			}
		})
	}
}

func fmtList(l []string) string {
	var b strings.Builder
	for _, s := range l {
		fmt.Fprintf(&b, "\n  %q", s)
	}
	return b.String()
}

func TestItemFields(t *testing.T) {
	in := "  select 1;\n\\echo x \\\\ select 2 \\g\n"
	items := Split(in)
	checkInvariants(t, in, items)
	want := []Item{
		{Kind: Statement, Text: "  select 1;", SQL: "select 1;", Line: 1, EndLine: 1, Start: 0, End: 11, Complete: true, Terminator: ";"},
		{Kind: Meta, Text: "\n\\echo x \\\\", Line: 2, EndLine: 2, Start: 11, End: 22, Complete: true, Command: "echo", Args: "x"},
		{Kind: Statement, Text: " select 2 ", SQL: "select 2 ", Line: 2, EndLine: 2, Start: 22, End: 32},
		{Kind: Meta, Text: "\\g\n", Line: 2, EndLine: 2, Start: 32, End: 35, Complete: true, Command: "g"},
	}
	if !equalItems(items, want) {
		t.Fatalf("got %s\nwant %s", dump(items), dump(want))
	}
	if !items[3].SendsQuery() || !items[3].ResetsQuery() || items[1].SendsQuery() || items[1].ResetsQuery() {
		t.Errorf("SendsQuery/ResetsQuery wrong")
	}
	if items[0].SendsQuery() {
		t.Errorf("a statement sends nothing")
	}
}

func TestCopyDataInText(t *testing.T) {
	in := "copy t from stdin;\na\n\\.\n"
	items := Split(in)
	checkInvariants(t, in, items)
	if len(items) != 1 || items[0].Text != in || *items[0].CopyData != "a\n" || items[0].EndLine != 3 {
		t.Fatalf("got %s", dump(items))
	}
}

func TestScannerLargeInput(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 50000; i++ {
		fmt.Fprintf(&b, "insert into t values (%d, 'x;y', $$a;b$$); -- c\n", i)
	}
	b.WriteString("copy t from stdin;\n")
	for i := 0; i < 100000; i++ {
		b.WriteString("1\tabc\n")
	}
	b.WriteString("\\.\nselect 1;\n")
	in := b.String()
	items := Split(in)
	if len(items) != 50003 {
		t.Fatalf("got %d items", len(items))
	}
	if items[50000].CopyData == nil || len(*items[50000].CopyData) != 600000 {
		t.Fatalf("copy item: %q", items[50000].SQL)
	}
	if items[50001].Line != 150003 {
		t.Fatalf("line after copy = %d", items[50001].Line)
	}
	sc := NewScanner(strings.NewReader(in))
	n := 0
	for sc.Scan() {
		if !equalItems([]Item{sc.Item()}, []Item{items[n]}) {
			t.Fatalf("item %d differs", n)
		}
		n++
	}
	if n != len(items) || sc.Err() != nil {
		t.Fatalf("scanner: %d items, err %v", n, sc.Err())
	}
}

type errReader struct{ n int }

func (r *errReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, fmt.Errorf("disk on fire")
	}
	r.n--
	return copy(p, "select 1;\n"), nil
}

func TestScannerError(t *testing.T) {
	sc := NewScanner(&errReader{n: 1})
	for sc.Scan() {
	}
	if sc.Err() == nil || sc.Err().Error() != "disk on fire" {
		t.Fatalf("err = %v", sc.Err())
	}
	if sc.Scan() {
		t.Fatal("Scan after an error returned true")
	}
}

func TestInterpolate(t *testing.T) {
	vars := map[string]string{
		"n":    "42",
		"t":    "my table",
		"q":    "it's",
		"bs":   `a\b`,
		"id":   `we"ird`,
		"self": ":self",
		"a":    ":b + 1",
		"b":    "2",
		"open": "'x",
	}
	lookup := func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
	tests := []struct{ name, in, want string }{
		{"plain", "select :n;", "select 42;"},
		{"literal", "select :'q';", "select 'it''s';"},
		{"literal with backslash", "select :'bs';", `select  E'a\\b';`},
		{"identifier", `select * from :"t", :"id";`, `select * from "my table", "we""ird";`},
		{"undefined left alone", "select :nope, :'nope', :\"nope\";", "select :nope, :'nope', :\"nope\";"},
		{"cast is not a reference", "select 1::n;", "select 1::n;"},
		{"inside quotes untouched", "select ':n', \":n\", $$:n$$, E':n', /* :n */ 1 -- :n\n;", "select ':n', \":n\", $$:n$$, E':n', /* :n */ 1 -- :n\n;"},
		{"slice bound is a reference too", "select arr[1:n];", "select arr[142];"},
		{"recursive value", "select :a;", "select 2 + 1;"},
		{"self reference kept", "select :self;", "select :self;"},
		{"defined test", "select :{?n}, :{?nope};", "select TRUE, FALSE;"},
		{"value opens a quote", "select :open, :n';", "select 'x, :n';"},
		{"no colon fast path", "select 1;", "select 1;"},
		{"colon at end", "select :", "select :"},
		{"dollar tag with variable-looking text", "select $x$ :n $x$, :n;", "select $x$ :n $x$, 42;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Interpolate(tt.in, lookup); got != tt.want {
				t.Errorf("Interpolate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestScannerStreams: an item is returned as soon as its end has been read,
// without waiting for the rest of the input (a REPL on a pipe, a huge dump).
func TestScannerStreams(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	sc := NewScanner(pr)
	got := make(chan Item)
	go func() {
		for sc.Scan() {
			got <- sc.Item()
		}
		close(got)
	}()
	for _, want := range []string{"select 1;", "\\echo hi\n"} {
		if _, err := io.WriteString(pw, want); err != nil {
			t.Fatal(err)
		}
		it := <-got
		if strings.TrimLeft(it.Text, "\n") != want {
			t.Fatalf("got %q, want %q", it.Text, want)
		}
	}
	io.WriteString(pw, "\nselect 2")
	pw.Close()
	if it := <-got; it.SQL != "select 2" || it.Complete {
		t.Fatalf("last item %+v", it)
	}
	if _, ok := <-got; ok {
		t.Fatal("more items than expected")
	}
}

func TestStandardStringsOff(t *testing.T) {
	const in = `select '\'' ; delete from t where id = 3; --';`
	stmts := func(items []Item) []string {
		var out []string
		for _, it := range items {
			if it.Kind == Statement && strings.TrimSpace(it.SQL) != "" {
				out = append(out, it.SQL)
			}
		}
		return out
	}
	off := stmts(Split(in, WithStandardStrings(false)))
	if len(off) != 2 || off[0] != `select '\'' ;` || off[1] != "delete from t where id = 3;" {
		t.Errorf("scs off: %q", off)
	}
	on := stmts(Split(in))
	if len(on) != 1 {
		t.Errorf("scs on: %q", on)
	}
	if on2 := stmts(Split(in, WithStandardStrings(true))); len(on2) != 1 {
		t.Errorf("scs on (explicit): %q", on2)
	}
	// N'...' follows the setting too; B'' and X'' have no escapes.
	if n := stmts(Split(`select N'\'' ; select 2;`, WithStandardStrings(false))); len(n) != 2 {
		t.Errorf("N'': %q", n)
	}
	// The Scanner takes the option as well.
	sc := NewScanner(strings.NewReader(in), WithStandardStrings(false))
	var got []string
	for sc.Scan() {
		if it := sc.Item(); it.Kind == Statement && strings.TrimSpace(it.SQL) != "" {
			got = append(got, it.SQL)
		}
	}
	if len(got) != 2 {
		t.Errorf("scanner, scs off: %q", got)
	}
}
