package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

var binary string

// compatConfig makes the test server a local environment for the
// comparisons with psql: an unknown server counts as production, where
// safesql deliberately differs from psql (\! is refused, for one).
var compatConfig string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "safesql-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "safesql")
	compatConfig = filepath.Join(dir, "config.toml")
	if err := os.WriteFile(compatConfig, []byte("unknown_tier = \"local\"\n"), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	build := exec.Command("go", "build", "-o", binary, "github.com/safesql/safesql")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build safesql:", err)
		os.Exit(1)
	}
	code := pgtest.Main(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

func runProgram(t *testing.T, prog string, env []string, stdin string, dir string, args ...string) result {
	t.Helper()
	cmd := exec.CommandContext(context.Background(), prog, args...)
	cmd.Env = append(baseEnv(), env...)
	cmd.Dir = dir
	// No controlling terminal: questions cannot reach the developer's
	// terminal, as in CI.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %s: %v", prog, err)
	}
	return result{out.String(), errb.String(), code}
}

// baseEnv keeps the environment both programs see identical and free of
// the developer's own settings.
func baseEnv() []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(), "LC_ALL=C.UTF-8", "PGTZ=UTC", "PGDATESTYLE=ISO, MDY", "PGSYSCONFDIR=/nonexistent", "PSQLRC=/nonexistent",
		"SAFESQL_CONFIG=" + compatConfig, "SAFESQL_SYSTEM_CONFIG=" + compatConfig}
	return env
}

var psqlArgv0 = regexp.MustCompile(`(?m)^\S*psql: `)

// normalise turns psql's stderr into what safesql is expected to print.
func normalise(s string) string {
	s = psqlArgv0.ReplaceAllString(s, "safesql: ")
	s = strings.ReplaceAll(s, "psql:", "safesql:")
	s = strings.ReplaceAll(s, `"psql --help"`, `"safesql --help"`)
	return s
}

const schema = `
create type mood as enum ('sad', 'ok', 'happy');
create domain posint as int check (value > 0);
create table items (
  id int primary key, small int2, big int8, price numeric(10,2), ratio float8, r4 float4,
  name text, note text, flag bool, born date, at timestamptz, span interval, uid uuid,
  doc jsonb, tags text[], raw bytea, m mood, p posint);
insert into items values
 (1, 1, 9000000000, 12.50, -0, 1.5, 'apple', 'line one
line two', true, '2024-01-02', '2024-01-02 03:04:05+00', '1 day 02:00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2]}', '{x,y}', '\x00ff', 'happy', 3),
 (2, -2, -1, 0.00, 'NaN', '-Infinity', '日本語テキスト', 'tab	here', false, null, null, null, null, null, '{}', '', 'sad', null),
 (3, null, null, null, 'Infinity', null, 'emoji 🎉 ok', null, null, '1999-12-31', null, '-3 mons', null, '[]', null, null, null, 1);
`

// psqlCase runs the same arguments through psql and safesql and requires
// identical stdout, stderr (with the program's name replaced) and exit code.
type psqlCase struct {
	name  string
	args  []string
	stdin string
	files map[string]string // written to a temp dir that is the working directory
	noX   bool              // run without -X: the start-up files are read
	// serial: the case prints what the parallel cases change as they
	// come and go: the list of databases, or the name of a temporary
	// schema (pg_temp_N, N the backend's slot).
	serial bool
}

