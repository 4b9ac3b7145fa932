package render

import (
	"encoding/binary"
	"math"
	"strconv"
)

// arena keeps rows compactly: each value as a uvarint length and its bytes,
// rows one after another in large chunks (a row never spans two chunks), so
// a million rows cost a few hundred allocations and no pointers for the
// garbage collector to scan.
type arena struct {
	chunks [][]byte
	next   int // size of the next chunk
}

const (
	firstChunk = 4 << 10
	maxChunk   = 8 << 20
)

// room returns the current chunk with room for n more bytes.
func (a *arena) room(n int) []byte {
	if len(a.chunks) > 0 {
		if c := a.chunks[len(a.chunks)-1]; cap(c)-len(c) >= n {
			return c
		}
	}
	if a.next == 0 {
		a.next = firstChunk
	}
	size := a.next
	if size < n {
		size = n
	}
	if a.next < maxChunk {
		a.next *= 2
	}
	c := make([]byte, 0, size)
	a.chunks = append(a.chunks, c)
	return c
}

func (a *arena) set(c []byte) { a.chunks[len(a.chunks)-1] = c }

// colStats are a column's measurements, kept up to date as rows arrive.
type colStats struct {
	maxWidth  int
	maxHeight int
	sumWidth  uint64
}

// alignedTable buffers rows for psql's print_aligned_text and
// print_aligned_vertical.
type alignedTable struct {
	*base
	data   arena
	stats  []colStats
	hwidth []int // header widths
	hlines []int // header heights
	align  []bool
	style  *style
}

func newAlignedTable(b *base) *alignedTable {
	t := &alignedTable{base: b, stats: make([]colStats, len(b.cols)), hwidth: make([]int, len(b.cols)),
		hlines: make([]int, len(b.cols)), align: make([]bool, len(b.cols)), style: styleOf(&b.opts)}
	for i, h := range b.headers {
		t.hwidth[i], t.hlines[i] = wcsSize(h)
		t.align[i] = rightAligned(b.cols[i].TypeOID)
	}
	return t
}

func (t *alignedTable) Row(values [][]byte) error {
	if err := t.check(values); err != nil {
		return err
	}
	t.counted()
	// An upper bound of what the row takes: cleaning only removes bytes,
	// numeric grouping adds at most one per three.
	need := 0
	for _, v := range values {
		if v == nil {
			need += len(t.null) + binary.MaxVarintLen32
		} else {
			need += len(v) + binary.MaxVarintLen64
			if t.opts.NumericLocale {
				need += len(v) / 3
			}
		}
	}
	c := t.data.room(need)
	for i, v := range values {
		v = t.value(i, v)
		st := &t.stats[i]
		var w, h int
		if isPlainASCII(v) {
			w, h = len(v), 1
		} else {
			w, h = wcsSize(v)
		}
		if w > st.maxWidth {
			st.maxWidth = w
		}
		if h > st.maxHeight {
			st.maxHeight = h
		}
		st.sumWidth += uint64(w)
		c = binary.AppendUvarint(c, uint64(len(v)))
		c = append(c, v...)
	}
	t.data.set(c)
	return nil
}

// rows calls fn with every buffered row, in order; cells is reused.
func (t *alignedTable) rows(fn func(cells [][]byte) bool) {
	if len(t.cols) == 0 {
		return
	}
	cells := make([][]byte, len(t.cols))
	for _, c := range t.data.chunks {
		for p := 0; p < len(c); {
			for j := range cells {
				n, k := binary.Uvarint(c[p:])
				p += k
				cells[j] = c[p : p+int(n) : p+int(n)]
				p += int(n)
			}
			if !fn(cells) {
				return
			}
		}
	}
}

func (t *alignedTable) Close() error {
	if t.closed {
		return ErrClosed
	}
	if t.opts.Expanded == ExpandedOn {
		t.printVertical()
	} else {
		t.printText()
	}
	t.data = arena{}
	return t.finish()
}

const (
	wrapNone = iota
	wrapWrap
	wrapNewline
)

