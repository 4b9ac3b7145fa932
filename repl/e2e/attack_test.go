package e2e

// Attacks on production's promise, run through the real binary without a
// terminal (-c, -f, standard input, \i, PSQLRC). The promise: on a
// production connection nothing changes without the steps its tier asks
// for: read-only until --write, --confirm production before a destructive
// statement, --commit before the run's transaction commits, and an audit
// line written before anything is sent. Every test asks the server (another
// connection) what really happened afterwards.
//
// The tests whose comments say "Was a hole" failed when they were written
// and pass since the fix; every test here is a regression test.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// attackSchema: customers 1..10, 100 orders (10 per customer, cascading),
// and things the analyzer cannot see into: a VOLATILE function that
// deletes customer 4, a view over it, functions and a view, a trigger and
// a rule that terminate the backend whose application_name is 'victim'.
const attackSchema = `
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers ON DELETE CASCADE);
INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 10) g;
INSERT INTO orders (customer_id) SELECT 1 + g % 10 FROM generate_series(1, 100) g;
CREATE FUNCTION wipe_customer_4() RETURNS int LANGUAGE plpgsql VOLATILE AS $$
BEGIN DELETE FROM orders WHERE customer_id = 4; DELETE FROM customers WHERE id = 4; RETURN 1; END $$;
CREATE VIEW v AS SELECT wipe_customer_4() AS x;
CREATE FUNCTION del_order_1() RETURNS int LANGUAGE plpgsql VOLATILE AS $$
BEGIN DELETE FROM orders WHERE id = 1; RETURN 1; END $$;
CREATE FUNCTION del_order_2() RETURNS int LANGUAGE sql VOLATILE AS 'DELETE FROM orders WHERE id = 2 RETURNING 1';
CREATE TABLE inbox (id int);
CREATE FUNCTION inbox_wipes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN DELETE FROM orders WHERE customer_id = 5; DELETE FROM customers WHERE id = 5; RETURN NEW; END $$;
CREATE TRIGGER inbox_wipes AFTER INSERT ON inbox FOR EACH ROW EXECUTE FUNCTION inbox_wipes();
CREATE TABLE outbox (id int);
CREATE RULE outbox_wipes AS ON INSERT TO outbox DO ALSO DELETE FROM customers WHERE id = 6;
CREATE FUNCTION kill_plpg(p int) RETURNS bool LANGUAGE plpgsql AS $$ BEGIN RETURN pg_terminate_backend(p); END $$;
CREATE FUNCTION kill_dyn(p int) RETURNS bool LANGUAGE plpgsql AS $$
DECLARE r bool; BEGIN EXECUTE 'SELECT pg_terminate_backend($1)' INTO r USING p; RETURN r; END $$;
CREATE FUNCTION kill_sql(p int) RETURNS bool LANGUAGE sql AS 'SELECT pg_terminate_backend(p)';
CREATE VIEW v_kill AS SELECT pg_terminate_backend(pid) AS k FROM pg_stat_activity WHERE application_name = 'victim';
CREATE VIEW v_kill_fn AS SELECT kill_plpg(pid) AS k FROM pg_stat_activity WHERE application_name = 'victim';
CREATE TABLE tripwire (id int);
INSERT INTO tripwire VALUES (1), (2);
CREATE FUNCTION tripwire_kills() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim'; RETURN OLD; END $$;
CREATE TRIGGER tripwire_kills BEFORE DELETE ON tripwire FOR EACH ROW EXECUTE FUNCTION tripwire_kills();
CREATE TABLE ruled (id int);
INSERT INTO ruled VALUES (1);
CREATE RULE ruled_kills AS ON DELETE TO ruled DO ALSO
  SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim';
`

type attack struct {
	conn   *pgx.Conn
	params pgtest.Params
	env    []string
	audit  string
	dsn    string
}

// newAttack gives the test its own database, known as the environment
// "prod" (tier production, audited), and a connection to look at it.
func newAttack(t *testing.T) *attack {
	t.Helper()
	conn, p := pgtest.Conn(t)
	if _, err := conn.Exec(context.Background(), attackSchema); err != nil {
		t.Fatal(err)
	}
	return attackOn(t, conn, p)
}

// attackTemplate creates a database with attackSchema for newAttackFrom
// to copy (cheaper than running the schema again for each case).
func attackTemplate(t *testing.T) pgtest.Params {
	t.Helper()
	conn, p := pgtest.Conn(t)
	if _, err := conn.Exec(context.Background(), attackSchema); err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(context.Background()); err != nil { // a template must have no connections
		t.Fatal(err)
	}
	return p
}

// newAttackFrom is newAttack on a copy of template.
func newAttackFrom(t *testing.T, template pgtest.Params) *attack {
	t.Helper()
	p := pgtest.Clone(t, template, "attack")
	conn, err := pgx.Connect(context.Background(), p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return attackOn(t, conn, p)
}

func attackOn(t *testing.T, conn *pgx.Conn, p pgtest.Params) *attack {
	t.Helper()
	a := &attack{conn: conn, params: p, audit: filepath.Join(t.TempDir(), "audit.jsonl")}
	a.dsn = fmt.Sprintf("host=%s port=%d user=%s dbname=%s", p.Host, p.Port, p.User, p.DBName)
	a.env = []string{"SAFESQL_CONFIG=" + a.config(t, a.audit)}
	// A prepared transaction left behind would keep the database from
	// being dropped.
	t.Cleanup(func() {
		rows, err := conn.Query(context.Background(), "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")
		if err != nil {
			return
		}
		gids, _ := pgx.CollectRows(rows, pgx.RowTo[string])
		for _, gid := range gids {
			_, _ = conn.Exec(context.Background(), "ROLLBACK PREPARED '"+gid+"'")
		}
	})
	return a
}

func (a *attack) config(t *testing.T, auditPath string) string {
	return writeConfig(t, fmt.Sprintf("[envs.prod]\ndsn = %q\ntier = \"production\"\naudit = { enabled = true, path = %q }\n", a.dsn, auditPath))
}

// run runs safesql prod ARGS with stdin in a fresh directory.
func (a *attack) run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return a.runIn(t, t.TempDir(), nil, stdin, args...)
}

func (a *attack) runIn(t *testing.T, dir string, env []string, stdin string, args ...string) result {
	t.Helper()
	return runProgram(t, binary, append(append([]string{}, a.env...), env...), stdin, dir, append([]string{"prod"}, args...)...)
}

func (a *attack) n(t *testing.T, query string) int {
	t.Helper()
	var n int
	if err := a.conn.QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// untouched requires the data as the schema left it: 10 customers, 100
// orders, no customer above 10, nothing prepared.
func (a *attack) untouched(t *testing.T, got result) {
	t.Helper()
	c, o := a.n(t, "SELECT count(*) FROM customers"), a.n(t, "SELECT count(*) FROM orders")
	hi := a.n(t, "SELECT count(*) FROM customers WHERE id > 10")
	px := a.n(t, "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()")
	if c != 10 || o != 100 || hi != 0 || px != 0 {
		t.Errorf("committed: %d customers (%d new), %d orders, %d prepared transactions; want 10, 0, 100, 0\nexit %d\nstdout:\n%s\nstderr:\n%s", c, hi, o, px, got.code, got.stdout, got.stderr)
	}
}

type attackCase struct {
	name  string
	args  []string
	stdin string
	code  int // expected exit status; -1: any but 0
}

func checkCode(t *testing.T, got result, want int) {
	t.Helper()
	if want == -1 && got.code == 0 || want != -1 && got.code != want {
		t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got.code, want, got.stdout, got.stderr)
	}
}