func TestSameAsPsql(t *testing.T) {
	psql := pgtest.Psql(t)
	conn, params := pgtest.Conn(t)
	if _, err := conn.Exec(context.Background(), schema); err != nil {
		t.Fatal(err)
	}
	conn.Close(context.Background()) // a template must have no connections
	cases := []psqlCase{
		{name: "select one", args: []string{"-c", "select 1"}},
		{name: "aligned all types", args: []string{"-c", "select * from items order by id"}},
		{name: "two statements in one -c", args: []string{"-c", "select 1 as a; select 'x' as b"}},
		{name: "several -c in order", args: []string{"-c", "select 1", "-c", "select 2"}},
		{name: "command tags", args: []string{"-c", "create temp table t(x int); insert into t values (1),(2); update t set x = x + 1; delete from t where x = 2; drop table t"}},
		{name: "quiet hides tags", args: []string{"-q", "-c", "create temp table t(x int); insert into t values (1)"}},
		{name: "unaligned", args: []string{"-A", "-c", "select * from items order by id"}},
		{name: "unaligned tuples only separators", args: []string{"-At", "-F", ",", "-R", ";", "-c", "select id, name from items order by id"}},
		{name: "csv", args: []string{"--csv", "-c", "select * from items order by id"}},
		{name: "expanded", args: []string{"-x", "-c", "select * from items order by id"}},
		{name: "tuples only", args: []string{"-t", "-c", "select id, name from items order by id"}},
		{name: "pset null and border 2", args: []string{"-P", "null=(null)", "-P", "border=2", "-c", "select id, small, note from items order by id"}},
		{name: "pset border 0", args: []string{"-P", "border=0", "-c", "select id, name from items order by id"}},
		{name: "pset format unaligned", args: []string{"-P", "format=unaligned", "-c", "select id, name from items order by id"}},
		{name: "empty result", args: []string{"-c", "select * from items where false"}},
		{name: "syntax error exit 1", args: []string{"-c", "select * frm items"}},
		{name: "error with detail", args: []string{"-c", "insert into items(id) values (1)"}},
		{name: "error with hint", args: []string{"-c", "select no_such_fn(1)"}},
		{name: "notice", args: []string{"-c", "do $$ begin raise notice 'hello %', 42; end $$"}},
		{name: "copy to stdout", args: []string{"-c", "copy (select id, name from items order by id) to stdout"}},
		{name: "variables", args: []string{"-v", "n=2", "-v", "t=items", "-c", `\set x 1`, "-f", "v.sql"}, files: map[string]string{"v.sql": "select :n as n, :'t' as lit, count(*) from :\"t\" where id >= :n;\n\\echo done :n\n"}},
		{name: "script errors go on", args: []string{"-f", "s.sql"}, files: map[string]string{"s.sql": "select 1;\nselect\n  nope;\nselect 2;\n"}},
		{name: "on_error_stop exit 3", args: []string{"-v", "ON_ERROR_STOP=1", "-f", "s.sql"}, files: map[string]string{"s.sql": "select 1;\nselect 1/0;\nselect 2;\n"}},
		{name: "stdin script", stdin: "select 1;\nselect nope;\nselect 'after';\n"},
		{name: "stdin via -f -", args: []string{"-f", "-"}, stdin: "select 1;\nselect nope;\n"},
		{name: "copy from stdin inline", args: []string{"-f", "c.sql"}, files: map[string]string{"c.sql": "create temp table c(a int, b text);\ncopy c from stdin;\n1\tone\n2\t\\N\n\\.\nselect * from c order by a;\n"}},
		{name: "unterminated last statement runs", stdin: "select 1;\nselect 2"},
		{name: "single transaction", args: []string{"-1", "-c", "create table st(x int)", "-c", "insert into st values (1)", "-c", "select count(*) from st"}},
		{name: "missing file", args: []string{"-f", "/no/such/file.sql"}},
		{name: "invalid meta command", args: []string{"-f", "m.sql"}, files: map[string]string{"m.sql": "\\nosuchcmd\nselect 1;\n"}},
		{name: "unknown long option", args: []string{"--bogus"}},
		{name: "unknown short option", args: []string{"-k"}},
		{name: "missing argument", args: []string{"-c"}},
		{name: "output file", args: []string{"-o", "out.txt", "-c", "select 1"}},
		{name: "echo meta", args: []string{"-c", `\echo hello world`}},
		{name: "help on no such command", args: []string{"-c", `\h nosuch`}},
		{name: "help on no such command, two words and a semicolon", args: []string{"-f", "h.sql"}, files: map[string]string{"h.sql": "\\h NoSuch  Thing ;\nselect 1;\n"}},
		{name: "wide and multiline aligned", args: []string{"-c", "select name, note from items order by id"}},
		{name: "second statement of -c fails", args: []string{"-c", "select 1 as one; select 1/0; select 3"}},
		{name: "notice and warning in script", args: []string{"-f", "n.sql"}, files: map[string]string{"n.sql": "select 1;\ndo $$ begin raise notice 'n1'; raise warning 'w1'; end $$;\n"}},
		{name: "error context from plpgsql", args: []string{"-f", "e.sql"}, files: map[string]string{"e.sql": "create function boom() returns int language plpgsql as $$ begin raise exception 'boom %', 1 using detail = 'd', hint = 'h'; end $$;\nselect boom();\n"}},
		{name: "include with error inside", args: []string{"-f", "a.sql"}, files: map[string]string{"a.sql": "select 'a';\n\\i b.sql\nselect 'after';\n", "b.sql": "select 'b';\nselect nope;\n"}},
		{name: "include relative missing", args: []string{"-f", "a.sql"}, files: map[string]string{"a.sql": "\\ir missing.sql\nselect 1;\n"}},
		{name: "echo queries", args: []string{"-e", "-c", "select 1"}},
		{name: "echo all", args: []string{"-a", "-f", "s.sql"}, files: map[string]string{"s.sql": "-- a comment\nselect 1;\n\n\\echo hi\nselect 2;\n"}},
		{name: "csv tuples only", args: []string{"--csv", "-t", "-c", "select id, name, note from items order by id"}},
		{name: "expanded unaligned", args: []string{"-x", "-A", "-c", "select id, name from items order by id"}},
		{name: "expanded empty", args: []string{"-x", "-c", "select * from items where false"}},
		{name: "zero columns", args: []string{"-c", "select from items"}},
		{name: "footer off", args: []string{"-P", "footer=off", "-c", "select id from items order by id"}},
		{name: "pset in script", args: []string{"-f", "p.sql"}, files: map[string]string{"p.sql": "\\pset null NULL\n\\pset border 2\nselect null::int as n, 'x' as t;\n\\a\n\\t\nselect 1, 2;\n\\x\nselect 3 as c;\n"}},
		{name: "on_error_stop with several -c", args: []string{"-v", "ON_ERROR_STOP=1", "-c", "select 1/0", "-c", "select 2"}},
		{name: "single transaction rolled back", args: []string{"-1", "-v", "ON_ERROR_STOP=1", "-c", "create table st(x int)", "-c", "select nope", "-c", "select 3"}},
		{name: "undefined variable left as is", args: []string{"-f", "u.sql"}, files: map[string]string{"u.sql": "\\echo :nope :'nope'\nselect ':nope' as lit;\n"}},
		{name: "quoted variable", args: []string{"-v", "v=it's", "-f", "q.sql"}, files: map[string]string{"q.sql": "select :'v' as v;\n"}},
		{name: "tabs and carriage returns", args: []string{"-c", "select E'a\\tb' as t, E'x\\ry' as r"}},
		{name: "list databases", args: []string{"-l"}, serial: true},
		{name: "dollar quoted function body with semicolons", args: []string{"-f", "f.sql"}, files: map[string]string{"f.sql": "create function f() returns int language sql as $body$ select 1; $body$;\nselect f();\n"}},
		{name: "statement split across lines with comments", args: []string{"-f", "c.sql"}, files: map[string]string{"c.sql": "-- leading comment\nselect /* inline */ 1 -- trailing\n  + 2 as three;\n/* block\n comment */ select 'x;y' as \"a;b\";\n"}},
		{name: "copy csv from stdin with header", args: []string{"-f", "c.sql"}, files: map[string]string{"c.sql": "create temp table c(a int, b text);\ncopy c from stdin with (format csv, header true);\na,b\n1,\"x,y\"\n\\.\ncopy c to stdout with (format csv);\n"}},
		{name: "wrapped to 30 columns", args: []string{"-P", "format=wrapped", "-P", "columns=30", "-c", "select id, name, note from items order by id"}},
		{name: "unicode line style", args: []string{"-P", "linestyle=unicode", "-P", "border=2", "-c", "select id, name from items order by id"}},
		{name: "pset messages in script", args: []string{"-f", "p.sql"}, files: map[string]string{"p.sql": "\\pset linestyle unicode\n\\pset columns 40\n\\pset numericlocale on\n\\pset title hello\n\\pset recordsep '#'\n\\pset fieldsep_zero\n\\pset format wrapped\n\\pset x auto\n\\pset footer off\n\\pset csv_fieldsep ';'\n\\t on\n\\t\n\\pset footer\n\\pset numericlocale\n\\pset tuples_only true\n\\f\n\\f ,\n\\x on\n"}},
		{name: "connection lost in script exits 2", args: []string{"-f", "k.sql"}, files: map[string]string{"k.sql": "select 1;\nselect pg_terminate_backend(pg_backend_pid());\nselect 2;\n"}},
		{name: "connection lost in -c exits 2", args: []string{"-c", "select pg_terminate_backend(pg_backend_pid())"}},
		{name: "query buffer kept across backslash commands", args: []string{"-f", "b.sql"}, files: map[string]string{"b.sql": "select 1,\n\\echo between\n2 as two;\nselect 3 \\g\n\\g\nselect 4 \\gx\nselect 5\n\\r\nselect 6;\n"}},
		{name: "quit stops the script", args: []string{"-f", "q.sql"}, files: map[string]string{"q.sql": "select 1;\n\\q\nselect 2;\n"}},
		{name: "restrict and unrestrict as pg_dump writes them", args: []string{"-f", "r.sql"}, files: map[string]string{"r.sql": "\\restrict abc\n\\echo hi\nselect 1 as x;\n\\unrestrict wrong\n\\unrestrict abc\n\\echo after\n\\unrestrict abc\n\\restrict\n"}},
		{name: "echo errors", args: []string{"-b", "-f", "b.sql"}, files: map[string]string{"b.sql": "select 1/0;\nselect 1;\n"}},
		{name: "echo errors in -c", args: []string{"-b", "-c", "select 1/0"}},
		{name: "result variables", args: []string{"-f", "v.sql"}, files: map[string]string{"v.sql": "\\echo :LAST_ERROR_SQLSTATE\nselect * from items;\n\\echo :ERROR :SQLSTATE :ROW_COUNT\nselect nope;\n\\echo :ERROR :SQLSTATE :ROW_COUNT :LAST_ERROR_SQLSTATE\n\\echo :LAST_ERROR_MESSAGE\ncreate temp table z(a int);\n\\echo :ROW_COUNT :LAST_ERROR_SQLSTATE\ninsert into z select generate_series(1,7);\n\\echo :ROW_COUNT\n"}},
		{name: "if elif else endif", args: []string{"-f", "if.sql"}, files: map[string]string{"if.sql": "\\set v 1\n\\if :v\n  \\echo one\n\\elif true\n  \\echo notreached\n\\else\n  \\echo no\n\\endif\n\\if false\n  select 'skipped';\n  \\echo :nope\n\\elif yes\n  select 'elif' as x;\n\\endif\n\\if maybe\n\\echo inmaybe\n\\endif\n\\else\n\\elif 1\n\\endif\n\\if 1\n\\else\n\\else\n\\elif 1\n\\endif\n\\if 0\n\\if 1\n\\echo nested\n\\endif\n\\endif\n\\if 1\n\\echo open\n"}},
		{name: "if with on_error_stop", args: []string{"-v", "ON_ERROR_STOP=1", "-f", "if.sql"}, files: map[string]string{"if.sql": "\\if maybe\n\\echo no\n\\endif\n\\echo after\n"}},
		{name: "unmatched endif with on_error_stop", args: []string{"-v", "ON_ERROR_STOP=1", "-f", "-"}, stdin: "\\endif\n\\echo after\n"},
		{name: "open if at end with on_error_stop", args: []string{"-v", "ON_ERROR_STOP=1", "-f", "-"}, stdin: "\\if 1\n\\echo x\n"},
		{name: "gset", args: []string{"-f", "g.sql"}, files: map[string]string{"g.sql": "select 1 as a, 'x y' as b, null as c \\gset\n\\echo :a :b :c\nselect 2 as a \\gset p_\n\\echo :p_a\nselect 1 where false \\gset\nselect generate_series(1,2) as n \\gset\nselect nope \\gset\n\\echo done\n"}},
		{name: "client-side copy", args: []string{"-f", "cp.sql"}, files: map[string]string{"in.tsv": "1\ta\n2\tb\n", "cp.sql": "create temp table c(a int, b text);\n\\copy c from 'in.tsv'\n\\copy c from in.tsv\n\\copy c (a, b) from stdin\n3\tc\n\\.\n\\copy c to stdout\n\\copy (select * from c order by a desc) to stdout with (format csv, header)\n\\copy c to 'out.txt'\n\\copy c from 'nonexist.tsv'\n\\copy c from program 'printf \"7\\tp\\n\"'\n\\copy c to program 'wc -l'\nselect count(*) from c;\n\\copy c\n\\copy c sideways stdin\n"}},
		{name: "connect", args: []string{"-f", "cc.sql"}, files: map[string]string{"cc.sql": "\\c template1\nselect current_database();\n\\c - -\n\\connect nosuchdb\nselect 1;\n"}},
		{name: "encoding and shell", args: []string{"-f", "e.sql"}, files: map[string]string{"e.sql": "\\encoding\n\\encoding LATIN1\n\\encoding\n\\encoding nosuch\n\\! echo from the shell\n\\timing on\n\\timing off\n"}},
		{name: "ambiguous long option", args: []string{"--single", "-c", "select 1"}},
		{name: "echo hidden and single line accepted", args: []string{"-E", "-c", "select 1"}},
		{name: "describe commands in a script", args: []string{"-f", "d.sql"}, files: map[string]string{"d.sql": "\\dt\n\\d items\n\\d+ items\n\\dT\n\\dn\n\\d nosuch\n\\dt nosuch*\n\\dt items extra\n\\di+\n\\df\n\\dx\n\\x\n\\d items_pkey\n"}},
		{name: "describe not found stops under on_error_stop", args: []string{"-v", "ON_ERROR_STOP=1", "-f", "d.sql"}, files: map[string]string{"d.sql": "\\dt nosuch\n\\d nosuch\n\\echo not reached\n"}},
		{name: "describe with echo hidden", args: []string{"-E", "-c", "\\dt"}},
		{name: "describe unaligned", args: []string{"-A", "-c", "\\d items"}},
		{name: "describe not found in -c", args: []string{"-c", "\\d nosuch"}},
		{name: "output to a pipe and back", stdin: "\\o /nonexistent/x\nselect 1;\n\\o | tr a-z A-Z\nselect $$abc$$ as x;\n\\o\nselect 2;\n", args: []string{"-f", "-"}},
		{name: "-o to a pipe", args: []string{"-o", "|tr a-z A-Z", "-c", "select 'hello' as x"}},
		{name: "-o to a missing directory", args: []string{"-o", "/nonexistent/x", "-c", "select 1"}},
		{name: "invalid meta command in -c exits 1", args: []string{"-c", "\\nosuch"}},
		{name: "bad pset in -c exits 1", args: []string{"-c", "\\pset format bogus"}},
		{name: "copy from stdin in -c reads standard input", args: []string{"-c", "create temp table c(a int); copy c from stdin; select count(*) from c"}, stdin: "1\n2\n\\.\n"},
		{name: "copy followed by more on its line", args: []string{"-f", "c.sql"}, files: map[string]string{"c.sql": "create temp table c(a int);\ncopy c from stdin; select 'after' as x;\n1\n2\n\\.\nselect count(*) from c;\n"}},
		{name: "copy error reported at the end of its data", args: []string{"-f", "c.sql"}, files: map[string]string{"c.sql": "create temp table c(a int);\ncopy c from stdin;\n1\nnot a number\n3\n\\.\nselect count(*) from c;\n"}},
		{name: "copy to stdout whose query says from stdin", args: []string{"-c", "copy (select 'from stdin' as s) to stdout"}},
		{name: "pset listing", args: []string{"-P", "null=x", "-F", ";", "-R", "#", "-x", "-c", "\\pset"}},
		{name: "pset listing after changes", args: []string{"-f", "p.sql"}, files: map[string]string{"p.sql": "\\pset format csv\n\\pset border 2\n\\pset title 'a title'\n\\pset linestyle unicode\n\\pset\n"}},
		{name: "quiet, echo, defined-variable tests, warn, qecho, x auto, on_error_stop set mid-script", args: []string{"-f", "mix.sql"}, files: map[string]string{"mix.sql": "\\set QUIET 1\ncreate temp table m(a int);\ninsert into m values (1);\n\\set QUIET 0\ninsert into m values (2);\n\\set ECHO queries\nselect count(*) from m;\n\\set ECHO none\n\\if :{?nope}\n\\echo defined\n\\else\n\\echo not defined\n\\endif\n\\set x 5\n\\echo :{?x} :x\n\\unset x\n\\echo :{?x}\n\\warn to stderr\n\\qecho to qout\n\\x auto\nselect 1 as a;\n\\x off\n\\set ON_ERROR_STOP on\nselect nope;\nselect 'not reached';\n"}},
		{name: "variables in a buffer sent by \\gset and \\g", args: []string{"-f", "g.sql"}, files: map[string]string{"g.sql": "\\set x 5\nselect :x + 1 as v \\gset\n\\echo :v\nselect :'x' as q \\g\nselect :x\n\\g\n"}},
		{name: "errverbose and verbosity", args: []string{"-f", "v.sql"}, files: map[string]string{"v.sql": "\\errverbose\nselect 1/0;\n\\set VERBOSITY verbose\nselect 1/0;\n\\set VERBOSITY terse\nselect * from nonexistent;\n\\set VERBOSITY sqlstate\nselect 1/0;\n\\set VERBOSITY default\ncreate temp table tt (a int not null);\ninsert into tt values (null);\n\\errverbose\nselect * from\n  nonexistent;\n\\errverbose\n"}, serial: true},
		{name: "gdesc and gexec", args: []string{"-f", "g.sql"}, files: map[string]string{"g.sql": "select 1 as a, 'x'::varchar(3) as b, null::numeric(5,2) \\gdesc\ncreate temp table gx(a int);\n\\gdesc\nselect 'select ' || g || ' as v' from generate_series(1,2) g \\gexec\nselect 'insert into gx values (1)', 'select count(*) from gx' \\gexec\n\\set ECHO all\nselect 'select 42 as x' \\gexec\n\\set ECHO none\nselect null, 'select 7' \\gexec\nselect 'bad sql here', 'select 8' \\gexec\nselect nope \\gdesc\n\\set ON_ERROR_STOP on\nselect 'bad sql here', 'select 9' \\gexec\n"}},
		{name: "setenv and getenv", args: []string{"-f", "e.sql"}, files: map[string]string{"e.sql": "\\setenv SSQ_X hello\n\\getenv v SSQ_X\n\\echo :v\n\\! echo $SSQ_X\n\\getenv w SSQ_NOPE\n\\echo :w\n\\setenv SSQ_X\n\\getenv v2 SSQ_X\n\\echo :v2\n\\getenv onlyone\n\\setenv\n"}},
		{name: "function and view sources", args: []string{"-f", "s.sql"}, files: map[string]string{"s.sql": "\\sf abs(integer)\ncreate function f1(a int) returns int language sql as $$ select a + 1 $$;\n\\sf f1\n\\sf+ f1\ncreate function f2(a int) returns int language sql begin atomic select a * 2; end;\n\\sf+ f2\ncreate view vv as select 1 as one, 'two' as \"Two\";\n\\sv vv\n\\sv+ vv\ncreate view vc with (security_barrier) as select * from vv where one > 0 with local check option;\n\\sv vc\n\\sf nonexist\n\\sf abs\n\\sv nonexist\n\\sf\n"}},
		{name: "write the query buffer", args: []string{"-f", "w.sql"}, files: map[string]string{"w.sql": "select 1,\n  2\n\\w out.txt\n;\n"}},
		{name: "prompt reads standard input", args: []string{"-c", "\\prompt v", "-c", "\\prompt 'Name: ' w", "-c", "\\prompt a b c", "-c", "\\prompt", "-c", "\\prompt z", "-c", "\\echo :v :w :b :z"}, stdin: "first line\nsecond\nthird"},
		{name: "prompt in a script file", args: []string{"-f", "p.sql"}, files: map[string]string{"p.sql": "\\prompt 'Name: ' v\n\\echo :v\n"}, stdin: "typed\n"},
		{name: "backquoted commands in backslash arguments", args: []string{"-f", "bt.sql"}, files: map[string]string{"bt.sql": "\\set x `false`\n\\echo [:x]\n\\set y `printf 'a\\n\\n'`\n\\echo [:y]\n\\set v world\n\\echo `echo hello :v :'v'`\n\\echo x`echo y`z\n\\echo '`echo no`'\n\\set z `nosuchcmd_zz`\n\\echo [:z]\n\\if `echo true`\n\\echo yes\n\\endif\n\\! nosuch_cmd_zz\n"}},
		{name: "session log", args: []string{"-L", "out.txt", "-f", "l.sql"}, files: map[string]string{"l.sql": "create table lt(a int);\ninsert into lt values (1),(2);\nselect * from lt;\n\\echo not logged\n\\dt lt\ncopy lt to stdout;\nselect 1 \\gset\nselect 2 \\gx\n\\x\nselect 3 as x;\nselect nope;\n\\set QUIET on\ninsert into lt values (3);\n"}},
		{name: "session log that cannot be opened", args: []string{"-L", "/nonexistent/log", "-c", "select 1"}},
		{name: "invalid variable names", args: []string{"-f", "gs.sql"}, files: map[string]string{"gs.sql": "select 1 \\gset\nselect 1 as \"a b\", 2 as c \\gset\n\\echo :c\n\\set ?x 1\n\\set é 2\n\\echo :é\n\\set x-y 3\nselect 5 as ok \\gset p_\n\\echo :p_ok\n"}},
		{name: "AUTOCOMMIT off and ON_ERROR_ROLLBACK", args: []string{"-f", "oe.sql"}, files: map[string]string{"oe.sql": "create temp table oe(a int);\n\\set ON_ERROR_ROLLBACK on\nbegin;\ninsert into oe values (1);\nselect nope;\ninsert into oe values (2);\ncommit;\nselect count(*) from oe;\n\\set ON_ERROR_ROLLBACK interactive\nbegin;\nselect nope;\ninsert into oe values (3);\ncommit;\n\\set AUTOCOMMIT off\n\\set ON_ERROR_ROLLBACK on\ninsert into oe values (4);\nselect 1/0;\ninsert into oe values (5);\ncommit;\nselect count(*) from oe;\nvacuum;\ncopy oe to stdout;\nrollback;\n\\echo :ERROR\n\\set ON_ERROR_ROLLBACK off\ncreate table ac(a int);\ninsert into ac values (1);\nrollback;\nselect count(*) from ac;\n"}},
		{name: "SHOW_CONTEXT and VERBOSITY for errors and notices", args: []string{"-f", "ctx.sql"}, files: map[string]string{"ctx.sql": "create function f_err() returns int language plpgsql as $$ begin raise notice 'hello %', 1; raise exception 'boom' using detail = 'd', hint = 'h'; end $$;\nselect f_err();\n\\set SHOW_CONTEXT never\nselect f_err();\n\\set SHOW_CONTEXT always\nselect f_err();\n\\set SHOW_CONTEXT errors\n\\set VERBOSITY verbose\nselect f_err();\n\\set VERBOSITY terse\nselect f_err();\n\\set VERBOSITY sqlstate\nselect f_err();\ndrop function f_err();\n"}},
		{name: "-P errors and border as psql reads it", args: []string{"-P", "format=bogus", "-c", "select 1"}},
		{name: "-P unknown option", args: []string{"-P", "nosuch=1", "-c", "select 1"}},
		{name: "border that is not a number", args: []string{"-f", "b.sql"}, files: map[string]string{"b.sql": "\\pset border x\nselect 1;\n\\pset border -1\nselect 1;\n\\pset border 99\n\\pset border 3\nselect 1;\n"}},
		{name: "\\g and \\gx with options, a file and a pipe", args: []string{"-f", "g.sql"}, files: map[string]string{"g.sql": "select 1 as a \\g out.txt\nselect 2 as b \\g (format=csv)\nselect 3 as c \\g (format=unaligned tuples_only)\nselect 4 as d \\gx (format=csv)\nselect 5 as e \\g |tr a-z A-Z\nselect 6;\n\\g (border=2)\n"}},
		{name: "\\g option errors keep the buffer", args: []string{"-f", "g3.sql"}, files: map[string]string{"g3.sql": "select 1 \\g (nosuch=1)\nselect 2 \\g (format=csv\nselect 3 \\g /nonexistent/x\nselect 4 \\g (border=2 format=aligned) \n\\p\nselect 5 \\gx (format=unaligned) |cat -A\nselect 6 \\g (tuples_only)\nselect 7 \\g (t=on x)\n"}},
		{name: "connect forms", args: []string{"-f", "cc.sql"}, files: map[string]string{"cc.sql": "\\c -reuse-previous=on dbname=template1\nselect current_database();\n\\c \"dbname=template1\"\nselect current_database();\n\\c postgresql:///template1\nselect current_database();\n\\c -reuse-previous=bogus\n\\c -reuse-previous=off template1\nselect current_database();\n"}},
		{name: "line styles", args: []string{"-f", "ls.sql"}, files: map[string]string{"ls.sql": "\\pset linestyle old-ascii\nselect 1 as a, E'x\\ny' as b;\n\\pset border 2\n\\x\nselect 1 as a, E'x\\ny' as b;\n\\x\n\\pset linestyle unicode\n\\pset unicode_border_linestyle double\n\\pset unicode_header_linestyle d\nselect 1 as a, E'x\\ny' as b;\n\\pset linestyle bogus\n\\pset unicode_column_linestyle x\n"}},
		{name: "includes, a directory as a script, echo forms", args: []string{"-f", "misc.sql"}, files: map[string]string{"d1/a.sql": "select 11;\n", "misc.sql": "\\i nonexist.sql\n\\ir d1/a.sql\n\\i d1\n\\include d1/a.sql\n\\o /nonexistent/dir/x\n\\echo a\\tb \"q\" 's'\n\\echo -n nonl\n\\echo\n\\qecho :ENCODING\n\\set x\n\\echo [:x]\n\\unset nope\n\\echo :{?x} :{?nope}\n"}},
		{name: "a directory as a script with on_error_stop", args: []string{"-v", "ON_ERROR_STOP=1", "-f", "dd.sql"}, files: map[string]string{"d1/a.sql": "select 11;\n", "dd.sql": "\\i d1\n\\echo after\n"}},
		{name: "an empty title is not no title", args: []string{"-f", "t.sql"}, files: map[string]string{"t.sql": "\\pset title ''\nselect 1;\n\\pset title\nselect 2;\n\\C ''\nselect 3;\n\\pset null ''\n\\pset fieldsep ''\n\\pset\n"}},
		{name: "an empty title in every format", args: []string{"-f", "t.sql"}, files: map[string]string{"t.sql": "\\pset title ''\nselect 1 as a;\n\\x\nselect 1 as a;\n\\x\n\\a\nselect 1 as a;\n\\x\nselect 1 as a;\n\\x\n\\pset format html\nselect 1 as a;\n\\pset format latex\nselect 1 as a;\n\\pset format asciidoc\nselect 1 as a;\n\\pset format troff-ms\nselect 1 as a;\n\\pset format csv\nselect 1 as a;\n\\pset format wrapped\nselect 1 as a;\n\\dt nosuch*\n\\pset format aligned\n\\l nosuchdb\n"}},
		{name: "syntax error at end of long line", args: []string{"-c", "select 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25 frm"}},
	}
	// The serial cases run first (t.Run returns when they end); the
	// others then run in parallel, each in its own databases and working
	// directory, with the environment baseEnv gives every run.
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.serial {
				t.Parallel()
			}
			// Each program gets its own copy of the data: what one creates
			// must not change what the other sees.
			psqlDB, safesqlDB := pgtest.Clone(t, params, "psql"), pgtest.Clone(t, params, "safesql")
			compareWithPsql(t, tc, psql, psqlDB.Env(), safesqlDB.Env())
		})
	}
}

