package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// regressCase is a script run as pg_regress runs psql's own regression
// suite (-X -a -q, standard error into standard output) through psql and
// safesql, each on a fresh copy of the same database.
type regressCase struct {
	name   string
	script string
	// markers are files a backquoted command of the script would create
	// if it ran; neither program may run it.
	markers []string
}

// runRegress runs script as t.sql in dir the way pg_regress runs psql,
// and returns what it printed (both streams, in order) and its exit code.
func runRegress(t *testing.T, prog string, env []string, dir string) (string, int) {
	t.Helper()
	return runScriptIn(t, prog, env, dir, "-X", "-a", "-q", "-f", "t.sql")
}

// runScriptIn runs prog with args in dir, with standard error into
// standard output, and returns what it printed and its exit code.
func runScriptIn(t *testing.T, prog string, env []string, dir string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.CommandContext(context.Background(), prog, args...)
	cmd.Env = append(baseEnv(), env...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %s: %v", prog, err)
	}
	return out.String(), code
}

// regressBoth runs script through psql and safesql, each on a fresh copy
// of params' database, as runRegress does, and returns what each printed
// and its exit code. markers are files a backquoted command of the script
// would create if it ran; neither program may create them.
func regressBoth(t *testing.T, psql string, params pgtest.Params, script []byte, markers []string) ([2]string, [2]int) {
	t.Helper()
	psqlDB, safesqlDB := pgtest.Clone(t, params, "psql"), pgtest.Clone(t, params, "safesql")
	var outs [2]string
	var codes [2]int
	for i, run := range []struct {
		prog string
		env  []string
	}{{psql, psqlDB.Env()}, {binary, safesqlDB.Env()}} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "t.sql"), script, 0o644); err != nil {
			t.Fatal(err)
		}
		outs[i], codes[i] = runRegress(t, run.prog, run.env, dir)
		for _, m := range markers {
			if _, err := os.Stat(filepath.Join(dir, m)); err == nil {
				t.Errorf("%s ran a backquoted command it was not asked to run (%s exists)", filepath.Base(run.prog), m)
			}
		}
	}
	return outs, codes
}

