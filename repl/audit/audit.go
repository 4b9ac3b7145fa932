package audit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
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
	return l.appendJSON(make([]byte, 0, 256+len(stmt)))
}

// appendJSON appends l as encoding/json writes it with HTML escaping off
// (keys in this order, empty fields left out), and a newline: by hand,
// because a line is written twice for every statement.
func (l *line) appendJSON(b []byte) []byte {
	b = append(b, `{"time":`...)
	b = appendJSONString(b, l.Time)
	str := func(key, v string) {
		if v != "" {
			b = append(b, `,"`...)
			b = append(b, key...)
			b = append(b, `":`...)
			b = appendJSONString(b, v)
		}
	}
	num := func(key string, v *int64) {
		if v != nil {
			b = append(b, `,"`...)
			b = append(b, key...)
			b = append(b, `":`...)
			b = strconv.AppendInt(b, *v, 10)
		}
	}
	str("session", l.Session)
	str("os_user", l.OSUser)
	str("ssh_client", l.SSHClient)
	str("env", l.Env)
	str("tier", l.Tier)
	str("host", l.Host)
	str("database", l.Database)
	str("db_user", l.DBUser)
	str("statement", l.Statement)
	str("class", l.Class)
	if len(l.Flags) > 0 {
		b = append(b, `,"flags":[`...)
		for i, f := range l.Flags {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, f)
		}
		b = append(b, ']')
	}
	num("dry_run_rows", l.DryRunRows)
	if l.DryRunEstimate {
		b = append(b, `,"dry_run_estimate":true`...)
	}
	str("decision", l.Decision)
	str("reason", l.Reason)
	num("rows", l.Rows)
	if l.DurationMS != 0 {
		b = append(b, `,"duration_ms":`...)
		b = appendJSONFloat(b, l.DurationMS)
	}
	str("error", l.Error)
	str("tx", l.Tx)
	return append(b, "}\n"...)
}

// appendJSONString appends s as a JSON string, as encoding/json does with
// HTML escaping off: invalid UTF-8 becomes U+FFFD, control characters and
// U+2028/U+2029 are escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSONFloat appends f as encoding/json writes a float64.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
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
	// One write(2) for the whole line, the only system call of a line that
	// fits; os.File writes the rest again only after a short write, which
	// tells why (no space left on device).
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
	return l.cutPartial(b[:n], err)
}

// cutPartial cuts off the partial line a failed write left at the end of
// the file: under an exclusive lock, and only when the file's last bytes
// are that partial line (nothing was appended after it meanwhile).
func (l *Log) cutPartial(partial []byte, err error) error {
	fd := int(l.f.Fd())
	if ignoringEINTR(func() error { return unix.Flock(fd, unix.LOCK_EX) }) == nil {
		defer unix.Flock(fd, unix.LOCK_UN)
	}
	n := int64(len(partial))
	var st unix.Stat_t
	if serr := unix.Fstat(fd, &st); serr != nil {
		return fmt.Errorf("%w; the file may end in a partial line of %d bytes (%v)", err, n, serr)
	}
	tail := make([]byte, n)
	if st.Size < n {
		return fmt.Errorf("%w; the file may end in a partial line of %d bytes (something else changed it meanwhile)", err, n)
	}
	if _, rerr := unix.Pread(fd, tail, st.Size-n); rerr != nil || !bytes.Equal(tail, partial) {
		return fmt.Errorf("%w; the file may end in a partial line of %d bytes (something else wrote to it meanwhile)", err, n)
	}
	if terr := ignoringEINTR(func() error { return unix.Ftruncate(fd, st.Size-n) }); terr != nil {
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
