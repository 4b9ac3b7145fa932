package shell

import (
	"testing"

	"github.com/safesql/safesql/analyze/split"
)

// FuzzBackslashArguments: no backslash command argument text may panic the
// argument scanner or the \copy parser.
func FuzzBackslashArguments(f *testing.F) {
	for _, seed := range []string{`c from 'f.tsv' with (format csv)`, `(select ')') to stdout`, `"T" (a, b) from program 'x'`, `:'v' :"w" :x`, `'it''s' "q"`, `(`, `'`} {
		f.Add(seed)
	}
	lookup := func(name string) (string, bool) { return "v'\\" + name, name != "none" }
	f.Fuzz(func(t *testing.T, raw string) {
		_ = metaArgs(raw, lookup)
		spec, err := split.ParseCopy(raw)
		if err == nil && spec.SQL == "" {
			t.Fatalf("ParseCopy(%q) gave no SQL and no error", raw)
		}
	})
}
