package complete

import (
	"reflect"
	"strings"
	"testing"
)

// testMeta is a shop: orders reference customers, order_items reference
// orders; a view, a sequence-free catalogue, a second schema.
func testMeta() *Meta {
	return (&Meta{
		Schemas: []string{"public", "shop"},
		Relations: []*Relation{
			{Schema: "public", Name: "customers", Kind: 'r', Visible: true, Columns: []string{"id", "name", "email", "created_at"}},
			{Schema: "public", Name: "order_items", Kind: 'r', Visible: true, Columns: []string{"order_id", "sku", "qty"}},
			{Schema: "public", Name: "orders", Kind: 'r', Visible: true, Columns: []string{"id", "customer_id", "status", "placed_at"}},
			{Schema: "public", Name: "recent_orders", Kind: 'v', Visible: true, Columns: []string{"id", "status"}},
			{Schema: "shop", Name: "stock", Kind: 'r', Columns: []string{"sku", "on_hand"}},
			{Schema: "public", Name: "Order Notes", Kind: 'r', Visible: true, Columns: []string{"Note"}},
		},
		Functions: []Function{{Schema: "public", Name: "order_total", Visible: true}, {Schema: "shop", Name: "restock"}},
		ForeignKeys: []ForeignKey{
			{ChildSchema: "public", ChildTable: "orders", ChildColumns: []string{"customer_id"},
				ParentSchema: "public", ParentTable: "customers", ParentColumns: []string{"id"}},
			{ChildSchema: "public", ChildTable: "order_items", ChildColumns: []string{"order_id"},
				ParentSchema: "public", ParentTable: "orders", ParentColumns: []string{"id"}},
		},
	}).Index()
}

var metas = []string{`\d`, `\dt`, `\di`, `\q`, `\c`}