// runUntouched runs each case against a fresh database and requires that
// nothing was committed and the exit status. The cases run in parallel,
// each on its own copy of one database with attackSchema; none of them
// touches what the cluster shares (the victim's session, roles), but for
// the names of prepared transactions, which an attack that worked would
// leave behind in its own database, and untouched would report.
func runUntouched(t *testing.T, cases []attackCase) {
	t.Helper()
	template := attackTemplate(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newAttackFrom(t, template)
			got := a.run(t, tc.stdin, tc.args...)
			checkCode(t, got, tc.code)
			a.untouched(t, got)
		})
	}
}

var (
	ro        = []string{}
	write     = []string{"--write"}
	writeWord = []string{"--write", "--confirm", "production"}
	writeCmt  = []string{"--write", "--commit"}
	cmtOnly   = []string{"--commit"}
)

func with(flags []string, more ...string) []string {
	return append(append([]string{}, flags...), more...)
}

// Promise: text holding several statements is never one statement, and a
// transaction word (COMMIT, END, ROLLBACK, ABORT, BEGIN, START, PREPARE
// TRANSACTION) at its start, behind a comment, in a variable, in \gset or
// \gexec output, or after \; never lets a write or a commit through
// without --write, --confirm production and --commit.
func TestAttackMultiStatementText(t *testing.T) {
	ins := "insert into customers values (11, $$x$$)"
	del := "delete from customers where id = 1"
	var cases []attackCase
	for _, f := range []struct {
		name  string
		flags []string
	}{{"read-only", ro}, {"--write", write}, {"--write --confirm", writeWord}, {"--commit", cmtOnly}} {
		for _, c := range []string{
			"select 1; " + del,
			"select 1; " + ins,
			"commit; " + del,
			"commit; " + ins,
			"/* x */ commit; " + ins,
			"-- x\ncommit; " + ins,
			"COMMIT WORK; " + ins,
			"end; " + ins,
			"end transaction; " + ins,
			"abort; " + ins + "; commit",
			"rollback; " + ins + "; commit",
			"rollback; " + ins + "; end",
			"begin; " + ins + "; commit",
			"begin; " + del + "; commit",
			"begin read write; " + ins + "; commit",
			"start transaction read write; " + ins + "; commit",
			"start transaction isolation level serializable, read write; " + ins + "; commit",
			ins + "; commit and chain; select 1",
			ins + "; prepare transaction 'p1'",
			"select 1 \\; " + ins + " \\; commit",
			ins + " \\; commit",
			"savepoint s; " + ins + "; release s; commit",
		} {
			if f.name == "--commit" && !strings.Contains(c, "delete") && !strings.Contains(c, "insert") {
				continue
			}
			cases = append(cases, attackCase{name: f.name + ": " + c, args: with(f.flags, "-c", c), code: 3})
		}
	}
	// Variables, \gset and \gexec: the plan cannot see their values.
	for _, s := range []struct{ name, script string }{
		{"set variable commit", "\\set x commit\n" + ins + ";\n:x;\n"},
		{"set variable commit and more", "\\set x 'commit; " + ins + "'\n:x;\n"},
		{"set variable with comment", "\\set x '/* c */ commit'\n" + ins + ";\n:x;\n"},
		{"gset commit", "select 'commit' as x \\gset\n" + ins + ";\n:x;\n"},
		{"gset end", "select 'end' as x \\gset\n" + ins + ";\n:x;\n"},
		{"gset rollback then write then commit", "select 'rollback; " + ins + "; commit' as x \\gset\n:x;\n"},
		{"gset begin block", "select 'begin; " + ins + "; commit' as x \\gset\n:x;\n"},
		{"gset prepare transaction", "select 'prepare transaction ''p2''' as x \\gset\n" + ins + ";\n:x;\n"},
		{"gexec commit", ins + ";\nselect 'commit' \\gexec\n"},
		{"gexec COMMIT WORK", ins + ";\nselect 'COMMIT WORK' \\gexec\n"},
		{"gexec commented commit", ins + ";\nselect '/* c */ commit' \\gexec\n"},
		{"gexec line-commented commit", ins + ";\nselect e'-- c\\ncommit' \\gexec\n"},
		{"gexec end", ins + ";\nselect 'end' \\gexec\n"},
		{"gexec commit and chain", ins + ";\nselect 'commit and chain' \\gexec\n"},
		{"gexec prepare transaction", ins + ";\nselect 'prepare transaction ''p3''' \\gexec\n"},
		{"gexec commit; write", "select 'commit; " + ins + "' \\gexec\n"},
		{"gexec rollback; write; commit", "select 'rollback; " + ins + "; commit' \\gexec\n"},
		{"gexec abort; write; end", "select 'abort', '" + ins + "', 'end' \\gexec\n"},
		{"gexec begin block", "select 'begin', '" + ins + "', 'commit' \\gexec\n"},
		{"gexec start transaction read write", "select 'rollback', 'start transaction read write', '" + ins + "', 'commit' \\gexec\n"},
		{"gexec delete then commit", "select '" + del + "', 'commit' \\gexec\n"},
	} {
		for _, f := range []struct {
			name  string
			flags []string
		}{{"read-only", ro}, {"--write", write}, {"--write --confirm", writeWord}} {
			cases = append(cases, attackCase{name: f.name + ": " + s.name, args: f.flags, stdin: s.script, code: -1})
		}
	}
	runUntouched(t, cases)
}

// Promise: a run that only has --write and --confirm never commits: the
// plain text forms are refused before anything runs, with the reason.
func TestAttackCommitWordsAreRefusedUpFront(t *testing.T) {
	a := newAttack(t)
	for _, c := range []string{"commit", "/* x */ commit", "end", "commit and chain", "prepare transaction 'p'", "COMMIT WORK"} {
		got := a.run(t, "", with(writeWord, "-c", "insert into customers values (11, 'x'); "+c)...)
		checkCode(t, got, 3)
		if got.stdout != "" || !strings.Contains(got.stderr, "the input commits (at line 1) in prod (production) and there is no terminal to review the commit on; give --commit\n") {
			t.Errorf("%s: stdout %q, stderr:\n%s", c, got.stdout, got.stderr)
		}
		a.untouched(t, got)
	}
}

