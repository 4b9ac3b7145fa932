package split

import (
	"bytes"
	"strings"

	"github.com/safesql/safesql/analyze/lex"
)

// text lets one lexer serve Split (a string, no copies) and Scanner (a
// growing []byte window).
type text interface{ ~string | ~[]byte }

type status uint8

const (
	stMore  status = iota // needs more input
	stReady               // an item can be popped
	stDone                // end of input, nothing left
)

// COPY ... FROM STDIN detection, token by token.
const (
	cpStart uint8 = iota // no token yet in this query buffer
	cpCopy               // first token was COPY
	cpFrom               // COPY ... FROM
	cpStdin              // COPY ... FROM STDIN
	cpNo                 // something else
)

type lexer[T text] struct {
	buf  T   // input window
	base int // absolute offset of buf[0]
	eof  bool
	done bool

	pos  int // absolute offset of the next byte to lex
	line int // line of pos

	st lex.State // psqlscan.l's exclusive state: INITIAL, xc, xq, xe, xd, xdolq

	// psql's paren_depth, begin_depth, identifier_count, identifiers[].
	paren, begin int
	identCount   int
	idents       [4]byte
	copyState    uint8

	itemStart int // absolute start of the item being built
	itemLine  int

	// psql's query buffer: prefix (text carried over a backslash command,
	// "\;" unescaping or COPY data) followed by input [segStart, pos).
	segStart int // -1 when the current segment has not started
	prefix   []byte
	carried  bool // psql's buffer also holds text of earlier items (before a backslash command)
	sqlLine  int
	needNL   bool // psql adds '\n' when the next line starts

	// COPY FROM STDIN data.
	inData        bool
	dataStart     int
	dataLineStart bool
	openCopy      bool // the item being built owns the data
	openItem      Item
	pending       []int // indexes in out of items still waiting for their data

	// Streaming COPY data (Scanner with WithCopyChunks): chunkMax > 0.
	chunkMax    int
	chunkStart  int    // absolute start of the chunk being built
	chunkLine   int    // line of chunkStart
	lineStart   int    // absolute start of the current data line
	copyEndLine int    // EndLine of the last chunk when it is empty
	copyBytes   bool   // the current COPY's data has had bytes
	held        []Item // items psql runs after the current COPY's data
	heldCopies  []int  // indexes in held of COPY items waiting for their data
	endNL       bool   // the last byte of the last chunk or cut item is '\n'

	out     []Item
	head    int
	collect bool // Split: keep every item in out, run to the end
	// trackQuoted: record in quoted the lines that start inside a quote,
	// comment or dollar quote (psql_scan_in_quote at the line's start).
	trackQuoted bool
	quoted      []int
	// scsOff: standard_conforming_strings is off, backslash escapes in '...'.
	scsOff bool
}

func (l *lexer[T]) init(buf T, eof bool) {
	l.buf = buf
	l.eof = eof
	l.line = 1
	l.itemLine = 1
	l.segStart = -1
}

func (l *lexer[T]) str(a, b int) string { return string(l.buf[a-l.base : b-l.base]) }

func (l *lexer[T]) emit(it Item) { l.out = append(l.out, it) }

func (l *lexer[T]) pop() Item {
	it := l.out[l.head]
	l.out[l.head] = Item{}
	l.head++
	if l.head == len(l.out) {
		l.out = l.out[:0]
		l.head = 0
	}
	return it
}

// partNonEmpty: this item has query text; bufNonEmpty: psql's buffer has.
func (l *lexer[T]) partNonEmpty() bool { return l.segStart >= 0 || len(l.prefix) > 0 }
func (l *lexer[T]) bufNonEmpty() bool  { return l.partNonEmpty() || l.carried }

// keep starts the segment at i for text psql keeps only in a non-empty
// buffer (whitespace, "--" comments).
func (l *lexer[T]) keep(i int) {
	if l.segStart < 0 && (len(l.prefix) > 0 || l.carried) {
		if len(l.prefix) == 0 {
			l.sqlLine = l.line
		}
		l.segStart = l.base + i
	}
}

