//go:build cgo

package analyze

import (
	"strings"
	"testing"
	"time"
)

// TestTooDeep: text nested deeper than the C parser's stack used to kill
// the process (SIGSEGV inside cgo); it is refused before the parser sees it.
func TestTooDeep(t *testing.T) {
	cases := map[string]string{
		"plus 30k":        "select 1" + strings.Repeat("+1", 30000),
		"plus 100k":       "select 1" + strings.Repeat("+1", 100000),
		"concat 40k":      "select 'a'" + strings.Repeat("||'a'", 40000),
		"parens 100k":     "select " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000),
		"parens unclosed": "select " + strings.Repeat("(", 100000),
		"casts 30k":       "select 1" + strings.Repeat("::int", 30000),
		"mixed":           "select " + strings.Repeat("1+(", 3000) + "1" + strings.Repeat(")", 3000),
		"in a DO block":   "DO $$ BEGIN PERFORM 1" + strings.Repeat("+1", 30000) + "; END $$",
		"in PREPARE":      "PREPARE p AS SELECT 1" + strings.Repeat("+1", 30000),
		// Keyword operators nest as deep and crashed the same way at 40,000.
		"is null 40k":      "select 1" + strings.Repeat(" is null", 40000),
		"is true 40k":      "select true" + strings.Repeat(" is true", 40000),
		"collate 40k":      "select 'a'" + strings.Repeat(` collate "C"`, 40000),
		"at time zone 40k": "select now()" + strings.Repeat(" at time zone 'utc'", 40000),
		"in 40k":           "select 1" + strings.Repeat(" in (1)", 40000),
		"like 40k":         "select 'a'" + strings.Repeat(" like 'a'", 40000),
		"union 40k":        "select 1" + strings.Repeat(" union select 1", 40000),
		"join 40k":         "select * from t" + strings.Repeat(" join t on true", 40000),
		"delete in 40k":    "delete from t where a" + strings.Repeat(" in (1)", 40000),
	}
	for name, sql := range cases {
		start := time.Now()
		v := Classify(sql)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
		if v.Class != Destructive || !v.Has(FlagUnparsed) {
			t.Errorf("%s: %s %v", name, v.Class, v.Flags)
		}
		found := false
		for _, r := range v.Reasons {
			if strings.Contains(r, "too deeply nested for the parser") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: reasons %q", name, v.Reasons)
		}
	}
	// A function's body is stored, not run: creating it is a write, a
	// call of it is what cannot be analysed.
	a := NewAnalyzer()
	a.Classify("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1" + strings.Repeat("+1", 30000) + "; END $$")
	if v := a.Classify("SELECT f()"); v.Class != Destructive || !v.Has(FlagUnparsed) {
		t.Errorf("call of a too deep function: %s %v", v.Class, v.Flags)
	}
	// Long but flat text still parses: chains end at commas, AND and OR,
	// and what is inside strings and comments does not count.
	flat := map[string]string{
		"values":  "INSERT INTO t VALUES " + strings.Repeat("(1+1, 'a'||'b'), ", 20000) + "(1, 'c')",
		"ors":     "SELECT 1 FROM t WHERE " + strings.Repeat("a = 1 OR ", 20000) + "true",
		"ands":    "SELECT 1 FROM t WHERE " + strings.Repeat("a = 1 AND ", 20000) + "true",
		"string":  "SELECT '" + strings.Repeat("((+", 20000) + "'",
		"comment": "SELECT 1 /* " + strings.Repeat("((+", 20000) + " */",
		"list":    "SELECT " + strings.Repeat("1+1, ", 20000) + "1",
		"dollar":  "SELECT $x$" + strings.Repeat("(+", 20000) + "$x$",
		"modest":  "SELECT " + strings.Repeat("(", 500) + "1" + strings.Repeat("+1", 1000) + strings.Repeat(")", 500),
		// A SELECT starts new expression chains: only the UNIONs add up.
		"union all": strings.Repeat("SELECT a + 1 FROM t WHERE b = 2 AND c IS NULL UNION ALL ", 4000) + "SELECT 1",
		"in lists":  "SELECT 1 FROM t WHERE " + strings.Repeat("a IN (1, 2) AND b LIKE 'x' AND ", 20000) + "true",
	}
	for name, sql := range flat {
		if v := Classify(sql); v.Has(FlagUnparsed) {
			t.Errorf("%s: %s %v %.200q", name, v.Class, v.Flags, v.Reasons)
		}
	}
}
