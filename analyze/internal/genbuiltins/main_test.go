package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/safesql/safesql/internal/pgcluster"
)

// TestBuiltinsGenIsCurrent: the committed builtins_gen.go is what
// genbuiltins reads from a fresh PostgreSQL cluster on this machine. It
// needs the server binaries: without them it skips, and fails under
// SAFESQL_REQUIRE_PG=1.
func TestBuiltinsGenIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster")
	}
	ctx := context.Background()
	if _, err := pgcluster.FindBinDir(ctx); err != nil {
		if os.Getenv("SAFESQL_REQUIRE_PG") == "1" {
			t.Fatalf("%v (SAFESQL_REQUIRE_PG=1 makes this a failure); %s", err, pgcluster.InstallHint)
		}
		t.Skipf("no PostgreSQL server binaries to generate from: %v; %s", err, pgcluster.InstallHint)
	}
	want, err := generateFrom(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("..", "..", "builtins_gen.go")
	got, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	if !bytes.Equal(gl[0], wl[0]) && majorOf(gl[0]) != majorOf(wl[0]) {
		// the header names the server it was generated from; minor
		// releases never change the catalogue, so only the major counts
		t.Fatalf("%s was generated from another PostgreSQL:\n  committed: %s\n  here:      %s\nrun `go generate ./...` from the module's root with the PostgreSQL 15 the project targets", committed, gl[0], wl[0])
	}
	gl, wl = gl[1:], wl[1:]
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w []byte
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if !bytes.Equal(g, w) {
			t.Fatalf("%s is stale: line %d is %q, generated %q; run `go generate ./...` from the module's root", committed, i+2, g, w)
		}
	}
}

// majorOf is the major version in a generated header's "from PostgreSQL
// 15.18 (...)": "15"; "" when the header names none.
func majorOf(header []byte) string {
	_, rest, ok := bytes.Cut(header, []byte("from PostgreSQL "))
	if !ok {
		return ""
	}
	major, _, _ := bytes.Cut(rest, []byte("."))
	return string(major)
}
