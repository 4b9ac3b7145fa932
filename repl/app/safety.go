package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/engine"

	"github.com/safesql/safesql/envs"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/shell"
	sterm "github.com/safesql/safesql/repl/term"
)

// What an environment that says nothing gets: a dry run has 5 s (and 1 s
// for a lock), production statements wait 2 s for a lock, and a
// transaction open for 5 minutes is flagged.
const (
	defaultDryRunTimeout     = 5 * time.Second
	defaultDryRunLockTimeout = 1 * time.Second
	defaultProdLockTimeout   = 2 * time.Second
	defaultTxWarnAfter       = 5 * time.Minute
)

// policyFor turns an environment into the session's rules.
func policyFor(env *envs.Env, cfg *envs.Config) engine.Policy {
	p := engine.Policy{
		Env: env.Name, Label: env.Label, Tier: string(env.Tier), Color: env.Color,
		Unknown:           env.Unknown,
		ReadOnly:          env.ReadOnly,
		Autocommit:        env.Autocommit,
		ConfirmWord:       env.ConfirmWord,
		CountAbove:        env.AskCountAbove,
		Confirm:           engine.ConfirmFor(string(env.Tier), env.ConfirmWord),
		AllowShell:        env.AllowShell,
		StatementTimeout:  env.StatementTimeout,
		LockTimeout:       env.LockTimeout,
		IdleInTxTimeout:   env.IdleInTxTimeout,
		DryRunTimeout:     env.DryRunTimeout,
		DryRunLockTimeout: defaultDryRunLockTimeout,
		TxWarnAfter:       defaultTxWarnAfter,
		AuditRequired:     env.Tier == envs.Production && env.Audit.Enabled,
	}
	if env.TxWarning > 0 {
		p.TxWarnAfter = env.TxWarning
	}
	if p.DryRunTimeout == 0 {
		p.DryRunTimeout = defaultDryRunTimeout
	}
	if p.LockTimeout == 0 && env.Tier == envs.Production {
		p.LockTimeout = defaultProdLockTimeout
	}
	if env.Unknown && p.Env == "" {
		p.Label = strings.ToUpper(string(env.Tier))
	}
	return p
}

// openAudit opens the environment's audit log, or returns nil when it has
// none.
func openAudit(env *envs.Env, streams *sterm.IOStreams) (*audit.Log, error) {
	if !env.Audit.Enabled {
		return nil, nil
	}
	l, err := audit.Open(env.Audit.Path, streams.Getenv, env.Audit.Syslog)
	var named *audit.Error
	if errors.As(err, &named) {
		return nil, err // it names the audit log, the rule and the way out
	}
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return l, nil
}

// sessionID groups one run's audit lines.
func sessionID() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Sprintf("%d", time.Now().UnixNano())
	}
	return hex.EncodeToString(b[:])
}

// spoolStdin copies piped standard input to a private temporary file when
// an action reads it, so that the whole input can be planned and then run
// without holding it in memory. The file is removed at once (it stays
// readable through the open descriptor).
func spoolStdin(actions []Action, streams *sterm.IOStreams) (*os.File, func(), error) {
	needs := false
	for _, a := range actions {
		if a.readsStdin() {
			needs = true
		}
	}
	if !needs || streams.InTTY {
		return nil, func() {}, nil
	}
	f, err := os.CreateTemp("", "safesql-input-*")
	if err != nil {
		return nil, nil, fmt.Errorf("spool standard input: %w", err)
	}
	_ = os.Remove(f.Name())
	if _, err := io.Copy(f, streams.In); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("read standard input: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("spool standard input: %w", err)
	}
	return f, func() { f.Close() }, nil
}

// preflight plans the whole input before anything runs. When something
// will be refused, asked or rolled back, the plan goes to standard error;
// a refusal ends the run with exit 3 and nothing run.
func preflight(ctx context.Context, sess *shell.Session, actions []Action, spooled *os.File, streams *sterm.IOStreams) (engine.Status, bool) {
	var inputs []engine.PlanInput
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	for _, a := range actions {
		switch {
		case a.readsStdin():
			if spooled == nil {
				continue // a terminal: nothing to plan ahead
			}
			name := ""
			if a.Command == "-" {
				name = "<stdin>"
			}
			inputs = append(inputs, engine.PlanInput{Name: name, R: io.NopCloser(spooled)})
		case a.Kind == FileAction:
			f, err := os.Open(a.Command)
			if err != nil {
				continue // the run reports it, as psql does
			}
			closers = append(closers, f)
			inputs = append(inputs, engine.PlanInput{Name: a.Command, R: f})
		default:
			if strings.HasPrefix(strings.TrimLeft(a.Command, " \t\n"), `\`) {
				inputs = append(inputs, engine.PlanInput{R: strings.NewReader(a.Command)})
				continue
			}
			inputs = append(inputs, engine.PlanInput{R: strings.NewReader(a.Command)})
		}
	}
	plan, err := sess.MakePlan(ctx, inputs)
	if spooled != nil {
		if _, serr := spooled.Seek(0, io.SeekStart); serr != nil && err == nil {
			err = serr
		}
	}
	if err != nil {
		fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
		return engine.StatusFatal, false
	}
	if plan.NeedsAttention(sess.Engine) {
		sess.PrintPlan(streams.Err, plan)
	}
	if len(plan.Refusals) > 0 {
		return engine.StatusScript, false
	}
	sess.Preplanned(plan)
	if sess.Grants.Write && sess.Policy().ReadOnly {
		if err := sess.SetWrites(ctx, true); err != nil {
			return engine.StatusScript, false
		}
	}
	return engine.StatusOK, true
}