// Promise: read-only stays on until --write. Turning it off (SET, SET
// SESSION CHARACTERISTICS, RESET ALL, set_config, BEGIN READ WRITE,
// default_transaction_read_only then COMMIT AND CHAIN) and then writing
// through a VOLATILE function called by a SELECT or a view, then COMMIT,
// commits nothing; with --write alone (no --commit) neither.
func TestAttackTurningReadOnlyOff(t *testing.T) {
	offs := []string{
		"set transaction_read_only = off",
		"SET TRANSACTION_READ_ONLY TO false",
		"set local transaction_read_only = off",
		"set transaction read write",
		"set session characteristics as transaction read write",
		"reset all",
		"reset transaction_read_only",
		"select set_config('transaction_read_only', 'off', false)",
		"select set_config('transaction_read_only', 'off', true)",
		"select set_config('default_transaction_read_only', 'off', false)",
		"set default_transaction_read_only = off",
		"rollback; begin read write",
		"rollback; start transaction read write",
		"set default_transaction_read_only = off; commit and chain",
		"rollback; set session characteristics as transaction read write; rollback",
		"do $$ begin perform set_config('transaction_read_only', 'off', false); end $$",
	}
	writes := []string{"select * from v", "select wipe_customer_4()", "select del_order_1()", "insert into inbox values (1)"}
	var cases []attackCase
	for _, off := range offs {
		for _, w := range writes {
			text := off + "; " + w + "; commit"
			cases = append(cases,
				attackCase{name: "read-only -c: " + text, args: []string{"-c", text}, code: -1},
				attackCase{name: "--commit -c: " + text, args: []string{"--commit", "-c", text}, code: -1},
				attackCase{name: "--write -c: " + text, args: []string{"--write", "-c", text}, code: -1},
			)
		}
		// Through \gexec the plan cannot see it: the rules hold as it runs.
		parts := strings.Split(off, "; ")
		if strings.HasPrefix(off, "do ") {
			parts = []string{off}
		}
		var q []string
		for _, p := range parts {
			q = append(q, "'"+strings.ReplaceAll(p, "'", "''")+"'")
		}
		gx := "select " + strings.Join(q, ", ") + ", 'select * from v', 'commit' \\gexec\n"
		cases = append(cases,
			attackCase{name: "read-only gexec: " + off, stdin: gx, code: -1},
			attackCase{name: "--commit gexec: " + off, args: []string{"--commit"}, stdin: gx, code: -1},
		)
	}
	runUntouched(t, cases)
}

// Promise: the splitter follows the live standard_conforming_strings.
// With it off (SET, SET LOCAL, set_config, \gexec, a DO block, or
// PGOPTIONS at connection), select '\” ; delete ...; --' is two
// statements and the DELETE needs the word; with PGOPTIONS off and a SET
// back on, the other way round.
func TestAttackStandardConformingStrings(t *testing.T) {
	hidden := `select '\'' ; delete from customers where id = 3; --';`
	var cases []attackCase
	for _, set := range []string{
		"set standard_conforming_strings = off;",
		"SET standard_conforming_strings TO 'off';",
		"set local standard_conforming_strings = off;",
		"set session standard_conforming_strings = false;",
		"select set_config('standard_conforming_strings', 'off', false);",
		"select 'set standard_conforming_strings = off' \\gexec",
		"do $$ begin perform set_config('standard_conforming_strings', 'off', false); end $$;",
	} {
		for _, body := range []string{
			hidden,
			`select E'\'' ; delete from customers where id = 3; --';`,
			`select 'a\\' ; delete from customers where id = 3; --';`,
			`select $$\$$ ; delete from customers where id = 3; --';`,
			"select '\\'' ; delete from customers\n where id = 3; --';",
		} {
			for _, f := range [][]string{ro, writeCmt} {
				cases = append(cases,
					attackCase{name: fmt.Sprintf("%v stdin %s %s", f, set, body), args: f, stdin: set + "\n" + body + "\n", code: 3},
				)
				if !strings.Contains(set, "\\gexec") {
					cases = append(cases, attackCase{name: fmt.Sprintf("%v -c %s %s", f, set, body), args: with(f, "-c", set+" "+body), code: -1})
				}
			}
		}
	}
	runUntouched(t, cases)

	pgopt := []struct{ name, stdin string }{
		{"off by PGOPTIONS", hidden + "\n"},
		{"off by PGOPTIONS, E string", `select E'\'' ; delete from customers where id = 3; --';` + "\n"},
		{"off by PGOPTIONS, two lines", "select '\\'' ; delete from customers\nwhere id = 3; --';\n"},
		{"off by PGOPTIONS, then on by SET", "set standard_conforming_strings = on;\nselect 'a\\'; delete from customers where id = 3; --';\n"},
		{"off by PGOPTIONS, then on by set_config", "select set_config('standard_conforming_strings', 'on', false);\nselect 'a\\'; delete from customers where id = 3; --';\n"},
		{"off by PGOPTIONS, then on by SET LOCAL", "set local standard_conforming_strings = on;\nselect 'a\\'; delete from customers where id = 3; --';\n"},
	}
	for _, tc := range pgopt {
		for _, f := range [][]string{ro, writeCmt} {
			t.Run(fmt.Sprintf("%s %v", tc.name, f), func(t *testing.T) {
				a := newAttack(t)
				env := []string{"PGOPTIONS=-c standard_conforming_strings=off"}
				got := a.runIn(t, t.TempDir(), env, tc.stdin, f...)
				checkCode(t, got, 3)
				a.untouched(t, got)
				got = a.runIn(t, t.TempDir(), env, "", with(f, "-c", strings.TrimSuffix(tc.stdin, "\n"))...)
				checkCode(t, got, -1)
				a.untouched(t, got)
			})
		}
	}
}

// Promise: PREPARE TRANSACTION is a commit (it needs --commit); COMMIT
// PREPARED and ROLLBACK PREPARED act on another session's work and need
// --write and the word.
func TestAttackTwoPhaseCommit(t *testing.T) {
	ins := "insert into customers values (11, 'x'); "
	var cases []attackCase
	for _, f := range []struct {
		name  string
		flags []string
	}{{"read-only", ro}, {"--write", write}, {"--write --confirm", writeWord}} {
		cases = append(cases,
			attackCase{name: f.name + " prepare transaction", args: with(f.flags, "-c", ins+"prepare transaction 'p1'"), code: 3},
			attackCase{name: f.name + " prepare transaction in its own -c", args: with(f.flags, "-c", ins, "-c", "prepare transaction 'p1'"), code: 3},
			attackCase{name: f.name + " PREPARE TRANSACTION after a comment", args: with(f.flags, "-c", ins+"/* x */ PREPARE TRANSACTION 'p1'"), code: 3},
			attackCase{name: f.name + " begin, prepare", args: with(f.flags, "-c", "begin; "+ins+"prepare transaction 'p1'"), code: 3},
			attackCase{name: f.name + " gexec prepare", args: f.flags, stdin: ins + "\nselect 'prepare transaction ''p1''' \\gexec\n", code: 3},
			attackCase{name: f.name + " gset prepare", args: f.flags, stdin: "select 'prepare transaction ''p1''' as x \\gset\n" + ins + "\n:x;\n", code: 3},
		)
	}
	runUntouched(t, cases)

	// Another session's prepared work: committing or discarding it needs
	// --write and the word.
	for _, tc := range []attackCase{
		{name: "read-only commit prepared", args: []string{"-c", "commit prepared 'other'"}, code: 3},
		{name: "read-only rollback prepared", args: []string{"-c", "rollback prepared 'other'"}, code: 3},
		{name: "--commit commit prepared", args: []string{"--commit", "-c", "commit prepared 'other'"}, code: 3},
		{name: "--write commit prepared", args: []string{"--write", "-c", "commit prepared 'other'"}, code: 3},
		{name: "--write --commit commit prepared", args: []string{"--write", "--commit", "-c", "commit prepared 'other'"}, code: 3},
		{name: "--write rollback prepared", args: []string{"--write", "-c", "rollback prepared 'other'"}, code: 3},
		{name: "--write commit prepared after a comment", args: []string{"--write", "--commit", "-c", "/* x */ COMMIT PREPARED 'other'"}, code: 3},
		{name: "--write --commit gexec commit prepared", args: []string{"--write", "--commit"}, stdin: "select 'commit prepared ''other''' \\gexec\n", code: 3},
		{name: "read-only gexec commit prepared", stdin: "select 'commit prepared ''other''' \\gexec\n", code: -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAttack(t)
			a.prepareOther(t)
			got := a.run(t, tc.stdin, tc.args...)
			checkCode(t, got, tc.code)
			if n := a.n(t, "SELECT count(*) FROM pg_prepared_xacts WHERE gid = 'other'"); n != 1 {
				t.Errorf("the other session's prepared transaction is gone\nstderr:\n%s", got.stderr)
			}
			if n := a.n(t, "SELECT count(*) FROM customers"); n != 10 {
				t.Errorf("%d customers, want 10", n)
			}
		})
	}
}

