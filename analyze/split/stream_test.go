package split

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"testing"
	"testing/iotest"
)

func scanAll(t testing.TB, r io.Reader, opts ...Option) []Item {
	t.Helper()
	sc := NewScanner(r, opts...)
	var items []Item
	for sc.Scan() {
		items = append(items, sc.Item())
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("scanner: %v", err)
	}
	return items
}

// copyTerminator reports whether s is a "\." line as scanData accepts it.
func copyTerminator(s string) bool {
	switch s {
	case `\.`, "\\.\n", "\\.\r\n", "\\.\r":
		return true
	}
	return false
}

// mergeChunks turns the items of a streaming Scanner back into what Split
// says, as far as a caller can tell: chunk data joined into its COPY item
// (with the last chunk's Complete and EndLine), Statements with empty SQL
// dropped, Text and offsets cleared. It checks the chunk protocol.
func mergeChunks(t testing.TB, items []Item, max int) []Item {
	t.Helper()
	var out []Item
	cur := -1
	var data strings.Builder
	for i, it := range items {
		if it.Kind == CopyChunk {
			if cur < 0 {
				t.Fatalf("item %d: chunk without a COPY before it:%s", i, dump(items))
			}
			d := *it.CopyData
			if len(d) > max {
				t.Fatalf("item %d: %d bytes of data, max %d", i, len(d), max)
			}
			if !strings.HasPrefix(it.Text, d) {
				t.Fatalf("item %d: data %q not at the start of Text %q", i, d, it.Text)
			}
			if rest := it.Text[len(d):]; it.Complete != (rest != "") || rest != "" && !copyTerminator(rest) {
				t.Fatalf("item %d: Complete %v, Text %q after the data", i, it.Complete, rest)
			}
			if it.Complete && !it.CopyLast {
				t.Fatalf("item %d: complete chunk that is not the last", i)
			}
			if !it.CopyLast && (it.Text == "" || !strings.HasSuffix(it.Text, "\n") && len(d) != max) {
				t.Fatalf("item %d: chunk %q neither whole lines nor full", i, it.Text)
			}
			data.WriteString(d)
			if it.CopyLast {
				s := data.String()
				out[cur].CopyData = &s
				out[cur].EndLine = it.EndLine
				out[cur].Complete = it.Complete
				out[cur].CopyStream = false
				cur = -1
				data.Reset()
			}
			continue
		}
		if cur >= 0 {
			t.Fatalf("item %d: %s before the last chunk of the COPY", i, it.Kind)
		}
		if it.CopyLast || it.CopyData != nil {
			t.Fatalf("item %d: CopyLast or CopyData set on a %s in streaming mode", i, it.Kind)
		}
		if it.CopyStream && !it.Complete {
			t.Fatalf("item %d: streamed COPY item not Complete", i)
		}
		if it.Kind == Statement && it.SQL == "" {
			continue
		}
		it.Text, it.Start, it.End = "", 0, 0
		out = append(out, it)
		if it.CopyStream {
			cur = len(out) - 1
		}
	}
	if cur >= 0 {
		t.Fatalf("COPY without a last chunk:%s", dump(items))
	}
	return out
}

func dropEmpty(items []Item) []Item {
	var out []Item
	for _, it := range items {
		if it.Kind == Statement && it.SQL == "" {
			continue
		}
		it.Text, it.Start, it.End = "", 0, 0
		out = append(out, it)
	}
	return out
}

