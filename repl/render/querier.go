package render

import "context"

// Querier runs one catalogue query (simple protocol, text results) and
// returns its columns and rows as the renderer takes them; a NULL value is
// a nil slice. A server error is returned as it is (a *pgconn.PgError), so
// that the caller prints it the way psql does. The session implements it; the describing commands and
// completion read the catalogue through it.
type Querier interface {
	Query(ctx context.Context, sql string) ([]Column, [][][]byte, error)
}
