package line

import (
	"reflect"
	"testing"
)

func testCompleter() *Completer {
	return NewCompleterWith(Catalog{
		Relations: []string{"orders", "order_items", "customers"},
		Schemas:   []string{"shop"},
		Columns: map[string][]string{
			"orders":    {"id", "ordered_at", "customer_id"},
			"customers": {"id", "cname", "created_at"},
		},
		Functions: []string{"order_total"},
	}, []string{`\dt`, `\di`, `\q`})
}

func TestCompleteKeywordsAndBackslashCommands(t *testing.T) {
	c := testCompleter()
	tests := []struct {
		line string
		want []string
		n    int
	}{
		{"sel", []string{"ect"}, 3},
		{"SEL", []string{"ECT"}, 3},
		{"select * from ord", []string{"er", "er_items", "er_total", "ered_at", "ers"}, 3},
		{`\d`, []string{"i", "t"}, 2},
		{"select ", nil, 0},
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
	// Nothing named: every column.
	got, _ = c.Complete([]rune("select custom"), len("select custom"))
	if want := []string{"customer_id", "customers"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
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
