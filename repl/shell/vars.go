package shell

import (
	"fmt"
	"sort"
	"strings"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/analyze/lex"
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
	b, _ := analyze.ParseBool(v.m[name])
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

// A hook is psql's treatment of one of its specially treated variables:
// what an unset or an empty value becomes, and which values it accepts.
type hook struct {
	unset   string // the value \unset gives back; "" leaves it unset
	empty   string // the value an empty \set gives, when not ""
	check   func(name, value string) (string, error)
	noUnset bool // \unset really removes it (the prompts, HISTFILE)
}

// hookOf returns the hook psql 15 has on a variable (startup.c's
// EstablishVariableSpace), if any.
func hookOf(name string) (hook, bool) {
	switch name {
	case "AUTOCOMMIT", "ON_ERROR_STOP", "QUIET", "SINGLELINE", "SINGLESTEP",
		"SHOW_ALL_RESULTS", "HIDE_TOAST_COMPRESSION", "HIDE_TABLEAM":
		return hook{unset: "off", empty: "on", check: checkBool}, true
	case "FETCH_COUNT":
		return hook{unset: "0", check: checkInt}, true
	case "HISTSIZE":
		return hook{unset: "500", check: checkInt}, true
	case "IGNOREEOF":
		// As bash: a value that is not a number means 10.
		return hook{unset: "0", check: func(_, v string) (string, error) {
			if _, ok := parseVariableNum(v); !ok {
				return "10", nil
			}
			return v, nil
		}}, true
	case "ECHO":
		return hook{unset: "none", check: checkEnum(nil, "none", "errors", "queries", "all")}, true
	case "ECHO_HIDDEN":
		return hook{unset: "off", empty: "on", check: checkEnum(checkBool, "on", "off", "noexec")}, true
	case "ON_ERROR_ROLLBACK":
		return hook{unset: "off", empty: "on", check: checkEnum(checkBool, "on", "off", "interactive")}, true
	case "COMP_KEYWORD_CASE":
		return hook{unset: "preserve-upper", check: checkEnum(nil, "lower", "upper", "preserve-lower", "preserve-upper")}, true
	case "HISTCONTROL":
		return hook{unset: "none", check: checkEnum(nil, "none", "ignorespace", "ignoredups", "ignoreboth")}, true
	case "VERBOSITY":
		return hook{unset: "default", check: checkEnum(nil, "default", "verbose", "terse", "sqlstate")}, true
	case "SHOW_CONTEXT":
		return hook{unset: "errors", check: checkEnum(nil, "never", "errors", "always")}, true
	case "PROMPT1", "PROMPT2", "PROMPT3", "HISTFILE":
		return hook{noUnset: true}, true
	}
	return hook{}, false
}

func checkBool(name, value string) (string, error) {
	if _, ok := parseVariableBool(value); !ok {
		return "", fmt.Errorf(`unrecognized value "%s" for "%s": Boolean expected`, value, name)
	}
	return value, nil
}

func checkInt(name, value string) (string, error) {
	if _, ok := parseVariableNum(value); !ok {
		return "", fmt.Errorf(`invalid value "%s" for "%s": integer expected`, value, name)
	}
	return value, nil
}

// checkEnum accepts one of values (in any case) or, with boolean set, a
// Boolean; psql lists the values in its error.
func checkEnum(boolean func(name, value string) (string, error), values ...string) func(name, value string) (string, error) {
	return func(name, value string) (string, error) {
		for _, v := range values {
			if strings.EqualFold(v, value) {
				return value, nil
			}
		}
		if boolean != nil {
			if _, err := boolean(name, value); err == nil {
				return value, nil
			}
		}
		return "", enumError{name: name, value: value, values: values}
	}
}

// enumError is psql's PsqlVarEnumError: two lines, the second a sentence.
type enumError struct {
	name, value string
	values      []string
}

func (e enumError) Error() string {
	return fmt.Sprintf("unrecognized value \"%s\" for \"%s\"\nAvailable values are: %s.", e.value, e.name, strings.Join(e.values, ", "))
}

// Special reports whether psql treats a variable specially (it has a
// hook): \gset does not assign such a variable.
func Special(name string) bool {
	_, ok := hookOf(name)
	return ok
}

// Assign sets a variable as \set does: a specially treated variable
// takes only the values psql accepts for it, and keeps its value when
// refused, with psql's message as the error.
func (v *Vars) Assign(name, value string) error {
	h, ok := hookOf(name)
	if !ok {
		v.m[name] = value
		return nil
	}
	if value == "" && h.empty != "" {
		value = h.empty
	}
	if h.check != nil {
		checked, err := h.check(name, value)
		if err != nil {
			return err
		}
		value = checked
	}
	v.m[name] = value
	return nil
}

// Remove unsets a variable as \unset does: a specially treated variable
// goes back to its default rather than away.
func (v *Vars) Remove(name string) {
	if h, ok := hookOf(name); ok && !h.noUnset && h.unset != "" {
		v.m[name] = h.unset
		return
	}
	delete(v.m, name)
}

// parseVariableBool is psql's ParseVariableBool: on/off, true/false,
// yes/no, 1/0 and their unique prefixes, in any case, and nothing else
// (no spaces around).
func parseVariableBool(s string) (value, ok bool) {
	if s == "" || strings.TrimSpace(s) != s {
		return false, false
	}
	return analyze.ParseBool(s)
}

// parseVariableNum is psql's ParseVariableNum: C's strtol with base 0
// (leading white space, a sign, 0x for hex and a leading 0 for octal),
// the whole text used, in an int's range.
func parseVariableNum(s string) (int, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	base := 10
	switch {
	case len(t) > 2 && (t[:2] == "0x" || t[:2] == "0X") && lex.HexValue(t[2]) >= 0:
		base, t = 16, t[2:]
	case len(t) > 1 && t[0] == '0':
		base = 8
	}
	if t == "" {
		return 0, false
	}
	n := int64(0)
	for i := 0; i < len(t); i++ {
		d := lex.HexValue(t[i])
		if d < 0 || d >= base {
			return 0, false
		}
		n = n*int64(base) + int64(d)
		if n > 1<<31 {
			return 0, false
		}
	}
	if neg {
		n = -n
	}
	if n > 1<<31-1 || n < -1<<31 {
		return 0, false
	}
	return int(n), true
}