// advance lexes until an item is ready, more input is needed, or the end.
func (l *lexer[T]) advance() status {
	for {
		if l.head < len(l.out) && len(l.pending) == 0 && !l.collect {
			return stReady
		}
		if l.done {
			return stDone
		}
		var more bool
		if l.inData {
			if l.chunkMax > 0 {
				// Only Scanner streams: T is []byte.
				more = scanChunks(any(l).(*lexer[[]byte]))
			} else {
				more = l.scanData()
			}
		} else {
			end := l.base + len(l.buf)
			if l.needNL && !l.nextLine() {
				return stMore
			}
			if l.pos == 0 && l.base == 0 && l.st.Mode == lex.Initial {
				// psql ignores a UTF-8 byte-order mark at the start.
				if len(l.buf) < 3 && !l.eof {
					return stMore
				}
				if len(l.buf) >= 3 && string(l.buf[:3]) == "\xef\xbb\xbf" {
					l.pos = 3
				}
			}
			if l.pos >= end {
				if !l.eof {
					return stMore
				}
				l.finish()
				continue
			}
			if l.st.Mode == lex.Initial {
				more = l.scanInitial()
			} else {
				if l.segStart < 0 {
					l.segStart = l.pos
				}
				more = l.scanBody()
			}
		}
		if more {
			return stMore
		}
	}
}

// nextLine decides, at the start of the line after a backslash command or
// COPY data, whether psql puts a '\n' into its non-empty query buffer: not
// for empty lines (skipped outside quotes), not at the end of input, not
// for a line starting with a backslash command.
func (l *lexer[T]) nextLine() bool {
	b := l.buf
	n := len(b)
	i := l.pos - l.base
	j := i
	if l.st.Mode == lex.Initial {
		for j < n && b[j] == '\n' {
			j++
		}
	}
	if j >= n && !l.eof {
		return false
	}
	add := j < n
	if add && l.st.Mode == lex.Initial && b[j] == '\\' {
		if j+1 >= n && !l.eof {
			return false
		}
		add = j+1 < n && (b[j+1] == ';' || b[j+1] == ':')
	}
	if add && len(l.prefix) > 0 {
		// Text carried from an earlier item is the caller's to join.
		l.prefix = append(l.prefix, '\n')
	}
	l.line += j - i
	l.pos = l.base + j
	l.needNL = false
	return true
}

// sig marks the start of a token that goes into the query buffer.
func (l *lexer[T]) sig(i int) {
	if l.segStart < 0 {
		if len(l.prefix) == 0 {
			l.sqlLine = l.line
		}
		l.segStart = l.base + i
	}
}

// tok records a token other than an identifier for COPY detection.
func (l *lexer[T]) tok() {
	switch l.copyState {
	case cpStart:
		l.copyState = cpNo
	case cpFrom:
		l.copyState = cpCopy
	}
}

