package shell

import (
	"strings"

	"github.com/safesql/safesql/analyze"
)

// ifState is one level of psql's \if stack.
type ifState int

const (
	ifTrue      ifState = iota // in a branch that runs
	ifFalse                    // not running; a later \elif or \else may
	ifIgnored                  // not running, nor will any later branch
	ifElseTrue                 // in an \else that runs
	ifElseFalse                // in an \else that does not
)

// ifLevel is one \if block: its state, and the query buffer's length and
// the scanner's parenthesis depth where its current branch began, so
// that text typed in a branch that does not run can be taken out of the
// buffer again (psql's save_query_text_state and discard_query_text).
type ifLevel struct {
	state    ifState
	queryLen int
	paren    int
}

// condStack is psql's conditional stack for one input file.
type condStack []ifLevel

// queryText is the query buffer as \if sees it: a statement being typed
// may hold \if blocks ("select \if :x 1 \else 2 \endif;"), and only the
// text of the branch that runs stays in it.
type queryText interface {
	Len() int
	ParenDepth() int
	// Discard cuts the buffer back to n bytes and sets the scanner's
	// parenthesis depth back to paren.
	Discard(n, paren int)
}

// active reports whether statements and commands run at this point.
func (c condStack) active() bool {
	return len(c) == 0 || c[len(c)-1].state == ifTrue || c[len(c)-1].state == ifElseTrue
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
func (c *condStack) conditional(name string, q queryText, eval func() (bool, string)) string {
	top := func() *ifLevel { return &(*c)[len(*c)-1] }
	save := func() { top().queryLen, top().paren = q.Len(), q.ParenDepth() }
	discard := func() { q.Discard(top().queryLen, top().paren) }
	switch name {
	case "if":
		if !c.active() {
			*c = append(*c, ifLevel{state: ifIgnored})
			save()
			return ""
		}
		*c = append(*c, ifLevel{state: ifTrue})
		save()
		v, msg := eval()
		if !v {
			top().state = ifFalse
		}
		return msg
	case "elif":
		if len(*c) == 0 {
			return `\elif: no matching \if`
		}
		switch top().state {
		case ifElseTrue, ifElseFalse:
			return `\elif: cannot occur after \else`
		case ifTrue:
			save()
			top().state = ifIgnored
		case ifFalse:
			discard()
			top().state = ifTrue
			v, msg := eval()
			if !v {
				top().state = ifFalse
			}
			return msg
		case ifIgnored:
			discard()
		}
	case "else":
		if len(*c) == 0 {
			return `\else: no matching \if`
		}
		switch top().state {
		case ifElseTrue, ifElseFalse:
			return `\else: cannot occur after \else`
		case ifTrue:
			save()
			top().state = ifElseFalse
		case ifFalse:
			discard()
			top().state = ifElseTrue
		case ifIgnored:
			discard()
			top().state = ifElseFalse
		}
	case "endif":
		if len(*c) == 0 {
			return `\endif: no matching \if`
		}
		switch top().state {
		case ifFalse, ifIgnored, ifElseFalse:
			discard()
		}
		*c = (*c)[:len(*c)-1]
	}
	return ""
}

// ifExpression evaluates an \if argument the way psql does: a boolean in
// psql's spellings; anything else is an error and counts as false.
func ifExpression(command string, args []string) (bool, string) {
	expr := strings.Join(args, " ")
	v, ok := analyze.ParseBool(expr)
	if !ok {
		return false, `unrecognized value "` + expr + `" for "\` + command + ` expression": Boolean expected`
	}
	return v, ""
}
