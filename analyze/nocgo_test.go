//go:build !cgo

package analyze

import "testing"

// Without cgo there is no parser: everything must fail closed.
func TestNoParserFailsClosed(t *testing.T) {
	for _, sql := range []string{"SELECT 1", "DELETE FROM t", "", "DO $$ BEGIN END $$"} {
		v := Classify(sql)
		if v.Class != Destructive || !v.Has(FlagUnparsed) {
			t.Errorf("%q: %s %v, want destructive unparsed", sql, v.Class, v.Flags)
		}
	}
}
