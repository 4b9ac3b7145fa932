package audit

import (
	"strings"
	"testing"

	sqllex "github.com/safesql/safesql/analyze/lex"
)

// mayHoldSecret is a coarse, independent test for inputs Redact must leave
// exactly as they are.
func mayHoldSecret(sql string) bool {
	l := strings.ToLower(sql)
	for _, s := range []string{
		"password", "passwd", "passphrase", "secret", "token", "credential", "apikey", "privkey", "bearer",
		"key", "pw", "psw", "pass", "://", `\`, "crypt", "hmac", "digest", "pgp_", "armor",
	} {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// FuzzRedact: no panic; a literal that follows PASSWORD never survives; a
// statement with nothing that looks like a secret is left as it was.
func FuzzRedact(f *testing.F) {
	for _, tt := range redactTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		out := Redact(sql)
		if !mayHoldSecret(sql) && out != sql {
			t.Fatalf("Redact(%q) = %q, want it unchanged", sql, out)
		}
		toks := lex(sql, true)
		for i, tk := range toks {
			if tk.kind != kWord || !strings.EqualFold(tk.text(sql), "password") {
				continue
			}
			j := i + 1
			for j < len(toks) && (toks[j].kind == kSpace || toks[j].kind == kLineCmt || toks[j].kind == kBlockCmt) {
				j++
			}
			if j == len(toks) || (toks[j].kind != kString && toks[j].kind != kDollar) {
				continue
			}
			secret := toks[j].body(sql)
			if len(secret) < 4 || strings.Count(sql, secret) > 1 || strings.Contains("'"+Redacted+"'", secret) {
				continue
			}
			if strings.Contains(out, secret) {
				t.Fatalf("Redact(%q) = %q keeps %q", sql, out, secret)
			}
		}
	})
}

// FuzzRedactPassword builds PASSWORD '<secret>' after a prefix that cannot
// open a quote or a comment, and before anything at all: no part of the
// secret may survive. The secret is cut by \x01 every three bytes, a byte
// found nowhere else, so that a leak of any four bytes of it shows.
func FuzzRedactPassword(f *testing.F) {
	f.Add("ALTER ROLE app", "hunter2", "")
	f.Add("CREATE USER x WITH LOGIN ENCRYPTED", "it's", " VALID UNTIL 'infinity'")
	f.Add("CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (host", "x", ", dbname 'y');")
	f.Add("SELECT 1;", "a\\'b", "'' -- c\n\\password")
	f.Add("set_config(", "$$x$$", "$$")
	f.Fuzz(func(t *testing.T, prefix, secret, suffix string) {
		for i := 0; i < len(prefix); i++ {
			c := prefix[i]
			if !(sqllex.IsIdentCont(c) && c != '$' && c < 0x80) && !strings.ContainsRune(" \n,;()=.", rune(c)) {
				return
			}
		}
		if strings.ContainsRune(suffix, 1) || secret == "" {
			return
		}
		var b strings.Builder
		for i := 0; i < len(secret); i++ {
			if i%3 == 0 {
				b.WriteByte(1)
			}
			b.WriteByte(secret[i])
		}
		b.WriteByte(1)
		lit := strings.ReplaceAll(b.String(), "'", "''")
		sql := prefix + " PASSWORD '" + lit + "'" + suffix
		if out := Redact(sql); strings.ContainsRune(out, 1) {
			t.Fatalf("Redact(%q) = %q", sql, out)
		}
	})
}