// checkStream checks that a Scanner with WithCopyChunks(max), with reads
// of every size, gives what Split gives, data in chunks.
func checkStream(t testing.TB, in string, max int) {
	t.Helper()
	want := dropEmpty(Split(in))
	var first []Item
	for _, r := range []func(io.Reader) io.Reader{
		func(r io.Reader) io.Reader { return r },
		iotest.OneByteReader,
		iotest.HalfReader,
	} {
		items := scanAll(t, r(strings.NewReader(in)), WithCopyChunks(max))
		if first == nil {
			first = items
		} else if !equalItems(items, first) {
			t.Fatalf("streaming Scanner depends on read sizes on %q:%s\nvs%s", in, dump(items), dump(first))
		}
		// Bytes: sorted by Start, the items are the input.
		sorted := append([]Item(nil), items...)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
		var b strings.Builder
		for i, it := range sorted {
			if it.Start != b.Len() || in[it.Start:it.End] != it.Text {
				t.Fatalf("item %d: [%d,%d) %q after %d bytes of %q", i, it.Start, it.End, it.Text, b.Len(), in)
			}
			b.WriteString(it.Text)
		}
		if b.String() != in {
			t.Fatalf("items are not the input %q:%s", in, dump(items))
		}
		if got := mergeChunks(t, items, max); !equalItems(got, want) {
			t.Fatalf("streaming (max %d) and Split differ on %q:\nstream: %s\nsplit:  %s\nraw:%s", max, in, dump(got), dump(want), dump(items))
		}
	}
}

func TestStreamSplitCases(t *testing.T) {
	for _, c := range splitCases {
		for _, max := range []int{1, 2, 3, 4, 5, 7, 64 << 10} {
			checkStream(t, c.in, max)
		}
	}
	for _, c := range loadPsqlCases(t) {
		for _, max := range []int{1, 3, 7, 64 << 10} {
			checkStream(t, c.Script, max)
		}
	}
	checkStream(t, mixedFile(200), 5)
}

// chunkTexts renders the items of a streaming scan: chunks as C"text"
// (with * when Complete, $ when CopyLast), others as render does.
func chunkTexts(items []Item) []string {
	var out []string
	for _, it := range items {
		switch {
		case it.Kind == CopyChunk:
			s := fmt.Sprintf("C%d-%d%q", it.Line, it.EndLine, it.Text)
			if it.Complete {
				s += "*"
			}
			if it.CopyLast {
				s += "$"
			}
			out = append(out, s)
		case it.Kind == Statement && it.SQL == "":
			out = append(out, fmt.Sprintf("E%q", it.Text))
		default:
			s := render(it)
			if it.CopyStream {
				s += " stream"
			}
			out = append(out, s)
		}
	}
	return out
}

