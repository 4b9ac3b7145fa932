package engine

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/safesql/safesql/repl/dryrun"
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

	// Groups count the writes and destructive statements by class,
	// command and table, in the order first met, for the summary
	// ("10,000 writes: INSERT into public.w"); at most planGroups, the
	// rest counted in Ungrouped by class.
	Groups    []PlanGroup
	Ungrouped [3]int
	// Verbose keeps every change in Changes, in order (--plan-verbose).
	Verbose bool
	Changes []PlanStep
}

// PlanGroup is the statements of a plan of one class and command on the
// same tables.
type PlanGroup struct {
	Class   analyze.Class
	Command string          // "INSERT", "DROP TABLE", "\copy"
	Verdict analyze.Verdict // the first statement's: its targets name the tables
	Count   int
	key     string
}

// Names is what the group's statements change: its command and tables,
// as "INSERT into public.w".
func (g PlanGroup) Names() string {
	var names []string
	for _, t := range g.Verdict.Targets {
		if t.Name != "" && t.Effect != analyze.EffectRead && !slices.Contains(names, qualifiedName(t)) {
			names = append(names, qualifiedName(t))
		}
	}
	if len(names) == 0 {
		return g.Command
	}
	prep := " "
	switch g.Command {
	case "INSERT", "COPY", `\copy`, "MERGE":
		prep = " into "
	case "DELETE":
		prep = " from "
	}
	return g.Command + prep + strings.Join(names, ", ")
}

// planGroups bounds the groups a plan keeps: a script touching more
// tables than that counts the rest in Ungrouped.
const planGroups = 100

// planDetailed is the most changes a plan lists one by one without
// --plan-verbose; more are summarised by group.
const planDetailed = 10

// groupCommand is the command a group is named by: the command word, and
// for DDL the kind of object ("DROP TABLE").
func groupCommand(sql string, v analyze.Verdict) string {
	cmd := analyze.Command(sql)
	switch cmd {
	case "CREATE", "DROP", "ALTER":
		for _, t := range v.Targets {
			if t.Kind != "" && t.Effect != analyze.EffectRead {
				return cmd + " " + strings.ToUpper(t.Kind)
			}
		}
	}
	return cmd
}

