package audit

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// TestLineIsWhatEncodingJSONWrites: the hand-written encoder writes every
// line byte for byte as encoding/json would (HTML escaping off), for
// strings with quotes, control characters, invalid UTF-8 and U+2028.
func TestLineIsWhatEncodingJSONWrites(t *testing.T) {
	pieces := []string{"", "a", "select 1", `"`, `\`, "\n", "\r\t", "\b\f", "\x00", "\x1f", "\x7f", "<&>", "é", "日本", "\u2028", "\u2029", "\xff", "\xe2\x80", "'it''s'", "\U0001F600"}
	rng := rand.New(rand.NewPCG(1, 2))
	str := func() string {
		var b []byte
		for n := rng.IntN(5); n > 0; n-- {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		return string(b)
	}
	num := func() *int64 {
		if rng.IntN(3) == 0 {
			return nil
		}
		v := rng.Int64N(1<<40) - 1<<20
		return &v
	}
	floats := []float64{0, 0.001, 1.5, 12.345, 1e-7, 3e21, 123456.789, 0.000001}
	for i := 0; i < 5000; i++ {
		l := line{Time: str(), Session: str(), OSUser: str(), SSHClient: str(), Env: str(), Tier: str(),
			Host: str(), Database: str(), DBUser: str(), Statement: str(), Class: str(),
			DryRunRows: num(), DryRunEstimate: rng.IntN(2) == 0, Decision: str(), Reason: str(),
			Rows: num(), DurationMS: floats[rng.IntN(len(floats))], Error: str(), Tx: str()}
		for n := rng.IntN(3); n > 0; n-- {
			l.Flags = append(l.Flags, str())
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(l); err != nil {
			t.Fatal(err)
		}
		if got := l.appendJSON(nil); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("line %+v\n got %s\nwant %s", l, got, want.Bytes())
		}
	}
}
