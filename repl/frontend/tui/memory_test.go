//go:build unix

package tui

import (
	"context"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/creack/pty"

	"github.com/safesql/safesql/repl/frontend/line"
	"github.com/safesql/safesql/theme"
)

// session is a TUI on a pseudo-terminal, as the shell runs it: each
// ReadLine runs its own program on the terminal.
type session struct {
	ui  *TUI
	tty io.Writer // the keyboard's end of the terminal
}

func newSession(tb testing.TB) *session {
	tb.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		tb.Fatalf("open a pty: %v", err)
	}
	tb.Cleanup(func() { ptmx.Close(); tty.Close() })
	// What the terminal echoes between programs is read and dropped.
	go func() { _, _ = io.Copy(io.Discard, ptmx) }()
	ui, err := New(Config{In: tty, Out: io.Discard, Theme: theme.Default(colorprofile.TrueColor), Highlight: true,
		History: line.NewHistory(), Width: 100, Height: 40, Now: time.Now})
	if err != nil {
		tb.Fatal(err)
	}
	return &session{ui: ui, tty: ptmx}
}

// statement types s and Enter, and reads the entry as the shell does.
func (s *session) statement(tb testing.TB, text string) {
	tb.Helper()
	if _, err := io.WriteString(s.tty, text+"\r"); err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got, err := s.ui.ReadLine(ctx, prodState())
	if err != nil {
		tb.Fatalf("ReadLine of %q: %v", text, err)
	}
	if got != text {
		tb.Fatalf("ReadLine read %q, want %q", got, text)
	}
	if err := s.ui.AddHistory(got); err != nil {
		tb.Fatal(err)
	}
}

// heapInUse is the heap in use after a collection, in bytes.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// The issue: the full shell levelled off at 200–300 MB after a few
// hundred trivial statements: each program was kept for two seconds
// after it ended (about 1 MB each: its screen buffers, its textarea).
// What a session keeps must not grow with the entries read: no
// goroutine outlives its program, and the heap after 600 entries is
// small and as after the first 100 (history is bounded; what was
// printed is not kept).
func TestSessionMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 600 entries")
	}
	goroutines := runtime.NumGoroutine()
	s := newSession(t)
	goroutines++ // the session's reader of the terminal's echo
	for i := range 100 {
		s.statement(t, "select "+strconv.Itoa(i)+";")
	}
	heap0, g0 := heapInUse(), runtime.NumGoroutine()
	for i := range 500 {
		s.statement(t, "select "+strconv.Itoa(100+i)+";")
	}
	heap1, g1 := heapInUse(), runtime.NumGoroutine()
	t.Logf("before: %d goroutines; after 100 entries: heap %.1f MiB, %d goroutines; after 600: heap %.1f MiB, %d goroutines",
		goroutines, mib(heap0), g0, mib(heap1), g1)
	// A command that ends with its program may still be returning.
	if g1 > goroutines+2 {
		t.Errorf("%d goroutines after 600 entries, %d before the first: programs outlive their entries", g1, goroutines)
	}
	if heap1 > 16<<20 {
		t.Errorf("heap in use after 600 entries: %.1f MiB; the bound is 16 MiB", mib(heap1))
	}
	if heap1 > heap0+4<<20 {
		t.Errorf("heap in use grew from %.1f MiB to %.1f MiB over 500 entries", mib(heap0), mib(heap1))
	}
}

// A long line typed key by key is measured once per key; the measures
// remembered stay bounded by their text, not just by their count.
func TestRowMeasureKeepsBoundedText(t *testing.T) {
	var r rowMeasure
	long := strings.Repeat("select 1 + ", 1000) // 11 KB
	for n := 1; n <= len(long); n += 7 {
		if _, ok := r.lineRows(long[:n], 80); !ok {
			t.Fatalf("no rows for %d bytes", n)
		}
		if r.bytes > rowsCacheBytes {
			t.Fatalf("%d bytes of lines remembered after %d keys; the bound is %d", r.bytes, n, rowsCacheBytes)
		}
	}
	var kept int
	for l := range r.rows {
		kept += len(l)
	}
	if kept != r.bytes || kept > rowsCacheBytes {
		t.Fatalf("%d bytes of lines remembered (counted %d); the bound is %d", kept, r.bytes, rowsCacheBytes)
	}
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }

// BenchmarkSession reads entries as a session does and reports the heap
// in use and the goroutines after them.
func BenchmarkSession(b *testing.B) {
	s := newSession(b)
	for i := 0; b.Loop(); i++ {
		s.statement(b, "select "+strconv.Itoa(i)+";")
	}
	b.ReportMetric(mib(heapInUse()), "heap-MiB")
	b.ReportMetric(float64(runtime.NumGoroutine()), "goroutines")
}
