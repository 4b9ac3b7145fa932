package shell

import (
	"testing"

	"github.com/safesql/safesql/analyze"
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

// FuzzStatementRules: the session's own reading of a statement (transaction
// control, statements that cannot run in a transaction block, the safe
// form, the wording of a refusal) never panics, and a statement the
// analyzer cannot parse is never taken for a read.
func FuzzStatementRules(f *testing.F) {
	for _, seed := range []string{"BEGIN", "rollback to savepoint a", "commit prepared 'x'", "VACUUM (verbose) t", "create unique index concurrently i on t(a)",
		"ALTER TABLE t ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES u", "/* x */ end;", "-- only a comment", "reindex (verbose) database x", "DELETE FROM t WHERE"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		_ = firstWord(sql)
		v := analyze.Classify(sql)
		_ = describeWrite(sql, v)
		if v.Has(analyze.FlagUnparsed) && v.Class != analyze.Destructive {
			t.Fatalf("unparsed %q classified %v", sql, v.Class)
		}
	})
}
