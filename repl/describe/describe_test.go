package describe

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/repl/internal/pgtest"
	"github.com/safesql/safesql/repl/render"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// connQuerier runs catalogue queries over the simple protocol, as psql does.
type connQuerier struct{ c *pgconn.PgConn }

func (q connQuerier) Query(ctx context.Context, sql string) ([]render.Column, [][][]byte, error) {
	mrr := q.c.Exec(ctx, sql)
	var cols []render.Column
	var rows [][][]byte
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		cols = cols[:0]
		for _, f := range rr.FieldDescriptions() {
			cols = append(cols, render.Column{Name: f.Name, TypeOID: f.DataTypeOID})
		}
		rows = rows[:0]
		for rr.NextRow() {
			vals := rr.Values()
			row := make([][]byte, len(vals))
			for i, v := range vals {
				if v != nil {
					row[i] = append([]byte{}, v...)
				}
			}
			rows = append(rows, row)
		}
		if _, err := rr.Close(); err != nil {
			mrr.Close()
			return nil, nil, err
		}
	}
	if err := mrr.Close(); err != nil {
		return nil, nil, err
	}
	return cols, rows, nil
}

// fixture is a database holding testdata/schema.sql and a connection to it.
type fixture struct {
	q   connQuerier
	p   pgtest.Params
	ver int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	conn, p := pgtest.Conn(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	schema, err := os.ReadFile("testdata/schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	pc := conn.PgConn()
	if err := pc.Exec(ctx, string(schema)).Close(); err != nil {
		t.Fatalf("schema: %v", err)
	}
	if err := pc.Exec(ctx, "SET TimeZone = 'UTC'").Close(); err != nil {
		t.Fatal(err)
	}
	// A subscription that never connects; dropped before its database,
	// which DROP DATABASE would refuse.
	sub := pgx.Identifier{"sub_" + p.DBName}.Sanitize()
	if err := pc.Exec(ctx, "CREATE SUBSCRIPTION "+sub+" CONNECTION 'dbname=nowhere' PUBLICATION bookings_pub, shop_pub WITH (connect = false, enabled = false, create_slot = false, slot_name = NONE)").Close(); err != nil {
		t.Fatalf("subscription: %v", err)
	}
	t.Cleanup(func() { _ = pc.Exec(context.Background(), "DROP SUBSCRIPTION IF EXISTS "+sub).Close() })
	f := &fixture{q: connQuerier{pc}, p: p}
	_, rows, err := f.q.Query(ctx, "SHOW server_version_num")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rows[0][0] {
		f.ver = f.ver*10 + int(c-'0')
	}
	return f
}

// parallel marks the subtest parallel and gives it its own connection to
// f's database (a connection runs one query at a time); the describing
// commands only read it.
func (f *fixture) parallel(t *testing.T) *fixture {
	t.Helper()
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := pgconn.Connect(ctx, f.p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	if err := c.Exec(ctx, "SET TimeZone = 'UTC'").Close(); err != nil {
		t.Fatal(err)
	}
	g := *f
	g.q = connQuerier{c}
	return &g
}

type result struct {
	stdout, stderr string
	failed         bool
}

// psql runs the real psql with flags and one -c command.
func (f *fixture) psql(t *testing.T, flags []string, command string) result {
	t.Helper()
	args := append([]string{"-X"}, flags...)
	args = append(args, "-c", command)
	cmd := exec.Command(pgtest.Psql(t), args...)
	cmd.Env = append(os.Environ(), f.p.Env()...)
	cmd.Env = append(cmd.Env, "PGTZ=UTC", "LC_ALL=C", "PSQL_PAGER=", "PAGER=", "PGOPTIONS=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("psql: %v", err)
	}
	return result{out.String(), errb.String(), err != nil}
}

// ours runs Run the way the meta command table will.
func (f *fixture) ours(t *testing.T, cfg Config, cmd string, args []string) result {
	t.Helper()
	var out bytes.Buffer
	cfg.ServerVersion = f.ver
	err := Run(context.Background(), f.q, &out, cfg, cmd, args)
	r := result{stdout: out.String()}
	var de *Error
	switch {
	case err == nil:
	case errors.As(err, &de):
		if de.Msg != "" {
			r.stderr = de.Msg + "\n"
		}
		r.failed = de.Failed
	default:
		t.Fatalf("Run(%s %q): %v", cmd, args, err)
	}
	return r
}

func compare(t *testing.T, want, got result) {
	t.Helper()
	if want.stdout != got.stdout {
		t.Errorf("stdout differs\n--- psql\n%s\n--- ours\n%s\n--- diff\n%s", want.stdout, got.stdout, lineDiff(want.stdout, got.stdout))
	}
	if want.stderr != got.stderr {
		t.Errorf("stderr: psql %q, ours %q", want.stderr, got.stderr)
	}
	if want.failed != got.failed {
		t.Errorf("failed: psql %v, ours %v", want.failed, got.failed)
	}
}

func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var sb strings.Builder
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			sb.WriteString("- " + x + "\n+ " + y + "\n")
		}
	}
	return sb.String()
}

