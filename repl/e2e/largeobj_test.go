package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

var oids = regexp.MustCompile(`\d{5,}`)

// \lo_import, \lo_export and \lo_unlink print what psql prints (large
// object OIDs aside: each run makes its own) and export the same bytes.
func TestLargeObjectsSameAsPsql(t *testing.T) {
	psql := pgtest.Psql(t)
	params := pgtest.DB(t)
	script := `\lo_import in.bin 'a comment'
\set lo :LASTOID
\lo_export :lo out.bin
\lo_list
\lo_unlink :lo
\lo_export 999999 x
\lo_unlink 999999
\lo_import /nonexistent
\lo_export
\lo_import
\lo_unlink
\pset format html
\lo_import in.bin
\lo_unlink :LASTOID
\pset format aligned
\lo_list
`
	payload := []byte("binary \x00\x01\xff payload\n")
	run := func(prog string, env []string) (result, []byte) {
		dir := t.TempDir()
		for name, content := range map[string][]byte{"lo.sql": []byte(script), "in.bin": payload} {
			if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r := runProgram(t, prog, env, "", dir, "-X", "-f", "lo.sql")
		out, err := os.ReadFile(filepath.Join(dir, "out.bin"))
		if err != nil {
			t.Fatalf("%s wrote no export: %v", prog, err)
		}
		return r, out
	}
	want, wantFile := run(psql, pgtest.Clone(t, params, "psql").Env())
	got, gotFile := run(binary, pgtest.Clone(t, params, "safesql").Env())
	sameAsPsql(t, want, got, func(s string) string { return oids.ReplaceAllString(s, "OID") })
	if string(gotFile) != string(payload) || string(wantFile) != string(payload) {
		t.Errorf("exported %q (psql %q), want %q", gotFile, wantFile, payload)
	}
}
