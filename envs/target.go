package envs

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgservicefile"
	"github.com/jackc/pgx/v5/pgconn"
)

// Setting is one keyword and its value of a connection string, in the
// order the string gives them (a later one wins).
type Setting struct{ Key, Value string }

// ParseSettings reads a connection string as libpq does: a URI
// (postgres:// or postgresql://, hosts and database percent-decoded,
// several hosts as host1:port1,host2:port2, query parameters such as
// ?host=/socket/dir&port=5433 after them, so they win) or keyword=value
// pairs (values single-quoted with backslash escapes).
func ParseSettings(dsn string) ([]Setting, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return parseURI(dsn)
	}
	return parseConninfo(dsn)
}

func parseURI(uri string) ([]Setting, error) {
	rest := uri[strings.Index(uri, "://")+3:]
	var query string
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, query = rest[:i], rest[i+1:]
	}
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i+1:]
	}
	var out []Setting
	dec := func(what, s string) (string, error) {
		v, err := url.PathUnescape(s)
		if err != nil {
			return "", fmt.Errorf("invalid connection URI: bad %s escape", what)
		}
		return v, nil
	}
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		userinfo := authority[:i]
		authority = authority[i+1:]
		user, pw, hasPW := strings.Cut(userinfo, ":")
		u, err := dec("user", user)
		if err != nil {
			return nil, err
		}
		if u != "" {
			out = append(out, Setting{"user", u})
		}
		if hasPW {
			p, err := dec("password", pw)
			if err != nil {
				return nil, err
			}
			out = append(out, Setting{"password", p})
		}
	}
	if authority != "" {
		var hosts, ports []string
		anyPort := false
		for _, hp := range strings.Split(authority, ",") {
			host, port := hp, ""
			if strings.HasPrefix(hp, "[") {
				end := strings.IndexByte(hp, ']')
				if end < 0 {
					return nil, errors.New("invalid connection URI: missing \"]\" in an IPv6 host")
				}
				host, port = hp[1:end], strings.TrimPrefix(hp[end+1:], ":")
			} else if i := strings.LastIndexByte(hp, ':'); i >= 0 {
				host, port = hp[:i], hp[i+1:]
			}
			h, err := dec("host", host)
			if err != nil {
				return nil, err
			}
			hosts, ports = append(hosts, h), append(ports, port)
			anyPort = anyPort || port != ""
		}
		out = append(out, Setting{"host", strings.Join(hosts, ",")})
		if anyPort {
			out = append(out, Setting{"port", strings.Join(ports, ",")})
		}
	}
	if path != "" {
		db, err := dec("database", path)
		if err != nil {
			return nil, err
		}
		out = append(out, Setting{"dbname", db})
	}
	if query != "" {
		for _, pair := range strings.Split(query, "&") {
			if pair == "" {
				continue
			}
			k, v, ok := strings.Cut(pair, "=")
			if !ok {
				return nil, fmt.Errorf("invalid connection URI: parameter %q has no value", k)
			}
			key, err := url.QueryUnescape(k)
			if err != nil {
				return nil, fmt.Errorf("invalid connection URI: bad escape in parameter %q", k)
			}
			val, err := url.QueryUnescape(v)
			if err != nil {
				return nil, fmt.Errorf("invalid connection URI: bad escape in parameter %q", key)
			}
			out = append(out, Setting{canonicalKey(key), val})
		}
	}
	return out, nil
}

func parseConninfo(s string) ([]Setting, error) {
	var out []Setting
	isSpace := func(c byte) bool { return strings.IndexByte(" \t\n\r\v\f", c) >= 0 }
	i := 0
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i == len(s) {
			return out, nil
		}
		start := i
		for i < len(s) && s[i] != '=' && !isSpace(s[i]) {
			i++
		}
		key := s[start:i]
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i == len(s) || s[i] != '=' || key == "" {
			return nil, fmt.Errorf("invalid connection string: missing \"=\" after %q", key)
		}
		i++
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		var val strings.Builder
		if i < len(s) && s[i] == '\'' {
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					val.WriteByte(s[i+1])
					i += 2
					continue
				}
				i++
				if c == '\'' {
					closed = true
					break
				}
				val.WriteByte(c)
			}
			if !closed {
				return nil, fmt.Errorf("invalid connection string: unterminated quoted value of %q", key)
			}
		} else {
			for i < len(s) && !isSpace(s[i]) {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				val.WriteByte(s[i])
				i++
			}
		}
		out = append(out, Setting{key, val.String()})
	}
}

// Defaults are what libpq uses for what a connection string leaves out
// when no PG* variable says otherwise: an environment's own address is
// resolved with these only, so the caller's PGHOST or PGPORT can never make
// a partial DSN (dbname=app) match a server it does not name.
type Defaults struct {
	Host string // "" = the first of /var/run/postgresql, /private/tmp, /tmp that exists, else localhost
	Port uint16 // 0 = 5432
	User string // the operating-system user
	// ServiceFiles are searched in order for service=NAME when the DSN
	// names no servicefile.
	ServiceFiles []string
	// Read keeps each service file read once, so resolving n environments
	// of one service file costs n lookups, not n reads of the file. nil
	// reads the file every time.
	Read *ServiceFiles
}

