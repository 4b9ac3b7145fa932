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
