package split

import "strings"

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
	m := mInitial
	xcDepth := 0
	tag := ""
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
		n := len(s)
		c := s[i]
		j := i + 1 // end of the token copied as is
		switch m {
		case mComment:
			switch {
			case c == '*' && j < n && s[j] == '/':
				j++
				if xcDepth == 0 {
					m = mInitial
				} else {
					xcDepth--
				}
			case c == '/' && j < n && s[j] == '*':
				j++
				xcDepth++
			}
		case mQuote, mEQuote:
			switch {
			case c == '\\' && m == mEQuote:
				if j < n {
					j++
				}
			case c == '\'':
				if j < n && s[j] == '\'' {
					j++
				} else if m == mEQuote {
					if k, ok, _ := quoteContinue(s, j, true); ok {
						j = k
					} else {
						m = mInitial
					}
				} else {
					m = mInitial
				}
			}
		case mDQuote:
			if c == '"' {
				m = mInitial
			}
		case mDollar:
			if c == '$' && strings.HasPrefix(s[i:], tag) {
				j = i + len(tag)
				m = mInitial
			}
		default:
			switch {
			case c == '-' && j < n && s[j] == '-':
				for j < n && s[j] != '\n' && s[j] != '\r' {
					j++
				}
			case c == '/' && j < n && s[j] == '*':
				j++
				m = mComment
				xcDepth = 0
			case c == '\'':
				m = mQuote
			case c == '"':
				m = mDQuote
			case isIdentStart(c):
				for j < n && isIdentCont(s[j]) {
					j++
				}
				if j-i == 1 && j < n {
					switch {
					case (c == 'e' || c == 'E') && s[j] == '\'':
						j++
						m = mEQuote
					case strings.IndexByte("bBxXnN", c) >= 0 && s[j] == '\'':
						j++
						m = mQuote
					case (c == 'u' || c == 'U') && s[j] == '&' && j+1 < n && (s[j+1] == '\'' || s[j+1] == '"'):
						j += 2
						m = mQuote
						if s[j-1] == '"' {
							m = mDQuote
						}
					}
				}
			case isDigit(c) || c == '.' && j < n && isDigit(s[j]):
				j, _ = number(s, i, true)
			case c == '$' && j < n && isDigit(s[j]):
				for j < n && isDigit(s[j]) {
					j++
				}
			case c == '$' && j < n && (s[j] == '$' || isIdentStart(s[j])):
				k := j
				for k < n && isDolqCont(s[k]) {
					k++
				}
				if k < n && s[k] == '$' {
					j = k + 1
					tag = s[i:j]
					m = mDollar
				}
			case c == ':' && j < n:
				d := s[j]
				switch {
				case d == ':':
					j++
				case isVarChar(d):
					k := j
					for k < n && isVarChar(s[k]) {
						k++
					}
					name := s[j:k]
					if v, ok := lookup(name); ok && !active(name) {
						top.i = k
						stack = append(stack, source{s: v, name: name})
						continue
					}
					j = k
				case d == '\'' || d == '"':
					k := j + 1
					for k < n && isVarChar(s[k]) {
						k++
					}
					if k > j+1 && k < n && s[k] == d {
						if v, ok := lookup(s[j+1 : k]); ok {
							if d == '\'' {
								out.WriteString(quoteLiteral(v))
							} else {
								out.WriteString(quoteIdent(v))
							}
							top.i = k + 1
							continue
						}
						j = k + 1 // undefined: copied as is, not lexed as a quote
					}
				case d == '{':
					if j+1 < n && s[j+1] == '?' {
						k := j + 2
						for k < n && isVarChar(s[k]) {
							k++
						}
						if k > j+2 && k < n && s[k] == '}' {
							if _, ok := lookup(s[j+2 : k]); ok {
								out.WriteString("TRUE")
							} else {
								out.WriteString("FALSE")
							}
							top.i = k + 1
							continue
						}
					}
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
