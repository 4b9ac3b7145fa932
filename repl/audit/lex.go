package audit

import (
	"strings"

	sqllex "github.com/safesql/safesql/analyze/lex"
)

// The redactor reads SQL through analyze/lex, the project's one tokenizer:
// this file turns its tokens into the few kinds the redactor tells apart.
// It never fails: an unterminated literal or comment runs to the end of
// the input, which is what the server would see too, and every byte of
// the input is in exactly one token.

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

// isSpace is whitespace in a backslash command's arguments and in
// connection strings ('\v' included).
func isSpace(c byte) bool { return sqllex.IsSpace(c) || c == '\v' }

// lex splits src into tokens. meta says whether a backslash outside quotes
// starts a psql command (true for what the user typed, false inside function
// bodies and comments, where psql does not look). A psql variable is its
// ':' and what follows, lexed as SQL (the redactor looks at the name or
// literal after the ':'); "::" and ".." are two punctuation bytes; a number
// takes the identifier characters right after it (0x1F, 1_000).
func lex(src string, meta bool) []token {
	var toks []token
	single := func(k kind, i int) {
		toks = append(toks, token{kind: k, start: i, end: i + 1, bodyStart: i + 1, bodyEnd: i + 1})
	}
	lx := sqllex.NewLexer(src, sqllex.State{}, sqllex.Options{JoinJunk: true})
	for {
		t, ok := lx.Next()
		if !ok {
			return toks
		}
		tk := token{start: t.Start, end: t.End, bodyStart: t.BodyStart, bodyEnd: t.BodyEnd, closed: t.Closed}
		switch t.Kind {
		case sqllex.Space, sqllex.Newline:
			tk.kind = kSpace
		case sqllex.LineComment:
			tk.kind = kLineCmt
		case sqllex.Comment:
			tk.kind = kBlockCmt
		case sqllex.String:
			tk.kind = kString
		case sqllex.EString:
			tk.kind, tk.escapes = kString, true
		case sqllex.UString:
			tk.kind, tk.unicode = kString, true
		case sqllex.QuotedIdent:
			tk.kind = kQIdent
		case sqllex.UIdent:
			tk.kind, tk.unicode = kQIdent, true
		case sqllex.Dollar:
			tk.kind = kDollar
		case sqllex.Number:
			tk.kind = kNumber
		case sqllex.Param:
			tk.kind = kParam
		case sqllex.Word:
			tk.kind = kWord
		case sqllex.Variable:
			single(kPunct, t.Start)
			for _, v := range lex(src[t.Start+1:t.End], false) {
				v.start, v.end = v.start+t.Start+1, v.end+t.Start+1
				v.bodyStart, v.bodyEnd = v.bodyStart+t.Start+1, v.bodyEnd+t.Start+1
				toks = append(toks, v)
			}
			continue
		case sqllex.Cast, sqllex.DotDot:
			single(kPunct, t.Start)
			single(kPunct, t.Start+1)
			continue
		case sqllex.Backslash:
			if !meta {
				tk.kind = kPunct
				break
			}
			end := len(src)
			if k := strings.IndexByte(src[t.Start:], '\n'); k >= 0 {
				end = t.Start + k
			}
			tk.kind, tk.end, tk.bodyStart, tk.bodyEnd = kMeta, end, end, end
			lx.Seek(end)
		default: // operators and punctuation; the "u" of "u&" without a quote
			switch c := src[t.Start]; {
			case c == '\v':
				tk.kind = kSpace
			case sqllex.IsIdentStart(c):
				tk.kind = kWord
			default:
				tk.kind = kPunct
			}
		}
		if n := len(toks); tk.kind == kSpace && n > 0 && toks[n-1].kind == kSpace {
			toks[n-1].end, toks[n-1].bodyStart, toks[n-1].bodyEnd = tk.end, tk.end, tk.end
			continue
		}
		toks = append(toks, tk)
	}
}