func (l *lexer[T]) scanInitial() (more bool) {
	b := l.buf
	base := l.base
	n := len(b)
	i := l.pos - base
	eof := l.eof
	opt := lex.Options{BackslashEscapes: l.scsOff}
	for i < n {
		c := b[i]
		if c == ' ' || c == '\t' || c == '\r' || c == '\f' {
			// A lex.Space byte, without the call: most tokens are one apart.
			l.keep(i)
			i++
			continue
		}
		if c == '\n' {
			if len(l.pending) > 0 {
				l.line++
				l.pos = base + i + 1
				l.startData(base + i)
				return false
			}
			if l.segStart < 0 && len(l.prefix) == 0 {
				i++
				l.line++
				continue
			}
			// psql joins lines with '\n' only when a next line comes that is
			// not empty (psql skips empty lines outside quotes) and does not
			// start with a backslash command (psql strips the newline it
			// added then).
			j := i + 1
			for j < n && b[j] == '\n' {
				j++
			}
			if j >= n && !eof {
				l.pos = base + i
				return true
			}
			drop := j >= n
			if !drop && b[j] == '\\' {
				if j+1 >= n && !eof {
					l.pos = base + i
					return true
				}
				drop = !(j+1 < n && (b[j+1] == ';' || b[j+1] == ':'))
			}
			if drop || j > i+1 {
				keep := i + 1
				if drop {
					keep = i
				}
				if l.segStart >= 0 {
					l.prefix = append(l.prefix, b[l.segStart-base:keep]...)
				} else if !drop {
					l.prefix = append(l.prefix, '\n')
				}
				l.segStart = -1
			} else if l.segStart < 0 {
				l.segStart = base + i
			}
			l.line += j - i
			i = j
			continue
		}
		// Words and one-byte operators, the most of SQL, are taken without
		// the call (see lex.WordEnd and lex.IsOpByte).
		var k lex.Kind
		var j int
		switch {
		case lex.IsOpByte(c):
			k, j = lex.Op, i+1
		case lex.IsIdentStart(c):
			j = lex.WordEnd(b, i+1)
			if j < n && (j-i > 1 || b[j] != '\'' && b[j] != '&') {
				k = lex.Word
				break
			}
			fallthrough
		default:
			var m bool
			k, j, m = lex.Next(b, i, &l.st, opt, eof)
			switch {
			case k == lex.Space:
				// (A run cut by the window's end goes on at the next byte.)
				l.keep(i)
				i = j
				continue
			case m:
				l.pos = base + i
				return true
			}
		}
		switch k {
		case lex.LineComment:
			l.keep(i)
			i = j
		case lex.Comment:
			l.sig(i)
			l.pos = base + j
			return false
		case lex.String, lex.EString, lex.UString, lex.QuotedIdent, lex.UIdent, lex.Dollar:
			// (Dollar: a tag was found; a lone '$' is an Op.)
			l.sig(i)
			l.tok()
			l.pos = base + j
			return false
		case lex.Word:
			l.sig(i)
			l.ident(b[i:j])
			i = j
		case lex.Backslash:
			var d byte
			if i+1 < n {
				d = b[i+1]
			}
			if d != ';' && d != ':' {
				l.pos = base + i
				return l.meta()
			}
			// "\;" and "\:": psql puts the bare character into the query buffer.
			l.sig(i)
			l.prefix = append(l.prefix, b[l.segStart-base:i]...)
			l.prefix = append(l.prefix, d)
			l.segStart = base + i + 2
			if d == ';' {
				l.identCount = 0
				if l.copyState != cpStdin {
					l.copyState = cpStart
				}
			} else {
				l.tok()
			}
			i += 2
		case lex.Op:
			l.sig(i)
			switch c {
			case ';':
				if l.paren == 0 && l.begin == 0 {
					if l.copyState == cpStdin {
						j, simple, m := restBlank(b, i+1, eof)
						if m {
							l.pos = base + i
							return true
						}
						simple = simple && len(l.pending) == 0
						l.pos = base + i + 1
						l.terminateCopy(simple, base+j)
						return false
					}
					l.pos = base + i + 1
					l.terminate()
					return false
				}
			case '(':
				l.paren++
			case ')':
				if l.paren > 0 {
					l.paren--
				}
			}
			l.tok()
			i = j
		default: // numbers, parameters, variables, "::", ".."
			l.sig(i)
			l.tok()
			i = j
		}
	}
	l.pos = base + i
	return !eof
}

// restBlank reports whether only whitespace and "--" comments follow i on
// its line, and where that line's newline (or the end) is.
func restBlank[T text](b T, i int, eof bool) (int, bool, bool) {
	n := len(b)
	for {
		for i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\f') {
			i++
		}
		if i >= n {
			return i, true, !eof
		}
		if b[i] == '-' {
			if i+1 >= n {
				return i, false, !eof
			}
			if b[i+1] == '-' {
				for i < n && b[i] != '\n' && b[i] != '\r' {
					i++
				}
				continue
			}
		}
		return i, b[i] == '\n', false
	}
}

type keyword uint8

const (
	kwNone keyword = iota
	kwCreate
	kwFunction
	kwProcedure
	kwOr
	kwReplace
	kwBegin
	kwCase
	kwEnd
	kwCopy
	kwFrom
	kwStdin
)

func eqFold[T text](w T, kw string) bool {
	if len(w) != len(kw) {
		return false
	}
	for i := 0; i < len(kw); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != kw[i] {
			return false
		}
	}
	return true
}

