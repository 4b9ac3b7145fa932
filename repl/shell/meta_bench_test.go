package shell

import (
	"context"
	"testing"
)

// BenchmarkMetaDispatch is one backslash command through the session's
// dispatcher: \set x 1 (the table lookup, the argument scanning, the
// command's body).
func BenchmarkMetaDispatch(b *testing.B) {
	s, _, _ := newTestSession(b, "")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf := ""
		if res := s.runMeta(ctx, "set", "x 1", &buf, Source{}, nil); res.err != nil {
			b.Fatal(res.err)
		}
	}
}

// TestBackslashCommandIsCheap: running a backslash command looks it up
// in the table built at Connect; it does not build the table again (that
// cost 138 allocations for \set x 1; it is 12).
func TestBackslashCommandIsCheap(t *testing.T) {
	s, _, _ := newTestSession(t, "")
	ctx := context.Background()
	allocs := testing.AllocsPerRun(50, func() {
		buf := ""
		if res := s.runMeta(ctx, "set", "x 1", &buf, Source{}, nil); res.err != nil {
			t.Fatal(res.err)
		}
	})
	if allocs > 30 {
		t.Errorf(`\set x 1 made %.0f allocations, want at most 30: is the command table built per command again?`, allocs)
	}
	if v, _ := s.Vars.Get("x"); v != "1" {
		t.Errorf(`after \set x 1, x is %q`, v)
	}
}
