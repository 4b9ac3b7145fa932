package shell

import (
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/repl/audit"
)

// The one redaction (audit.Redact) applies to everything safesql prints or
// keeps that may quote what was typed: the script plan, the history and
// \s, the -L session log, and errors that show the statement.

// redactedError is what an error about sql shows: the statement redacted,
// and the error with the same secrets scrubbed from its texts and its
// position moved to where the redacted statement puts it. When sql holds
// no secret both come back as they were.
func redactedError(sql string, e *pgconn.PgError) (string, *pgconn.PgError) {
	shown, scrub := audit.RedactStatement(sql)
	inner, _ := audit.RedactStatement(e.InternalQuery)
	if shown == sql && inner == e.InternalQuery && scrub(e.Message) == e.Message &&
		scrub(e.Detail) == e.Detail && scrub(e.Hint) == e.Hint && scrub(e.Where) == e.Where {
		return sql, e
	}
	c := *e
	c.Message, c.Detail, c.Hint, c.Where = scrub(e.Message), scrub(e.Detail), scrub(e.Hint), scrub(e.Where)
	c.Position = movedPosition(sql, shown, e.Position)
	c.InternalQuery = inner
	c.InternalPosition = movedPosition(e.InternalQuery, inner, e.InternalPosition)
	return shown, &c
}

// movedPosition maps pos (1-based, in characters) in from to the same
// place in to, where to is from with some parts replaced: unchanged before
// the first difference and after the last, else the start of the
// replaced part.
func movedPosition(from, to string, pos int32) int32 {
	if pos <= 0 || from == to {
		return pos
	}
	a, b := []rune(from), []rune(to)
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	p := int(pos) - 1
	switch {
	case p < pre:
		return pos
	case p >= len(a)-suf:
		return int32(p + len(b) - len(a) + 1)
	}
	return int32(pre + 1)
}
