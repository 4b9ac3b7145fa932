package completetest

import (
	"context"
	"strconv"
	"strings"

	"github.com/safesql/safesql/repl/render"
)

// Catalog is a fixed catalogue: every relation, column and function in
// schema public, which is the search path.
type Catalog struct {
	Relations []string            // table and view names
	Schemas   []string            // user schemas
	Columns   map[string][]string // relation name -> its columns
	Functions []string            // functions on the search path
}

// Query answers any query with the catalogue's rows, in the shape of the
// completion engine's one catalogue query (repl/complete.Load): kind,
// schema, relation, name, then four more columns.
func (c Catalog) Query(context.Context, string) ([]render.Column, [][][]byte, error) {
	var rows [][][]byte
	row := func(v ...string) {
		r := make([][]byte, 8)
		for i, s := range v {
			r[i] = []byte(s)
		}
		rows = append(rows, r)
	}
	row("p", "", "", strings.Join([]string{"pg_catalog", "public"}, "\x1f"))
	for _, s := range c.Schemas {
		row("s", s)
	}
	for _, r := range c.Relations {
		row("r", "public", r, "", "r")
		for i, col := range c.Columns[r] {
			row("c", "public", r, col, "", "", "", strconv.Itoa(i+1))
		}
	}
	for _, f := range c.Functions {
		row("f", "public", "", f)
	}
	cols := make([]render.Column, 8)
	for i := range cols {
		cols[i] = render.Column{Name: "c" + strconv.Itoa(i)}
	}
	return cols, rows, nil
}
