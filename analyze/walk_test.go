//go:build cgo

package analyze

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"testing"

	pg "github.com/safesql/safesql/analyze/pgparse"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// TestGeneratedWalkReachesEverything compares the generated walker with a
// protoreflect walk over the parse trees of every testdata statement: both
// must reach the same messages, or a write could hide in a missed field.
func TestGeneratedWalkReachesEverything(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.sql")
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := pg.Parse(string(data))
		if err != nil {
			// Files hold deliberately broken statements; parse them one by one.
			for _, c := range readWantFile(t, f) {
				if r, err := pg.Parse(c.sql); err == nil {
					n += compareWalks(t, c.sql, r)
				}
			}
			continue
		}
		n += compareWalks(t, f, res)
	}
	if n < 1000 {
		t.Errorf("only %d messages compared", n)
	}
}

func compareWalks(t *testing.T, what string, res *pg.ParseResult) int {
	t.Helper()
	gen := map[string]int{}
	s := &state{trace: func(m any) { gen[fmt.Sprintf("%T", m)]++ }}
	ref := map[string]int{}
	for _, raw := range res.Stmts {
		s.visitNode(raw.Stmt)
		reflectWalk(raw.Stmt.ProtoReflect(), ref)
	}
	if !maps.Equal(gen, ref) {
		for k, v := range ref {
			if gen[k] != v {
				t.Errorf("%s: %s reached %d times by the generated walker, %d by protoreflect", what, k, gen[k], v)
			}
		}
		for k, v := range gen {
			if _, ok := ref[k]; !ok {
				t.Errorf("%s: %s reached %d times only by the generated walker", what, k, v)
			}
		}
	}
	total := 0
	for _, v := range ref {
		total += v
	}
	return total
}

func reflectWalk(m protoreflect.Message, seen map[string]int) {
	if _, isNode := m.Interface().(*pg.Node); !isNode {
		seen[fmt.Sprintf("%T", m.Interface())]++
	}
	if _, isConst := m.Interface().(*pg.A_Const); isConst {
		return // its value is a leaf in a oneof the walker need not enter
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind {
			return true
		}
		if fd.IsList() {
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				reflectWalk(l.Get(i).Message(), seen)
			}
		} else if !fd.IsMap() {
			reflectWalk(v.Message(), seen)
		}
		return true
	})
}

// The two walks over the 30-line analytical query's tree, to compare.
func BenchmarkWalkGenerated(b *testing.B) {
	res, err := pg.Parse(benchAnalytical)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	s := &state{trace: func(any) { n++ }}
	for b.Loop() {
		s.visitNode(res.Stmts[0].Stmt)
	}
}

func BenchmarkWalkProtoreflect(b *testing.B) {
	res, err := pg.Parse(benchAnalytical)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		countWalk(res.Stmts[0].Stmt.ProtoReflect())
	}
}

// countWalk is the protoreflect walk the analyzer used before walk_gen.go.
func countWalk(m protoreflect.Message) int {
	n := 1
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind {
			return true
		}
		if fd.IsList() {
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				n += countWalk(l.Get(i).Message())
			}
		} else if !fd.IsMap() {
			n += countWalk(v.Message())
		}
		return true
	})
	return n
}
