package lex

// Text is the input of the stream layer: a string, or a []byte window.
type Text interface{ ~string | ~[]byte }

// Kind is what a token is.
type Kind uint8

// Token kinds.
const (
	Space       Kind = iota // a run of ' ', '\t', '\r', '\f'
	Newline                 // one '\n'
	LineComment             // "--" up to a '\n' or '\r' (not included)
	Comment                 // /* */, nested
	String                  // '...', B'...', X'...', N'...' (with escapes when standard_conforming_strings is off)
	EString                 // E'...': backslash escapes
	UString                 // U&'...'
	QuotedIdent             // "..."
	UIdent                  // U&"..."
	Dollar                  // $tag$...$tag$
	Word                    // identifier or keyword
	Number                  // 42, 1.5e-3, .5 (psql 15's rules: one trailing identifier character is eaten as junk)
	Param                   // $1
	Variable                // psql variable: :name, :'name', :"name", :{?name}
	Cast                    // ::
	DotDot                  // ..
	Backslash               // '\' outside quotes: a psql backslash command (or "\;", "\:") starts
	Op                      // any other byte: operators, punctuation; also the "u" of "u&" not followed by a quote
)

// Mode is where the lexer stands: in plain SQL or inside something open.
type Mode uint8

// Modes (psqlscan.l's INITIAL, xc, xq, xe, xd, xdolq).
const (
	Initial Mode = iota
	InComment
	InQuote  // '...' without backslash escapes (B'', X'', U&'', and '' when standard_conforming_strings is on)
	InEQuote // E'...', and '' when standard_conforming_strings is off
	InDQuote // "..." and U&"..."
	InDollar // $tag$...$tag$
)

// State is what the lexer carries from one piece of input to the next.
// The zero State is plain SQL.
type State struct {
	Mode  Mode
	Depth int    // InComment: how many /* are open beyond the first
	Tag   string // InDollar: the opening $tag$
}

// Options are the lexical settings the server decides.
type Options struct {
	// BackslashEscapes is standard_conforming_strings = off: a plain '...'
	// literal (and N'...') treats backslash as an escape, as E'...' does.
	BackslashEscapes bool
	// JoinJunk (Lexer only) makes a number and the identifier characters
	// right after it one Number token: PostgreSQL 16's 0x1F, 0o17, 0b101
	// and 1_000, and what PostgreSQL 15 rejects as trailing junk (1abc).
	// Without it, a Number takes one junk character, as psql 15 lexes.
	JoinJunk bool
}

// Character classes (psqlscan.l's).

// IsSpace reports whether c is whitespace to the lexer.
func IsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// IsDigit reports whether c is a decimal digit.
func IsDigit(c byte) bool { return c >= '0' && c <= '9' }

// HexValue is the value of a hexadecimal digit (0-9, a-f, A-F), or -1.
func HexValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// IsIdentStart reports whether c can start an identifier (any non-ASCII
// byte can).
func IsIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

// IsIdentCont reports whether c can continue an identifier.
func IsIdentCont(c byte) bool { return IsIdentStart(c) || IsDigit(c) || c == '$' }

// IsVarChar reports whether c can be in a psql variable's name (and in a
// dollar quote's tag).
func IsVarChar(c byte) bool { return IsIdentStart(c) || IsDigit(c) }

// WordEnd is the end of the run of identifier characters at b[i]. A Word
// that ends before the window's end and is not one letter before a quote
// or '&' (a literal's prefix) is the Word Next would return: callers that
// lex many words may take it without calling Next.
func WordEnd[T Text](b T, i int) int {
	for i < len(b) && IsIdentCont(b[i]) {
		i++
	}
	return i
}

// IsOpByte reports whether c is an Op token of one byte whatever follows
// it (Next would return Op and the next index): callers that lex much
// punctuation may take it without calling Next.
func IsOpByte(c byte) bool {
	switch c {
	case '(', ')', ',', ';', '=', '<', '>', '+', '*', '[', ']', '|', '&', '!', '~', '@', '#', '%', '^', '`', '?', '{', '}':
		return true
	}
	return false
}

