package repl

import (
	"strings"

	"github.com/safesql/safesql/analyze/split"
)

// statements cuts text into the statements the server would run, as the
// splitter reads them. Text with one statement comes back unchanged (its
// bytes are what psql would send); anything the splitter sees as a
// backslash command is kept as text of its own, which the rules then see
// (and the server rejects), never dropped.
func (s *Session) statements(text string) []string {
	body := strings.TrimRight(text, " \t\r\n;")
	if !strings.ContainsAny(body, ";\\") {
		return []string{text}
	}
	var out []string
	for _, it := range split.Split(text) {
		switch it.Kind {
		case split.Statement:
			if strings.TrimSpace(strings.TrimRight(skipNoise(it.SQL), ";")) == "" {
				continue
			}
			out = append(out, it.SQL)
		case split.Meta:
			out = append(out, it.Text)
		}
	}
	if len(out) <= 1 {
		return []string{text}
	}
	return out
}