// hline is _print_horizontal_line.
func (t *alignedTable) hline(widths []int, r *rule) {
	border := t.opts.Border
	switch border {
	case 1:
		t.w.WriteString(r.h)
	case 2:
		t.w.WriteString(r.left)
		t.w.WriteString(r.h)
	}
	for i, w := range widths {
		t.repeat(r.h, w)
		if i < len(widths)-1 {
			if border == 0 {
				t.w.WriteByte(' ')
			} else {
				t.w.WriteString(r.h)
				t.w.WriteString(r.mid)
				t.w.WriteString(r.h)
			}
		}
	}
	switch border {
	case 1:
		t.w.WriteString(r.h)
	case 2:
		t.w.WriteString(r.h)
		t.w.WriteString(r.right)
	}
	t.w.WriteByte('\n')
}

// printText is print_aligned_text.
func (t *alignedTable) printText() {
	ncol := len(t.cols)
	border := t.opts.Border
	maxWidth := make([]int, ncol)
	widthWrap := make([]int, ncol)
	avg := make([]int, ncol)
	widthTotal, totalHeader := 0, 0
	switch {
	case border == 0:
		widthTotal = ncol
	case border == 1:
		widthTotal = ncol * 3
		if ncol > 0 {
			widthTotal--
		}
	default:
		widthTotal = ncol*3 + 1
	}
	totalHeader = widthTotal
	for i := range t.cols {
		maxWidth[i] = max(t.hwidth[i], t.stats[i].maxWidth)
		widthWrap[i] = maxWidth[i]
		if t.nrows > 0 {
			avg[i] = int(t.stats[i].sumWidth / t.nrows)
		}
		widthTotal += maxWidth[i]
		totalHeader += t.hwidth[i]
	}
	cols := t.opts.TermWidth
	if t.opts.Format == Wrapped && cols > 0 && cols >= totalHeader {
		// Shrink the column with the highest max/average width ratio, one
		// column at a time, until the table fits (psql's heuristic).
		for widthTotal > cols {
			maxRatio, worst := 0.0, -1
			for i := range t.cols {
				if avg[i] != 0 && widthWrap[i] > t.hwidth[i] {
					ratio := float64(widthWrap[i])/float64(avg[i]) + float64(maxWidth[i])*0.01
					if ratio > maxRatio {
						maxRatio, worst = ratio, i
					}
				}
			}
			if worst < 0 {
				break
			}
			widthWrap[worst]--
			widthTotal--
		}
	}
	if t.opts.Expanded == ExpandedAuto && cols > 0 && ncol > 1 && (cols < totalHeader || cols < widthTotal) {
		t.printVertical()
		return
	}

	if t.opts.HasTitle() && !t.opts.TuplesOnly {
		w, _ := wcsSize([]byte(t.opts.Title))
		if w < widthTotal {
			t.spaces((widthTotal - w) / 2)
		}
		t.w.WriteString(t.opts.Title)
		t.w.WriteByte('\n')
	}

	st := t.style
	bufs := make([][]byte, ncol)
	lines := make([][]fline, ncol)
	if !t.opts.TuplesOnly {
		if border == 2 {
			t.hline(widthWrap, &st.top)
		}
		done := make([]bool, ncol)
		more := ncol
		for i, h := range t.headers {
			bufs[i], lines[i] = wcsFormat(h, bufs[i], lines[i])
		}
		for nl := 0; more > 0; nl++ {
			if border == 2 {
				t.w.WriteString(st.data.left)
			}
			for i := range t.cols {
				// old-ascii marks a header's next line at its left; at
				// border 0 the mark stands between columns.
				if border != 0 || (st.old && i > 0) {
					if nl > 0 {
						t.w.WriteString(st.headerNLLeft)
					} else {
						t.w.WriteByte(' ')
					}
				}
				if !done[i] {
					l := lines[i][nl]
					nb := widthWrap[i] - l.width
					t.spaces(nb / 2)
					t.w.Write(l.s)
					t.spaces((nb + 1) / 2)
					if nl+1 >= len(lines[i]) {
						more--
						done[i] = true
					}
				} else {
					t.spaces(widthWrap[i])
				}
				switch {
				case border == 0 && st.old:
				case done[i]:
					t.w.WriteByte(' ')
				default:
					t.w.WriteString(st.headerNLRight)
				}
				if border != 0 && i < ncol-1 {
					t.w.WriteString(st.data.mid)
				}
			}
			if border == 2 {
				t.w.WriteString(st.data.right)
			}
			t.w.WriteByte('\n')
		}
		t.hline(widthWrap, &st.middle)
	}

	curr := make([]int, ncol)
	outb := make([]int, ncol)
	wrap := make([]int, ncol)
	lineAt := func(j int) *fline {
		if curr[j] < len(lines[j]) {
			return &lines[j][curr[j]]
		}
		return nil
	}
	t.rows(func(cells [][]byte) bool {
		for j, c := range cells {
			bufs[j], lines[j] = wcsFormat(c, bufs[j], lines[j])
			curr[j], outb[j] = 0, 0
		}
		for moreLines := true; moreLines; {
			moreLines = false
			if border == 2 {
				t.w.WriteString(st.data.left)
			}
			for j := range cells {
				l := lineAt(j)
				chars := widthWrap[j]
				final := border == 2 || j < ncol-1
				if border != 0 {
					switch wrap[j] {
					case wrapWrap:
						t.w.WriteString(st.wrapLeft)
					case wrapNewline:
						t.w.WriteString(st.nlLeft)
					default:
						t.w.WriteByte(' ')
					}
				}
				if l == nil {
					if final {
						t.spaces(chars)
					}
				} else {
					rest := l.s[outb[j]:]
					n, w := len(rest), l.width
					if outb[j] != 0 || w > chars {
						n, w = strlenMaxWidth(rest, chars)
					}
					chars = min(w, widthWrap[j])
					if t.align[j] {
						t.spaces(widthWrap[j] - chars)
					}
					t.w.Write(rest[:n])
					outb[j] += n
					if outb[j] < len(l.s) {
						moreLines = true
					} else {
						curr[j]++
						outb[j] = 0
						if lineAt(j) != nil {
							moreLines = true
						}
					}
				}
				wrap[j] = wrapNone
				if lineAt(j) != nil {
					if outb[j] != 0 {
						wrap[j] = wrapWrap
					} else if curr[j] != 0 {
						wrap[j] = wrapNewline
					}
				}
				if !t.align[j] && (final || wrap[j] != wrapNone) {
					t.spaces(widthWrap[j] - chars)
				}
				switch {
				case wrap[j] == wrapWrap:
					t.w.WriteString(st.wrapRight)
				case wrap[j] == wrapNewline:
					t.w.WriteString(st.nlRight)
				case final:
					t.w.WriteByte(' ')
				}
				if border != 0 && j < ncol-1 {
					// wrap[j+1] is still the next column's previous line.
					switch {
					case wrap[j+1] == wrapWrap:
						t.w.WriteString(st.midWrap)
					case wrap[j+1] == wrapNewline:
						t.w.WriteString(st.midNL)
					case lineAt(j+1) == nil:
						t.w.WriteString(st.midBlank)
					default:
						t.w.WriteString(st.data.mid)
					}
				}
			}
			if border == 2 {
				t.w.WriteString(st.data.right)
			}
			t.w.WriteByte('\n')
		}
		return t.werr() == nil
	})

	if border == 2 {
		t.hline(widthWrap, &st.bottom)
	}
	if !t.opts.TuplesOnly {
		for _, f := range t.footers() {
			t.w.WriteString(f)
			t.w.WriteByte('\n')
		}
	}
	t.w.WriteByte('\n')
}