// quoteArg is the argument as the psql command line needs it.
func psqlCommand(cmd string, args []string) string {
	return `\` + strings.TrimSpace(cmd+" "+strings.Join(args, " "))
}

type pcase struct {
	name string
	cmd  string
	args []string
}

// The describing commands, each plain, with + and S, with patterns.
var cases = []pcase{
	{"dt", "dt", nil},
	{"dt+", "dt+", nil},
	{"dtS pg_class", "dtS", []string{"pg_class"}},
	{"dt pattern star", "dt", []string{"meas*"}},
	{"dt schema pattern", "dt", []string{"shop.*"}},
	{"dt+ schema pattern", "dt+", []string{"shop.*"}},
	{"dt quoted", "dt", []string{`shop."Mixed Case"`}},
	{"dt quoted wildcard literal", "dt", []string{`"Mixed*"`}},
	{"dt upper folds", "dt", []string{"ORDERS"}},
	{"dt question mark", "dt", []string{"order?"}},
	{"dt nope", "dt", []string{"nope"}},
	{"dt quoted upper", "dt", []string{`"ORDERS"`}},
	{"dt any schema", "dt", []string{"*.orders"}},
	{"dt schema and star", "dt", []string{"public.ord*"}},
	{"dt dollar", "dt", []string{"ord$"}},
	{"dt doubled quote", "dt", []string{`"a""b"`}},
	{"dt regexp alternation", "dt", []string{"ord(e|x)rs"}},
	{"dt bracket", "dt", []string{"ord[e]rs"}},
	{"dt not visible", "dt", []string{`"Mixed Case"`}},
	{"dT array", "dT", []string{"int[]"}},
	{"dTS array", "dTS", []string{"int[]"}},
	{"dTS+ mapped", "dTS+", []string{"float"}},
	{"dtvi", "dtvi", nil},
	{"dtx is dt", "dtx", nil},
	{"dfz invalid", "dfz", nil},
	{"dfaz", "dfaz", nil},
	{"dE", "dE", nil},
	{"dE+", "dE+", nil},
	{"dS+x is d", "dS+x", []string{"orders"}},
	{"dt too many dots", "dt", []string{"a.b.c.d"}},
	{"dt cross database", "dt", []string{"x.b.c"}},
	{"dt two args", "dt", []string{"orders", "customers"}},
	{"dti", "dti", nil},
	{"di", "di", nil},
	{"di+", "di+", nil},
	{"di pattern", "di", []string{"orders*"}},
	{"dv", "dv", nil},
	{"dv+", "dv+", nil},
	{"dm", "dm", nil},
	{"dm+", "dm+", nil},
	{"dm nope", "dm", []string{"nope"}},
	{"ds", "ds", nil},
	{"ds+", "ds+", nil},
	{"dn", "dn", nil},
	{"dn+", "dn+", nil},
	{"dnS", "dnS", nil},
	{"dn pattern", "dn", []string{"s*"}},
	{"dn nope", "dn", []string{"nope"}},
	{"dn dotted", "dn", []string{"a.b"}},
	{"df", "df", nil},
	{"df+", "df+", nil},
	{"df pattern", "df", []string{"add"}},
	{"df+ pattern", "df+", []string{"add"}},
	{"dfS pattern", "dfS", []string{"int4pl"}},
	{"df arg types", "df", []string{"delete", "hstore", "text"}},
	{"df arg type dash", "df", []string{"hstore", "-"}},
	{"df arg type array", "df", []string{"hstore", "text[]"}},
	{"dfS arg type mapped", "dfS", []string{"int4pl", "int"}},
	{"df+ arg types", "df+", []string{"add", "int4", "integer"}},
	{"dft", "dft", nil},
	{"dfp", "dfp", nil},
	{"dfn", "dfn", nil},
	{"dfa nope", "dfa", []string{"x"}},
	{"dT", "dT", nil},
	{"dT+", "dT+", nil},
	{"dTS int", "dTS", []string{"int"}},
	{"dT pattern", "dT", []string{"m*"}},
	{"dT nope", "dT", []string{"nope"}},
	{"du", "du", nil},
	{"du+", "du+", nil},
	{"dg", "dg", nil},
	{"du pattern", "du", []string{"w*"}},
	{"du nope", "du", []string{"nope"}},
	{"duS", "duS", []string{"pg_read_all_data"}},
	{"dx", "dx", nil},
	{"dx pattern", "dx", []string{"hs*"}},
	{"dx nope", "dx", []string{"nope"}},
	{"dx+", "dx+", nil},
	{"dx+ pattern", "dx+", []string{"plpgsql"}},
	{"dx+ nope", "dx+", []string{"nope"}},
	{"l pattern", "l", []string{"template?"}},
	{"l+ pattern", "l+", []string{"template1"}},
	{"l nope", "l", []string{"nope"}},
	{"l dotted", "l", []string{"a.b"}},
	{"dp", "dp", nil},
	{"dp pattern", "dp", []string{"orders"}},
	{"z", "z", nil},
	{"z customers", "z", []string{"customers"}},
	{"dp nope", "dp", []string{"nope"}},
	{"d", "d", nil},
	{"d+", "d+", nil},
	{"dS pattern", "dS", []string{"pg_am*"}},
	{"l", "l", nil},
	{"l+", "l+", nil},
	// Domains, tablespaces, descriptions, operators, event triggers,
	// parameters, partitioned relations, casts, languages, conversions,
	// default privileges, extended statistics, aggregates, large objects,
	// collations.
	{"dD", "dD", nil},
	{"dD+", "dD+", nil},
	{"dDS", "dDS", nil},
	{"dD schema", "dD", []string{"shop.*"}},
	{"dD+ schema", "dD+", []string{"shop.price"}},
	{"dDS+ pattern", "dDS+", []string{"cardinal*"}},
	{"dD nope", "dD", []string{"nope"}},
	{"dDx", "dDx", nil},
	{"dD too many dots", "dD", []string{"a.b.c.d"}},
	{"db", "db", nil},
	{"db+ global", "db+", []string{"pg_global"}},
	{"db pattern", "db", []string{"pg_d*"}},
	{"db dotted", "db", []string{"a.b"}},
	{"db+S", "db+S", []string{"nope"}},
	{"dd", "dd", nil},
	{"ddS", "ddS", []string{"bookings*"}},
	{"dd pattern", "dd", []string{"qty*"}},
	{"dd schema", "dd", []string{"public.*"}},
	{"dd nope", "dd", []string{"nope"}},
	{"ddx", "ddx", nil},
	{"do", "do", nil},
	{"do+", "do+", nil},
	{"do pattern", "do", []string{"==="}},
	{"do+ schema", "do+", []string{"shop.*"}},
	{"do types", "do", []string{"===", "pair", "pair"}},
	{"do one type", "do", []string{"shop.!!", "mood"}},
	{"do dash", "do", []string{"*.!!", "-", "mood"}},
	{"do alone dash", "do", []string{"x", "-"}},
	{"doS types", "doS", []string{"+", "int4", "int"}},
	{"doS escaped", "doS", []string{"?|"}},
	{"doS+ any type", "doS+", []string{"||", "*", "text"}},
	{"do three types", "do", []string{"===", "pair", "pair", "x"}},
	{"do nope", "do", []string{"nope"}},
	{"dy", "dy", nil},
	{"dy+", "dy+", nil},
	{"dy pattern", "dy", []string{"ddl_w*"}},
	{"dy dotted", "dy", []string{"a.b"}},
	{"dconfig pattern", "dconfig", []string{"work*"}},
	{"dconfig+ pattern", "dconfig+", []string{"enable_*"}},
	{"dconfig dots", "dconfig", []string{"a.b.c.d"}},
	{"dconfig upper", "dconfig", []string{"TimeZone"}},
	{"dP", "dP", nil},
	{"dP+", "dP+", nil},
	{"dPn", "dPn", nil},
	{"dPn+", "dPn+", nil},
	{"dPt", "dPt", nil},
	{"dPt+", "dPt+", nil},
	{"dPtn+", "dPtn+", nil},
	{"dPi", "dPi", nil},
	{"dPi+", "dPi+", nil},
	{"dPin", "dPin", nil},
	{"dPit", "dPit", nil},
	{"dP pattern", "dP", []string{"events*"}},
	{"dPn pattern", "dPn", []string{"*2026*"}},
	{"dP nope", "dP", []string{"nope"}},
	{"dPS invalid", "dPS", nil},
	{"dPx invalid", "dPx", nil},
	{"dPtS", "dPtS", nil},
	{"dC", "dC", nil},
	{"dC+ pattern", "dC+", []string{"mood"}},
	{"dC pattern", "dC", []string{"pair"}},
	{"dC int", "dC", []string{"int"}},
	{"dC schema", "dC", []string{"public.*"}},
	{"dL", "dL", nil},
	{"dL+", "dL+", nil},
	{"dLS", "dLS", nil},
	{"dLS+", "dLS+", nil},
	{"dL pattern", "dL", []string{"my*"}},
	{"dL dotted", "dL", []string{"a.b"}},
	{"dc", "dc", nil},
	{"dc+", "dc+", nil},
	{"dcS pattern", "dcS", []string{"utf8_to_*"}},
	{"dcS+ pattern", "dcS+", []string{"iso_8859_1_to_utf8"}},
	{"dc pattern", "dc", []string{"my*"}},
	{"ddp", "ddp", nil},
	{"ddp pattern", "ddp", []string{"shop"}},
	{"ddp owner", "ddp", []string{"writer"}},
	{"ddp dotted", "ddp", []string{"a.b"}},
	{"ddp cross", "ddp", []string{"a.b.c"}},
	{"dX", "dX", nil},
	{"dX pattern", "dX", []string{"bookings*"}},
	{"dX schema", "dX", []string{"shop.*"}},
	{"da", "da", nil},
	{"daS", "daS", []string{"sum"}},
	{"da pattern", "da", []string{"my*"}},
	{"dl", "dl", nil},
	{"dl+", "dl+", nil},
	{"lo_list", "lo_list", nil},
	{"lo_list+", "lo_list+", nil},
	{"dO", "dO", nil},
	{"dO+", "dO+", nil},
	{"dO schema", "dO", []string{"shop.*"}},
	{"dOS+ pattern", "dOS+", []string{"ucs_basic"}},
	{"dOS", "dOS", []string{"pg_c*"}},
	// Text search.
	{"dF", "dF", nil},
	{"dF pattern", "dF", []string{"my*"}},
	{"dF+ pattern", "dF+", []string{"my_ts"}},
	{"dF+ two", "dF+", []string{"*.s*"}},
	{"dF+ nope", "dF+", []string{"nope"}},
	{"dF nope", "dF", []string{"nope"}},
	{"dFS invalid", "dFS", nil},
	{"dFx invalid", "dFx", nil},
	{"dFd", "dFd", nil},
	{"dFd+", "dFd+", nil},
	{"dFd+ pattern", "dFd+", []string{"public.*"}},
	{"dFp", "dFp", nil},
	{"dFp+", "dFp+", nil},
	{"dFp+ nope", "dFp+", []string{"nope"}},
	{"dFpx", "dFpx", nil},
	{"dFt", "dFt", nil},
	{"dFt+", "dFt+", nil},
	{"dFt pattern", "dFt", []string{"my*"}},
	// Foreign data.
	{"des", "des", nil},
	{"des+", "des+", nil},
	{"des pattern", "des", []string{"dummy*"}},
	{"des dotted", "des", []string{"a.b"}},
	{"desx", "desx", nil},
	{"det", "det", nil},
	{"det+", "det+", nil},
	{"det pattern", "det", []string{"public.*"}},
	{"detS", "detS", nil},
	{"deu", "deu", nil},
	{"deu+", "deu+", nil},
	{"deu pattern", "deu", []string{"writer"}},
	{"deu+ server", "deu+", []string{"dummy_srv"}},
	{"dew", "dew", nil},
	{"dew+", "dew+", nil},
	{"dew pattern", "dew", []string{"nope"}},
	{"de invalid", "de", nil},
	{"dex invalid", "dex", nil},
	// Replication and role settings.
	{"dRp", "dRp", nil},
	{"dRp+", "dRp+", nil},
	{"dRp pattern", "dRp", []string{"*_pub"}},
	{"dRp+ pattern", "dRp+", []string{"mixed_pub"}},
	{"dRp+ nope", "dRp+", []string{"nope"}},
	{"dRp dotted", "dRp", []string{"a.b"}},
	{"dRpx", "dRpx", nil},
	{"dRs", "dRs", nil},
	{"dRs+", "dRs+", nil},
	{"dRs pattern", "dRs", []string{"sub_*"}},
	{"dRs+ nope", "dRs+", []string{"nope"}},
	{"dR invalid", "dR", nil},
	{"dRx invalid", "dRx", nil},
	{"drds", "drds", nil},
	{"drds role", "drds", []string{"w*"}},
	{"drds role db", "drds", []string{"*", "t_*"}},
	{"drds nope", "drds", []string{"nope"}},
	{"drds nope nope", "drds", []string{"nope", "nope"}},
	{"drds dotted", "drds", []string{"a.b"}},
	{"drds three args", "drds", []string{"x", "y", "z"}},
	{"drdsx", "drdsx", nil},
	{"drd invalid", "drd", nil},
	// Access methods, operator classes and families.
	{"dA", "dA", nil},
	{"dA+", "dA+", nil},
	{"dA pattern", "dA", []string{"b*"}},
	{"dA dotted", "dA", []string{"a.b"}},
	{"dAx invalid", "dAx", nil},
	{"dAS invalid", "dAS", nil},
	{"dA+x", "dA+x", nil},
	{"dAc", "dAc", nil},
	{"dAc+ am type", "dAc+", []string{"btree", "int4"}},
	{"dAc type only", "dAc", []string{"*", "int*"}},
	{"dAc am", "dAc", []string{"hash"}},
	{"dAc schema type", "dAc", []string{"btree", "public.*"}},
	{"dAc+", "dAc+", []string{"gist"}},
	{"dAf", "dAf", nil},
	{"dAf+ am type", "dAf+", []string{"btree", "int4"}},
	{"dAf type only", "dAf", []string{"*", "text"}},
	{"dAf dots", "dAf", []string{"x", "a.b.c.d"}},
	{"dAo", "dAo", []string{"btree"}},
	{"dAo+ family", "dAo+", []string{"btree", "integer_ops"}},
	{"dAo any family", "dAo", []string{"*", "*.integer_ops"}},
	{"dAo+ gist", "dAo+", []string{"gist", "*"}},
	{"dAo three args", "dAo", []string{"a", "b", "c"}},
	{"dAp", "dAp", []string{"hash"}},
	{"dAp+ family", "dAp+", []string{"btree", "integer_ops"}},
	{"dAp cross", "dAp", []string{"x", "a.b.c"}},
	{"dAp dotted", "dAp", []string{"a.b"}},
}

// \d NAME for every kind of relation, plain and with +.
var describeCases = []string{
	"orders", "customers", "base_item", "special_item", "two_parents", "bookings",
	"measurements", "measurements_2025", "measurements_2026", "measurements_2026_a", "measurements_other",
	"events", "events_2025", "empty_parts", "big_orders", "rule_view", "order_totals", "mv_opts",
	"orders_pkey", "orders_note_lower", "orders_note_hash", "bookings_room_incl", "no_overlap", "code_uniq",
	"measurements_logdate_idx", "events_at", "order_totals_idx", "bookings_room_not_null",
	"invoice_seq", "free_seq", "orders_id_seq", "customers_id_seq", "unlogged_seq",
	"scratch", "rls_empty", "rls_off", "pair", "remote_things", "typed_pairs", "ident_by_default", "toasty",
	"shop.products", `shop."Mixed Case"`, "shop.*", "measurements_*", "nope", "a.b.c.d", "pg_class", "pg_catalog.pg_am",
	"information_schema.tables", "nocols",
}

func TestDescribeAgainstPsql(t *testing.T) {
	f := newFixture(t)
	_, toast, err := f.q.Query(context.Background(), "SELECT reltoastrelid::regclass FROM pg_class WHERE relname = 'toasty'")
	if err != nil {
		t.Fatal(err)
	}
	names := append(describeCases, string(toast[0][0]), f.p.DBName+".public.orders", `"`+f.p.DBName+`".public.base_item`, "otherdb.public.orders")
	for _, name := range names {
		for _, cmd := range []string{"d", "d+"} {
			t.Run(cmd+" "+name, func(t *testing.T) {
				f := f.parallel(t)
				want := f.psql(t, nil, psqlCommand(cmd, []string{name}))
				got := f.ours(t, Config{Print: render.DefaultOptions()}, cmd, []string{name})
				compare(t, want, got)
			})
		}
	}
}

func TestAgainstPsql(t *testing.T) {
	f := newFixture(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := f.parallel(t)
			want := f.psql(t, nil, psqlCommand(c.cmd, c.args))
			if n := MaxArgs(c.cmd); n >= 0 && len(c.args) > n {
				// The caller warns about extra arguments, not Run.
				want.stderr = strings.Replace(want.stderr, `\`+c.cmd+": extra argument \""+c.args[n]+"\" ignored\n", "", 1)
			}
			got := f.ours(t, Config{Print: render.DefaultOptions()}, c.cmd, c.args)
			compare(t, want, got)
		})
	}
}

// TestPrintOptions: psql honours \pset for describing output.
func TestPrintOptions(t *testing.T) {
	f := newFixture(t)
	expanded := render.DefaultOptions()
	expanded.Expanded = render.ExpandedOn
	unaligned := render.DefaultOptions()
	unaligned.Format = render.Unaligned
	tuples := render.DefaultOptions()
	tuples.TuplesOnly = true
	border2 := render.DefaultOptions()
	border2.Border = 2
	nofooter := render.DefaultOptions()
	nofooter.Footer = false
	null := render.DefaultOptions()
	null.Null = "(null)"
	for _, o := range []struct {
		name  string
		flags []string
		opts  render.Options
		quiet bool
	}{
		{"expanded", []string{"-x"}, expanded, false},
		{"unaligned", []string{"-A"}, unaligned, false},
		{"unaligned expanded", []string{"-A", "-x"}, func() render.Options { o := unaligned; o.Expanded = render.ExpandedOn; return o }(), false},
		{"tuples only", []string{"-t"}, tuples, false},
		{"border 2", []string{"-P", "border=2"}, border2, false},
		{"footer off", []string{"-P", "footer=off"}, nofooter, false},
		{"null", []string{"-P", "null=(null)"}, null, false},
		{"quiet", []string{"-q"}, render.DefaultOptions(), true},
		{"csv", []string{"--csv"}, func() render.Options { o := render.DefaultOptions(); o.Format = render.CSV; return o }(), false},
		{"wrapped", []string{"-P", "format=wrapped", "-P", "columns=50"}, func() render.Options {
			o := render.DefaultOptions()
			o.Format = render.Wrapped
			o.TermWidth = 50
			return o
		}(), false},
		{"expanded auto", []string{"-P", "expanded=auto", "-P", "columns=40"}, func() render.Options {
			o := render.DefaultOptions()
			o.Expanded = render.ExpandedAuto
			o.TermWidth = 40
			return o
		}(), false},
		{"title ignored", []string{"-P", "title=mine"}, func() render.Options { o := render.DefaultOptions(); o.Title = "mine"; return o }(), false},
		{"unicode border 2 expanded", []string{"-P", "linestyle=unicode", "-P", "border=2", "-x"}, func() render.Options {
			o := render.DefaultOptions()
			o.LineStyle = render.LineUnicode
			o.Border = 2
			o.Expanded = render.ExpandedOn
			return o
		}(), false},
	} {
		for _, c := range []pcase{
			{"dt", "dt", nil},
			{"dn+", "dn+", nil},
			{"du", "du", nil},
			{"dm nope", "dm", []string{"nope"}},
			{"dx+ nope", "dx+", []string{"nope"}},
			{"dT+", "dT+", nil},
			{"d orders", "d", []string{"orders"}},
			{"d+ big_orders", "d+", []string{"big_orders"}},
			{"d invoice_seq", "d", []string{"invoice_seq"}},
			{"d nope", "d", []string{"nope"}},
			{"dF+ my_ts", "dF+", []string{"my_ts"}},
			{"dF+ nope", "dF+", []string{"nope"}},
			{"dFp+", "dFp+", nil},
			{"dD+", "dD+", nil},
			{"dP+", "dP+", nil},
		} {
			t.Run(o.name+"/"+c.name, func(t *testing.T) {
				f := f.parallel(t)
				want := f.psql(t, o.flags, psqlCommand(c.cmd, c.args))
				got := f.ours(t, Config{Print: o.opts, Quiet: o.quiet}, c.cmd, c.args)
				compare(t, want, got)
			})
		}
	}
}

func TestHandles(t *testing.T) {
	for _, tt := range []struct {
		cmd  string
		want bool
	}{
		{"d", true}, {"d+", true}, {"dS+", true}, {"dt", true}, {"dtS+", true}, {"dtx", true},
		{"df", true}, {"dfa", true}, {"dfS+", true}, {"dfz", false}, {"do", true}, {"dox", true},
		{"dD", true}, {"dDx", true}, {"db+", true}, {"dd", true}, {"ddp", true}, {"dy+", true},
		{"dconfig+", true}, {"dconfigx", true}, {"dc", true}, {"dC+", true}, {"dL", true}, {"dX", true},
		{"da", true}, {"dl+", true}, {"dO", true}, {"dP", true}, {"dPitn+", true}, {"dP+x", true},
		{"dPS", false}, {"dPx", false}, {"lo_list", true}, {"lo_list+", true}, {"lo_listx", false},
		{"dF", true}, {"dF+", true}, {"dFp+", true}, {"dFd", true}, {"dFt+", true}, {"dFS", false}, {"dFx", false},
		{"de", false}, {"dex", false}, {"des", true}, {"det+", true}, {"deu", true}, {"dew+", true}, {"desx", true},
		{"dRp", true}, {"dRs+", true}, {"dR", false}, {"dRx", false}, {"drds", true}, {"drdsx", true}, {"drd", false}, {"dr", false},
		{"dA", true}, {"dA+", true}, {"dAc", true}, {"dAf+", true}, {"dAo", true}, {"dAp+", true}, {"dAx", false}, {"dAS", false},
		{"l", true}, {"l+", true}, {"list", true}, {"list+", true}, {"lx", false},
		{"z", true}, {"z+", false}, {"dp", true}, {"du", true}, {"dg+", true}, {"dx+", true},
		{"x", false}, {"", false},
	} {
		if got := Handles(tt.cmd); got != tt.want {
			t.Errorf("Handles(%q) = %v, want %v", tt.cmd, got, tt.want)
		}
	}
	for _, c := range Commands() {
		name := strings.Fields(c.Name)[0]
		name = strings.NewReplacer("[S+]", "", "[+]", "", "[anptw]", "", "[S]", "", "[itn+]", "", "[cfop]", "").Replace(name)
		if !Handles(name) {
			t.Errorf("Commands lists %q, which Handles refuses", c.Name)
		}
	}
}
