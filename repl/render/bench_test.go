package render

import (
	"io"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// benchRows generates n rows of 6 mixed columns (about 95 bytes of values a
// row), calling fn with a reused row as pgconn's ResultReader would.
func benchRows(n int, fn func([][]byte) error) error {
	cols := make([][]byte, 6)
	bufs := make([][]byte, 6)
	base := time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)
	names := []string{"alice", "bob the builder", "Zoë Ångström", "山田太郎", "a rather longer customer name here"}
	for i := 0; i < n; i++ {
		bufs[0] = strconv.AppendInt(bufs[0][:0], int64(i+1), 10)
		bufs[1] = append(bufs[1][:0], names[i%len(names)]...)
		bufs[2] = strconv.AppendFloat(bufs[2][:0], float64(i%100000)/100, 'f', 2, 64)
		bufs[3] = base.Add(time.Duration(i)*time.Second).AppendFormat(bufs[3][:0], "2006-01-02 15:04:05.000-07")
		bufs[4] = append(bufs[4][:0], "tf"[i%2])
		bufs[5] = append(bufs[5][:0], "shipped to warehouse #"...)
		bufs[5] = strconv.AppendInt(bufs[5], int64(i%977), 10)
		for j := range cols {
			cols[j] = bufs[j]
		}
		if i%10 == 9 {
			cols[5] = nil
		}
		if err := fn(cols); err != nil {
			return err
		}
	}
	return nil
}

var benchCols = []Column{{"id", 20}, {"customer", 25}, {"amount", 1700}, {"created_at", 1184}, {"paid", 16}, {"note", 25}}

func benchFormat(b *testing.B, opts Options) {
	const n = 1_000_000
	var peak uint64
	b.ReportAllocs()
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		tab := NewTable(io.Discard, opts, benchCols)
		if err := benchRows(n, tab.Row); err != nil {
			b.Fatal(err)
		}
		// Everything a buffered format keeps is live now, before Close.
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if after.HeapInuse > before.HeapInuse && after.HeapInuse-before.HeapInuse > peak {
			peak = after.HeapInuse - before.HeapInuse
		}
		if err := tab.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/row")
	b.ReportMetric(float64(peak)/(1<<20), "MiB-held")
}

// BenchmarkAligned1M prints a million rows aligned (every row buffered).
func BenchmarkAligned1M(b *testing.B) { benchFormat(b, DefaultOptions()) }

// BenchmarkExpanded1M prints a million rows in expanded mode.
func BenchmarkExpanded1M(b *testing.B) {
	o := DefaultOptions()
	o.Expanded = ExpandedOn
	benchFormat(b, o)
}

// BenchmarkCSV1M streams a million rows as CSV.
func BenchmarkCSV1M(b *testing.B) {
	o := DefaultOptions()
	o.Format = CSV
	benchFormat(b, o)
}

// BenchmarkUnaligned1M streams a million rows unaligned.
func BenchmarkUnaligned1M(b *testing.B) {
	o := DefaultOptions()
	o.Format = Unaligned
	benchFormat(b, o)
}

// BenchmarkJSON1M streams a million rows as JSON lines.
func BenchmarkJSON1M(b *testing.B) {
	o := DefaultOptions()
	o.Format = JSON
	benchFormat(b, o)
}

// BenchmarkGenerate1M is the cost of generating the rows alone.
func BenchmarkGenerate1M(b *testing.B) {
	for b.Loop() {
		_ = benchRows(1_000_000, func([][]byte) error { return nil })
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ns/row")
}
