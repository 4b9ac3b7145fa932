package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// ErrNoBinaries is returned when initdb, pg_ctl and postgres cannot be found.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found")

// InstallHint tells a person how to get the server binaries.
const InstallHint = "install the PostgreSQL server: apt-get install postgresql (Debian/Ubuntu), " +
	"dnf install postgresql-server (Fedora/RHEL), brew install postgresql@15 (macOS); " +
	"or point SAFESQL_PG_BINDIR at the directory that holds initdb"

// Port is the port number that names the socket file inside the cluster's
// socket directory; nothing listens on TCP.
const Port = 5432

// Cluster is a PostgreSQL data directory with a server running on a unix
// socket inside its directory.
type Cluster struct {
	Dir    string // parent directory: data/, the socket and the log live here
	BinDir string
	User   string // the database superuser
	owner  *user.User
}

// DataDir is where initdb wrote the cluster.
func (c *Cluster) DataDir() string { return filepath.Join(c.Dir, "data") }

// SocketDir is the directory holding the server's unix socket: the host to
// connect to.
func (c *Cluster) SocketDir() string { return c.Dir }

// LogFile is the server's log.
func (c *Cluster) LogFile() string { return filepath.Join(c.Dir, "server.log") }

// ConnString returns a keyword/value connection string for database db.
func (c *Cluster) ConnString(db string) string {
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable",
		quoteConn(c.SocketDir()), Port, quoteConn(c.User), quoteConn(db))
}

func quoteConn(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\\") {
		return s
	}
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `'`, `\'`)
	return "'" + s + "'"
}

// FindBinDir locates the directory holding initdb: SAFESQL_PG_BINDIR, then
// `pg_config --bindir`, then /usr/lib/postgresql/*/bin (newest first), then
// PATH.
func FindBinDir(ctx context.Context) (string, error) {
	has := func(dir string) bool {
		for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				return false
			}
		}
		return true
	}
	if dir := os.Getenv("SAFESQL_PG_BINDIR"); dir != "" {
		if has(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("SAFESQL_PG_BINDIR=%s holds no initdb, pg_ctl and postgres: %w", dir, ErrNoBinaries)
	}
	if out, err := exec.CommandContext(ctx, "pg_config", "--bindir").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); has(dir) {
			return dir, nil
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(matches, func(i, j int) bool { return versionOf(matches[i]) > versionOf(matches[j]) })
	for _, dir := range matches {
		if has(dir) {
			return dir, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil && has(filepath.Dir(real)) {
			return filepath.Dir(real), nil
		}
		if has(filepath.Dir(p)) {
			return filepath.Dir(p), nil
		}
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// serverOwner picks who runs the server: the current user, or, as root
// (initdb refuses root), the postgres user, else nobody.
func serverOwner() (*user.User, error) {
	if os.Geteuid() != 0 {
		return user.Current()
	}
	for _, name := range []string{"postgres", "nobody"} {
		if u, err := user.Lookup(name); err == nil {
			return u, nil
		}
	}
	return nil, errors.New("running as root and there is no postgres or nobody user to run the server as: create one (useradd -r postgres)")
}

// Open returns the cluster in dir, creating it with initdb when dir holds
// none. It does not start it.
func Open(ctx context.Context, dir string) (*Cluster, error) {
	bin, err := FindBinDir(ctx)
	if err != nil {
		return nil, err
	}
	owner, err := serverOwner()
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, BinDir: bin, User: owner.Username, owner: owner}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create cluster directory %s: %w", dir, err)
	}
	if err := c.chown(dir); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(c.DataDir(), "PG_VERSION")); err == nil {
		return c, nil
	}
	_ = os.RemoveAll(c.DataDir())
	if _, err := c.run(ctx, "initdb", "-D", c.DataDir(), "-A", "trust", "-E", "UTF8",
		"--locale=C", "--no-sync", "-U", c.User); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Cluster) chown(path string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	uid, _ := strconv.Atoi(c.owner.Uid)
	gid, _ := strconv.Atoi(c.owner.Gid)
	if err := os.Chown(path, uid, gid); err != nil {
		return fmt.Errorf("hand %s to user %s: %w", path, c.owner.Username, err)
	}
	// The server user must be able to reach the directory.
	for p := filepath.Dir(path); p != "/" && p != "."; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			break
		}
		if fi.Mode().Perm()&0o001 == 0 {
			_ = os.Chmod(p, fi.Mode().Perm()|0o011)
		}
	}
	return nil
}

func (c *Cluster) run(ctx context.Context, tool string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(c.BinDir, tool), args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if os.Geteuid() == 0 {
		uid, _ := strconv.Atoi(c.owner.Uid)
		gid, _ := strconv.Atoi(c.owner.Gid)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	}
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %w\n%s", tool, strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}

// Running reports whether the server is up.
func (c *Cluster) Running(ctx context.Context) bool {
	_, err := c.run(ctx, "pg_ctl", "status", "-D", c.DataDir())
	return err == nil
}

// Start starts the server on the unix socket in Dir, waiting until it
// accepts connections. fast trades durability for speed (tests).
func (c *Cluster) Start(ctx context.Context, fast bool) error {
	if c.Running(ctx) {
		return nil
	}
	opts := fmt.Sprintf("-c listen_addresses='' -k %s -p %d -c max_connections=50 -c max_prepared_transactions=10", c.SocketDir(), Port)
	if fast {
		opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	}
	logFile := c.LogFile()
	if f, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err == nil {
		f.Close()
		_ = c.chown(logFile)
	}
	if _, err := c.run(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", c.DataDir(), "-l", logFile, "-o", opts); err != nil {
		return fmt.Errorf("start PostgreSQL in %s (log: %s): %w", c.Dir, logFile, err)
	}
	return nil
}

// Stop stops the server (fast shutdown).
func (c *Cluster) Stop(ctx context.Context) error {
	if !c.Running(ctx) {
		return nil
	}
	if _, err := c.run(ctx, "pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", c.DataDir()); err != nil {
		return fmt.Errorf("stop PostgreSQL in %s: %w", c.Dir, err)
	}
	return nil
}

// Temp creates a cluster in a new temporary directory and starts it, for
// a run that needs a fresh server and then throws it away (generators,
// tests). The directory's path is short: unix socket paths are limited
// to about 100 bytes. Remove stops the server and deletes the directory.
func Temp(ctx context.Context) (*Cluster, error) {
	dir, err := os.MkdirTemp("", "safesql-pg-")
	if err != nil {
		return nil, fmt.Errorf("temporary cluster directory: %w", err)
	}
	c, err := Open(ctx, dir)
	if err == nil {
		err = c.Start(ctx, true)
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return c, nil
}

// Remove stops the server and deletes the cluster's directory.
func (c *Cluster) Remove(ctx context.Context) error {
	stopErr := c.Stop(ctx)
	if err := os.RemoveAll(c.Dir); err != nil {
		return fmt.Errorf("remove cluster directory: %w", err)
	}
	return stopErr
}
