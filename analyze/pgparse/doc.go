// Package pgparse is the only door to pg_query_go: it parses SQL and PL/pgSQL
// with PostgreSQL's own parser and re-exports the parse-tree types the
// analyzer walks.
//
// Classification rules do not belong here (they live in package analyze);
// without cgo every parse fails with ErrNoParser, so callers fail closed.
//
// It imports nothing of safesql.
package pgparse
