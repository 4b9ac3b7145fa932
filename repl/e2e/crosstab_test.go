package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// crosstabSchema is the data the \crosstabview cases pivot: months down,
// regions across, with NULLs in both headers and in the data.
const crosstabSchema = `
create table sales (month text, region text, amount numeric, units int, rank_col int, note text);
insert into sales values
 ('jan', 'north', 10.5, 1, 3, 'a'),
 ('jan', 'south', 20, 2, 1, 'b'),
 ('feb', 'north', 30, 3, 3, null),
 ('feb', 'east', null, 4, 2, 'd'),
 (null, 'south', 5, 5, 1, 'e'),
 ('mar', null, 7, 6, 0, 'f');
create table dup (a text, b text, c int, "A" int, "Mixed Case" text);
insert into dup values ('x', 'y', 1, 2, 'm'), ('x', 'y', 3, 4, 'n');
`

func TestCrosstabViewSameAsPsql(t *testing.T) {
	psql := pgtest.Psql(t)
	conn, params := pgtest.Conn(t)
	if _, err := conn.Exec(context.Background(), crosstabSchema); err != nil {
		t.Fatal(err)
	}
	conn.Close(context.Background()) // a template must have no connections
	script := func(lines ...string) map[string]string {
		return map[string]string{"c.sql": strings.Join(lines, "\n") + "\n"}
	}
	f := []string{"-f", "c.sql"}
	cases := []psqlCase{
		{name: "defaults with three columns", args: f, files: script(
			`select month, region, amount from sales \crosstabview`,
			`select region, month, units from sales order by units desc \crosstabview`)},
		{name: "named columns", args: f, files: script(
			`select * from sales \crosstabview month region units`,
			`select * from sales \crosstabview region month note`,
			`select * from sales \crosstabview MONTH Region amount`)},
		{name: "numbered columns", args: f, files: script(
			`select * from sales \crosstabview 1 2 4`,
			`select * from sales \crosstabview 2 1 3`,
			`select * from sales \crosstabview 01 2 "4"`,
			`select month, region, amount from sales \crosstabview 2 1`)},
		{name: "quoted and variable column names", args: f, files: script(
			`select a, b, c as "Data", "Mixed Case" from dup where c = 1 \crosstabview a "Mixed Case" "Data"`,
			`\set col b`,
			`select a, b, c from dup where c = 3 \crosstabview a :col 'c'`,
			`select 1 as "A""B", 2 as b, 3 as c \crosstabview "A""B" 2`)},
		{name: "sort column", args: f, files: script(
			`select * from sales \crosstabview month region units rank_col`,
			`select * from sales \crosstabview month region units 5`,
			`select g as a, 'h' || (g % 5) as b, 1 as c, (g % 5 = 1)::int * 5 as s from generate_series(1, 10) g \crosstabview a b c s`,
			`select g as a, 'h' || g as b, 1 as c, case g % 5 when 1 then '3' when 2 then 'x' when 3 then '-2' when 4 then '' else '+4' end as s from generate_series(1, 5) g \crosstabview a b c s`,
			`select g as a, 'h' || (g % 3) as b, 1 as c, case when g < 3 then null else g end as s from generate_series(1, 5) g \crosstabview a b c s`,
			`select g as a, 'h' || g as b, 1 as c, (array['2147483647', '-2147483648', '99999999999', '-', '-0', '2147483648', '-99999999999999999999', '7'])[g] as s from generate_series(1, 8) g \crosstabview a b c s`,
			`select 1 as a, 'c' || lpad(g::text, 3, '0') as b, g as c, (g * 7919) % 13 - 6 as s from generate_series(1, 60) g \crosstabview a b c s`)},
		{name: "nulls in headers and data", args: f, files: script(
			`select * from sales \crosstabview month region amount`,
			`\pset null (nil)`,
			`select * from sales \crosstabview month region amount`,
			`select * from sales \crosstabview region month note units`)},
		{name: "alignment by type", args: f, files: script(
			`select units, month, note from sales \crosstabview`,
			`select note, month, units from sales \crosstabview`,
			`select true as a, current_date - current_date as b, 1.5::float8 as c \crosstabview`,
			`select 1.5::numeric as a, 'b' as b, true as c \crosstabview`,
			`select 'multi`+"\n"+`line' as a, 'wide 日本語' as b, 'x`+"\n"+`y' as c union all select 'z', 'h', null \crosstabview`)},
		{name: "multiple data values", args: f, files: script(
			`select a, b, c from dup \crosstabview`,
			`\echo :ERROR :ROW_COUNT`,
			`select null as a, null as b, 1 c union all select null, null, 2 \crosstabview`,
			`\pset null N`,
			`\crosstabview`,
			`select * from sales \crosstabview region note units`)},
		{name: "errors", args: f, files: script(
			`select 1, 2 \crosstabview`,
			`select * from sales \crosstabview`,
			`select * from sales \crosstabview month month`,
			`select * from sales \crosstabview 1 1 3`,
			`select * from sales \crosstabview nosuch`,
			`select * from sales \crosstabview month nosuch`,
			`select * from sales \crosstabview month region nosuch`,
			`select * from sales \crosstabview month region units nosuch`,
			`select * from sales \crosstabview month region units rank_col extra1 extra2`,
			`select * from dup \crosstabview a b a`,
			`select * from dup \crosstabview a b "A"`,
			`select 1 as d, 2 as d, 3 as e \crosstabview d e`,
			`select * from sales \crosstabview 9`,
			`select * from sales \crosstabview 0 2`,
			`select * from sales \crosstabview 1 99999999999`,
			`select * from sales \crosstabview 1 4294967297`,
			`select * from sales \crosstabview 1 2147483648 3`,
			`select * from sales \crosstabview 1 -1`,
			`select * from sales \crosstabview 1 '' 3`,
			`select * from sales \crosstabview A"b"`,
			`select g % 3 as a, g as b, 1 as c from generate_series(1, 1600) g \crosstabview`,
			`select g % 3 as a, g as b, 1 as c from generate_series(1, 1601) g \crosstabview`,
			`select 1/0 \crosstabview`,
			`\echo :ERROR :SQLSTATE`,
			`\echo after`)},
		{name: "error stops the script under ON_ERROR_STOP", args: []string{"-v", "ON_ERROR_STOP=1", "-f", "c.sql"}, files: script(
			`select month, region, amount from sales \crosstabview`,
			`select 1, 2 \crosstabview`,
			`\echo not reached`)},
		{name: "query buffer and previous query", args: f, files: script(
			`\crosstabview`,
			`\echo :ERROR :SQLSTATE :ROW_COUNT`,
			`select month,`,
			`  region,`,
			`  units`,
			`from sales`,
			`\crosstabview 2 1`,
			`\crosstabview`,
			`\g`,
			`select 1 as a, 2 as b, 3 as c;`,
			`\crosstabview c a b`,
			`\echo :ROW_COUNT`)},
		{name: "several statements in the buffer", args: f, files: script(
			`select 1, 2, 3; select month, region, units from sales \crosstabview`,
			`select month, region, units from sales; create temp table t(x int) \crosstabview`,
			`select 1, 2; select 1 as a, 2 as b, 3 as c \crosstabview`,
			`select 1, 2, 3; select 1/0; select 4, 5, 6 \crosstabview`,
			`copy (select 1, 2, 3) to stdout \crosstabview`)},
		{name: "expanded", args: f, files: script(
			`\x`,
			`select * from sales \crosstabview month region units rank_col`,
			`\x auto`,
			`select * from sales \crosstabview month region units`)},
		{name: "unaligned, csv, tuples only", args: f, files: script(
			`\a`,
			`select * from sales \crosstabview month region units rank_col`,
			`\t`,
			`select * from sales \crosstabview month region amount`,
			`\t`,
			`\pset format csv`,
			`select * from sales \crosstabview month region note`)},
		{name: "title, borders, numericlocale, echo", args: f, files: script(
			`\pset title Pivoted`,
			`\pset border 2`,
			`\pset numericlocale on`,
			`select month, region, units * 1000 as u from sales \crosstabview`,
			`\pset title`,
			`\pset border 0`,
			`\pset linestyle unicode`,
			`\set ECHO queries`,
			`select month, region, amount * 1000 from sales \crosstabview`,
			`\set ECHO none`,
			`\pset format wrapped`,
			`\pset columns 30`,
			`select g as a, 'col' || g as b, repeat('x', g * 3) as c from generate_series(1, 6) g \crosstabview`)},
		{name: "expanded from the command line", args: []string{"-x", "-f", "c.sql"}, files: script(
			`select month, region, units from sales \crosstabview`)},
		{name: "unaligned from the command line", args: []string{"-A", "-F", ";", "-f", "c.sql"}, files: script(
			`select month, region, units from sales \crosstabview`)},
		{name: "from standard input", stdin: "select month, region, units from sales \\crosstabview\nselect 1 \\crosstabview\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each case runs on its own copies of params
			psqlDB, safesqlDB := pgtest.Clone(t, params, "psql"), pgtest.Clone(t, params, "safesql")
			compareWithPsql(t, tc, psql, psqlDB.Env(), safesqlDB.Env())
		})
	}

	// Under production's rules (read-only, guarded) a read is pivoted
	// as psql pivots it; a write is refused, as \gset refuses it.
	t.Run("production reads", func(t *testing.T) {
		db := pgtest.Clone(t, params, "prod")
		cfg := writeConfig(t, "unknown_tier = \"production\"\n")
		tc := psqlCase{name: "production", stdin: "select month, region, units from sales \\crosstabview\nselect * from sales \\crosstabview 1 2 3 4\nselect 1, 2 \\crosstabview\n"}
		compareWithPsql(t, tc, psql, db.Env(), append(db.Env(), "SAFESQL_CONFIG="+cfg, "SAFESQL_SYSTEM_CONFIG="+cfg))
	})
	t.Run("production refuses a write", func(t *testing.T) {
		db := pgtest.Clone(t, params, "prodw")
		cfg := writeConfig(t, "unknown_tier = \"production\"\n")
		got := runProgram(t, binary, append(db.Env(), "SAFESQL_CONFIG="+cfg, "SAFESQL_SYSTEM_CONFIG="+cfg),
			"insert into sales values ('apr', 'west', 1, 1, 1, 'w') returning month, region, units \\crosstabview\n", t.TempDir(), "-X", "--write", "-v", "ON_ERROR_STOP=1", "-f", "-")
		if !strings.Contains(got.stderr, `\crosstabview runs reads only under production's rules`) {
			t.Errorf("stderr %q does not refuse the write", got.stderr)
		}
		if got.code != 3 {
			t.Errorf("exit code %d, want 3 (a refusal stops the script)", got.code)
		}
	})
}
