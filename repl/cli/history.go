package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	sterm "github.com/safesql/safesql/repl/term"
)

// historyFile is where the line editor keeps an environment's history:
// $XDG_STATE_HOME/safesql/history/<env> (else ~/.local/state/...), the
// directory 0700 and the file 0600, created before the editor opens it so
// that it is never readable by others. "" when there is no home.
func historyFile(streams *sterm.IOStreams, env string) (string, error) {
	base := streams.Getenv("XDG_STATE_HOME")
	if base == "" {
		home := streams.Getenv("HOME")
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
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return "", fmt.Errorf("restrict history %s: %w", path, err)
	}
	return path, nil
}

var secretInput = regexp.MustCompile(`(?i)\bpassword\b|^\s*\\password|\bsecret\b|pgp_sym_(en|de)crypt|\buser\s+mapping\b`)

// keepInHistory leaves out entries that may carry a secret (PASSWORD
// literals, \password, keys).
func keepInHistory(entry string) bool {
	return strings.TrimSpace(entry) != "" && !secretInput.MatchString(entry)
}
