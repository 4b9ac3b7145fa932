package engine

import (
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
)

// standardStrings is the session's live standard_conforming_strings, as
// the server reports it at connect and on every change: off, a backslash
// in a plain '...' string escapes the next character.
func (e *Engine) StandardStrings() bool {
	return e.conn == nil || e.conn.ParameterStatus("standard_conforming_strings") != "off"
}

// Statements cuts text into the statements the server would run with
// the live standard_conforming_strings (analyze.Statements).
func (e *Engine) Statements(text string) (parts, rest []string) {
	return analyze.Statements(text, e.StandardStrings())
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
		start += len(rest[i]) - len(analyze.SkipBlank(rest[i]))
		pos := utf8.RuneCountInString(text[:start]) + pe.Cursor
		e.auditLine(audit.Entry{Statement: text, Class: v.Class.String(), Flags: flagStrings(v), Decision: audit.Refused, Reason: "parse error: " + pe.Message})
		err := &pgconn.PgError{Severity: "ERROR", SeverityUnlocalized: "ERROR", Code: "42601", Message: pe.Message, Position: int32(pos)}
		return e.host.Fail(text, err)
	}
	return nil
}

// CountStatements is how many statements the server will find in text,
// as its parser counts them (a COPY ... FROM STDIN followed by more
// statements in one text included, which the script splitter would read
// as data); at least 1.
func (e *Engine) CountStatements(text string) int {
	e.initAnalyzer()
	if n := e.analyzer.Predict(text).Statements; n > 1 {
		return n
	}
	return 1
}
