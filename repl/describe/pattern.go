package describe

import (
	"strings"
)

// namePattern is psql's processSQLNamePattern (fe_utils/string_utils.c)
// with describe.c's validateSQLNamePattern around it: it appends to sql the
// WHERE/AND clauses that select the objects pattern names (nil: every
// visible object), and reports whether it added one. maxParts is how many
// dotted parts the pattern may have (database.schema.name is 3).
type namePattern struct {
	sql       *strings.Builder
	haveWhere bool
}

func (n *namePattern) whereAnd() {
	if n.haveWhere {
		n.sql.WriteString("  AND ")
	} else {
		n.sql.WriteString("WHERE ")
		n.haveWhere = true
	}
}

// process adds the clauses. schemaVar and visibility may be empty.
func (d *describer) processPattern(sql *strings.Builder, pattern *string, haveWhere, forceEscape bool, schemaVar, nameVar, altNameVar, visibility string, maxParts int) (bool, error) {
	n := &namePattern{sql: sql, haveWhere: haveWhere}
	added := false
	if pattern == nil {
		if visibility != "" {
			n.whereAnd()
			sql.WriteString(visibility + "\n")
			added = true
		}
		return added, nil
	}
	parts := 1
	if schemaVar != "" {
		parts = 3
	}
	db, schema, name, dots := patternToRegex(*pattern, parts, forceEscape)
	if dots >= maxParts {
		return false, failf("improper qualified name (too many dotted names): " + *pattern)
	}
	if maxParts > 1 && dots == maxParts-1 {
		cur, err := d.currentDatabase()
		if err != nil {
			return false, err
		}
		if cur != db {
			return false, failf("cross-database references are not implemented: " + *pattern)
		}
	}
	if nameVar != "" && len(name) > 2 && name != "^(.*)$" {
		n.whereAnd()
		added = true
		if altNameVar != "" {
			sql.WriteString("(" + nameVar + " OPERATOR(pg_catalog.~) ")
			sql.WriteString(literal(name) + " COLLATE pg_catalog.default")
			sql.WriteString("\n        OR " + altNameVar + " OPERATOR(pg_catalog.~) ")
			sql.WriteString(literal(name) + " COLLATE pg_catalog.default")
			sql.WriteString(")\n")
		} else {
			sql.WriteString(nameVar + " OPERATOR(pg_catalog.~) ")
			sql.WriteString(literal(name) + " COLLATE pg_catalog.default\n")
		}
	}
	if schemaVar != "" && len(schema) > 2 {
		if schema != "^(.*)$" {
			n.whereAnd()
			added = true
			sql.WriteString(schemaVar + " OPERATOR(pg_catalog.~) ")
			sql.WriteString(literal(schema) + " COLLATE pg_catalog.default\n")
		}
	} else if visibility != "" {
		n.whereAnd()
		added = true
		sql.WriteString(visibility + "\n")
	}
	return added, nil
}

func (d *describer) currentDatabase() (string, error) {
	_, rows, err := d.query("SELECT pg_catalog.current_database()")
	if err != nil {
		return "", err
	}
	if len(rows) == 1 && len(rows[0]) == 1 {
		return string(rows[0][0]), nil
	}
	return "", nil
}

// patternToRegex is psql's patternToSQLRegex: it splits pattern at
// unquoted dots into at most parts parts (the name last) and turns each
// into an anchored regular expression: unquoted letters folded to lower
// case, * and ? as wildcards, quoted text literal. db is the literal
// database part, as psql compares it with the current database's name.
func patternToRegex(pattern string, parts int, forceEscape bool) (db, schema, name string, dots int) {
	bufs := []*strings.Builder{{}}
	cur := bufs[0]
	cur.WriteString("^(")
	var left strings.Builder
	isLeft := true
	inQuotes := false
	for i := 0; i < len(pattern); {
		ch := pattern[i]
		switch {
		case ch == '"':
			if inQuotes && i+1 < len(pattern) && pattern[i+1] == '"' {
				cur.WriteByte('"')
				if isLeft {
					left.WriteByte('"')
				}
				i++
			} else {
				inQuotes = !inQuotes
			}
			i++
		case !inQuotes && ch >= 'A' && ch <= 'Z':
			cur.WriteByte(ch + 'a' - 'A')
			if isLeft {
				left.WriteByte(ch + 'a' - 'A')
			}
			i++
		case !inQuotes && ch == '*':
			cur.WriteString(".*")
			if isLeft {
				left.WriteByte('*')
			}
			i++
		case !inQuotes && ch == '?':
			cur.WriteByte('.')
			if isLeft {
				left.WriteByte('?')
			}
			i++
		case !inQuotes && ch == '.':
			isLeft = false
			dots++
			if len(bufs) < parts {
				cur.WriteString(")$")
				cur = &strings.Builder{}
				bufs = append(bufs, cur)
				cur.WriteString("^(")
			} else {
				cur.WriteByte(ch)
			}
			i++
		case ch == '$':
			cur.WriteString(`\$`)
			if isLeft {
				left.WriteByte('$')
			}
			i++
		default:
			if (inQuotes || forceEscape) && strings.IndexByte(`|*+?()[]{}.^\`, ch) >= 0 {
				cur.WriteByte('\\')
			} else if ch == '[' && i+1 < len(pattern) && pattern[i+1] == ']' {
				cur.WriteByte('\\')
			}
			n := mbLen(pattern[i:])
			cur.WriteString(pattern[i : i+n])
			if isLeft {
				left.WriteString(pattern[i : i+n])
			}
			i += n
		}
	}
	cur.WriteString(")$")
	k := len(bufs) - 1
	name = bufs[k].String()
	k--
	if parts > 1 && k >= 0 {
		schema = bufs[k].String()
		k--
	}
	if parts > 2 && k >= 0 {
		db = left.String()
	}
	return db, schema, name, dots
}

// mbLen is PQmblenBounded for UTF-8: the length of the character at the
// start of s, never past its end.
func mbLen(s string) int {
	c := s[0]
	n := 1
	switch {
	case c&0xe0 == 0xc0:
		n = 2
	case c&0xf0 == 0xe0:
		n = 3
	case c&0xf8 == 0xf0:
		n = 4
	}
	for k := 1; k < n; k++ {
		if k >= len(s) || s[k] == 0 {
			return k
		}
	}
	return n
}

// literal is psql's appendStringLiteralConn with standard_conforming_strings
// on: '...' with quotes doubled, or E'...' with backslashes doubled too
// when there is a backslash.
func literal(s string) string {
	if strings.Contains(s, `\`) {
		return "E'" + strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(s) + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
