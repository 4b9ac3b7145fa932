package repl

import (
	"strings"

	"github.com/safesql/safesql/analyze/split"
)

// standardStrings is the session's live standard_conforming_strings, as
// the server reports it at connect and on every change: off, a backslash
// in a plain '...' string escapes the next character.
func (s *Session) standardStrings() bool {
	return s.conn == nil || s.conn.ParameterStatus("standard_conforming_strings") != "off"
}

// statements cuts text into the statements the server would run, as the
// splitter reads them with the live standard_conforming_strings. Text
// with one statement comes back unchanged (its bytes are what psql would
// send); anything the splitter sees as a backslash command is kept as text
// of its own, which the rules then see (and the server rejects), never
// dropped. rest[i] is the text from statement i on.
func (s *Session) statements(text string) (parts, rest []string) {
	body := strings.TrimRight(text, " \t\r\n;")
	if !strings.ContainsAny(body, ";\\") {
		return []string{text}, []string{text}
	}
	for _, it := range split.Split(text, split.WithStandardStrings(s.standardStrings())) {
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
