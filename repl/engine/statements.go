package engine

import (
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"

	"github.com/safesql/safesql/analyze/split"
)

// standardStrings is the session's live standard_conforming_strings, as
// the server reports it at connect and on every change: off, a backslash
// in a plain '...' string escapes the next character.
func (e *Engine) StandardStrings() bool {
	return e.conn == nil || e.conn.ParameterStatus("standard_conforming_strings") != "off"
}

// statements cuts text into the statements the server would run, as the
// splitter reads them with the live standard_conforming_strings. Text
// with one statement comes back unchanged (its bytes are what psql would
// send); anything the splitter sees as a backslash command is kept as text
// of its own, which the rules then see (and the server rejects), never
// dropped. rest[i] is the text from statement i on.
func (e *Engine) Statements(text string) (parts, rest []string) {
	body := strings.TrimRight(text, " \t\r\n;")
	if !strings.ContainsAny(body, ";\\") {
		return []string{text}, []string{text}
	}
	for _, it := range split.Split(text, split.WithStandardStrings(e.StandardStrings())) {
		switch it.Kind {
		case split.Statement:
			if strings.TrimSpace(strings.TrimRight(skipNoise(it.SQL), ";")) == "" {
				continue
			}
			parts = append(parts, it.SQL)
		case split.Meta:
			parts = append(parts, it.Text)
		default:
			continue
		}
		rest = append(rest, text[it.Start:])
	}
	if len(parts) <= 1 {
		return []string{text}, []string{text}
	}
	return parts, rest
}

// parseWhole shows the parser's error for the first of parts it rejects
// against the whole text, as the server does for a query text it cannot
// parse (nothing of it runs), and returns the failure; nil when every part
// parses.
func (e *Engine) ParseWhole(text string, parts, rest []string) error {
	e.initAnalyzer()
	a := e.analyzer.WithStandardStrings(e.StandardStrings())
	for i, part := range parts {
		v := a.Predict(part)
		pe := v.ParseError
		if !v.Has(analyze.FlagUnparsed) || pe == nil || pe.Cursor == 0 {
			continue
		}
		start := len(text) - len(rest[i])
		start += len(rest[i]) - len(skipNoise(rest[i]))
		pos := utf8.RuneCountInString(text[:start]) + pe.Cursor
		e.auditLine(audit.Entry{Statement: text, Class: v.Class.String(), Flags: flagStrings(v), Decision: audit.Refused, Reason: "parse error: " + pe.Message})
		err := &pgconn.PgError{Severity: "ERROR", SeverityUnlocalized: "ERROR", Code: "42601", Message: pe.Message, Position: int32(pos)}
		return e.host.Fail(text, err)
	}
	return nil
}