// sameAsPsql requires safesql's run to print what psql's printed, the
// program's name aside: stdout, stderr and exit code; norm (when not
// nil) is applied to both outputs first (OIDs that differ by run).
func sameAsPsql(t *testing.T, want, got result, norm func(string) string) {
	t.Helper()
	if norm == nil {
		norm = func(s string) string { return s }
	}
	if a, b := norm(want.stdout), norm(got.stdout); a != b {
		t.Errorf("stdout differs\n--- psql\n%s\n--- safesql\n%s", a, b)
	}
	if a, b := norm(normalise(want.stderr)), norm(got.stderr); a != b {
		t.Errorf("stderr differs\n--- psql\n%s\n--- safesql\n%s", a, b)
	}
	if got.code != want.code {
		t.Errorf("exit code %d, psql's %d", got.code, want.code)
	}
}

// compareWithPsql runs tc through psql (with psqlEnv) and safesql (with
// safeEnv) in a directory holding tc's files, and requires the same
// stdout, stderr (the program's name aside), exit code and -o file.
func compareWithPsql(t *testing.T, tc psqlCase, psql string, psqlEnv, safeEnv []string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range tc.files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := append([]string{"-X"}, tc.args...)
	if tc.noX {
		args = tc.args
	}
	want := runProgram(t, psql, psqlEnv, tc.stdin, dir, args...)
	wantFile, _ := os.ReadFile(filepath.Join(dir, "out.txt"))
	os.Remove(filepath.Join(dir, "out.txt"))
	got := runProgram(t, binary, safeEnv, tc.stdin, dir, args...)
	gotFile, _ := os.ReadFile(filepath.Join(dir, "out.txt"))
	sameAsPsql(t, want, got, nil)
	if string(gotFile) != string(wantFile) {
		t.Errorf("-o file differs\n--- psql\n%s\n--- safesql\n%s", wantFile, gotFile)
	}
}

