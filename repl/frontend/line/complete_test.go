package line

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/internal/completetest"
	"github.com/safesql/safesql/repl/render"
)

func testCompleter() *Completer {
	return NewCompleter(completetest.Catalog{
		Relations: []string{"orders", "order_items", "customers"},
		Schemas:   []string{"shop"},
		Columns: map[string][]string{
			"orders":    {"id", "ordered_at", "customer_id"},
			"customers": {"id", "cname", "created_at"},
		},
		Functions: []string{"order_total"},
	}, []string{`\dt`, `\di`, `\q`})
}

func TestCompleteDo(t *testing.T) {
	c := testCompleter()
	tests := []struct {
		line string
		want []string
		n    int
	}{
		{"sel", []string{"ect"}, 3},
		{"SEL", []string{"ECT"}, 3},
		// Relations only after FROM: no column, no function.
		{"select * from ord", []string{"er_items", "ers"}, 3},
		{`\d`, []string{"i", "t"}, 2},
		{"", nil, 0},
		// An empty word after ON, no foreign key: the aliases.
		{"select * from orders o join customers c on ", []string{"c", "o"}, 0},
		{"select * from orders o where o.ord", []string{"ered_at"}, 3},
		// Rune offsets: the word after a multi-byte string.
		{"select 'é' from orders where cu", []string{"rrent_date", "rrent_setting", "rrent_timestamp", "rrent_user", "stomer_id"}, 2},
	}
	for _, tt := range tests {
		got, n := c.Do([]rune(tt.line), len([]rune(tt.line)))
		var strs []string
		for _, g := range got {
			strs = append(strs, string(g))
		}
		if !reflect.DeepEqual(strs, tt.want) || n != tt.n {
			t.Errorf("Do(%q) = %q, %d; want %q, %d", tt.line, strs, n, tt.want, tt.n)
		}
	}
}

func TestCompleteColumnsOfTheNamedTables(t *testing.T) {
	c := testCompleter()
	// customers is named: its columns, not those of orders.
	got, start := c.Complete([]rune("select c from customers"), len("select c"))
	if !contains(got, "cname") || !contains(got, "created_at") || contains(got, "customer_id") || start != 7 {
		t.Errorf("got %q at %d, want the columns of customers (not of orders) at 7", got, start)
	}
	// Commands are not offered in an expression.
	if contains(got, "commit") || contains(got, "copy") || contains(got, "create") {
		t.Errorf("commands offered in a select list: %q", got)
	}
}

// fakeQuerier answers the catalogue query with a fixed catalogue.
type fakeQuerier struct {
	calls int
	err   error
	rows  [][][]byte
}

func (f *fakeQuerier) Query(ctx context.Context, sql string) ([]render.Column, [][][]byte, error) {
	f.calls++
	if !strings.Contains(sql, "pg_catalog.pg_class") {
		return nil, nil, errors.New("unexpected query")
	}
	return nil, f.rows, f.err
}

func row(s ...string) [][]byte {
	r := make([][]byte, len(s))
	for i := range s {
		r[i] = []byte(s[i])
	}
	return r
}

func TestCompleterReadsTheCatalogueOnceUntilInvalidated(t *testing.T) {
	q := &fakeQuerier{rows: [][][]byte{
		row("p", "", "", "pg_catalog\x1fpublic", "", "", "", "0"),
		row("r", "public", "orders", "", "r", "", "", "0"),
		row("c", "public", "orders", "status", "", "", "", "1"),
	}}
	c := NewCompleter(q, []string{`\dt`})
	for range 3 {
		if got, _ := c.Complete([]rune("select * from or"), 16); !reflect.DeepEqual(got, []string{"orders"}) {
			t.Fatalf("got %q, want [orders]", got)
		}
	}
	if got, _ := c.Complete([]rune("select * from orders where st"), 29); !contains(got, "status") {
		t.Fatalf("got %q, want status", got)
	}
	if q.calls != 1 {
		t.Fatalf("catalogue read %d times, want once", q.calls)
	}
	// A backslash command or a first word needs no catalogue.
	c.Invalidate()
	c.Complete([]rune(`\d`), 2)
	if q.calls != 1 {
		t.Fatalf("catalogue read for a backslash command")
	}
	q.rows = append(q.rows, row("r", "public", "order_items", "", "r", "", "", "0"))
	if got, _ := c.Complete([]rune("select * from or"), 16); !reflect.DeepEqual(got, []string{"order_items", "orders"}) {
		t.Fatalf("after Invalidate got %q, want the new table too", got)
	}
	if q.calls != 2 {
		t.Fatalf("catalogue read %d times, want twice", q.calls)
	}
	// A failed read keeps the names known before, and is not retried on
	// every key.
	c.Invalidate()
	q.err = errors.New("current transaction is aborted")
	for range 3 {
		if got, _ := c.Complete([]rune("select * from or"), 16); len(got) != 2 {
			t.Fatalf("after a failed read got %q, want the names known before", got)
		}
	}
	if q.calls != 3 {
		t.Fatalf("catalogue read %d times after a failure, want 3", q.calls)
	}
}

func TestSuspendedCompleterOffersNothingAndReadsNothing(t *testing.T) {
	q := &fakeQuerier{rows: [][][]byte{row("p", "", "", "public", "", "", "", "0"), row("r", "public", "orders", "", "r", "", "", "0")}}
	c := NewCompleter(q, []string{`\dt`})
	resume := c.Suspend()
	for _, text := range []string{"pro", "select * from or", `\d`} {
		if got, n := c.Do([]rune(text), len(text)); got != nil || n != 0 {
			t.Errorf("suspended: Do(%q) = %q, %d", text, got, n)
		}
	}
	if q.calls != 0 {
		t.Errorf("suspended, the catalogue was read %d times", q.calls)
	}
	resume()
	resume() // twice is once
	if got, _ := c.Complete([]rune("select * from or"), 16); len(got) != 1 || q.calls != 1 {
		t.Errorf("resumed: got %q after %d reads", got, q.calls)
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func TestCommonPrefix(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"orders"}, "orders"},
		{[]string{"order_items", "orders", "ORDER"}, "order"},
	} {
		if got := CommonPrefix(tt.in); got != tt.want {
			t.Errorf("CommonPrefix(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
