package render

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Format is an output format, as psql's \pset format.
type Format int

// The formats. JSON is ours, not psql's: one JSON object per row, one per
// line. Wrapped is psql's format=wrapped: aligned, with values wrapped to
// fit Options.TermWidth (no wrapping when TermWidth is 0, as psql when not
// writing to a terminal).
const (
	Aligned Format = iota
	Unaligned
	CSV
	JSON
	Wrapped
	// psql's markup formats: html, asciidoc, latex, latex-longtable and
	// troff-ms. They use Border as psql does (html prints it as it is,
	// latex and latex-longtable know 0 to 3, the others 0 to 2).
	HTML
	AsciiDoc
	LaTeX
	LaTeXLongtable
	TroffMS
)

// Expanded is psql's \x setting.
type Expanded int

// The expanded modes.
const (
	ExpandedOff Expanded = iota
	ExpandedOn
	ExpandedAuto
)

// Options are psql's printing options (\pset and the matching flags).
type Options struct {
	Format        Format
	Border        int    // 0, 1 or 2 (more counts as 2); psql's default is 1
	Null          string // shown for NULL
	FieldSep      string // unaligned; default "|"
	RecordSep     string // unaligned; default "\n"
	FieldSepZero  bool   // psql -z: fields separated by a zero byte
	RecordSepZero bool   // psql -0: records separated by a zero byte
	CSVFieldSep   string // default ","; only its first byte is used, as in psql
	TuplesOnly    bool
	Expanded      Expanded
	Footer        bool // the "(N rows)" footer; default true
	// Pager is psql's \pset pager: 0 off, 1 when the result is taller
	// than the screen (default), 2 always. The session does the paging.
	Pager int
	Title string // \pset title; empty for none unless TitleSet
	// TitleSet: the title was set, possibly to the empty string, which
	// psql prints (an empty title line) where no title prints nothing.
	TitleSet bool
	// Footers are footer lines printed in place of the default footer, as
	// psql's describing commands add them (printTableAddFooter): "Indexes:",
	// "View definition:", .... Each is printed as it is, newlines included;
	// tuples-only hides them, CSV and JSON never print them.
	Footers   []string
	LineStyle LineStyle
	// UnicodeBorder, UnicodeColumn and UnicodeHeader are psql's \pset
	// unicode_border_linestyle, unicode_column_linestyle and
	// unicode_header_linestyle: single or double lines for the frame, the
	// lines between columns and the rule under the header, with
	// LineStyle unicode.
	UnicodeBorder UnicodeLine
	UnicodeColumn UnicodeLine
	UnicodeHeader UnicodeLine
	// NumericLocale is \pset numericlocale: digits of numeric columns
	// grouped by thousands. Grouping is the C/English locale's ("," every
	// three digits, "." before decimals) whatever the environment's locale.
	NumericLocale bool
	// TermWidth is psql's output_columns: \pset columns, or the terminal's
	// width when writing to one. It drives ExpandedAuto and Wrapped; 0 means
	// not a terminal, where auto behaves as off and wrapped as aligned.
	TermWidth int
	// TableAttr is \pset tableattr (\T): the attributes of html's <table>
	// tag, or latex-longtable's column widths. TableAttrSet tells an empty
	// value from an unset one, as psql does.
	TableAttr    string
	TableAttrSet bool
}

// DefaultOptions are psql's defaults.
func DefaultOptions() Options {
	return Options{
		Format:      Aligned,
		Border:      1,
		FieldSep:    "|",
		RecordSep:   "\n",
		CSVFieldSep: ",",
		Footer:      true,
		Pager:       1,
	}
}

// Column describes one result column.
type Column struct {
	Name    string
	TypeOID uint32
}

// Table prints one result set.
type Table interface {
	// Row adds one row of text-format values (nil is NULL). The caller may
	// reuse values and their bytes once Row returns. A row with the wrong
	// number of values is refused with an error.
	Row(values [][]byte) error
	// Close prints what is buffered and the footer, and returns the first
	// error the writer gave.
	Close() error
}

// ErrClosed is returned by Row and Close after Close.
var ErrClosed = errors.New("render: table already closed")

// NewTable starts printing a result with columns cols to w.
func NewTable(w io.Writer, opts Options, cols []Column) Table {
	base := newBase(w, opts, cols)
	switch opts.Format {
	case HTML, AsciiDoc, LaTeX, LaTeXLongtable, TroffMS:
		return newMarkupTable(base)
	case JSON:
		return newJSONTable(base)
	case CSV:
		if opts.Expanded == ExpandedOn {
			return &csvVertical{base}
		}
		return newCSVTable(base)
	case Unaligned:
		if opts.Expanded == ExpandedOn {
			return newUnalignedVertical(base)
		}
		return newUnalignedTable(base)
	default:
		return newAlignedTable(base)
	}
}

// base is what every format shares.
type base struct {
	out     io.Writer // what w writes to
	w       *bufio.Writer
	opts    Options
	cols    []Column
	headers [][]byte // names as psql prints them (cut at NUL, validated)
	null    []byte
	nrows   uint64
	scratch []byte
	closed  bool
	// border is the border as given, before the clamping to 0..2 of the
	// text formats: psql keeps it in an unsigned short.
	border int

	numScratch []byte
}