func TestConnectionFailures(t *testing.T) {
	psql := pgtest.Psql(t)
	params := pgtest.DB(t)
	cases := []struct {
		name string
		env  []string
		args []string
	}{
		{"no such socket", nil, []string{"-h", "/nonexistent-dir", "-c", "select 1"}},
		{"no such database", params.Env(), []string{"-d", "no_such_db", "-c", "select 1"}},
		{"no such role", params.Env(), []string{"-U", "no_such_role", "-c", "select 1"}},
		{"connection refused", nil, []string{"-h", "127.0.0.1", "-p", "1", "-c", "select 1"}},
		{"bad sslmode", params.Env(), []string{"-d", "sslmode=bogus", "-c", "select 1"}},
		{"host name that does not resolve", nil, []string{"-h", "no-such-host.invalid", "-c", "select 1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := runProgram(t, psql, tc.env, "", t.TempDir(), tc.args...)
			got := runProgram(t, binary, tc.env, "", t.TempDir(), tc.args...)
			if w := normalise(want.stderr); got.stderr != w {
				t.Errorf("stderr differs\n--- psql\n%s\n--- safesql\n%s", w, got.stderr)
			}
			if got.code != want.code || got.code != 2 {
				t.Errorf("exit code %d, psql's %d, want 2", got.code, want.code)
			}
		})
	}
}

