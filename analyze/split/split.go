package split

import (
	"errors"
	"io"
	"strings"
)

// Kind tells a statement from a backslash command.
type Kind int

const (
	Statement Kind = iota + 1 // SQL text
	Meta                      // a psql backslash command
	CopyChunk                 // a piece of COPY ... FROM STDIN data (Scanner with WithCopyChunks)
)

func (k Kind) String() string {
	switch k {
	case Statement:
		return "Statement"
	case Meta:
		return "Meta"
	case CopyChunk:
		return "CopyChunk"
	}
	return "Kind(?)"
}

// Item is one statement or backslash command of a script.
type Item struct {
	Kind Kind
	// Text is the exact input bytes [Start:End).
	Text string
	// SQL is, for a Statement, the query text psql 15 would send: from the
	// first token on, the terminating ';' included, "\;" and "\:" unescaped,
	// lines joined the way psql joins them. After a backslash command that
	// kept psql's buffer it is only this item's part (see the package
	// documentation). Empty for Meta items and for whitespace-only items.
	SQL string
	// Line is the 1-based line of the first byte of SQL (for Meta, of the
	// backslash; for an item with empty SQL and for a CopyChunk, of Start).
	Line int
	// EndLine is the line psql reports errors at: the line holding ';'
	// (for COPY FROM STDIN, the "\." line; when the data is streamed, that
	// is the EndLine of the last CopyChunk, the COPY item has the line of
	// its ';'). For a CopyChunk, the line of its last byte.
	EndLine    int
	Start, End int
	// Complete: a Statement ended by ';' at top level, a Meta (always), a
	// COPY whose data ended with "\." (streamed: a COPY item is Complete,
	// its last CopyChunk is when the data ended with "\.").
	Complete bool
	// Terminator is ";" for a statement ended by ';', else "".
	Terminator string
	// Command is the Meta command name without the backslash ("g", "copy").
	Command string
	// Args is the Meta command's argument text, trimmed.
	Args string
	// CopyData holds the data lines of COPY ... FROM STDIN (and \copy ...
	// from stdin), without the terminating "\." line; nil otherwise. With
	// WithCopyChunks it is nil on the COPY item (CopyStream is set instead)
	// and holds each CopyChunk's share of the data.
	CopyData *string
	// CopyStream marks a COPY ... FROM STDIN item (Statement, \copy or
	// \g Meta) whose data follows as CopyChunk items (Scanner with
	// WithCopyChunks only).
	CopyStream bool
	// CopyLast marks the last CopyChunk of a COPY's data. It is Complete
	// when the data ended with "\." (its Text then ends with that line,
	// its CopyData does not hold it), not when the input ended first.
	CopyLast bool
}

// SendsQuery reports whether this Meta sends psql's query buffer to the
// server (\g, \gx, \gset, \gdesc, \gexec, \crosstabview, \watch).
func (it Item) SendsQuery() bool {
	return it.Kind == Meta && metaSends(it.Command)
}

// ResetsQuery reports whether psql's query buffer is empty after this Meta
// (it was sent, discarded by \r, or replaced by an editor). When false, psql
// keeps the buffer and the next Statement's SQL continues it.
func (it Item) ResetsQuery() bool {
	return it.Kind == Meta && metaResets(it.Command)
}

// Split splits s the way psql 15 does when reading a script file. Of the
// options, WithStandardStrings applies; WithCopyChunks is ignored.
func Split(s string, opts ...Option) []Item {
	var sc Scanner
	for _, o := range opts {
		o(&sc)
	}
	var lx lexer[string]
	lx.init(s, true)
	lx.scsOff = sc.lx.scsOff
	lx.collect = true
	lx.out = make([]Item, 0, 1+strings.Count(s, ";")+strings.Count(s, "\\"))
	lx.advance() // a string input is complete: the lexer runs to the end
	if len(lx.out) == 0 {
		return nil
	}
	return lx.out
}

// Scanner streams items from a reader without reading all of it first.
// Offsets and lines are relative to the whole stream. Memory use is bounded
// by the largest item: by default a COPY's data is one item; with
// WithCopyChunks it comes in chunks of bounded size.
type Scanner struct {
	r    io.Reader
	lx   lexer[[]byte]
	item Item
	err  error
	// chunkSeen is told of each chunk a CopyReader scans.
	chunkSeen func(Item)
}

const initialBuf = 64 << 10

// An Option configures a Scanner.
type Option func(*Scanner)

