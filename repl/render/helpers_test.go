package render

import (
	"io"

	"github.com/jackc/pgx/v5/pgconn"
)

// What the tests call that the program does not: the session prints
// through ErrorVerbosity and NoticeVerbosity with its own settings.

// Error prints a server error as psql 15 does at its default VERBOSITY and
// SHOW_CONTEXT: "ERROR:  message", the LINE with a caret under the error
// position, then DETAIL, HINT, QUERY and CONTEXT lines. query is the text
// that was sent (the position counts characters in it); with no query a
// position is shown as " at character N", as libpq does. prefix goes
// before the first line only: "" interactively, "safesql:FILE:LINE: " for
// script input (psql's "psql:FILE:LINE: ").
func Error(w io.Writer, err *pgconn.PgError, query string, prefix string) {
	ErrorVerbosity(w, err, query, prefix, VerbosityDefault, ContextErrors)
}

// Notice prints a NOTICE, WARNING, INFO... as psql does (the caller passes
// standard error): like Error, without CONTEXT, which psql shows for errors
// only by default. A notice carries no query text, so a position is shown
// as " at character N".
func Notice(w io.Writer, n *pgconn.Notice, prefix string) {
	if n == nil {
		return
	}
	_, _ = w.Write(buildMessage(nil, (*pgconn.PgError)(n), "", prefix, false, false, VerbosityDefault))
}