// prepareOther leaves a prepared transaction 'other' that deletes
// customer 7 (and its 10 orders).
func (a *attack) prepareOther(t *testing.T) {
	t.Helper()
	other, err := pgx.Connect(context.Background(), a.params.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(context.Background())
	if _, err := other.Exec(context.Background(), "BEGIN; DELETE FROM customers WHERE id = 7; PREPARE TRANSACTION 'other'"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = a.conn.Exec(context.Background(), "ROLLBACK PREPARED 'other'") })
}

// Promise: what is learnt (PREPARE, CREATE FUNCTION) is learnt from a
// statement the server accepted: a rejected PREPARE q AS SELECT 1 does not
// make EXECUTE q a read when q deletes.
func TestAttackRejectedPrepareIsNotLearnt(t *testing.T) {
	var cases []attackCase
	for _, s := range []struct{ name, script string }{
		{"prepare again", "prepare q as delete from customers where id = 2;\nprepare q as select 1;\nexecute q;\n"},
		{"prepare again with params", "prepare q(int) as delete from customers where id = $1;\nprepare q(int) as select $1;\nexecute q(2);\n"},
		{"prepare that fails to parse on the server", "prepare q as delete from customers where id = 2;\nprepare q as select nosuchcolumn from customers;\nexecute q;\n"},
		{"prepare in an aborted transaction", "prepare q as delete from customers where id = 2;\nbegin;\nselect 1/0;\nprepare q2 as select 1;\nrollback;\ndeallocate q2;\nexecute q;\n"},
		{"deallocate that fails", "prepare q as delete from customers where id = 2;\ndeallocate nosuch;\nexecute q;\n"},
		{"prepare in gexec", "prepare q as delete from customers where id = 2;\nselect 'prepare q as select 1' \\gexec\nexecute q;\n"},
		{"execute in gexec", "prepare q as delete from customers where id = 2;\nprepare q as select 1;\nselect 'execute q' \\gexec\n"},
		{"prepare in a variable", "\\set p 'prepare q as delete from customers where id = 2'\n:p;\nprepare q as select 1;\nexecute q;\n"},
		{"create function that exists", "create function wipe_customer_4() returns int language sql as 'select 1';\nselect wipe_customer_4();\n"},
		{"create function that exists, then a view", "create function wipe_customer_4() returns int language sql as 'select 1';\nselect * from v;\n"},
	} {
		for _, f := range []struct {
			name  string
			flags []string
		}{{"--write", write}, {"--write --commit no word", writeCmt}} {
			cases = append(cases, attackCase{name: f.name + ": " + s.name, args: f.flags, stdin: s.script, code: 3})
		}
	}
	runUntouched(t, cases)
}

// victim is a session with application_name 'victim' running pg_sleep;
// wait reports whether its query finished untouched.
type victim struct {
	pid  int
	done chan error
}

