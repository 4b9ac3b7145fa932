package complete

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
	"github.com/safesql/safesql/repl/render"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// connQuerier runs the catalogue query on a pgx connection, as the
// session's Query does (simple protocol, text values).
type connQuerier struct{ c *pgx.Conn }

func (q connQuerier) Query(ctx context.Context, sql string) ([]render.Column, [][][]byte, error) {
	res, err := q.c.PgConn().Exec(ctx, sql).ReadAll()
	if err != nil {
		return nil, nil, err
	}
	var rows [][][]byte
	for _, r := range res {
		if r.Err != nil {
			return nil, nil, r.Err
		}
		rows = r.Rows
	}
	return nil, rows, nil
}

func exec(t testing.TB, c *pgx.Conn, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := c.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestLoadReadsTheCatalogue(t *testing.T) {
	c, _ := pgtest.Conn(t)
	exec(t, c, `create schema shop;
		create table customers (id int primary key, name text);
		create table orders (id int primary key, customer_id int references customers, old text, status text, "Placed At" timestamptz);
		create table shop.stock (sku text, region int, qty int, primary key (sku, region));
		create table shop.moves (sku text, region int, foreign key (sku, region) references shop.stock);
		create view recent_orders as select id, status from orders;
		create sequence order_numbers;
		create function order_total(int) returns numeric language sql as 'select 1';
		alter table orders drop column old;`)
	m, err := Load(context.Background(), connQuerier{c})
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for _, r := range m.Relations {
		rels = append(rels, r.Schema+"."+r.Name+":"+string(r.Kind))
	}
	// The sequence is not a relation completion offers.
	if want := []string{"public.customers:r", "public.orders:r", "public.recent_orders:v", "shop.moves:r", "shop.stock:r"}; !reflect.DeepEqual(rels, want) {
		t.Errorf("relations %q, want %q", rels, want)
	}
	if got := m.Lookup("", "orders"); got == nil || !reflect.DeepEqual(got.Columns, []string{"id", "customer_id", "status", "Placed At"}) || !got.Visible {
		t.Errorf("orders: %+v, want its columns in order, the dropped one left out", got)
	}
	if got := m.Lookup("shop", "stock"); got == nil || got.Visible {
		t.Errorf("shop.stock: %+v, want it found by its schema, off the search path", got)
	}
	if !reflect.DeepEqual(m.Schemas, []string{"public", "shop"}) {
		t.Errorf("schemas %q", m.Schemas)
	}
	if !reflect.DeepEqual(m.Functions, []Function{{Schema: "public", Name: "order_total", Visible: true}}) {
		t.Errorf("functions %+v", m.Functions)
	}
	want := []ForeignKey{
		{"public", "orders", []string{"customer_id"}, "public", "customers", []string{"id"}},
		{"shop", "moves", []string{"sku", "region"}, "shop", "stock", []string{"sku", "region"}},
	}
	if !reflect.DeepEqual(m.ForeignKeys, want) {
		t.Errorf("foreign keys %+v\nwant %+v", m.ForeignKeys, want)
	}
	// And the engine offers the join along the two-column key.
	text := "select * from shop.moves m join shop.stock s on "
	cands, _ := Suggest(text, len(text), m, nil)
	if len(cands) == 0 || cands[0].Text != "s.sku = m.sku and s.region = m.region" {
		t.Errorf("join condition %+v", cands)
	}
}

// BenchmarkLoad5000 reads the catalogue of a database of 5,000 tables of
// 8 columns, half of them with a foreign key (go test -bench Load5000).
func BenchmarkLoad5000(b *testing.B) {
	c, _ := pgtest.Conn(b)
	// In batches: one transaction of 5,000 CREATEs runs out of lock slots.
	for from := 1; from <= 5000; from += 250 {
		exec(b, c, fmt.Sprintf(`do $$ begin
			for i in %d..%d loop
				execute format('create table t%%s (id int primary key, parent_id int %%s, name text, status text, created_at timestamptz, amount numeric, note text, flag bool)',
					i, case when i %% 2 = 0 then format('references t%%s', i - 1) else '' end);
			end loop; end $$`, from, from+249))
	}
	q := connQuerier{c}
	var m *Meta
	b.ResetTimer()
	for b.Loop() {
		var err error
		if m, err = Load(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if len(m.Relations) != 5000 || len(m.ForeignKeys) != 2500 {
		b.Fatalf("read %d relations, %d foreign keys", len(m.Relations), len(m.ForeignKeys))
	}
}

// BenchmarkSuggest5000 is one completion against a catalogue of 5,000
// tables (no database needed).
func BenchmarkSuggest5000(b *testing.B) {
	m := &Meta{Schemas: []string{"public"}}
	for i := range 5000 {
		m.Relations = append(m.Relations, &Relation{Schema: "public", Name: "t" + itoa(i), Kind: 'r', Visible: true,
			Columns: []string{"id", "parent_id", "name", "status", "created_at", "amount", "note", "flag"}})
		if i > 0 {
			m.ForeignKeys = append(m.ForeignKeys, ForeignKey{"public", "t" + itoa(i), []string{"parent_id"}, "public", "t" + itoa(i-1), []string{"id"}})
		}
	}
	m.Index()
	for _, text := range []string{"select * from t12", "select * from t10 a join t11 b on ", "select * from t10 a where a.st"} {
		b.Run(text, func(b *testing.B) {
			for b.Loop() {
				Suggest(text, len(text), m, nil)
			}
		})
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