// Next lexes the token at b[i] in plain SQL (st.Mode is Initial), i < len(b).
// It returns the token's kind and end. A String, EString, UString,
// QuotedIdent, UIdent, Comment or Dollar token is only its opening ("'",
// "E'", "U&\"", "/*", "$tag$"): Next sets st to the inside, which Body
// lexes. When the token may go on past the window and eof is false, more
// is true and nothing else is meaningful: call again with more input.
func Next[T Text](b T, i int, st *State, opt Options, eof bool) (k Kind, end int, more bool) {
	n := len(b)
	c := b[i]
	switch {
	case c == ' ' || c == '\t' || c == '\r' || c == '\f':
		j := i + 1
		for j < n && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r' || b[j] == '\f') {
			j++
		}
		if j >= n && !eof {
			return Space, j, true
		}
		return Space, j, false
	case c == '\n':
		return Newline, i + 1, false
	case IsIdentStart(c):
		j := i + 1
		for j < n && IsIdentCont(b[j]) {
			j++
		}
		if j >= n && !eof {
			return Word, j, true
		}
		if j-i == 1 && j < n {
			switch c {
			case 'e', 'E':
				if b[j] == '\'' {
					st.Mode = InEQuote
					return EString, j + 1, false
				}
			case 'b', 'B', 'x', 'X':
				if b[j] == '\'' {
					st.Mode = InQuote
					return String, j + 1, false
				}
			case 'n', 'N':
				if b[j] == '\'' {
					st.Mode = plainQuote(opt)
					return String, j + 1, false
				}
			case 'u', 'U':
				if b[j] == '&' {
					if j+1 >= n && !eof {
						return Word, j, true
					}
					if j+1 < n && b[j+1] == '\'' {
						st.Mode = InQuote
						return UString, j + 2, false
					}
					if j+1 < n && b[j+1] == '"' {
						st.Mode = InDQuote
						return UIdent, j + 2, false
					}
					return Op, j, false // psql's xufailed: "u" is not an identifier
				}
			}
		}
		return Word, j, false
	case IsDigit(c):
		j, m := number(b, i, eof)
		return Number, j, m
	case c == '\'':
		st.Mode = plainQuote(opt)
		return String, i + 1, false
	case c == '"':
		st.Mode = InDQuote
		return QuotedIdent, i + 1, false
	case c == '-' || c == '/' || c == '\\' || c == ':' || c == '.' || c == '$':
		if i+1 >= n && !eof {
			return Op, i + 1, true
		}
		var d byte
		if i+1 < n {
			d = b[i+1]
		}
		switch {
		case c == '-' && d == '-':
			j := i + 2
			for j < n && b[j] != '\n' && b[j] != '\r' {
				j++
			}
			return LineComment, j, j >= n && !eof
		case c == '/' && d == '*':
			st.Mode = InComment
			st.Depth = 0
			return Comment, i + 2, false
		case c == '\\':
			return Backslash, i + 1, false
		case c == ':' && d == ':':
			return Cast, i + 2, false
		case c == ':' && i+1 < n:
			return variable(b, i, eof)
		case c == '.' && d == '.':
			return DotDot, i + 2, false
		case c == '.' && IsDigit(d):
			j, m := number(b, i, eof)
			return Number, j, m
		case c == '$' && IsDigit(d):
			// parameter $n (plus psql 15's one-character junk rule)
			j := i + 2
			for j < n && IsDigit(b[j]) {
				j++
			}
			if j >= n && !eof {
				return Param, j, true
			}
			if j < n && IsIdentStart(b[j]) {
				j++
			}
			return Param, j, false
		case c == '$' && (d == '$' || IsIdentStart(d)):
			j := i + 1
			for j < n && IsVarChar(b[j]) {
				j++
			}
			if j >= n && !eof {
				return Dollar, j, true
			}
			if j < n && b[j] == '$' {
				st.Mode = InDollar
				st.Tag = string(b[i : j+1])
				return Dollar, j + 1, false
			}
			return Op, i + 1, false // psql's dolqfailed: only the '$'; the rest is lexed again
		}
		return Op, i + 1, false
	}
	return Op, i + 1, false
}

