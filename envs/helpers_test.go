package envs

import "context"

// What the tests read and call that the program does not: kept here so
// the package's API is what safesql uses.

// Load reads the system file, then the user file, and merges them into a
// Config: user keys override system keys per environment, defaults fill the
// rest by tier (an environment without a tier is production), and the system file's [policy.<tier>] tables are applied as
// floors that no file may weaken. Every problem is reported, sorted by file
// and line, as *Error values joined with errors.Join.
func Load(paths Paths) (*Config, error) {
	return load(paths)
}

// Resolve resolves every environment's DSN with parse, so Match and
// Warnings can compare addresses. An environment whose DSN does not resolve
// (a missing service file, say) keeps the error in ResolveErr and matches
// nothing; Warnings reports it.
func (c *Config) Resolve(parse ParseFunc) {
	_ = c.ResolveContext(context.Background(), parse)
}

// Tiers returns the valid tiers, strictest first.
func Tiers() []Tier { return tiers[:] }

// HasPassword reports whether the config holds a plain password for e.
func (e *Env) HasPassword() bool { return e.password != nil && *e.password != "" }

// Addrs returns the addresses e's DSN resolved to (several when the DSN
// lists fallback hosts); nil when it has not been resolved or could not be.
func (e *Env) Addrs() []Addr { return e.addrs }

// ResolveErr is why e's DSN could not be resolved, or nil.
func (e *Env) ResolveErr() error { return e.resolveErr }