func lookupKeyword[T text](w T) keyword {
	switch len(w) {
	case 2:
		if eqFold(w, "or") {
			return kwOr
		}
	case 3:
		if eqFold(w, "end") {
			return kwEnd
		}
	case 4:
		switch {
		case eqFold(w, "case"):
			return kwCase
		case eqFold(w, "copy"):
			return kwCopy
		case eqFold(w, "from"):
			return kwFrom
		}
	case 5:
		switch {
		case eqFold(w, "begin"):
			return kwBegin
		case eqFold(w, "stdin"):
			return kwStdin
		}
	case 6:
		if eqFold(w, "create") {
			return kwCreate
		}
	case 7:
		if eqFold(w, "replace") {
			return kwReplace
		}
	case 8:
		if eqFold(w, "function") {
			return kwFunction
		}
	case 9:
		if eqFold(w, "procedure") {
			return kwProcedure
		}
	}
	return kwNone
}

// ident follows psql's heuristic for CREATE [OR REPLACE] FUNCTION/PROCEDURE
// bodies written as BEGIN ATOMIC ... END, and COPY detection.
func (l *lexer[T]) ident(w T) {
	kw := lookupKeyword(w)
	if l.identCount == 0 {
		l.idents = [4]byte{}
	}
	switch kw {
	case kwCreate, kwFunction, kwProcedure, kwOr, kwReplace:
		if l.identCount < len(l.idents) {
			c := w[0]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			l.idents[l.identCount] = c
		}
	}
	l.identCount++
	id := &l.idents
	if kw >= kwBegin && kw <= kwEnd && l.paren == 0 && id[0] == 'c' &&
		(id[1] == 'f' || id[1] == 'p' || id[1] == 'o' && id[2] == 'r' && (id[3] == 'f' || id[3] == 'p')) {
		switch kw {
		case kwBegin:
			l.begin++
		case kwCase:
			if l.begin >= 1 {
				l.begin++
			}
		case kwEnd:
			if l.begin > 0 {
				l.begin--
			}
		}
	}
	switch l.copyState {
	case cpStart:
		if kw == kwCopy {
			l.copyState = cpCopy
		} else {
			l.copyState = cpNo
		}
	case cpCopy:
		if kw == kwFrom && l.paren == 0 {
			l.copyState = cpFrom
		}
	case cpFrom:
		switch {
		case kw == kwStdin:
			l.copyState = cpStdin
		case kw == kwFrom && l.paren == 0:
		default:
			l.copyState = cpCopy
		}
	}
}

// newlineIn counts a newline met inside a quote, comment or dollar quote
// (i is just past it); when a COPY is waiting, its data starts there.
func (l *lexer[T]) newlineIn(i int) bool {
	l.line++
	if l.trackQuoted && len(l.pending) == 0 {
		l.quoted = append(l.quoted, l.line)
	}
	if len(l.pending) > 0 {
		l.pos = l.base + i
		l.startData(l.pos - 1)
		return true
	}
	return false
}

// scanBody lexes inside a literal, quoted identifier, comment or dollar
// quote: each newline there is counted (and may start COPY data); an
// E'...' literal may go on after a quote continuation.
func (l *lexer[T]) scanBody() bool {
	b := l.buf
	n := len(b)
	i := l.pos - l.base
	for {
		wasE := l.st.Mode == lex.InEQuote
		j, stop := lex.Body(b, i, &l.st, l.eof)
		switch stop {
		case lex.NewLine:
			i = j
			if l.newlineIn(i) {
				return false
			}
			continue
		case lex.Closed:
			if wasE {
				// psql's xqs state: a quote continuation keeps the E'' rules.
				// psql never sees '\n' (it lexes line by line), so only a bare
				// CR can separate the parts; a quote that ends its line may be
				// continued at the start of the next one.
				k := j
				skipped := false
				if k < n && b[k] == '\n' && len(l.pending) == 0 {
					k++
					skipped = true
				}
				k, ok, m := lex.QuoteContinue(b, k, l.eof)
				if m {
					l.st.Mode = lex.InEQuote
					l.pos = l.base + j - 1
					return true
				}
				if ok {
					if skipped {
						l.line++
					}
					l.st.Mode = lex.InEQuote
					i = k
					continue
				}
			}
		}
		l.pos = l.base + j
		return stop == lex.More
	}
}

