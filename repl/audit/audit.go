package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/syslog"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"
)

// Decisions: what became of a statement.
const (
	Ran       = "ran"
	Refused   = "refused"   // a safety rule said no; nothing was sent
	Aborted   = "aborted"   // the person declined, or nobody could answer
	Confirmed = "confirmed" // the person typed the word; a "ran" line follows
	// Sending is written before a statement or COMMIT that can change
	// something is sent (write-ahead): a "ran" line with the outcome
	// follows, unless the process died first.
	Sending = "sending"
)

// Transaction outcomes.
const (
	Commit   = "commit"
	Rollback = "rollback"
	Prepared = "prepared" // PREPARE TRANSACTION: durable, waiting for COMMIT PREPARED
	// Unknown: the connection was lost after the COMMIT was sent; the
	// server may or may not have committed.
	Unknown = "unknown"
)

// Entry is one line of the audit log. Empty fields are left out of the line,
// except Time; Rows and DryRunRows are pointers so that 0 rows is written.
type Entry struct {
	Time      time.Time // zero: the time of Write
	Session   string    // the caller's id for the session, to group its lines
	OSUser    string
	SSHClient string
	Env       string
	Tier      string
	Host      string
	Database  string
	DBUser    string
	// Statement is redacted by Write, whatever the caller passed.
	Statement      string
	Class          string
	Flags          []string
	DryRunRows     *int64
	DryRunEstimate bool // DryRunRows is the planner's estimate, not a count
	Decision       string
	Reason         string // the rule that refused or asked, for refused and aborted lines
	Rows           *int64
	Duration       time.Duration
	Error          string // scrubbed of the secrets taken out of Statement
	Tx             string
	// Secrets are values the caller knows to be secret: they are replaced in
	// Statement and Error and never written.
	Secrets []string
}

// line fixes the keys and their order.
type line struct {
	Time           string   `json:"time"`
	Session        string   `json:"session,omitempty"`
	OSUser         string   `json:"os_user,omitempty"`
	SSHClient      string   `json:"ssh_client,omitempty"`
	Env            string   `json:"env,omitempty"`
	Tier           string   `json:"tier,omitempty"`
	Host           string   `json:"host,omitempty"`
	Database       string   `json:"database,omitempty"`
	DBUser         string   `json:"db_user,omitempty"`
	Statement      string   `json:"statement,omitempty"`
	Class          string   `json:"class,omitempty"`
	Flags          []string `json:"flags,omitempty"`
	DryRunRows     *int64   `json:"dry_run_rows,omitempty"`
	DryRunEstimate bool     `json:"dry_run_estimate,omitempty"`
	Decision       string   `json:"decision,omitempty"`
	Reason         string   `json:"reason,omitempty"`
	Rows           *int64   `json:"rows,omitempty"`
	DurationMS     float64  `json:"duration_ms,omitempty"`
	Error          string   `json:"error,omitempty"`
	Tx             string   `json:"tx,omitempty"`
}

// Statements longer than this (after redaction) are cut, so that a huge
// INSERT neither fills the disk nor breaks syslog.
const maxStatement = 64 << 10

// TimeFormat is RFC 3339 with milliseconds; times are written in UTC.
const TimeFormat = "2006-01-02T15:04:05.000Z07:00"

// Line returns the JSON line Write appends for e, newline included.
func (e Entry) Line() []byte { return e.line(nil) }

// redaction remembers the last statement redacted: a statement's
// write-ahead line and its outcome line carry the same text, which is
// then read once.
type redaction struct {
	stmt, secrets string
	out           string
	removed       []string
}

func (e Entry) line(memo *redaction) []byte {
	var stmt string
	var removed []string
	secrets := strings.Join(e.Secrets, "\x00")
	if memo != nil && memo.out != "" && memo.stmt == e.Statement && memo.secrets == secrets {
		stmt, removed = memo.out, memo.removed
	} else {
		stmt, removed = redact(e.Statement, e.Secrets)
		if memo != nil {
			*memo = redaction{stmt: e.Statement, secrets: secrets, out: stmt, removed: removed}
		}
	}
	if len(stmt) > maxStatement {
		n := maxStatement
		for n > 0 && !utf8.RuneStart(stmt[n]) {
			n--
		}
		stmt = stmt[:n] + fmt.Sprintf(" [truncated: %d bytes in all]", len(stmt))
	}
	l := line{
		Time:           e.Time.UTC().Format(TimeFormat),
		Session:        e.Session,
		OSUser:         e.OSUser,
		SSHClient:      e.SSHClient,
		Env:            e.Env,
		Tier:           e.Tier,
		Host:           e.Host,
		Database:       e.Database,
		DBUser:         e.DBUser,
		Statement:      stmt,
		Class:          e.Class,
		Flags:          e.Flags,
		DryRunRows:     e.DryRunRows,
		DryRunEstimate: e.DryRunEstimate,
		Decision:       e.Decision,
		Reason:         e.Reason,
		Rows:           e.Rows,
		DurationMS:     float64(e.Duration.Microseconds()) / 1000,
		Error:          scrub(e.Error, e.Secrets, removed),
		Tx:             e.Tx,
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep a < b readable
	if err := enc.Encode(l); err != nil {
		// Only strings, numbers and bools: Encode cannot fail.
		panic(err)
	}
	return b.Bytes()
}

// scrub takes secrets out of an error message: the server may quote the
// statement back ("syntax error at or near ...").
func scrub(msg string, secrets, removed []string) string {
	if msg == "" {
		return ""
	}
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, Redacted)
		}
	}
	for _, s := range removed {
		msg = strings.ReplaceAll(msg, s, Redacted)
	}
	return redactText(msg)
}

