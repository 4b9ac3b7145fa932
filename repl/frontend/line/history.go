package line

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/safesql/safesql/repl/audit"
)

// HistorySize is how many entries a History keeps (psql's HISTSIZE is 500).
const HistorySize = 1000

// History is one environment's input history, shared by both front ends:
// $XDG_STATE_HOME/safesql/history/<env> (else ~/.local/state/...), the
// directory 0700 and the file 0600. One entry per line; an entry that
// spans lines (or starts with a double quote) is written as a Go quoted
// string, so a file written by the older readline editor still reads.
type History struct {
	mu      sync.Mutex
	path    string // "" when history is not kept on disk
	entries []string
}

// NewHistory is a history kept in memory only.
func NewHistory(entries ...string) *History {
	h := &History{}
	for _, e := range entries {
		h.remember(e)
	}
	return h
}

// OpenHistory opens (creating it private) the history file of env. getenv
// reads XDG_STATE_HOME and HOME; with neither, the history is kept in
// memory only. An error leaves a usable in-memory history.
func OpenHistory(getenv func(string) string, env string) (*History, error) {
	h := &History{}
	path, err := historyPath(getenv, env)
	if err != nil || path == "" {
		return h, err
	}
	h.path = path
	if err := h.load(); err != nil {
		return h, err
	}
	return h, nil
}

// Path is the history file, "" when none.
func (h *History) Path() string { return h.path }

func historyPath(getenv func(string) string, env string) (string, error) {
	base := getenv("XDG_STATE_HOME")
	if base == "" {
		home := getenv("HOME")
		if home == "" {
			return "", nil
		}
		base = filepath.Join(home, ".local", "state")
	}
	dir := filepath.Join(base, "safesql", "history")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create history directory %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return "", fmt.Errorf("restrict history directory %s: %w", dir, err)
	}
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == os.PathSeparator || r == 0 {
			return '_'
		}
		return r
	}, env)
	if name == "" || name == "." || name == ".." {
		name = "default"
	}
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return "", fmt.Errorf("open history %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("close history %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return "", fmt.Errorf("restrict history %s: %w", path, err)
	}
	return path, nil
}

func (h *History) load() error {
	f, err := os.Open(h.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read history %s: %w", h.path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		if e := decodeEntry(sc.Text()); Keep(e) { // what an older safesql kept
			h.remember(e)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read history %s: %w", h.path, err)
	}
	return nil
}

func encodeEntry(e string) string {
	if strings.ContainsAny(e, "\n\r") || strings.HasPrefix(e, `"`) {
		return strconv.Quote(e)
	}
	return e
}

func decodeEntry(l string) string {
	if strings.HasPrefix(l, `"`) {
		if s, err := strconv.Unquote(l); err == nil {
			return s
		}
	}
	return l
}

func (h *History) remember(e string) bool {
	if strings.TrimSpace(e) == "" {
		return false
	}
	if n := len(h.entries); n > 0 && h.entries[n-1] == e {
		return false
	}
	h.entries = append(h.entries, e)
	if len(h.entries) > HistorySize {
		h.entries = append([]string(nil), h.entries[len(h.entries)-HistorySize:]...)
	}
	return true
}

// Entries is a copy of the history, oldest first.
func (h *History) Entries() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.entries...)
}

// Add records an entry unless it may carry a secret or repeats the last
// one, and appends it to the file.
func (h *History) Add(entry string) error {
	entry = strings.TrimRight(entry, "\n")
	if !Keep(entry) {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.remember(entry) || h.path == "" {
		return nil
	}
	f, err := os.OpenFile(h.path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("append to history %s: %w", h.path, err)
	}
	if _, err := f.WriteString(encodeEntry(entry) + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("append to history %s: %w", h.path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("append to history %s: %w", h.path, err)
	}
	return nil
}

// Keep reports whether an entry may be kept in history: an entry the
// audit log's redaction would change carries a secret (a PASSWORD literal,
// \password, a password in a URI or a conninfo, a pgcrypto key) and is
// left out whole, so that recalling it can never run [redacted] as a
// password.
func Keep(entry string) bool {
	return strings.TrimSpace(entry) != "" && audit.Redact(entry) == entry
}
