package lex

// What the tests read tokens with; the program reads offsets.

// Text is the token's text in src.
func (t Token) Text(src string) string { return src[t.Start:t.End] }

// Body is the token's body in src.
func (t Token) Body(src string) string { return src[t.BodyStart:t.BodyEnd] }

// Tokens lexes all of src from plain SQL.
func Tokens(src string, opt Options) []Token {
	l := NewLexer(src, State{}, opt)
	toks := make([]Token, 0, len(src)/4+1)
	for {
		t, ok := l.Next()
		if !ok {
			return toks
		}
		toks = append(toks, t)
	}
}

var kindNames = [...]string{"Space", "Newline", "LineComment", "Comment", "String", "EString", "UString",
	"QuotedIdent", "UIdent", "Dollar", "Word", "Number", "Param", "Variable", "Cast", "DotDot", "Backslash", "Op"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(?)"
}