// Log appends entries to the audit file, and to syslog when asked. It is
// safe for concurrent use.
type Log struct {
	path string
	now  func() time.Time

	mu   sync.Mutex
	f    *os.File  // nil once closed
	sys  sink      // nil without syslog
	memo redaction // the last statement redacted
}

// sink is the part of *syslog.Writer the log uses.
type sink interface {
	Info(string) error
	Warning(string) error
	Close() error
}

// ErrClosed is the cause of a Write after Close.
var ErrClosed = errors.New("the audit log is closed")

// Error is an audit log failure: it names the file and what to do about it.
// In production the caller must not run the statement when Write returns one.
type Error struct {
	Path string
	Op   string // "open", "write", "syslog", ...
	Err  error
}

func (e *Error) Error() string {
	return fmt.Sprintf("audit log %s: %s: %v: %s", e.Path, e.Op, e.Err, e.fix())
}

func (e *Error) Unwrap() error { return e.Err }

func (e *Error) fix() string {
	dir := filepath.Dir(e.Path)
	switch {
	case e.Op == "syslog":
		return "start the system's syslog daemon, or turn syslog off in the audit settings"
	case errors.Is(e.Err, ErrClosed):
		return "the session closed its audit log before this entry; start a new session"
	case errors.Is(e.Err, syscall.ENOSPC), errors.Is(e.Err, syscall.EDQUOT):
		return "free space on its file system, or set another audit log path"
	case errors.Is(e.Err, fs.ErrPermission), errors.Is(e.Err, syscall.EROFS):
		return fmt.Sprintf("make it writable by you (mkdir -p -m 700 %s; chmod 600 %s), or set another audit log path", dir, e.Path)
	default:
		return fmt.Sprintf("check %s and %s, or set another audit log path", dir, e.Path)
	}
}

// DefaultPath is $XDG_STATE_HOME/safesql/audit.jsonl, else
// $HOME/.local/state/safesql/audit.jsonl, else "". Relative values are
// ignored, as the XDG base directory specification asks.
func DefaultPath(getenv func(string) string) string {
	if d := getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "safesql", "audit.jsonl")
	}
	if h := getenv("HOME"); filepath.IsAbs(h) {
		return filepath.Join(h, ".local", "state", "safesql", "audit.jsonl")
	}
	return ""
}

// Open prepares the log at path ("" is DefaultPath). getenv is consulted
// for XDG_STATE_HOME and HOME only.
//
// The file is created with mode 0600 and its directory, with any missing
// parents, with 0700. Nothing that exists is ever chmod'ed: a wrong path
// given to a root session would otherwise change /dev or /etc/passwd (a
// test once turned /dev into 0700). Instead:
//   - an existing file that others may read or write (any group or other
//     permission bit) is refused, and the error gives the chmod 600 to run;
//   - an existing directory others may write into, unless it is sticky like
//     /tmp, is refused (they could replace the file); one they may only read
//     (/var/log) is used as it is, the file in it being private.
//
// With useSyslog, every line also goes to syslog (facility authpriv, tag
// safesql), and a syslog that cannot be reached is an error.
func Open(path string, getenv func(string) string, useSyslog bool) (*Log, error) {
	if path == "" {
		path = DefaultPath(getenv)
		if path == "" {
			return nil, &Error{Path: "(default)", Op: "open", Err: errors.New("neither XDG_STATE_HOME nor HOME is an absolute path")}
		}
	}
	if err := prepareDir(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, &Error{Path: path, Op: "open", Err: err}
	}
	if err := checkFile(path, f); err != nil {
		f.Close()
		return nil, err
	}
	l := &Log{path: path, now: time.Now, f: f}
	if useSyslog {
		w, err := syslog.New(syslog.LOG_AUTHPRIV|syslog.LOG_INFO, "safesql")
		if err != nil {
			f.Close()
			return nil, &Error{Path: path, Op: "syslog", Err: err}
		}
		l.sys = w
	}
	return l, nil
}

