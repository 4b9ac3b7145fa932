package audit

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

const nobody = 65534

// skipUnlessRequired skips, or fails where CI asks for every test to run.
func skipUnlessRequired(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("SAFESQL_REQUIRE_PG") == "1" {
		t.Fatalf("%s (SAFESQL_REQUIRE_PG=1 makes this a failure)", why)
	}
	t.Skip(why)
}

// snapshot describes everything under dir (names, types, modes, owners,
// link counts, contents), to show that a refusal changed nothing.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		var st unix.Stat_t
		if err := unix.Lstat(p, &st); err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s mode=%o uid=%d links=%d size=%d", p, st.Mode, st.Uid, st.Nlink, st.Size)
		if st.Mode&unix.S_IFMT == unix.S_IFREG {
			c, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " sum=%x", sha256.Sum256(c))
		}
		b.WriteByte('\n')
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func mkdir(t *testing.T, dir string, mode fs.FileMode) string {
	t.Helper()
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return dir
}

func writeFile(t *testing.T, path, content string, mode fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func chown(t *testing.T, path string, uid int) {
	t.Helper()
	if err := os.Lchown(path, uid, uid); err != nil {
		t.Fatal(err)
	}
}

const (
	elsewhereText = "point audit.path at a file of your own in a directory only you can write"
	symlinkText   = "it is a symbolic link, and lines written through it would go to the file it points to; point audit.path at a regular file of your own in a directory only you can write"
)

func sharedDirText(dir, mode string, mine bool) string {
	s := "its directory " + dir + " has mode " + mode + ", so others can create files in it and put a link or a file of their own in place of the log; "
	if mine {
		return s + "run chmod go-w " + dir + ", or " + elsewhereText
	}
	return s + elsewhereText
}

// Each rule of the audit file, with the exact text the user sees. The
// test runs as the user who started it and, when that is root, again as
// nobody: the rules are the same for everyone.
func TestOpenRefusals(t *testing.T) {
	type refusal struct {
		name     string
		needRoot bool                                // to give files away
		setup    func(t *testing.T, d string) string // in d, a directory only the test's user can write; returns the audit path
		want     func(path, dir string) string       // after "refused audit log PATH: "
	}
	cases := []refusal{
		{name: "symbolic link to a private file (an authorized_keys decoy)", setup: func(t *testing.T, d string) string {
			writeFile(t, filepath.Join(d, "authorized_keys"), "ssh-ed25519 AAAAC3Nza mallory\n", 0o600)
			os.Symlink(filepath.Join(d, "authorized_keys"), filepath.Join(d, "audit.jsonl"))
			return filepath.Join(d, "audit.jsonl")
		}, want: func(string, string) string { return symlinkText }},
		{name: "symbolic link to a file not there yet", setup: func(t *testing.T, d string) string {
			os.Symlink(filepath.Join(d, "created-through-the-link"), filepath.Join(d, "audit.jsonl"))
			return filepath.Join(d, "audit.jsonl")
		}, want: func(string, string) string { return symlinkText }},
		{name: "symbolic link to a directory", setup: func(t *testing.T, d string) string {
			os.Symlink(d, filepath.Join(d, "audit.jsonl"))
			return filepath.Join(d, "audit.jsonl")
		}, want: func(string, string) string { return symlinkText }},
		{name: "hard link", setup: func(t *testing.T, d string) string {
			writeFile(t, filepath.Join(d, "audit.jsonl"), "{}\n", 0o600)
			if err := os.Link(filepath.Join(d, "audit.jsonl"), filepath.Join(d, "other-name")); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(d, "audit.jsonl")
		}, want: func(string, string) string {
			return "it has 2 hard links, so its lines can be read and changed under another name; point audit.path at a new file in a directory only you can write"
		}},
		{name: "named pipe", setup: func(t *testing.T, d string) string {
			if err := unix.Mkfifo(filepath.Join(d, "audit.jsonl"), 0o600); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(d, "audit.jsonl")
		}, want: func(string, string) string {
			return "it is a named pipe, not a regular file; " + elsewhereText
		}},
		{name: "directory", setup: func(t *testing.T, d string) string {
			return mkdir(t, filepath.Join(d, "audit.jsonl"), 0o700)
		}, want: func(string, string) string {
			return "it is a directory, not a regular file; " + elsewhereText
		}},
	}
	for _, m := range []struct {
		mode   fs.FileMode
		access string
	}{{0o644, "read"}, {0o640, "read"}, {0o604, "read"}, {0o666, "read and write"}, {0o620, "write"}, {0o602, "write"}, {0o610, "execute"}} {
		cases = append(cases, refusal{name: fmt.Sprintf("file mode %04o", m.mode), setup: func(t *testing.T, d string) string {
			writeFile(t, filepath.Join(d, "audit.jsonl"), "{}\n", m.mode)
			return filepath.Join(d, "audit.jsonl")
		}, want: func(path, _ string) string {
			return fmt.Sprintf("it has mode %04o, which lets others %s it; run chmod 600 %s", m.mode, m.access, path)
		}})
	}
	for _, m := range []fs.FileMode{0o777, 0o770, 0o730, 0o703} {
		cases = append(cases, refusal{name: fmt.Sprintf("own directory mode %04o", m), setup: func(t *testing.T, d string) string {
			return filepath.Join(mkdir(t, filepath.Join(d, "logs"), m), "audit.jsonl")
		}, want: func(_, dir string) string { return sharedDirText(dir, fmt.Sprintf("%04o", m), true) }})
	}
	// sticky: others cannot remove the log but can create it first; no
	// chmod is suggested for a directory that is shared on purpose
	for _, m := range []fs.FileMode{0o777, 0o733} {
		cases = append(cases, refusal{name: fmt.Sprintf("own sticky directory mode 1%03o", m), setup: func(t *testing.T, d string) string {
			return filepath.Join(mkdir(t, filepath.Join(d, "tmp"), m|fs.ModeSticky), "audit.jsonl")
		}, want: func(_, dir string) string { return sharedDirText(dir, fmt.Sprintf("1%03o", m), false) }})
	}
	cases = append(cases,
		refusal{name: "someone else's file", needRoot: true, setup: func(t *testing.T, d string) string {
			p := filepath.Join(d, "audit.jsonl")
			writeFile(t, p, "{}\n", 0o600)
			chown(t, p, nobody)
			return p
		}, want: func(string, string) string {
			return "it belongs to nobody (uid 65534), not to you, and its owner can read and truncate it; " + elsewhereText
		}},
		refusal{name: "someone else's file in a shared sticky directory", needRoot: true, setup: func(t *testing.T, d string) string {
			tmp := mkdir(t, filepath.Join(d, "tmp"), 0o777|fs.ModeSticky)
			p := filepath.Join(tmp, "audit.jsonl")
			writeFile(t, p, "", 0o600)
			chown(t, p, nobody)
			return p
		}, want: func(_, dir string) string { return sharedDirText(dir, "1777", false) }},
		refusal{name: "someone else's directory", needRoot: true, setup: func(t *testing.T, d string) string {
			dir := mkdir(t, filepath.Join(d, "theirs"), 0o755)
			chown(t, dir, nobody)
			return filepath.Join(dir, "audit.jsonl")
		}, want: func(_, dir string) string {
			return "its directory " + dir + " belongs to nobody (uid 65534), who can put a link or a file of their own in place of the log; " + elsewhereText
		}},
		refusal{name: "someone else's world-writable directory", needRoot: true, setup: func(t *testing.T, d string) string {
			dir := mkdir(t, filepath.Join(d, "theirs"), 0o777)
			chown(t, dir, nobody)
			return filepath.Join(dir, "audit.jsonl")
		}, want: func(_, dir string) string { return sharedDirText(dir, "0777", false) }},
	)

	root := os.Geteuid() == 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.needRoot && !root {
				t.Skip("needs root to give files away")
			}
			base := t.TempDir()
			path := tc.setup(t, base)
			before := snapshot(t, base)
			l, err := Open(path, env(), false)
			if err == nil {
				l.Close()
				t.Fatal("opened")
			}
			want := "refused audit log " + path + ": " + tc.want(path, filepath.Dir(path))
			if err.Error() != want {
				t.Errorf("error\n got %s\nwant %s", err, want)
			}
			var ae *Error
			if !errors.As(err, &ae) || ae.Op != Refuse || ae.Path != path {
				t.Errorf("error %#v: want an *Error with Op %q and the path", err, Refuse)
			}
			if after := snapshot(t, base); after != before {
				t.Errorf("the refusal changed files\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
	if root {
		asNobody(t, "TestOpenRefusals")
	}
}

// What the rules allow: a file of one's own, 0600, with one name, in a
// directory only its owner (or root, who can do anything anyway) can write.
func TestOpenAllows(t *testing.T) {
	base := t.TempDir()
	// the file once refused for its mode, after the chmod the error gave
	loose := filepath.Join(mkdir(t, filepath.Join(base, "logs"), 0o755), "audit.jsonl")
	writeFile(t, loose, "{}\n", 0o644)
	if _, err := Open(loose, env(), false); err == nil {
		t.Fatal("0644 file opened")
	}
	os.Chmod(loose, 0o600)
	// a directory reached through a symbolic link is the directory
	linked := filepath.Join(base, "linked")
	os.Symlink(filepath.Join(base, "logs"), linked)
	for _, path := range []string{loose, filepath.Join(linked, "audit.jsonl")} {
		l, err := Open(path, env(), false)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Write(Entry{Decision: Ran}); err != nil {
			t.Fatal(err)
		}
		l.Close()
	}
	if b, _ := os.ReadFile(loose); !strings.HasPrefix(string(b), "{}\n{\"time\"") || strings.Count(string(b), "\n") != 3 {
		t.Errorf("not appended: %q", b)
	}
	if p := perm(t, filepath.Join(base, "logs")); p != 0o755 {
		t.Errorf("directory mode %04o: an existing directory must be left as it is", p)
	}
	if p := perm(t, loose); p != 0o600 {
		t.Errorf("file mode %04o", p)
	}
}

// Run as root, the test prepares files root owns where nobody can reach
// them, and runs itself as nobody, who must refuse root's file and may use
// its own file in a directory root owns (/var/log/safesql/alice.jsonl).
func TestOpenAsSomeoneElse(t *testing.T) {
	if os.Geteuid() == 0 {
		base, err := os.MkdirTemp("", "audit-foreign")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(base)
		os.Chmod(base, 0o755)
		mine := mkdir(t, filepath.Join(base, "nobody"), 0o700)
		chown(t, mine, nobody)
		writeFile(t, filepath.Join(mine, "audit.jsonl"), "", 0o666) // writable, so that only the owner rule can refuse it
		rootDir := mkdir(t, filepath.Join(base, "log"), 0o755)
		writeFile(t, filepath.Join(rootDir, "nobody.jsonl"), "", 0o600)
		chown(t, filepath.Join(rootDir, "nobody.jsonl"), nobody)
		asNobody(t, "TestOpenAsSomeoneElse", "AUDIT_TEST_BASE="+base)
		return
	}
	base := os.Getenv("AUDIT_TEST_BASE")
	if base == "" {
		t.Skip("prepared by root: run the tests as root")
	}
	path := filepath.Join(base, "nobody", "audit.jsonl")
	_, err := Open(path, env(), false)
	want := "refused audit log " + path + ": it belongs to root (uid 0), not to you, and its owner can read and truncate it; " + elsewhereText
	if err == nil || err.Error() != want {
		t.Errorf("root's file\n got %v\nwant %s", err, want)
	}
	l, err := Open(filepath.Join(base, "log", "nobody.jsonl"), env(), false)
	if err != nil {
		t.Fatalf("own file in a directory root owns: %v", err)
	}
	defer l.Close()
	if err := l.Write(Entry{Decision: Ran}); err != nil {
		t.Fatal(err)
	}
}

// A line over the file size limit (ulimit -f) is cut off as one on a full
// disk is (TestWriteOnAFullDiskLeavesWholeLines). This needs no root: the
// test runs itself in a child whose limit falls in the middle of a line.
func TestWriteOverTheFileSizeLimitLeavesWholeLines(t *testing.T) {
	if path := os.Getenv("AUDIT_TEST_FSIZE"); path != "" {
		writeOverTheLimit(t, path)
		return
	}
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "-test.run=^TestWriteOverTheFileSizeLimitLeavesWholeLines$", "-test.v")
	cmd.Env = append(os.Environ(), "AUDIT_TEST_FSIZE="+path)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestWriteOverTheFileSizeLimitLeavesWholeLines") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var stmts []string
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %d is not JSON: %v", len(stmts)+1, err)
		}
		stmts = append(stmts, l.Statement)
	}
	if got := strings.Join(stmts, ","); got != "SELECT 1,SELECT 2" {
		t.Errorf("statements %s, want SELECT 1,SELECT 2", got)
	}
}

func writeOverTheLimit(t *testing.T, path string) {
	l, err := Open(path, env(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Write(Entry{Decision: Ran, Statement: "SELECT 1"}); err != nil {
		t.Fatal(err)
	}
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	limit := uint64(before) + 1000
	if err := unix.Setrlimit(unix.RLIMIT_FSIZE, &unix.Rlimit{Cur: limit, Max: limit}); err != nil {
		t.Fatal(err)
	}
	err = l.Write(Entry{Decision: Ran, Statement: strings.Repeat("x", 5000)})
	want := "audit log " + path + ": write: file too large: it reached the file size limit (ulimit -f): raise the limit, rotate the file, or set another audit log path"
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
	if got := size(); got != before {
		t.Errorf("size %d after the failed line, want %d", got, before)
	}
	if err := l.Write(Entry{Decision: Ran, Statement: "SELECT 2"}); err != nil {
		t.Fatal(err)
	}
	t.Log("limit " + strconv.FormatUint(limit, 10))
}
