package envs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Paths names the config files, system first. An empty path is skipped; a
// missing file is skipped unless its path was asked for explicitly
// (SAFESQL_SYSTEM_CONFIG, SAFESQL_CONFIG or a flag), where it is an error.
type Paths struct {
	System, User                 string
	SystemExplicit, UserExplicit bool
}

// DefaultPaths finds the config files the way safesql documents them:
// SAFESQL_SYSTEM_CONFIG or /etc/safesql/config.toml, then SAFESQL_CONFIG,
// $XDG_CONFIG_HOME/safesql/config.toml or ~/.config/safesql/config.toml.
// getenv is os.Getenv outside tests.
func DefaultPaths(getenv func(string) string) Paths {
	var p Paths
	if v := getenv("SAFESQL_SYSTEM_CONFIG"); v != "" {
		p.System, p.SystemExplicit = v, true
	} else {
		p.System = "/etc/safesql/config.toml"
	}
	switch {
	case getenv("SAFESQL_CONFIG") != "":
		p.User, p.UserExplicit = getenv("SAFESQL_CONFIG"), true
	case getenv("XDG_CONFIG_HOME") != "":
		p.User = filepath.Join(getenv("XDG_CONFIG_HOME"), "safesql", "config.toml")
	case getenv("HOME") != "":
		p.User = filepath.Join(getenv("HOME"), ".config", "safesql", "config.toml")
	}
	return p
}

