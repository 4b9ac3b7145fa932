package line

import (
	"context"
	"sort"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/safesql/safesql/repl/complete"
)

// Querier reads the catalogue (the session's Query).
type Querier = complete.Querier

// loadTimeout bounds one catalogue read: a completion never hangs the
// editor for longer.
const loadTimeout = 5 * time.Second

// retryAfter: after a failed read (an aborted transaction, a lost
// connection) the catalogue is not read again on every key.
const retryAfter = 3 * time.Second

// Completer offers keywords, backslash commands and the database's names
// where they fit (repl/complete): the catalogue is read once, in one
// query, and again after Invalidate (the loop calls it after DDL and
// \connect).
type Completer struct {
	q     Querier
	metas []string

	// suspended: a question is being answered (Suspend).
	suspended atomic.Int32

	mu       sync.Mutex
	loaded   bool
	failedAt time.Time
	meta     *complete.Meta
}

// NewCompleter completes from q's catalogue and the backslash commands
// metas (with their backslash). q may be nil: no names.
func NewCompleter(q Querier, metas []string) *Completer {
	return &Completer{q: q, metas: metas}
}

// Invalidate makes the next completion read the catalogue again.
func (c *Completer) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.q != nil {
		c.loaded = false
		c.failedAt = time.Time{}
	}
}

func (c *Completer) catalog() *complete.Meta {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded || c.q == nil || !c.failedAt.IsZero() && time.Since(c.failedAt) < retryAfter {
		return c.meta
	}
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	m, err := complete.Load(ctx, c.q)
	if err != nil {
		// Names from before (if any) are better than none.
		c.failedAt = time.Now()
		return c.meta
	}
	c.meta, c.loaded, c.failedAt = m, true, time.Time{}
	return m
}

// Suspend turns completion off until the returned func is called: while
// a confirmation's question is answered, Tab offers nothing, and above
// all reads no catalogue in the middle of the statement being confirmed.
func (c *Completer) Suspend() (resume func()) {
	c.suspended.Add(1)
	var once sync.Once
	return func() { once.Do(func() { c.suspended.Add(-1) }) }
}

// Complete returns the candidates for the word that ends at pos in line
// (the best first) and that word's start: a candidate replaces
// line[start:pos].
func (c *Completer) Complete(line []rune, pos int) (cands []string, start int) {
	pos = min(max(pos, 0), len(line))
	if c.suspended.Load() > 0 {
		return nil, pos
	}
	text := string(line)
	cursor := len(string(line[:pos]))
	var meta *complete.Meta
	if c.needsCatalog(text, cursor) {
		meta = c.catalog()
	}
	found, bstart := complete.Suggest(text, cursor, meta, c.metas)
	start = utf8.RuneCountInString(text[:bstart])
	for _, f := range found {
		cands = append(cands, f.Text)
	}
	return cands, start
}

// needsCatalog: backslash commands and a statement's first word are
// completed without reading the catalogue.
func (c *Completer) needsCatalog(text string, cursor int) bool {
	for i := cursor - 1; i >= 0; i-- {
		switch text[i] {
		case '\\':
			return false
		case ' ', '\t', '\n', '\r':
			return true
		}
	}
	return true
}

// Do implements readline.AutoCompleter: the candidates' remaining runes
// and the length of the word they complete.
func (c *Completer) Do(line []rune, pos int) ([][]rune, int) {
	cands, start := c.Complete(line, pos)
	n := pos - start
	if n < 0 || len(cands) == 0 {
		return nil, 0
	}
	// Readline lists its candidates in its own order: alphabetical reads
	// best in columns.
	sort.Strings(cands)
	res := make([][]rune, 0, len(cands))
	for _, cand := range cands {
		if r := []rune(cand); len(r) >= n {
			res = append(res, r[n:])
		}
	}
	return res, n
}

// CommonPrefix is the longest prefix shared by all candidates, compared
// without case (the first candidate's spelling).
func CommonPrefix(cands []string) string {
	if len(cands) == 0 {
		return ""
	}
	p := []rune(cands[0])
	for _, c := range cands[1:] {
		r := []rune(c)
		n := 0
		for n < len(p) && n < len(r) && unicode.ToLower(p[n]) == unicode.ToLower(r[n]) {
			n++
		}
		p = p[:n]
	}
	return string(p)
}
