package analyze

import (
	"strings"

	"github.com/safesql/safesql/analyze/lex"
)

// substitutePsqlVars replaces psql variable references outside quotes,
// comments and dollar quotes so a script statement can be parsed: :'name'
// becomes a string literal, :"name" a quoted identifier, :name the quoted
// identifier ":name" (which parses both where a value and where a name is
// expected) and :{?name} true. A ':' before a digit is left alone (an
// array slice, a[1:2]). It reports whether anything was replaced.
func substitutePsqlVars(sql string) (string, bool) {
	if !strings.Contains(sql, ":") {
		return sql, false
	}
	var b strings.Builder
	changed := false
	lx := lex.NewLexer(sql, lex.State{}, lex.Options{})
	for {
		t, ok := lx.Next()
		if !ok {
			return b.String(), changed
		}
		text := sql[t.Start:t.End]
		if t.Kind == lex.Variable {
			switch next := text[1]; {
			case next == '\'' || next == '"':
				b.WriteString(text[1:])
				changed = true
				continue
			case next == '{':
				b.WriteString("true")
				changed = true
				continue
			case lex.IsIdentStart(next):
				// A quoted identifier keeps the reference readable in reasons
				// (":tbl") and never equals a real column.
				b.WriteString(`":` + text[1:] + `"`)
				changed = true
				continue
			}
		}
		b.WriteString(text)
	}
}