// vline is print_aligned_vertical_line: the "-[ RECORD n ]---" lines.
func (t *alignedTable) vline(record uint64, hwidth, dwidth int, r *rule) {
	border := t.opts.Border
	switch border {
	case 2:
		t.w.WriteString(r.left)
		t.w.WriteString(r.h)
	case 1:
		t.w.WriteString(r.h)
	}
	reclen := 0
	if record != 0 {
		s := t.scratch[:0]
		if border == 0 {
			s = append(s, "* Record "...)
			s = strconv.AppendUint(s, record, 10)
		} else {
			s = append(s, "[ RECORD "...)
			s = strconv.AppendUint(s, record, 10)
			s = append(s, " ]"...)
		}
		t.w.Write(s)
		reclen = len(s)
		t.scratch = s
	}
	if border != 2 {
		reclen++
	}
	fill := r.h
	if border == 0 {
		fill = " "
	}
	for i := reclen; i < hwidth; i++ {
		t.w.WriteString(fill)
	}
	reclen -= hwidth
	if border > 0 {
		if reclen <= 0 {
			t.w.WriteString(r.h)
		}
		reclen--
		if reclen <= 0 {
			t.w.WriteString(r.mid)
		}
		reclen--
		if reclen <= 0 {
			t.w.WriteString(r.h)
		}
		reclen--
	} else {
		if reclen <= 0 {
			t.w.WriteByte(' ')
		}
		reclen--
	}
	if reclen < 0 {
		reclen = 0
	}
	for i := reclen; i < dwidth; i++ {
		t.w.WriteString(fill)
	}
	if border == 2 {
		t.w.WriteString(r.h)
		t.w.WriteString(r.right)
	}
	t.w.WriteByte('\n')
}

