package engine

import (
	"testing"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/dryrun"
	"github.com/safesql/safesql/repl/frontend"
)

// TestEscalate: which statements get the second question, and what it
// wants typed.
func TestEscalate(t *testing.T) {
	orders := analyze.Target{Name: "orders", Kind: "table"}
	with := func(e analyze.Effect, tt analyze.Target) analyze.Target { tt.Effect = e; return tt }
	exact := func(cmd string, n int64) dryrun.Impact {
		return dryrun.Impact{Command: cmd, Target: "public.orders", Exact: true, Rows: n}
	}
	first := frontend.ConfirmRequest{Kind: frontend.AskWord, Word: "production", Question: "Type production to run it (anything else aborts):"}
	tests := []struct {
		name     string
		v        analyze.Verdict
		imp      dryrun.Impact
		kind     frontend.AskKind // meaningful when word != ""
		word     string           // "" : no second question
		question string
	}{
		{"one row by key", analyze.Verdict{Targets: []analyze.Target{with(analyze.EffectUpdate, orders)}}, exact("UPDATE", 1), 0, "", ""},
		{"at the threshold", analyze.Verdict{Targets: []analyze.Target{with(analyze.EffectDelete, orders)}}, exact("DELETE", 1000), 0, "", ""},
		{"above the threshold", analyze.Verdict{Targets: []analyze.Target{with(analyze.EffectDelete, orders)}}, exact("DELETE", 249981),
			frontend.AskCount, "249981", "It removes 249,981 rows. Type that number to run it (anything else aborts):"},
		{"no WHERE, few rows", analyze.Verdict{Flags: []analyze.Flag{analyze.FlagNoWhere}, Targets: []analyze.Target{with(analyze.EffectUpdate, orders)}}, exact("UPDATE", 1),
			frontend.AskCount, "1", "It changes 1 row. Type that number to run it (anything else aborts):"},
		{"tautology", analyze.Verdict{Flags: []analyze.Flag{analyze.FlagTautology}, Targets: []analyze.Target{with(analyze.EffectDelete, orders)}}, exact("DELETE", 42),
			frontend.AskCount, "42", "It removes 42 rows. Type that number to run it (anything else aborts):"},
		{"no WHERE, empty table", analyze.Verdict{Flags: []analyze.Flag{analyze.FlagNoWhere}, Targets: []analyze.Target{with(analyze.EffectDelete, orders)}}, exact("DELETE", 0), 0, "", ""},
		{"no WHERE, estimate only", analyze.Verdict{Flags: []analyze.Flag{analyze.FlagNoWhere}, Targets: []analyze.Target{with(analyze.EffectDelete, orders)}},
			dryrun.Impact{Command: "DELETE", Target: "public.orders", Estimate: true, Rows: 5_000_000},
			frontend.AskWord, "orders", "Type orders (the name, as written) to run it (anything else aborts):"},
		{"truncate", analyze.Verdict{Targets: []analyze.Target{with(analyze.EffectTruncate, analyze.Target{Schema: "public", Name: "orders"})}}, dryrun.Impact{},
			frontend.AskWord, "public.orders", "Type public.orders (the name, as written) to run it (anything else aborts):"},
		{"drop two", analyze.Verdict{Targets: []analyze.Target{with(analyze.EffectDrop, orders), with(analyze.EffectDrop, analyze.Target{Name: "items"})}}, dryrun.Impact{},
			frontend.AskWord, "orders, items", "Type orders, items (the names, as written) to run it (anything else aborts):"},
		{"alter", analyze.Verdict{Targets: []analyze.Target{with(analyze.EffectAlter, orders)}}, dryrun.Impact{}, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := escalate(first, tt.v, tt.imp, DefaultCountAbove)
			if !ok {
				if tt.word != "" {
					t.Fatalf("no second question, want %q typed", tt.word)
				}
				return
			}
			if tt.word == "" {
				t.Fatalf("a second question (%q) where the word is enough", got.Question)
			}
			if got.Kind != tt.kind || got.Word != tt.word || got.Question != tt.question {
				t.Errorf("second question %v %q %q, want %v %q %q", got.Kind, got.Word, got.Question, tt.kind, tt.word, tt.question)
			}
		})
	}
	// The threshold is the environment's.
	v := analyze.Verdict{Targets: []analyze.Target{with(analyze.EffectDelete, orders)}}
	if _, ok := escalate(first, v, exact("DELETE", 11), 10); !ok {
		t.Errorf("11 rows above a threshold of 10 asked no count")
	}
	if _, ok := escalate(first, v, exact("DELETE", 10), 10); ok {
		t.Errorf("10 rows at a threshold of 10 asked a count")
	}
}
