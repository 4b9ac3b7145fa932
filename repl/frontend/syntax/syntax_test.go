package syntax

import (
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"

	"github.com/safesql/safesql/theme"
)

// render spells the tokens that are not Plain as kind[text], so that a
// table can say what is drawn how.
func render(src string, opt Options) string {
	names := [numKinds]string{Keyword: "K", String: "S", Comment: "C", Number: "N", QuotedIdent: "Q", Meta: "M", Variable: "V"}
	var b strings.Builder
	for _, t := range Tokenize(src, opt) {
		if t.Kind == Plain {
			b.WriteString(src[t.Start:t.End])
			continue
		}
		b.WriteString(names[t.Kind] + "[" + src[t.Start:t.End] + "]")
	}
	return b.String()
}

func TestTokenize(t *testing.T) {
	cases := []struct {
		name, src, want string
		opt             Options
	}{
		{"keywords any case", "select a From t where x", "K[select] a K[From] t K[where] x", Options{}},
		{"identifier with a keyword inside", "selected fromage order_id", "selected fromage order_id", Options{}},
		{"column-ish words stay plain", "select name, type, key, value from t", "K[select] name, type, key, value K[from] t", Options{}},
		{"string", "select 'it''s' ;", "K[select] S['it''s'] ;", Options{}},
		{"standard string: backslash is a letter", `select 'a\'b' x`, `K[select] S['a\']S[b' x]`, Options{}},
		{"standard_conforming_strings off", `select 'a\'b' x`, `K[select] S['a\'b'] x`, Options{BackslashEscapes: true}},
		{"E string escapes", `select E'a\'b', e'\\' x`, `K[select] S[E'a\'b'], S[e'\\'] x`, Options{}},
		{"N B X U& strings", `select N'n', B'101', X'1F', U&'\0041' x`, `K[select] S[N'n'], S[B'101'], S[X'1F'], S[U&'\0041'] x`, Options{}},
		{"dollar quote", "select $$a 'b' -- c$$, $fn$ select $$ $fn$ x", "K[select] S[$$a 'b' -- c$$], S[$fn$ select $$ $fn$] x", Options{}},
		{"dollar in identifier is no quote", "select a$b$ from t", "K[select] a$b$ K[from] t", Options{}},
		{"parameter", "select $1 + $23", "K[select] $1 + $23", Options{}},
		{"unterminated dollar quote", "select $x$ abc", "K[select] S[$x$ abc]", Options{}},
		{"line comment", "select 1 -- from here\nfrom t", "K[select] N[1] C[-- from here]\nK[from] t", Options{}},
		{"nested block comment", "select /* a /* b */ from */ 1", "K[select] C[/* a /* b */ from */] N[1]", Options{}},
		{"unterminated comment", "select /* a /* b */ from", "K[select] C[/* a /* b */ from]", Options{}},
		{"quoted identifier", `select "Order" from "my ""t"""`, `K[select] Q["Order"] K[from] Q["my ""t"""]`, Options{}},
		{"U& identifier", `select U&"d\0061t" x`, `K[select] Q[U&"d\0061t"] x`, Options{}},
		{"numbers", "select 42, 1.5e-3, .5, 0x1F, 1_000, 1..2", "K[select] N[42], N[1.5e-3], N[.5], N[0x1F], N[1_000], N[1]..N[2]", Options{}},
		{"psql variables", `select :id, :'name', :"col", :{?flag} from t`, `K[select] V[:id], V[:'name'], V[:"col"], V[:{?flag}] K[from] t`, Options{}},
		{"cast is no variable", "select a::text, b :: int", "K[select] a::text, b :: int", Options{}},
		{"no variable in quotes", `select ':x', ":y" -- :z`, `K[select] S[':x'], Q[":y"] C[-- :z]`, Options{}},
		{"backslash command", `\d orders`, `M[\d] orders`, Options{}},
		{"backslash command after SQL", "select 1 \\gx\n", "K[select] N[1] M[\\gx]\n", Options{}},
		{"backslash command arguments", `\set v 'it''s' :w`, `M[\set] v S['it''s'] V[:w]`, Options{}},
		{"two commands on a line", `\x \t`, `M[\x] M[\t]`, Options{}},
		{"separator then SQL", `\x \\ select 1;`, `M[\x] M[\\] K[select] N[1];`, Options{}},
		{"backslash inside a string is no command", `select '\d' ;`, `K[select] S['\d'] ;`, Options{}},
		{"backslash inside dollar quote is no command", "select $$\\d$$;", "K[select] S[$$\\d$$];", Options{}},
		{"multi-line string", "select 'a\nb' from t", "K[select] S['a\nb'] K[from] t", Options{}},
		{"multi-line comment", "/* a\n b */ select", "C[/* a\n b */] K[select]", Options{}},
		{"non-ASCII identifier", "select Größe from t", "K[select] Größe K[from] t", Options{}},
		{"empty", "", "", Options{}},
		{"function body", "create function f() returns int language sql as $body$ select 1 $body$;",
			"K[create] K[function] f() K[returns] int K[language] sql K[as] S[$body$ select 1 $body$];", Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := render(c.src, c.opt); got != c.want {
				t.Errorf("Tokenize(%q)\n got %s\nwant %s", c.src, got, c.want)
			}
		})
	}
}

// The tokens cover the input without gaps or overlaps, whatever it is.
func FuzzTokenizeCovers(f *testing.F) {
	for _, s := range []string{"select 'a", "$x$", "/* /*", `\d "x`, "copy t from stdin;\n1\n\\.\n", "E'\\", ":'x", "0x", "1e+"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, src string, bs bool) {
		at := 0
		for _, tok := range Tokenize(src, Options{BackslashEscapes: bs}) {
			if tok.Start != at || tok.End <= tok.Start || tok.End > len(src) {
				t.Fatalf("token %+v after %d in %q", tok, at, src)
			}
			at = tok.End
		}
		if at != len(src) {
			t.Fatalf("tokens end at %d of %d in %q", at, len(src), src)
		}
	})
}

func TestCopyDataIsNotLexed(t *testing.T) {
	src := "copy t from stdin;\nselect 1\n\\.\n"
	got := render(src, Options{})
	if !strings.HasPrefix(got, "K[copy] t K[from] stdin;") || strings.Contains(got, "K[select]") {
		t.Errorf("COPY data lexed as SQL: %s", got)
	}
}

func TestPainter(t *testing.T) {
	src := "select 'x' -- c"
	if got := NewPainter(theme.Plain(), true, Options{}).Paint(src); got != src {
		t.Errorf("plain theme painted %q", got)
	}
	th := theme.Default(colorprofile.ANSI256)
	if got := NewPainter(th, false, Options{}).Paint(src); got != src {
		t.Errorf("setting off painted %q", got)
	}
	p := NewPainter(th, true, Options{})
	got := p.Paint(src)
	ss := th.Syntax()
	want := ss.Keyword.Render("select") + " " + ss.String.Render("'x'") + " " + ss.Comment.Render("-- c")
	if got != want {
		t.Errorf("Paint = %q, want %q", got, want)
	}
	// A style never runs over a newline.
	var b strings.Builder
	p.Write(&b, Comment, "/* a\nb */")
	if lines := strings.Split(b.String(), "\n"); !strings.HasSuffix(lines[0], "\x1b[m") || !strings.HasPrefix(lines[1], "\x1b[") {
		t.Errorf("comment over two lines: %q", b.String())
	}
	if k := p.RuneKinds("é 'ü'"); len(k) != 5 || k[0] != Plain || k[2] != String || k[4] != String {
		t.Errorf("RuneKinds = %v", k)
	}
}
