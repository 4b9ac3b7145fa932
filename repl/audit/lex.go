package audit

import "strings"

// A small, forgiving SQL lexer: just enough of PostgreSQL's and psql's
// lexical rules to know where literals, identifiers, comments and backslash
// lines start and end. It never fails: an unterminated literal or comment
// runs to the end of the input, which is what the server would see too, and
// keeps every byte of the input in exactly one token.

type kind uint8

const (
	kSpace    kind = iota
	kLineCmt       // -- to end of line
	kBlockCmt      // /* */, nested
	kWord          // identifier or keyword
	kQIdent        // "quoted identifier"
	kString        // 'x', E'x', N'x', B'x', X'x', U&'x'
	kDollar        // $tag$ x $tag$
	kNumber
	kParam // $1
	kPunct // any other single byte
	kMeta  // psql backslash command, to end of line
)

type token struct {
	kind       kind
	start, end int // the token in the source
	// body is the part between the delimiters for literals, quoted
	// identifiers and comments; closed says the closing delimiter is there.
	bodyStart, bodyEnd int
	closed             bool
	escapes            bool // E'' string: backslash escapes apply
	unicode            bool // U&'' string
}

func (t token) text(src string) string { return src[t.start:t.end] }
func (t token) body(src string) string { return src[t.bodyStart:t.bodyEnd] }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 0x80 || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

func isIdentCont(c byte) bool {
	return isIdentStart(c) || c == '$' || (c >= '0' && c <= '9')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lex splits src into tokens. meta says whether a backslash outside quotes
// starts a psql command (true for what the user typed, false inside function
// bodies and comments, where psql does not look).
func lex(src string, meta bool) []token {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		t := token{start: i}
		switch {
		case isSpace(c):
			j := i
			for j < len(src) && isSpace(src[j]) {
				j++
			}
			t.kind, t.end = kSpace, j
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			j := i + 2
			for j < len(src) && src[j] != '\n' {
				j++
			}
			t.kind, t.end, t.bodyStart, t.bodyEnd, t.closed = kLineCmt, j, i+2, j, true
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			t.kind = kBlockCmt
			t.bodyStart = i + 2
			depth, j := 1, i+2
			for j < len(src) && depth > 0 {
				switch {
				case src[j] == '/' && j+1 < len(src) && src[j+1] == '*':
					depth++
					j += 2
				case src[j] == '*' && j+1 < len(src) && src[j+1] == '/':
					depth--
					j += 2
				default:
					j++
				}
			}
			t.end = j
			t.closed = depth == 0
			t.bodyEnd = j
			if t.closed {
				t.bodyEnd = j - 2
			}
		case c == '\'':
			t.kind = kString
			t.end, t.closed = scanQuoted(src, i, '\'', false)
			t.bodyStart, t.bodyEnd = bodyOf(i+1, t.end, t.closed, 1)
		case c == '"':
			t.kind = kQIdent
			t.end, t.closed = scanQuoted(src, i, '"', false)
			t.bodyStart, t.bodyEnd = bodyOf(i+1, t.end, t.closed, 1)
		case c == '$' && i+1 < len(src) && isDigit(src[i+1]):
			j := i + 1
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			t.kind, t.end = kParam, j
		case c == '$':
			tagEnd, ok := dollarTag(src, i)
			if !ok {
				t.kind, t.end = kPunct, i+1
				break
			}
			tag := src[i:tagEnd]
			t.kind, t.bodyStart = kDollar, tagEnd
			if k := indexFrom(src, tag, tagEnd); k >= 0 {
				t.bodyEnd, t.end, t.closed = k, k+len(tag), true
			} else {
				t.bodyEnd, t.end = len(src), len(src)
			}
		case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
			j := i + 1
			for j < len(src) {
				d := src[j]
				if isDigit(d) || d == '_' || d == '.' || (d|0x20 >= 'a' && d|0x20 <= 'z') {
					j++
					continue
				}
				if (d == '+' || d == '-') && (src[j-1]|0x20 == 'e') && !isHexPrefixed(src[i:j]) {
					j++
					continue
				}
				break
			}
			t.kind, t.end = kNumber, j
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && isIdentCont(src[j]) {
				j++
			}
			w := src[i:j]
			switch {
			case j < len(src) && src[j] == '\'' && len(w) == 1 && (c|0x20 == 'e' || c|0x20 == 'n' || c|0x20 == 'b' || c|0x20 == 'x'):
				t.kind = kString
				t.escapes = c|0x20 == 'e'
				t.end, t.closed = scanQuoted(src, j, '\'', t.escapes)
				t.bodyStart, t.bodyEnd = bodyOf(j+1, t.end, t.closed, 1)
			case len(w) == 1 && c|0x20 == 'u' && j+1 < len(src) && src[j] == '&' && (src[j+1] == '\'' || src[j+1] == '"'):
				q := src[j+1]
				t.kind, t.unicode = kString, true
				if q == '"' {
					t.kind = kQIdent
				}
				t.end, t.closed = scanQuoted(src, j+1, q, false)
				t.bodyStart, t.bodyEnd = bodyOf(j+2, t.end, t.closed, 1)
			default:
				t.kind, t.end = kWord, j
			}
		case c == '\\' && meta:
			j := i
			for j < len(src) && src[j] != '\n' {
				j++
			}
			t.kind, t.end = kMeta, j
		default:
			t.kind, t.end = kPunct, i+1
		}
		toks = append(toks, t)
		i = t.end
	}
	return toks
}

func isHexPrefixed(s string) bool {
	return len(s) > 1 && s[0] == '0' && (s[1]|0x20 == 'x')
}

// scanQuoted scans a literal or quoted identifier opening at src[open]; a
// doubled quote stands for itself, and with escapes a backslash takes the
// next byte.
func scanQuoted(src string, open int, q byte, escapes bool) (end int, closed bool) {
	j := open + 1
	for j < len(src) {
		switch src[j] {
		case '\\':
			if escapes {
				j += 2
				continue
			}
		case q:
			if j+1 < len(src) && src[j+1] == q {
				j += 2
				continue
			}
			return j + 1, true
		}
		j++
	}
	return len(src), false
}

func bodyOf(start, end int, closed bool, closer int) (int, int) {
	if closed {
		end -= closer
	}
	if end < start {
		end = start
	}
	return start, end
}

// dollarTag reports where the opening $tag$ at src[i] ends.
func dollarTag(src string, i int) (int, bool) {
	j := i + 1
	if j < len(src) && src[j] == '$' {
		return j + 1, true
	}
	if j >= len(src) || !isIdentStart(src[j]) {
		return 0, false
	}
	for j < len(src) && src[j] != '$' {
		if !isIdentCont(src[j]) {
			return 0, false
		}
		j++
	}
	if j >= len(src) {
		return 0, false
	}
	return j + 1, true
}

func indexFrom(s, sub string, from int) int {
	if k := strings.Index(s[from:], sub); k >= 0 {
		return from + k
	}
	return -1
}