// WithCopyChunks makes the Scanner stream the data of COPY ... FROM STDIN
// (and \copy ... from stdin, and \g sending such a COPY) instead of
// returning it in one Item.CopyData. max < 1 means 64 KiB.
//
// The COPY item is returned as soon as its line has been read, with
// CopyStream set and CopyData nil. The next items are its CopyChunk items,
// in order, at least one (an empty one when there is no data at all), the
// last one with CopyLast set: each chunk's CopyData holds at most max bytes
// of data, whole lines unless a line is longer than max (such a line is
// cut into pieces of max bytes). The last chunk is Complete when the data
// ended with the "\." line, which is then in its Text but not in its
// CopyData; when the input ends first, it is not Complete. The data is
// never lexed as SQL.
//
// Lines: a chunk's Line and EndLine are those of its first and last byte.
// The COPY item's EndLine is the line of its ';' (or of the backslash
// command); the last chunk's EndLine is the line psql reports errors of
// the COPY at (the "\." line, as Split's EndLine of the COPY item).
//
// Order: items come in the order psql runs them, which is also the order
// of their bytes, except when something follows the COPY on its line
// ("copy t from stdin; select 1;"): psql runs it after the data, so its
// items come after the chunks, although their bytes come before the data.
// Concatenating Text of all items sorted by Start reproduces the input in
// every case. In that case too, the bytes on the COPY's line after the
// last item there (at least its newline) form a Statement with SQL == ""
// (Complete unless it holds the start of a statement that goes on after
// the data); the SQL of that statement comes whole with the item that ends
// it, after the data. Callers skip Statements whose SQL is empty, as
// always.
func WithCopyChunks(max int) Option {
	if max < 1 {
		max = 64 << 10
	}
	return func(s *Scanner) { s.lx.chunkMax = max }
}

// WithChunkSeen calls seen with each CopyChunk item a CopyReader scans
// (chunks a CopyReader reads never come out of Scan), from the goroutine
// that reads the CopyReader, while no Scan runs.
func WithChunkSeen(seen func(Item)) Option {
	return func(s *Scanner) { s.chunkSeen = seen }
}

// WithStandardStrings tells the splitter the session's
// standard_conforming_strings: when off, a plain '...' literal (and
// N'...') treats backslash as an escape, as E'...' always does: a quote
// after a backslash does not end the string. The default is on, as psql assumes until the server says
// otherwise.
func WithStandardStrings(on bool) Option {
	return func(s *Scanner) { s.lx.scsOff = !on }
}

// NewScanner returns a Scanner reading from r.
func NewScanner(r io.Reader, opts ...Option) *Scanner {
	s := &Scanner{r: r}
	s.lx.init(make([]byte, 0, initialBuf), false)
	s.lx.trackQuoted = true
	for _, o := range opts {
		o(s)
	}
	return s
}

// Scan advances to the next item; it returns false at the end of input or
// on a read error (see Err).
func (s *Scanner) Scan() bool {
	if s.err != nil {
		return false
	}
	for {
		switch s.lx.advance() {
		case stReady:
			s.item = s.lx.pop()
			return true
		case stDone:
			return false
		}
		s.fill()
		if s.err != nil {
			return false
		}
	}
}

// StartsInQuote reports whether line n started inside a quoted string,
// a quoted identifier, a comment or a dollar quote, as psql's
// psql_scan_in_quote says at the start of a line (psql then keeps an empty
// line, which it otherwise skips). Lines must be asked about in increasing
// order, after the item that holds them was returned: what is asked about
// is forgotten with the lines before it.
func (s *Scanner) StartsInQuote(n int) bool {
	q := s.lx.quoted
	i := 0
	for i < len(q) && q[i] < n {
		i++
	}
	found := i < len(q) && q[i] == n
	s.lx.quoted = q[:copy(q, q[i:])]
	return found
}

// ParenDepth is psql's parenthesis depth where the scanner stands: after
// the last item returned, when nothing after it has been scanned (as after
// a backslash command).
func (s *Scanner) ParenDepth() int { return s.lx.paren }

// Discard tells the scanner, standing after a backslash command, that the
// caller cut psql's query buffer back, as psql's \elif, \else and \endif do
// to the text of a branch that did not run: the parenthesis depth goes
// back to paren, and empty says that the buffer holds no text any more.
func (s *Scanner) Discard(paren int, empty bool) {
	s.lx.paren = paren
	if empty {
		s.lx.carried = false
		s.lx.needNL = false
	}
}

// Item returns the item found by the last successful Scan.
func (s *Scanner) Item() Item { return s.item }

// Err returns the first read error other than io.EOF.
func (s *Scanner) Err() error { return s.err }

func (s *Scanner) fill() {
	lx := &s.lx
	// Keep only the bytes of the item being built.
	if drop := lx.itemStart - lx.base; drop > 0 {
		n := copy(lx.buf, lx.buf[drop:])
		lx.buf = lx.buf[:n]
		lx.base += drop
	}
	if len(lx.buf) == cap(lx.buf) {
		nb := make([]byte, len(lx.buf), 2*cap(lx.buf)+initialBuf)
		copy(nb, lx.buf)
		lx.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.r.Read(lx.buf[len(lx.buf):cap(lx.buf)])
		if n < 0 || n > cap(lx.buf)-len(lx.buf) {
			s.err = errors.New("split: reader returned an invalid count")
			lx.eof = true
			return
		}
		lx.buf = lx.buf[:len(lx.buf)+n]
		if err != nil {
			if err != io.EOF {
				s.err = err
			}
			lx.eof = true
			return
		}
		if n > 0 {
			return
		}
	}
	s.err = io.ErrNoProgress
	lx.eof = true
}
