package render

import (
	"io"
	"runtime"
	"testing"
)

// TestMemory holds the memory promises: streaming formats keep nothing per
// row; aligned keeps the values and little more.
func TestMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 300,000 rows per format")
	}
	const n = 300_000
	dataBytes := 0
	_ = benchRows(n, func(r [][]byte) error {
		for _, v := range r {
			dataBytes += len(v)
		}
		return nil
	})
	tests := []struct {
		name   string
		format Format
		max    uint64
	}{
		{"unaligned streams", Unaligned, 1 << 20},
		{"csv streams", CSV, 1 << 20},
		{"json streams", JSON, 1 << 20},
		// psql keeps a PGresult (value, NUL, 16-byte descriptor each) and a
		// pointer per cell: over 2x the data. We aim at the data plus a byte
		// or so per value.
		{"aligned is compact", Aligned, uint64(dataBytes)*5/4 + 1<<20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			o.Format = tc.format
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			tab := NewTable(io.Discard, o, benchCols)
			if err := benchRows(n, tab.Row); err != nil {
				t.Fatal(err)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			held := int64(after.HeapInuse) - int64(before.HeapInuse)
			if err := tab.Close(); err != nil {
				t.Fatal(err)
			}
			t.Logf("%d rows, %d bytes of values: %d bytes held", n, dataBytes, held)
			if held > int64(tc.max) {
				t.Errorf("held %d bytes, want at most %d", held, tc.max)
			}
		})
	}
}