func startVictim(t *testing.T, a *attack, sleep time.Duration) *victim {
	t.Helper()
	cfg, err := pgx.ParseConfig(a.params.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["application_name"] = "victim"
	c, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	v := &victim{done: make(chan error, 1)}
	if err := c.QueryRow(context.Background(), "SELECT pg_backend_pid()").Scan(&v.pid); err != nil {
		t.Fatal(err)
	}
	go func() {
		_, err := c.Exec(context.Background(), fmt.Sprintf("SELECT pg_sleep(%f)", sleep.Seconds()))
		if err == nil {
			err = c.Ping(context.Background())
		}
		v.done <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for a.n(t, fmt.Sprintf("SELECT count(*) FROM pg_stat_activity WHERE pid = %d AND state = 'active' AND query LIKE '%%pg_sleep%%'", v.pid)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the victim never started sleeping")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return v
}

func (v *victim) survived(t *testing.T) error {
	t.Helper()
	select {
	case err := <-v.done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("the victim never finished")
		return nil
	}
}

// dryRunCase is a destructive statement generated by \gexec (so the plan
// cannot refuse it up front and the engine does its dry run) that has an
// effect a rollback does not undo, aimed at the victim's pid (PID).
func dryRunCases(t *testing.T, stmts []string) {
	for _, s := range stmts {
		for _, f := range []struct {
			name  string
			flags []string
		}{{"--write", write}, {"--write --commit", writeCmt}} {
			t.Run(f.name+": "+s, func(t *testing.T) {
				a := newAttack(t)
				v := startVictim(t, a, 2*time.Second)
				sql := strings.ReplaceAll(s, "PID", strconv.Itoa(v.pid))
				got := a.run(t, "select '"+strings.ReplaceAll(sql, "'", "''")+"' \\gexec\n", f.flags...)
				if err := v.survived(t); err != nil {
					t.Errorf("the dry run hit another session (%v)\nstderr:\n%s", err, got.stderr)
				}
				checkCode(t, got, 3)
				if !strings.Contains(got.stderr, "give --confirm production") {
					t.Errorf("not refused for the word:\n%s", got.stderr)
				}
				a.untouched(t, got)
				if n := a.n(t, "SELECT count(*) FROM tripwire") + a.n(t, "SELECT count(*) FROM ruled"); n != 3 {
					t.Errorf("tripwire/ruled rows deleted")
				}
			})
		}
	}
}

// Promise: a dry run never tries what a rollback cannot undo
// (pg_terminate_backend, pg_cancel_backend, a function the analyzer cannot
// see into): with --write but no --confirm the other backend survives.
func TestAttackDryRunDoesNotTryUntryable(t *testing.T) {
	dryRunCases(t, []string{
		"delete from customers where id = 9 and pg_terminate_backend(PID)",
		"delete from customers where id = 9 and pg_terminate_backend(PID) is not null",
		"update customers set name = pg_terminate_backend(PID)::text where id = 9",
		"delete from customers where id in (select 9 where pg_terminate_backend(PID))",
		"with k as (select pg_terminate_backend(PID)) delete from customers where id = 9 and (select * from k)",
		"delete from customers where id = 9 and pg_cancel_backend(PID)",
		"delete from customers where id = 9 and pg_catalog.pg_terminate_backend(PID, 0)",
		"delete from customers where id = 9 and kill_plpg(PID)",
		"delete from customers where id = 9 and kill_dyn(PID)",
		"delete from customers where id = 9 and kill_sql(PID)",
		"delete from customers where id = 9 and (select kill_plpg(PID))",
		"do $$ begin perform pg_terminate_backend(PID); delete from customers where id = 9; end $$",
		"do $$ begin execute 'select pg_terminate_backend(PID)'; delete from customers where id = 9; end $$",
		"merge into customers c using (select 9 as id where pg_terminate_backend(PID)) s on c.id = s.id when matched then delete",
	})
}

// Promise: session-level advisory locks are not taken in a dry run (the
// rollback would not release them). Another session holds the lock; a dry
// run that tried would wait for it, which pg_locks shows.
func TestAttackDryRunTakesNoAdvisoryLock(t *testing.T) {
	for _, lock := range []struct{ call, hold string }{
		{"pg_advisory_lock(4242)", "pg_advisory_lock(4242)"},
		{"pg_advisory_lock_shared(4242)", "pg_advisory_lock(4242)"},
		{"pg_advisory_lock(1, 2)", "pg_advisory_lock(1, 2)"},
	} {
		t.Run(lock.call, func(t *testing.T) {
			a := newAttack(t)
			holder, err := pgx.Connect(context.Background(), a.params.ConnString())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { holder.Close(context.Background()) })
			if _, err := holder.Exec(context.Background(), "SELECT "+lock.hold); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(binary, "prod", "--write")
			cmd.Env = append(baseEnv(), a.env...)
			cmd.Stdin = strings.NewReader("select 'delete from customers where id = 9 and " + lock.call + " is not null' \\gexec\n")
			var out, errb strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() { _ = cmd.Wait(); close(done) }()
			waited := false
			deadline := time.After(20 * time.Second)
		poll:
			for {
				select {
				case <-done:
					break poll
				case <-deadline:
					_ = cmd.Process.Kill()
					<-done
					t.Fatal("safesql did not finish")
				default:
				}
				if a.n(t, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") > 0 {
					waited = true
					_ = cmd.Process.Kill()
					<-done
					break poll
				}
				time.Sleep(5 * time.Millisecond)
			}
			if waited {
				t.Errorf("the dry run tried to take the advisory lock\nstderr:\n%s", errb.String())
			} else {
				checkCode(t, result{out.String(), errb.String(), cmd.ProcessState.ExitCode()}, 3)
			}
			a.untouched(t, result{out.String(), errb.String(), 0})
		})
	}
}

// Promise: a tier that audits never sends what it could not record. An
// audit log that cannot be opened (a device, a directory, a path under a
// regular file, a symlink to /dev/full) stops everything: nothing runs,
// nothing is committed, the exit status is not 0.
func TestAttackUnwritableAuditLog(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "regular")
	if err := os.WriteFile(regular, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.jsonl")
	if err := os.Symlink("/dev/full", link); err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{
		"/dev/full":               "/dev/full",
		"directory":               dir,
		"parent is a file":        filepath.Join(regular, "audit.jsonl"),
		"symlink to /dev/full":    link,
		"/dev/null is not a file": "/dev/null",
	}
	for name, path := range paths {
		for _, args := range [][]string{
			{"-c", "select 'ran' as x"},
			{"--write", "--commit", "-c", "insert into customers values (11, 'x')"},
			{"--write", "--confirm", "production", "--commit", "-c", "delete from customers where id = 1"},
			{"--write", "--confirm", "production", "--commit", "-c", "select wipe_customer_4()"},
		} {
			t.Run(name+" "+strings.Join(args, " "), func(t *testing.T) {
				a := newAttack(t)
				a.env = []string{"SAFESQL_CONFIG=" + a.config(t, path)}
				got := a.run(t, "", args...)
				checkCode(t, got, -1)
				if got.stdout != "" {
					t.Errorf("stdout %q: something ran", got.stdout)
				}
				if !strings.Contains(got.stderr, "audit log") {
					t.Errorf("stderr does not name the audit log:\n%s", got.stderr)
				}
				a.untouched(t, got)
			})
		}
	}
}

// auditSweep runs an INSERT with --write --commit with the audit log's
// size limited to each of a range of sizes (RLIMIT_FSIZE through
// prlimit), so that each audit line in turn is the one that cannot be
// written. It calls check with the limit, the result, whether the insert
// was committed and the audit log.
func auditSweep(t *testing.T, check func(t *testing.T, limit int, got result, committed bool, log string)) {
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		skipUnlessRequired(t, "prlimit (util-linux) is not installed")
	}
	a := newAttack(t)
	args := []string{"prod", "--write", "--commit", "-c", "insert into customers values (11, 'x')"}
	full := runProgram(t, binary, a.env, "", t.TempDir(), args...)
	if full.code != 0 {
		t.Fatalf("unlimited run: exit %d\n%s", full.code, full.stderr)
	}
	fi, err := os.Stat(a.audit)
	if err != nil {
		t.Fatal(err)
	}
	size := int(fi.Size())
	for limit := 50; limit < size+200; limit += 37 {
		if _, err := a.conn.Exec(context.Background(), "DELETE FROM customers WHERE id = 11"); err != nil {
			t.Fatal(err)
		}
		os.Remove(a.audit)
		got := runProgram(t, prlimit, a.env, "", t.TempDir(), append([]string{fmt.Sprintf("--fsize=%d", limit), binary}, args...)...)
		log, _ := os.ReadFile(a.audit)
		committed := a.n(t, "SELECT count(*) FROM customers WHERE id = 11") == 1
		check(t, limit, got, committed, string(log))
	}
}

// Promise: an audit line that cannot be written mid-run stops the run:
// a statement whose write-ahead line was not written is not sent, and the
// run's transaction is committed only after its COMMIT line was written.
func TestAttackAuditLogFullMidRun(t *testing.T) {
	auditSweep(t, func(t *testing.T, limit int, got result, committed bool, log string) {
		complete := func(decision, stmt string) bool {
			for _, line := range strings.SplitAfter(log, "\n") {
				if strings.HasSuffix(line, "\n") && strings.Contains(line, `"statement":"`+stmt+`"`) && strings.Contains(line, `"decision":"`+decision+`"`) {
					return true
				}
			}
			return false
		}
		if committed && !complete("sending", "COMMIT") {
			t.Errorf("limit %d: committed without a COMMIT line in the audit log\n%s\nstderr:\n%s", limit, log, got.stderr)
		}
		if strings.Contains(got.stdout, "INSERT 0 1") && !complete("sending", "insert into customers values (11, 'x')") {
			t.Errorf("limit %d: INSERT sent without its line in the audit log\n%s", limit, log)
		}
		if !committed && got.code == 0 {
			t.Errorf("limit %d: nothing committed but exit 0\nstderr:\n%s", limit, got.stderr)
		}
	})
}

// Promise: a parser reject is shown as psql shows it (ERROR, LINE, caret),
// not as a refusal that calls it a write, with psql's exit status: the
// same stdout, stderr and exit code as psql on the same database.
func TestAttackParserRejectsAsPsql(t *testing.T) {
	psql := pgtest.Psql(t)
	conn, params := pgtest.Conn(t)
	if _, err := conn.Exec(context.Background(), schema); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, "unknown_tier = \"production\"\n")
	env := append(params.Env(), "SAFESQL_CONFIG="+cfg, "SAFESQL_SYSTEM_CONFIG="+cfg)
	typos := "select 1 as a;\nselct 1;\nselect 1,\n  2 frm items;\nselect $$x$$ ||| 1;\nselect '日本' as x, 'a' ,, 1;\nselect 1 +;\nselect (1;\nselect 'a' 'b';\ncreate tabel x(a int);\n\tselct\t1;\nupdate items set = 1;\nselect 2 as b;\n"
	cases := []psqlCase{
		{name: "-c typo", args: []string{"-c", "selct 1"}},
		{name: "-c typo with semicolon", args: []string{"-c", "selct 1;"}},
		{name: "-c end of input", args: []string{"-c", "select 1 +"}},
		{name: "-c two -c", args: []string{"-c", "selct 1", "-c", "select 2 as b"}},
		// was a hole: the server parses a whole -c text before it runs any
		// of it, so nothing runs and the caret stands in the whole line
		{name: "-c typo after a read", args: []string{"-c", "select 1 as a; selct 1; select 2 as b"}},
		{name: "-f typos", args: []string{"-f", "t.sql"}, files: map[string]string{"t.sql": typos}},
		{name: "stdin typos", stdin: typos},
		{name: "ON_ERROR_STOP", args: []string{"-v", "ON_ERROR_STOP=1", "-f", "t.sql"}, files: map[string]string{"t.sql": typos}},
		{name: "include", args: []string{"-f", "a.sql"}, files: map[string]string{"a.sql": "select 1 as a;\n\\i b.sql\nselect 3 as c;\n", "b.sql": "select 2 as b;\nselct 2;\n"}},
		{name: "unterminated string at the end", stdin: "select 1 as a;\nselect 'abc\n"},
		{name: "gexec typo", stdin: "select 'selct 1' \\gexec\nselect 2 as b;\n"},
		{name: "echo errors", args: []string{"-b", "-f", "t.sql"}, files: map[string]string{"t.sql": "selct 1;\nselect 2 as b;\n"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			compareWithPsql(t, tc, psql, params.Env(), env)
		})
	}
}

