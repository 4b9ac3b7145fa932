package demo

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/internal/pgcluster"
)

// The three sample databases, identical when created.
const (
	DevDB     = "shop_dev"
	StagingDB = "shop_staging"
	ProdDB    = "shop_prod"
)

// version names what schema.sql and data.sql produce. Change it when they
// change, so that existing sandboxes are rebuilt instead of reused.
const version = "safesql demo sample v1"

// readyFile records, in Dir, that the three databases were fully created and
// loaded; without it (an interrupted first run) Start reloads them.
const readyFile = "sample.ready"

const lockFile = "demo.lock"

// sampleRows is how many rows data.sql inserts, for the progress line.
const sampleRows = 20_000 + 1_000 + 100_000 + 250_000

//go:embed schema.sql
var schemaSQL string

//go:embed data.sql
var dataSQL string

// maxSocketPath is the longest unix socket path the kernel accepts (108
// bytes on Linux, 104 on macOS, both counting the trailing NUL).
const maxSocketPath = 103

// Dir is where the sandbox lives: SAFESQL_DEMO_DIR when set, else
// os.UserCacheDir()/safesql/demo, a directory of the user's own. As root
// the server runs as the postgres user, which cannot enter /root (mode
// 0700), and making /root traversable for it would expose root's files: so
// unless XDG_CACHE_HOME or SAFESQL_DEMO_DIR say otherwise, root's sandbox
// lives in /var/cache/safesql/demo-<person>, keyed by who became root
// (sudo's SUDO_USER, else the login user the kernel keeps across su and
// sudo), so that people sharing root on a box do not share one sandbox,
// and one's --stop does not stop another's.
func Dir() (string, error) {
	return dirFor(os.Getenv, os.Geteuid(), loginUser, os.UserCacheDir)
}

// dirFor is Dir for a process with environment getenv and effective uid
// euid; login names the person logged in (loginUser), cache is
// os.UserCacheDir.
func dirFor(getenv func(string) string, euid int, login func() string, cache func() (string, error)) (string, error) {
	if d := getenv("SAFESQL_DEMO_DIR"); d != "" {
		abs, err := filepath.Abs(d)
		if err != nil {
			return "", fmt.Errorf("SAFESQL_DEMO_DIR: %w", err)
		}
		return abs, nil
	}
	if euid == 0 && getenv("XDG_CACHE_HOME") == "" {
		who := pathSafe(getenv("SUDO_USER"))
		if who == "" || who == "root" {
			who = pathSafe(login())
		}
		if who == "" {
			who = "root"
		}
		return "/var/cache/safesql/demo-" + who, nil
	}
	dir, err := cache()
	if err != nil {
		return "", fmt.Errorf("find a directory for the demo sandbox (set SAFESQL_DEMO_DIR): %w", err)
	}
	return filepath.Join(dir, "safesql", "demo"), nil
}

// loginUser is the name (else the uid) of the user this session logged in
// as, which su and sudo keep (/proc/self/loginuid); "" when the kernel
// does not say (containers, macOS).
func loginUser() string {
	b, err := os.ReadFile("/proc/self/loginuid")
	if err != nil {
		return ""
	}
	uid := strings.TrimSpace(string(b))
	if uid == "" || uid == "4294967295" { // (uid_t)-1: not set
		return ""
	}
	if u, err := user.LookupId(uid); err == nil && u.Username != "" {
		return u.Username
	}
	return "uid" + uid
}

// pathSafe is name when it can be part of a file name as it is (letters,
// digits, '.', '_', '-', not starting with '.'), else "".
func pathSafe(name string) string {
	if name == "" || len(name) > 64 || name[0] == '.' {
		return ""
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return ""
		}
	}
	return name
}