func TestPsqlRegressParity(t *testing.T) {
	psql := pgtest.Psql(t)
	params := pgtest.DB(t)
	cases := []regressCase{
		{name: "special variables refuse bad values and keep the old one", script: `\set AUTOCOMMIT maybe
\echo :AUTOCOMMIT
\set FETCH_COUNT lots
\echo :FETCH_COUNT
\set ON_ERROR_ROLLBACK sometimes
\echo :ON_ERROR_ROLLBACK
\set ON_ERROR_ROLLBACK
\echo :ON_ERROR_ROLLBACK
\set ON_ERROR_ROLLBACK INTERACTIVE
\echo :ON_ERROR_ROLLBACK
\set AUTOCOMMIT o
\set AUTOCOMMIT ' on'
\set AUTOCOMMIT TRUE
\echo :AUTOCOMMIT
\set ON_ERROR_STOP x
\set QUIET x
\set SINGLELINE x
\set SINGLESTEP x
\set SHOW_ALL_RESULTS x
\set HIDE_TABLEAM x
\set HIDE_TOAST_COMPRESSION x
\set ECHO x
\set ECHO
\set ECHO_HIDDEN x
\set ECHO_HIDDEN
\echo :ECHO_HIDDEN
\set ECHO_HIDDEN NoExec
\echo :ECHO_HIDDEN
\set COMP_KEYWORD_CASE x
\set COMP_KEYWORD_CASE
\set HISTCONTROL x
\set VERBOSITY x
\set VERBOSITY Terse
\echo :VERBOSITY
\set SHOW_CONTEXT x
\set FETCH_COUNT 10x
\set FETCH_COUNT
\set FETCH_COUNT ' 0x10'
\echo :FETCH_COUNT
\set FETCH_COUNT 08
\set FETCH_COUNT 99999999999
\set HISTSIZE x
\set IGNOREEOF x
\echo :IGNOREEOF
\set IGNOREEOF
\echo :IGNOREEOF
\set IGNOREEOF -3
\echo :IGNOREEOF
\echo :VERBOSITY :SHOW_CONTEXT :HISTCONTROL :COMP_KEYWORD_CASE :HISTSIZE
select 1/0;
`},
		{name: "unset gives special variables their default back", script: `\set AUTOCOMMIT off
\unset AUTOCOMMIT
\echo :AUTOCOMMIT
\unset ON_ERROR_ROLLBACK
\echo :ON_ERROR_ROLLBACK
\set ON_ERROR_STOP
\echo :ON_ERROR_STOP
\unset ON_ERROR_STOP
\echo :ON_ERROR_STOP
\unset QUIET
\unset SINGLELINE
\unset SINGLESTEP
\unset SHOW_ALL_RESULTS
\unset HIDE_TABLEAM
\unset HIDE_TOAST_COMPRESSION
\unset ECHO_HIDDEN
\unset COMP_KEYWORD_CASE
\unset HISTCONTROL
\unset VERBOSITY
\unset SHOW_CONTEXT
\unset FETCH_COUNT
\unset HISTSIZE
\unset IGNOREEOF
\echo :QUIET :SINGLELINE :SINGLESTEP :SHOW_ALL_RESULTS :HIDE_TABLEAM :HIDE_TOAST_COMPRESSION
\echo :ECHO_HIDDEN :COMP_KEYWORD_CASE :HISTCONTROL :VERBOSITY :SHOW_CONTEXT :FETCH_COUNT :HISTSIZE :IGNOREEOF
\unset PROMPT1
\echo :PROMPT1
\set ENCODING x
\unset ENCODING
\echo :ENCODING
\unset not-a-name
\unset ECHO
\echo not echoed from here on
select 'still runs' as x;
`},
		{name: "gset into specially treated variables", script: `select 5 as "IGNOREEOF", 1 as a \gset
\echo :IGNOREEOF :a
select 'x' as "PROMPT1", 'y' as "HISTFILE", 'z' as "ENCODING", 'w' as "AUTOCOMMIT", 3 as "FETCH_COUNT", 'e' as "ECHO", 2 as "LASTOID" \gset
\echo :PROMPT1 :HISTFILE :ENCODING :AUTOCOMMIT :FETCH_COUNT :ECHO :LASTOID
select 1 as "QUIET", 4 as "ON_ERROR_STOP", 5 as "ON_ERROR_ROLLBACK", 9 as "VERBOSITY", 11 as "SHOW_ALL_RESULTS", 14 as "PROMPT2", 16 as "SQLSTATE" \gset
select null as "IGNOREEOF", null as "bad name" \gset
select 1 as "AUTOCOMMIT" \gset pre_
\echo :pre_AUTOCOMMIT :AUTOCOMMIT
select 1 as "ON_ERROR_" \gset
\echo :ON_ERROR_
select 'on' as "STOP" \gset ON_ERROR_
select 1/0;
\echo still going
`},
		{name: "csv_fieldsep checks and a quoted -n", script: `\pset csv_fieldsep ''
\pset csv_fieldsep ab
\pset csv_fieldsep '"'
\pset csv_fieldsep '\n'
\pset csv_fieldsep '\r'
\pset csv_fieldsep é
\pset csv_fieldsep '\x2c'
\pset format csv
select 1 as a, 2 as b;
\pset csv_fieldsep '\t'
select 1 as a, 2 as b;
\pset csv_fieldsep '\073'
select 1 as a, 2 as b;
\pset format aligned
\echo '-n' x
\echo -n x
\echo
\echo "-n" y
\echo -n -n z
\echo '-n'
\qecho '-n' q
\warn '-n' w
\echo -N b
\echo 'a\bb' 'c\rd' '\101\x42\x4g' 'q\'q' 'x''y'
`},
		{name: "ignored extra arguments are not expanded", markers: []string{"ran1", "ran2", "ran3", "ran4", "ran5"}, script: `\set foo bar
\pset fieldsep | ` + "`touch ran1`" + ` :foo
\pset fieldsep | ` + "`echo hi`" + ` :foo :'foo' :"foo" 'a b' "c d" :{?foo} x` + "`echo y`" + `z
\unset x ` + "`touch ran2`" + ` :foo
\t on ` + "`touch ran3`" + `
\t off
\x on :foo
\x off
\timing off :foo
\r :foo
\f ',' :foo
\C title :foo
\C
\pset format aligned extra
\pset border x extra
\pset border 9 ` + "`touch ran4`" + `
\pset border 1
\setenv A B :foo
\getenv v A ` + "`touch ran5`" + `
\echo :v
\echo :foo ` + "`echo hi`" + `
\gset p extra
select 1 as a \gset p :foo
\echo :pa
select 2 as b \g out.txt :foo
\o out2.txt extra
\o
select 3 as c \gx extra
\i nonexistent.sql extra
\dt nosuch :foo
\q1 :foo
\if true
\else extra
\endif extra
\if false
\else extra
\endif extra
\q :foo
select 'not reached';
`},
		{name: "invalid commands in a branch that does not run", markers: []string{"ran1", "ran2"}, script: `\set foo bar
\if false
  \lo
  \echo ` + "`touch ran1`" + `
  \nosuch :foo
  \set x ` + "`touch ran2`" + `
  \dnosuch
  \lo_nosuch
  \COPY
  select 1;
\elif false
  \q2
\else
  \echo in else
\endif
\echo :x
\set ON_ERROR_STOP
\if false
  \lo
\endif
\echo not reached
`},
		{name: "ECHO all echoes each line whole, once", script: "select 1 as a; select 2 as b; -- both on one line\n" +
			"select 3 as c -- a comment\n  , 4 as d;\n\n\n" +
			"\\echo x \\\\ select 5 as e; \\echo y\n" +
			"select 'multi\n\nline' as f;\n" +
			"/* a comment\n\n   over lines */ select 6 as g;\n" +
			"\\set ECHO none\nselect 7 as h;\n\\set ECHO all\n" +
			"create table t(a int); copy t from stdin; select 8 as i;\n1\n2\n\\.\nselect count(*) from t;\n"},
		{name: "if inside a statement being typed", script: `select \if true 1 \else (bogus \endif as x;
select
\if false
  (not this
\elif true
  2
\else
  nor this)
\endif
  as y;
\set t false
select \if :t (bad \elif false worse \else 3 \endif \\ as z;
select \if false 4 as w; \endif 5 as w;
select 1 + \if false (2 \endif 1 as v;
select 6 \if true \\ + 1 \endif as u \g
select nosuch \if false \\ + 1 \endif;
`},
		{name: "combined queries", script: `create function note(t text) returns int language plpgsql as $$ begin raise notice '%', t; return 1; end $$;
create table c(v text);
select 1 as a \; select note('between') as b \; select 2 as c;
select note('first') \; select 3 as d \gset
\echo :d
\set SHOW_ALL_RESULTS off
select 4 as e \; select note('hidden') as f \; select 5 as g;
select 6 as h \; select 1/0 as i;
\set SHOW_ALL_RESULTS on
select 7 as j \; select 1/0 as k \; select 8 as l;
\set ON_ERROR_ROLLBACK on
begin;
insert into c values ('kept');
insert into c values ('undone') \; select 9 as m \; select 1/0 \; select 10 as n;
insert into c values ('kept too');
commit;
table c;
select 11 as o \;
copy c from stdin \;
select count(*) as p from c \; copy c to stdout;
from the data
\.
\set ON_ERROR_ROLLBACK off
\set AUTOCOMMIT off
insert into c values ('rolled back') \; select 12 as q;
rollback;
table c;
`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each case runs on its own copies of params
			outs, codes := regressBoth(t, psql, params, []byte(tc.script), tc.markers)
			want := strings.ReplaceAll(outs[0], "psql:t.sql:", "safesql:t.sql:")
			if outs[1] != want {
				t.Errorf("output differs\n--- psql\n%s\n--- safesql\n%s", want, outs[1])
			}
			if codes[1] != codes[0] {
				t.Errorf("exit code %d, psql's %d", codes[1], codes[0])
			}
		})
	}
}

