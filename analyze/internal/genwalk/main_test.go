package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesAreCurrent: the committed walker and aliases are what
// genwalk generates from the pg_query_go the module requires; after a
// pg_query_go upgrade this fails until `go generate ./...` is run.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	tmp := t.TempDir()
	walk, alias := filepath.Join(tmp, "walk_gen.go"), filepath.Join(tmp, "aliases_gen.go")
	if err := run(walk, alias); err != nil {
		t.Fatal(err)
	}
	for fresh, committed := range map[string]string{
		walk:  filepath.Join("..", "..", "walk_gen.go"),
		alias: filepath.Join("..", "..", "pgparse", "aliases_gen.go"),
	} {
		stale(t, fresh, committed)
	}
}

// stale fails the test when the file committed differs from the one
// just generated, naming the first line that differs.
func stale(t *testing.T, fresh, committed string) {
	t.Helper()
	want, err := os.ReadFile(fresh)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w []byte
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if !bytes.Equal(g, w) {
			t.Errorf("%s is stale: line %d is %q, generated %q; run `go generate ./...` from the module's root", committed, i+1, g, w)
			return
		}
	}
}
