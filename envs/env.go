package envs

import (
	"fmt"
	"strings"
	"time"
)

// Env is one named environment after merging, defaults and policy floors.
// The CLI may copy it and apply flags on top; Config.Check then tells
// whether the result still honours the system policy.
type Env struct {
	Name string
	// DSN is the connection as written: conninfo, URI or service=NAME. It may
	// hold a password: show Addrs, never DSN.
	DSN   string
	Tier  Tier
	Label string // shown in the prompt; defaults to the upper-cased name
	Color string // "#rrggbb" or an ANSI index "0".."255"; "" = the tier's colour

	ConfirmWord string // word to type before a destructive statement; "" = no word
	ReadOnly    bool
	AllowShell  bool // \! runs shell commands (default: everywhere but production)
	Autocommit  bool

	// Zero means "not set": the session leaves the server's value alone.
	StatementTimeout time.Duration
	LockTimeout      time.Duration
	IdleInTxTimeout  time.Duration // idle_in_transaction_session_timeout
	DryRunTimeout    time.Duration
	// TxWarning: a transaction open longer than this is flagged in the
	// prompt and status line (default 5m).
	TxWarning time.Duration
	// AskCountAbove: a destructive statement that changes more rows
	// than this also wants the number of rows typed; 0 = not set (the
	// session's default, 1,000).
	AskCountAbove int64

	PasswordCommand []string // argv, run without a shell
	Passfile        string   // a .pgpass-format file for this environment
	// password is the plain password from the config, behind a pointer so
	// that printing an Env with %v shows an address, not the password.
	password *string

	Audit AuditConfig

	Source       string // file that defined the environment
	OverriddenBy string // another file that changed some of its keys, or ""

	// Unknown is true for the synthetic environment Config.Unknown returns:
	// no configured environment matched the connection.
	Unknown bool

	addrs      []Addr
	resolveErr error
}

// AuditConfig is an environment's audit settings: `audit = true`, or a
// table `audit = { enabled = true, path = "/var/log/safesql.log" }`.
type AuditConfig struct {
	Enabled bool
	Path    string // "" = the session's default location
	Syslog  bool   // every line also goes to syslog (authpriv, tag safesql)
}

// Addr is where a connection goes: host (a name, an address or a unix
// socket directory), port and database.
type Addr struct {
	Host     string
	Port     uint16
	Database string
}

// Host is the first resolved host, or "" when unresolved.
func (e *Env) Host() string {
	if len(e.addrs) == 0 {
		return ""
	}
	return e.addrs[0].Host
}

// Port is the first resolved port, or 0 when unresolved.
func (e *Env) Port() uint16 {
	if len(e.addrs) == 0 {
		return 0
	}
	return e.addrs[0].Port
}

// Database is the resolved database, or "" when unresolved.
func (e *Env) Database() string {
	if len(e.addrs) == 0 {
		return ""
	}
	return e.addrs[0].Database
}

// defaults fills what the files left unset, by tier. Production asks for a
// confirmation word, starts read-only and audits; only local and
// development commit each statement on their own.
func (e *Env) defaults(set map[string]bool) {
	if !set["label"] {
		e.Label = strings.ToUpper(e.Name)
	}
	if !set["confirm_word"] && e.Tier == Production {
		e.ConfirmWord = "production"
	}
	if !set["read_only"] {
		e.ReadOnly = e.Tier == Production
	}
	if !set["autocommit"] {
		e.Autocommit = e.Tier == Local || e.Tier == Development
	}
	if !set["allow_shell"] {
		e.AllowShell = e.Tier != Production
	}
	if !set["audit.enabled"] {
		e.Audit.Enabled = e.Tier == Production
	}
}

// plainEnv has Env's fields and none of its methods, for Format.
type plainEnv Env

// Format prints e with the password in its DSN replaced by xxxxx and no
// config password, whatever the verb, so a logged or test-printed Env
// never shows a secret.
func (e Env) Format(f fmt.State, verb rune) {
	c := e
	c.DSN = e.SafeDSN()
	c.password = nil
	fmt.Fprintf(f, fmt.FormatString(f, verb), plainEnv(c))
}
