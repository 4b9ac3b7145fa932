package shell

import "strings"

// ifState is one level of psql's \if stack.
type ifState int

const (
	ifTrue      ifState = iota // in a branch that runs
	ifFalse                    // not running; a later \elif or \else may
	ifIgnored                  // not running, nor will any later branch
	ifElseTrue                 // in an \else that runs
	ifElseFalse                // in an \else that does not
)

// condStack is psql's conditional stack for one input file.
type condStack []ifState

// active reports whether statements and commands run at this point.
func (c condStack) active() bool {
	return len(c) == 0 || c[len(c)-1] == ifTrue || c[len(c)-1] == ifElseTrue
}

// isConditional reports whether a backslash command belongs to \if.
func isConditional(name string) bool {
	switch name {
	case "if", "elif", "else", "endif":
		return true
	}
	return false
}

// conditional applies \if, \elif, \else or \endif; eval computes the
// expression (only called where psql evaluates it). It returns the error
// text psql prints, or "".
func (c *condStack) conditional(name string, eval func() (bool, string)) string {
	top := func() ifState { return (*c)[len(*c)-1] }
	switch name {
	case "if":
		if !c.active() {
			*c = append(*c, ifIgnored)
			return ""
		}
		v, msg := eval()
		if v {
			*c = append(*c, ifTrue)
		} else {
			*c = append(*c, ifFalse)
		}
		return msg
	case "elif":
		if len(*c) == 0 {
			return `\elif: no matching \if`
		}
		switch top() {
		case ifElseTrue, ifElseFalse:
			return `\elif: cannot occur after \else`
		case ifTrue:
			(*c)[len(*c)-1] = ifIgnored
		case ifFalse:
			v, msg := eval()
			if v {
				(*c)[len(*c)-1] = ifTrue
			}
			return msg
		}
	case "else":
		if len(*c) == 0 {
			return `\else: no matching \if`
		}
		switch top() {
		case ifElseTrue, ifElseFalse:
			return `\else: cannot occur after \else`
		case ifFalse:
			(*c)[len(*c)-1] = ifElseTrue
		default:
			(*c)[len(*c)-1] = ifElseFalse
		}
	case "endif":
		if len(*c) == 0 {
			return `\endif: no matching \if`
		}
		*c = (*c)[:len(*c)-1]
	}
	return ""
}

// ifExpression evaluates an \if argument the way psql does: a boolean in
// psql's spellings; anything else is an error and counts as false.
func ifExpression(args []string) (bool, string) {
	expr := strings.Join(args, " ")
	v, ok := parseBool(expr)
	if !ok {
		return false, `unrecognized value "` + expr + `" for "\if expression": Boolean expected`
	}
	return v, ""
}
