// Package syntax tells the front ends how to colour the SQL being typed:
// keywords, literals (dollar-quoted ones included), comments, numbers,
// quoted identifiers, psql backslash commands and psql variables.
//
// Where statements and backslash commands begin and end is analyze/split's
// answer (psql's own rules: quotes, dollar quotes, nested comments, the
// "\\" separator, COPY FROM STDIN data); this package only classifies the
// tokens inside them. It never fails and keeps every byte of the input in
// exactly one token: an unterminated literal or comment runs to the end.
package syntax

import (
	"strings"

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
	for j < end && !isSpace(src[j]) && src[j] != '\\' {
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
			j, _ := scanQuoted(src, i, end, c, c == '\'')
			k := String
			if c == '"' {
				k = QuotedIdent
			}
			toks = append(toks, Token{Kind: k, Start: i, End: j})
			i, plain = j, j
		case c == ':':
			if j := variable(src, i, end); j > i {
				flush(i)
				toks = append(toks, Token{Kind: Variable, Start: i, End: j})
				i, plain = j, j
				continue
			}
			i++
		case c == '\\':
			flush(i)
			j := i + 1
			for j < end && !isSpace(src[j]) && src[j] != '\\' {
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

// sqlTokens lexes src[i:end] as SQL. With stopAtBackslash it stops before
// a backslash outside quotes and comments (the start of a psql command)
// and returns where it stopped.
func sqlTokens(toks []Token, src string, i, end int, opt Options, stopAtBackslash bool) ([]Token, int) {
	plain := i
	flush := func(to int) {
		if to > plain {
			toks = append(toks, Token{Kind: Plain, Start: plain, End: to})
		}
	}
	add := func(k Kind, from, to int) {
		flush(from)
		toks = append(toks, Token{Kind: k, Start: from, End: to})
		i, plain = to, to
	}
	for i < end {
		c := src[i]
		var d byte
		if i+1 < end {
			d = src[i+1]
		}
		switch {
		case c == '-' && d == '-':
			j := i + 2
			for j < end && src[j] != '\n' && src[j] != '\r' {
				j++
			}
			add(Comment, i, j)
		case c == '/' && d == '*':
			add(Comment, i, blockComment(src, i, end))
		case c == '\'':
			j, _ := scanQuoted(src, i, end, '\'', opt.BackslashEscapes)
			add(String, i, j)
		case c == '"':
			j, _ := scanQuoted(src, i, end, '"', false)
			add(QuotedIdent, i, j)
		case c == '$' && isDigit(d):
			i += 2
			for i < end && isDigit(src[i]) {
				i++
			}
		case c == '$' && (d == '$' || isIdentStart(d)):
			j := i + 1
			for j < end && isDolqCont(src[j]) {
				j++
			}
			if j < end && src[j] == '$' {
				tag := src[i : j+1]
				k := strings.Index(src[j+1:end], tag)
				if k < 0 {
					add(String, i, end)
				} else {
					add(String, i, j+1+k+len(tag))
				}
				continue
			}
			i++ // not a dollar quote: only the '$'
		case c == ':' && d == ':':
			i += 2 // a cast
		case c == ':':
			if j := variable(src, i, end); j > i {
				add(Variable, i, j)
				continue
			}
			i++
		case c == '\\' && stopAtBackslash:
			flush(i)
			return toks, i
		case isDigit(c) || c == '.' && isDigit(d):
			add(Number, i, number(src, i, end))
		case isIdentStart(c):
			j := i + 1
			for j < end && isIdentCont(src[j]) {
				j++
			}
			if j < end && j == i+1 && src[j] == '\'' && strings.IndexByte("eEnNbBxX", c) >= 0 {
				k, _ := scanQuoted(src, j, end, '\'', opt.BackslashEscapes || c|0x20 == 'e')
				add(String, i, k)
				continue
			}
			if j == i+1 && c|0x20 == 'u' && j+1 < end && src[j] == '&' && (src[j+1] == '\'' || src[j+1] == '"') {
				k, _ := scanQuoted(src, j+1, end, src[j+1], false)
				kind := String
				if src[j+1] == '"' {
					kind = QuotedIdent
				}
				add(kind, i, k)
				continue
			}
			if IsKeyword(src[i:j]) {
				add(Keyword, i, j)
				continue
			}
			i = j
		case c == '.' && d == '.':
			i += 2
		default:
			i++
		}
	}
	flush(end)
	return toks, end
}

// variable returns the end of the psql variable reference at src[i] (a
// ':'), or i when there is none: :name, :'name', :"name", :{?name}.
func variable(src string, i, end int) int {
	j := i + 1
	if j >= end {
		return i
	}
	switch c := src[j]; {
	case c == '\'' || c == '"':
		k := j + 1
		for k < end && isVarChar(src[k]) {
			k++
		}
		if k > j+1 && k < end && src[k] == c {
			return k + 1
		}
		return i
	case c == '{' && j+1 < end && src[j+1] == '?':
		k := j + 2
		for k < end && isVarChar(src[k]) {
			k++
		}
		if k > j+2 && k < end && src[k] == '}' {
			return k + 1
		}
		return i
	case isVarChar(c):
		k := j + 1
		for k < end && isVarChar(src[k]) {
			k++
		}
		return k
	}
	return i
}

// blockComment returns the end of the /* */ comment at src[i], nested
// comments included; the end of input when it is not closed.
func blockComment(src string, i, end int) int {
	depth, j := 1, i+2
	for j < end && depth > 0 {
		switch {
		case src[j] == '/' && j+1 < end && src[j+1] == '*':
			depth++
			j += 2
		case src[j] == '*' && j+1 < end && src[j+1] == '/':
			depth--
			j += 2
		default:
			j++
		}
	}
	return j
}

// scanQuoted scans the literal or quoted name opening at src[open]: a
// doubled quote stands for itself, and with escapes a backslash takes the
// next byte. It returns the end (of input, when not closed).
func scanQuoted(src string, open, end int, q byte, escapes bool) (int, bool) {
	j := open + 1
	for j < end {
		switch src[j] {
		case '\\':
			if escapes {
				j += 2
				continue
			}
		case q:
			if j+1 < end && src[j+1] == q {
				j += 2
				continue
			}
			return j + 1, true
		}
		j++
	}
	return end, false
}

// number returns the end of the numeric literal at src[i]: decimal with
// optional fraction and exponent, 0x/0o/0b integers, '_' separators.
func number(src string, i, end int) int {
	j := i
	if src[j] == '0' && j+2 < end && strings.IndexByte("xXoObB", src[j+1]) >= 0 && isAlnum(src[j+2]) {
		j += 2
		for j < end && (isAlnum(src[j]) || src[j] == '_') {
			j++
		}
		return j
	}
	digits := func() {
		for j < end && (isDigit(src[j]) || src[j] == '_' && j+1 < end && isDigit(src[j+1])) {
			j++
		}
	}
	digits()
	if j < end && src[j] == '.' && !(j+1 < end && src[j+1] == '.') {
		j++
		digits()
	}
	if j < end && src[j]|0x20 == 'e' {
		k := j + 1
		if k < end && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < end && isDigit(src[k]) {
			j = k
			digits()
		}
	}
	return j
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' }
func isIdentStart(c byte) bool {
	return c == '_' || c >= 0x80 || c|0x20 >= 'a' && c|0x20 <= 'z'
}
func isIdentCont(c byte) bool { return isIdentStart(c) || isDigit(c) || c == '$' }
func isVarChar(c byte) bool   { return isIdentStart(c) || isDigit(c) }
func isDolqCont(c byte) bool  { return isIdentStart(c) || isDigit(c) }