// Error is one problem in a config file, positioned so an editor can jump
// to it: "file:line: key: message".
type Error struct {
	File string
	Line int    // 1-based; 0 when the problem is the whole file
	Key  string // dotted TOML key, "" when none applies
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// LoadContext reads the system file, then the user file, and merges them
// into a Config: user keys override system keys per environment, defaults
// fill the rest by tier (an environment without a tier is production), and
// the system file's [policy.<tier>] tables are applied as floors that no
// file may weaken. Every problem is reported, sorted by file and line, as
// *Error values joined with errors.Join.
//
// It returns as soon as ctx is done, with an error
// that wraps the context's cause (for a signal.NotifyContext, the signal),
// so a SIGTERM is obeyed however large the config. The abandoned load
// finishes in the background in time linear in the files' size.
func LoadContext(ctx context.Context, paths Paths) (*Config, error) {
	type result struct {
		cfg *Config
		err error
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("load config: %w", context.Cause(ctx))
	}
	done := make(chan result, 1)
	go func() {
		cfg, err := load(paths)
		done <- result{cfg, err}
	}()
	select {
	case r := <-done:
		return r.cfg, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("load config: %w", context.Cause(ctx))
	}
}

func load(paths Paths) (*Config, error) {
	var files []*file
	var errs []error
	for _, src := range []struct {
		path             string
		explicit, system bool
	}{{paths.System, paths.SystemExplicit, true}, {paths.User, paths.UserExplicit, false}} {
		if src.path == "" {
			continue
		}
		f, ferrs := readFile(src.path, src.explicit, src.system)
		errs = append(errs, ferrs...)
		if f != nil {
			files = append(files, f)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return merge(files)
}

// readFile returns nil, nil for a missing file nobody asked for by name.
func readFile(path string, explicit, system bool) (*file, []error) {
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil, nil
	}
	if err != nil {
		return nil, []error{fmt.Errorf("read config: %w", err)}
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return nil, []error{fmt.Errorf("read config: %w", err)}
	}
	data, err := io.ReadAll(fh)
	if err != nil {
		return nil, []error{fmt.Errorf("read config: %w", err)}
	}
	f, errs := parse(path, data, system)
	if len(errs) == 0 {
		errs = append(errs, checkPerm(f, info.Mode().Perm())...)
	}
	return f, errs
}

// checkPerm refuses a file that holds a plain password and that others can
// read, as ssh refuses such a key: the fix is one chmod away.
func checkPerm(f *file, perm fs.FileMode) []error {
	if len(f.secrets) == 0 || perm&0o044 == 0 {
		return nil
	}
	s := f.secrets[0]
	return []error{&Error{File: f.path, Line: s.line, Key: s.key, Msg: fmt.Sprintf(
		"the file holds a plain password and is readable by group or others (mode %04o); "+
			"run: chmod 600 %s (or use password_command or passfile)", perm, f.path)}}
}

// setting is one key as written, its value already checked and converted.
type setting struct {
	file string
	line int
	key  string // dotted, as shown in messages
	val  any    // bool, string, Tier, time.Duration or []string
}

func (s setting) where() string { return s.file + ":" + strconv.Itoa(s.line) }

// file is one config file after parsing and checking.
type file struct {
	path    string
	system  bool
	top     map[string]setting // unknown_tier, production_markers, theme.tint, theme.title
	envs    map[string]*rawEnv
	order   []string
	policy  map[Tier]map[string]setting
	secrets []setting // plain passwords: envs.X.password, or a DSN that holds one
}

type rawEnv struct {
	line   int
	key    string
	fields map[string]setting // keyed by the env key ("read_only", "audit.path")
}

type kind int

const (
	kBool kind = iota
	kString
	kNonEmpty
	kTier
	kDuration
	kColor
	kArgv
	kStrings
	kDSN
	kPassword
	kAudit // bool, or a table of auditKeys
	kCount // a whole number of rows, at least 1
)

var (
	topKeys = map[string]kind{"unknown_tier": kTier, "production_markers": kStrings, "envs": -1, "policy": -1, "theme": -1}
	envKeys = map[string]kind{
		"dsn": kDSN, "tier": kTier, "label": kString, "color": kColor, "confirm_word": kNonEmpty,
		"read_only": kBool, "autocommit": kBool, "allow_shell": kBool,
		"statement_timeout": kDuration, "lock_timeout": kDuration,
		"idle_in_transaction_session_timeout": kDuration, "dry_run_timeout": kDuration,
		"transaction_warning": kDuration, "ask_count_above": kCount,
		"password_command": kArgv, "passfile": kNonEmpty, "password": kPassword, "audit": kAudit,
	}
	auditKeys  = map[string]kind{"enabled": kBool, "path": kNonEmpty, "syslog": kBool}
	policyKeys = map[string]kind{
		"read_only": kBool, "autocommit": kBool, "confirm_word": kNonEmpty, "audit": kBool, "allow_shell": kBool,
		"statement_timeout": kDuration, "lock_timeout": kDuration,
		"idle_in_transaction_session_timeout": kDuration, "dry_run_timeout": kDuration,
	}
	themeKeys = map[string]kind{"tint": kBool, "title": kBool, "highlight": kBool}
)

func keysOf(m map[string]kind) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

type parser struct {
	f     *file
	lines map[string]int // "\x00"-joined key path -> line of its first mention
	errs  []*Error
}

// parse checks one file. The TOML itself is decoded in one linear pass over
// go-toml's parser (decodeFast), or by go-toml's Unmarshal when that pass
// gives up; a second pass records where every key sits, so schema errors
// can name a line.
func parse(path string, data []byte, system bool) (*file, []error) {
	f := &file{path: path, system: system, top: map[string]setting{}, envs: map[string]*rawEnv{}, policy: map[Tier]map[string]setting{}}
	root, ok := decodeFast(data)
	if !ok {
		if err := toml.Unmarshal(data, &root); err != nil {
			var de *toml.DecodeError
			if errors.As(err, &de) {
				line, _ := de.Position()
				key := keyString(de.Key())
				// go-toml gives the key relative to its table; walking the keys
				// (with a parser that does not check duplicates) finds the
				// full path of the key on that line.
				if full := keyAt(data, line); len(full) > 0 {
					key = keyString(full)
				}
				return f, []error{&Error{File: path, Line: line, Key: key, Msg: strings.TrimPrefix(de.Error(), "toml: ")}}
			}
			return f, []error{&Error{File: path, Msg: err.Error()}}
		}
	}
	p := &parser{f: f, lines: keyLines(data)}
	p.root(root)
	slices.SortStableFunc(p.errs, func(a, b *Error) int { return a.Line - b.Line })
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return f, errs
}

// keyLines maps every key path in data to the line where it first appears:
// table headers, keys (dotted or not) and keys inside inline tables.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	walkKeys(data, func(path []string, line int) {
		k := strings.Join(path, "\x00")
		if _, ok := lines[k]; !ok {
			lines[k] = line
		}
	})
	return lines
}

