package analyze

import "sync"

// Cache remembers verdicts by statement text and analyzer state, so a
// statement classified when the input was planned is not parsed again
// when it runs. It holds at most a bounded number of verdicts and starts
// over when full. A nil *Cache remembers nothing.
type Cache struct {
	mu  sync.Mutex
	m   map[cacheKey]Verdict
	max int
}

type cacheKey struct {
	state uint64
	opts  options
	sql   string
}

// NewCache returns a Cache of at most max verdicts.
func NewCache(max int) *Cache {
	return &Cache{m: make(map[cacheKey]Verdict), max: max}
}

func (c *Cache) get(k cacheKey) (Verdict, bool) {
	if c == nil {
		return Verdict{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *Cache) put(k cacheKey, v Verdict) {
	if c == nil || len(k.sql) > 64<<10 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = v
}
