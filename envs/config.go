package envs

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Config is the merged configuration.
type Config struct {
	// UnknownTier is the tier of a connection no environment matches:
	// production unless a file says otherwise.
	UnknownTier Tier
	// Markers are lower-case substrings that say "production" when found in
	// a host or database name; "prod" is always one of them.
	Markers []string
	Theme   ThemeConfig
	// Files lists the files that were read, system first.
	Files []string

	names []string
	envs  map[string]*Env
	// Set by ResolveContext: the environments at an address, in the order of
	// names, and each environment's place in names.
	byAddr   map[Addr][]*Env
	rank     map[*Env]int
	policies map[Tier]map[string]setting
}

// ThemeConfig is the [theme] table.
type ThemeConfig struct {
	// Tint lets the front end tint the terminal background in production
	// (when the terminal answers the background-colour query). Default true.
	Tint bool
	// Title lets the front end set the terminal title. Default true.
	Title bool
	// Highlight colours the SQL being typed. Default true.
	Highlight bool
}

// Names returns the environment names in the order the files define them,
// system file first.
func (c *Config) Names() []string { return slices.Clone(c.names) }

// Envs returns the environments in the order of Names.
func (c *Config) Envs() []*Env {
	out := make([]*Env, len(c.names))
	for i, n := range c.names {
		out[i] = c.envs[n]
	}
	return out
}

// Lookup returns the environment called name.
func (c *Config) Lookup(name string) (*Env, bool) {
	e, ok := c.envs[name]
	return e, ok
}

func merge(files []*file) (*Config, error) {
	c := &Config{UnknownTier: Production, Markers: []string{"prod"}, Theme: ThemeConfig{Tint: true, Title: true, Highlight: true},
		envs: map[string]*Env{}, policies: map[Tier]map[string]setting{}}
	var errs []*Error
	fail := func(s setting, format string, args ...any) {
		errs = append(errs, &Error{File: s.file, Line: s.line, Key: s.key, Msg: fmt.Sprintf(format, args...)})
	}

	var sysUnknown *setting
	for _, f := range files {
		c.Files = append(c.Files, f.path)
		if f.system {
			c.policies = f.policy
		}
		if s, ok := f.top["unknown_tier"]; ok {
			t := s.val.(Tier)
			if sysUnknown != nil && sysUnknown.val.(Tier).StricterThan(t) {
				fail(s, "unknown_tier = %q is less strict than unknown_tier = %q set in %s", t, sysUnknown.val, sysUnknown.where())
			} else {
				c.UnknownTier = t
			}
			if f.system {
				sysUnknown = &s
			}
		}
		if s, ok := f.top["production_markers"]; ok {
			for _, m := range s.val.([]string) {
				if m = strings.ToLower(m); m != "" && !slices.Contains(c.Markers, m) {
					c.Markers = append(c.Markers, m)
				}
			}
		}
		if s, ok := f.top["theme.tint"]; ok {
			c.Theme.Tint = s.val.(bool)
		}
		if s, ok := f.top["theme.title"]; ok {
			c.Theme.Title = s.val.(bool)
		}
		if s, ok := f.top["theme.highlight"]; ok {
			c.Theme.Highlight = s.val.(bool)
		}
	}

	// Merge environments key by key: a user file may add its own password
	// command to an environment the administrator defined.
	type merged struct {
		env     *Env
		header  setting
		fields  map[string]setting
		sysTier *setting // tier the system file gave it (or its default)
	}
	var all []*merged
	byName := map[string]*merged{}
	for _, f := range files {
		for _, name := range f.order {
			re := f.envs[name]
			m := byName[name]
			if m == nil {
				m = &merged{env: &Env{Name: name, Source: f.path}, header: setting{file: f.path, line: re.line, key: re.key}, fields: map[string]setting{}}
				byName[name] = m
				all = append(all, m)
				c.names = append(c.names, name)
				if f.system {
					t := setting{file: f.path, line: re.line, key: re.key + ".tier", val: Production}
					if s, ok := re.fields["tier"]; ok {
						t = s
					}
					m.sysTier = &t
				}
			} else if len(re.fields) > 0 {
				m.env.OverriddenBy = f.path
			}
			for k, s := range re.fields {
				m.fields[k] = s
			}
		}
	}

	for _, m := range all {
		e, fs := m.env, m.fields
		e.Tier = Production
		if s, ok := fs["tier"]; ok {
			e.Tier = s.val.(Tier)
			if m.sysTier != nil && m.sysTier.file != s.file && m.sysTier.val.(Tier).StricterThan(e.Tier) {
				fail(s, "tier = %q lowers environment %q, which %s defines as %s", e.Tier, e.Name, m.sysTier.where(), m.sysTier.val)
			}
		}
		dsn, ok := fs["dsn"]
		if !ok {
			fail(m.header, "environment %q has no dsn; add dsn = \"service=%s\" or a conninfo string or URI", e.Name, e.Name)
			continue
		}
		e.DSN = dsn.val.(string)
		set := map[string]bool{}
		for k, s := range fs {
			set[k] = true
			assign(e, k, s.val)
		}
		e.defaults(set)
		for key, floor := range c.policies[e.Tier] {
			field := key
			if key == "audit" {
				field = "audit.enabled"
			}
			s, explicit := fs[field]
			if !explicit {
				assign(e, field, floor.val)
				continue
			}
			if weaker(key, s.val, floor.val) {
				fail(s, "%s = %s weakens the policy %s = %s set in %s", s.key, show(s.val), floor.key, show(floor.val), floor.where())
			}
		}
		c.envs[e.Name] = e
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *Error) int {
			if a.File != b.File {
				return slices.Index(c.Files, a.File) - slices.Index(c.Files, b.File)
			}
			return a.Line - b.Line
		})
		out := make([]error, len(errs))
		for i, e := range errs {
			out[i] = e
		}
		return nil, errors.Join(out...)
	}
	return c, nil
}

