package syntax

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// byteKinds is the kind of each byte of src[from:] lexed as src.
func byteKinds(src string, from int) []Kind {
	out := make([]Kind, len(src))
	for _, t := range Tokenize(src, Options{}) {
		for i := t.Start; i < t.End; i++ {
			out[i] = t.Kind
		}
	}
	return out[from:]
}

// Lexing a text a line at a time from the State before each line must
// colour each line as lexing the whole text does, and find the ';' that
// can end a statement.
func TestScanLexesALineAsTheWholeTextDoes(t *testing.T) {
	pieces := []string{"select ", "'a;b", "'", "E'x\\'", "\"Q;", "\"", "/*", "*/", "-- c;", "$$", "$f$", "x;y",
		";", " 1.5 ", "(", ")", "from t", "\n", "\n", "\n", "U&'u", "e'\\\\'"}
	rng := rand.New(rand.NewPCG(5, 6))
	for c := range 3000 {
		var b strings.Builder
		for range 1 + rng.IntN(25) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		var st State
		done := 0
		for done < len(text) {
			end := strings.IndexByte(text[done:], '\n')
			if end < 0 {
				end = len(text)
			} else {
				end += done + 1
			}
			line := text[done:end]
			want := byteKinds(text[:end], done)
			got := byteKinds(st.Prefix()+line, len(st.Prefix()))
			if string(kindBytes(got)) != string(kindBytes(want)) {
				t.Fatalf("case %d: %q, line %q from %q: kinds %v, the whole text gives %v", c, text, line, st.Prefix(), got, want)
			}
			next, semi := Scan(st, line, Options{})
			wantSemi := false
			for i, k := range want {
				if line[i] == ';' && k == Plain {
					wantSemi = true
				}
			}
			if semi != wantSemi {
				t.Fatalf("case %d: %q, line %q: Scan says ';' %v, want %v", c, text, line, semi, wantSemi)
			}
			st, done = next, end
		}
	}
}

func kindBytes(ks []Kind) []byte {
	b := make([]byte, len(ks))
	for i, k := range ks {
		b[i] = '0' + byte(k)
	}
	return b
}
