package split

import (
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// psqlCases are scripts run through the real psql 15 against a throwaway
// server that logs every statement it receives: what psql sent must be
// exactly what Split says it sends, and psql's "psql:FILE:LINE:" error
// prefix must be the failing statement's EndLine (every "1/0" fails).
var psqlCases = []struct {
	name, script, lastOut string
	vars                  map[string]string // psql -v name=value, expanded with Interpolate
}{
	{"basics", "select 1;\n  select 2 ; select\n3\n;\n", "", nil},
	{"comments", "-- lead\n  /* block */ select 1 -- trail ;\n, 2; -- after\nselect /* /* nested ; */ */ 3;\n", "", nil},
	{"quotes", "select 'a;b', 'it''s', E'x\\';y', \"col;\"\nfrom (select 1 as \"col;\") s;\nselect U&'\\0041;', $$d;$$, $t$ $$ ; $t$;\n", "", nil},
	{"parens", "select (1/0\n;\n2);\nselect 1/0;\nselect 2;\n", "", nil},
	{"begin atomic", "create or replace function f_split(x int) returns int language sql\nbegin atomic\n  select case when x > 0 then 1 else 0 end;\n  select 2;\nend;\nselect f_split(1);\n", "", nil},
	{"backslash semicolon", "select 1 \\; select 2;\nselect '1'\\:\\:int;\n", "", nil},
	{"buffer carried over echo", "select 1 \\echo hello\n  , 2 -- c\n\\echo again\n;\n", "", nil},
	{"g sends", "select 1\n\\g\nselect 2 \\g\nselect 3 \\r\nselect 4;\nselect 1/0 \\g\n", "", nil},
	{"gx and double backslash", "\\echo x \\\\ select 1;\nselect 2 \\gx \\echo y\n", "", nil},
	{"end of input", "select 1;\nselect 2\n\n-- bye\n", "", nil},
	{"end of input error line", "select 1;\nselect 1/0\n\n", "", nil},
	{"error lines", "select 1;\n\n\nselect\n1/0\n;\nselect 1; select 1/0; select 2;\n", "", nil},
	{"copy", "create temp table t_split(a int, b text);\ncopy t_split from stdin;\n1\tx;y\n2\t\\\\g\n\\.\nselect 1/0;\ncopy t_split from stdin;\nbad\n\\.\n\n\\copy t_split from stdin\n3\tz\n\\.\ncopy t_split from stdin; select 1/0;\n4\tw\n\\.\nselect string_agg(a || ':' || b, ',' order by a) from t_split;\n", "1:x;y,2:\\g,3:z,4:w", nil},
	{"crlf", "select 1\r\n, 2;\r\nselect 1/0;\r\n", "", nil},
	{"dollar and params", "prepare p_split as select $1::int;\nexecute p_split(1);\nselect 1 as a$b$, 2;\n", "", nil},
	{"blank lines and commands", "select\n\n\n1\n\n;\nselect 'a\n\nb', /*\n\n*/ 2;\nselect 1\n\n\\echo x\n\n\n, 2;\nselect 1\n  \\g\nselect 1\n\\; select 2;\nselect 1\n\r\n, 2;\nselect 1/0\n\n", "", nil},
	{"byte order mark", "\xef\xbb\xbfselect 1;\nselect 1/0;\n", "", nil},
	{"unterminated quote at end", "select 1;\nselect 'a 1/0\n\n", "", nil},
	{"double backslash mid statement", "\\echo a \\\\ select 1\nfrom pg_class limit 1;\nselect 1 \\echo b \\\\ , 2;\nselect 1 \\echo c\n\\echo d \\\\ , 1/0;\n", "", nil},
	{"quoted backslash arguments", "\\echo 'a\\\\b' \\\\ select 1;\nselect 2 \\echo \"x\\\\y\" \\g\n", "", nil},
	{"variables", "select :n, :'q', 1 as :\"t\", :'bs', :{?n}, :{?nope}, ':n', $$:n$$, 1::int;\nselect :a /* :n */ -- :n\n;\nselect :nope, :'nope', 1/0;\n", "", map[string]string{
		"n": "42", "q": "it's", "t": "we\"ird", "bs": `a\b`, "a": ":b + 1", "b": "2"}},
	{"e string escapes", "select E'\\\\';\nselect e'\\'';\nselect 1/0;\n", "", nil},
}

func TestAgainstPsql(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no server")
	}
	bindir := findPgBin()
	if bindir == "" {
		skipOrFail(t, "no PostgreSQL 15 binaries (psql, initdb, pg_ctl) found")
	}
	srv := startServer(t, bindir)
	for i, c := range psqlCases {
		t.Run(c.name, func(t *testing.T) {
			app := fmt.Sprintf("split-case-%d", i)
			file := filepath.Join(srv.dir, app+".sql")
			if err := os.WriteFile(file, []byte(c.script), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(filepath.Join(bindir, "psql"), "-X", "-q", "-A", "-t", "-h", srv.dir, "-U", "postgres", "-d", "postgres", "-f", file)
			for k, v := range c.vars {
				cmd.Args = append(cmd.Args, "-v", k+"="+v)
			}
			cmd.Env = append(os.Environ(), "PGAPPNAME="+app)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			var stdout strings.Builder
			cmd.Stdout = &stdout
			_ = cmd.Run() // errors are expected: they are compared below
			got := srv.statements(t, app)

			items := Split(c.script)
			checkInvariants(t, c.script, items)
			want, errLines := psqlSends(items, c.vars)
			// encoding/csv turns CRLF inside fields into LF.
			crlf := strings.NewReplacer("\r\n", "\n")
			if strings.Join(got, "\x00") != crlf.Replace(strings.Join(want, "\x00")) {
				t.Errorf("psql sent %s\nSplit says %s", fmtList(got), fmtList(want))
			}
			if c.lastOut != "" {
				lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
				if last := lines[len(lines)-1]; last != c.lastOut {
					t.Errorf("last output line %q, want %q", last, c.lastOut)
				}
			}
			var psqlLines []int
			re := regexp.MustCompile(`(?m)^psql:[^\n]*:(\d+): ERROR:`)
			for _, m := range re.FindAllStringSubmatch(stderr.String(), -1) {
				n, _ := strconv.Atoi(m[1])
				psqlLines = append(psqlLines, n)
			}
			if fmt.Sprint(psqlLines) != fmt.Sprint(errLines) {
				t.Errorf("psql error lines %v, EndLine of failing statements %v\n%s", psqlLines, errLines, stderr.String())
			}
		})
	}
}

// psqlSends runs items the way the package documentation tells callers to:
// it keeps psql's query buffer across backslash commands, joining parts
// with '\n' (nothing after a command ended by "\\"), and sends it when a
// statement is Complete, when a command SendsQuery, and at the end. It
// returns the queries sent and the EndLine of those that must fail.
func psqlSends(items []Item, vars map[string]string) (sent []string, errLines []int) {
	var buf strings.Builder
	have, direct := false, false
	// Statements with "1/0" fail, and so do COPYs whose data holds "bad".
	send := func(endLine int, badData bool) {
		sql := buf.String()
		buf.Reset()
		have = false
		if vars != nil {
			sql = Interpolate(sql, func(name string) (string, bool) { v, ok := vars[name]; return v, ok })
		}
		if emptyQuery(sql) {
			return
		}
		sent = append(sent, sql)
		if strings.Contains(sql, "1/0") || badData {
			errLines = append(errLines, endLine)
		}
	}
	last := 0
	for _, it := range items {
		last = it.EndLine
		switch it.Kind {
		case Statement:
			if it.SQL != "" {
				if have && !direct {
					buf.WriteByte('\n')
				}
				buf.WriteString(it.SQL)
				have = true
			}
			direct = false
			if it.Complete && have {
				send(it.EndLine, it.CopyData != nil && strings.Contains(*it.CopyData, "bad"))
			}
		case Meta:
			if it.SendsQuery() && have {
				send(it.EndLine, false)
			} else if it.ResetsQuery() {
				buf.Reset()
				have = false
			}
			direct = strings.HasSuffix(it.Text, `\\`)
		}
	}
	if have {
		send(last, false)
	}
	return sent, errLines
}

// emptyQuery: text the server treats as an empty query (not logged).
func emptyQuery(sql string) bool {
	s := sql
	for {
		s = strings.TrimLeft(s, " \t\r\n\f;")
		switch {
		case strings.HasPrefix(s, "--"):
			if i := strings.IndexAny(s, "\r\n"); i >= 0 {
				s = s[i:]
			} else {
				s = ""
			}
		case strings.HasPrefix(s, "/*"):
			i := strings.Index(s, "*/")
			if i < 0 {
				return false
			}
			s = s[i+2:]
		default:
			return s == ""
		}
	}
}

func skipOrFail(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("SAFESQL_REQUIRE_PG") == "1" {
		t.Fatal(msg + " (SAFESQL_REQUIRE_PG=1)")
	}
	t.Skip(msg)
}

func findPgBin() string {
	ok := func(dir string) bool {
		for _, b := range []string{"psql", "initdb", "pg_ctl"} {
			if _, err := os.Stat(filepath.Join(dir, b)); err != nil {
				return false
			}
		}
		out, err := exec.Command(filepath.Join(dir, "psql"), "--version").Output()
		return err == nil && strings.Contains(string(out), " 15.")
	}
	var cands []string
	if d := os.Getenv("SAFESQL_PG_BINDIR"); d != "" {
		cands = append(cands, d)
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		cands = append(cands, strings.TrimSpace(string(out)))
	}
	cands = append(cands, "/usr/lib/postgresql/15/bin")
	if p, err := exec.LookPath("psql"); err == nil {
		cands = append(cands, filepath.Dir(p))
	}
	for _, d := range cands {
		if ok(d) {
			return d
		}
	}
	return ""
}

type server struct {
	dir string
	log string
}

// startServer runs a throwaway cluster that logs every statement in CSV.
// As root, initdb and the server run as the postgres user.
func startServer(t *testing.T, bindir string) *server {
	dir, err := os.MkdirTemp("", "split-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			skipOrFail(t, "running as root without a postgres user")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(bindir, name), args...)
		cmd.Dir = dir
		if cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
	}
	data := filepath.Join(dir, "data")
	run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
	opts := fmt.Sprintf("-c listen_addresses='' -k %s -c fsync=off -c logging_collector=on -c log_destination=csvlog -c log_directory=%s -c log_filename=pg -c log_statement=all -c log_min_error_statement=error -c log_disconnections=on", dir, dir)
	run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "server.log"), "-w", "start")
	t.Cleanup(func() { run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop") })
	return &server{dir: dir, log: filepath.Join(dir, "pg.csv")}
}

// statements returns what the server received from application app, in
// order: logged statements, plus the text of statements that failed before
// they could be logged.
func (s *server) statements(t *testing.T, app string) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		recs := s.records(t)
		var got []string
		done := false
		for _, r := range recs {
			if len(r) < 23 || r[22] != app {
				continue
			}
			sev, msg, query := r[11], r[13], r[19]
			switch {
			case sev == "LOG" && strings.HasPrefix(msg, "statement: COPY  "):
				// the query psql builds for \copy
			case sev == "LOG" && strings.HasPrefix(msg, "statement: "):
				got = append(got, strings.TrimPrefix(msg, "statement: "))
			case sev == "ERROR" && query != "" && (len(got) == 0 || got[len(got)-1] != query):
				got = append(got, query)
			case sev == "LOG" && strings.HasPrefix(msg, "disconnection"):
				done = true
			}
		}
		if done {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("no disconnection logged for %s", app)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *server) records(t *testing.T) [][]string {
	f, err := os.Open(s.log)
	if err != nil {
		return nil
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	var recs [][]string
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		recs = append(recs, rec)
	}
	return recs
}