// Promise: with --write, a typo is still the parser's error (exit 1 for
// -c as psql), never a refusal calling it a write or destructive.
func TestAttackParserRejectWithWrite(t *testing.T) {
	a := newAttack(t)
	for _, args := range [][]string{write, writeCmt, writeWord, ro} {
		got := a.run(t, "", with(args, "-c", "selct 1")...)
		want := "ERROR:  syntax error at or near \"selct\"\nLINE 1: selct 1\n        ^\n"
		if got.code != 1 || got.stdout != "" || got.stderr != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1, nothing, %q", args, got.code, got.stdout, got.stderr, want)
		}
		got = a.run(t, "selct 1;\nselect 2 as b;\n", args...)
		if got.code != 0 || !strings.Contains(got.stdout, " b \n---\n 2\n") || strings.Contains(got.stderr, "refused") || strings.Contains(got.stderr, "destructive") {
			t.Errorf("%v script: exit %d, stdout %q, stderr %q", args, got.code, got.stdout, got.stderr)
		}
		a.untouched(t, got)
	}
}

// Promise (shell rule and out-of-band doors): \! and backquotes are
// refused in production; server-side COPY ... PROGRAM and DO blocks need
// --write and the word; CALL of a procedure that commits cannot commit
// inside the run's transaction.
func TestAttackOtherDoors(t *testing.T) {
	mark := filepath.Join(t.TempDir(), "pwned")
	cases := []attackCase{
		{name: "shell escape", args: []string{"--write", "--commit"}, stdin: "\\! touch " + mark + "\n"},
		{name: "backquote", args: []string{"--write", "--commit"}, stdin: "\\set x `touch " + mark + "`\n"},
		{name: "backquote in \\if", stdin: "\\if `touch " + mark + "`\n\\endif\n"},
		{name: "server copy to program", args: []string{"--write", "--commit", "-c", "copy (select 1) to program 'touch " + mark + "'"}, code: 3},
		{name: "server copy from program", args: []string{"--write", "--commit", "-c", "copy customers from program 'touch " + mark + "'"}, code: 3},
		{name: "server copy to program via gexec", args: []string{"--write", "--commit"}, stdin: "select 'copy (select 1) to program ''touch " + mark + "''' \\gexec\n", code: 3},
		{name: "do block deletes", args: []string{"--write", "--commit", "-c", "do $$ begin delete from customers where id = 3; end $$"}, code: 3},
		{name: "do block dynamic", args: []string{"--write", "--commit", "-c", "do $$ begin execute 'delete from customers where id = 3'; end $$"}, code: 3},
		{name: "do block via gexec", args: []string{"--write", "--commit"}, stdin: "select 'do $x$ begin delete from customers where id = 3; end $x$' \\gexec\n", code: 3},
		{name: "do block in another language", args: []string{"--write", "--commit", "-c", "do language sql $$ delete from customers where id = 3 $$"}, code: -1},
		{name: "call", args: []string{"--write", "--commit", "-c", "call nosuch()"}, code: 3},
		{name: "do block that commits, with the word but no --commit", args: []string{"--write", "--confirm", "production", "-c", "do $$ begin insert into customers values (11, 'x'); commit; end $$"}, code: -1},
		{name: "\\copy from program read-only", stdin: "\\copy customers from program 'touch " + mark + "'\n", code: 3},
		{name: "lo_import read-only", stdin: "\\lo_import /etc/hostname\n", code: 3},
		{name: "lo_import without --commit", args: []string{"--write"}, stdin: "\\lo_import /etc/hostname\n", code: 3},
		{name: "copy from stdin read-only", stdin: "copy customers from stdin;\n11\tx\n\\.\n", code: 3},
		{name: "\\copy from stdin read-only", stdin: "\\copy customers from stdin\n11\tx\n\\.\n", code: 3},
		{name: "\\copy from stdin without --commit", args: []string{"--write"}, stdin: "\\copy customers from stdin\n11\tx\n\\.\n", code: 3},
		{name: "editor writes a delete", args: []string{"--write", "--commit"}, stdin: "\\e\n"}, // exit status: TestAttackRefusalOutsideTheMainInputExitsThree
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAttack(t)
			dir := t.TempDir()
			editor := filepath.Join(dir, "ed.sh")
			if err := os.WriteFile(editor, []byte("#!/bin/sh\necho 'delete from customers where id = 2;' > \"$1\"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			os.Remove(mark)
			got := a.runIn(t, dir, []string{"EDITOR=" + editor}, tc.stdin, tc.args...)
			if tc.code != 0 {
				checkCode(t, got, tc.code)
			}
			if _, err := os.Stat(mark); err == nil {
				t.Errorf("a shell command ran\nstderr:\n%s", got.stderr)
			}
			a.untouched(t, got)
			if n := a.n(t, "SELECT count(*) FROM pg_largeobject_metadata"); n != 0 {
				t.Errorf("%d large objects committed", n)
			}
		})
	}
}

// Promise: entering an environment is one act, also on \connect: a run
// started on a local environment (even with --write --commit --confirm
// production) that connects into production is read-only there.
func TestAttackConnectIntoProduction(t *testing.T) {
	for i, script := range []string{
		"\\c DB\ndelete from customers where id = 3;\ncommit;\n",
		"\\connect \"DSN\"\ninsert into customers values (11, 'x');\ncommit;\n",
		"\\c DB\nselect 'delete from customers where id = 3', 'commit' \\gexec\n",
		"select 'DB' as db \\gset\n\\c :db\ninsert into customers values (11, 'x');\ncommit;\n",
		"\\set db DB\n\\c :db\ninsert into customers values (11, 'x');\ncommit;\n",
		"\\c DB\n\\write\ninsert into customers values (11, 'x');\ncommit;\n",
	} {
		for _, flags := range [][]string{{"dev"}, {"dev", "--write", "--commit"}, {"dev", "--write", "--commit", "--confirm", "production"}} {
			t.Run(fmt.Sprintf("%d %v", i, flags), func(t *testing.T) {
				a := newAttack(t)
				t.Run("run", func(t *testing.T) {
					env := devAndProd(t, a)
					sc := strings.ReplaceAll(strings.ReplaceAll(script, "DSN", a.dsn), "DB", a.params.DBName)
					got := runProgram(t, binary, env, sc, t.TempDir(), flags...)
					checkCode(t, got, -1)
					a.untouched(t, got)
				})
			})
		}
	}
}