// TestSpecialVariablesFromTheCommandLine: -v goes through the same hooks
// as \set; a refused value or a bad name stops psql before it connects.
func TestSpecialVariablesFromTheCommandLine(t *testing.T) {
	psql := pgtest.Psql(t)
	params := pgtest.DB(t)
	show := `\echo :AUTOCOMMIT :ON_ERROR_ROLLBACK :FETCH_COUNT :ECHO :IGNOREEOF`
	cases := []psqlCase{
		{name: "refused boolean", args: []string{"-v", "AUTOCOMMIT=maybe", "-c", show}},
		{name: "refused enum", args: []string{"-v", "ECHO=x", "-c", show}},
		{name: "refused integer", args: []string{"-v", "FETCH_COUNT=lots", "-c", show}},
		{name: "bad name", args: []string{"-v", "bad-name=1", "-c", show}},
		{name: "unset gives the default", args: []string{"-v", "AUTOCOMMIT=off", "-v", "AUTOCOMMIT", "-v", "ON_ERROR_ROLLBACK", "-c", show}},
		{name: "accepted values", args: []string{"-v", "ON_ERROR_ROLLBACK=", "-v", "FETCH_COUNT=0x10", "-v", "IGNOREEOF=many", "-c", show}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each case runs on its own copies of params
			psqlDB, safesqlDB := pgtest.Clone(t, params, "psql"), pgtest.Clone(t, params, "safesql")
			compareWithPsql(t, tc, psql, psqlDB.Env(), safesqlDB.Env())
		})
	}
}

