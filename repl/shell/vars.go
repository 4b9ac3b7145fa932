package shell

import (
	"sort"
	"strings"
)

// Vars are psql's variables (\set, -v, :name).
type Vars struct {
	m map[string]string
}

// NewVars returns the variables psql defines at start-up.
func NewVars() *Vars {
	v := &Vars{m: map[string]string{}}
	for k, val := range map[string]string{
		"AUTOCOMMIT":             "on",
		"ON_ERROR_STOP":          "off",
		"ON_ERROR_ROLLBACK":      "off",
		"ECHO":                   "none",
		"QUIET":                  "off",
		"SHOW_CONTEXT":           "errors",
		"VERBOSITY":              "default",
		"PROMPT1":                "%/%R%x%# ",
		"PROMPT2":                "%/%R%x%# ",
		"PROMPT3":                ">> ",
		"LAST_ERROR_MESSAGE":     "",
		"COMP_KEYWORD_CASE":      "preserve-upper",
		"ECHO_HIDDEN":            "off",
		"FETCH_COUNT":            "0",
		"HIDE_TABLEAM":           "off",
		"HIDE_TOAST_COMPRESSION": "off",
		"HISTCONTROL":            "none",
		"HISTSIZE":               "500",
		"IGNOREEOF":              "0",
		"SHOW_ALL_RESULTS":       "on",
		"SINGLELINE":             "off",
		"SINGLESTEP":             "off",
		"LAST_ERROR_SQLSTATE":    "00000",
	} {
		v.m[k] = val
	}
	return v
}

// Get returns a variable's value.
func (v *Vars) Get(name string) (string, bool) {
	val, ok := v.m[name]
	return val, ok
}

// Set sets a variable.
func (v *Vars) Set(name, value string) { v.m[name] = value }

// Unset removes a variable.
func (v *Vars) Unset(name string) { delete(v.m, name) }

// Bool reads a variable as psql's ParseVariableBool does; unset or
// unparsable is false.
func (v *Vars) Bool(name string) bool {
	b, _ := parseBool(v.m[name])
	return b
}

// Names lists the variables, sorted.
func (v *Vars) Names() []string {
	names := make([]string, 0, len(v.m))
	for k := range v.m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// parseBool accepts psql's spellings: on/off, true/false, yes/no, 1/0 and
// unique prefixes of them.
func parseBool(s string) (value, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return false, false
	}
	switch {
	case s == "1":
		return true, true
	case s == "0":
		return false, true
	case strings.HasPrefix("true", s), strings.HasPrefix("yes", s):
		return true, true
	case strings.HasPrefix("false", s), strings.HasPrefix("no", s):
		return false, true
	case len(s) >= 2 && strings.HasPrefix("on", s):
		return true, true
	case len(s) >= 2 && strings.HasPrefix("off", s):
		return false, true
	}
	return false, false
}

// getOr returns a variable's value, "" when unset.
func (v *Vars) getOr(name string) string { return v.m[name] }

// ValidName reports whether name can be a variable, as psql decides:
// letters, digits and underscores, and any non-ASCII character.
func ValidName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r >= 0x80) {
			return false
		}
	}
	return true
}
