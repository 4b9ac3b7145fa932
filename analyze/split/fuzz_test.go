package split

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/fuzz/FuzzSplit seeds from the table tests")

// TestSeedCorpus keeps the checked-in seed corpus in step with the table
// tests (go test -run TestSeedCorpus -update-corpus ./analyze/split/).
func TestSeedCorpus(t *testing.T) {
	if !*updateCorpus {
		t.Skip("-update-corpus not set")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzSplit")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var inputs []string
	for _, c := range splitCases {
		inputs = append(inputs, c.in)
	}
	for _, c := range loadPsqlCases(t) {
		inputs = append(inputs, c.Script)
	}
	for i, in := range inputs {
		body := "go test fuzz v1\nstring(" + strconv.Quote(in) + ")\n"
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%03d", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, c := range splitCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		items := Split(in)
		checkInvariants(t, in, items)
		for i, it := range items {
			if it.Kind == Meta && !strings.Contains(it.Text, `\`) {
				t.Fatalf("item %d: meta without a backslash: %q", i, it.Text)
			}
			if it.Kind == Statement && it.Terminator == ";" && !strings.HasSuffix(it.SQL, ";") {
				t.Fatalf("item %d: terminated statement without ';': %q", i, it.SQL)
			}
			if it.CopyData != nil && !strings.Contains(in, *it.CopyData) {
				t.Fatalf("item %d: copy data not in the input", i)
			}
		}
		// A streaming Scanner gives the same statements and copy data.
		checkStream(t, in, 7)
		checkStream(t, in, 1+len(in)%3)
		// Interpolate must not panic and is the identity without variables.
		for _, it := range items {
			if got := Interpolate(it.SQL, func(string) (string, bool) { return "", false }); got != it.SQL && !strings.Contains(it.SQL, ":{?") {
				t.Fatalf("Interpolate without variables changed %q into %q", it.SQL, got)
			}
			Interpolate(it.SQL, func(n string) (string, bool) { return n + ":" + n + "'", len(n)%2 == 0 })
		}
	})
}
