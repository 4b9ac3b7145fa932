package line

import (
	"strings"
	"sync"

	"github.com/safesql/safesql/repl/frontend/syntax"
)

// painter is readline's Painter: it highlights the line being edited as
// the continuation of the entry's earlier lines, so that a literal or a
// comment opened on an earlier line is drawn as one on this line too.
// readline calls it from its own goroutine.
type painter struct {
	p *syntax.Painter

	mu     sync.Mutex
	active bool   // reading an entry, not an answer to a question
	before string // what leaves the lexer as the entry's earlier lines do (syntax.State.Prefix)
}

// set says what the next lines read are: an entry's (before stands for
// its earlier lines: the prefix of the lexer's state after them) or not
// (a confirmation's answer).
func (pt *painter) set(active bool, before string) {
	pt.mu.Lock()
	defer pt.mu.Unlock()
	pt.active, pt.before = active, before
}

// Paint implements readline.Painter.
func (pt *painter) Paint(l []rune, _ int) []rune {
	pt.mu.Lock()
	active, before := pt.active, pt.before
	pt.mu.Unlock()
	if !active || len(l) == 0 || !pt.p.Enabled() {
		return l
	}
	src := before + string(l)
	var b strings.Builder
	for _, t := range pt.p.Tokens(src) {
		if t.End <= len(before) {
			continue
		}
		pt.p.Write(&b, t.Kind, src[max(t.Start, len(before)):t.End])
	}
	return []rune(b.String())
}