func TestSuggest(t *testing.T) {
	m := testMeta()
	tests := []struct {
		text string // | marks the cursor; none: at the end
		want []string
		// without: words that must not be offered (when want is nil)
		without []string
	}{
		// Statement start: commands only.
		{text: "sel", want: []string{"select"}},
		{text: "SEL", want: []string{"SELECT"}},
		{text: "co", want: []string{"comment", "commit", "copy"}},
		{text: "", want: nil},
		{text: "select 1; up", want: []string{"update"}},
		// After FROM / JOIN: relations and schemas, never columns, functions or commands.
		{text: "select * from ord", want: []string{"order_items", "orders"}},
		{text: "select * from o", want: []string{"order_items", "orders"}},
		{text: "select * from re", want: []string{"recent_orders"}},
		{text: "select * from s", want: []string{"shop"}},
		{text: "select * from public.or", want: []string{"order_items", "orders"}},
		{text: "select * from shop.s", want: []string{"stock"}},
		{text: `select * from "Ord`, want: []string{`"Order Notes"`}},
		{text: "select * from c", want: []string{"customers"}},
		{text: "truncate re", want: nil},
		{text: "update cu", want: []string{"customers"}},
		{text: "insert into o", want: []string{"order_items", "orders"}},
		// JOIN: relations, then the joins along foreign keys.
		{text: "select * from orders o join c", want: []string{"customers on customers.id = o.customer_id", "customers"}},
		{text: "select * from orders o join ", want: []string{"customers on customers.id = o.customer_id",
			"order_items on order_items.order_id = o.id", `"Order Notes"`, "customers", "order_items", "orders", "recent_orders", "public", "shop"}},
		// After ON: the conditions along foreign keys.
		{text: "select * from orders o join customers c on ", want: []string{"c.id = o.customer_id"}},
		{text: "SELECT * FROM orders o JOIN customers c ON ", want: []string{"c.id = o.customer_id"}},
		{text: "select * from orders o join customers c on c.", want: []string{"id = o.customer_id", "created_at", "email", "id", "name"}},
		{text: "select * from orders join order_items on ", want: []string{"order_items.order_id = orders.id"}},
		{text: "select * from orders o join order_items i on i.order_id = o.id join customers c on ",
			want: []string{"c.id = o.customer_id"}},
		{text: "select * from orders o join recent_orders r on ", want: []string{"o", "r"}},
		// WHERE, SET, the select list, ORDER BY, GROUP BY: columns and functions, not commands.
		{text: "select * from orders o where o.sta", want: []string{"status"}},
		{text: "select * from orders o where o.", want: []string{"customer_id", "id", "placed_at", "status"}},
		{text: "select * from orders where st", want: []string{"status", "statement_timestamp", "string_agg", "strpos"}},
		{text: "select * from orders where c", without: []string{"commit", "copy", "create", "created_at", "customers"}},
		{text: "select * from orders where c", want: []string{"customer_id", "ceil", "char_length", "clock_timestamp",
			"coalesce", "concat", "concat_ws", "count", "current_setting", "case", "cast", "current_date",
			"current_timestamp", "current_user"}},
		{text: "update orders set st", want: []string{"status", "statement_timestamp", "string_agg", "strpos"}},
		{text: "update orders set status = 'x' where pl", want: []string{"placed_at"}},
		{text: "select pl| from orders", want: []string{"placed_at"}},
		{text: "select o.| from orders o join customers c on c.id = o.customer_id", want: []string{"customer_id", "id", "placed_at", "status"}},
		{text: "select c.na| from orders o join customers c on c.id = o.customer_id", want: []string{"name"}},
		{text: "select * from orders order by pl", want: []string{"placed_at"}},
		{text: "select status, count(*) from orders group by st", want: []string{"status", "statement_timestamp", "string_agg", "strpos"}},
		{text: "select * from public.orders where public.orders.st", want: []string{"status"}},
		{text: "select * from orders where order_", want: []string{"order_total"}},
		{text: "insert into orders (st", want: []string{"status"}},
		{text: "select * from orders join order_items using (", want: nil},
		{text: "select * from orders o join customers c using (", want: []string{"id"}},
		// Common table expressions: their names after FROM, their columns
		// (named, aliased, or the "*" of their tables) after their alias.
		{text: "with big as (select id, total as amount, o.status from orders o where total > 9) select * from b", want: []string{"big"}},
		{text: "with big as (select id, total as amount, o.status from orders o) select b.| from big b", want: []string{"amount", "id", "status"}},
		{text: "with big (a, b) as (select 1, 2) select * from big where big.", want: []string{"a", "b"}},
		{text: "with c as (select * from customers), o as materialized (select count(*) n, customer_id from orders group by 2) select o.| from o join c on true",
			want: []string{"customer_id", "n"}},
		{text: "with c as (select * from customers) select c.na| from c", want: []string{"name"}},
		// After a name: the clause's keywords.
		{text: "select * from orders wh", want: []string{"where"}},
		{text: "select * from orders o le", want: []string{"left"}},
		{text: "select * from orders order ", want: []string{"by"}},
		{text: "dr", want: []string{"drop"}},
		{text: "drop ta", want: []string{"table"}},
		{text: "drop table or", want: []string{"order_items", "orders"}},
		{text: "select * from orders as ", want: nil},
		{text: "select 'ord", want: nil},
		// Backslash commands.
		{text: `\d`, want: []string{`\di`, `\dt`}},
		{text: `select 1 \q`, want: nil},
		{text: `\`, want: []string{`\c`, `\d`, `\di`, `\dt`, `\q`}},
		// Their arguments, as pgcli does: \d a relation, \dt a table,
		// \dv a view, \dn a schema, \df a function.
		{text: `\d or`, want: []string{"order_items", "orders"}},
		{text: `\d+ re`, want: []string{"recent_orders"}},
		{text: `\dt re`, want: nil},
		{text: `\dv `, want: []string{"recent_orders", "public", "shop"}},
		{text: `\d shop.`, want: []string{"stock"}},
		{text: `\dn s`, want: []string{"shop"}},
		{text: `\df or`, want: []string{"order_total"}},
		{text: `\df shop.r`, want: []string{"restock"}},
		{text: "\\d orders\nselect * from ord", want: []string{"order_items", "orders"}},
		{text: `\d orders cu`, want: nil},
	}
	for _, tt := range tests {
		text, cursor := tt.text, len(tt.text)
		if i := strings.IndexByte(text, '|'); i >= 0 {
			text, cursor = text[:i]+text[i+1:], i
		}
		cands, _ := Suggest(text, cursor, m, metas)
		var got []string
		for _, c := range cands {
			got = append(got, c.Text)
		}
		if tt.without != nil {
			for _, w := range tt.without {
				for _, g := range got {
					if g == w {
						t.Errorf("Suggest(%q) offers %q: %q", tt.text, w, got)
					}
				}
			}
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Suggest(%q)\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

func TestSuggestStart(t *testing.T) {
	m := testMeta()
	for _, tt := range []struct {
		text  string
		start int
	}{
		{"select * from orders o where o.sta", len("select * from orders o where o.")},
		{"select * from public.or", len("select * from public.")},
		{"sel", 0},
		{`select 1 \g`, len("select 1 ")},
		{"select * from orders o join customers c on ", len("select * from orders o join customers c on ")},
	} {
		if _, start := Suggest(tt.text, len(tt.text), m, metas); start != tt.start {
			t.Errorf("Suggest(%q) starts at %d, want %d", tt.text, start, tt.start)
		}
	}
}

func TestSuggestWithoutCatalogue(t *testing.T) {
	cands, _ := Suggest("select * from orders where st", len("select * from orders where st"), nil, nil)
	for _, c := range cands {
		if c.Kind == KindColumn || c.Kind == KindRelation {
			t.Errorf("no catalogue, yet %q offered", c.Text)
		}
	}
}
