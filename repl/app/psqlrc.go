package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/safesql/safesql/repl/shell"
)

// psqlMajor is the psql whose start-up files safesql reads: ~/.psqlrc-15
// wins over ~/.psqlrc, as in psql 15.
const psqlMajor = "15"

// defaultSysconfdir is where psql as packaged by Debian and Ubuntu looks
// for the system-wide psqlrc when PGSYSCONFDIR is not set.
const defaultSysconfdir = "/etc/postgresql-common"

// psqlrcFiles are the start-up files psql reads after connecting, in
// order: the system-wide psqlrc, then the user's (PSQLRC, else
// ~/.psqlrc); of each, the version-specific file when there is one.
func psqlrcFiles(getenv func(string) string) []string {
	var files []string
	sys := getenv("PGSYSCONFDIR")
	if sys == "" {
		sys = defaultSysconfdir
	}
	if f := versionedFile(filepath.Join(sys, "psqlrc")); f != "" {
		files = append(files, f)
	}
	user := getenv("PSQLRC")
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	switch {
	case user == "" && home != "":
		user = filepath.Join(home, ".psqlrc")
	case strings.HasPrefix(user, "~/") && home != "":
		user = filepath.Join(home, user[2:])
	}
	if user != "" {
		if f := versionedFile(user); f != "" {
			files = append(files, f)
		}
	}
	return files
}

// versionedFile is path-15 when it can be read, else path when it can,
// else "".
func versionedFile(path string) string {
	for _, p := range []string{path + "-" + psqlMajor, path} {
		if f, err := os.Open(p); err == nil {
			st, err := f.Stat()
			f.Close()
			if err == nil && !st.IsDir() {
				return p
			}
		}
	}
	return ""
}

// runPsqlrc runs the start-up files (unless -X) as psql does: their
// errors are shown and do not stop the run. Their statements go through
// the session's rules like any other.
func runPsqlrc(ctx context.Context, sess *shell.Session, opts *Options, getenv func(string) string) {
	if opts.NoPsqlrc {
		return
	}
	for _, f := range psqlrcFiles(getenv) {
		_ = sess.RunFile(ctx, f)
	}
}
