package syntax

import (
	"strings"

	"github.com/safesql/safesql/analyze/lex"
	"github.com/safesql/safesql/analyze/split"
)

// State is where the lexer stands at the end of some text: in plain SQL,
// or inside a literal, quoted name, block comment or dollar quote left
// open. It lets a long entry be lexed a line at a time: the text before a
// line is replaced by a few bytes (Prefix) that leave the lexer in the
// same place. The zero State is plain SQL.
type State struct {
	prefix string
}

// Prefix is text that leaves the lexer in s: "" in plain SQL, else the
// opening of what is open ("'", "E'", "\"", "/*/*", "$body$").
func (s State) Prefix() string { return s.prefix }

// Scan lexes line from state s (line ends with the "\n" that ends it, or
// is the end of the text). It returns the state after line, and whether
// line holds a ';' in plain SQL: where a statement can end. A backslash
// command ends at the end of its line, so after one the state is plain
// SQL. Scan costs time in proportion to line and s's prefix.
func Scan(s State, line string, opt Options) (State, bool) {
	src := s.prefix + line
	base := len(s.prefix)
	toks := Tokenize(src, opt)
	semi := false
	for _, t := range toks {
		if t.Kind == Plain && t.End > base && strings.IndexByte(src[max(t.Start, base):t.End], ';') >= 0 {
			semi = true
		}
	}
	items := split.Split(src)
	if len(toks) == 0 || len(items) == 0 || items[len(items)-1].Kind == split.Meta {
		return State{}, semi
	}
	last := toks[len(toks)-1]
	return State{prefix: open(src[last.Start:], last.Kind, opt)}, semi
}

// open is the opening of tok (of kind k, running to the end of the text)
// when it is not closed, "" when it is.
func open(tok string, k Kind, opt Options) string {
	if k != String && k != QuotedIdent && k != Comment {
		return ""
	}
	lx := lex.NewLexer(tok, lex.State{}, lexOptions(opt))
	t, ok := lx.Next()
	if !ok || t.Closed {
		return ""
	}
	if t.Kind == lex.Comment {
		return strings.Repeat("/*", lx.State().Depth+1)
	}
	return tok[:t.BodyStart]
}
