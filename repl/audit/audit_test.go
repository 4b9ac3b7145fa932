package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func ptr(n int64) *int64 { return &n }

func TestEntryLine(t *testing.T) {
	tests := []struct {
		name string
		e    Entry
		want string
	}{
		{"every field",
			Entry{
				Time:           time.Date(2026, 11, 22, 6, 38, 12, 345678901, time.FixedZone("CET", 3600)),
				Session:        "4242-1763793492",
				OSUser:         "alice",
				SSHClient:      "203.0.113.5",
				Env:            "prod",
				Tier:           "production",
				Host:           "db1.example.com",
				Database:       "app",
				DBUser:         "app_rw",
				Statement:      "DELETE FROM orders WHERE created_at < '2020-01-01'",
				Class:          "destructive",
				Flags:          []string{"cascade", "no-index"},
				DryRunRows:     ptr(10432),
				DryRunEstimate: true,
				Decision:       Ran,
				Reason:         "typed production",
				Rows:           ptr(10432),
				Duration:       1234567 * time.Microsecond,
				Error:          "",
				Tx:             Commit,
			},
			`{"time":"2026-11-22T05:38:12.345Z","session":"4242-1763793492","os_user":"alice","ssh_client":"203.0.113.5",` +
				`"env":"prod","tier":"production","host":"db1.example.com","database":"app","db_user":"app_rw",` +
				`"statement":"DELETE FROM orders WHERE created_at < '2020-01-01'","class":"destructive","flags":["cascade","no-index"],` +
				`"dry_run_rows":10432,"dry_run_estimate":true,"decision":"ran","reason":"typed production","rows":10432,` +
				`"duration_ms":1234.567,"tx":"commit"}` + "\n"},
		{"empty fields left out, zero rows kept",
			Entry{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Decision: Refused, Rows: ptr(0)},
			`{"time":"2026-01-02T03:04:05.000Z","decision":"refused","rows":0}` + "\n"},
		{"statement redacted, error scrubbed",
			Entry{
				Time:      time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
				Statement: "ALTER ROLE app PASSWORD 'hunter2' VALID UNTIL 'tomorrow'",
				Decision:  Ran,
				Error:     `invalid input syntax for type timestamp with time zone: "tomorrow" near 'hunter2'`,
			},
			`{"time":"2026-01-02T03:04:05.000Z","statement":"ALTER ROLE app PASSWORD '[redacted]' VALID UNTIL 'tomorrow'",` +
				`"decision":"ran","error":"invalid input syntax for type timestamp with time zone: \"tomorrow\" near '[redacted]'"}` + "\n"},
		{"caller's secrets",
			Entry{
				Time:      time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
				Statement: `\connect "dbname=app" s3kr1t`,
				Error:     "bad password s3kr1t",
				Secrets:   []string{"s3kr1t"},
			},
			`{"time":"2026-01-02T03:04:05.000Z","statement":"\\connect \"dbname=app\" [redacted]","error":"bad password [redacted]"}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(tt.e.Line())
			if got != tt.want {
				t.Errorf("line\n got %s\nwant %s", got, tt.want)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(got), &m); err != nil {
				t.Errorf("not JSON: %v", err)
			}
		})
	}
}

func TestEntryLineTruncatesLongStatements(t *testing.T) {
	e := Entry{Statement: "SELECT '" + strings.Repeat("é", maxStatement) + "'"}
	var l line
	if err := json.Unmarshal(e.Line(), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Statement) > maxStatement+100 || !strings.HasSuffix(l.Statement, fmt.Sprintf("[truncated: %d bytes in all]", len(e.Statement))) {
		t.Errorf("statement of %d bytes ends %q", len(l.Statement), l.Statement[len(l.Statement)-40:])
	}
	if strings.ContainsRune(l.Statement, '\uFFFD') {
		t.Error("cut in the middle of a character")
	}
}

func TestDefaultPath(t *testing.T) {
	tests := []struct {
		name string
		env  func(string) string
		want string
	}{
		{"XDG_STATE_HOME", env("XDG_STATE_HOME", "/x/state", "HOME", "/home/a"), "/x/state/safesql/audit.jsonl"},
		{"HOME", env("HOME", "/home/a"), "/home/a/.local/state/safesql/audit.jsonl"},
		{"relative XDG_STATE_HOME ignored", env("XDG_STATE_HOME", "state", "HOME", "/home/a"), "/home/a/.local/state/safesql/audit.jsonl"},
		{"nothing", env(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DefaultPath(tt.env); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func perm(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestOpenCreatesPrivateFileAndDirectory(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	l, err := Open("", env("XDG_STATE_HOME", state), false)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	want := filepath.Join(state, "safesql", "audit.jsonl")
	if l.Path() != want {
		t.Fatalf("path %q, want %q", l.Path(), want)
	}
	if err := l.Write(Entry{Decision: Ran, Statement: "SELECT 1"}); err != nil {
		t.Fatal(err)
	}
	if p := perm(t, want); p != 0o600 {
		t.Errorf("file mode %04o, want 0600", p)
	}
	for _, d := range []string{state, filepath.Dir(want)} {
		if p := perm(t, d); p != 0o700 {
			t.Errorf("%s: mode %04o, want 0700", d, p)
		}
	}
	b, _ := os.ReadFile(want)
	if !strings.HasSuffix(string(b), `"statement":"SELECT 1","decision":"ran"}`+"\n") {
		t.Errorf("file holds %q", b)
	}
}

func TestOpenErrorsNameThePath(t *testing.T) {
	base := t.TempDir()
	notDir := filepath.Join(base, "file")
	os.WriteFile(notDir, nil, 0o600)
	tests := []struct {
		name, path string
	}{
		{"parent is a file", filepath.Join(notDir, "audit.jsonl")},
		{"grandparent is a file", filepath.Join(notDir, "sub", "audit.jsonl")},
		{"path is a directory", base},
		{"not a regular file", "/dev/null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Open(tt.path, env(), false)
			if err == nil {
				l.Close()
				t.Fatal("no error")
			}
			var ae *Error
			if !errors.As(err, &ae) || ae.Path != tt.path {
				t.Errorf("error %v does not carry the path", err)
			}
			if !strings.Contains(err.Error(), tt.path) || !strings.Contains(err.Error(), "audit log") {
				t.Errorf("error does not name the path: %v", err)
			}
		})
	}
	_, err := Open("", env(), false)
	if err == nil || !strings.Contains(err.Error(), "HOME") {
		t.Errorf("no default location: %v", err)
	}
}

func TestOpenUnwritableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		asNobody(t, "TestOpenUnwritableDirectory")
		return
	}
	dir := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(dir, 0o500)
	path := filepath.Join(dir, "audit.jsonl")
	_, err := Open(path, env(), false)
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "chmod 600 "+path) {
		t.Errorf("got %v", err)
	}
	// Below a directory that cannot be entered.
	closed := filepath.Join(t.TempDir(), "closed")
	os.Mkdir(closed, 0o700)
	os.Chmod(closed, 0)
	defer os.Chmod(closed, 0o700)
	path = filepath.Join(closed, "safesql", "audit.jsonl")
	_, err = Open(path, env(), false)
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), path) {
		t.Errorf("got %v", err)
	}
}

// asNobody runs one test of this binary again as the user nobody, since
// root writes anywhere, with env added to its environment.
func asNobody(t *testing.T, name string, env ...string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	dir, err := os.MkdirTemp("", "audit-nobody")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "audit.test")
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^"+name+"$", "-test.v")
	cmd.Dir = dir
	cmd.Env = append([]string{"HOME=/nonexistent", "TMPDIR=/tmp", "PATH=/usr/bin:/bin"}, env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: "+name) {
		t.Fatalf("as nobody, the test did not run:\n%s", out)
	}
}

func TestWriteFailureStopsWithAClearError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(path, env(), false)
	if err != nil {
		t.Fatal(err)
	}
	// The file becomes unwritable under the log's feet.
	ro, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	l.f.Close()
	l.f = ro
	err = l.Write(Entry{Decision: Ran, Statement: "DELETE FROM t"})
	var ae *Error
	if err == nil || !errors.As(err, &ae) || ae.Op != "write" || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "another audit log path") {
		t.Errorf("got %v", err)
	}
	l.Close()
	if err := l.Write(Entry{}); !errors.Is(err, ErrClosed) || !strings.Contains(err.Error(), path) {
		t.Errorf("after Close: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	l = &Log{path: "/dev/full", now: time.Now, f: full}
	err = l.Write(Entry{Decision: Ran})
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "/dev/full") || !strings.Contains(err.Error(), "free space") {
		t.Errorf("disk full: %v", err)
	}
	l.f.Close()
}

func TestConcurrentWritesNeverInterleave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	// Two logs on one file stand for two safesql processes.
	var logs [2]*Log
	for i := range logs {
		l, err := Open(path, env(), false)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		logs[i] = l
	}
	const writers, each = 100, 10
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			for i := range each {
				stmt := fmt.Sprintf("SELECT %d, %d, '%s'", g, i, strings.Repeat(string(rune('a'+g%26)), 3000+g*50))
				if err := logs[g%2].Write(Entry{Statement: stmt, Decision: Ran, Rows: ptr(int64(i))}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	seen := map[string]bool{}
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %d is not JSON: %v", len(seen)+1, err)
		}
		var g, i int
		var body string
		if _, err := fmt.Sscanf(l.Statement, "SELECT %d, %d, %s", &g, &i, &body); err != nil || len(body) != 3000+g*50+2 {
			t.Fatalf("statement mangled (%v, %d bytes): %.80q", err, len(body), l.Statement)
		}
		seen[l.Statement] = true
	}
	if len(seen) != writers*each {
		t.Errorf("%d distinct lines, want %d", len(seen), writers*each)
	}
}

type fakeSyslog struct {
	mu   sync.Mutex
	got  []string
	fail error
}

func (f *fakeSyslog) Info(s string) error    { return f.add("info " + s) }
func (f *fakeSyslog) Warning(s string) error { return f.add("warning " + s) }
func (f *fakeSyslog) Close() error           { return nil }
func (f *fakeSyslog) add(s string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, s)
	return f.fail
}

func TestSyslogGetsTheSameLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(path, env(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	fake := &fakeSyslog{}
	l.sys = fake
	l.now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	l.Write(Entry{Decision: Ran, Statement: "ALTER ROLE a PASSWORD 'x'"})
	l.Write(Entry{Decision: Refused, Statement: "DROP TABLE t"})
	want := []string{
		`info {"time":"2026-01-02T03:04:05.000Z","statement":"ALTER ROLE a PASSWORD '[redacted]'","decision":"ran"}`,
		`warning {"time":"2026-01-02T03:04:05.000Z","statement":"DROP TABLE t","decision":"refused"}`,
	}
	if strings.Join(fake.got, "\n") != strings.Join(want, "\n") {
		t.Errorf("syslog got\n%s\nwant\n%s", strings.Join(fake.got, "\n"), strings.Join(want, "\n"))
	}
	fake.fail = errors.New("connection refused")
	if err := l.Write(Entry{Decision: Ran}); err == nil || !strings.Contains(err.Error(), "syslog") {
		t.Errorf("syslog failure: %v", err)
	}
}

func TestWho(t *testing.T) {
	me, err := user.Current()
	if err != nil {
		t.Skip(err)
	}
	tests := []struct {
		name string
		env  func(string) string
		ssh  string
	}{
		{"SSH_CONNECTION", env("SSH_CONNECTION", "203.0.113.5 52000 10.0.0.1 22", "SSH_CLIENT", "198.51.100.1 1 22"), "203.0.113.5"},
		{"IPv6", env("SSH_CONNECTION", "2001:db8::1 52000 2001:db8::2 22"), "2001:db8::1"},
		{"SSH_CLIENT only", env("SSH_CLIENT", "198.51.100.1 52000 22"), "198.51.100.1"},
		{"not over SSH", env(), ""},
		{"USER is not trusted", env("USER", "mallory"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, ssh := Who(tt.env)
			if u != me.Username || ssh != tt.ssh {
				t.Errorf("got (%q, %q), want (%q, %q)", u, ssh, me.Username, tt.ssh)
			}
		})
	}
}

func TestApplicationName(t *testing.T) {
	tests := []struct{ user, want string }{
		{"alice", "safesql/alice"},
		{"jörg", "safesql/j??rg"},
		{strings.Repeat("x", 80), "safesql/" + strings.Repeat("x", 55)},
	}
	for _, tt := range tests {
		if got := ApplicationName(tt.user); got != tt.want {
			t.Errorf("ApplicationName(%q) = %q, want %q", tt.user, got, tt.want)
		}
	}
}
