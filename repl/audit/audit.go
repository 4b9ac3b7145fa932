package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"golang.org/x/sys/unix"
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
	// Op is what failed: "open", "write", "syslog", ..., or Refuse when
	// the file breaks one of the rules Open enforces (Err says which).
	Op  string
	Err error
	way string // the way out, when Op alone does not tell it
}

// Refuse is the Op of an Error for a file Open will not use: a symbolic
// link, a hard link, someone else's file, a file others may read, or one
// in a directory others can write.
const Refuse = "refuse"

func (e *Error) Error() string {
	if e.Op == Refuse {
		return fmt.Sprintf("refused audit log %s: %v; %s", e.Path, e.Err, e.fix())
	}
	return fmt.Sprintf("audit log %s: %s: %v: %s", e.Path, e.Op, e.Err, e.fix())
}

func (e *Error) Unwrap() error { return e.Err }

func (e *Error) fix() string {
	dir := filepath.Dir(e.Path)
	switch {
	case e.way != "":
		return e.way
	case e.Op == "syslog":
		return "start the system's syslog daemon, or turn syslog off in the audit settings"
	case errors.Is(e.Err, ErrClosed):
		return "the session closed its audit log before this entry; start a new session"
	case errors.Is(e.Err, syscall.ENOSPC), errors.Is(e.Err, syscall.EDQUOT):
		return "free space on its file system, or set another audit log path"
	case errors.Is(e.Err, syscall.EFBIG):
		return "it reached the file size limit (ulimit -f): raise the limit, rotate the file, or set another audit log path"
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

// Path is the file the log appends to.
func (l *Log) Path() string { return l.path }

// Write appends e as one line, in a single write(2) on a file opened with
// O_APPEND, so that lines from concurrent callers, and from other safesql
// processes of the same user, never interleave. A write that fails part
// way (a full disk, a file size limit) is undone: the file is cut back to
// its size before the line, so that it only ever holds whole lines. The
// line reaches the kernel before Write returns; it is not fsynced (Close
// syncs). An error means the line was not recorded: in production, do not
// run the statement.
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
	if err := l.append(b); err != nil {
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

// append writes b at the end of the file and, when the write fails part
// way, cuts the file back to its size before. An advisory lock (flock)
// keeps other safesql processes from appending in between, which would
// make cutting back unsafe; where the file system has no locks, the file
// is cut only when its size shows that nothing else was appended.
func (l *Log) append(b []byte) error {
	fd := int(l.f.Fd())
	if ignoringEINTR(func() error { return unix.Flock(fd, unix.LOCK_EX) }) == nil {
		defer unix.Flock(fd, unix.LOCK_UN)
	}
	var before unix.Stat_t
	statErr := unix.Fstat(fd, &before)
	// One write(2) for the whole line; os.File writes the rest again only
	// after a short write, which tells why (no space left on device).
	n, err := l.f.Write(b)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // Error names the path and the operation
	}
	if n == 0 {
		return err
	}
	var after unix.Stat_t
	switch {
	case statErr != nil:
		return fmt.Errorf("%w; the file may end in a partial line of %d bytes (%v)", err, n, statErr)
	case unix.Fstat(fd, &after) != nil || after.Size != before.Size+int64(n):
		return fmt.Errorf("%w; the file may end in a partial line of %d bytes (something else wrote to it meanwhile)", err, n)
	}
	if terr := ignoringEINTR(func() error { return unix.Ftruncate(fd, before.Size) }); terr != nil {
		return fmt.Errorf("%w; the file ends in a partial line of %d bytes (cutting it off failed: %v)", err, n, terr)
	}
	return err
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
