package split

import (
	"strings"

	"github.com/safesql/safesql/analyze/lex"
)

// Interpolate replaces psql variable references in one statement's SQL,
// outside quotes, comments and dollar quotes, as psql's lexer does:
//
//	:name     the value, lexed again (so it may itself hold references)
//	:'name'   the value as a SQL literal (PQescapeLiteral: '' doubling, and
//	          " E'...'" with doubled backslashes when it holds a backslash)
//	:"name"   the value as a quoted identifier
//	:{?name}  TRUE or FALSE: whether name is defined
//
// An undefined variable, and a variable referring to itself, leave the
// reference untouched; "::" is a cast. Split has already turned "\:" into
// ":", so a reference written "\:name" in the script is expanded here; psql
// would not.
func Interpolate(sql string, lookup func(name string) (value string, ok bool)) string {
	if strings.IndexByte(sql, ':') < 0 || lookup == nil {
		return sql
	}
	type source struct {
		s    string
		i    int
		name string
	}
	var out strings.Builder
	out.Grow(len(sql) + 16)
	stack := []source{{s: sql}}
	var st lex.State // carried from a variable's value to the text after it, as psql does
	active := func(name string) bool {
		for _, s := range stack {
			if s.name == name {
				return true
			}
		}
		return false
	}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		s := top.s
		i := top.i
		if i >= len(s) {
			stack = stack[:len(stack)-1]
			continue
		}
		var j int // end of the token copied as is
		if st.Mode != lex.Initial {
			wasE := st.Mode == lex.InEQuote
			var stop lex.Stop
			j, stop = lex.Body(s, i, &st, true)
			if stop == lex.Closed && wasE {
				if k, ok, _ := lex.QuoteContinue(s, j, true); ok {
					st.Mode = lex.InEQuote
					j = k
				}
			}
			out.WriteString(s[i:j])
			top.i = j
			continue
		}
		var k lex.Kind
		k, j, _ = lex.Next(s, i, &st, lex.Options{}, true)
		if k == lex.Variable {
			switch d := s[i+1]; d {
			case '\'', '"':
				// undefined: copied as is, not lexed as a quote
				if v, ok := lookup(s[i+2 : j-1]); ok {
					if d == '\'' {
						out.WriteString(quoteLiteral(v))
					} else {
						out.WriteString(quoteIdent(v))
					}
					top.i = j
					continue
				}
			case '{':
				if _, ok := lookup(s[i+3 : j-1]); ok {
					out.WriteString("TRUE")
				} else {
					out.WriteString("FALSE")
				}
				top.i = j
				continue
			default:
				name := s[i+1 : j]
				if v, ok := lookup(name); ok && !active(name) {
					top.i = j
					stack = append(stack, source{s: v, name: name})
					continue
				}
			}
		}
		out.WriteString(s[i:j])
		top.i = j
	}
	return out.String()
}

// quoteLiteral quotes v as PQescapeLiteral does.
func quoteLiteral(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 4)
	if strings.IndexByte(v, '\\') >= 0 {
		b.WriteString(" E")
	}
	b.WriteByte('\'')
	for i := 0; i < len(v); i++ {
		if v[i] == '\'' || v[i] == '\\' {
			b.WriteByte(v[i])
		}
		b.WriteByte(v[i])
	}
	b.WriteByte('\'')
	return b.String()
}

// quoteIdent quotes v as PQescapeIdentifier does.
func quoteIdent(v string) string {
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}
