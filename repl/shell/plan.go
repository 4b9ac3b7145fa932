package shell

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/safesql/safesql/repl/pg"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/analyze/split"
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
func (p Plan) NeedsAttention(s *Session) bool {
	return len(p.Refusals) > 0 || (len(p.Destructive) > 0 && s.policy.asks()) || p.RollsBack
}

// MakePlan splits and classifies every input (statements, and \copy FROM
// as a write) and applies the session's rules to the whole, as a run with
// the session's Confirm and Grants would meet them.
func (s *Session) MakePlan(ctx context.Context, inputs []PlanInput) (Plan, error) {
	var p Plan
	a := analyze.NewAnalyzer().WithCache(s.verdicts()).WithStandardStrings(s.standardStrings())
	// Variables as the run will see them: the session's, and those the
	// input sets with \set; a variable only known when the run gets there
	// (\gset, \prompt) plans as 0, which any statement accepts.
	vars := map[string]string{}
	lookup := func(name string) (string, bool) {
		if v, ok := vars[name]; ok {
			return v, true
		}
		if v, ok := s.Vars.Get(name); ok {
			return v, true
		}
		return "0", true
	}
	// planInput plans one input; \i and \ir are followed into their files
	// (up to a depth that stops a file including itself).
	var planInput func(name string, r io.Reader, depth int) error
	planInput = func(name string, r io.Reader, depth int) error {
		in := PlanInput{Name: name, R: r}
		sc := split.NewScanner(in.R, split.WithCopyChunks(0), split.WithStandardStrings(s.standardStrings()))
		var pending strings.Builder // psql's query buffer
		startLine := 0
		flush := func() {
			if strings.TrimSpace(pending.String()) != "" {
				s.planStep(ctx, &p, a, in.Name, startLine, split.Interpolate(pending.String(), lookup))
			}
			pending.Reset()
		}
		for sc.Scan() {
			it := sc.Item()
			switch it.Kind {
			case split.Statement:
				if pending.Len() == 0 {
					startLine = it.Line
				} else if it.SQL != "" {
					pending.WriteByte('\n')
				}
				pending.WriteString(it.SQL)
				if it.CopyStream {
					_ = sc.CopyReader().Close()
				}
				if it.Complete || it.CopyData != nil || it.CopyStream {
					flush()
				}
			case split.Meta:
				switch {
				case it.SendsQuery():
					flush()
				case it.ResetsQuery():
					pending.Reset()
				}
				switch it.Command {
				case "set":
					if args := metaArgs(it.Args, lookup); len(args) > 0 {
						vars[args[0]] = strings.Join(args[1:], "")
					}
				case "unset":
					if args := metaArgs(it.Args, lookup); len(args) > 0 {
						delete(vars, args[0])
					}
				case "lo_import":
					p.Counts[analyze.Write]++
					p.addWrite(PlanStep{Source: in.Name, Line: it.Line, SQL: `\lo_import ` + it.Args,
						Verdict: analyze.Verdict{Class: analyze.Write, Reasons: []string{"\\lo_import creates a large object"}}})
				case "lo_unlink":
					if args := metaArgs(it.Args, lookup); len(args) > 0 {
						s.planStep(ctx, &p, a, in.Name, it.Line, "SELECT pg_catalog.lo_unlink("+quoteLiteral(args[0])+"::pg_catalog.oid)")
					}
				case "i", "include", "ir", "include_relative":
					args := metaArgs(it.Args, lookup)
					if len(args) == 0 || depth >= maxIncludeDepth {
						break
					}
					path := args[0]
					if (it.Command == "ir" || it.Command == "include_relative") && !filepath.IsAbs(path) && in.Name != "" && in.Name != "-" {
						path = filepath.Join(filepath.Dir(in.Name), path)
					}
					f, err := os.Open(path)
					if err != nil {
						break // the run reports it when it gets there
					}
					p.Included = append(p.Included, path)
					err = planInput(path, f, depth+1)
					f.Close()
					if err != nil {
						return err
					}
				case "copy":
					if ca, err := split.ParseCopy(it.Args); err == nil && ca.From {
						p.Counts[analyze.Write]++
						p.addWrite(PlanStep{Source: in.Name, Line: it.Line, SQL: `\copy ` + it.Args,
							Verdict: analyze.Verdict{Class: analyze.Write, Reasons: []string{"\\copy FROM loads rows into " + ca.Target}}})
					}
				}
				if it.CopyStream {
					_ = sc.CopyReader().Close()
				}
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("read %s: %w", planName(in.Name), err)
		}
		flush()
		return nil
	}
	for _, in := range inputs {
		if err := planInput(in.Name, in.R, 0); err != nil {
			return p, err
		}
	}
	s.planRules(ctx, &p)
	return p, nil
}

// Preplanned records that the files of plan were planned with the whole
// input: their \i does not plan them again when the run gets there.
func (s *Session) Preplanned(plan Plan) {
	if s.preplanned == nil {
		s.preplanned = map[string]bool{}
	}
	for _, f := range plan.Included {
		s.preplanned[f] = true
	}
}

// maxIncludeDepth bounds how deep the plan follows \i into files.
const maxIncludeDepth = 16

func planName(n string) string {
	if n == "" {
		return "standard input"
	}
	return n
}

func (s *Session) planStep(ctx context.Context, p *Plan, a *analyze.Analyzer, src string, line int, sql string) {
	if strings.TrimSpace(strings.TrimRight(skipNoise(sql), ";")) == "" {
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
	if len(v.Calls) > 0 && pg.StateOf(s.conn) != pg.Gone && pg.StateOf(s.conn) != pg.Failed {
		v = v.Refine(s.volatility(ctx, v.Calls))
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
		p.addWrite(step)
	case analyze.Destructive:
		if len(p.Destructive) < planListed {
			p.Destructive = append(p.Destructive, step)
		}
	}
}

// planRules fills the refusals: every rule that would stop the run part
// way is applied before anything runs.
func (s *Session) planRules(ctx context.Context, p *Plan) {
	changes := p.Counts[analyze.Write] + p.Counts[analyze.Destructive]
	if s.readOnlyNow() && changes > 0 && !s.Grants.Write {
		first := p.Destructive
		if len(p.Writes) > 0 && (len(first) == 0 || p.Writes[0].Line < first[0].Line) {
			first = p.Writes
		}
		f := first[0]
		way := "run with --write to allow writes"
		if s.Interactive {
			way = `type \write to allow writes in this session, then run it again`
		}
		p.Refusals = append(p.Refusals, fmt.Sprintf("%s is read-only and this input writes (%s; the first at %s: %s); %s",
			s.where(), plural(changes, "statement"), where(f), describeWrite(f.SQL, s.qualified(ctx, f.Verdict)), way))
	}
	if s.policy.asks() && len(p.Destructive) > 0 && s.Confirm == nil {
		g := s.Grants.ConfirmWord
		ok := g != "" && (s.policy.Confirm != ConfirmWord || g == s.policy.ConfirmWord)
		if !ok {
			way := "give --confirm " + orWord(s.policy.ConfirmWord)
			if g != "" && s.policy.Confirm == ConfirmWord {
				way = fmt.Sprintf("--confirm %q is not the word for %s; give --confirm %s", g, s.where(), s.policy.ConfirmWord)
			}
			p.Refusals = append(p.Refusals, fmt.Sprintf("%s destructive in %s and there is no terminal to confirm on; %s",
				pluralStmt(p.Counts[analyze.Destructive]), s.where(), way))
		}
	}
	if s.policy.asks() && len(p.Commits) > 0 && changes > 0 && s.Confirm == nil && !s.Grants.Commit {
		p.Refusals = append(p.Refusals, fmt.Sprintf("the input commits (at %s) in %s and there is no terminal to review the commit on; give --commit",
			where(p.Commits[0]), s.where()))
	}
	if st := p.Irreversible; st != nil && !s.policy.Autocommit && s.Confirm == nil && !s.Grants.Commit && !s.Interactive {
		p.Refusals = append(p.Refusals, fmt.Sprintf("%s: %s takes effect outside the run's transaction, so the rollback at the end would not undo it; %s",
			where(*st), strings.ToUpper(firstWord(st.SQL)), s.irreversibleWayOut(st.Verdict)))
	}
	if !s.policy.Autocommit && changes > 0 && s.Confirm == nil && !s.Grants.Commit && !s.Interactive {
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
func (s *Session) PrintPlan(w io.Writer, p Plan) {
	fmt.Fprintf(w, "safesql: plan for %s: %s: %d read, %d write, %d destructive\n",
		s.where(), plural(p.Total(), "statement"), p.Counts[0], p.Counts[1], p.Counts[2])
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
	if s.readOnlyNow() && !s.Grants.Write {
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
func (p *Plan) addWrite(st PlanStep) {
	if len(p.Writes) < planListed {
		p.Writes = append(p.Writes, st)
	}
}
