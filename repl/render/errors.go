package render

import (
	"io"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Verbosity is psql's VERBOSITY: how much of an error is shown.
type Verbosity int

const (
	VerbosityDefault  Verbosity = iota
	VerbosityTerse              // the severity and the message only
	VerbosityVerbose            // with the SQLSTATE, the names and the source location
	VerbositySQLState           // the severity and the SQLSTATE only
)

// ParseVerbosity reads a VERBOSITY value as psql does (unknown values are
// the default).
func ParseVerbosity(v string) Verbosity {
	switch strings.ToLower(v) {
	case "terse":
		return VerbosityTerse
	case "verbose":
		return VerbosityVerbose
	case "sqlstate":
		return VerbositySQLState
	}
	return VerbosityDefault
}

// Context is psql's SHOW_CONTEXT: when the CONTEXT field is shown.
type Context int

const (
	ContextErrors Context = iota // for errors only (the default)
	ContextNever
	ContextAlways // for notices too
)

// ParseContext reads a SHOW_CONTEXT value (unknown values are the default).
func ParseContext(v string) Context {
	switch strings.ToLower(v) {
	case "never":
		return ContextNever
	case "always":
		return ContextAlways
	}
	return ContextErrors
}

// ErrorVerbosity is Error at the given verbosity and SHOW_CONTEXT.
func ErrorVerbosity(w io.Writer, err *pgconn.PgError, query, prefix string, v Verbosity, c Context) {
	if err == nil {
		return
	}
	_, _ = w.Write(buildMessage(nil, err, query, prefix, true, c != ContextNever, v))
}

// NoticeVerbosity is Notice at the given verbosity and SHOW_CONTEXT.
func NoticeVerbosity(w io.Writer, n *pgconn.Notice, prefix string, v Verbosity, c Context) {
	if n == nil {
		return
	}
	_, _ = w.Write(buildMessage(nil, (*pgconn.PgError)(n), "", prefix, false, c == ContextAlways, v))
}

// buildMessage is libpq's error message at verbosity v; context shows the
// CONTEXT field (psql's SHOW_CONTEXT).
func buildMessage(b []byte, e *pgconn.PgError, query, prefix string, isError, context bool, v Verbosity) []byte {
	b = append(b, prefix...)
	sev := e.Severity
	if sev == "" {
		sev = e.SeverityUnlocalized
	}
	if sev == "" && isError {
		sev = "ERROR"
	}
	if sev != "" {
		b = append(b, sev...)
		b = append(b, ":  "...)
	}
	if v == VerbositySQLState {
		if e.Code != "" {
			return append(append(b, e.Code...), '\n')
		}
		return append(append(b, e.Message...), '\n')
	}
	if v == VerbosityVerbose && e.Code != "" {
		b = append(b, e.Code...)
		b = append(b, ": "...)
	}
	b = append(b, e.Message...)
	querytext, pos := "", 0
	if e.Position > 0 {
		if query != "" && v != VerbosityTerse {
			querytext, pos = query, int(e.Position)
		} else {
			b = append(b, " at character "...)
			b = strconv.AppendInt(b, int64(e.Position), 10)
		}
	} else if e.InternalPosition > 0 {
		if e.InternalQuery != "" && v != VerbosityTerse {
			querytext, pos = e.InternalQuery, int(e.InternalPosition)
		} else {
			b = append(b, " at character "...)
			b = strconv.AppendInt(b, int64(e.InternalPosition), 10)
		}
	}
	b = append(b, '\n')
	if v == VerbosityTerse {
		return b
	}
	if querytext != "" && pos > 0 {
		b = appendErrorPosition(b, querytext, pos)
	}
	field := func(label, v string) {
		if v != "" {
			b = append(b, label...)
			b = append(b, v...)
			b = append(b, '\n')
		}
	}
	field("DETAIL:  ", e.Detail)
	field("HINT:  ", e.Hint)
	field("QUERY:  ", e.InternalQuery)
	if context {
		field("CONTEXT:  ", e.Where)
	}
	if v != VerbosityVerbose {
		return b
	}
	field("SCHEMA NAME:  ", e.SchemaName)
	field("TABLE NAME:  ", e.TableName)
	field("COLUMN NAME:  ", e.ColumnName)
	field("DATATYPE NAME:  ", e.DataTypeName)
	field("CONSTRAINT NAME:  ", e.ConstraintName)
	if e.Routine != "" || (e.File != "" && e.Line > 0) {
		b = append(b, "LOCATION:  "...)
		if e.Routine != "" {
			b = append(b, e.Routine...)
			b = append(b, ", "...)
		}
		if e.File != "" && e.Line > 0 {
			b = append(b, e.File...)
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(e.Line), 10)
		}
		b = append(b, '\n')
	}
	return b
}

// appendErrorPosition is libpq's reportErrorPosition: the line of query
// holding character loc (1-based), cut to about 60 columns around it, and a
// caret under the character.
func appendErrorPosition(b []byte, query string, loc int) []byte {
	const displaySize = 60 // screen width limit, in columns
	const minRightCut = 10 // try to keep this far away from the end of line

	loc--
	if loc < 0 {
		return b
	}
	wq := []byte(query)
	wq = cutNUL(wq)
	qidx := make([]int, len(wq)+1)
	scridx := make([]int, len(wq)+1)
	qoff, scroff, locLine, ibeg, iend := 0, 0, 1, 0, -1
	cno := 0
	for ; qoff < len(wq); cno++ {
		ch := wq[qoff]
		qidx[cno] = qoff
		scridx[cno] = scroff
		if ch == '\t' {
			wq[qoff] = ' '
		} else if ch == '\r' || ch == '\n' {
			if cno < loc {
				if ch == '\r' || cno == 0 || wq[qidx[cno-1]] != '\r' {
					locLine++
				}
				ibeg = cno + 1
			} else {
				iend = cno
				break
			}
		}
		w := dspLen(wq[qoff:])
		if w <= 0 {
			w = 1
		}
		scroff += w
		qoff += mbLenBounded(wq[qoff:])
	}
	if iend < 0 {
		iend = cno
		qidx[iend] = qoff
		scridx[iend] = scroff
	}
	if loc > cno {
		return b
	}
	begTrunc, endTrunc := false, false
	if scridx[iend]-scridx[ibeg] > displaySize {
		if scridx[ibeg]+displaySize >= scridx[loc]+minRightCut {
			for scridx[iend]-scridx[ibeg] > displaySize {
				iend--
			}
			endTrunc = true
		} else {
			for scridx[loc]+minRightCut < scridx[iend] {
				iend--
				endTrunc = true
			}
			for scridx[iend]-scridx[ibeg] > displaySize {
				ibeg++
				begTrunc = true
			}
		}
	}
	start := len(b)
	b = append(b, "LINE "...)
	b = strconv.AppendInt(b, int64(locLine), 10)
	b = append(b, ": "...)
	if begTrunc {
		b = append(b, "..."...)
	}
	width := len(b) - start // the prefix is ASCII
	b = append(b, wq[qidx[ibeg]:qidx[iend]]...)
	if endTrunc {
		b = append(b, "..."...)
	}
	b = append(b, '\n')
	width += scridx[loc] - scridx[ibeg]
	for i := 0; i < width; i++ {
		b = append(b, ' ')
	}
	return append(b, '^', '\n')
}
