package analyze

import "strings"

// SkipBlank returns sql without its leading white space and comments
// (nested /* */ included).
func SkipBlank(sql string) string { return sql[skipBlank(sql, 0):] }

// QuoteIdent quotes name as an SQL identifier where it needs quotes (not
// lower case, not a plain word), as the server would print it.
func QuoteIdent(name string) string {
	plain := name != ""
	for i, r := range name {
		if !(r >= 'a' && r <= 'z' || r == '_' || (i > 0 && r >= '0' && r <= '9')) {
			plain = false
			break
		}
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteLiteral quotes s as an SQL string literal that reads the same
// whatever standard_conforming_strings says (E” where s holds a
// backslash).
func QuoteLiteral(s string) string {
	if strings.Contains(s, `\`) {
		return "E'" + strings.NewReplacer(`\`, `\\`, "'", "''").Replace(s) + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Command is the statement's command word as messages name it: its first
// keyword upper-cased ("DELETE"), or a backslash command as written
// ("\copy"); "" for text with neither.
func Command(sql string) string {
	rest := SkipBlank(sql)
	if strings.HasPrefix(rest, `\`) {
		if i := strings.IndexAny(rest, " \t\r\n"); i >= 0 {
			return rest[:i]
		}
		return rest
	}
	i := strings.IndexFunc(rest, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_')
	})
	if i < 0 {
		i = len(rest)
	}
	return strings.ToUpper(rest[:i])
}
