package shell

import (
	"context"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/frontend"
	"github.com/safesql/safesql/repl/render"
	"github.com/safesql/safesql/repl/term"
)

// What the tests use that the program does not.

// psqlPolicy is psql's own behaviour: autocommit, no questions.
func psqlPolicy() engine.Policy {
	return engine.Policy{Tier: "local", Autocommit: true, Confirm: engine.ConfirmWarn, AllowShell: true}
}

// confirmFunc adapts a function to Confirmer.
type confirmFunc func(ctx context.Context, req frontend.ConfirmRequest) (frontend.Answer, error)

// Confirm calls f.
func (f confirmFunc) Confirm(ctx context.Context, req frontend.ConfirmRequest) (frontend.Answer, error) {
	return f(ctx, req)
}

// connect builds a session with no Deps and opens it on cfg.
func connect(ctx context.Context, cfg *pgconn.Config, streams *term.IOStreams, opts render.Options, vars *Vars) (*Session, error) {
	s, err := New(Config{Streams: streams, Print: opts, Vars: vars})
	if err != nil {
		return nil, err
	}
	if err := s.Open(ctx, cfg); err != nil {
		_ = s.Close(ctx)
		return nil, err
	}
	return s, nil
}
