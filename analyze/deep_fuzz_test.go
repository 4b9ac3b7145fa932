//go:build cgo

package analyze

import (
	"strings"
	"testing"
)

// deepPieces are the shapes that nest: each is written around or after the
// expression built so far. Open/close pairs make parentheses, subqueries
// and CASE; the infix ones make operator and keyword chains.
var deepPieces = []struct{ open, close string }{
	{"(", ")"},
	{"(select ", ")"},
	{"exists (select ", ")"},
	{"array[", "]"},
	{"case when true then ", " end"},
	{"not ", ""},
	{"- ", ""},
	{"", " + 1"},
	{"", " || 'a'"},
	{"", "::int"},
	{"", " is null"},
	{"", " collate \"C\""},
	{"", " at time zone 'utc'"},
	{"", " in (1)"},
	{"", " like 'a'"},
	{"", " and a = 1"},
	{"", " or a = 1"},
	{"", " union select 1"},
	{"", ", 1"},
}

// deepStatement builds a statement from the fuzzer's bytes: the first two
// give how often each piece repeats (up to 65,535 times), the rest choose
// the pieces, so the fuzzer grows nesting depth and statement size by
// itself.
func deepStatement(data []byte) string {
	if len(data) < 3 {
		return "select 1"
	}
	reps := int(data[0])<<8 | int(data[1])
	var open, close strings.Builder
	var tail string
	for _, b := range data[2:] {
		p := deepPieces[int(b)%len(deepPieces)]
		n := 1 + reps/(len(data)-2)
		if b >= 128 {
			n = 1 // a single piece between the repeated ones
		}
		for range n {
			open.WriteString(p.open)
		}
		tail = strings.Repeat(p.close, n) + tail
	}
	close.WriteString(tail)
	prefix := "select "
	if data[0]&1 == 1 {
		prefix = "delete from t where "
	}
	return prefix + open.String() + "1" + close.String()
}

// FuzzDeep grows nesting and length: whatever it builds, the analyzer gives
// a verdict without a crash (the C parser aborting the process is the
// failure this looks for), and a statement it could not parse is
// destructive with the reason said.
func FuzzDeep(f *testing.F) {
	for _, seed := range [][]byte{
		{0, 10, 0}, {0x75, 0x30, 7}, {0x9c, 0x40, 8}, {0xff, 0xff, 10}, {0xff, 0xff, 15},
		{0x13, 0x88, 1, 4, 11}, {0xff, 0xff, 17}, {0x40, 0x00, 12, 13, 14}, {0x10, 0x00, 0, 1, 2, 3, 4, 5, 6},
	} {
		f.Add(seed)
	}
	a := NewAnalyzer()
	f.Fuzz(func(t *testing.T, data []byte) {
		sql := deepStatement(data)
		v := a.Classify(sql)
		checkVerdict(t, sql, v)
		if v.Has(FlagUnparsed) && v.Class != Destructive {
			t.Fatalf("%.200q: unparsed but %s", sql, v.Class)
		}
	})
}
