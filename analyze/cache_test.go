package analyze

import (
	"fmt"
	"testing"
)

// Analyzers sharing a cache agree with analyzers that do not: a verdict
// is reused only by an analyzer that has learnt the same things.
func TestCacheKeepsVerdictsApartByState(t *testing.T) {
	c := NewCache(100)
	planned := NewAnalyzer().WithCache(c)
	running := NewAnalyzer().WithCache(c)
	fresh := NewAnalyzer().WithCache(c)

	stmts := []string{
		"select 1",
		"prepare p as delete from t",
		"execute p",
		"create function f() returns void language sql as 'delete from t'",
		"select f()",
		"deallocate p",
		"execute p",
	}
	for _, sql := range stmts {
		planned.Classify(sql)
	}
	ref := NewAnalyzer()
	for _, sql := range stmts {
		got, want := running.Classify(sql), ref.Classify(sql)
		if got.Class != want.Class || fmt.Sprint(got.Flags, got.Reasons) != fmt.Sprint(want.Flags, want.Reasons) {
			t.Errorf("%q: cached %v %v, uncached %v %v", sql, got.Class, got.Flags, want.Class, want.Flags)
		}
	}
	// An analyzer that never saw the PREPARE must not reuse the verdict
	// of "execute p" learnt after it.
	if got, want := fresh.Classify("execute p"), Classify("execute p"); got.Class != want.Class {
		t.Errorf("fresh analyzer: execute p is %v, uncached %v", got.Class, want.Class)
	}
}

func TestCacheStartsOverWhenFull(t *testing.T) {
	c := NewCache(2)
	a := NewAnalyzer().WithCache(c)
	for _, sql := range []string{"select 1", "select 2", "select 3"} {
		a.Classify(sql)
	}
	if len(c.m) > 2 {
		t.Fatalf("cache holds %d verdicts, max 2", len(c.m))
	}
}
