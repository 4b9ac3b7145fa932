//go:build cgo

package pgparse

import pg_query "github.com/pganalyze/pg_query_go/v5"

// Available reports whether this build can parse (it was built with cgo).
const Available = true

// Parse parses one or more SQL statements into pg_query's protobuf tree.
func Parse(sql string) (*ParseResult, error) {
	return pg_query.Parse(sql)
}

// ParsePlPgSQLToJSON parses a complete CREATE FUNCTION ... LANGUAGE plpgsql
// statement and returns PL/pgSQL's own tree as JSON.
func ParsePlPgSQLToJSON(createFunction string) (string, error) {
	return pg_query.ParsePlPgSqlToJSON(createFunction)
}
