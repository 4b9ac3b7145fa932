package envs

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// ParseFunc resolves an environment's DSN to its address: Defaults.Parse
// outside tests (service files and libpq's defaults, never the caller's
// PG* variables: an environment's address is the one its DSN names).
type ParseFunc func(dsn string) (*pgconn.Config, error)

// ResolveContext resolves every environment's DSN with parse, so Match
// and Warnings can compare addresses. An environment whose DSN does not
// resolve (a missing service file, say) keeps the error and matches
// nothing; Warnings reports it. It stops, returning the context's cause,
// when ctx is done: a config of many environments must not outlive a
// SIGTERM.
func (c *Config) ResolveContext(ctx context.Context, parse ParseFunc) error {
	c.byAddr, c.rank = map[Addr][]*Env{}, make(map[*Env]int, len(c.names))
	for i, name := range c.names {
		if i%1024 == 0 && ctx.Err() != nil {
			return fmt.Errorf("resolve environments: %w", context.Cause(ctx))
		}
		e := c.envs[name]
		c.rank[e] = i
		e.addrs, e.resolveErr = nil, nil
		cfg, err := parse(e.DSN)
		if err != nil {
			e.resolveErr = fmt.Errorf("resolve dsn of environment %q: %s", e.Name, redactErr(err))
			continue
		}
		e.addrs = AddrsOf(cfg)
		for _, a := range e.addrs {
			c.byAddr[a] = append(c.byAddr[a], e)
		}
	}
	return nil
}

// redactErr keeps pgconn's message but drops anything after "password=".
func redactErr(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "password="); i >= 0 {
		end := strings.IndexAny(msg[i:], " \t'\"")
		if end < 0 {
			end = len(msg) - i
		}
		msg = msg[:i] + "password=xxxxx" + msg[i+end:]
	}
	return msg
}

