//go:build cgo

package analyze

import "testing"

func TestPredictLearnsNothing(t *testing.T) {
	for _, c := range []*Cache{nil, NewCache(100)} {
		a := NewAnalyzer().WithCache(c)
		p := a.Predict("prepare q as delete from t where id=2")
		if p.Class != Read {
			t.Fatalf("prepare: %s", p.Class)
		}
		if v := a.Predict("execute q"); v.Class != Destructive || !v.Has(FlagOpaque) {
			t.Fatalf("execute before Learn: %s %v", v.Class, v.Flags)
		}
		a.Learn(p)
		if v := a.Predict("execute q"); v.Class != Destructive || v.Has(FlagOpaque) {
			t.Fatalf("execute after Learn: %s %v", v.Class, v.Flags)
		}
		// A PREPARE the server never accepted changes nothing.
		if v := a.Predict("prepare q as select 1"); v.Class != Read {
			t.Fatalf("prepare select: %s", v.Class)
		}
		if v := a.Predict("execute q"); v.Class != Destructive || v.Has(FlagOpaque) {
			t.Fatalf("execute after unlearnt PREPARE: %s %v", v.Class, v.Flags)
		}
		// DEALLOCATE, learnt, forgets.
		a.Learn(a.Predict("deallocate q"))
		if v := a.Predict("execute q"); !v.Has(FlagOpaque) {
			t.Fatalf("execute after DEALLOCATE: %s %v", v.Class, v.Flags)
		}
		// Learning from a cached verdict works as well.
		a.Learn(a.Predict("prepare q as select 1"))
		if v := a.Predict("execute q"); v.Class != Read || v.Has(FlagOpaque) {
			t.Fatalf("execute of a read: %s %v", v.Class, v.Flags)
		}
		a.Learn(a.Predict("deallocate all"))
		if v := a.Predict("execute q"); !v.Has(FlagOpaque) {
			t.Fatalf("execute after DEALLOCATE ALL: %s %v", v.Class, v.Flags)
		}
	}
}

func TestPredictFunctions(t *testing.T) {
	a := NewAnalyzer()
	def := a.Predict("CREATE FUNCTION purge() RETURNS void LANGUAGE sql AS 'DELETE FROM orders'")
	if v := a.Predict("SELECT purge()"); !v.Has(FlagOpaque) {
		t.Fatalf("before Learn: %s %v", v.Class, v.Flags)
	}
	a.Learn(def)
	if v := a.Predict("SELECT purge()"); v.Has(FlagOpaque) || !v.Has(FlagNoWhere) {
		t.Fatalf("after Learn: %s %v", v.Class, v.Flags)
	}
	// Within one text, a later statement sees an earlier one.
	b := NewAnalyzer()
	if v := b.Predict("PREPARE r AS SELECT 1; EXECUTE r"); v.Class != Read {
		t.Fatalf("same text: %s %v %q", v.Class, v.Flags, v.Reasons)
	}
	if v := b.Predict("PREPARE r AS SELECT 1; DEALLOCATE r; EXECUTE r"); !v.Has(FlagOpaque) {
		t.Fatalf("same text, deallocated: %s %v", v.Class, v.Flags)
	}
	if v := b.Predict("EXECUTE r"); !v.Has(FlagOpaque) {
		t.Fatalf("Predict learnt: %s %v", v.Class, v.Flags)
	}
	// A function body's text is stored, not run: a PREPARE there teaches nothing.
	b.Classify("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS 'PREPARE z AS DELETE FROM t'")
	if v := b.Predict("EXECUTE z"); !v.Has(FlagOpaque) {
		t.Fatalf("body taught: %s %v", v.Class, v.Flags)
	}
	// Classify still learns at once.
	c := NewAnalyzer()
	c.Classify("PREPARE d AS DELETE FROM t WHERE id = 1")
	if v := c.Classify("EXECUTE d"); v.Class != Destructive || v.Has(FlagOpaque) {
		t.Fatalf("Classify: %s %v", v.Class, v.Flags)
	}
}