// keyAt returns the longest key path written on line, or nil.
func keyAt(data []byte, line int) []string {
	var best []string
	walkKeys(data, func(path []string, l int) {
		if l == line && len(path) > len(best) {
			best = slices.Clone(path)
		}
	})
	return best
}

// walkKeys calls fn for every key go-toml's parser sees, with its full path
// and line, up to the first syntax error.
func walkKeys(data []byte, fn func(path []string, line int)) {
	var p unstable.Parser
	p.Reset(data)
	lines := newLineIndex(data)
	lineOf := func(n *unstable.Node) int { return lines.line(int(n.Raw.Offset)) }
	var table []string
	var keyval func(prefix []string, n *unstable.Node)
	keyval = func(prefix []string, n *unstable.Node) {
		path := slices.Clone(prefix)
		it := n.Key()
		for it.Next() {
			path = append(path, string(it.Node().Data))
			fn(path, lineOf(it.Node()))
		}
		if v := n.Value(); v.Kind == unstable.InlineTable {
			kids := v.Children()
			for kids.Next() {
				if kids.Node().Kind == unstable.KeyValue {
					keyval(path, kids.Node())
				}
			}
		}
	}
	for p.NextExpression() {
		n := p.Expression()
		switch n.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = table[:0]
			it := n.Key()
			for it.Next() {
				table = append(table, string(it.Node().Data))
				fn(table, lineOf(it.Node()))
			}
		case unstable.KeyValue:
			keyval(table, n)
		}
	}
}

// line finds where path, or failing that its nearest parent, was written.
func (p *parser) line(path []string) int {
	for i := len(path); i > 0; i-- {
		if l, ok := p.lines[strings.Join(path[:i], "\x00")]; ok {
			return l
		}
	}
	return 0
}

// isBareKey reports whether s can be written unquoted: [A-Za-z0-9_-]+.
func isBareKey(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return s != ""
}

// keyString writes a key path the way TOML would, quoting parts that need it.
func keyString(path []string) string {
	parts := make([]string, len(path))
	for i, s := range path {
		if isBareKey(s) {
			parts[i] = s
		} else {
			parts[i] = strconv.Quote(s)
		}
	}
	return strings.Join(parts, ".")
}

func (p *parser) errorf(path []string, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.f.path, Line: p.line(path), Key: keyString(path), Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) unknown(path []string, valid map[string]kind, where string) {
	msg := "unknown key"
	if where != "" {
		msg += " in " + where
	}
	if s := suggest(path[len(path)-1], keysOf(valid)); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else {
		msg += "; valid keys: " + strings.Join(keysOf(valid), ", ")
	}
	p.errorf(path, "%s", msg)
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func (p *parser) table(path []string, v any, example string) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		p.errorf(path, "want a table such as %s, got %s", example, typeName(v))
	}
	return m, ok
}

func (p *parser) root(root map[string]any) {
	for _, k := range sortedKeys(root) {
		path := []string{k}
		v := root[k]
		switch k {
		case "unknown_tier", "production_markers":
			if val, ok := p.value(path, topKeys[k], v); ok {
				p.f.top[k] = p.setting(path, val)
			}
		case "envs":
			if m, ok := p.table(path, v, "[envs.NAME]"); ok {
				p.envs(m)
			}
		case "policy":
			if m, ok := p.table(path, v, "[policy.production]"); ok {
				p.policies(m)
			}
		case "theme":
			if m, ok := p.table(path, v, "[theme]"); ok {
				for _, tk := range sortedKeys(m) {
					tp := []string{"theme", tk}
					kd, known := themeKeys[tk]
					if !known {
						p.unknown(tp, themeKeys, "[theme]")
						continue
					}
					if val, ok := p.value(tp, kd, m[tk]); ok {
						p.f.top["theme."+tk] = p.setting(tp, val)
					}
				}
			}
		default:
			p.unknown(path, topKeys, "")
		}
	}
}

