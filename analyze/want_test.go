//go:build cgo

package analyze

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// wantCase is one statement from a testdata/*.sql file with its expectation.
type wantCase struct {
	file  string
	line  int
	sql   string
	class string
	flags []string
}

// readWantFile reads cases: each "-- want: CLASS [FLAG ...]" line applies to
// the SQL that follows it, up to the next want line. The flags must match
// exactly (sorted), so a test also catches a flag that should not be there.
func readWantFile(t *testing.T, path string) []wantCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []wantCase
	var cur *wantCase
	var body []string
	flush := func() {
		if cur != nil {
			cur.sql = strings.TrimSpace(strings.Join(body, "\n"))
			if cur.sql == "" {
				t.Errorf("%s:%d: want without a statement", path, cur.line)
			}
			cases = append(cases, *cur)
		}
		body = nil
	}
	for i, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(trimmed, "-- want:"); ok {
			flush()
			f := strings.Fields(rest)
			if len(f) == 0 {
				t.Fatalf("%s:%d: empty want", path, i+1)
			}
			fl := f[1:]
			slices.Sort(fl)
			cur = &wantCase{file: filepath.Base(path), line: i + 1, class: f[0], flags: fl}
			continue
		}
		if cur != nil {
			body = append(body, line)
		}
	}
	flush()
	return cases
}

func TestWantFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	total := 0
	for _, f := range files {
		a := NewAnalyzer()
		for _, c := range readWantFile(t, f) {
			total++
			v := a.Classify(c.sql)
			got := make([]string, len(v.Flags))
			for i, fl := range v.Flags {
				got[i] = string(fl)
			}
			if v.Class.String() != c.class || !slices.Equal(got, c.flags) {
				if len(c.flags) == 0 {
					c.flags = []string{}
				}
				t.Errorf("%s:%d: %s\n\tgot  %s %v\n\twant %s %v\n\treasons: %q", c.file, c.line, oneLine(c.sql), v.Class, got, c.class, c.flags, v.Reasons)
			}
		}
	}
	t.Logf("%d statements checked", total)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
