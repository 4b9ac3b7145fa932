package engine

import (
	"context"
	"testing"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// TestNamesTravelAsAParameter: the names a catalogue query looks up reach
// the server exactly, whatever they hold, as a bound text[] parameter.
func TestNamesTravelAsAParameter(t *testing.T) {
	conn, _ := pgtest.Conn(t)
	names := []string{`plain`, `"Quoted"`, `back\slash`, `com,ma`, `{brace}`, `sp ace`, `NULL`, `'); drop table x; --`, `ünï`, ``}
	res := conn.PgConn().ExecParams(context.Background(), `SELECT n FROM unnest($1::text[]) WITH ORDINALITY AS a(n, i) ORDER BY i`,
		[][]byte{textArray(names)}, nil, nil, nil).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	rows := res.Rows
	if len(rows) != len(names) {
		t.Fatalf("%d names came back, want %d", len(rows), len(names))
	}
	for i, r := range rows {
		if r[0] == nil || string(r[0]) != names[i] {
			t.Errorf("name %d came back as %q, want %q", i, r[0], names[i])
		}
	}
}
