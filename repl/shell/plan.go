package shell

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/analyze/split"
	"github.com/safesql/safesql/repl/engine"
)

// MakePlan splits and classifies every input (statements, and \copy FROM
// as a write) and applies the session's rules to the whole, as a run with
// the session's Confirm and engine.Grants would meet them.
func (s *Session) MakePlan(ctx context.Context, inputs []engine.PlanInput) (engine.Plan, error) {
	p := engine.Plan{Verbose: s.PlanVerbose}
	a := analyze.NewAnalyzer().WithCache(s.Verdicts()).WithStandardStrings(s.StandardStrings())
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
		in := engine.PlanInput{Name: name, R: r}
		sc := split.NewScanner(in.R, split.WithCopyChunks(0), split.WithStandardStrings(s.StandardStrings()))
		var pending strings.Builder // psql's query buffer
		startLine := 0
		flush := func() {
			if strings.TrimSpace(pending.String()) != "" {
				s.PlanStatement(ctx, &p, a, in.Name, startLine, split.Interpolate(pending.String(), lookup))
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
					p.AddWrite(engine.PlanStep{Source: in.Name, Line: it.Line, SQL: `\lo_import ` + it.Args,
						Verdict: analyze.Verdict{Class: analyze.Write, Reasons: []string{"\\lo_import creates a large object"}}})
				case "lo_unlink":
					if args := metaArgs(it.Args, lookup); len(args) > 0 {
						s.PlanStatement(ctx, &p, a, in.Name, it.Line, "SELECT pg_catalog.lo_unlink("+analyze.QuoteLiteral(args[0])+"::pg_catalog.oid)")
					}
				case "i", "include", "ir", "include_relative":
					args := metaArgs(it.Args, lookup)
					if len(args) == 0 || depth >= engine.MaxIncludeDepth {
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
						p.AddWrite(engine.PlanStep{Source: in.Name, Line: it.Line, SQL: `\copy ` + it.Args,
							Verdict: analyze.Verdict{Class: analyze.Write, Reasons: []string{"\\copy FROM loads rows into " + ca.Target},
								Targets: a.Classify(ca.SQL).Targets}})
					}
				}
				if it.CopyStream {
					_ = sc.CopyReader().Close()
				}
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("read %s: %w", engine.PlanName(in.Name), err)
		}
		flush()
		return nil
	}
	for _, in := range inputs {
		if err := planInput(in.Name, in.R, 0); err != nil {
			return p, err
		}
	}
	s.ApplyPlanRules(ctx, &p)
	return p, nil
}