// makeStmt closes the Statement item ending at end.
func (l *lexer[T]) makeStmt(end int, complete bool, term string, endLine int) Item {
	txt := l.str(l.itemStart, end)
	sql := ""
	if l.segStart >= 0 {
		seg := txt[l.segStart-l.itemStart:]
		if len(l.prefix) > 0 {
			sql = string(l.prefix) + seg
		} else {
			sql = seg
		}
	} else if len(l.prefix) > 0 {
		sql = string(l.prefix)
	}
	line := l.itemLine
	if sql != "" {
		line = l.sqlLine
	}
	it := Item{
		Kind:       Statement,
		Text:       txt,
		SQL:        sql,
		Line:       line,
		EndLine:    endLine,
		Start:      l.itemStart,
		End:        end,
		Complete:   complete,
		Terminator: term,
	}
	l.itemStart = end
	l.itemLine = l.line
	return it
}

// resetQuery empties the query buffer and the lexer state (psql_scan_reset).
func (l *lexer[T]) resetQuery() {
	l.segStart = -1
	l.carried = false
	l.prefix = l.prefix[:0]
	l.needNL = false
	l.paren = 0
	l.begin = 0
	l.identCount = 0
	l.copyState = cpStart
}

func (l *lexer[T]) terminate() {
	it := l.makeStmt(l.pos, true, ";", l.line)
	l.resetQuery()
	l.emit(it)
}

// terminateCopy closes a COPY ... FROM STDIN at ';'. When only blanks
// follow on its line (nl is that line's newline or the end), the item
// goes on to hold the data; otherwise it waits for the data while the rest
// of the line is lexed.
func (l *lexer[T]) terminateCopy(simple bool, nl int) {
	it := l.makeStmt(l.pos, true, ";", l.line)
	l.resetQuery()
	if !simple {
		l.emit(it)
		l.pending = append(l.pending, len(l.out)-1)
		return
	}
	l.pos = nl
	if nl < l.base+len(l.buf) {
		l.pos++
		l.line++
	}
	if l.chunkMax > 0 {
		// The item ends with its line; its data follows in chunks.
		it.Text = l.str(it.Start, l.pos)
		it.End = l.pos
		it.CopyStream = true
		l.itemStart = l.pos
		l.itemLine = l.line
		l.emit(it)
		l.startData(nl)
		return
	}
	l.itemStart = it.Start
	l.openItem = it
	l.openCopy = true
	l.startData(nl)
}

// startData switches to reading COPY data at l.pos (a line start). The
// query buffer text lexed so far is kept aside: data never goes into it.
func (l *lexer[T]) startData(nl int) {
	if l.segStart >= 0 {
		if nl > l.segStart {
			l.prefix = append(l.prefix, l.buf[l.segStart-l.base:nl-l.base]...)
		}
		l.segStart = -1
	}
	// The newline ending the line is psql's to add, or not, after the data.
	l.needNL = l.needNL || len(l.prefix) > 0
	l.inData = true
	l.dataStart = l.pos
	l.dataLineStart = true
	if l.chunkMax > 0 {
		l.startStream()
	}
}

// startStream starts streaming the data at l.pos. The COPY item is the last
// item of out, or, when it is pending (something followed it on its line),
// the items after it are held back until its data has been returned, as
// psql runs them after the data. The bytes of the line after the last of
// them become an item of their own: the data must not be in any item but
// the chunks.
func (l *lexer[T]) startStream() {
	l.chunkStart = l.pos
	l.chunkLine = l.line
	l.lineStart = l.pos
	l.copyBytes = false
	if len(l.pending) == 0 {
		l.copyEndLine = l.out[len(l.out)-1].EndLine
		return
	}
	if l.pos > l.itemStart {
		// Its SQL, if any, is kept in prefix and comes with the item that
		// ends the statement after the data.
		l.emit(Item{
			Kind:     Statement,
			Text:     l.str(l.itemStart, l.pos),
			Line:     l.itemLine,
			EndLine:  l.line - 1,
			Start:    l.itemStart,
			End:      l.pos,
			Complete: !l.bufNonEmpty(),
		})
		l.itemStart = l.pos
		l.itemLine = l.line
		l.endNL = true
	}
	p := l.pending[0]
	l.held = append(l.held[:0], l.out[p+1:]...)
	clear(l.out[p+1:])
	l.out = l.out[:p+1]
	l.heldCopies = l.heldCopies[:0]
	for _, k := range l.pending[1:] {
		l.heldCopies = append(l.heldCopies, k-p-1)
	}
	l.pending = nil
	l.out[p].CopyStream = true
	l.copyEndLine = l.out[p].EndLine
}

