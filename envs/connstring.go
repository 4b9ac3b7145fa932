package envs

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

var conninfoPasswordValue = regexp.MustCompile(`(^|\s)password\s*=\s*('(\\.|[^'])*'|\S*)`)

// SafeDSN is e's DSN with any password in it replaced by xxxxx, for
// messages and listings.
func (e *Env) SafeDSN() string {
	if strings.HasPrefix(e.DSN, "postgres://") || strings.HasPrefix(e.DSN, "postgresql://") {
		u, err := url.Parse(e.DSN)
		if err != nil {
			return "(unparsable URI)"
		}
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		if q := u.Query(); q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	return conninfoPasswordValue.ReplaceAllString(e.DSN, "${1}password=xxxxx")
}

// ConnString is the DSN to hand to pgconn.ParseConfig: e's DSN with its
// passfile added (as a conninfo key or a URI parameter), so pgx reads the
// environment's own password file instead of ~/.pgpass.
func (e *Env) ConnString() string {
	if e.Passfile == "" {
		return e.DSN
	}
	if strings.HasPrefix(e.DSN, "postgres://") || strings.HasPrefix(e.DSN, "postgresql://") {
		u, err := url.Parse(e.DSN)
		if err != nil {
			return e.DSN // pgconn will report the bad URI
		}
		q := u.Query()
		q.Set("passfile", e.Passfile)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return strings.TrimSpace(e.DSN + " passfile=" + QuoteConninfo(e.Passfile))
}

// QuoteConninfo quotes a value for a keyword/value connection string when
// it needs quoting (spaces, quotes, backslashes, or empty), as libpq reads
// it.
func QuoteConninfo(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\\\t\n") {
		return s
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// Demo is the config `safesql demo` writes for its sandbox: three
// environments on one server (host may be a unix socket directory), one per
// tier that matters, on databases shop_dev, shop_staging and shop_prod.
func Demo(host string, port uint16, user string) []byte {
	dsn := func(db string) string {
		return fmt.Sprintf("host=%s port=%d user=%s dbname=%s", QuoteConninfo(host), port, QuoteConninfo(user), db)
	}
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	return fmt.Appendf(nil, `# Written by safesql demo. Open an environment with: safesql dev, safesql staging, safesql prod

unknown_tier = "production"

[envs.dev]
dsn = %s
tier = "development"
label = "DEV"

[envs.staging]
dsn = %s
tier = "staging"
label = "STAGING"
statement_timeout = "30s"

[envs.prod]
dsn = %s
tier = "production"
label = "PROD"
confirm_word = "production"
read_only = true
statement_timeout = "30s"
lock_timeout = "2s"
idle_in_transaction_session_timeout = "10m"
dry_run_timeout = "5s"
`, q(dsn("shop_dev")), q(dsn("shop_staging")), q(dsn("shop_prod")))
}
