package analyze

import "testing"

// PostgreSQL's boolin and psql's ParseVariableBool read the same words.
func TestParseBool(t *testing.T) {
	for _, tt := range []struct {
		in        string
		value, ok bool
	}{
		{"true", true, true}, {"TRUE", true, true}, {" t ", true, true}, {"tru", true, true},
		{"yes", true, true}, {"y", true, true}, {"on", true, true}, {"1", true, true},
		{"false", false, true}, {"f", false, true}, {"no", false, true}, {"n", false, true},
		{"off", false, true}, {"of", false, true}, {"0", false, true},
		{"o", false, false}, {"", false, false}, {"truee", false, false}, {"2", false, false},
		{"yess", false, false}, {"onn", false, false}, {"10", false, false},
	} {
		value, ok := ParseBool(tt.in)
		if value != tt.value || ok != tt.ok {
			t.Errorf("ParseBool(%q) = %v, %v; want %v, %v", tt.in, value, ok, tt.value, tt.ok)
		}
	}
}