// bigResult is the row count from which a result's output goes through a
// 64 KiB buffer (fewer write calls for the millions of rows of a dump).
const bigResult = 512

// counted counts a row, and gives a result that turns out big its large
// buffer.
func (b *base) counted() {
	b.nrows++
	if b.nrows == bigResult && b.w.Flush() == nil {
		b.w = bufio.NewWriterSize(b.out, 64<<10)
	}
}

func newBase(w io.Writer, opts Options, cols []Column) *base {
	// A small buffer first: most results are a few rows, and a session
	// runs many. A result that grows gets a large one (see counted).
	b := &base{out: w, w: bufio.NewWriterSize(w, 4<<10), opts: opts, cols: cols, border: int(uint16(opts.Border))}
	if b.opts.Border < 0 {
		b.opts.Border = 0
	}
	if b.opts.Border > 2 {
		b.opts.Border = 2
	}
	b.headers = make([][]byte, len(cols))
	for i, c := range cols {
		h, _ := clean([]byte(c.Name), nil)
		b.headers[i] = append([]byte(nil), h...)
	}
	n, _ := clean([]byte(opts.Null), nil)
	b.null = append([]byte(nil), n...)
	return b
}

// value returns column i's value v as psql prints it: NULL as the null
// string, numbers grouped when asked, cut at NUL, validated. The result is
// valid until the next call.
func (b *base) value(i int, v []byte) []byte {
	if v == nil {
		return b.null
	}
	if b.opts.NumericLocale && rightAligned(b.cols[i].TypeOID) {
		b.numScratch = appendNumericLocale(b.numScratch[:0], v)
		v = b.numScratch
	}
	var out []byte
	out, b.scratch = clean(v, b.scratch)
	return out
}

// appendNumericLocale is psql's format_numeric_locale in the C locale:
// thousands separated by ",", anything that does not look like a number
// (NaN, money) unchanged.
func appendNumericLocale(dst, v []byte) []byte {
	for _, c := range v {
		if !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E') {
			return append(dst, v...)
		}
	}
	i := 0
	if len(v) > 0 && (v[0] == '-' || v[0] == '+') {
		dst = append(dst, v[0])
		i = 1
	}
	intLen := 0
	for i+intLen < len(v) && v[i+intLen] >= '0' && v[i+intLen] <= '9' {
		intLen++
	}
	lead := intLen % 3
	if lead == 0 {
		lead = 3
	}
	for k := 0; k < intLen; k++ {
		if k > 0 {
			lead--
			if lead == 0 {
				dst = append(dst, ',')
				lead = 3
			}
		}
		dst = append(dst, v[i+k])
	}
	return append(dst, v[i+intLen:]...)
}

func (b *base) check(values [][]byte) error {
	if b.closed {
		return ErrClosed
	}
	if len(values) != len(b.cols) {
		return fmt.Errorf("render: row has %d values for %d columns", len(values), len(b.cols))
	}
	return nil
}

func (b *base) finish() error {
	if b.closed {
		return ErrClosed
	}
	b.closed = true
	return b.w.Flush()
}

// footers is psql's footers_with_default: the caller's footers, else the
// default footer when it is on, else none.
func (b *base) footers() []string {
	if len(b.opts.Footers) > 0 {
		return b.opts.Footers
	}
	if b.opts.Footer {
		return []string{b.footer()}
	}
	return nil
}

// footer is psql's default footer, "(1 row)" or "(N rows)".
func (b *base) footer() string {
	if b.nrows == 1 {
		return "(1 row)"
	}
	return "(" + strconv.FormatUint(b.nrows, 10) + " rows)"
}

func (b *base) fieldSep() string {
	if b.opts.FieldSepZero {
		return "\x00"
	}
	return b.opts.FieldSep
}

func (b *base) recordSep() string {
	if b.opts.RecordSepZero {
		return "\x00"
	}
	return b.opts.RecordSep
}

// end is how psql ends unaligned output: a newline, whatever the record
// separator, unless records are separated by zero bytes.
func (b *base) end() string {
	if b.opts.RecordSepZero {
		return "\x00"
	}
	return "\n"
}

const spaceRun = "                                                                "

func (b *base) spaces(n int) {
	for n > len(spaceRun) {
		b.w.WriteString(spaceRun)
		n -= len(spaceRun)
	}
	if n > 0 {
		b.w.WriteString(spaceRun[:n])
	}
}

func (b *base) repeat(s string, n int) {
	for ; n > 0; n-- {
		b.w.WriteString(s)
	}
}

// rightAligned is psql's column_type_alignment: numbers to the right.
func rightAligned(oid uint32) bool {
	switch oid {
	case 20, 21, 23, // int8, int2, int4
		700, 701, 1700, // float4, float8, numeric
		26, 28, 5069, 29, // oid, xid, xid8, cid
		790: // money
		return true
	}
	return false
}

// werr is the writer's sticky error, if any (bufio.Writer reports it on
// any write, even an empty one), so that a broken pipe stops a long result.
func (b *base) werr() error {
	_, err := b.w.Write(nil)
	return err
}

// HasTitle reports whether a title line is printed: a non-empty title,
// or one set to the empty string.
func (o Options) HasTitle() bool { return o.Title != "" || o.TitleSet }
