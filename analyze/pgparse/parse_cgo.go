//go:build cgo

package pgparse

import (
	"errors"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"github.com/pganalyze/pg_query_go/v5/parser"
)

// Available reports whether this build can parse (it was built with cgo).
const Available = true

// Parse parses one or more SQL statements into pg_query's protobuf tree.
func Parse(sql string) (*ParseResult, error) {
	if strings.IndexByte(sql, 0) >= 0 {
		// The C parser would stop at the NUL and never see the rest.
		return nil, ErrNUL
	}
	if err := checkDepth(sql); err != nil {
		return nil, err
	}
	return pg_query.Parse(sql)
}

// ParsePlPgSQLToJSON parses a complete CREATE FUNCTION ... LANGUAGE plpgsql
// statement and returns PL/pgSQL's own tree as JSON.
//
// The statement must have an AS body: libpg_query asserts (and aborts the
// process) on a PL/pgSQL function without one, so that case is refused here.
func ParsePlPgSQLToJSON(createFunction string) (string, error) {
	if strings.IndexByte(createFunction, 0) >= 0 {
		return "", ErrNUL
	}
	if err := checkDepth(createFunction); err != nil {
		return "", err
	}
	res, err := pg_query.Parse(createFunction)
	if err != nil {
		return "", err
	}
	for _, raw := range res.Stmts {
		cf := raw.GetStmt().GetCreateFunctionStmt()
		if cf == nil {
			continue
		}
		hasBody := false
		for _, o := range cf.Options {
			if d := o.GetDefElem(); d != nil && d.Defname == "as" {
				if l := d.Arg.GetList(); l != nil && len(l.Items) == 1 && l.Items[0].GetString_() != nil {
					hasBody = true
				}
			}
		}
		if !hasBody {
			return "", ErrNoBody
		}
	}
	return pg_query.ParsePlPgSqlToJSON(createFunction)
}

// ErrorPosition returns the message of a parser error and the 1-based
// character position in the parsed text it points at (0 when it points
// nowhere); ok is false when err is not an error of the parser.
func ErrorPosition(err error) (msg string, cursor int, ok bool) {
	var pe *parser.Error
	if !errors.As(err, &pe) {
		return "", 0, false
	}
	return pe.Message, pe.Cursorpos, true
}