func TestFailedCopyDataIsNotRunAsSQL(t *testing.T) {
	conn, params := pgtest.Conn(t)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "create table victims(id int); insert into victims values (1), (2)"); err != nil {
		t.Fatal(err)
	}
	// The COPY names a table that does not exist; psql would then run the
	// data line as SQL and empty the table.
	script := "copy no_such_table from stdin;\ndelete from victims;\n\\.\n\\copy no_such_table from stdin\ndelete from victims;\n\\.\nselect count(*) from victims;\n"
	got := runProgram(t, binary, params.Env(), script, t.TempDir(), "-X", "-At")
	if got.stdout != "2\n" {
		t.Errorf("stdout %q, want the two rows still there", got.stdout)
	}
	if !strings.Contains(got.stderr, `relation "no_such_table" does not exist`) || strings.Count(got.stderr, "skipped, not run as SQL") != 2 {
		t.Errorf("stderr %q should show the COPY error and that its data was skipped", got.stderr)
	}
	var n int
	if err := conn.QueryRow(ctx, "select count(*) from victims").Scan(&n); err != nil || n != 2 {
		t.Fatalf("victims has %d rows (err %v), want 2", n, err)
	}
}

func TestBadConninfoExitsTwoWithoutPassword(t *testing.T) {
	got := runProgram(t, binary, nil, "", t.TempDir(), "-X", "-d", "postgres://u:s3cret@h:notaport/db", "-c", "select 1")
	if got.code != 2 {
		t.Errorf("exit code %d, want 2 (as psql)", got.code)
	}
	if strings.Contains(got.stderr, "s3cret") || !strings.Contains(got.stderr, "port") {
		t.Errorf("stderr %q should name the bad port and not show the password", got.stderr)
	}
}