func TestCopyChunks(t *testing.T) {
	const cp = "copy t from stdin;\n"
	tests := []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"lines shorter than max", cp + "ab\ncd\nef\n\\.\n", 6,
			[]string{"S1-1c: copy t from stdin; stream", `C2-3"ab\ncd\n"`, `C4-5"ef\n\\.\n"*$`}},
		{"line exactly max", cp + "abcde\nfghij\n\\.\n", 6,
			[]string{"S1-1c: copy t from stdin; stream", `C2-2"abcde\n"`, `C3-3"fghij\n"`, `C4-4"\\.\n"*$`}},
		{"line longer than max", cp + "abcdefghijklm\nn\n\\.\n", 5,
			[]string{"S1-1c: copy t from stdin; stream", `C2-2"abcde"`, `C2-2"fghij"`, `C2-2"klm\n"`, `C3-4"n\n\\.\n"*$`}},
		{"long line after short ones", cp + "a\nbcdefgh\n\\.\n", 4,
			[]string{"S1-1c: copy t from stdin; stream", `C2-2"a\n"`, `C3-3"bcde"`, `C3-3"fgh\n"`, `C4-4"\\.\n"*$`}},
		{"terminator at chunk edge", cp + "abc\n\\.\nselect 1;", 4,
			[]string{"S1-1c: copy t from stdin; stream", `C2-2"abc\n"`, `C3-3"\\.\n"*$`, "S4-4c: select 1;"}},
		{"terminator with the last lines", cp + "a\nb\n\\.\nselect 1;", 64,
			[]string{"S1-1c: copy t from stdin; stream", `C2-4"a\nb\n\\.\n"*$`, "S5-5c: select 1;"}},
		{"crlf terminator", cp + "a\r\n\\.\r\nselect 1;", 64,
			[]string{"S1-1c: copy t from stdin; stream", `C2-3"a\r\n\\.\r\n"*$`, "S4-4c: select 1;"}},
		{"cr terminator at end", cp + "a\n\\.\r", 64,
			[]string{"S1-1c: copy t from stdin; stream", `C2-3"a\n\\.\r"*$`}},
		{"terminator at end without newline", cp + "a\n\\.", 64,
			[]string{"S1-1c: copy t from stdin; stream", `C2-3"a\n\\."*$`}},
		{"missing terminator", cp + "a\nb", 64,
			[]string{"S1-1c: copy t from stdin; stream", `C2-3"a\nb"$`}},
		{"missing terminator after full chunk", cp + "abc\n", 4,
			[]string{"S1-1c: copy t from stdin; stream", `C2-2"abc\n"`, `C3-2""$`}},
		{"no data at all", "copy t from stdin;", 64,
			[]string{"S1-1c: copy t from stdin; stream", `C1-1""$`}},
		{"empty data", cp + "\\.\n", 64,
			[]string{"S1-1c: copy t from stdin; stream", `C2-2"\\.\n"*$`}},
		{"not a terminator", cp + "\\.x\n \\.\n\\\n\\.\n", 64,
			[]string{"S1-1c: copy t from stdin; stream", `C2-5"\\.x\n \\.\n\\\n\\.\n"*$`}},
		{"data is not sql", cp + "'; \\g\n/*\n\\.\nselect 1;", 3,
			[]string{"S1-1c: copy t from stdin; stream", `C2-2"'; "`, `C2-2"\\g\n"`, `C3-3"/*\n"`, `C4-4"\\.\n"*$`, "S5-5c: select 1;"}},
		{"backslash copy", "\\copy t from stdin\n1\n\\.\nselect 1;", 64,
			[]string{"M1: \\copy [t from stdin] stream", `C2-3"1\n\\.\n"*$`, "S4-4c: select 1;"}},
		{"backslash copy at end", "\\copy t from stdin", 64,
			[]string{"M1: \\copy [t from stdin] stream", `C1-1""$`}},
		{"copy sent by g", "copy t from stdin \\g\n1\n\\.\n", 64,
			[]string{"S1-1i: copy t from stdin ", "M1: \\g [] stream", `C2-3"1\n\\.\n"*$`}},
		{"statement after copy on its line runs after the data", "copy t from stdin; select 1;\nx\n\\.\nselect 2;", 64,
			[]string{"S1-1c: copy t from stdin; stream", `C2-3"x\n\\.\n"*$`, "S1-3c: select 1;", `E"\n"`, "S4-4c: select 2;"}},
		{"statement split by copy data", "copy t from stdin; select\nx\n\\.\n1;", 64,
			[]string{"S1-1c: copy t from stdin; stream", `C2-3"x\n\\.\n"*$`, `E" select\n"`, "S1-4c: select\n1;"}},
		{"quote split by copy data", "copy t from stdin; select 'a\nx\n\\.\nb';", 64,
			[]string{"S1-1c: copy t from stdin; stream", `C2-3"x\n\\.\n"*$`, `E" select 'a\n"`, "S1-4c: select 'a\nb';"}},
		{"two copies on a line", "copy a from stdin; copy b from stdin;\n1\n\\.\n2\n\\.\n", 64,
			[]string{"S1-1c: copy a from stdin; stream", `C2-3"1\n\\.\n"*$`, "S1-3c: copy b from stdin; stream", `C4-5"2\n\\.\n"*$`, `E"\n"`}},
		{"two copies cut off", "copy a from stdin; copy b from stdin; select 1", 64,
			[]string{"S1-1c: copy a from stdin; stream", `C1-1""$`, "S1-1c: copy b from stdin; stream", `C1-1""$`, "S1-1i: select 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := chunkTexts(scanAll(t, strings.NewReader(tt.in), WithCopyChunks(tt.max)))
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got  %s\nwant %s", fmtList(got), fmtList(tt.want))
			}
			checkStream(t, tt.in, tt.max)
		})
	}
}

