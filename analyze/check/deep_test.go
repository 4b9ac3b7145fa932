//go:build cgo

package check

import (
	"fmt"
	"strings"
	"testing"
)

// The crash inputs, through `safesql check`: each used to kill the
// process inside the C parser; now each is one destructive, unparsed
// verdict with the reason, and exit status 1. A WHERE of 100,000 ANDs is
// not nested and gets its verdict.
func TestCheckDeepAndLongStatements(t *testing.T) {
	for _, tc := range []struct{ name, sql, want string }{
		{"plus 30k", "select " + strings.Repeat("1+", 30000) + "1;\n", "destructive [unparsed]: too deeply nested for the parser (5001 levels): treated as destructive"},
		{"concat 40k", "select " + strings.Repeat("'a'||", 40000) + "'a';\n", "destructive [unparsed]: too deeply nested for the parser (5001 levels): treated as destructive"},
		{"is null 40k", "select 1" + strings.Repeat(" is null", 40000) + ";\n", "destructive [unparsed]: too deeply nested for the parser (5001 levels): treated as destructive"},
		{"100k ANDs", "select * from t where a=1" + strings.Repeat(" and a=1", 99999) + ";\n", "read: SELECT only reads"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "p.sql", tc.sql)
			code, stdout, stderr := run(t, "", path)
			wantCode := 1
			if strings.HasPrefix(tc.want, "read") {
				wantCode = 0
			}
			if want := fmt.Sprintf("%s:1: %s\n", path, tc.want); code != wantCode || stdout != want || stderr != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout %q", code, stdout, stderr, wantCode, want)
			}
		})
	}
}