// devAndProd is a config with prod (a's database) and dev, a local
// environment on a fresh database.
func devAndProd(t *testing.T, a *attack) []string {
	local := pgtest.DB(t)
	cfg := writeConfig(t, fmt.Sprintf("[envs.prod]\ndsn = %q\ntier = \"production\"\naudit = { enabled = true, path = %q }\n\n[envs.dev]\ndsn = %q\ntier = \"local\"\n",
		a.dsn, a.audit, fmt.Sprintf("host=%s port=%d user=%s dbname=%s", local.Host, local.Port, local.User, local.DBName)))
	return []string{"SAFESQL_CONFIG=" + cfg}
}

// Was a hole (debatable), fixed. \connect into production turns writes off, but a
// script's \write turns them back on when the run was started on a local
// environment with --write --commit: the INSERT is committed in
// production without --write or --commit having been given for it.
func TestAttackWriteFlagsStayWithTheirEnvironment(t *testing.T) {
	a := newAttack(t)
	t.Run("run", func(t *testing.T) {
		env := devAndProd(t, a)
		got := runProgram(t, binary, env, "\\c "+a.params.DBName+"\n\\write\ninsert into customers values (11, 'x');\ncommit;\n", t.TempDir(), "dev", "--write", "--commit")
		a.untouched(t, got)
	})
}

// Promise: a lost connection means nothing was committed and the run
// stops (exit 2, as psql): the statements after it are not run on a new
// connection and committed.
func TestAttackKilledBackendDoesNotReconnectAndCommit(t *testing.T) {
	a := newAttack(t)
	script := "insert into customers values (11, 'a');\nselect pg_sleep(3);\ninsert into customers values (12, 'b');\ncommit;\ninsert into customers values (13, 'c');\n"
	cmd := exec.Command(binary, "prod", "--write", "--commit")
	cmd.Env = append(baseEnv(), a.env...)
	cmd.Stdin = strings.NewReader(script)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for a.n(t, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3)%' AND state = 'active' AND pid <> pg_backend_pid()") == 0 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("never reached the sleep")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := a.conn.Exec(context.Background(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3)%' AND pid <> pg_backend_pid()"); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	got := result{out.String(), errb.String(), cmd.ProcessState.ExitCode()}
	checkCode(t, got, 2)
	a.untouched(t, got)
	if !strings.Contains(got.stderr, "nothing of it was committed") {
		t.Errorf("stderr does not say nothing was committed:\n%s", got.stderr)
	}
}

// Promise: PSQLRC is input like any other: its writes, deletes and
// commits meet the same rules.
func TestAttackPsqlrc(t *testing.T) {
	for _, tc := range []struct {
		name, rc, stdin string
		args            []string
	}{
		{"write read-only", "insert into customers values (11, 'x');\n", "select 1;\n", cmtOnly},
		{"write without --commit", "insert into customers values (11, 'x');\n", "commit;\n", write},
		{"begin in rc, commit in input", "begin;\n", "insert into customers values (11, 'x');\ncommit;\n", write},
		{"\\write in rc", "\\write\n", "insert into customers values (11, 'x');\n", cmtOnly},
		{"delete via gexec in rc", "select 'delete from customers where id = 3' \\gexec\n", "select 1;\n", writeCmt},
		{"delete in rc", "delete from customers where id = 3;\n", "select 1;\n", writeCmt},
		{"commit variable in rc", "\\set x commit\n", "insert into customers values (11, 'x');\n:x;\n", write},
		{"read-only off in rc", "set transaction_read_only = off;\n", "select * from v;\ncommit;\n", cmtOnly},
		{"scs off in rc", "set standard_conforming_strings = off;\n", "select '\\'' ; delete from customers where id = 3; --';\n", writeCmt},
		{"ON_ERROR_STOP off and commit in rc", "\\unset ON_ERROR_STOP\ninsert into customers values (11, 'x');\ncommit;\n", "select 1;\n", write},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAttack(t)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "rc"), []byte(tc.rc), 0o644); err != nil {
				t.Fatal(err)
			}
			got := a.runIn(t, dir, []string{"PSQLRC=rc"}, tc.stdin, tc.args...)
			a.untouched(t, got)
		})
	}
}

// Promise: files written while the run goes on (\o and \qecho, then \i)
// are planned when they are read, under the same rules.
func TestAttackIncludeOfAFileWrittenAtRunTime(t *testing.T) {
	for _, f := range [][]string{ro, write, writeCmt, writeWord} {
		for _, body := range []string{"delete from customers where id = 2;", "insert into customers values (11, $$x$$);", "commit;", "insert into customers values (11, $$x$$); commit;"} {
			t.Run(fmt.Sprintf("%v %s", f, body), func(t *testing.T) {
				if (len(f) == 2 && f[1] == "--commit") && !strings.Contains(body, "delete") {
					return // --write --commit may write and commit
				}
				a := newAttack(t)
				script := "\\o x.sql\n\\qecho " + body + "\n\\o\n\\i x.sql\n"
				got := a.run(t, script, f...)
				if body != "commit;" {
					checkCode(t, got, -1)
				}
				a.untouched(t, got)
			})
		}
	}
}

// ---- Holes: these fail until they are fixed. ----

