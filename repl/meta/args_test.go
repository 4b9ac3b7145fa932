package meta

import (
	"reflect"
	"testing"
)

// TestIgnoredArgumentsAreNotEvaluated: what a command does not read is
// scanned as psql scans it in an ignored branch: no variable, no program.
func TestIgnoredArgumentsAreNotEvaluated(t *testing.T) {
	ran := 0
	sc := Scanner{
		Raw:    "fieldsep | `touch x` :foo :'foo' :{?foo} 'a\\tb' x`y`z",
		Lookup: func(n string) (string, bool) { return "bar", n == "foo" },
		Shell:  func(string) string { ran++; return "RAN" },
	}
	var got []string
	for i := 0; ; i++ {
		arg, _, ok := sc.Next(i < 2)
		if !ok {
			break
		}
		got = append(got, arg)
	}
	want := []string{"fieldsep", "|", "touch x", ":foo", ":'foo'", "FALSE", "a\tb", "xyz"}
	if !reflect.DeepEqual(got, want) || ran != 0 {
		t.Errorf("got %q (programs run: %d), want %q and none run", got, ran, want)
	}
	sc = Scanner{Raw: ":foo `cmd`", Lookup: func(string) (string, bool) { return "bar", true }, Shell: func(string) string { ran++; return "out" }}
	a, _, _ := sc.Next(true)
	b, quoted, _ := sc.Next(true)
	if a != "bar" || b != "out" || !quoted || ran != 1 {
		t.Errorf("evaluated: %q %q quoted=%v ran=%d, want bar out true 1", a, b, quoted, ran)
	}
}

func TestMetaArity(t *testing.T) {
	table, err := NewDefaultTable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, raw string
		want      int
	}{
		{"pset", "fieldsep |", 2},
		{"g", "out.txt extra", 1},
		{"g", "(format=csv tuples_only) out.txt extra", 3},
		{"g", "|tr a-z A-Z", WholeLine},
		{"g", "(format=csv) |cat -A", WholeLine},
		{"o", " |cat", WholeLine},
		{"o", "file extra", 1},
		{"c", "-reuse-previous=on db u h p x", 5},
		{"c", "db u h p x", 4},
		{"echo", "a b c", -1},
		{"!", "echo hi", WholeLine},
		{"dt", "a b", 1},
		{"df", "a b c", -1},
		{"lo_unlink", "1 x", 2},
		{"q", "x", 0},
	} {
		if got := table.Arity(tt.name, tt.raw); got != tt.want {
			t.Errorf(`metaArity(\%s %s) = %d, want %d`, tt.name, tt.raw, got, tt.want)
		}
	}
}
