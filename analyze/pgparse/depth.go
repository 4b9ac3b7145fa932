package pgparse

import (
	"fmt"
	"strings"
)

// Bounds of the nesting the C parser is let near: beyond them it is not
// called at all. It refuses far less deep text itself ("stack depth limit
// exceeded"), but text a few times deeper overflows its stack and kills
// the process before it can refuse.
const (
	maxParenDepth = 1000
	maxNesting    = 5000
)

// DepthError is returned for text nested deeper than the parser can take.
type DepthError struct {
	Levels int // the nesting found, at least where the scan stopped
}

func (e *DepthError) Error() string {
	return fmt.Sprintf("too deeply nested for the parser (%d levels)", e.Levels)
}

// chainWords are the keyword operators that nest like 1+1+...+1: each
// one in a chain is a level of the tree (a IS NULL IS NULL ..., x COLLATE
// "C" COLLATE "C" ..., t JOIN t ON ... JOIN ...). 40,000 of them crashed
// the C parser's tree output as surely as 30,000 plus signs.
var chainWords = map[string]bool{
	"is": true, "isnull": true, "notnull": true, "collate": true, "at": true,
	"in": true, "like": true, "ilike": true, "similar": true, "between": true,
	"overlaps": true, "join": true,
}

// setWords chain whole queries: SELECT 1 UNION SELECT 1 UNION ... is one
// level per UNION, however the SELECTs between them reset the chains of
// their expressions.
var setWords = map[string]bool{"union": true, "intersect": true, "except": true}

// checkDepth scans sql once, outside comments, strings, quoted identifiers
// and dollar quotes, for the depth of parentheses and brackets and the
// length of operator chains (1+1+...+1 nests one level per operator, as do
// the chainWords and, across SELECTs, the setWords; a comma, a semicolon,
// AND or OR ends a chain, and SELECT starts a new one). It returns a
// *DepthError when either passes its bound.
func checkDepth(sql string) error {
	n := len(sql)
	type level struct{ ops, sets int }
	var stack []level // chain lengths of the enclosing levels
	cur, sets, open := 0, 0, 0
	check := func() error {
		if len(stack) > maxParenDepth {
			return &DepthError{Levels: len(stack)}
		}
		if l := len(stack) + open + cur + sets; l > maxNesting {
			return &DepthError{Levels: l}
		}
		return nil
	}
	for i := 0; i < n; {
		c := sql[i]
		switch {
		case c == '-' && i+1 < n && sql[i+1] == '-':
			for i < n && sql[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < n && sql[i+1] == '*':
			depth := 0
			for i < n {
				if i+1 < n && sql[i] == '/' && sql[i+1] == '*' {
					depth++
					i += 2
				} else if i+1 < n && sql[i] == '*' && sql[i+1] == '/' {
					depth--
					i += 2
					if depth == 0 {
						break
					}
				} else {
					i++
				}
			}
		case c == '\'' || c == '"':
			esc := c == '\'' && i > 0 && (sql[i-1] == 'e' || sql[i-1] == 'E') && (i < 2 || !identByte(sql[i-2]))
			i++
			for i < n {
				if esc && sql[i] == '\\' {
					i += 2
					continue
				}
				if sql[i] == c {
					if i+1 < n && sql[i+1] == c {
						i += 2
						continue
					}
					i++
					break
				}
				i++
			}
		case c == '$':
			j := i + 1
			for j < n && identByte(sql[j]) && !(j == i+1 && sql[j] >= '0' && sql[j] <= '9') {
				j++
			}
			if j < n && sql[j] == '$' && (i == 0 || !identByte(sql[i-1])) {
				tag := sql[i : j+1]
				if k := strings.Index(sql[j+1:], tag); k >= 0 {
					i = j + 1 + k + len(tag)
				} else {
					i = n
				}
			} else {
				i = j
			}
		case identByte(c):
			j := i
			for j < n && (identByte(sql[j]) || sql[j] == '$') {
				j++
			}
			w := sql[i:j]
			i = j
			if len(w) > 9 {
				continue // longer than any word that matters here
			}
			switch w = strings.ToLower(w); {
			case w == "and" || w == "or" || w == "select":
				cur = 0
			case chainWords[w]:
				cur++
			case setWords[w]:
				sets++
			default:
				continue
			}
			if err := check(); err != nil {
				return err
			}
		case c == '(' || c == '[':
			stack = append(stack, level{cur, sets})
			open += cur + sets
			cur, sets = 0, 0
			i++
			if err := check(); err != nil {
				return err
			}
		case c == ')' || c == ']':
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				cur, sets = top.ops, top.sets
				open -= cur + sets
			}
			i++
		case c == ',':
			cur = 0
			i++
		case c == ';':
			cur, sets = 0, 0
			i++
		case strings.IndexByte("+-*/<>=~!@#%^&|`?:", c) >= 0:
			for i < n && strings.IndexByte("+-*/<>=~!@#%^&|`?:", sql[i]) >= 0 {
				if i+1 < n && (sql[i] == '-' && sql[i+1] == '-' || sql[i] == '/' && sql[i+1] == '*') {
					break
				}
				i++
			}
			cur++
			if err := check(); err != nil {
				return err
			}
		default:
			i++
		}
	}
	return nil
}

func identByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