// AddrsOf lists where a parsed connection can go: its host and every
// fallback, with the database (the user name when none is given, as libpq
// does).
func AddrsOf(cfg *pgconn.Config) []Addr {
	db := cfg.Database
	if db == "" {
		db = cfg.User
	}
	out := []Addr{{Host: normHost(cfg.Host), Port: cfg.Port, Database: db}}
	for _, fb := range cfg.Fallbacks {
		a := Addr{Host: normHost(fb.Host), Port: fb.Port, Database: db}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// normHost makes the spellings of one host compare equal: case, a trailing
// dot, and the loopback names (an SSH tunnel to production listens on
// localhost, 127.0.0.1 or ::1 alike).
func normHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	switch h {
	case "127.0.0.1", "::1", "[::1]", "localhost":
		return "localhost"
	}
	if len(h) > 1 && strings.HasPrefix(h, "/") {
		h = strings.TrimSuffix(h, "/")
	}
	return h
}

func (a Addr) String() string {
	return fmt.Sprintf("%s:%d/%s", a.Host, a.Port, a.Database)
}

// Match finds the environment a connection belongs to by its resolved
// host, port and database (call ResolveContext first). When several environments
// share the address, the strictest tier wins, so a copy of production
// under a friendlier name still gets production's rules. nil means none
// matches: use Unknown.
func (c *Config) Match(host string, port uint16, database string) *Env {
	var best *Env
	for _, e := range c.byAddr[Addr{Host: normHost(host), Port: port, Database: database}] {
		if best == nil || e.Tier.StricterThan(best.Tier) {
			best = e
		}
	}
	return best
}

// Unknown returns the environment of a connection no configured environment
// matches: tier UnknownTier (production unless configured), its defaults and
// policy floors, named and labelled after the host.
func (c *Config) Unknown(host string, port uint16, database string) *Env {
	name := host
	if name == "" || strings.HasPrefix(name, "/") {
		name = "localhost"
	}
	e := &Env{Name: name, Tier: c.UnknownTier, Unknown: true,
		addrs: []Addr{{Host: normHost(host), Port: port, Database: database}}}
	e.defaults(map[string]bool{})
	e.Label = name
	for key, floor := range c.policies[e.Tier] {
		if key == "audit" {
			key = "audit.enabled"
		}
		assign(e, key, floor.val)
	}
	return e
}

// Warnings returns what should be said loudly when connecting to e, and
// next to e in `safesql envs`: another environment resolving to the same
// host, port and database; a non-production tier whose host or database
// name says production; a DSN that could not be resolved.
func (c *Config) Warnings(e *Env) []string {
	var out []string
	if e.resolveErr != nil {
		out = append(out, e.resolveErr.Error())
	}
	// The others sharing an address, each once with the first address of
	// e's it shares, in the order of the files.
	shared := map[*Env]Addr{}
	var others []*Env
	for _, a := range e.addrs {
		for _, o := range c.byAddr[a] {
			if _, seen := shared[o]; seen || o == e || o.Name == e.Name && !e.Unknown {
				continue
			}
			shared[o] = a
			others = append(others, o)
		}
	}
	slices.SortFunc(others, func(a, b *Env) int { return c.rank[a] - c.rank[b] })
	for _, o := range others {
		out = append(out, fmt.Sprintf("environments %q (%s) and %q (%s) both connect to %s: check which one you mean",
			e.Name, e.Tier, o.Name, o.Tier, shared[o]))
	}
	if e.Tier != Production {
		for _, a := range e.addrs {
			if w := c.marker(e, "host", a.Host); w != "" {
				out = append(out, w)
			}
			if w := c.marker(e, "database", a.Database); w != "" {
				out = append(out, w)
			}
		}
	}
	return slices.Compact(out)
}

func (c *Config) marker(e *Env, what, val string) string {
	low := strings.ToLower(val)
	for _, m := range c.Markers {
		if strings.Contains(low, m) {
			return fmt.Sprintf("environment %q is tier %s but its %s %q contains %q: is this production?", e.Name, e.Tier, what, val, m)
		}
	}
	return ""
}

// ForConnection decides which environment governs a connection about to be
// made: named is the environment the user asked for (nil for psql-style
// arguments), conn the final, flag-applied connection config, whose
// addresses are the connection's real target. The tier is the strictest of
// named, every environment an address of conn matches, and UnknownTier
// when an address matches none (named's own address counts as a match):
// `safesql staging -h prod-db.internal` gets production's rules, and
// `safesql dev -h elsewhere` gets those of an unknown server. On a tie the
// named environment's settings stay. The warnings are the ones to print
// before connecting.
func (c *Config) ForConnection(named *Env, conn *pgconn.Config) (*Env, []string) {
	addrs := AddrsOf(conn)
	var matched *Env
	var stray *Addr // the first address no environment has
	for i, a := range addrs {
		m := c.Match(a.Host, a.Port, a.Database)
		if m != nil && (matched == nil || m.Tier.StricterThan(matched.Tier)) {
			matched = m
		}
		if m == nil && stray == nil && (named == nil || !slices.Contains(named.addrs, a)) {
			stray = &addrs[i]
		}
	}
	var unknown *Env
	if stray != nil {
		unknown = c.Unknown(stray.Host, stray.Port, stray.Database)
	}
	e := named
	for _, cand := range []*Env{matched, unknown} {
		if cand != nil && (e == nil || cand.Tier.StricterThan(e.Tier)) {
			e = cand
		}
	}
	var warn []string
	switch {
	case named == nil || e == named:
	case e == matched:
		warn = append(warn, fmt.Sprintf("environment %q (%s) was asked for, but %s is environment %q (%s): using %s's settings",
			named.Name, named.Tier, addrs[0], matched.Name, matched.Tier, matched.Name))
	default:
		warn = append(warn, fmt.Sprintf("environment %q (%s) was asked for, but %s is not its address (%s) and matches no environment: using the rules of an unknown server (%s)",
			named.Name, named.Tier, *stray, addrList(named.addrs), e.Tier))
	}
	return e, append(warn, c.Warnings(e)...)
}

// addrList prints addresses for a message; "unresolved" when there are none.
func addrList(addrs []Addr) string {
	if len(addrs) == 0 {
		return "unresolved"
	}
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}
