//go:build cgo

package analyze

import "testing"

func TestEscapeStrings(t *testing.T) {
	cases := map[string]string{
		`select '\''`:                    `select  E'\''`,
		`select 'a''b', E'\n'`:           `select  E'a''b', E'\n'`,
		`select N'\''`:                   `select E'\''`,
		`select B'01', X'ff', U&'\0041'`: `select B'01', X'ff', U&'\0041'`,
		`select $$'\'$$, $t$'$t$`:        `select $$'\'$$, $t$'$t$`,
		`select "a'b" -- it's`:           `select "a'b" -- it's`,
		`/* it's /* 'x' */ */ select 1`:  `/* it's /* 'x' */ */ select 1`,
		`select date'2020-01-01'`:        `select date E'2020-01-01'`,
		"select 'a'\n'b\\''":             "select  E'a'\n'b\\''",
		`select $1, 'x'`:                 `select $1,  E'x'`,
		`select e'x', ee'y'`:             `select e'x', ee E'y'`,
	}
	for in, want := range cases {
		if got, _ := escapeStrings(in); got != want {
			t.Errorf("escapeStrings(%q) = %q, want %q", in, got, want)
		}
	}
	// Offsets map back.
	in := `select 'a', 'b'`
	out, ins := escapeStrings(in)
	for i := range out {
		o := unshift(i, ins)
		if o < 0 || o > len(in) {
			t.Fatalf("unshift(%d) = %d", i, o)
		}
	}
	if o := unshift(len(out)-2, ins); in[o] != 'b' {
		t.Errorf("unshift: %d", o)
	}
}

func TestStandardStringsOff(t *testing.T) {
	const in = `select '\'' ; delete from t where id = 3; --';`
	a := NewAnalyzer().WithStandardStrings(false)
	v := a.Classify(in)
	if v.Class != Destructive || v.Statements != 2 || v.Has(FlagUnparsed) {
		t.Errorf("scs off: %s %v n=%d %q", v.Class, v.Flags, v.Statements, v.Reasons)
	}
	v = NewAnalyzer().Classify(in)
	if v.Class != Read || v.Statements != 1 {
		t.Errorf("scs on: %s %v n=%d %q", v.Class, v.Flags, v.Statements, v.Reasons)
	}
	// The cache keeps the two readings apart.
	c := NewCache(10)
	on := NewAnalyzer().WithCache(c).Classify(in)
	off := NewAnalyzer().WithCache(c).WithStandardStrings(false).Classify(in)
	if on.Class != Read || off.Class != Destructive {
		t.Errorf("shared cache: on %s, off %s", on.Class, off.Class)
	}
	// Off, a backslash-quote string that is all one literal stays a read.
	if v := a.Classify(`select 'it\'s; delete from t'`); v.Class != Read || v.Statements != 1 {
		t.Errorf("escaped quote: %s n=%d %q", v.Class, v.Statements, v.Reasons)
	}
	// An unparsed text is counted with the same reading.
	if v := a.Classify(`selct '\'' ; delete from t; --'`); v.Statements != 2 || !v.Has(FlagUnparsed) {
		t.Errorf("unparsed off: n=%d %v", v.Statements, v.Flags)
	}
}
