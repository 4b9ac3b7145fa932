package engine

import (
	"bytes"
	"testing"

	"github.com/safesql/safesql/analyze"
)

// TestPlanSummaryGroupsByClassCommandAndTable: the summary's lines, as
// PrintPlan writes them for a plan of many changes.
func TestPlanSummaryGroupsByClassCommandAndTable(t *testing.T) {
	a := analyze.NewAnalyzer()
	var p Plan
	add := func(n int, sql string) {
		for range n {
			v := a.Classify(sql)
			st := PlanStep{Source: "s.sql", Line: 1, SQL: sql, Verdict: v}
			p.Counts[v.Class]++
			if v.Class == analyze.Destructive {
				p.tally(st)
				p.Destructive = append(p.Destructive, st)
			} else {
				p.AddWrite(st)
			}
		}
	}
	add(1200, "insert into app.w values (1)")
	add(3, "update app.w set x = 1 where id = 2")
	add(2, "insert into app.v select * from app.w")
	add(1, "drop table app.old")
	var out bytes.Buffer
	printGroups(&out, p)
	want := "  1,200 writes: INSERT into app.w\n" +
		"  3 destructive: UPDATE app.w\n" + // an UPDATE is destructive (analyzer-contract.md)
		"  2 writes: INSERT into app.v\n" +
		"  1 destructive: DROP TABLE app.old\n"
	if out.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", out.String(), want)
	}
}
