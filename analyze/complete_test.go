package analyze

import (
	"reflect"
	"strings"
	"testing"
)

func TestCompletionAt(t *testing.T) {
	tests := []struct {
		text      string // | marks the cursor; none: at the end
		place     Place
		clause    string
		word      string
		qualifier string
		join      bool
		tables    []TableRef
	}{
		{text: "sel", place: PlaceStart, word: "sel"},
		{text: "", place: PlaceStart},
		{text: "select 1; upd", place: PlaceStart, word: "upd"},
		{text: "select * from ord", place: PlaceRelation, clause: "from", word: "ord"},
		{text: "select * from public.or", place: PlaceRelation, clause: "from", word: "or", qualifier: "public"},
		{text: "select * from orders o where o.sta", place: PlaceColumn, clause: "where", word: "sta", qualifier: "o",
			tables: []TableRef{{Name: "orders", Alias: "o"}}},
		{text: "select * from orders o join customers c on ", place: PlaceJoinCondition, clause: "on",
			tables: []TableRef{{Name: "orders", Alias: "o"}, {Name: "customers", Alias: "c"}}},
		{text: "select * from orders o join ", place: PlaceRelation, clause: "join", join: true,
			tables: []TableRef{{Name: "orders", Alias: "o"}}},
		{text: "select * from orders o cross join ", place: PlaceRelation, clause: "join",
			tables: []TableRef{{Name: "orders", Alias: "o"}}},
		{text: "select * from orders o join customers c on c.id = o.customer_id and ", place: PlaceJoinCondition, clause: "on",
			tables: []TableRef{{Name: "orders", Alias: "o"}, {Name: "customers", Alias: "c"}}},
		{text: "select * from orders where id = 1 and sta", place: PlaceColumn, clause: "where", word: "sta",
			tables: []TableRef{{Name: "orders"}}},
		{text: "select | from shop.orders as x", place: PlaceColumn, clause: "select",
			tables: []TableRef{{Schema: "shop", Name: "orders", Alias: "x"}}},
		{text: "select id, | from orders", place: PlaceColumn, clause: "select", tables: []TableRef{{Name: "orders"}}},
		{text: "select * from orders, ", place: PlaceRelation, clause: "from", tables: []TableRef{{Name: "orders"}}},
		{text: "select * from orders ", place: PlaceKeyword, clause: "from", tables: []TableRef{{Name: "orders"}}},
		{text: "select * from orders order by ", place: PlaceColumn, clause: "order by", tables: []TableRef{{Name: "orders"}}},
		{text: "select count(*) from orders group by ", place: PlaceColumn, clause: "group by", tables: []TableRef{{Name: "orders"}}},
		{text: "update orders set ", place: PlaceColumn, clause: "set", tables: []TableRef{{Name: "orders"}}},
		{text: "update orders set status = 'x', ", place: PlaceColumn, clause: "set", tables: []TableRef{{Name: "orders"}}},
		{text: "set ", place: PlaceNone, clause: "set"},
		{text: "delete from ", place: PlaceRelation, clause: "from"},
		{text: "insert into ", place: PlaceRelation, clause: "into"},
		{text: "insert into orders (", place: PlaceColumn, clause: "into", tables: []TableRef{{Name: "orders"}}},
		{text: "truncate ", place: PlaceRelation, clause: "truncate"},
		{text: "create table ", place: PlaceNone, clause: "table"},
		{text: "drop table ", place: PlaceRelation, clause: "table"},
		{text: "create index on ", place: PlaceRelation, clause: "on"},
		{text: "select * from orders as ", place: PlaceNone, clause: "as", tables: []TableRef{{Name: "orders"}}},
		{text: "select 'from ", place: PlaceNone},
		{text: "select * from orders -- where ", place: PlaceNone},
		{text: `select * from "Order Items" oi where oi.`, place: PlaceColumn, clause: "where", qualifier: "oi",
			tables: []TableRef{{Name: "Order Items", Alias: "oi"}}},
		{text: `\d`, place: PlaceMeta, word: `\d`},
		{text: `select 1 \g`, place: PlaceMeta, word: `\g`},
		{text: "select * from orders where exists (", place: PlaceStart, clause: "where", tables: []TableRef{{Name: "orders"}}},
		{text: "select * from orders where lower(", place: PlaceColumn, clause: "where", tables: []TableRef{{Name: "orders"}}},
		{text: "select * from a join b using (", place: PlaceColumn, clause: "using(", tables: []TableRef{{Name: "a"}, {Name: "b"}}},
		{text: "select * from orders where id is not distinct from ", place: PlaceColumn, clause: "where", tables: []TableRef{{Name: "orders"}}},
		{text: "select * from (select 1) s join ", place: PlaceRelation, clause: "join", join: true},
		{text: "select * from generate_series(1, 3) g, ord", place: PlaceRelation, clause: "from", word: "ord"},
	}
	for _, tt := range tests {
		text, cursor := tt.text, len(tt.text)
		if i := strings.IndexByte(text, '|'); i >= 0 {
			text, cursor = text[:i]+text[i+1:], i
		}
		got := CompletionAt(text, cursor)
		if got.Place != tt.place || got.Clause != tt.clause || got.Word != tt.word || got.Qualifier != tt.qualifier ||
			got.Join != tt.join || !reflect.DeepEqual(got.Tables, tt.tables) || got.Start != cursor-len(tt.word) {
			t.Errorf("CompletionAt(%q) = %+v\nwant place %d clause %q word %q qualifier %q join %v tables %+v",
				tt.text, got, tt.place, tt.clause, tt.word, tt.qualifier, tt.join, tt.tables)
		}
	}
}

func TestCompletionAtNeverPanics(t *testing.T) {
	for _, s := range []string{`"`, `'`, `$$`, `$a$ x`, `/*`, `e'\`, `(((`, `)))`, `.`, `..x`, `a.b.c.`, `select "a""`, `::`, `$1`, `:x`} {
		for i := 0; i <= len(s); i++ {
			CompletionAt(s, i)
		}
	}
}
