package engine

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/safesql/safesql/repl/pg"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/policy"
)

// PlanInput is one input of a non-interactive run: a -c text or a file.
type PlanInput struct {
	Name string    // file name, "" for -c or piped standard input
	R    io.Reader // the text
}

// PlanStep is one statement of a plan.
type PlanStep struct {
	Source  string
	Line    int
	SQL     string
	Verdict analyze.Verdict
}

// Plan is what a whole input would do, worked out before anything runs.
type Plan struct {
	Counts      [3]int // by class: read, write, destructive
	Writes      []PlanStep
	Destructive []PlanStep
	Commits     []PlanStep // explicit COMMITs
	// Irreversible is the first change that takes effect outside the
	// run's transaction (COMMIT PREPARED, dblink_exec, VACUUM, ...).
	Irreversible *PlanStep
	Refusals     []string // one line each: the rule and the way out
	// RollsBack: the input changes things in an implicit transaction that
	// nobody can commit (no terminal, no --commit).
	RollsBack bool
	// Included are the files \i and \ir bring in, planned with the rest.
	Included []string
}

// Total is the number of statements.
func (p Plan) Total() int { return p.Counts[0] + p.Counts[1] + p.Counts[2] }

// NeedsAttention reports whether the plan must be shown: something will be
// refused, asked or rolled back. A plan that needs nothing is never shown,
// so the run prints exactly what psql prints.
func (p Plan) NeedsAttention(e *Engine) bool {
	return len(p.Refusals) > 0 || (len(p.Destructive) > 0 && e.policy.asks()) || p.RollsBack
}

// IsPreplanned reports whether the file at path was planned with the whole
// input (its \i does not plan it again).
func (e *Engine) IsPreplanned(path string) bool { return e.preplanned[path] }

// Preplanned records that the files of plan were planned with the whole
// input: their \i does not plan them again when the run gets there.
func (e *Engine) Preplanned(plan Plan) {
	if e.preplanned == nil {
		e.preplanned = map[string]bool{}
	}
	for _, f := range plan.Included {
		e.preplanned[f] = true
	}
}

// MaxIncludeDepth bounds how deep the plan follows \i into files.
const MaxIncludeDepth = 16

func PlanName(n string) string {
	if n == "" {
		return "standard input"
	}
	return n
}

func (e *Engine) PlanStatement(ctx context.Context, p *Plan, a *analyze.Analyzer, src string, line int, sql string) {
	if strings.TrimSpace(strings.TrimRight(analyze.SkipBlank(sql), ";")) == "" {
		return
	}
	v := a.Classify(sql)
	if v.Has(analyze.FlagUnparsed) && v.ParseError != nil && v.ParseError.Cursor > 0 {
		// a syntax error: shown when it is reached, as the server's
		// would be, and never sent; it changes nothing
		return
	}
	if v.TxControl == analyze.TxCommit || v.TxControl == analyze.TxPrepare {
		p.Commits = append(p.Commits, PlanStep{Source: src, Line: line, SQL: sql})
	}
	if len(v.Calls) > 0 && pg.StateOf(e.conn) != pg.Gone && pg.StateOf(e.conn) != pg.Failed {
		v = v.Refine(e.volatility(ctx, v.Calls))
	}
	if v.Class < 0 || int(v.Class) > 2 {
		v.Class = analyze.Destructive
	}
	p.Counts[v.Class]++
	step := PlanStep{Source: src, Line: line, SQL: sql, Verdict: v}
	if f := policy.FactsOf(v); p.Irreversible == nil && f.Class >= analyze.Write && (f.OutsideTx || f.Untryable) {
		p.Irreversible = &step
	}
	switch v.Class {
	case analyze.Write:
		p.AddWrite(step)
	case analyze.Destructive:
		if len(p.Destructive) < planListed {
			p.Destructive = append(p.Destructive, step)
		}
	}
}

