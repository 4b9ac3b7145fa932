package audit

import (
	"strings"
	"testing"
	"time"
)

// Inputs that would take seconds or minutes if some rule were quadratic.
func TestRedactSlowInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for _, in := range []string{
		strings.Repeat("/*", 20000),
		strings.Repeat("/* password ", 10000),
		strings.Repeat("-- ", 20000),
		strings.Repeat("pgp_sym_encrypt(", 80000),
		strings.Repeat("a", 200000) + "password=",
		strings.Repeat("password=", 20000),
		strings.Repeat("postgres://", 20000),
		"-- " + strings.Repeat("postgres://", 40000),
		"SELECT '" + strings.Repeat("a://b@", 40000) + "'",
		strings.Repeat("://a:b@", 20000),
		strings.Repeat("'", 40001),
		strings.Repeat("$a$", 20001),
		strings.Repeat("$", 40001),
		strings.Repeat("password ", 20000),
		strings.Repeat("\\x password ", 20000),
		strings.Repeat("\"'", 20000),
		strings.Repeat("/* -- password\n", 10000),
		strings.Repeat("key ", 20000),
		strings.Repeat("x = ", 20000),
		strings.Repeat("password a=b ", 20000),
		strings.Repeat("as $a$ password ", 5000),
		strings.Repeat("as $$ ", 20000),
		strings.Repeat("/* /* -- ", 20000),
	} {
		start := time.Now()
		Redact(in)
		if d := time.Since(start); d > 60*time.Second { // quadratic would be many minutes; a loaded CI machine is not
			t.Errorf("%.30q... (%d bytes): %v", in, len(in), d)
		}
	}
}
