package analyze

import (
	"fmt"
	"hash/maphash"
	"sync"
)

// Cache remembers verdicts by statement text and analyzer state, so a
// statement classified when the input was planned is not parsed again
// when it runs. A nil *Cache remembers nothing.
//
// It keeps no text: a statement is known by two 64-bit hashes of it with
// seeds drawn when the Cache is made (an attacker who does not know the
// seeds cannot make two texts collide, and 128 bits make a chance
// collision as likely as none), and its verdict by an index into the
// distinct verdicts seen, which a script of similar statements has few of
// (20,000 INSERTs into one table have one verdict). So a long script is
// parsed once in memory that stays small: about 40 bytes a statement.
// Past its bounds it starts over.
type Cache struct {
	mu       sync.Mutex
	seeds    [2]maphash.Seed
	m        map[cacheKey]int32
	verdicts []Verdict
	index    map[string]int32 // a verdict's fingerprint -> its place in verdicts
	max      int
}

type cacheKey struct {
	state uint64
	opts  options
	h     [2]uint64
}

// maxDistinctVerdicts bounds the distinct verdicts a Cache keeps.
const maxDistinctVerdicts = 10000

// NewCache returns a Cache of at most max statements.
func NewCache(max int) *Cache {
	return &Cache{
		seeds:    [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		m:        make(map[cacheKey]int32),
		index:    make(map[string]int32),
		max:      max,
		verdicts: nil,
	}
}

// key is the cache key of sql classified in analyzer state and options.
func (c *Cache) key(state uint64, opts options, sql string) cacheKey {
	if c == nil {
		return cacheKey{}
	}
	return cacheKey{state: state, opts: opts, h: [2]uint64{maphash.String(c.seeds[0], sql), maphash.String(c.seeds[1], sql)}}
}

func (c *Cache) get(k cacheKey) (Verdict, bool) {
	if c == nil {
		return Verdict{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	i, ok := c.m[k]
	if !ok {
		return Verdict{}, false
	}
	return c.verdicts[i], true
}

func (c *Cache) put(k cacheKey, v Verdict) {
	if c == nil {
		return
	}
	fp := fmt.Sprintf("%#v", v)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max || len(c.verdicts) >= maxDistinctVerdicts {
		clear(c.m)
		clear(c.index)
		c.verdicts = c.verdicts[:0]
	}
	i, ok := c.index[fp]
	if !ok {
		i = int32(len(c.verdicts))
		c.verdicts = append(c.verdicts, v)
		c.index[fp] = i
	}
	c.m[k] = i
}
