package app

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/safesql/safesql/envs"
	sterm "github.com/safesql/safesql/repl/term"
)

// starterConfig is what `safesql envs --init` writes: everything
// commented out, so it changes nothing until it is edited (an unknown
// server stays production: fail closed).
const starterConfig = `# safesql's configuration, written by "safesql envs --init".
# "safesql envs" lists the environments it defines and warns about
# mistakes; README.md ("Environments") documents every key.

# The tier of a connection that matches no environment below. The default,
# "production", makes every such server read-only, with a typed
# confirmation for each write: fail closed. Uncomment this line for psql's
# plain behaviour on the servers you have not named (your laptop's):
# unknown_tier = "local"

# One table per environment: "safesql prod" connects to [envs.prod]. A
# connection made with psql's options (-h, -d, PG* variables) gets the
# rules of the environment whose address it matches.
#
# [envs.prod]
# dsn = "host=prod-db.internal dbname=app user=me"  # conninfo, URI or service=NAME
# tier = "production"                                # production, staging, development, local
# label = "PROD"
# statement_timeout = "30s"
# lock_timeout = "2s"
# audit = { enabled = true, path = "~/.local/state/safesql/prod-audit.jsonl" }
#
# [envs.dev]
# dsn = "host=localhost dbname=app_dev"
# tier = "development"
`

// initConfig is `safesql envs --init`: the starter config written to path
// (its directory made 0700, the file 0600), never over an existing file.
func initConfig(out io.Writer, path string) error {
	if path == "" {
		return errors.New("no place for a config: set HOME, XDG_CONFIG_HOME or SAFESQL_CONFIG")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create the config's directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists and was left as it is: edit it, or move it away and run safesql envs --init again", path)
	}
	if err != nil {
		return fmt.Errorf("write the config: %w", err)
	}
	if _, err := io.WriteString(f, starterConfig); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write the config %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("write the config %s: %w", path, err)
	}
	fmt.Fprintf(out, "Wrote a commented config to %s\nEdit it, then run safesql envs to see what it defines.\n", path)
	return nil
}

// firstRunMarker is the file whose presence means the first-run hint was
// shown: $XDG_STATE_HOME/safesql/first-run-seen, or
// ~/.local/state/safesql/first-run-seen (next to the history); "" when
// neither variable is set.
func firstRunMarker(getenv func(string) string) string {
	base := getenv("XDG_STATE_HOME")
	if base == "" {
		home := getenv("HOME")
		if home == "" {
			return ""
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "safesql", "first-run-seen")
}

// firstRunHint is the one line said the first time safesql runs on a
// terminal with no config of its own and no environment defined, where
// every server is production (read-only): how to change that. It is
// remembered (firstRunMarker) and said once; "" when there is nothing to
// say.
func firstRunHint(streams *sterm.IOStreams, paths envs.Paths, cfg *envs.Config, env *envs.Env) string {
	if !streams.InTTY || !streams.ErrTTY || !env.Unknown || env.Tier != envs.Production || len(cfg.Names()) > 0 {
		return ""
	}
	if paths.User == "" || paths.UserExplicit {
		return ""
	}
	if _, err := os.Stat(paths.User); !errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	marker := firstRunMarker(streams.Getenv)
	if marker == "" {
		return ""
	}
	if _, err := os.Stat(marker); !errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	// Said once: when the marker cannot be written, not said at all
	// rather than at every start.
	if err := os.MkdirAll(filepath.Dir(marker), 0o700); err != nil {
		return ""
	}
	if err := os.WriteFile(marker, []byte("safesql showed its first-run hint; remove this file to see it again\n"), 0o600); err != nil {
		return ""
	}
	return fmt.Sprintf("safesql: with no config, every server counts as production (read-only). For psql's behaviour on local ones, put unknown_tier = \"local\" in %s, or run safesql envs --init for a commented config; safesql envs shows what is configured.", paths.User)
}