// Was a hole, fixed. Promise: the word before destructive changes; the commit review
// is driven by observed effects. A SELECT through a VOLATILE function, a
// view over one, or an INSERT whose trigger or rule deletes, removes rows;
// the session even says "COMMIT will ask for the word", and --write
// --commit then commits the deletes without --confirm production.
func TestAttackObservedDeletesNeedTheWordToCommit(t *testing.T) {
	for _, c := range []struct{ sql, check string }{
		{"select * from v", "SELECT count(*) FROM customers WHERE id = 4"},
		{"select wipe_customer_4()", "SELECT count(*) FROM customers WHERE id = 4"},
		{"select del_order_1()", "SELECT count(*) FROM orders WHERE id = 1"},
		{"select del_order_2()", "SELECT count(*) FROM orders WHERE id = 2"},
		{"insert into inbox values (1)", "SELECT count(*) FROM customers WHERE id = 5"},
		{"insert into outbox values (1)", "SELECT count(*) FROM customers WHERE id = 6"},
		{"create function wipe_customer_4() returns int language sql as 'select 1'; select wipe_customer_4()", "SELECT count(*) FROM customers WHERE id = 4"},
	} {
		t.Run(c.sql, func(t *testing.T) {
			a := newAttack(t)
			got := a.run(t, c.sql+";\n", "--write", "--commit")
			if n := a.n(t, c.check); n != 1 {
				t.Errorf("deleted and committed without --confirm production (exit %d)\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
			}
			checkCode(t, got, 3)
		})
	}
}

// Was a hole, fixed. Promise: a dry run never tries what a rollback cannot undo. The
// analyzer cannot see into views, triggers and rules; the dry run of a
// DELETE whose view, trigger or rule calls pg_terminate_backend tries it
// and kills another session, with --write and no --confirm.
func TestAttackDryRunReadsViewsTriggersAndRulesFirst(t *testing.T) {
	dryRunCases(t, []string{
		"delete from customers where id in (select 9 from v_kill)",
		"delete from customers where id in (select 9 from v_kill_fn)",
		"update customers set name = (select k::text from v_kill limit 1) where id = 9",
		"delete from tripwire where id = 1",
		"delete from ruled where id = 1",
	})
}

// Was a hole, fixed. Promise: the run's transaction needs --commit to commit, and the
// run says truly what was committed. With --write --confirm production
// and no --commit, COMMIT PREPARED commits another session's deletes and
// dblink_exec commits a delete in another session, while the run reports
// "rolled back ... not committed".
func TestAttackOutOfTransactionChangesNeedCommit(t *testing.T) {
	t.Run("commit prepared", func(t *testing.T) {
		a := newAttack(t)
		a.prepareOther(t)
		got := a.run(t, "", "--write", "--confirm", "production", "-c", "commit prepared 'other'")
		if n := a.n(t, "SELECT count(*) FROM customers WHERE id = 7"); n != 1 {
			t.Errorf("COMMIT PREPARED committed without --commit (exit %d)\nstderr:\n%s", got.code, got.stderr)
		}
		checkCode(t, got, 3)
	})
	t.Run("dblink_exec", func(t *testing.T) {
		a := newAttack(t)
		if _, err := a.conn.Exec(context.Background(), "CREATE EXTENSION dblink"); err != nil {
			skipUnlessRequired(t, fmt.Sprintf("dblink is not installed (postgresql-contrib): %v", err))
		}
		got := a.run(t, "", "--write", "--confirm", "production", "-c",
			fmt.Sprintf("select dblink_exec(%s, 'delete from customers where id = 3')", quoteLit(a.dsn)))
		if n := a.n(t, "SELECT count(*) FROM customers WHERE id = 3"); n != 1 {
			t.Errorf("dblink_exec committed a delete without --commit (exit %d); the run said:\n%s", got.code, got.stderr)
		}
	})
}

func quoteLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Was a hole, fixed. Promise: speak like psql: in an explicit BEGIN ... COMMIT block
// an error aborts the transaction and COMMIT rolls back. In production
// with --write --commit, after a failed statement (server error or parser
// reject) the block goes on and COMMIT commits the rest: half of a
// transaction the script meant to be all or nothing.
func TestAttackErrorInBeginBlockCommitsNothing(t *testing.T) {
	for _, mid := range []string{"select 1/0;", "selct 1;", "select nosuchcolumn from customers;", "insert into customers values (1, 'duplicate');"} {
		t.Run(mid, func(t *testing.T) {
			a := newAttack(t)
			script := "begin;\ninsert into customers values (21, 'a');\n" + mid + "\ninsert into customers values (22, 'b');\ncommit;\n"
			got := a.run(t, script, "--write", "--commit")
			if n := a.n(t, "SELECT count(*) FROM customers WHERE id > 10"); n != 0 {
				t.Errorf("%d rows of a failed transaction block committed (psql commits none)\nstdout:\n%s\nstderr:\n%s", n, got.stdout, got.stderr)
			}
		})
	}
}

// Was a hole, fixed. Promise: shell commands are refused in production (\! and
// backquotes are); but \o |cmd, \g |cmd and \copy ... program run a
// shell command, which can run psql and delete with no rule at all, in a
// read-only run with no flags.
func TestAttackShellCommandsThroughPipesAreRefused(t *testing.T) {
	psql := pgtest.Psql(t)
	for _, form := range []struct {
		script string
		flags  []string
	}{
		{"\\o |CMD\nselect 1;\n\\o\n", ro},
		{"select 1 \\g |CMD\n", ro},
		{"select 1 \\gx |CMD\n", ro},
		{"\\copy (select 1) to program 'CMD'\n", ro},
		{"\\copy customers from program 'CMD'\n", write},
	} {
		t.Run(fmt.Sprintf("%v %s", form.flags, strings.SplitN(form.script, "CMD", 2)[0]), func(t *testing.T) {
			a := newAttack(t)
			cmd := fmt.Sprintf("%s -X -q -d \"%s\" -c \"delete from customers where id = 3\" >/dev/null", psql, a.dsn)
			got := a.run(t, strings.ReplaceAll(form.script, "CMD", cmd), form.flags...)
			if n := a.n(t, "SELECT count(*) FROM customers WHERE id = 3"); n != 1 {
				t.Errorf("a shell command deleted customer 3 from read-only production (exit %d)\nstderr:\n%s", got.code, got.stderr)
			}
		})
	}
}

// Was a hole, fixed. Promise: without a terminal a refusal exits 3. A refusal of a
// statement from PSQLRC or from \e exits 0.
func TestAttackRefusalOutsideTheMainInputExitsThree(t *testing.T) {
	t.Run("psqlrc", func(t *testing.T) {
		a := newAttack(t)
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "rc"), []byte("insert into customers values (11, 'x');\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		got := a.runIn(t, dir, []string{"PSQLRC=rc"}, "select 1;\n")
		if !strings.Contains(got.stderr, "is read-only") {
			t.Fatalf("not refused:\n%s", got.stderr)
		}
		checkCode(t, got, 3)
	})
	t.Run("editor", func(t *testing.T) {
		a := newAttack(t)
		dir := t.TempDir()
		editor := filepath.Join(dir, "ed.sh")
		if err := os.WriteFile(editor, []byte("#!/bin/sh\necho 'delete from customers where id = 2;' > \"$1\"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		got := a.runIn(t, dir, []string{"EDITOR=" + editor}, "\\e\nselect 1;\n", "--write", "--commit")
		switch {
		case strings.Contains(got.stderr, "shell commands are refused in production"):
			// the editor is a program: production refuses it before it starts
		case strings.Contains(got.stderr, "give --confirm production"):
			checkCode(t, got, 3)
		default:
			t.Fatalf("not refused:\n%s", got.stderr)
		}
		a.untouched(t, got)
	})
}

// Was a hole (exit status), fixed. A refusal inside \gexec after an earlier value of
// the same \gexec failed exits 0 (data is safe).
func TestAttackRefusalInGexecAfterAnErrorExitsThree(t *testing.T) {
	for _, script := range []string{
		"select 'select 1/0', 'delete from customers where id = 3' \\gexec\n",
		"prepare q as delete from customers where id = 2;\nselect 'prepare q as select 1', 'execute q' \\gexec\n",
		"select 'prepare q as delete from customers where id = 2', 'prepare q as select 1', 'execute q' \\gexec\n",
	} {
		t.Run(script, func(t *testing.T) {
			a := newAttack(t)
			got := a.run(t, script, "--write")
			a.untouched(t, got)
			if !strings.Contains(got.stderr, "give --confirm production") {
				t.Fatalf("not refused:\n%s", got.stderr)
			}
			checkCode(t, got, 3)
		})
	}
}

// Was a hole, fixed. Promise: a failed audit write stops everything with a status that
// is not 0. When the line after COMMIT (its outcome) cannot be written,
// the run says "refused: ... nothing ran" about a COMMIT that ran and
// exits 0.
func TestAttackAuditFailureAfterCommitExitsNonZero(t *testing.T) {
	auditSweep(t, func(t *testing.T, limit int, got result, committed bool, log string) {
		if strings.Contains(got.stderr, "audit log") && got.code == 0 {
			t.Errorf("limit %d: an audit write failed and the exit status is 0 (committed %v)\nstderr:\n%s", limit, committed, got.stderr)
		}
	})
}

// skipUnlessRequired skips a test whose tool is missing, except where
// SAFESQL_REQUIRE_PG says the machine must have what the tests need (CI,
// whose .ci/run installs it): there it fails.
func skipUnlessRequired(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("SAFESQL_REQUIRE_PG") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}