var envName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

func (p *parser) envs(m map[string]any) {
	names := sortedKeys(m)
	slices.SortStableFunc(names, func(a, b string) int {
		return p.line([]string{"envs", a}) - p.line([]string{"envs", b})
	})
	for _, name := range names {
		path := []string{"envs", name}
		em, ok := p.table(path, m[name], "[envs."+name+"]")
		if !ok {
			continue
		}
		if !envName.MatchString(name) {
			p.errorf(path, "invalid environment name %q: use letters, digits, '_', '-' and '.', starting with a letter or digit", name)
			continue
		}
		re := &rawEnv{line: p.line(path), key: keyString(path), fields: map[string]setting{}}
		p.f.envs[name] = re
		p.f.order = append(p.f.order, name)
		for _, k := range sortedKeys(em) {
			kp := []string{"envs", name, k}
			kd, known := envKeys[k]
			if !known {
				p.unknown(kp, envKeys, "an environment")
				continue
			}
			if kd == kAudit {
				p.audit(re, kp, em[k])
				continue
			}
			val, ok := p.value(kp, kd, em[k])
			if !ok {
				continue
			}
			s := p.setting(kp, val)
			re.fields[k] = s
			if kd == kPassword || (kd == kDSN && dsnHasPassword(val.(string))) {
				p.f.secrets = append(p.f.secrets, s)
			}
		}
	}
}

func (p *parser) audit(re *rawEnv, path []string, v any) {
	if b, ok := v.(bool); ok {
		re.fields["audit.enabled"] = p.setting(path, b)
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		p.errorf(path, "want true, false or a table such as { enabled = true, path = \"/var/log/safesql/audit.log\" }, got %s", typeName(v))
		return
	}
	for _, k := range sortedKeys(m) {
		kp := append(slices.Clone(path), k)
		kd, known := auditKeys[k]
		if !known {
			p.unknown(kp, auditKeys, "audit")
			continue
		}
		if val, ok := p.value(kp, kd, m[k]); ok {
			re.fields["audit."+k] = p.setting(kp, val)
		}
	}
}

func (p *parser) policies(m map[string]any) {
	for _, name := range sortedKeys(m) {
		path := []string{"policy", name}
		if !p.f.system {
			p.errorf(path, "[policy.%s] is honoured only in the system file; ask the administrator to set it there, or remove it", name)
			continue
		}
		tier, err := ParseTier(name)
		if err != nil {
			p.errorf(path, "%v", err)
			continue
		}
		pm, ok := p.table(path, m[name], "[policy."+name+"]")
		if !ok {
			continue
		}
		floors := map[string]setting{}
		p.f.policy[tier] = floors
		for _, k := range sortedKeys(pm) {
			kp := []string{"policy", name, k}
			kd, known := policyKeys[k]
			if !known {
				p.unknown(kp, policyKeys, "a policy")
				continue
			}
			if val, ok := p.value(kp, kd, pm[k]); ok {
				floors[k] = p.setting(kp, val)
			}
		}
	}
}

func (p *parser) setting(path []string, val any) setting {
	return setting{file: p.f.path, line: p.line(path), key: keyString(path), val: val}
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64:
		return "an integer"
	case float64:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	default:
		return "a date or time"
	}
}

var (
	hexColor  = regexp.MustCompile(`^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$`)
	bareDigit = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
)

