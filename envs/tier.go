package envs

import (
	"fmt"
	"strings"
)

// Tier says how much care an environment needs. The zero value is not a
// tier; an unclassified connection gets Config.UnknownTier.
type Tier string

// The tiers, strictest first.
const (
	Production  Tier = "production"
	Staging     Tier = "staging"
	Development Tier = "development"
	Local       Tier = "local"
)

var tiers = [...]Tier{Production, Staging, Development, Local}

// Valid reports whether t is one of the four tiers.
func (t Tier) Valid() bool { return t.rank() >= 0 }

// rank orders tiers by strictness: production 3 ... local 0, invalid -1.
func (t Tier) rank() int {
	for i, v := range tiers {
		if v == t {
			return len(tiers) - 1 - i
		}
	}
	return -1
}

// StricterThan reports whether t needs more care than u.
func (t Tier) StricterThan(u Tier) bool { return t.rank() > u.rank() }

// ParseTier accepts the exact tier names only: "prod" is an error that
// suggests "production", because a guessed tier is how production gets
// treated as something else.
func ParseTier(s string) (Tier, error) {
	t := Tier(s)
	if t.Valid() {
		return t, nil
	}
	names := make([]string, len(tiers))
	for i, v := range tiers {
		names[i] = string(v)
	}
	msg := fmt.Sprintf("invalid tier %q: want production, staging, development or local", s)
	if s2 := suggest(strings.ToLower(s), names); s2 != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s2)
	}
	return "", fmt.Errorf("%s", msg)
}
