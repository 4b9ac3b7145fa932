package engine

import (
	"testing"

	"github.com/safesql/safesql/analyze"
)

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
		_ = analyze.Command(sql)
		v := analyze.Classify(sql)
		_ = describeWrite(sql, v)
		if v.Has(analyze.FlagUnparsed) && v.Class != analyze.Destructive {
			t.Fatalf("unparsed %q classified %v", sql, v.Class)
		}
	})
}