// value checks v against kind k and converts it.
func (p *parser) value(path []string, k kind, v any) (any, bool) {
	bad := func(format string, args ...any) (any, bool) {
		p.errorf(path, format, args...)
		return nil, false
	}
	switch k {
	case kBool:
		if b, ok := v.(bool); ok {
			return b, true
		}
		if s, ok := v.(string); ok && (s == "true" || s == "false") {
			return bad("want true or false without quotes, got the string %q", s)
		}
		return bad("want true or false, got %s", typeName(v))
	case kString, kNonEmpty, kDSN, kPassword:
		s, ok := v.(string)
		if !ok {
			return bad("want a string, got %s", typeName(v))
		}
		if k != kString && strings.TrimSpace(s) == "" {
			return bad("must not be empty")
		}
		return s, true
	case kTier:
		s, ok := v.(string)
		if !ok {
			return bad("want a tier (production, staging, development or local), got %s", typeName(v))
		}
		t, err := ParseTier(s)
		if err != nil {
			return bad("%v", err)
		}
		return t, true
	case kCount:
		n, ok := v.(int64)
		if !ok {
			if s, isStr := v.(string); isStr {
				return bad("want a number of rows without quotes, such as 1000, got the string %q", s)
			}
			return bad("want a number of rows such as 1000, got %s", typeName(v))
		}
		if n < 1 {
			return bad("want a number of rows of at least 1, got %d (1 asks for the count of every statement that changes more than one row)", n)
		}
		return n, true
	case kDuration:
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case int64:
			s = strconv.FormatInt(x, 10)
			return bad("invalid duration %s: write it as a string with a unit, such as \"%ss\" or \"%sms\"", s, s, s)
		default:
			return bad("want a duration such as \"30s\", got %s", typeName(v))
		}
		d, err := ParseDuration(s)
		if err != nil {
			return bad("%v", err)
		}
		return d, true
	case kColor:
		switch x := v.(type) {
		case string:
			if hexColor.MatchString(x) {
				return x, true
			}
			if n, err := strconv.Atoi(x); err == nil && n >= 0 && n <= 255 {
				return x, true
			}
			return bad("invalid colour %q: want \"#rrggbb\", \"#rgb\" or an ANSI colour number 0-255", x)
		case int64:
			if x >= 0 && x <= 255 {
				return strconv.FormatInt(x, 10), true
			}
			return bad("invalid colour %d: an ANSI colour number is 0-255", x)
		default:
			return bad("want a colour such as \"#d70000\", got %s", typeName(v))
		}
	case kArgv, kStrings:
		arr, ok := v.([]any)
		if !ok {
			if k == kArgv {
				return bad("want an argv array such as [\"op\", \"read\", \"op://db/prod/password\"] (it runs without a shell), got %s", typeName(v))
			}
			return bad("want an array of strings, got %s", typeName(v))
		}
		out := make([]string, 0, len(arr))
		for i, e := range arr {
			s, ok := e.(string)
			if !ok {
				return bad("element %d: want a string, got %s", i+1, typeName(e))
			}
			out = append(out, s)
		}
		if k == kArgv && (len(out) == 0 || out[0] == "") {
			return bad("must name a program")
		}
		return out, true
	}
	return bad("internal error: unknown kind %d", k)
}

// ParseDuration reads a timeout the way the config writes it: Go's units
// (ms, s, m, h) plus PostgreSQL's "min" and "d". A bare number is an error:
// PostgreSQL would read "30" as milliseconds, a human as seconds.
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if bareDigit.MatchString(t) {
		return 0, fmt.Errorf("invalid duration %q: missing unit (did you mean \"%ss\" or \"%sms\"?)", s, t, t)
	}
	g := strings.ReplaceAll(t, "min", "m")
	if strings.HasSuffix(g, "d") {
		n, err := strconv.ParseFloat(strings.TrimSuffix(g, "d"), 64)
		if err == nil && n >= 0 {
			return time.Duration(n * float64(24*time.Hour)), nil
		}
	}
	d, err := time.ParseDuration(g)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q: want a number with a unit: ms, s, min, h or d, such as \"30s\"", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("invalid duration %q: must not be negative", s)
	}
	return d, nil
}

var conninfoPassword = regexp.MustCompile(`(^|\s)password\s*=`)

// dsnHasPassword reports whether a DSN carries a password itself, which
// makes the file holding it as sensitive as a password key.
func dsnHasPassword(dsn string) bool {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return strings.Contains(dsn, "password")
		}
		if _, ok := u.User.Password(); ok {
			return true
		}
		return u.Query().Has("password")
	}
	return conninfoPassword.MatchString(dsn)
}
