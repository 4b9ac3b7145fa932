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

// chunks is a terminal that delivers each chunk in one read, the clock
// moved on by its delay first.
type chunks struct {
	parts []string
	delay []time.Duration
	clock *time.Time
}

func (c *chunks) Read(p []byte) (int, error) {
	if len(c.parts) == 0 {
		return 0, io.EOF
	}
	*c.clock = c.clock.Add(c.delay[0])
	n := copy(p, c.parts[0])
	c.parts, c.delay = c.parts[1:], c.delay[1:]
	return n, nil
}

func newChunked(parts []string, delay []time.Duration) *typeahead {
	clock := time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC)
	ta := newTypeahead(&chunks{parts: parts, delay: delay, clock: &clock})
	ta.now = func() time.Time { return clock }
	return ta
}

func readOne(t *testing.T, ta *typeahead) string {
	t.Helper()
	p := make([]byte, 4096)
	n, err := ta.Read(p)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(p[:n])
}

// TestPasteNeverAnswers: what a paste brings while a question is asked is
// set aside and comes back to the editor after it, whole and in order:
// a bracketed paste, and the rest of a paste cut mid-line that arrives
// right after the question showed. The answer typed later is read.
func TestPasteNeverAnswers(t *testing.T) {
	second := time.Second
	for _, tc := range []struct {
		name  string
		parts []string
		delay []time.Duration
	}{
		{"bracketed", []string{"\x1b[200~delete from t;\rselect 1;\r", "select 2;\r\x1b[201~", "production\r"}, []time.Duration{0, second, second}},
		{"cut mid-line", []string{"delete from t;\rselect 1;\rsel", "ect 2;\r", "production\r"}, []time.Duration{0, 10 * time.Millisecond, second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ta := newChunked(tc.parts, tc.delay)
			if got := readOne(t, ta); got != "delete from t;\r" {
				t.Fatalf("first line %q", got)
			}
			ta.hold()
			if got := readOne(t, ta); got != "production\r" {
				t.Fatalf("the question read %q, want the answer typed after it", got)
			}
			ta.release()
			for _, want := range []string{"select 1;\r", "select 2;\r"} {
				if got := readOne(t, ta); got != want {
					t.Fatalf("after the question the editor read %q, want %q", got, want)
				}
			}
		})
	}
}

// TestAnswerAfterACompleteLineIsRead: a line typed ahead whole does not
// make the answer typed after the question a paste, however soon (the
// question is asked again right after an answer).
func TestAnswerAfterACompleteLineIsRead(t *testing.T) {
	ta := newChunked([]string{"delete from t;\rproduction\r", "1200\r"}, []time.Duration{0, 20 * time.Millisecond})
	if got := readOne(t, ta); got != "delete from t;\r" {
		t.Fatalf("first line %q", got)
	}
	*ta.in.(*chunks).clock = ta.now().Add(time.Second) // the dry run
	ta.hold()
	if got := readOne(t, ta); got != "1200\r" {
		t.Fatalf("the question read %q, want 1200", got)
	}
	ta.release()
	if got := readOne(t, ta); got != "production\r" {
		t.Fatalf("after the question %q", got)
	}
}

// TestPasteMarkersNeverReachTheEditor: bracketed paste markers are
// dropped.
func TestPasteMarkersNeverReachTheEditor(t *testing.T) {
	ta := newChunked([]string{"\x1b[200~select 1;\rselect 2;\x1b[201~\r"}, []time.Duration{0})
	var got strings.Builder
	for got.Len() < len("select 1;\rselect 2;\r") {
		got.WriteString(readOne(t, ta))
	}
	if got.String() != "select 1;\rselect 2;\r" {
		t.Fatalf("the editor read %q", got.String())
	}
}