// TestCopyChunksSameItems: the items around a COPY are the same with and
// without the option, when nothing follows the COPY on its line.
func TestCopyChunksSameItems(t *testing.T) {
	in := "select 1;\ncopy t (a) from stdin; -- data\n1\n2\n\\.\r\n\n\\copy t from stdin\n3\n\\.\nselect 2 \\g\n\\echo x\n"
	plain := Split(in)
	streamed := scanAll(t, iotest.OneByteReader(strings.NewReader(in)), WithCopyChunks(2))
	var rest []Item
	for _, it := range streamed {
		if it.Kind == CopyChunk {
			continue
		}
		rest = append(rest, it)
	}
	if len(rest) != len(plain) {
		t.Fatalf("stream%s\nsplit%s", dump(rest), dump(plain))
	}
	for i := range plain {
		p, s := plain[i], rest[i]
		if p.CopyData == nil {
			if !equalItems([]Item{p}, []Item{s}) {
				t.Errorf("item %d differs:%s\nvs%s", i, dump([]Item{s}), dump([]Item{p}))
			}
			continue
		}
		// The COPY item ends with its line, and reports the line of its ';'.
		if !s.CopyStream || s.CopyData != nil || s.Start != p.Start || !strings.HasPrefix(p.Text, s.Text) ||
			s.SQL != p.SQL || s.Line != p.Line || s.EndLine != p.Line || s.Command != p.Command {
			t.Errorf("copy item %d:%s\nvs%s", i, dump([]Item{s}), dump([]Item{p}))
		}
	}
}

// copyGen generates a COPY of n bytes of data lines on the fly (a block of
// lines repeated; n is rounded down to whole blocks).
type copyGen struct {
	head, tail string
	n, done    int
	block      []byte
}

func (g *copyGen) Read(p []byte) (int, error) {
	if g.block == nil {
		for i := 0; len(g.block) < 8<<10; i++ {
			g.block = fmt.Appendf(g.block, "%d\tsome text for row %d\t2026-11-22\t%x\n", i, i, i*7919)
		}
		g.n -= g.n % len(g.block) // whole lines
	}
	w := 0
	for w < len(p) {
		switch {
		case g.head != "":
			c := copy(p[w:], g.head)
			g.head = g.head[c:]
			w += c
		case g.done < g.n:
			off := g.done % len(g.block)
			c := copy(p[w:], g.block[off:min(len(g.block), off+g.n-g.done)])
			g.done += c
			w += c
		case g.tail != "":
			c := copy(p[w:], g.tail)
			g.tail = g.tail[c:]
			w += c
		default:
			if w == 0 {
				return 0, io.EOF
			}
			return w, nil
		}
	}
	return w, nil
}

func TestCopyChunksBoundedMemory(t *testing.T) {
	size := 200 << 20
	if testing.Short() {
		size = 20 << 20
	}
	const max = 64 << 10
	g := &copyGen{head: "select 1;\nCOPY public.big (id, name, day, h) FROM stdin;\n", n: size, tail: "\\.\nselect 2;\n"}
	sc := NewScanner(g, WithCopyChunks(max))
	var ms runtime.MemStats
	var items, chunks, data int
	var last Item
	var peak, live uint64
	for sc.Scan() {
		it := sc.Item()
		items++
		if it.Kind == CopyChunk {
			chunks++
			data += len(*it.CopyData)
			if len(*it.CopyData) > max {
				t.Fatalf("chunk of %d bytes", len(*it.CopyData))
			}
			if chunks%50 == 0 {
				// Garbage not yet collected counts too: a loose bound.
				runtime.ReadMemStats(&ms)
				peak = maxU(peak, ms.HeapAlloc)
				if ms.HeapAlloc > 32<<20 {
					t.Fatalf("heap %d bytes after %d bytes of data", ms.HeapAlloc, data)
				}
			}
			if chunks%500 == 0 {
				// What is kept: the live heap.
				runtime.GC()
				runtime.ReadMemStats(&ms)
				live = maxU(live, ms.HeapAlloc)
				if ms.HeapAlloc > 8<<20 {
					t.Fatalf("live heap %d bytes after %d bytes of data", ms.HeapAlloc, data)
				}
				if c := cap(sc.lx.buf); c > 4*max {
					t.Fatalf("scanner buffer grew to %d bytes", c)
				}
			}
		}
		if it.SQL != "" {
			last = it
		}
	}
	if sc.Err() != nil {
		t.Fatal(sc.Err())
	}
	if data != g.done || last.SQL != "select 2;" {
		t.Fatalf("data %d bytes of %d, last item %q", data, g.done, last.SQL)
	}
	t.Logf("%d MB in %d chunks, peak heap %d KB, live heap %d KB, buffer %d KB", data>>20, chunks, peak>>10, live>>10, cap(sc.lx.buf)>>10)
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

func BenchmarkScannerCopy(b *testing.B) {
	g := &copyGen{head: "COPY public.big (id, name, day, h) FROM stdin;\n", n: 64 << 20, tail: "\\.\nselect 2;\n"}
	in, _ := io.ReadAll(g)
	for _, bc := range []struct {
		name string
		opts []Option
	}{
		{"whole", nil},
		{"chunks64k", []Option{WithCopyChunks(64 << 10)}},
		{"chunks1m", []Option{WithCopyChunks(1 << 20)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sc := NewScanner(bytes.NewReader(in), bc.opts...)
				n := 0
				for sc.Scan() {
					n++
				}
				if n < 3 {
					b.Fatal(n)
				}
			}
		})
	}
}

