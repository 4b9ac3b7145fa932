package engine

import (
	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
)

// Development and local tiers run destructive statements without asking,
// as psql does; typed on a terminal (not in a script), each is announced
// on standard error as it goes: loudly when it touches every row (no
// WHERE, or a WHERE that is always true), plainly otherwise.

// warnTyped warns about the destructive statements in sql, text sent as
// psql sends it (the tier has no rules of its own), when a person typed it.
func (e *Engine) warnTyped(sql string) {
	if !e.Interactive || e.policy.asks() {
		return
	}
	e.initAnalyzer()
	a := e.analyzer.WithStandardStrings(e.StandardStrings())
	parts, _ := e.Statements(sql)
	for _, p := range parts {
		if v := a.Predict(p); !v.Has(analyze.FlagUnparsed) {
			// text the parser rejects gets the server's syntax error
			e.warnDestructive(p, v)
		}
	}
}

// warnDestructive warns about sql, whose verdict is v, when it is
// destructive and runs unasked on a terminal.
func (e *Engine) warnDestructive(sql string, v analyze.Verdict) {
	if v.Class != analyze.Destructive || e.policy.asks() || !e.Interactive {
		return
	}
	_, scrub := audit.RedactStatement(sql)
	if v.Has(analyze.FlagNoWhere) || v.Has(analyze.FlagTautology) {
		e.notef("WARNING: %s: it runs now, unasked (%s)", scrub(FirstReason(v)), orTier(e.policy.Tier))
		return
	}
	e.notef("warning: %s", scrub(FirstReason(v)))
}

func orTier(t string) string {
	if t == "" {
		return "no rules here"
	}
	return t
}