func plainQuote(opt Options) Mode {
	if opt.BackslashEscapes {
		return InEQuote
	}
	return InQuote
}

// variable lexes the ':' at b[i] (not "::"): a psql variable reference,
// or the ':' alone.
func variable[T Text](b T, i int, eof bool) (Kind, int, bool) {
	n := len(b)
	j := i + 1
	c := b[j]
	switch {
	case IsVarChar(c):
		k := j + 1
		for k < n && IsVarChar(b[k]) {
			k++
		}
		return Variable, k, k >= n && !eof
	case c == '\'' || c == '"':
		k := j + 1
		for k < n && IsVarChar(b[k]) {
			k++
		}
		if k >= n && !eof {
			return Variable, k, true
		}
		if k > j+1 && k < n && b[k] == c {
			return Variable, k + 1, false
		}
	case c == '{':
		if j+1 >= n && !eof {
			return Variable, j + 1, true
		}
		if j+1 < n && b[j+1] == '?' {
			k := j + 2
			for k < n && IsVarChar(b[k]) {
				k++
			}
			if k >= n && !eof {
				return Variable, k, true
			}
			if k > j+2 && k < n && b[k] == '}' {
				return Variable, k + 1, false
			}
		}
	}
	return Op, i + 1, false
}

// number returns the end of the numeric literal at i (psql 15 rules,
// trailing-junk character included) or more when the window is too short.
func number[T Text](b T, i int, eof bool) (int, bool) {
	n := len(b)
	j := i
	for j < n && IsDigit(b[j]) {
		j++
	}
	if j >= n {
		return j, !eof
	}
	if b[j] == '.' {
		if j+1 >= n && !eof {
			return j, true
		}
		if j+1 < n && b[j+1] == '.' {
			return j, false // 1..2: integer, then ".."
		}
		j++
		for j < n && IsDigit(b[j]) {
			j++
		}
		if j >= n {
			return j, !eof
		}
	}
	if b[j] == 'e' || b[j] == 'E' {
		if j+2 >= n && !eof {
			return j, true
		}
		switch {
		case j+1 < n && IsDigit(b[j+1]):
			j += 2
		case j+2 < n && (b[j+1] == '+' || b[j+1] == '-') && IsDigit(b[j+2]):
			j += 3
		case j+1 < n && (b[j+1] == '+' || b[j+1] == '-'):
			return j, false // realfail: the e is lexed again
		default:
			return j + 1, false // junk: the e is eaten
		}
		for j < n && IsDigit(b[j]) {
			j++
		}
		if j >= n {
			return j, !eof
		}
	}
	if IsIdentStart(b[j]) {
		j++
	}
	return j, false
}

// Stop is why Body stopped.
type Stop uint8

// Body's stops.
const (
	Closed  Stop = iota // at the end of the closing delimiter; the State is Initial again
	NewLine             // just past a '\n' inside; the State is unchanged
	More                // at the end of the window (or before bytes it must see together); call again with more input
	End                 // at the end of the input, still open
)

