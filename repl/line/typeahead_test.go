package line

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"

	"github.com/safesql/safesql/repl/frontend"
	"github.com/safesql/safesql/theme"
)

func TestTypeaheadHandsOneLineAtATime(t *testing.T) {
	ta := newTypeahead(strings.NewReader("delete from t;\rproduction\r"))
	p := make([]byte, 4096)
	n, err := ta.Read(p)
	if err != nil || string(p[:n]) != "delete from t;\r" {
		t.Fatalf("first read %q, %v", p[:n], err)
	}
	if n := ta.hold(); n != len("production\r") {
		t.Fatalf("held %d bytes", n)
	}
	// While held, the editor (the question) reads only what comes next.
	if n, err := ta.Read(p); n != 0 || err != io.EOF {
		t.Fatalf("read while held: %q, %v", p[:n], err)
	}
	ta.release()
	n, err = ta.Read(p)
	if err != nil || string(p[:n]) != "production\r" {
		t.Fatalf("after release %q, %v", p[:n], err)
	}
}

// readTyped reads one entry from keys typed ahead, the editor drawing as
// on a terminal, with hist as the history; without bursts, the editor
// gets the keys one at a time, as typed by hand.
func readTyped(t *testing.T, keys string, bursts bool, hist ...string) (string, error) {
	t.Helper()
	r, err := New(Config{In: strings.NewReader(keys), Out: io.Discard, InTTY: true, OutTTY: true,
		Theme: theme.Default(colorprofile.TrueColor), Highlight: true, History: NewHistory(hist...), Completer: testCompleter(),
		Width: func() int { return 100 }})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !bursts {
		r.in.setEditing(nil)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return r.ReadLine(ctx, frontend.State{Env: "dev", Tier: "development"})
}

// A burst of text typed ahead goes in as the same keys typed by hand do:
// at the cursor, in order, in reverse search as the query, while
// completion candidates show.
func TestBurstsGoInAsTyped(t *testing.T) {
	hist := []string{"select 'first' as a;", "select 'a long query string typed ahead' as b;", "select 'other' as c;"}
	for _, c := range []struct{ name, keys, want string }{
		{"one line", "select 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9;\r", "select 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9;"},
		{"at the cursor", "select ;\x02" + "1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9\r", "select 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9;"},
		{"wide characters", "select '日本語のテキストが長い文字列です、十六文字以上あります';\r", "select '日本語のテキストが長い文字列です、十六文字以上あります';"},
		{"between keys", "select 1 +\x7f- 2 - 3 - 4 - 5 - 6 - 7 - 8 - 9\x01\x06\x06\x06\x06\x06\x06\x06 -0\x05;\r", "select  -01 - 2 - 3 - 4 - 5 - 6 - 7 - 8 - 9;"},
		{"reverse search", "\x12long query string typed ahead\r", "select 'a long query string typed ahead' as b;"},
		{"after a completion", "SEL\t * from orders where id = 1 and true;\r", "SELECT * from orders where id = 1 and true;"},
		{"while candidates show", "select * from ord\ters where id = 1 and true;\r", "select * from orderers where id = 1 and true;"},
		{"history then more", "\x10\x05\x7f, 'and a longer tail typed ahead' as d;\r", "select 'other' as c, 'and a longer tail typed ahead' as d;"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := readTyped(t, c.keys, true, hist...)
			if err != nil {
				t.Fatalf("ReadLine of %q: %v", c.keys, err)
			}
			byHand, err := readTyped(t, c.keys, false, hist...)
			if err != nil {
				t.Fatalf("ReadLine of %q key by key: %v", c.keys, err)
			}
			if got != c.want || byHand != c.want {
				t.Errorf("typed %q:\n      got %q\n      want %q\nby hand %q", c.keys, got, c.want, byHand)
			}
		})
	}
}

// The runs of printable text in what was typed, and where the first
// long one starts.
func TestPlainRun(t *testing.T) {
	for _, c := range []struct {
		in               string
		run, size, start int
	}{
		{"", 0, 0, 0},
		{"select 1;\r", 9, 9, 0},
		{"\x12select 1 + 2 + 3 + 4\r", 0, 0, 1},
		{"ab\x02select 1 + 2 + 3 + 4", 2, 2, 3},
		{"ab\x02select", 2, 2, 0},
		{"日本語\x01", 3, 9, 0},
		{"\xe6\x97", 0, 0, 0}, // half a character
	} {
		run, size, start := plainRun([]byte(c.in))
		if run != c.run || size != c.size || start != c.start {
			t.Errorf("plainRun(%q) = %d, %d, %d; want %d, %d, %d", c.in, run, size, start, c.run, c.size, c.start)
		}
	}
}
