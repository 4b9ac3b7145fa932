package shell

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTypedBufferWaitsButIncludedFilesRunAsScripts: in the shell, text
// before a backslash command waits in the query buffer for the next
// entry; a file the entry includes with \i is a script, whose unterminated
// last statement runs at its end and whose lines ECHO all echoes, as psql.
func TestTypedBufferWaitsButIncludedFilesRunAsScripts(t *testing.T) {
	h := newHarness(t, psqlPolicy())
	file := filepath.Join(t.TempDir(), "inc.sql")
	if err := os.WriteFile(file, []byte("select 7 as inc"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.run("\\set ECHO all\nselect 40 \\echo typed")
	if want := "typed\n"; h.out.String() != want {
		t.Fatalf("stdout %q, want %q: the typed buffer ran, or typed lines were echoed", h.out.String(), want)
	}
	h.out.Reset()
	h.run(`\i ` + file)
	if want := "select 7 as inc\n inc \n-----\n   7\n(1 row)\n\n"; h.out.String() != want {
		t.Fatalf("stdout %q, want %q", h.out.String(), want)
	}
	h.out.Reset()
	h.run("+ 2 as typed;")
	if want := " typed \n-------\n    42\n(1 row)\n\n"; h.out.String() != want {
		t.Fatalf("stdout %q, want %q", h.out.String(), want)
	}
}