// assign sets one env key on e; values were checked when parsed.
func assign(e *Env, key string, v any) {
	switch key {
	case "dsn":
		e.DSN = v.(string)
	case "tier":
		e.Tier = v.(Tier)
	case "label":
		e.Label = v.(string)
	case "color":
		e.Color = v.(string)
	case "confirm_word":
		e.ConfirmWord = v.(string)
	case "read_only":
		e.ReadOnly = v.(bool)
	case "autocommit":
		e.Autocommit = v.(bool)
	case "allow_shell":
		e.AllowShell = v.(bool)
	case "statement_timeout":
		e.StatementTimeout = v.(time.Duration)
	case "lock_timeout":
		e.LockTimeout = v.(time.Duration)
	case "idle_in_transaction_session_timeout":
		e.IdleInTxTimeout = v.(time.Duration)
	case "dry_run_timeout":
		e.DryRunTimeout = v.(time.Duration)
	case "transaction_warning":
		e.TxWarning = v.(time.Duration)
	case "ask_count_above":
		e.AskCountAbove = v.(int64)
	case "password_command":
		e.PasswordCommand = slices.Clone(v.([]string))
	case "passfile":
		e.Passfile = v.(string)
	case "password":
		pw := v.(string)
		e.password = &pw
	case "audit.enabled":
		e.Audit.Enabled = v.(bool)
	case "audit.syslog":
		e.Audit.Syslog = v.(bool)
	case "audit.path":
		e.Audit.Path = v.(string)
	}
}

// weaker reports whether an environment's value v gives less protection
// than the policy's floor f for policy key key.
func weaker(key string, v, f any) bool {
	switch key {
	case "read_only", "audit":
		return f.(bool) && !v.(bool)
	case "autocommit", "allow_shell":
		return !f.(bool) && v.(bool)
	case "confirm_word":
		return v.(string) != f.(string)
	default: // timeouts: the policy is a ceiling, and 0 (no timeout) exceeds any
		fd, vd := f.(time.Duration), v.(time.Duration)
		return fd > 0 && (vd == 0 || vd > fd)
	}
}

func show(v any) string {
	switch x := v.(type) {
	case string, Tier:
		return fmt.Sprintf("%q", x)
	case time.Duration:
		return fmt.Sprintf("%q", x.String())
	default:
		return fmt.Sprint(x)
	}
}

// Check tells whether e, typically a copy of a configured environment with
// command-line flags applied on top, still honours the system file's policy
// for its tier. The error names the setting and where the floor was set.
func (c *Config) Check(e *Env) error {
	var errs []error
	keys := make([]string, 0, len(c.policies[e.Tier]))
	for k := range c.policies[e.Tier] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		floor := c.policies[e.Tier][key]
		var v any
		switch key {
		case "read_only":
			v = e.ReadOnly
		case "autocommit":
			v = e.Autocommit
		case "allow_shell":
			v = e.AllowShell
		case "confirm_word":
			v = e.ConfirmWord
		case "audit":
			v = e.Audit.Enabled
		case "statement_timeout":
			v = e.StatementTimeout
		case "lock_timeout":
			v = e.LockTimeout
		case "idle_in_transaction_session_timeout":
			v = e.IdleInTxTimeout
		case "dry_run_timeout":
			v = e.DryRunTimeout
		}
		if weaker(key, v, floor.val) {
			errs = append(errs, fmt.Errorf("%s = %s for environment %q weakens the policy %s = %s set in %s", key, show(v), e.Name, floor.key, show(floor.val), floor.where()))
		}
	}
	return errors.Join(errs...)
}
