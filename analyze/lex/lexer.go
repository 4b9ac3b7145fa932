package lex

// Token is a token of a whole string: src[Start:End]. For a literal, a
// quoted identifier, a comment or a dollar quote, src[BodyStart:BodyEnd]
// is what stands between the delimiters, and Closed says the closing
// delimiter is there (a line comment is always Closed).
type Token struct {
	Kind               Kind
	Start, End         int
	BodyStart, BodyEnd int
	Closed             bool
}

// Lexer walks a whole string token by token. Its tokens cover the string
// without gaps or overlaps.
type Lexer struct {
	src string
	pos int
	st  State
	opt Options
}

// NewLexer returns a Lexer of src that starts in st: inside a literal,
// quoted identifier, comment or dollar quote left open by earlier text
// (the first token is then the rest of it), or in plain SQL.
func NewLexer(src string, st State, opt Options) *Lexer {
	return &Lexer{src: src, st: st, opt: opt}
}

// State is the lexer's state where it stands: after a token left open at
// the end of the input, inside it; else plain SQL.
func (l *Lexer) State() State { return l.st }

// Seek makes the lexer go on at pos in plain SQL (for callers that read
// some text themselves, as a backslash command's line).
func (l *Lexer) Seek(pos int) {
	l.pos = min(max(pos, 0), len(l.src))
	l.st = State{}
}

// Next returns the next token, or false at the end of the input.
func (l *Lexer) Next() (Token, bool) {
	src := l.src
	if l.pos >= len(src) {
		return Token{}, false
	}
	t := Token{Start: l.pos}
	if l.st.Mode == Initial {
		k, end, _ := Next(src, l.pos, &l.st, l.opt, true)
		t.Kind, t.End = k, end
		if k == Number && l.opt.JoinJunk {
			for end < len(src) {
				var peek State
				k2, e2, _ := Next(src, end, &peek, l.opt, true)
				if k2 != Number && k2 != Word || peek.Mode != Initial {
					break
				}
				end = e2
			}
			t.End = end
		}
		if l.st.Mode == Initial {
			t.BodyStart, t.BodyEnd, t.Closed = t.End, t.End, true
			if k == LineComment {
				t.BodyStart = t.Start + 2
			}
			l.pos = t.End
			return t, true
		}
	} else {
		t.Kind = openKind[l.st.Mode]
		t.End = l.pos
	}
	t.BodyStart = t.End
	closer := 1
	switch l.st.Mode {
	case InComment:
		closer = 2
	case InDollar:
		closer = len(l.st.Tag)
	}
	i := t.End
	for {
		j, stop := Body(src, i, &l.st, true)
		i = j
		if stop == NewLine {
			continue
		}
		if stop == Closed && t.Kind != Dollar && t.Kind != Comment && i > 0 && src[i-1] == '"' && i < len(src) && src[i] == '"' {
			// "" in a quoted identifier stands for '"'.
			l.st.Mode = InDQuote
			i++
			continue
		}
		t.End, t.BodyEnd = i, i
		if stop == Closed {
			t.Closed = true
			t.BodyEnd = i - closer
		}
		break
	}
	l.pos = t.End
	return t, true
}

var openKind = [...]Kind{Initial: Op, InComment: Comment, InQuote: String, InEQuote: EString, InDQuote: QuotedIdent, InDollar: Dollar}
