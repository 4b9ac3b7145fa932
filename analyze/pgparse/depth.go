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

// checkDepth scans sql once, outside comments, strings, quoted identifiers
// and dollar quotes, for the depth of parentheses and brackets and the
// length of operator chains (1+1+...+1 nests one level per operator;
// a comma, a semicolon, AND or OR ends a chain). It returns a *DepthError
// when either passes its bound.
func checkDepth(sql string) error {
	n := len(sql)
	var stack []int // operator counts of the enclosing levels
	cur, open := 0, 0
	check := func() error {
		if len(stack) > maxParenDepth {
			return &DepthError{Levels: len(stack)}
		}
		if l := len(stack) + open + cur; l > maxNesting {
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
			if w := sql[i:j]; strings.EqualFold(w, "and") || strings.EqualFold(w, "or") {
				cur = 0
			}
			i = j
		case c == '(' || c == '[':
			stack = append(stack, cur)
			open += cur
			cur = 0
			i++
			if err := check(); err != nil {
				return err
			}
		case c == ')' || c == ']':
			if len(stack) > 0 {
				cur = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				open -= cur
			}
			i++
		case c == ',' || c == ';':
			cur = 0
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
