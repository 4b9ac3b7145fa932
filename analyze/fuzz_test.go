//go:build cgo

package analyze

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/safesql/safesql/analyze/split"
)

// FuzzClassify splits arbitrary input and classifies every statement: no
// panic, and every verdict carries one of the three classes with sorted,
// deduplicated flags and at least one reason.
func FuzzClassify(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.sql")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, stmt := range strings.Split(string(data), ";\n") {
			f.Add(stmt)
		}
	}
	f.Add(benchAnalytical)
	f.Fuzz(func(t *testing.T, input string) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 10*time.Second {
				t.Fatalf("%d bytes took %v", len(input), d)
			}
		}()
		a := NewAnalyzer()
		items := split.Split(input)
		var joined strings.Builder
		for _, it := range items {
			joined.WriteString(it.Text)
			if it.Kind == split.Statement && strings.TrimSpace(it.SQL) != "" {
				checkVerdict(t, it.SQL, a.Classify(it.SQL))
			}
		}
		if joined.String() != input {
			t.Fatalf("split then join lost bytes:\n in  %q\n out %q", input, joined.String())
		}
		checkVerdict(t, input, Classify(input))
		// With standard_conforming_strings off the text is rewritten
		// before it is parsed: still no panic, and a parse error's cursor
		// points into the input.
		off := NewAnalyzer().WithStandardStrings(false).Predict(input)
		checkVerdict(t, input, off)
		if pe := off.ParseError; pe != nil && (pe.Cursor < 0 || pe.Cursor > utf8.RuneCountInString(input)+1) {
			t.Fatalf("%q: cursor %d out of range", input, pe.Cursor)
		}
	})
}

func checkVerdict(t *testing.T, sql string, v Verdict) {
	t.Helper()
	if v.Class < Read || v.Class > Destructive {
		t.Fatalf("%q: class %d", sql, v.Class)
	}
	if len(v.Reasons) == 0 {
		t.Fatalf("%q: no reason", sql)
	}
	if v.Flags == nil || v.Reasons == nil || v.Calls == nil || v.Targets == nil {
		t.Fatalf("%q: nil slice in verdict", sql)
	}
	for i := 1; i < len(v.Flags); i++ {
		if v.Flags[i-1] >= v.Flags[i] {
			t.Fatalf("%q: flags not sorted and unique: %v", sql, v.Flags)
		}
	}
	if v.Has(FlagUnparsed) && v.Class != Destructive {
		t.Fatalf("%q: unparsed but %s", sql, v.Class)
	}
	for _, r := range v.Reasons {
		if strings.HasPrefix(r, "the analyzer failed") {
			t.Fatalf("%q: recovered panic: %s", sql, r)
		}
	}
}
