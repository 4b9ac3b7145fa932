package shell

import (
	"reflect"
	"testing"
)

// TestIgnoredArgumentsAreNotEvaluated: what a command does not read is
// scanned as psql scans it in an ignored branch: no variable, no program.
func TestIgnoredArgumentsAreNotEvaluated(t *testing.T) {
	ran := 0
	sc := argScanner{
		raw:    "fieldsep | `touch x` :foo :'foo' :{?foo} 'a\\tb' x`y`z",
		lookup: func(n string) (string, bool) { return "bar", n == "foo" },
		shell:  func(string) string { ran++; return "RAN" },
	}
	var got []string
	for i := 0; ; i++ {
		arg, _, ok := sc.next(i < 2)
		if !ok {
			break
		}
		got = append(got, arg)
	}
	want := []string{"fieldsep", "|", "touch x", ":foo", ":'foo'", "FALSE", "a\tb", "xyz"}
	if !reflect.DeepEqual(got, want) || ran != 0 {
		t.Errorf("got %q (programs run: %d), want %q and none run", got, ran, want)
	}
	sc = argScanner{raw: ":foo `cmd`", lookup: func(string) (string, bool) { return "bar", true }, shell: func(string) string { ran++; return "out" }}
	a, _, _ := sc.next(true)
	b, quoted, _ := sc.next(true)
	if a != "bar" || b != "out" || !quoted || ran != 1 {
		t.Errorf("evaluated: %q %q quoted=%v ran=%d, want bar out true 1", a, b, quoted, ran)
	}
}

func TestMetaArity(t *testing.T) {
	for _, tt := range []struct {
		name, raw string
		want      int
	}{
		{"pset", "fieldsep |", 2},
		{"g", "out.txt extra", 1},
		{"g", "(format=csv tuples_only) out.txt extra", 3},
		{"g", "|tr a-z A-Z", wholeLine},
		{"g", "(format=csv) |cat -A", wholeLine},
		{"o", " |cat", wholeLine},
		{"o", "file extra", 1},
		{"c", "-reuse-previous=on db u h p x", 5},
		{"c", "db u h p x", 4},
		{"echo", "a b c", -1},
		{"!", "echo hi", wholeLine},
		{"dt", "a b", 1},
		{"df", "a b c", -1},
		{"lo_unlink", "1 x", 2},
		{"q", "x", 0},
	} {
		if got := metaArity(tt.name, tt.raw); got != tt.want {
			t.Errorf(`metaArity(\%s %s) = %d, want %d`, tt.name, tt.raw, got, tt.want)
		}
	}
}

func TestVariableHooks(t *testing.T) {
	v := NewVars()
	for _, tt := range []struct{ name, value, err, after string }{
		{"AUTOCOMMIT", "maybe", `unrecognized value "maybe" for "AUTOCOMMIT": Boolean expected`, "on"},
		{"AUTOCOMMIT", "o", `unrecognized value "o" for "AUTOCOMMIT": Boolean expected`, "on"},
		{"AUTOCOMMIT", "OF", "", "OF"},
		{"FETCH_COUNT", "lots", `invalid value "lots" for "FETCH_COUNT": integer expected`, "0"},
		{"FETCH_COUNT", "08", `invalid value "08" for "FETCH_COUNT": integer expected`, "0"},
		{"FETCH_COUNT", "2147483648", `invalid value "2147483648" for "FETCH_COUNT": integer expected`, "0"},
		{"FETCH_COUNT", " -0x1f", "", " -0x1f"},
		{"ON_ERROR_ROLLBACK", "sometimes", "unrecognized value \"sometimes\" for \"ON_ERROR_ROLLBACK\"\nAvailable values are: on, off, interactive.", "off"},
		{"ON_ERROR_ROLLBACK", "", "", "on"},
		{"IGNOREEOF", "x", "", "10"},
		{"ECHO", "", "unrecognized value \"\" for \"ECHO\"\nAvailable values are: none, errors, queries, all.", "none"},
		{"PROMPT1", "", "", ""},
		{"anything", "", "", ""},
	} {
		err := v.Assign(tt.name, tt.value)
		if msg := errText(err); msg != tt.err {
			t.Errorf("Assign(%s, %q): error %q, want %q", tt.name, tt.value, msg, tt.err)
		}
		if got, _ := v.Get(tt.name); got != tt.after {
			t.Errorf("after Assign(%s, %q): %q, want %q", tt.name, tt.value, got, tt.after)
		}
	}
	v.Remove("AUTOCOMMIT")
	v.Remove("PROMPT1")
	v.Remove("HISTSIZE")
	if a, _ := v.Get("AUTOCOMMIT"); a != "off" {
		t.Errorf("AUTOCOMMIT after \\unset: %q, want off", a)
	}
	if h, _ := v.Get("HISTSIZE"); h != "500" {
		t.Errorf("HISTSIZE after \\unset: %q, want 500", h)
	}
	if _, ok := v.Get("PROMPT1"); ok {
		t.Error("PROMPT1 is still set after \\unset")
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