// knownSuiteDifference is a line of psql's own regression script's output
// that safesql prints differently on purpose; README.md ("psql parity")
// lists each with its reason.
type knownSuiteDifference struct{ psql, safesql, why string }

var knownSuiteDifferences = []knownSuiteDifference{
	// FETCH_COUNT: psql fetches through a cursor ("DECLARE _psql_cursor
	// NO SCROLL CURSOR FOR" and a newline before the query), so the
	// server's error positions count one line more; safesql streams the
	// result of the query as it was typed.
	{"LINE 2: select unique2 from tenk1 order by unique2 limit 19;", "LINE 1: select unique2 from tenk1 order by unique2 limit 19;", "FETCH_COUNT"},
	{"LINE 2: select 1/(15-unique2) from tenk1 order by unique2 limit 19;", "LINE 1: select 1/(15-unique2) from tenk1 order by unique2 limit 19;", "FETCH_COUNT"},
}

// TestPsqlOwnRegressionSuite runs PostgreSQL's own regression script for
// psql (src/test/regress/sql/psql.sql of the psql's major version, fetched
// by testdata/fetch-psql-suite.sh, which .ci/run and make test run) as
// pg_regress runs it, through psql and safesql on two fresh copies of one
// database, and requires the same output, line for line, but for the
// differences listed in knownSuiteDifferences, and the same exit code.
func TestPsqlOwnRegressionSuite(t *testing.T) {
	psql := pgtest.Psql(t)
	suite := os.Getenv("SAFESQL_PSQL_SUITE")
	if suite == "" {
		out, err := exec.Command("bash", "testdata/fetch-psql-suite.sh").Output()
		if err != nil {
			if os.Getenv("SAFESQL_REQUIRE_PG") == "1" {
				t.Fatalf("psql's regression script is not here and could not be fetched: %v (SAFESQL_REQUIRE_PG=1 makes this a failure; run repl/e2e/testdata/fetch-psql-suite.sh)", err)
			}
			t.Skipf("psql's regression script is not here and could not be fetched: %v; run repl/e2e/testdata/fetch-psql-suite.sh", err)
		}
		suite = strings.TrimSpace(string(out))
	}
	script, err := os.ReadFile(suite)
	if err != nil {
		t.Fatal(err)
	}
	outs, codes := regressBoth(t, psql, pgtest.DB(t), script, nil)
	want := strings.ReplaceAll(outs[0], "psql:t.sql:", "safesql:t.sql:")
	for _, k := range knownSuiteDifferences {
		if !strings.Contains(want, k.psql+"\n") {
			t.Errorf("a known difference (%s) is no longer in psql's output: %q; update knownSuiteDifferences and the README", k.why, k.psql)
		}
		want = strings.Replace(want, k.psql+"\n", k.safesql+"\n", 1)
	}
	if codes[1] != codes[0] {
		t.Errorf("exit code %d, psql's %d", codes[1], codes[0])
	}
	wantLines, gotLines := strings.Split(want, "\n"), strings.Split(outs[1], "\n")
	if len(wantLines) < 1000 {
		t.Fatalf("psql printed only %d lines of its own regression script: %s", len(wantLines), want)
	}
	differing := 0
	for i := 0; i < len(wantLines) || i < len(gotLines); i++ {
		var w, g string
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if w != g {
			if differing < 10 {
				t.Errorf("line %d differs\npsql:    %q\nsafesql: %q", i+1, w, g)
			}
			differing++
		}
	}
	if differing > 0 {
		t.Errorf("%d of %d lines differ from psql's output", differing, len(wantLines))
	}
	t.Logf("%d lines of output, %d known differences", len(wantLines), len(knownSuiteDifferences))
}