// scanChunks is scanData for a streaming Scanner: it emits the data in
// chunks of at most chunkMax bytes, whole lines unless a line is longer.
func scanChunks(l *lexer[[]byte]) bool {
	b := l.buf
	n := len(b)
	eof := l.eof
	base := l.base
	for {
		if l.pos-l.chunkStart >= l.chunkMax {
			l.chunk(l.pos, l.pos, false, false)
			return false
		}
		i := l.pos - base
		if l.dataLineStart {
			if i >= n {
				if !eof {
					return true
				}
				l.chunk(l.pos, l.pos, true, false)
				return false
			}
			if b[i] == '\\' {
				// "\." alone on a line ends the data (as in scanData).
				if n-i < 4 && !eof {
					return true
				}
				if i+1 < n && b[i+1] == '.' {
					switch {
					case i+2 >= n:
						l.chunk(l.pos, base+n, true, true)
						return false
					case b[i+2] == '\n':
						l.line++
						l.chunk(l.pos, base+i+3, true, true)
						return false
					case b[i+2] == '\r' && (i+3 >= n || b[i+3] == '\n'):
						end := i + 3
						if i+3 < n {
							end++
							l.line++
						}
						l.chunk(l.pos, base+end, true, true)
						return false
					}
				}
			}
			l.dataLineStart = false
		}
		limit := l.chunkStart + l.chunkMax - base
		end := min(n, limit)
		if k := bytes.IndexByte(b[i:end], '\n'); k >= 0 {
			l.pos = base + i + k + 1
			l.line++
			l.lineStart = l.pos
			l.dataLineStart = true
			continue
		}
		l.pos = base + end
		if end < limit {
			if !eof {
				return true
			}
			l.chunk(l.pos, l.pos, true, false)
			return false
		}
		// The line does not fit: end the chunk before it, or cut it.
		if l.lineStart > l.chunkStart {
			l.chunk(l.lineStart, l.lineStart, false, false)
		} else {
			l.chunk(l.pos, l.pos, false, false)
		}
		return false
	}
}

// chunk emits the data chunk [chunkStart, end) whose data ends at dataEnd;
// when last, the COPY's data is over (terminated: by "\.").
func (l *lexer[T]) chunk(dataEnd, end int, last, terminated bool) {
	txt := l.str(l.chunkStart, end)
	data := txt[:dataEnd-l.chunkStart]
	endLine := l.copyEndLine
	if end > l.chunkStart {
		endLine = l.line
		l.endNL = txt[len(txt)-1] == '\n'
		if l.endNL {
			endLine--
		}
		l.copyBytes = true
	}
	l.emit(Item{
		Kind:     CopyChunk,
		Text:     txt,
		Line:     l.chunkLine,
		EndLine:  endLine,
		Start:    l.chunkStart,
		End:      end,
		Complete: terminated,
		CopyData: &data,
		CopyLast: last,
	})
	l.copyEndLine = endLine
	l.chunkStart = end
	l.chunkLine = l.line
	l.itemStart = end
	l.itemLine = l.line
	if last {
		l.pos = end
		l.endStream(endLine)
	}
}

// endStream follows the last chunk of a COPY's data: the items held back
// are released, up to the next COPY waiting for its data, if any.
func (l *lexer[T]) endStream(endLine int) {
	if l.copyBytes {
		// psql reports them at the last line it read (as finishData).
		for k := range l.held {
			l.held[k].EndLine = endLine
		}
	}
	if len(l.heldCopies) > 0 {
		k := l.heldCopies[0]
		l.out = append(l.out, l.held[:k+1]...)
		l.held = l.held[k+1:]
		l.heldCopies = l.heldCopies[1:]
		for j := range l.heldCopies {
			l.heldCopies[j] -= k + 1
		}
		cp := &l.out[len(l.out)-1]
		cp.CopyStream = true
		l.copyEndLine = cp.EndLine
		l.copyBytes = false
		l.dataLineStart = true
		l.lineStart = l.pos
		return
	}
	l.out = append(l.out, l.held...)
	clear(l.held)
	l.held = l.held[:0]
	l.heldCopies = l.heldCopies[:0]
	l.inData = false
}