// printVertical is print_aligned_vertical (expanded mode).
func (t *alignedTable) printVertical() {
	border := t.opts.Border
	ncol := len(t.cols)
	if t.nrows == 0 || ncol == 0 {
		if !t.opts.TuplesOnly {
			for _, f := range t.footers() {
				t.w.WriteString(f)
				t.w.WriteByte('\n')
			}
		}
		t.w.WriteByte('\n')
		return
	}
	hwidth, dwidth := 0, 0
	hmulti, dmulti := false, false
	for i := range t.cols {
		hwidth = max(hwidth, t.hwidth[i])
		hmulti = hmulti || t.hlines[i] > 1
		dwidth = max(dwidth, t.stats[i].maxWidth)
		dmulti = dmulti || t.stats[i].maxHeight > 1
	}
	if !t.opts.TuplesOnly && t.opts.HasTitle() {
		t.w.WriteString(t.opts.Title)
		t.w.WriteByte('\n')
	}
	// psql 15 sizes the data column to the widest value; only the wrapped
	// format makes room for the record header lines and fits the terminal
	// (psql 16 does the former for aligned too).
	if t.opts.Format == Wrapped {
		dwidth = t.wrappedDataWidth(hwidth, dwidth, hmulti, &dmulti)
	}

	// old-ascii gives multi-line headers a column for their marks at
	// their left, which the record lines count as part of the header.
	vhwidth := hwidth
	if t.style.old && hmulti && border < 2 {
		vhwidth++
	}
	var hbuf, dbuf []byte
	var hl, dl []fline
	record := uint64(1)
	first := true
	t.rows(func(cells [][]byte) bool {
		r := &t.style.middle
		if first {
			r = &t.style.top
		}
		if !t.opts.TuplesOnly {
			t.vline(record, vhwidth, dwidth, r)
			record++
		} else if !first || border == 2 {
			t.vline(0, vhwidth, dwidth, r)
		}
		first = false
		for i, c := range cells {
			hbuf, hl = wcsFormat(t.headers[i], hbuf, hl)
			dbuf, dl = wcsFormat(c, dbuf, dl)
			t.verticalField(hl, dl, hwidth, dwidth, hmulti, dmulti)
		}
		return t.werr() == nil
	})
	if border == 2 {
		t.vline(0, hwidth, dwidth, &t.style.bottom)
	}
	// Only the caller's footers: psql prints no default footer here.
	if !t.opts.TuplesOnly && len(t.opts.Footers) > 0 {
		if border < 2 {
			t.w.WriteByte('\n')
		}
		for _, f := range t.opts.Footers {
			t.w.WriteString(f)
			t.w.WriteByte('\n')
		}
	}
	t.w.WriteByte('\n')
}

