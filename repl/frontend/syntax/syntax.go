package syntax

import (
	"strings"

	"github.com/safesql/safesql/analyze/lex"
	"github.com/safesql/safesql/analyze/split"
)

// Kind is what a token is drawn as.
type Kind uint8

// Token kinds. Plain covers whitespace, operators, punctuation, parameters
// ($1) and identifiers that are not keywords.
const (
	Plain       Kind = iota
	Keyword          // SELECT, FROM, ... (see Keywords)
	String           // 'x', E'x', N'x', B'x', X'x', U&'x', $tag$x$tag$
	Comment          // -- to the end of the line, /* */ nested
	Number           // 42, 1.5e-3, 0x1F, 1_000
	QuotedIdent      // "Name", U&"x"
	Meta             // a psql backslash command's name: \d, \set
	Variable         // psql variables: :name, :'name', :"name", :{?name}
	numKinds
)

// Token is a run of src[Start:End] drawn as Kind.
type Token struct {
	Kind       Kind
	Start, End int
}

// Options are the lexical settings the server decides.
type Options struct {
	// BackslashEscapes is standard_conforming_strings = off: a backslash
	// escapes the next character in '' literals too, not only in E''.
	BackslashEscapes bool
}

// Tokenize classifies all of src. Adjacent tokens of the same kind are
// not merged; the tokens cover src without gaps or overlaps.
func Tokenize(src string, opt Options) []Token {
	toks := make([]Token, 0, len(src)/3+1)
	for _, it := range split.Split(src) {
		switch it.Kind {
		case split.Meta:
			toks = metaTokens(toks, src, it.Start, it.End, opt)
		default:
			end := it.End
			if it.CopyData != nil && *it.CopyData != "" {
				// COPY ... FROM STDIN data is not SQL.
				if k := strings.Index(src[it.Start:it.End], *it.CopyData); k > 0 {
					end = it.Start + k
				}
			}
			toks, _ = sqlTokens(toks, src, it.Start, end, opt, false)
			if end < it.End {
				toks = append(toks, Token{Kind: Plain, Start: end, End: it.End})
			}
		}
	}
	return toks
}

// metaTokens lexes a Meta item: the whitespace and comments before the
// backslash as SQL, the command name as Meta, its arguments with their
// quotes and variables.
func metaTokens(toks []Token, src string, start, end int, opt Options) []Token {
	// sqlTokens stops at the backslash (or runs to the end).
	toks, bs := sqlTokens(toks, src, start, end, opt, true)
	if bs >= end {
		return toks
	}
	j := bs + 1
	for j < end && !lex.IsSpace(src[j]) && src[j] != '\\' {
		j++
	}
	if j == bs+1 && j < end && src[j] == '\\' {
		j++ // the "\\" separator
	}
	toks = append(toks, Token{Kind: Meta, Start: bs, End: j})
	return argTokens(toks, src, j, end)
}

// argTokens lexes a backslash command's arguments the way psql reads them:
// 'literals' (with backslash escapes), "quoted" words, `commands`,
// variables; a further backslash command on the same line is lexed as one.
func argTokens(toks []Token, src string, i, end int) []Token {
	plain := i
	flush := func(to int) {
		if to > plain {
			toks = append(toks, Token{Kind: Plain, Start: plain, End: to})
		}
	}
	for i < end {
		c := src[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			flush(i)
			j := lex.ArgQuoted(src, i, end)
			k := String
			if c == '"' {
				k = QuotedIdent
			}
			toks = append(toks, Token{Kind: k, Start: i, End: j})
			i, plain = j, j
		case c == ':':
			var st lex.State
			if k, j, _ := lex.Next(src[:end], i, &st, lex.Options{}, true); k == lex.Variable {
				flush(i)
				toks = append(toks, Token{Kind: Variable, Start: i, End: j})
				i, plain = j, j
				continue
			}
			i++
		case c == '\\':
			flush(i)
			j := i + 1
			for j < end && !lex.IsSpace(src[j]) && src[j] != '\\' {
				j++
			}
			if j == i+1 && j < end && src[j] == '\\' {
				j++
			}
			toks = append(toks, Token{Kind: Meta, Start: i, End: j})
			i, plain = j, j
		default:
			i++
		}
	}
	flush(end)
	return toks
}

// lexOptions are the tokenizer's options for opt.
func lexOptions(opt Options) lex.Options {
	return lex.Options{BackslashEscapes: opt.BackslashEscapes, JoinJunk: true}
}

// sqlTokens lexes src[i:end] as SQL. With stopAtBackslash it stops before
// a backslash outside quotes and comments (the start of a psql command)
// and returns where it stopped.
func sqlTokens(toks []Token, src string, i, end int, opt Options, stopAtBackslash bool) ([]Token, int) {
	plain := i
	add := func(k Kind, from, to int) {
		if from > plain {
			toks = append(toks, Token{Kind: Plain, Start: plain, End: from})
		}
		toks = append(toks, Token{Kind: k, Start: from, End: to})
		plain = to
	}
	lx := lex.NewLexer(src[:end], lex.State{}, lexOptions(opt))
	lx.Seek(i)
	for {
		t, ok := lx.Next()
		if !ok {
			break
		}
		switch t.Kind {
		case lex.LineComment, lex.Comment:
			add(Comment, t.Start, t.End)
		case lex.String, lex.EString, lex.UString, lex.Dollar:
			add(String, t.Start, t.End)
		case lex.QuotedIdent, lex.UIdent:
			add(QuotedIdent, t.Start, t.End)
		case lex.Variable:
			add(Variable, t.Start, t.End)
		case lex.Number:
			add(Number, t.Start, t.End)
		case lex.Word:
			if IsKeyword(src[t.Start:t.End]) {
				add(Keyword, t.Start, t.End)
			}
		case lex.Backslash:
			if stopAtBackslash {
				if t.Start > plain {
					toks = append(toks, Token{Kind: Plain, Start: plain, End: t.Start})
				}
				return toks, t.Start
			}
		}
	}
	if end > plain {
		toks = append(toks, Token{Kind: Plain, Start: plain, End: end})
	}
	return toks, end
}