// emptyChunk emits the data of a COPY cut off by the end of input before
// its data started.
func (l *lexer[T]) emptyChunk(cp Item) {
	end := l.base + len(l.buf)
	data := ""
	l.emit(Item{
		Kind:     CopyChunk,
		Line:     l.line,
		EndLine:  cp.EndLine,
		Start:    end,
		End:      end,
		CopyData: &data,
		CopyLast: true,
	})
}

func (l *lexer[T]) scanData() bool {
	b := l.buf
	n := len(b)
	eof := l.eof
	i := l.pos - l.base
	for {
		if l.dataLineStart {
			if i >= n {
				if !eof {
					l.pos = l.base + i
					return true
				}
				l.finishData(l.base+i, l.base+i, false)
				return false
			}
			if b[i] == '\\' {
				// "\." alone on a line ends the data: "\.\n", "\.\r\n",
				// or at the end of input.
				need := 4
				if n-i < need && !eof {
					l.pos = l.base + i
					return true
				}
				if i+1 < n && b[i+1] == '.' {
					switch {
					case i+2 >= n:
						l.finishData(l.base+i, l.base+n, true)
						return false
					case b[i+2] == '\n':
						l.line++
						l.finishData(l.base+i, l.base+i+3, true)
						return false
					case b[i+2] == '\r' && (i+3 >= n || b[i+3] == '\n'):
						end := i + 3
						if i+3 < n {
							end++
							l.line++
						}
						l.finishData(l.base+i, l.base+end, true)
						return false
					}
				}
			}
			l.dataLineStart = false
		}
		for i < n && b[i] != '\n' {
			i++
		}
		if i >= n {
			l.pos = l.base + i
			if !eof {
				return true
			}
			l.finishData(l.base+i, l.base+i, false)
			return false
		}
		i++
		l.line++
		l.dataLineStart = true
	}
}

// finishData hands the data [dataStart, dataEnd) to its item; the "\."
// line, if any, ends at termEnd.
func (l *lexer[T]) finishData(dataEnd, termEnd int, terminated bool) {
	l.pos = termEnd
	// psql reports errors of the COPY, and of what follows it on its line,
	// at the last line it read: the "\." line.
	endLine := -1
	if termEnd > l.dataStart {
		endLine = l.line
		if l.buf[termEnd-1-l.base] == '\n' {
			endLine--
		}
	}
	if len(l.pending) > 0 {
		idx := l.pending[0]
		l.pending = l.pending[1:]
		data := l.str(l.dataStart, dataEnd)
		l.out[idx].CopyData = &data
		l.out[idx].Complete = terminated
		if endLine > 0 {
			for k := idx; k < len(l.out); k++ {
				l.out[k].EndLine = endLine
			}
		}
		if len(l.pending) > 0 {
			l.dataStart = termEnd
			l.dataLineStart = true
			return
		}
		l.pending = nil
		l.inData = false
		return
	}
	l.inData = false
	if l.openCopy {
		it := l.openItem
		it.Text = l.str(it.Start, termEnd)
		it.End = termEnd
		data := it.Text[l.dataStart-it.Start : dataEnd-it.Start]
		it.CopyData = &data
		it.Complete = terminated
		if endLine > 0 {
			it.EndLine = endLine
		}
		l.openCopy = false
		l.openItem = Item{}
		l.itemStart = termEnd
		l.itemLine = l.line
		l.emit(it)
	}
}

