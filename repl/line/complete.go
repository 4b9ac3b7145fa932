package line

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/safesql/safesql/repl/render"
)

// sqlKeywords are the words Tab offers at any point (psql's completion is
// context-aware; this is the simple part of it).
var sqlKeywords = strings.Fields(`SELECT FROM WHERE GROUP BY ORDER HAVING LIMIT OFFSET INSERT INTO VALUES UPDATE SET
DELETE RETURNING WITH AS JOIN LEFT RIGHT FULL INNER OUTER CROSS ON USING AND OR NOT NULL IS IN EXISTS
BETWEEN LIKE ILIKE CASE WHEN THEN ELSE END DISTINCT UNION INTERSECT EXCEPT ALL ANY CREATE ALTER DROP
TABLE VIEW INDEX SEQUENCE SCHEMA FUNCTION PROCEDURE TRIGGER TYPE EXTENSION ROLE DATABASE TRUNCATE
BEGIN COMMIT ROLLBACK SAVEPOINT RELEASE EXPLAIN ANALYZE VERBOSE VACUUM GRANT REVOKE COPY CASCADE
RESTRICT PRIMARY KEY FOREIGN REFERENCES UNIQUE CHECK DEFAULT CONSTRAINT COLUMN ADD RENAME TO OWNER
CONCURRENTLY IF TRUE FALSE ASC DESC NULLS FIRST LAST LATERAL OVER PARTITION WINDOW FILTER SHOW RESET`)

// Querier reads the catalogue (the session's Query).
type Querier interface {
	Query(ctx context.Context, sql string) ([]render.Column, [][][]byte, error)
}

// Catalog is what completion knows of the database.
type Catalog struct {
	Relations []string            // schema-less table, view, sequence names
	Schemas   []string            // user schemas
	Columns   map[string][]string // relation name -> its columns
	Functions []string            // functions outside pg_catalog and information_schema
}

// Completer offers keywords, backslash commands and the names of the
// database's schemas, relations, columns and functions, read once from the
// catalogue and again after Invalidate (the loop calls it after DDL).
type Completer struct {
	q     Querier
	metas []string

	mu     sync.Mutex
	loaded bool
	cat    Catalog
}

// NewCompleter completes from q's catalogue and the backslash commands
// metas (with their backslash). q may be nil: no names.
func NewCompleter(q Querier, metas []string) *Completer {
	return &Completer{q: q, metas: metas}
}

// NewCompleterWith completes from a fixed catalogue (tests).
func NewCompleterWith(cat Catalog, metas []string) *Completer {
	return &Completer{metas: metas, cat: cat, loaded: true}
}

// Invalidate makes the next completion read the catalogue again.
func (c *Completer) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.q != nil {
		c.loaded = false
	}
}

const catalogQuery = `SELECT kind, rel, name FROM (
  SELECT 'r' AS kind, '' AS rel, c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r','v','m','p','f','S') AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname !~ '^pg_toast'
  UNION SELECT 's', '', nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'
  UNION SELECT 'c', c.relname, a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
   JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','v','m','p','f') AND n.nspname NOT IN ('pg_catalog','information_schema')
  UNION SELECT 'f', '', p.proname FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname !~ '^pg_'
) names ORDER BY 1, 2, 3 LIMIT 20000`

func (c *Completer) catalog() Catalog {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded || c.q == nil {
		return c.cat
	}
	c.loaded = true
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, rows, err := c.q.Query(ctx, catalogQuery)
	if err != nil {
		return c.cat
	}
	cat := Catalog{Columns: map[string][]string{}}
	for _, r := range rows {
		if len(r) < 3 || r[0] == nil || r[2] == nil {
			continue
		}
		name := string(r[2])
		switch string(r[0]) {
		case "r":
			cat.Relations = append(cat.Relations, name)
		case "s":
			cat.Schemas = append(cat.Schemas, name)
		case "c":
			rel := string(r[1])
			cat.Columns[rel] = append(cat.Columns[rel], name)
		case "f":
			cat.Functions = append(cat.Functions, name)
		}
	}
	c.cat = cat
	return cat
}

// Complete returns the candidates for the word that ends at pos in line,
// sorted, and that word's start.
func (c *Completer) Complete(line []rune, pos int) (cands []string, start int) {
	pos = min(max(pos, 0), len(line))
	start = pos
	for start > 0 && (isWordRune(line[start-1]) || line[start-1] == '\\') {
		start--
	}
	word := string(line[start:pos])
	var pool []string
	switch {
	case strings.HasPrefix(word, `\`):
		pool = c.metas
	case word == "":
		return nil, start
	default:
		cat := c.catalog()
		upper := word == strings.ToUpper(word)
		for _, k := range sqlKeywords {
			if !upper {
				k = strings.ToLower(k)
			}
			pool = append(pool, k)
		}
		pool = append(pool, cat.Relations...)
		pool = append(pool, cat.Schemas...)
		pool = append(pool, cat.Functions...)
		named := namedRelations(string(line), cat)
		if len(named) == 0 {
			for _, cols := range cat.Columns {
				pool = append(pool, cols...)
			}
		}
		for _, rel := range named {
			pool = append(pool, cat.Columns[rel]...)
		}
	}
	seen := map[string]bool{}
	lower := strings.ToLower(word)
	for _, cand := range pool {
		if len(cand) > len(word) && strings.HasPrefix(strings.ToLower(cand), lower) && !seen[cand] {
			seen[cand] = true
			cands = append(cands, cand)
		}
	}
	sort.Strings(cands)
	return cands, start
}

// namedRelations are the catalogue's relations the text names.
func namedRelations(text string, cat Catalog) []string {
	if len(cat.Columns) == 0 {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !isWordRune(r) }) {
		if i := strings.LastIndexByte(w, '.'); i >= 0 {
			w = w[i+1:]
		}
		if _, ok := cat.Columns[w]; ok && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// Do implements readline.AutoCompleter: the candidates' remaining runes
// and the length of the word they complete.
func (c *Completer) Do(line []rune, pos int) ([][]rune, int) {
	cands, start := c.Complete(line, pos)
	n := pos - start
	if n <= 0 || len(cands) == 0 {
		return nil, 0
	}
	res := make([][]rune, len(cands))
	for i, cand := range cands {
		res[i] = []rune(cand)[n:]
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

func isWordRune(r rune) bool {
	return r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