func TestJSONFormatStreamsOneObjectPerRow(t *testing.T) {
	params := pgtest.DB(t)
	got := runProgram(t, binary, params.Env(), "", t.TempDir(), "-X", "--format", "json", "-c",
		`select 1 as n, 'a"b' as s, null as z, true as b, '{"k": [1]}'::jsonb as j, 'NaN'::float8 as f union all select 2, 'c', 'x', false, null, 1.5`)
	want := `{"n":1,"s":"a\"b","z":null,"b":true,"j":{"k": [1]},"f":"NaN"}` + "\n" +
		`{"n":2,"s":"c","z":"x","b":false,"j":null,"f":1.5}` + "\n"
	if got.stdout != want || got.code != 0 {
		t.Errorf("stdout\n%s\nwant\n%s\n(exit %d, stderr %s)", got.stdout, want, got.code, got.stderr)
	}
}

func TestShellEscapeRefusedInProduction(t *testing.T) {
	p := pgtest.DB(t)
	prod := writeConfig(t, "unknown_tier = \"production\"\n")
	got := runProgram(t, binary, append(p.Env(), "SAFESQL_CONFIG="+prod), "", t.TempDir(), "-X", "-c", `\! echo ran`)
	if got.code != 1 || strings.Contains(got.stdout, "ran") || !strings.Contains(got.stderr, "shell commands are refused in production") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 and a refusal", got.code, got.stdout, got.stderr)
	}
	got = runProgram(t, binary, p.Env(), "", t.TempDir(), "-X", "-c", `\! echo ran`)
	if got.code != 0 || got.stdout != "ran\n" {
		t.Fatalf("local: exit %d, stdout %q, stderr %q", got.code, got.stdout, got.stderr)
	}
}