// meta lexes the backslash command at l.pos the way psqlscanslash.l does.
func (l *lexer[T]) meta() bool {
	b := l.buf
	base := l.base
	n := len(b)
	i := l.pos - base
	e := i
	for e < n && b[e] != '\n' {
		e++
	}
	if e >= n && !l.eof {
		return true
	}
	// The name ends at whitespace or a backslash.
	j := i + 1
	for j < e && !lex.IsSpace(b[j]) && b[j] != '\\' {
		j++
	}
	name := string(b[i+1 : j])
	info := lookupMeta(name)
	k := j
	if !info.known || info.whole {
		k = e
	} else {
		argStart := true
	args:
		for k < e {
			c := b[k]
			switch {
			case c == '\\':
				break args
			case lex.IsSpace(c):
				argStart = true
				k++
				continue
			case c == '|' && argStart && info.pipe:
				k = e
				break args
			case c == '\'' || c == '"' || c == '`':
				k = lex.ArgQuoted(b, k, e)
			default:
				k++
			}
			argStart = false
		}
	}
	argEnd := k
	end := k
	newline := false
	switch {
	case k < e: // an unquoted backslash: "\\" is eaten, another command is not
		if k+1 < e && b[k+1] == '\\' {
			end = k + 2
		}
	case e < n:
		end = e + 1
		newline = true
	}
	args := strings.Trim(string(b[j:argEnd]), " \t\r\n\f")

	bs := base + i
	if l.partNonEmpty() {
		l.emit(l.makeStmt(bs, false, "", l.line))
		// psql keeps its buffer unless the command uses it up.
		l.prefix = l.prefix[:0]
		l.segStart = -1
		l.carried = true
	}
	m := Item{
		Kind:     Meta,
		Text:     l.str(l.itemStart, base+end),
		Line:     l.line,
		EndLine:  l.line,
		Start:    l.itemStart,
		End:      base + end,
		Complete: true,
		Command:  name,
		Args:     args,
	}
	copies := info.copies && l.copyState == cpStdin || name == "copy" && copyFromStdin(args)
	if metaResets(name) {
		l.resetQuery()
	}
	l.pos = base + end
	if newline {
		l.line++
		if l.bufNonEmpty() {
			l.needNL = true
		}
	}
	if copies && newline && len(l.pending) == 0 && l.chunkMax > 0 {
		m.CopyStream = true
		l.itemStart = base + end
		l.itemLine = l.line
		l.emit(m)
		l.startData(l.pos)
		return false
	}
	if copies && newline && len(l.pending) == 0 {
		l.openItem = m
		l.openCopy = true
		l.startData(l.pos)
		return false
	}
	l.itemStart = base + end
	l.itemLine = l.line
	if copies && !newline && end == n && l.eof && l.chunkMax > 0 {
		m.CopyStream = true
		l.emit(m)
		l.emptyChunk(m)
		return false
	}
	if copies && !newline && end == n && l.eof {
		data := ""
		m.CopyData = &data
		m.Complete = false
		l.emit(m)
		return false
	}
	l.emit(m)
	if copies {
		l.pending = append(l.pending, len(l.out)-1)
	}
	if newline && len(l.pending) > 0 {
		l.startData(l.pos)
	}
	return false
}

// finish closes the input: the last statement, whitespace after the last
// item, and COPY statements whose data never came.
func (l *lexer[T]) finish() {
	end := l.base + len(l.buf)
	if l.segStart >= 0 && end > l.segStart && l.buf[end-1-l.base] == '\n' {
		// Inside a quote at the end: the last line's newline is not psql's.
		l.prefix = append(l.prefix, l.buf[l.segStart-l.base:end-1-l.base]...)
		l.segStart = -1
	}
	if l.partNonEmpty() || end > l.itemStart {
		nonEmpty := l.bufNonEmpty()
		endLine := l.line
		if end > l.itemStart && l.buf[end-1-l.base] == '\n' ||
			end == l.itemStart && l.chunkMax > 0 && l.endNL {
			// (A statement that went on after streamed data may hold no
			// bytes: its last byte ended the data or the cut item.)
			endLine--
		}
		l.emit(l.makeStmt(end, !nonEmpty, "", endLine))
	}
	if l.chunkMax > 0 && len(l.pending) > 0 {
		// Each COPY still waiting gets an empty last chunk, right after it.
		old := l.out
		pend := l.pending
		l.out = make([]Item, 0, len(old)-l.head+len(pend))
		for k := l.head; k < len(old); k++ {
			it := old[k]
			if len(pend) > 0 && pend[0] == k {
				pend = pend[1:]
				it.CopyStream = true
				l.emit(it)
				l.emptyChunk(it)
				continue
			}
			l.emit(it)
		}
		l.head = 0
		l.pending = nil
	}
	for _, idx := range l.pending {
		data := ""
		l.out[idx].CopyData = &data
		l.out[idx].Complete = false
	}
	l.pending = nil
	l.done = true
}
