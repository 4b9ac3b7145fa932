package app

import (
	"context"
	"fmt"

	"github.com/safesql/safesql/repl/engine"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/envs"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/shell"
	sterm "github.com/safesql/safesql/repl/term"
)

// environment is the environment a session is in and what entering it
// opened. Entering is one act (enter), done at start, after every
// \connect and after every reconnect: the rules, the audit log, the shell
// rule, the prompt and the frame change together or not at all.
type environment struct {
	cfg     *envs.Config
	streams *sterm.IOStreams
	// start is the environment the command line chose: the first
	// connection enters it.
	start *envs.Env

	current *envs.Env
	log     *audit.Log // current's audit log; nil when it audits nothing
	logFor  envs.AuditConfig
	// pending is what a \connect prepared; it is entered when that
	// connection is made and discarded when another is prepared.
	pending *entry
	// frame redraws what the terminal shows outside the prompt (title,
	// tint) for the environment entered; nil outside an interactive shell.
	frame func(*envs.Env)
	// granted is the environment the command line's --write, --confirm
	// and --commit were given for: the first entered. They do not follow
	// a \connect anywhere else.
	granted *envs.Env
}

// entry is an environment made ready to enter: its audit log is open
// before the connection is, so a tier that audits is never entered
// without one.
type entry struct {
	conn *pgconn.Config // the connection it is for; nil at start
	env  *envs.Env
	log  *audit.Log
}

// errAuditRequired: the environment audits, its log cannot be opened, and
// its tier does not run without one.
type errAuditRequired struct{ err error }

func (e *errAuditRequired) Error() string {
	return fmt.Sprintf("%v; the audit log is required in production: nothing runs without it", e.err)
}

func (e *errAuditRequired) Unwrap() error { return e.err }

// enterError: a connection was made, and its environment's rules could
// not be set on it.
type enterError struct{ err error }

func (e *enterError) Error() string { return e.err.Error() }

func (e *enterError) Unwrap() error { return e.err }

// prepare opens what env needs before it is entered. An audit log that
// cannot be opened is an error in production (errAuditRequired) and a
// warning elsewhere.
func (ev *environment) prepare(env *envs.Env) (*entry, error) {
	p := &entry{env: env}
	if !env.Audit.Enabled {
		return p, nil
	}
	if ev.log != nil && ev.logFor == env.Audit {
		p.log = ev.log
		return p, nil
	}
	l, err := openAudit(env, ev.streams)
	if err != nil {
		if env.Tier == envs.Production {
			return nil, &errAuditRequired{err}
		}
		fmt.Fprintf(ev.streams.Err, "safesql: error: %v\n", err)
		return p, nil
	}
	p.log = l
	return p, nil
}

// enter makes p's environment the session's: its policy (tier, rules,
// prompt colours), its audit log (the previous one closed when it is not
// the same), its shell rule (ShellRefused reads current) and its frame.
func (ev *environment) enter(ctx context.Context, sess *shell.Session, p *entry) error {
	if ev.log != nil && ev.log != p.log {
		if err := ev.log.Close(); err != nil {
			fmt.Fprintf(ev.streams.Err, "safesql: error: %v\n", err)
		}
	}
	if ev.granted == nil {
		ev.granted = p.env
	} else if !sameEnvironment(ev.granted, p.env) {
		sess.Grants = engine.Grants{}
	}
	ev.current, ev.log, ev.logFor = p.env, p.log, p.env.Audit
	if p.log != nil {
		sess.Audit = p.log
	} else {
		sess.Audit = nil // not a typed nil: no log means no audit
	}
	err := sess.SetPolicy(ctx, policyFor(p.env, ev.cfg))
	if ev.frame != nil {
		ev.frame(p.env)
	}
	if err != nil {
		return &enterError{fmt.Errorf("enter environment %q: %w", p.env.Name, err)}
	}
	return nil
}

// setPending keeps p for the connection it was prepared for, discarding
// one prepared before (its \connect failed).
func (ev *environment) setPending(p *entry) {
	ev.discard(ev.pending)
	ev.pending = p
}

// discard closes what p opened that nothing uses.
func (ev *environment) discard(p *entry) {
	if p != nil && p.log != nil && p.log != ev.log {
		_ = p.log.Close()
	}
}

// onConnect enters the environment of a connection just made (the
// session's OnConnect): the first, the one the command line chose
// (its audit log opened now); after a \connect, the one it prepared;
// after a reconnect, the current one again.
func (ev *environment) onConnect(ctx context.Context, sess *shell.Session, cfg *pgconn.Config) error {
	if ev.current == nil {
		p, err := ev.prepare(ev.start)
		if err != nil {
			return err
		}
		return ev.enter(ctx, sess, p)
	}
	p := ev.pending
	ev.pending = nil
	if p == nil || p.conn != cfg {
		ev.discard(p)
		p = &entry{conn: cfg, env: ev.current, log: ev.log}
	}
	return ev.enter(ctx, sess, p)
}

// shellRefused says why \! may not run in the current environment.
func (ev *environment) shellRefused() string {
	cur := ev.current
	if cur.AllowShell {
		return ""
	}
	if cur.Unknown {
		return fmt.Sprintf("shell commands are refused in %s: this connection matches no configured environment, so it counts as %s; define an environment for it (allow_shell = true allows them outside production)", cur.Tier, cur.Tier)
	}
	return fmt.Sprintf("shell commands are refused in %s (environment %q); set allow_shell = true for it in the config to allow them", cur.Tier, cur.Name)
}

// close closes the audit logs; call it after the session's last line.
func (ev *environment) close() {
	ev.discard(ev.pending)
	ev.pending = nil
	if ev.log != nil {
		if err := ev.log.Close(); err != nil {
			fmt.Fprintf(ev.streams.Err, "safesql: error: %v\n", err)
		}
		ev.log = nil
	}
}

// sameEnvironment reports whether a and b are the same configured
// environment (an unknown server is never the same as another).
func sameEnvironment(a, b *envs.Env) bool {
	if a == b {
		return true
	}
	return !a.Unknown && !b.Unknown && a.Name == b.Name && a.Tier == b.Tier
}