// Start ensures the sandbox cluster exists, is running and holds shop_dev,
// shop_staging and shop_prod, creating and loading them on the first call
// only, and returns the connection string of shop_prod. Progress lines go to
// progress. Concurrent calls, in this process or others, wait for each other.
func Start(ctx context.Context, progress io.Writer) (string, error) {
	dir, err := Dir()
	if err != nil {
		return "", err
	}
	if sock := filepath.Join(dir, fmt.Sprintf(".s.PGSQL.%d", pgcluster.Port)); len(sock) > maxSocketPath {
		return "", fmt.Errorf("demo sandbox directory %s is too long: its unix socket path would be %d bytes, the limit is %d; set SAFESQL_DEMO_DIR to a shorter directory",
			dir, len(sock), maxSocketPath)
	}
	// Before anything is created or announced: without a server there is
	// nothing to do but say how to get one.
	if _, err := pgcluster.FindBinDir(ctx); err != nil {
		return "", noBinaries(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create demo sandbox directory: %w", err)
	}
	unlock, err := lock(ctx, dir, progress)
	if err != nil {
		return "", err
	}
	defer unlock()

	fresh := !exists(filepath.Join(dir, "data", "PG_VERSION"))
	if fresh {
		say(progress, "creating sandbox in %s (first run, up to half a minute)...", dir)
	}
	c, err := open(ctx, dir)
	if err != nil {
		return "", err
	}
	if !c.Running(ctx) {
		if !fresh {
			say(progress, "starting sandbox server in %s", dir)
		}
		if err := c.Start(ctx, false); err != nil {
			return "", err
		}
	}
	ok, err := loaded(ctx, c, dir)
	if err != nil {
		return "", err
	}
	if !ok {
		if !fresh {
			say(progress, "sample databases missing or incomplete: reloading them (up to half a minute)...")
		}
		if err := load(ctx, c, dir, progress); err != nil {
			return "", err
		}
	}
	return c.ConnString(ProdDB), nil
}

// Stop stops the sandbox server if it runs.
func Stop(ctx context.Context, progress io.Writer) error {
	dir, err := Dir()
	if err != nil {
		return err
	}
	if !exists(filepath.Join(dir, "data", "PG_VERSION")) {
		say(progress, "not running (no sandbox in %s)", dir)
		return nil
	}
	unlock, err := lock(ctx, dir, progress)
	if err != nil {
		return err
	}
	defer unlock()
	c, err := open(ctx, dir)
	if err != nil {
		return err
	}
	if !c.Running(ctx) {
		say(progress, "not running")
		return nil
	}
	if err := c.Stop(ctx); err != nil {
		return err
	}
	say(progress, "stopped")
	return nil
}

func open(ctx context.Context, dir string) (*pgcluster.Cluster, error) {
	c, err := pgcluster.Open(ctx, dir)
	if errors.Is(err, pgcluster.ErrNoBinaries) {
		return nil, noBinaries(err)
	}
	if err != nil {
		return nil, fmt.Errorf("demo sandbox in %s: %w", dir, err)
	}
	return c, nil
}

func noBinaries(err error) error {
	return fmt.Errorf("safesql demo needs a local PostgreSQL server to run its sandbox: %w; %s", err, pgcluster.InstallHint)
}

func say(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, "safesql demo: "+format+"\n", args...)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// loaded reports whether a previous Start finished loading the databases and
// they are all still there.
func loaded(ctx context.Context, c *pgcluster.Cluster, dir string) (bool, error) {
	b, err := os.ReadFile(filepath.Join(dir, readyFile))
	if err != nil || strings.TrimSpace(string(b)) != version {
		return false, nil
	}
	conn, err := pgx.Connect(ctx, c.ConnString("postgres"))
	if err != nil {
		return false, fmt.Errorf("connect to the demo sandbox: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var n int
	err = conn.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = ANY($1)",
		[]string{DevDB, StagingDB, ProdDB}).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look for the demo databases: %w", err)
	}
	return n == 3, nil
}

// load (re)creates the three databases: shop_dev from the SQL files, the
// others as copies of it, which is much faster than loading them again.
func load(ctx context.Context, c *pgcluster.Cluster, dir string, progress io.Writer) error {
	ready := filepath.Join(dir, readyFile)
	if err := os.Remove(ready); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("reset demo sandbox: %w", err)
	}
	admin, err := pgx.Connect(ctx, c.ConnString("postgres"))
	if err != nil {
		return fmt.Errorf("connect to the demo sandbox: %w", err)
	}
	defer admin.Close(context.WithoutCancel(ctx))
	var serverVersion int
	if err := admin.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&serverVersion); err != nil {
		return fmt.Errorf("demo sandbox server version: %w", err)
	}
	for _, db := range []string{ProdDB, StagingDB, DevDB} {
		drop := "DROP DATABASE IF EXISTS " + pgx.Identifier{db}.Sanitize()
		if serverVersion >= 130000 {
			drop += " WITH (FORCE)"
		}
		if _, err := admin.Exec(ctx, drop); err != nil {
			return fmt.Errorf("drop %s: %w", db, err)
		}
	}

	start := time.Now()
	say(progress, "loading %s (%d rows)...", DevDB, sampleRows)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{DevDB}.Sanitize()); err != nil {
		return fmt.Errorf("create %s: %w", DevDB, err)
	}
	if err := loadSample(ctx, c.ConnString(DevDB)); err != nil {
		return err
	}
	for _, db := range []string{StagingDB, ProdDB} {
		say(progress, "creating %s as a copy of %s", db, DevDB)
		create := "CREATE DATABASE " + pgx.Identifier{db}.Sanitize() + " TEMPLATE " + pgx.Identifier{DevDB}.Sanitize()
		if serverVersion >= 150000 {
			// WAL_LOG, the default since 15, writes every page through the
			// WAL: several times slower for a database of this size.
			create += " STRATEGY FILE_COPY"
		}
		if _, err := admin.Exec(ctx, create); err != nil {
			return fmt.Errorf("create %s: %w", db, err)
		}
	}
	for db, what := range map[string]string{
		DevDB:     "safesql demo: the pretend development database",
		StagingDB: "safesql demo: the pretend staging database",
		ProdDB:    "safesql demo: the pretend production database",
	} {
		// COMMENT takes no parameters; the text is a constant of ours.
		if _, err := admin.Exec(ctx, "COMMENT ON DATABASE "+pgx.Identifier{db}.Sanitize()+" IS '"+what+"'"); err != nil {
			return fmt.Errorf("comment on %s: %w", db, err)
		}
	}
	if err := os.WriteFile(ready, []byte(version+"\n"), 0o644); err != nil {
		return fmt.Errorf("mark demo sandbox ready: %w", err)
	}
	say(progress, "%s, %s and %s ready in %.1f s", DevDB, StagingDB, ProdDB, time.Since(start).Seconds())
	return nil
}

// loadSample creates the schema and its rows in one transaction (a
// multi-statement simple query is one), so an interrupted load leaves
// nothing half done, then vacuums so the copies start with statistics and
// a visibility map.
func loadSample(ctx context.Context, connString string) error {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", DevDB, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, schemaSQL+"\n"+dataSQL); err != nil {
		return fmt.Errorf("load the sample schema into %s: %w", DevDB, err)
	}
	if _, err := conn.Exec(ctx, "VACUUM (ANALYZE)"); err != nil {
		return fmt.Errorf("vacuum %s: %w", DevDB, err)
	}
	return nil
}
