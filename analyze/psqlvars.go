package analyze

import "strings"

// substitutePsqlVars replaces psql variable references outside quotes so a
// script statement can be parsed: :'name' becomes a string literal, :"name"
// a quoted identifier, :name the quoted identifier ":name" (which parses both
// where a value and where a name is expected) and :{?name} true. It reports whether
// anything was replaced.
func substitutePsqlVars(sql string) (string, bool) {
	if !strings.Contains(sql, ":") {
		return sql, false
	}
	var b strings.Builder
	changed := false
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(sql) && sql[j] != c {
				j++
			}
			if j >= len(sql) {
				j = len(sql) - 1
			}
			b.WriteString(sql[i : j+1])
			i = j
			continue
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				b.WriteString(sql[i:])
				return b.String(), changed
			}
			b.WriteString(sql[i : i+j])
			i += j - 1
			continue
		case c == ':' && i+1 < len(sql) && (i == 0 || sql[i-1] != ':') && sql[i+1] != ':' && sql[i+1] != '=':
			next := sql[i+1]
			switch {
			case next == '\'' || next == '"':
				if j := strings.IndexByte(sql[i+2:], next); j >= 0 {
					b.WriteString(sql[i+1 : i+2+j+1])
					i += 2 + j
					changed = true
					continue
				}
			case next == '{' && i+2 < len(sql) && sql[i+2] == '?':
				if j := strings.IndexByte(sql[i:], '}'); j >= 0 {
					b.WriteString("true")
					i += j
					changed = true
					continue
				}
			case isIdentStart(next):
				j := i + 1
				for j < len(sql) && isIdentChar(sql[j]) {
					j++
				}
				// A quoted identifier keeps the reference readable in reasons
				// (":tbl") and never equals a real column.
				b.WriteString(`":` + sql[i+1:j] + `"`)
				i = j - 1
				changed = true
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String(), changed
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isIdentChar(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') }