func TestCopyReader(t *testing.T) {
	in := "select 1;\ncopy t from stdin; select 2;\n" + strings.Repeat("a\tb\n", 1000) + "\\.\nselect 3;\n\\copy t from stdin\nx\n"
	for _, max := range []int{1, 7, 64 << 10} {
		sc := NewScanner(iotest.HalfReader(strings.NewReader(in)), WithCopyChunks(max))
		var got []string
		for sc.Scan() {
			it := sc.Item()
			if it.Kind == CopyChunk {
				t.Fatalf("max %d: chunk %q reached the main loop", max, it.Text)
			}
			got = append(got, it.SQL+it.Command)
			if !it.CopyStream {
				if r := sc.CopyReader(); r.Close() != nil || r.Last().Kind != 0 {
					t.Fatal("reader of a non-COPY item")
				}
				continue
			}
			r := sc.CopyReader()
			var data []byte
			var err error
			if it.Command == "" {
				// As pgconn.CopyFrom does: read in another goroutine.
				done := make(chan struct{})
				go func() {
					data, err = io.ReadAll(r)
					close(done)
				}()
				<-done
			} else {
				// A COPY that failed after one read: the rest is skipped.
				buf := make([]byte, 3)
				n, _ := r.Read(buf)
				data = buf[:n]
			}
			if cerr := r.Close(); err != nil || cerr != nil {
				t.Fatal(err, cerr)
			}
			if n, _ := r.Read(make([]byte, 10)); n != 0 {
				t.Fatal("read after Close")
			}
			last := r.Last()
			switch it.Command {
			case "":
				if string(data) != strings.Repeat("a\tb\n", 1000) || !last.Complete || last.EndLine != 1003 {
					t.Fatalf("max %d: %d bytes, last chunk %+v", max, len(data), last)
				}
			case "copy":
				if string(data) != "x\n"[:min(2, max, 3)] || last.Complete || !last.CopyLast || last.EndLine != 1006 {
					t.Fatalf("max %d: data %q, last chunk %+v", max, data, last)
				}
			}
		}
		if sc.Err() != nil {
			t.Fatal(sc.Err())
		}
		want := []string{"select 1;", "copy t from stdin;", "select 2;", "", "select 3;", "copy"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("max %d: items %q", max, got)
		}
	}
}

func TestCopyReaderReadError(t *testing.T) {
	r := io.MultiReader(strings.NewReader("copy t from stdin;\n1\n2\n"), iotest.ErrReader(fmt.Errorf("disk on fire")))
	sc := NewScanner(r, WithCopyChunks(2))
	if !sc.Scan() || !sc.Item().CopyStream {
		t.Fatal("no COPY item")
	}
	cr := sc.CopyReader()
	data, err := io.ReadAll(cr)
	if string(data) != "1\n2\n" || err == nil || err.Error() != "disk on fire" {
		t.Fatalf("data %q, err %v", data, err)
	}
	if cr.Close() == nil || sc.Scan() || sc.Err() == nil {
		t.Fatal("the error is lost")
	}
}
