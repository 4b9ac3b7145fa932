package shell

import (
	"context"

	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/frontend"
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
