package line

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"

	"github.com/safesql/safesql/repl/frontend"
	"github.com/safesql/safesql/theme"
)

// pasted is about n bytes of one SQL statement as a terminal sends a
// paste without bracketed paste: lines of about lineLen bytes ("\r" is
// Enter; lineLen 0: one line), ending in ";\r".
func pasted(n, lineLen int) string {
	var b strings.Builder
	b.WriteString("select 1")
	col := b.Len()
	for i := 0; b.Len() < n-2; i++ {
		if lineLen > 0 && col >= lineLen {
			b.WriteString("\r")
			col = 0
		}
		k, _ := fmt.Fprintf(&b, " + %d /*x*/ length('a;b')", i%100)
		col += k
	}
	return b.String() + ";\r"
}

// readPasted reads one entry from s typed ahead, the editor drawing as
// on a terminal, and returns it and how long that took.
func readPasted(tb testing.TB, s string) (string, time.Duration) {
	tb.Helper()
	r, err := New(Config{In: strings.NewReader(s), Out: io.Discard, InTTY: true, OutTTY: true,
		Theme: theme.Default(colorprofile.TrueColor), Highlight: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	got, err := r.ReadLine(ctx, frontend.State{Env: "dev", Tier: "development", User: "app", Database: "orders"})
	took := time.Since(start)
	if err != nil {
		tb.Fatalf("ReadLine after %v: %v", took, err)
	}
	return got, took
}

// The issue: --plain took 8.8 s for 10 KB; one line of 16 KB took 67 s
// (readline redraws and copies the whole line for each key). A paste of
// lines is linear, and one long line goes in a burst at a time
// (typeahead.go).
func TestPlain100KBTypedAheadIsQuick(t *testing.T) {
	for _, shape := range []struct {
		name    string
		lineLen int
	}{{"lines of 80", 80}, {"one line", 0}} {
		t.Run(shape.name, func(t *testing.T) {
			s := pasted(100<<10, shape.lineLen)
			got, took := readPasted(t, s)
			want := strings.TrimSuffix(strings.ReplaceAll(s, "\r", "\n"), "\n")
			if got != want {
				t.Fatalf("entry of %d bytes, want the %d typed", len(got), len(want))
			}
			t.Logf("100 KB (%s) read in %v", shape.name, took)
			if took > 5*time.Second*slowdown {
				t.Errorf("100 KB typed ahead took %v; the bound is %v", took, 5*time.Second*slowdown)
			}
		})
	}
}

func BenchmarkPlainTyping(b *testing.B) {
	for _, shape := range []struct {
		name    string
		lineLen int
	}{{"lines", 80}, {"oneline", 0}} {
		for _, n := range []int{1 << 10, 4 << 10, 16 << 10, 100 << 10} {
			b.Run(fmt.Sprintf("%s/%dKB", shape.name, n>>10), func(b *testing.B) {
				s := pasted(n, shape.lineLen)
				b.SetBytes(int64(len(s)))
				for b.Loop() {
					readPasted(b, s)
				}
			})
		}
	}
}