// TestEveryProgramPassesTheShellGate: where \! is refused, so is every
// other way to start a program, before it starts; locally they run.
func TestEveryProgramPassesTheShellGate(t *testing.T) {
	p := pgtest.DB(t)
	prod := writeConfig(t, "unknown_tier = \"production\"\n")
	dir := t.TempDir()
	script := "\\o |touch o.ran\n\\o\n" +
		"select 1 \\g |touch g.ran\n" +
		"\\copy (select 1) to program 'touch copy.ran'\n" +
		"\\setenv PAGER 'touch pager.ran'\n"
	why := "shell commands are refused in production: this connection matches no configured environment, so it counts as production; define an environment for it (allow_shell = true allows them outside production)"
	want := "\\o |touch o.ran: " + why + "\n" +
		"\\g |touch g.ran: " + why + "\n" +
		"\\copy ... to program \"touch copy.ran\": " + why + "\n" +
		"\\setenv PAGER: " + why + "\n"
	// The refused \g keeps its buffer, and the end of the input sends
	// it, as psql does with a query left in the buffer.
	wantOut := " ?column? \n----------\n        1\n(1 row)\n\n"
	got := runProgram(t, binary, append(p.Env(), "SAFESQL_CONFIG="+prod), script, dir, "-X")
	if got.stderr != want || got.stdout != wantOut {
		t.Errorf("exit %d, stdout %q, stderr\n%s\nwant\n%s", got.code, got.stdout, got.stderr, want)
	}
	for _, m := range []string{"o.ran", "g.ran", "copy.ran"} {
		if _, err := os.Stat(filepath.Join(dir, m)); err == nil {
			t.Errorf("%s exists: the program ran", m)
		}
	}
	got = runProgram(t, binary, p.Env(), script, dir, "-X")
	for _, m := range []string{"o.ran", "g.ran", "copy.ran"} {
		if _, err := os.Stat(filepath.Join(dir, m)); err != nil {
			t.Errorf("local: %s: %v (stderr %q)", m, err, got.stderr)
		}
	}
}

