package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/safesql/safesql/analyze/split"
	"github.com/safesql/safesql/repl/internal/pgtest"
)

// This file holds analyze/split's comparison with psql: analyze/ imports
// nothing of safesql, so its tests cannot start a server; here pgtest
// gives one.

// splitCase is a script of analyze/split/testdata/psql_cases.json.
type splitCase struct {
	Name    string            `json:"name"`
	Script  string            `json:"script"`
	LastOut string            `json:"last_out,omitempty"` // the last line psql prints, when not empty
	Vars    map[string]string `json:"vars,omitempty"`     // psql -v name=value, expanded with Interpolate
}

// TestSplitSendsWhatPsqlSends runs analyze/split's scripts through the
// real psql, whose connection to the server passes through a proxy that
// records every query it sends: what psql sent must be exactly what
// split.Split says it sends, and psql's "psql:FILE:LINE:" error prefix
// must be the failing statement's EndLine (every "1/0" fails).
func TestSplitSendsWhatPsqlSends(t *testing.T) {
	psql := pgtest.Psql(t)
	b, err := os.ReadFile("../../analyze/split/testdata/psql_cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []splitCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("psql_cases.json: %v", err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel() // each case has its own database and proxy
			p := pgtest.DB(t)
			proxy := startQueryProxy(t, p)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "s.sql"), []byte(c.Script), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(psql, "-X", "-q", "-A", "-t", "-h", proxy.dir, "-p", "5432", "-f", "s.sql")
			for k, v := range c.Vars {
				cmd.Args = append(cmd.Args, "-v", k+"="+v)
			}
			cmd.Dir = dir
			cmd.Env = append(append(baseEnv(), p.Env()...), "PGHOST="+proxy.dir, "PGPORT=5432")
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			_ = cmd.Run() // errors are expected: they are compared below
			got := proxy.queries()

			want, errLines := psqlSends(split.Split(c.Script), c.Vars)
			if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
				t.Errorf("psql sent %s\nSplit says %s", fmtList(got), fmtList(want))
			}
			if c.LastOut != "" {
				lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
				if last := lines[len(lines)-1]; last != c.LastOut {
					t.Errorf("last output line %q, want %q", last, c.LastOut)
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

func fmtList(l []string) string {
	var b strings.Builder
	for _, s := range l {
		fmt.Fprintf(&b, "\n  %q", s)
	}
	return b.String()
}

// psqlSends runs items the way the package documentation tells callers to:
// it keeps psql's query buffer across backslash commands, joining parts
// with '\n' (nothing after a command ended by "\\"), and sends it when a
// statement is Complete, when a command SendsQuery, and at the end. It
// returns the queries sent and the EndLine of those that must fail.
func psqlSends(items []split.Item, vars map[string]string) (sent []string, errLines []int) {
	var buf strings.Builder
	have, direct := false, false
	// Statements with "1/0" fail, and so do COPYs whose data holds "bad".
	send := func(endLine int, badData bool) {
		sql := buf.String()
		buf.Reset()
		have = false
		if vars != nil {
			sql = split.Interpolate(sql, func(name string) (string, bool) { v, ok := vars[name]; return v, ok })
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
		case split.Statement:
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
		case split.Meta:
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

// queryProxy passes psql's connections through to the test server and
// records the text of every simple query (protocol message 'Q') they
// send, but for those the server treats as empty (and does not run) and
// the COPY that \\copy builds ("COPY  " and the rest of its line).
type queryProxy struct {
	dir string // its unix socket is dir/.s.PGSQL.5432
	mu  sync.Mutex
	got []string
	wg  sync.WaitGroup
}

func startQueryProxy(t *testing.T, p pgtest.Params) *queryProxy {
	t.Helper()
	// A short path: unix socket paths are limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "sp-")
	if err != nil {
		t.Fatal(err)
	}
	pr := &queryProxy{dir: dir}
	l, err := net.Listen("unix", filepath.Join(dir, ".s.PGSQL.5432"))
	if err != nil {
		t.Fatal(err)
	}
	network, addr := "tcp", net.JoinHostPort(p.Host, strconv.Itoa(int(p.Port)))
	if strings.HasPrefix(p.Host, "/") {
		network, addr = "unix", filepath.Join(p.Host, fmt.Sprintf(".s.PGSQL.%d", p.Port))
	}
	t.Cleanup(func() {
		l.Close()
		pr.wg.Wait()
		os.RemoveAll(dir)
	})
	pr.wg.Add(1)
	go func() {
		defer pr.wg.Done()
		for {
			client, err := l.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial(network, addr)
			if err != nil {
				client.Close()
				continue
			}
			pr.wg.Add(2)
			go func() {
				defer pr.wg.Done()
				_, _ = io.Copy(client, server)
				client.Close()
			}()
			go func() {
				defer pr.wg.Done()
				pr.forward(server, client)
				server.Close()
			}()
		}
	}()
	return pr
}

// forward copies the client's messages to the server, recording queries.
func (pr *queryProxy) forward(server io.Writer, client io.Reader) {
	var head [5]byte
	// The startup message has no type byte.
	if _, err := io.ReadFull(client, head[1:]); err != nil {
		return
	}
	body := make([]byte, be32(head[1:])-4)
	if _, err := io.ReadFull(client, body); err != nil {
		return
	}
	if _, err := server.Write(append(head[1:], body...)); err != nil {
		return
	}
	for {
		if _, err := io.ReadFull(client, head[:]); err != nil {
			return
		}
		n := be32(head[1:])
		if n < 4 {
			return
		}
		body := make([]byte, n-4)
		if _, err := io.ReadFull(client, body); err != nil {
			return
		}
		if head[0] == 'Q' {
			q := strings.TrimSuffix(string(body), "\x00")
			if !emptyQuery(q) && !strings.HasPrefix(q, "COPY  ") {
				pr.mu.Lock()
				pr.got = append(pr.got, q)
				pr.mu.Unlock()
			}
		}
		if _, err := server.Write(append(head[:], body...)); err != nil && !errors.Is(err, net.ErrClosed) {
			return
		}
	}
}

// be32 is the big-endian length that starts a protocol message.
func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func (pr *queryProxy) queries() []string {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	return append([]string(nil), pr.got...)
}
