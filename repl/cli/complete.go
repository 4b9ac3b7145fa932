package cli

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/safesql/safesql/repl"
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

// completer offers keywords, backslash commands and the names of the
// database's schemas, relations and columns, read once from the catalogue.
type completer struct {
	sess  *repl.Session
	metas []string
	once  sync.Once
	names []string
}

func newCompleter(sess *repl.Session, metas []string) *completer {
	return &completer{sess: sess, metas: metas}
}

func (c *completer) loadNames() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, rows, err := c.sess.Query(ctx, `SELECT DISTINCT name FROM (
  SELECT c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r','v','m','p','f','S') AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname !~ '^pg_toast'
  UNION SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'
  UNION SELECT a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
   JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','v','m','p','f') AND n.nspname NOT IN ('pg_catalog','information_schema')
) names ORDER BY 1 LIMIT 5000`)
	if err != nil {
		return
	}
	for _, r := range rows {
		if r[0] != nil {
			c.names = append(c.names, string(r[0]))
		}
	}
}

// Do implements readline.AutoCompleter: the candidates' remaining runes
// and the length of the word they complete.
func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	start := pos
	for start > 0 && (isWordRune(line[start-1]) || line[start-1] == '\\') {
		start--
	}
	word := string(line[start:pos])
	var pool []string
	switch {
	case strings.HasPrefix(word, `\`):
		pool = c.metas
	case word == "":
		return nil, 0
	default:
		c.once.Do(c.loadNames)
		upper := word == strings.ToUpper(word)
		for _, k := range sqlKeywords {
			if !upper {
				k = strings.ToLower(k)
			}
			pool = append(pool, k)
		}
		pool = append(pool, c.names...)
	}
	seen := map[string]bool{}
	var out []string
	for _, cand := range pool {
		if len(cand) > len(word) && strings.HasPrefix(strings.ToLower(cand), strings.ToLower(word)) && !seen[cand] {
			seen[cand] = true
			out = append(out, cand)
		}
	}
	sort.Strings(out)
	res := make([][]rune, len(out))
	for i, cand := range out {
		res[i] = []rune(cand[len(word):])
		if !strings.HasPrefix(cand, word) { // a keyword in the other case
			res[i] = []rune(cand)[len([]rune(word)):]
		}
	}
	return res, len([]rune(word))
}

func isWordRune(r rune) bool {
	return r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
