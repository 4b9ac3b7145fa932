package lex

import (
	"strings"
	"testing"
)

// render spells each token as Kind[text], spaces and newlines as they are.
func render(src string, opt Options) string {
	var b strings.Builder
	for _, t := range Tokens(src, opt) {
		switch t.Kind {
		case Space, Newline:
			b.WriteString(t.Text(src))
		default:
			b.WriteString(t.Kind.String() + "[" + t.Text(src) + "]")
			if !t.Closed {
				b.WriteString("…")
			}
		}
	}
	return b.String()
}

func TestTokens(t *testing.T) {
	esc := Options{BackslashEscapes: true}
	cases := []struct {
		name, src, want string
		opt             Options
	}{
		{"words and ops", "select a+b from t;", "Word[select] Word[a]Op[+]Word[b] Word[from] Word[t]Op[;]", Options{}},
		{"string with doubled quote", "'it''s'", "String['it''s']", Options{}},
		{"standard string: backslash is a letter", `'a\'b'`, `String['a\']String[b']…`, Options{}},
		{"scs off: backslash escapes", `'a\'b'`, `String['a\'b']`, esc},
		{"E string", `E'a\'b' e'\\'`, `EString[E'a\'b'] EString[e'\\']`, Options{}},
		{"B X N strings never escape but N follows scs", `B'1\' X'F' N'\''`, `String[B'1\'] String[X'F'] String[N'\'']`, esc},
		{"U& string and identifier", `U&'\0041' u&"x"`, `UString[U&'\0041'] UIdent[u&"x"]`, Options{}},
		{"u& without quote", `u&x`, `Op[u]Op[&]Word[x]`, Options{}},
		{"quoted identifier with doubled quotes", `"my ""t"""`, `QuotedIdent["my ""t"""]`, Options{}},
		{"dollar quotes", "$$a 'b'$$ $fn$ $$ $fn$", "Dollar[$$a 'b'$$] Dollar[$fn$ $$ $fn$]", Options{}},
		{"unterminated dollar quote", "$x$ abc", "Dollar[$x$ abc]…", Options{}},
		{"dollar in identifier", "a$b$", "Word[a$b$]", Options{}},
		{"not a dollar quote", "$a b", "Op[$]Word[a] Word[b]", Options{}},
		{"parameters", "$1 $23x", "Param[$1] Param[$23x]", Options{}},
		{"line comment ends at CR or LF", "-- a\rb\n", "LineComment[-- a]\rWord[b]\n", Options{}},
		{"nested comment", "/* a /* b */ c */x", "Comment[/* a /* b */ c */]Word[x]", Options{}},
		{"unterminated comment", "/* a /* b */", "Comment[/* a /* b */]…", Options{}},
		{"numbers", "42 1.5e-3 .5 1..2 1e+ 0x1F", "Number[42] Number[1.5e-3] Number[.5] Number[1]DotDot[..]Number[2] Number[1]Word[e]Op[+] Number[0x]Number[1F]", Options{}},
		{"variables", `:id :'n' :"c" :{?f} a::int :'a b'`, `Variable[:id] Variable[:'n'] Variable[:"c"] Variable[:{?f}] Word[a]Cast[::]Word[int] Op[:]String['a b']`, Options{}},
		{"colon at the end", "a :", "Word[a] Op[:]", Options{}},
		{"backslash", `select 1 \g`, `Word[select] Number[1] Backslash[\]Word[g]`, Options{}},
		{"multi-line string", "'a\nb' x", "String['a\nb'] Word[x]", Options{}},
		{"non-ASCII", "Größe", "Word[Größe]", Options{}},
		{"numbers with their junk joined", "0x1F 0o17 1_000 1abc 1e5x 1.5e-3 1..2 1e'x'", "Number[0x1F] Number[0o17] Number[1_000] Number[1abc] Number[1e5x] Number[1.5e-3] Number[1]DotDot[..]Number[2] Number[1e]String['x']", Options{JoinJunk: true}},
		{"vertical tab is an operator byte", "a\vb", "Word[a]Op[\v]Word[b]", Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := render(c.src, c.opt); got != c.want {
				t.Errorf("Tokens(%q)\n got %s\nwant %s", c.src, got, c.want)
			}
		})
	}
}

func TestBodies(t *testing.T) {
	src := `E'a\'' "x""y" $t$ b $t$ /* c */ -- d` + "\n'open"
	var got []string
	for _, tk := range Tokens(src, Options{}) {
		if tk.Kind != Space && tk.Kind != Newline {
			got = append(got, tk.Body(src))
		}
	}
	want := []string{`a\'`, `x""y`, " b ", " c ", " d", "open"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("bodies %q, want %q", got, want)
	}
}

