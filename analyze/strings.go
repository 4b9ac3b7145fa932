package analyze

import (
	"errors"
	"strings"
	"unicode/utf8"

	pg "github.com/safesql/safesql/analyze/pgparse"
)

// escapeStrings rewrites sql, read with standard_conforming_strings off,
// into text pg_query (which always reads with it on) parses the same way:
// every plain '...' literal becomes E'...' (a space and an E are inserted
// before it; N'...' becomes E'...'). E”, B”, X”, U&” literals,
// dollar quotes, quoted identifiers and comments are left alone. ins holds
// the offsets in sql before which " E" was inserted, in order.
func escapeStrings(sql string) (out string, ins []int) {
	b := make([]byte, 0, len(sql)+16)
	n := len(sql)
	i := 0
	// body copies a quoted literal's body from j (after the opening
	// quote) through its closing quote and any continuation segments;
	// esc says whether backslash escapes.
	body := func(j int, esc bool) int {
		for {
			for j < n {
				c := sql[j]
				if esc && c == '\\' && j+1 < n {
					j += 2
					continue
				}
				j++
				if c == '\'' {
					if j < n && sql[j] == '\'' {
						j++
						continue
					}
					break
				}
			}
			// A continuation: white space holding a newline, then a quote.
			k, nl := j, false
			for k < n && (sql[k] == ' ' || sql[k] == '\t' || sql[k] == '\n' || sql[k] == '\r' || sql[k] == '\f') {
				if sql[k] == '\n' || sql[k] == '\r' {
					nl = true
				}
				k++
			}
			if !nl || k >= n || sql[k] != '\'' {
				return j
			}
			j = k + 1
		}
	}
	for i < n {
		c := sql[i]
		switch {
		case c == '-' && i+1 < n && sql[i+1] == '-':
			j := i
			for j < n && sql[j] != '\n' {
				j++
			}
			b = append(b, sql[i:j]...)
			i = j
		case c == '/' && i+1 < n && sql[i+1] == '*':
			j, depth := i, 0
			for j < n {
				if j+1 < n && sql[j] == '/' && sql[j+1] == '*' {
					depth++
					j += 2
				} else if j+1 < n && sql[j] == '*' && sql[j+1] == '/' {
					depth--
					j += 2
					if depth == 0 {
						break
					}
				} else {
					j++
				}
			}
			b = append(b, sql[i:j]...)
			i = j
		case c == '"':
			j := i + 1
			for j < n {
				if sql[j] == '"' {
					if j+1 < n && sql[j+1] == '"' {
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
			b = append(b, sql[i:j]...)
			i = j
		case c == '$':
			j := i + 1
			for j < n && isIdentByte(sql[j]) && !(j == i+1 && sql[j] >= '0' && sql[j] <= '9') {
				j++
			}
			if j < n && sql[j] == '$' {
				tag := sql[i : j+1]
				end := indexFrom(sql, tag, j+1)
				if end < 0 {
					end = n
				} else {
					end += len(tag)
				}
				b = append(b, sql[i:end]...)
				i = end
				continue
			}
			// A parameter ($1) or a lone $.
			for j < n && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			b = append(b, sql[i:j]...)
			i = j
		case isIdentByte(c):
			j := i
			for j < n && (isIdentByte(sql[j]) || sql[j] == '$' || sql[j] == '.' && c >= '0' && c <= '9') {
				j++
			}
			word := sql[i:j]
			if j < n && sql[j] == '\'' && len(word) == 1 {
				switch word[0] {
				case 'e', 'E':
					end := body(j+1, true)
					b = append(b, sql[i:end]...)
					i = end
					continue
				case 'b', 'B', 'x', 'X':
					end := body(j+1, false)
					b = append(b, sql[i:end]...)
					i = end
					continue
				case 'n', 'N':
					end := body(j+1, true)
					b = append(b, 'E')
					b = append(b, sql[j:end]...)
					i = end
					continue
				}
			}
			if (word == "u" || word == "U") && j+1 < n && sql[j] == '&' && sql[j+1] == '\'' {
				end := body(j+2, false)
				b = append(b, sql[i:end]...)
				i = end
				continue
			}
			b = append(b, word...)
			i = j
		case c == '\'':
			end := body(i+1, true)
			ins = append(ins, i)
			b = append(b, " E"...)
			b = append(b, sql[i:end]...)
			i = end
		default:
			b = append(b, c)
			i++
		}
	}
	return string(b), ins
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func indexFrom(s, sub string, from int) int {
	if from > len(s) {
		return -1
	}
	if k := strings.Index(s[from:], sub); k >= 0 {
		return from + k
	}
	return -1
}

// unshift maps an offset in the text escapeStrings returned back to the
// offset in its input.
func unshift(off int, ins []int) int {
	shift := 0
	for _, p := range ins {
		// " E" sits at rewritten offsets [p+shift, p+shift+2).
		if off < p+shift {
			break
		}
		if off < p+shift+2 {
			return p
		}
		shift += 2
	}
	return off - shift
}

// parseError turns the parser's error about parsed (the text given to it:
// orig, rewritten by escapeStrings when ins is not nil) into a ParseError
// about orig.
func parseError(err error, parsed, orig string, ins []int) *ParseError {
	if errors.Is(err, pg.ErrNoParser) {
		return nil
	}
	msg, cursor, ok := pg.ErrorPosition(err)
	if !ok {
		return &ParseError{Message: err.Error()}
	}
	if cursor > 0 && ins != nil {
		// Character position in parsed -> byte offset -> offset in orig
		// -> character position in orig.
		off := byteOffset(parsed, cursor-1)
		o := unshift(off, ins)
		if o > len(orig) {
			o = len(orig)
		}
		cursor = utf8.RuneCountInString(orig[:o]) + 1
	}
	return &ParseError{Message: msg, Cursor: cursor}
}

// byteOffset returns the byte offset of the n-th (0-based) character of s.
func byteOffset(s string, n int) int {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