// verticalField prints one name/value pair of an expanded record.
func (t *alignedTable) verticalField(hl, dl []fline, hwidth, dwidth int, hmulti, dmulti bool) {
	border := t.opts.Border
	st := t.style
	// old-ascii: marks before multi-line headers, none after values (but
	// at border 2); ascii and unicode: marks after both.
	hleft := border == 2 || (st.old && hmulti)
	hright := border > 0 || (hmulti && !st.old)
	dright := border > 1 || (dmulti && !st.old)
	hline, dline, offset := 0, 0, 0
	hcomplete, dcomplete := false, false
	chars := dl[0].width
	for !dcomplete || !hcomplete {
		if border == 2 {
			t.w.WriteString(st.data.left)
		}
		if !hcomplete {
			if hleft {
				if hline > 0 {
					t.w.WriteString(st.headerNLLeft)
				} else {
					t.w.WriteByte(' ')
				}
			}
			l := hl[hline]
			t.w.Write(l.s)
			t.spaces(hwidth - l.width)
			if hline+1 < len(hl) {
				if hright {
					t.w.WriteString(st.headerNLRight)
				}
				hline++
			} else {
				if hright {
					t.w.WriteByte(' ')
				}
				hcomplete = true
			}
		} else {
			sw := hwidth + border
			if hmulti && (border == 0 || (st.old && border == 1)) {
				sw++
			}
			t.spaces(max(sw, 1)) // printf("%*s", sw, " ") prints at least the space
		}
		if border > 0 {
			switch {
			case offset != 0:
				t.w.WriteString(st.midWrap)
			case dline == 0:
				t.w.WriteString(st.data.mid)
			default:
				t.w.WriteString(st.midNL)
			}
		}
		if dcomplete {
			if border < 2 {
				t.w.WriteByte('\n')
			} else {
				t.spaces(dwidth + 2)
				t.w.WriteString(st.data.right)
				t.w.WriteByte('\n')
			}
			continue
		}
		if offset == 0 {
			t.w.WriteByte(' ')
		} else {
			t.w.WriteString(st.wrapLeft)
		}
		l := dl[dline]
		n, w := len(l.s), l.width
		if offset != 0 || w > dwidth {
			n, w = strlenMaxWidth(l.s[offset:], dwidth)
		}
		t.w.Write(l.s[offset : offset+n])
		chars -= w
		offset += n
		sw := dwidth - w
		switch {
		case chars != 0:
			if dright {
				t.spaces(sw)
				t.w.WriteString(st.wrapRight)
			}
		case dline+1 < len(dl):
			if dright {
				t.spaces(sw)
				t.w.WriteString(st.nlRight)
			}
			dline++
			offset = 0
			chars = dl[dline].width
		default:
			if border > 1 {
				t.spaces(sw)
				t.w.WriteByte(' ')
			}
			dcomplete = true
		}
		if border == 2 {
			t.w.WriteString(st.data.right)
		}
		t.w.WriteByte('\n')
	}
}

// wrappedDataWidth is the data column width of print_aligned_vertical in
// wrapped format: at least the record header lines, at most what fits in
// TermWidth (but room for 3 columns of data).
func (t *alignedTable) wrappedDataWidth(hwidth, dwidth int, hmulti bool, dmulti *bool) int {
	border := t.opts.Border
	// old-ascii marks no value's end below border 2, and its header marks
	// take a column at border 1 too.
	old := t.style.old
	swidth := 7
	switch border {
	case 0:
		swidth = 1
		if hmulti {
			swidth++
		}
	case 1:
		swidth = 3
		if hmulti && old {
			swidth++
		}
	}
	if *dmulti && border < 2 && !old {
		swidth++
	}
	rwidth := 0
	if !t.opts.TuplesOnly {
		if t.nrows > 0 {
			rwidth = 1 + int(math.Log10(float64(t.nrows)))
		}
		rwidth += [3]int{9, 12, 15}[border]
	}
	cols := t.opts.TermWidth
	for {
		width := max(hwidth+swidth+dwidth, rwidth)
		newd := width - hwidth - swidth
		if cols > 0 {
			minWidth := max(hwidth+swidth+3, rwidth)
			switch {
			case cols >= width:
			case cols < minWidth:
				newd = minWidth - hwidth - swidth
			default:
				newd = cols - hwidth - swidth
			}
		}
		if newd < dwidth && !*dmulti && border < 2 && !old {
			*dmulti = true
			swidth++
			continue
		}
		return newd
	}
}