// planRules fills the refusals: every rule that would stop the run part
// way is applied before anything runs.
func (e *Engine) ApplyPlanRules(ctx context.Context, p *Plan) {
	changes := p.Counts[analyze.Write] + p.Counts[analyze.Destructive]
	if e.readOnlyNow() && changes > 0 && !e.Grants.Write {
		first := p.Destructive
		if len(p.Writes) > 0 && (len(first) == 0 || p.Writes[0].Line < first[0].Line) {
			first = p.Writes
		}
		f := first[0]
		way := "run with --write to allow writes"
		if e.Interactive {
			way = `type \write to allow writes in this session, then run it again`
		}
		p.Refusals = append(p.Refusals, fmt.Sprintf("%s is read-only and this input writes (%s; the first at %s: %s); %s",
			e.where(), plural(changes, "statement"), where(f), describeWrite(f.SQL, e.qualified(ctx, f.Verdict)), way))
	}
	if e.policy.asks() && len(p.Destructive) > 0 && e.Confirm == nil {
		g := e.Grants.ConfirmWord
		ok := g != "" && (e.policy.Confirm != ConfirmWord || g == e.policy.ConfirmWord)
		if !ok {
			way := "give --confirm " + orWord(e.policy.ConfirmWord)
			if g != "" && e.policy.Confirm == ConfirmWord {
				way = fmt.Sprintf("--confirm %q is not the word for %s; give --confirm %s", g, e.where(), e.policy.ConfirmWord)
			}
			p.Refusals = append(p.Refusals, fmt.Sprintf("%s destructive in %s and there is no terminal to confirm on; %s",
				pluralStmt(p.Counts[analyze.Destructive]), e.where(), way))
		}
	}
	if e.policy.asks() && len(p.Commits) > 0 && changes > 0 && e.Confirm == nil && !e.Grants.Commit {
		p.Refusals = append(p.Refusals, fmt.Sprintf("the input commits (at %s) in %s and there is no terminal to review the commit on; give --commit",
			where(p.Commits[0]), e.where()))
	}
	if st := p.Irreversible; st != nil && !e.policy.Autocommit && e.Confirm == nil && !e.Grants.Commit && !e.Interactive {
		p.Refusals = append(p.Refusals, fmt.Sprintf("%s: %s takes effect outside the run's transaction, so the rollback at the end would not undo it; %s",
			where(*st), analyze.Command(st.SQL), e.irreversibleWayOut(st.Verdict)))
	}
	if !e.policy.Autocommit && changes > 0 && e.Confirm == nil && !e.Grants.Commit && !e.Interactive {
		p.RollsBack = true
	}
}

func pluralStmt(n int) string {
	if n == 1 {
		return "1 statement is"
	}
	return fmt.Sprintf("%d statements are", n)
}

func where(st PlanStep) string {
	if st.Source == "" {
		return fmt.Sprintf("line %d", st.Line)
	}
	return fmt.Sprintf("%s:%d", st.Source, st.Line)
}

// PrintPlan prints the plan on w: the counts, each destructive statement
// with its reasons, each write where writes are refused, then the
// refusals, each on one line.
func (e *Engine) PrintPlan(w io.Writer, p Plan) {
	fmt.Fprintf(w, "safesql: plan for %s: %s: %d read, %d write, %d destructive\n",
		e.where(), plural(p.Total(), "statement"), p.Counts[0], p.Counts[1], p.Counts[2])
	for _, st := range p.Destructive {
		// The statement and its reasons (a parser's error quotes it)
		// are shown redacted.
		shown, scrub := audit.RedactStatement(st.SQL)
		fmt.Fprintf(w, "  %s: destructive: %s\n", where(st), frontend.Shorten(shown, 60))
		for _, r := range st.Verdict.Reasons {
			fmt.Fprintf(w, "      %s\n", scrub(r))
		}
	}
	if more := p.Counts[analyze.Destructive] - len(p.Destructive); more > 0 {
		fmt.Fprintf(w, "  ... and %d more destructive\n", more)
	}
	if e.readOnlyNow() && !e.Grants.Write {
		for _, st := range p.Writes {
			fmt.Fprintf(w, "  %s: write: %s\n", where(st), frontend.Shorten(audit.Redact(st.SQL), 60))
		}
		if more := p.Counts[analyze.Write] - len(p.Writes); more > 0 {
			fmt.Fprintf(w, "  ... and %d more writes\n", more)
		}
	}
	if p.RollsBack && len(p.Refusals) == 0 {
		fmt.Fprintf(w, "safesql: note: changes run in one transaction that is rolled back at the end; give --commit to commit it\n")
	}
	for _, r := range p.Refusals {
		fmt.Fprintf(w, "safesql: refused: %s\n", r)
	}
}

// planListed bounds the statements of each kind a plan keeps to show: a
// script's plan costs the same memory whatever its length (the counts are
// kept in full).
const planListed = 100

// addWrite keeps a write to show, while there is room.
func (p *Plan) AddWrite(st PlanStep) {
	if len(p.Writes) < planListed {
		p.Writes = append(p.Writes, st)
	}
}
