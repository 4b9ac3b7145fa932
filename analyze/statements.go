package analyze

import (
	"strings"

	"github.com/safesql/safesql/analyze/split"
)

// Statements cuts text into the statements the server would run, as the
// splitter reads them with the session's standard_conforming_strings.
// Text with one statement comes back unchanged (its bytes are what psql
// would send); anything the splitter sees as a backslash command is kept
// as text of its own, which the rules then see (and the server rejects),
// never dropped. rest[i] is the text from statement i on.
func Statements(text string, standardStrings bool) (parts, rest []string) {
	body := strings.TrimRight(text, " \t\r\n;")
	if !strings.ContainsAny(body, ";\\") {
		return []string{text}, []string{text}
	}
	for _, it := range split.Split(text, split.WithStandardStrings(standardStrings)) {
		switch it.Kind {
		case split.Statement:
			if strings.TrimSpace(strings.TrimRight(SkipBlank(it.SQL), ";")) == "" {
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

// CopyToClient reports whether sql (its first statement, where the text
// holds several, as psql's multi-statement query runs) is a COPY ... TO
// STDOUT, whose data the client reads as COPY data. Text that cannot start
// with COPY is not parsed: scripts are mostly other statements.
func (a *Analyzer) CopyToClient(sql string) bool {
	rest := SkipBlank(sql)
	if len(rest) < 4 || !strings.EqualFold(rest[:4], "copy") {
		return false
	}
	v := a.Predict(sql)
	if v.Statements > 1 {
		if parts, _ := Statements(sql, !a.opts.scsOff); len(parts) > 1 {
			v = a.Predict(parts[0])
		}
	}
	return v.CopyToClient
}