// Body lexes the inside of what st has open, from b[i]. For InEQuote, a
// backslash takes the next byte (a newline so taken stops too, just past
// it). A doubled quote in '...' stands for itself; in "..." it closes and
// reopens (Body stops at the first '"').
func Body[T Text](b T, i int, st *State, eof bool) (int, Stop) {
	n := len(b)
	switch st.Mode {
	case InComment:
		for i < n {
			c := b[i]
			switch c {
			case '\n':
				return i + 1, NewLine
			case '*', '/':
				if i+1 >= n {
					if !eof {
						return i, More
					}
					i++
					continue
				}
				if c == '*' && b[i+1] == '/' {
					i += 2
					if st.Depth == 0 {
						st.Mode = Initial
						return i, Closed
					}
					st.Depth--
					continue
				}
				if c == '/' && b[i+1] == '*' {
					st.Depth++
					i += 2
					continue
				}
			}
			i++
		}
	case InQuote:
		for i < n {
			c := b[i]
			if c == '\'' {
				if i+1 >= n && !eof {
					return i, More
				}
				if i+1 < n && b[i+1] == '\'' {
					i += 2
					continue
				}
				st.Mode = Initial
				return i + 1, Closed
			}
			i++
			if c == '\n' {
				return i, NewLine
			}
		}
	case InEQuote:
		for i < n {
			c := b[i]
			switch c {
			case '\\':
				if i+1 >= n {
					if !eof {
						return i, More
					}
					i++
					continue
				}
				i += 2
				if b[i-1] == '\n' {
					return i, NewLine
				}
				continue
			case '\'':
				if i+1 >= n && !eof {
					return i, More
				}
				if i+1 < n && b[i+1] == '\'' {
					i += 2
					continue
				}
				st.Mode = Initial
				return i + 1, Closed
			case '\n':
				return i + 1, NewLine
			}
			i++
		}
	case InDQuote:
		for i < n {
			c := b[i]
			i++
			if c == '"' {
				st.Mode = Initial
				return i, Closed
			}
			if c == '\n' {
				return i, NewLine
			}
		}
	case InDollar:
		tag := st.Tag
		for i < n {
			c := b[i]
			if c == '$' {
				if n-i < len(tag) && !eof {
					return i, More
				}
				if n-i >= len(tag) && string(b[i:i+len(tag)]) == tag {
					st.Mode = Initial
					st.Tag = ""
					return i + len(tag), Closed
				}
			}
			i++
			if c == '\n' {
				return i, NewLine
			}
		}
	default:
		return i, Closed
	}
	if !eof {
		return n, More
	}
	return n, End
}

// QuoteContinue matches psql's {quotecontinue} after the closing quote of
// an E'...' literal, from b[j] within one line: horizontal whitespace or
// "--" comments, a CR, more of them, then a quote, which continues the
// literal (ok, and k is past that quote). more: the window is too short.
func QuoteContinue[T Text](b T, j int, eof bool) (k int, ok, more bool) {
	n := len(b)
	sawCR := false
	for {
		if j >= n {
			return 0, false, !eof
		}
		c := b[j]
		switch {
		case c == ' ' || c == '\t' || c == '\f':
			j++
		case c == '\r':
			sawCR = true
			j++
		case c == '-':
			if j+1 >= n {
				return 0, false, !eof
			}
			if b[j+1] != '-' {
				return 0, false, false
			}
			j += 2
			for j < n && b[j] != '\n' && b[j] != '\r' {
				j++
			}
			if j >= n {
				return 0, false, !eof
			}
			if b[j] != '\r' {
				return 0, false, false
			}
		case c == '\'' && sawCR:
			return j + 1, true, false
		default:
			return 0, false, false
		}
	}
}

// ArgQuoted returns the end of the quoted argument of a psql backslash
// command that opens at b[open] (a quote, a double quote or a backquote)
// on a line that ends at e, by psqlscanslash.l's rules, which are not
// SQL's: in '...' a backslash takes the next byte and a doubled quote stands for
// one; "..." and `...` end at the next such quote. Unclosed, it runs to e.
func ArgQuoted[T Text](b T, open, e int) int {
	q := b[open]
	k := open + 1
	for k < e {
		c := b[k]
		switch {
		case c == '\\' && q == '\'':
			k += 2
			continue
		case c == q:
			if q == '\'' && k+1 < e && b[k+1] == '\'' {
				k += 2
				continue
			}
			return k + 1
		}
		k++
	}
	return e
}