// TestCombinedQueriesAreOneTransactionUnderRules: where the environment's
// rules send each statement alone, a text of several statements (psql's
// "\;" combined queries) still commits all of it or none, as the server
// makes one query of it for psql. The output and the rows left must be
// psql's.
func TestCombinedQueriesAreOneTransactionUnderRules(t *testing.T) {
	psql := pgtest.Psql(t)
	params := pgtest.DB(t)
	script := `create table c(v text);
insert into c values ('a') \; insert into c values ('b') \; select 1/0;
table c;
insert into c values ('c') \; select 2 as two;
select 3 as three \; insert into c values ('d') \; select count(*) from c;
begin \; insert into c values ('e') \; commit;
table c;
`
	psqlDB, safesqlDB := pgtest.Clone(t, params, "psql"), pgtest.Clone(t, params, "safesql")
	auditDir := t.TempDir()
	cfg := writeConfig(t, fmt.Sprintf(`unknown_tier = "local"
[envs.dev]
dsn = "host=%s port=%d user=%s dbname=%s"
tier = "development"
audit = { enabled = true, path = %q }
`, safesqlDB.Host, safesqlDB.Port, safesqlDB.User, safesqlDB.DBName, filepath.Join(auditDir, "audit.jsonl")))
	var outs [2]string
	var codes [2]int
	for i, run := range []struct {
		prog string
		env  []string
		args []string
	}{{psql, psqlDB.Env(), nil}, {binary, []string{"SAFESQL_CONFIG=" + cfg, "SAFESQL_SYSTEM_CONFIG=" + cfg}, []string{"dev"}}} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "t.sql"), []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		outs[i], codes[i] = runScriptIn(t, run.prog, run.env, dir, append([]string{"-X", "-q", "-f", "t.sql"}, run.args...)...)
	}
	want := strings.ReplaceAll(outs[0], "psql:t.sql:", "safesql:t.sql:")
	if outs[1] != want || codes[0] != codes[1] {
		t.Errorf("output differs (exit %d, psql's %d)\n--- psql\n%s\n--- safesql\n%s", codes[1], codes[0], want, outs[1])
	}
	if !strings.Contains(want, " a\n") && strings.Contains(outs[1], " a\n") {
		t.Error("a row of a failed combined query stayed")
	}
}