func prepareDir(path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return &Error{Path: path, Op: "create directory", Err: err}
		}
		return nil
	}
	if err != nil {
		return &Error{Path: path, Op: "directory", Err: err}
	}
	if !fi.IsDir() {
		return &Error{Path: path, Op: "directory", Err: fmt.Errorf("%s is not a directory", dir)}
	}
	perm := fi.Mode().Perm()
	// An existing directory is never changed: it may be shared (/tmp,
	// /var/log) or not ours to decide about (chmod of /dev broke every
	// server on the machine). Only one others could write into unnoticed
	// is refused.
	switch {
	case perm&0o077 == 0:
	case perm&0o022 != 0 && fi.Mode()&fs.ModeSticky == 0 && ownedByMe(fi):
		return &Error{Path: path, Op: "directory", Err: fmt.Errorf("%s has mode %04o: others could replace the log; run chmod 700 %s", dir, perm, dir)}
	case perm&0o022 != 0 && fi.Mode()&fs.ModeSticky == 0:
		return &Error{Path: path, Op: "directory", Err: fmt.Errorf("%s has mode %04o and belongs to someone else, who could replace the log", dir, perm)}
	}
	return nil
}

func checkFile(path string, f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return &Error{Path: path, Op: "stat", Err: err}
	}
	if !fi.Mode().IsRegular() {
		return &Error{Path: path, Op: "open", Err: fmt.Errorf("not a regular file (%s)", fi.Mode().Type())}
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return &Error{Path: path, Op: "open", Err: fmt.Errorf("mode %04o lets others read the log; run chmod 600 %s", perm, path)}
	}
	return nil
}

func ownedByMe(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Geteuid()
}

// Path is the file the log appends to.
func (l *Log) Path() string { return l.path }

// Write appends e as one line, in a single write(2) on a file opened with
// O_APPEND, so that lines from concurrent callers, and from other safesql
// processes of the same user, never interleave. The line reaches the kernel
// before Write returns; it is not fsynced (Close syncs). An error means the
// line may not have been recorded: in production, do not run the statement.
func (l *Log) Write(e Entry) error {
	if e.Time.IsZero() {
		e.Time = l.now()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := e.line(&l.memo)
	if l.f == nil {
		return &Error{Path: l.path, Op: "write", Err: ErrClosed}
	}
	n, err := l.f.Write(b)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	if err != nil {
		return &Error{Path: l.path, Op: "write", Err: err}
	}
	if l.sys != nil {
		msg := string(b[:len(b)-1])
		send := l.sys.Info
		if e.Decision == Refused || e.Decision == Aborted || e.Error != "" {
			send = l.sys.Warning
		}
		if err := send(msg); err != nil {
			return &Error{Path: l.path, Op: "syslog", Err: err}
		}
	}
	return nil
}

// Close syncs and closes the file and the syslog connection. Closing twice
// is not an error; writing after Close is.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Sync()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	if l.sys != nil {
		if serr := l.sys.Close(); err == nil {
			err = serr
		}
		l.sys = nil
	}
	if err != nil {
		return &Error{Path: l.path, Op: "close", Err: err}
	}
	return nil
}

// Who names the person at the keyboard: the operating system account safesql
// runs as (from the user database, not $USER, which anyone can set; $USER,
// $LOGNAME or uid:N only when the lookup fails) and the SSH client address,
// the first field of SSH_CONNECTION (or SSH_CLIENT), "" when not over SSH.
func Who(getenv func(string) string) (osUser, sshClient string) {
	if u, err := user.Current(); err == nil && u.Username != "" {
		osUser = u.Username
	} else if osUser = getenv("USER"); osUser == "" {
		if osUser = getenv("LOGNAME"); osUser == "" {
			osUser = "uid:" + strconv.Itoa(os.Getuid())
		}
	}
	conn := getenv("SSH_CONNECTION")
	if conn == "" {
		conn = getenv("SSH_CLIENT")
	}
	if f := strings.Fields(conn); len(f) > 0 {
		sshClient = f[0]
	}
	return osUser, sshClient
}

// ApplicationName is the connection's application_name, safesql/<os user>,
// so that DBAs see in pg_stat_activity who is connected. Like the server,
// it keeps printable ASCII only and at most 63 bytes.
func ApplicationName(osUser string) string {
	b := []byte("safesql/" + osUser)
	for i, c := range b {
		if c < 32 || c > 126 {
			b[i] = '?'
		}
	}
	if len(b) > 63 {
		b = b[:63]
	}
	return string(b)
}