// ServiceFiles remembers the service files read while resolving a config.
// The zero value is ready to use; it is not safe for concurrent use.
type ServiceFiles struct {
	files map[string]serviceFile
}

type serviceFile struct {
	sf  *pgservicefile.Servicefile
	err error
}

func (r *ServiceFiles) read(path string) (*pgservicefile.Servicefile, error) {
	if r == nil {
		return pgservicefile.ReadServicefile(path)
	}
	if f, ok := r.files[path]; ok {
		return f.sf, f.err
	}
	sf, err := pgservicefile.ReadServicefile(path)
	if r.files == nil {
		r.files = map[string]serviceFile{}
	}
	r.files[path] = serviceFile{sf, err}
	return sf, err
}

// LibpqDefaults are the defaults of this machine: libpq's socket
// directories, port 5432, the OS user, and the service files libpq reads
// (PGSERVICEFILE or ~/.pg_service.conf, then PGSYSCONFDIR/pg_service.conf):
// the variables that say where service definitions live are honoured, the
// ones that say where to connect are not.
func LibpqDefaults(getenv func(string) string, osUser string) Defaults {
	d := Defaults{Port: 5432, User: osUser, Read: &ServiceFiles{}}
	for _, dir := range []string{"/var/run/postgresql", "/private/tmp", "/tmp"} {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			d.Host = dir
			break
		}
	}
	if d.Host == "" {
		d.Host = "localhost"
	}
	if f := getenv("PGSERVICEFILE"); f != "" {
		d.ServiceFiles = append(d.ServiceFiles, f)
	} else if home, err := os.UserHomeDir(); err == nil {
		d.ServiceFiles = append(d.ServiceFiles, filepath.Join(home, ".pg_service.conf"))
	}
	if dir := getenv("PGSYSCONFDIR"); dir != "" {
		d.ServiceFiles = append(d.ServiceFiles, filepath.Join(dir, "pg_service.conf"))
	}
	return d
}

// Parse resolves an environment's DSN to where it connects with d's
// defaults and no PG* variable. The Config has only Host, Port, Database,
// User and Fallbacks: enough for ResolveContext, not for connecting.
func (d Defaults) Parse(dsn string) (*pgconn.Config, error) {
	list, err := ParseSettings(dsn)
	if err != nil {
		return nil, err
	}
	own := map[string]string{}
	for _, s := range list {
		own[canonicalKey(s.Key)] = s.Value
	}
	settings := map[string]string{}
	if svc := own["service"]; svc != "" {
		svcSettings, err := d.service(svc, own["servicefile"])
		if err != nil {
			return nil, err
		}
		for k, v := range svcSettings {
			settings[canonicalKey(k)] = v
		}
	}
	for k, v := range own {
		settings[k] = v
	}
	user := settings["user"]
	if user == "" {
		user = d.User
	}
	db := settings["dbname"]
	if db == "" {
		db = user
	}
	defHost, defPort := d.Host, d.Port
	if defHost == "" {
		defHost = "localhost"
	}
	if defPort == 0 {
		defPort = 5432
	}
	hosts := strings.Split(settings["host"], ",")
	ports := strings.Split(settings["port"], ",")
	if len(ports) != 1 && len(ports) != len(hosts) {
		return nil, fmt.Errorf("could not match %d port numbers to %d hosts", len(ports), len(hosts))
	}
	cfg := &pgconn.Config{Database: db, User: user}
	for i, h := range hosts {
		if h == "" {
			h = defHost
		}
		p := ports[0]
		if len(ports) > 1 {
			p = ports[i]
		}
		port := defPort
		if p != "" {
			n, err := strconv.ParseUint(p, 10, 16)
			if err != nil || n == 0 {
				return nil, fmt.Errorf("invalid port %q", p)
			}
			port = uint16(n)
		}
		if i == 0 {
			cfg.Host, cfg.Port = h, port
		}
		cfg.Fallbacks = append(cfg.Fallbacks, &pgconn.FallbackConfig{Host: h, Port: port})
	}
	return cfg, nil
}

// service reads service name's settings from file, or from the first of
// d.ServiceFiles that defines it.
func (d Defaults) service(name, file string) (map[string]string, error) {
	files := d.ServiceFiles
	if file != "" {
		files = []string{file}
	}
	for _, f := range files {
		sf, err := d.Read.read(f)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) && file == "" {
				continue
			}
			return nil, fmt.Errorf("failed to read service file %s: %w", f, err)
		}
		if s, err := sf.GetService(name); err == nil {
			return s.Settings, nil
		}
	}
	return nil, fmt.Errorf("definition of service %q not found", name)
}

// canonicalKey maps the URI spellings libpq accepts to the keywords.
func canonicalKey(k string) string {
	switch k {
	case "database":
		return "dbname"
	case "username":
		return "user"
	}
	return k
}