// A state carried over from earlier lines lexes a line as the whole text
// does.
func TestStateCarriesAcrossLines(t *testing.T) {
	cases := []struct {
		lines []string
		want  []Mode
	}{
		{[]string{"select '", "a", "' x"}, []Mode{InQuote, InQuote, Initial}},
		{[]string{"/* /*", "*/", "*/ y"}, []Mode{InComment, InComment, Initial}},
		{[]string{"$f$ ", "$$ ", "$f$"}, []Mode{InDollar, InDollar, Initial}},
		{[]string{`E'\`, `'`, `'`}, []Mode{InEQuote, Initial, InQuote}},
		{[]string{`"a`, `""`, `"`}, []Mode{InDQuote, InDQuote, Initial}},
	}
	for _, c := range cases {
		var st State
		for i, line := range c.lines {
			l := NewLexer(line+"\n", st, Options{})
			for {
				if _, ok := l.Next(); !ok {
					break
				}
			}
			st = l.State()
			if st.Mode != c.want[i] {
				t.Errorf("%q: after line %d the mode is %d, want %d", c.lines, i, st.Mode, c.want[i])
			}
		}
	}
}

// stream lexes src the way the splitter does: through a window that grows
// by step bytes whenever the lexer asks for more. It returns the tokens
// it found, literals whole.
func stream(src string, step int, opt Options) []Token {
	var toks []Token
	full := []byte(src)
	w := min(step, len(src))
	var st State
	i := 0
	cur := Token{}
	inside := false
	for i < len(src) {
		if i >= w {
			w = min(w+step, len(src))
		}
		b := full[:w]
		eof := w == len(src)
		if !inside {
			k, end, more := Next(b, i, &st, opt, eof)
			if more {
				w = min(w+step, len(src))
				continue
			}
			cur = Token{Kind: k, Start: i, End: end}
			i = end
			if st.Mode == Initial {
				toks = append(toks, cur)
				continue
			}
			inside = true
			continue
		}
		j, stop := Body(b, i, &st, eof)
		i = j
		switch stop {
		case More:
			w = min(w+step, len(src))
		case Closed:
			if cur.Kind == QuotedIdent || cur.Kind == UIdent {
				if !eof && i >= len(b) {
					// "" needs one more byte to be told from the end.
					st.Mode = InDQuote
					i--
					w = min(w+step, len(src))
					continue
				}
				if i < len(b) && b[i] == '"' {
					st.Mode = InDQuote
					i++
					continue
				}
			}
			cur.End = i
			toks = append(toks, cur)
			inside = false
		case End:
			cur.End = i
			toks = append(toks, cur)
			inside = false
		}
	}
	if inside {
		cur.End = len(src)
		toks = append(toks, cur)
	}
	return toks
}

func checkStream(t *testing.T, src string, opt Options) {
	whole := Tokens(src, opt)
	for _, step := range []int{1, 2, 3, 7} {
		got := stream(src, step, opt)
		if len(got) != len(whole) {
			t.Fatalf("%q step %d: %d tokens, whole text %d", src, step, len(got), len(whole))
		}
		for k := range got {
			if got[k].Kind != whole[k].Kind || got[k].Start != whole[k].Start || got[k].End != whole[k].End {
				t.Fatalf("%q step %d: token %d is %v [%d,%d), whole text %v [%d,%d)", src, step, k,
					got[k].Kind, got[k].Start, got[k].End, whole[k].Kind, whole[k].Start, whole[k].End)
			}
		}
	}
}

func TestStreamLexesAsTheWholeText(t *testing.T) {
	for _, src := range []string{
		"select 'a''b', E'\\'' from \"t\"\"x\" -- c\n/* /* */ */ $f$ $ $f$ 1.5e-3 :v ::int $1 u&'x' U&\"y\" \\g",
		"1e", "1e+", "1.", "u&", ":'a", ":{?x}", "$a", "$$", "--", "/*", "'", "\"", "E'\\",
	} {
		checkStream(t, src, Options{})
		checkStream(t, src, Options{BackslashEscapes: true})
	}
}

// No input panics the tokenizer; its tokens cover the input without gaps
// or overlaps, bodies lie inside their tokens, and the stream layer finds
// the same tokens whatever the window.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"select 'a", "$x$", "/* /*", `\d "x`, "E'\\", ":'x", "0x", "1e+", `"a""b`, "u&'", ":{?a}", "-- x\ry"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, src string, bs bool) {
		opt := Options{BackslashEscapes: bs}
		at := 0
		for _, tk := range Tokens(src, opt) {
			if tk.Start != at || tk.End <= tk.Start || tk.End > len(src) ||
				tk.BodyStart < tk.Start || tk.BodyEnd < tk.BodyStart || tk.BodyEnd > tk.End {
				t.Fatalf("token %+v after %d in %q", tk, at, src)
			}
			at = tk.End
		}
		if at != len(src) {
			t.Fatalf("tokens end at %d of %d in %q", at, len(src), src)
		}
		checkStream(t, src, opt)
	})
}

func TestArgQuoted(t *testing.T) {
	cases := []struct{ line, want string }{
		{`'it''s' x`, `'it''s'`},
		{`'a\'b' x`, `'a\'b'`},
		{`"a""b"`, `"a"`},
		{"`date` x", "`date`"},
		{`'open`, `'open`},
		{`'a\`, `'a\`},
	}
	for _, c := range cases {
		if got := c.line[:ArgQuoted(c.line, 0, len(c.line))]; got != c.want {
			t.Errorf("ArgQuoted(%q) = %q, want %q", c.line, got, c.want)
		}
	}
}

// The shortcuts callers take without calling Next agree with Next.
func TestShortcutsAgreeWithNext(t *testing.T) {
	for c := 0; c < 256; c++ {
		for d := 0; d < 256; d++ {
			b := []byte{byte(c), byte(d), 'x', ' '}
			var st State
			k, end, _ := Next(b, 0, &st, Options{}, true)
			if IsOpByte(byte(c)) && (k != Op || end != 1) {
				t.Fatalf("IsOpByte(%q) but Next(%q) = %v, %d", byte(c), b, k, end)
			}
			if IsIdentStart(byte(c)) {
				j := WordEnd(b, 1)
				if j-0 > 1 || b[j] != '\'' && b[j] != '&' {
					if k != Word || end != j {
						t.Fatalf("WordEnd(%q) = %d but Next = %v, %d", b, j, k, end)
					}
				}
			}
		}
	}
}