// TestPasswordsAreNotPrinted: the plan of a script, its errors and the
// session log (-L) show a role's password redacted.
func TestPasswordsAreNotPrinted(t *testing.T) {
	_, env := safetyDB(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "roles.sql")
	if err := os.WriteFile(script, []byte("ALTER ROLE nosuch_role PASSWORD 'hunter2';\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "session.log")
	got := runProgram(t, binary, env, "", dir, "-X", "-L", log, "prod", "-f", script)
	if !strings.Contains(got.stderr, "roles.sql:1: destructive: ALTER ROLE nosuch_role PASSWORD '[redacted]';\n") || strings.Contains(got.stderr, "hunter2") {
		t.Errorf("exit %d, stderr:\n%s", got.code, got.stderr)
	}
	got = runProgram(t, binary, env, "", dir, "-X", "-L", log, "--write", "--confirm", "production", "--commit", "prod", "-f", script)
	if !strings.Contains(got.stderr, `ERROR:  role "nosuch_role" does not exist`) || strings.Contains(got.stderr, "hunter2") {
		t.Errorf("exit %d, stderr:\n%s", got.code, got.stderr)
	}
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "ALTER ROLE nosuch_role PASSWORD '[redacted]';\n") || strings.Contains(string(b), "hunter2") {
		t.Errorf("session log:\n%s", b)
	}
}