// tally counts a write or destructive statement in its group (and keeps
// it in Changes when the plan is verbose).
func (p *Plan) tally(st PlanStep) {
	if p.Verbose {
		p.Changes = append(p.Changes, st)
	}
	cmd := groupCommand(st.SQL, st.Verdict)
	var key strings.Builder
	fmt.Fprintf(&key, "%d\x00%s", st.Verdict.Class, cmd)
	for _, t := range st.Verdict.Targets {
		if t.Name != "" && t.Effect != analyze.EffectRead {
			fmt.Fprintf(&key, "\x00%s.%s", t.Schema, t.Name)
		}
	}
	k := key.String()
	for i := range p.Groups {
		if p.Groups[i].key == k {
			p.Groups[i].Count++
			return
		}
	}
	if len(p.Groups) >= planGroups {
		p.Ungrouped[st.Verdict.Class]++
		return
	}
	p.Groups = append(p.Groups, PlanGroup{Class: st.Verdict.Class, Command: cmd, Verdict: st.Verdict, Count: 1, key: k})
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
		p.tally(step)
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
			e.where(), countOf(changes, "statement", "statements"), where(f), describeWrite(f.SQL, e.qualified(ctx, f.Verdict)), way))
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
	if p.NeedsAttention(e) && changes > planDetailed {
		// The summary names tables as the server resolves them: one
		// query a group, and only for a plan that is shown.
		for i := range p.Groups {
			p.Groups[i].Verdict = e.qualified(ctx, p.Groups[i].Verdict)
		}
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

// PrintPlan prints the plan on w: the counts; then each destructive
// statement in full with its reasons, and each write where writes are
// refused, when there are few changes (planDetailed); when there are
// more, a summary by class, command and table and each destructive
// statement; with --plan-verbose the summary and every change, in order.
// Then the refusals, each on one line.
func (e *Engine) PrintPlan(w io.Writer, p Plan) {
	fmt.Fprintf(w, "safesql: plan for %s: %s: %s read, %s write, %s destructive\n",
		e.where(), countOf(p.Total(), "statement", "statements"), dryrun.Thousands(int64(p.Counts[0])), dryrun.Thousands(int64(p.Counts[1])), dryrun.Thousands(int64(p.Counts[2])))
	changes := p.Counts[analyze.Write] + p.Counts[analyze.Destructive]
	switch {
	case p.Verbose:
		printGroups(w, p)
		for _, st := range p.Changes {
			printStep(w, st)
		}
	case changes > planDetailed:
		printGroups(w, p)
		printDestructive(w, p)
	default:
		printDestructive(w, p)
		if e.readOnlyNow() && !e.Grants.Write {
			for _, st := range p.Writes {
				fmt.Fprintf(w, "  %s: write: %s\n", where(st), frontend.Shorten(audit.Redact(st.SQL), 60))
			}
		}
	}
	if p.RollsBack && len(p.Refusals) == 0 {
		fmt.Fprintf(w, "safesql: note: changes run in one transaction that is rolled back at the end; give --commit to commit it\n")
	}
	for _, r := range p.Refusals {
		fmt.Fprintf(w, "safesql: refused: %s\n", r)
	}
}

// printGroups prints the summary: one line a class, command and table.
func printGroups(w io.Writer, p Plan) {
	for _, g := range p.Groups {
		fmt.Fprintf(w, "  %s: %s\n", classCount(g.Class, g.Count), g.Names())
	}
	for c, n := range p.Ungrouped {
		if n > 0 {
			fmt.Fprintf(w, "  %s: other commands and tables\n", classCount(analyze.Class(c), n))
		}
	}
}

// printDestructive prints each destructive statement kept, in full.
func printDestructive(w io.Writer, p Plan) {
	for _, st := range p.Destructive {
		printStep(w, st)
	}
	if more := p.Counts[analyze.Destructive] - len(p.Destructive); more > 0 {
		fmt.Fprintf(w, "  ... and %s more destructive\n", dryrun.Thousands(int64(more)))
	}
}

// printStep prints one statement in full (redacted; its lines after the
// first behind a "    | " gutter, apart from the reasons), and a
// destructive one's reasons.
func printStep(w io.Writer, st PlanStep) {
	kind := "write"
	if st.Verdict.Class == analyze.Destructive {
		kind = "destructive"
	}
	// The statement and its reasons (a parser's error quotes it) are
	// shown redacted.
	shown, scrub := audit.RedactStatement(st.SQL)
	shown = strings.TrimRight(strings.TrimSpace(shown), "\n")
	fmt.Fprintf(w, "  %s: %s: %s\n", where(st), kind, strings.ReplaceAll(shown, "\n", "\n    | "))
	if st.Verdict.Class == analyze.Destructive {
		for _, r := range st.Verdict.Reasons {
			fmt.Fprintf(w, "      %s\n", scrub(r))
		}
	}
}

// classCount is "10,000 writes", "1 write", "3 destructive".
func classCount(c analyze.Class, n int) string {
	if c == analyze.Destructive {
		return dryrun.Thousands(int64(n)) + " destructive"
	}
	return countOf(n, "write", "writes")
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return dryrun.Thousands(int64(n)) + " " + many
}

// planListed bounds the statements of each kind a plan keeps to show: a
// script's plan costs the same memory whatever its length (the counts are
// kept in full).
const planListed = 100

// AddWrite counts a write in its group and keeps it to show, while there
// is room.
func (p *Plan) AddWrite(st PlanStep) {
	p.tally(st)
	if len(p.Writes) < planListed {
		p.Writes = append(p.Writes, st)
	}
}
