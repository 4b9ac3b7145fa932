package render

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestRandomAgainstPsql prints rows of random strings made of the
// characters that make layout hard (tabs, newlines, CR, control, wide,
// combining, zero-width, separators, quotes) through psql and through us,
// in every format and at several wrap widths. The seed is fixed so that a
// failure can be reproduced.
func TestRandomAgainstPsql(t *testing.T) {
	fx := setup(t)
	alphabet := []string{"a", "Z", "0", " ", "  ", "\t", "\n", "\r", "\r\n", "\x01", "\x7f", "日", "本語", "😀", "e\u0301", "\u0085",
		"\u200b", "|", "\"", ",", ";", "\\", ".", "-", "xxxxxxxxxx", "ü",
		"<", ">", "&", "#", "$", "%", "^", "_", "{", "}", "~"}
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		var b strings.Builder
		for n := rng.IntN(12); n > 0; n-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	fx.exec(t, `CREATE TABLE r (k int, "we|rd ""name""" text, b text, n numeric, "日本" text)`)
	for i := 0; i < 40; i++ {
		args := [][]byte{[]byte(word()), []byte(word()), []byte(word())}
		for j := range args {
			if rng.IntN(8) == 0 {
				args[j] = nil
			}
		}
		num := []byte(strings.Repeat("9", rng.IntN(30)+1) + "." + strings.Repeat("1", rng.IntN(5)))
		if fx.c == nil {
			continue // the rows are recorded in the golden file
		}
		rr := fx.c.ExecParams(context.Background(), `INSERT INTO r VALUES ($1, $2, $3, $4, $5)`,
			[][]byte{[]byte(string(rune('0' + i%10))), args[0], args[1], num, args[2]}, nil, nil, nil)
		if _, err := rr.Close(); err != nil {
			t.Fatal(err)
		}
	}
	sql := `SELECT * FROM r`
	sets := [][]string{
		{}, {"-P", "border=0"}, {"-P", "border=2"}, {"-A"}, {"--csv"}, {"-x"}, {"-x", "-P", "border=0"}, {"-x", "-P", "border=2"},
		{"-P", "null=NULL", "-A", "-x"},
		{"-P", "linestyle=unicode"}, {"-P", "linestyle=unicode", "-x", "-P", "border=2"},
	}
	for _, f := range []string{"html", "asciidoc", "latex", "latex-longtable", "troff-ms"} {
		sets = append(sets,
			[]string{"-P", "format=" + f},
			[]string{"-P", "format=" + f, "-P", "border=3", "-P", "null=<&|\\>"},
			[]string{"-P", "format=" + f, "-x", "-P", "border=2"},
			[]string{"-P", "format=" + f, "-t", "-P", "tableattr=0.3 x"},
		)
	}
	for _, cols := range []string{"10", "25", "40", "70"} {
		for _, b := range []string{"0", "1", "2"} {
			sets = append(sets, []string{"-P", "format=wrapped", "-P", "columns=" + cols, "-P", "border=" + b})
			sets = append(sets, []string{"-x", "-P", "format=wrapped", "-P", "columns=" + cols, "-P", "border=" + b})
			sets = append(sets, []string{"-P", "expanded=auto", "-P", "columns=" + cols, "-P", "border=" + b})
			sets = append(sets, []string{"-P", "linestyle=unicode", "-P", "format=wrapped", "-P", "columns=" + cols, "-P", "border=" + b})
			sets = append(sets, []string{"-P", "linestyle=unicode", "-x", "-P", "format=wrapped", "-P", "columns=" + cols, "-P", "border=" + b})
			sets = append(sets, []string{"-P", "linestyle=old-ascii", "-P", "format=wrapped", "-P", "columns=" + cols, "-P", "border=" + b})
			sets = append(sets, []string{"-P", "linestyle=old-ascii", "-x", "-P", "format=wrapped", "-P", "columns=" + cols, "-P", "border=" + b})
		}
	}
	// Every combination of single and double unicode lines, wrapped and
	// expanded, where continuation marks meet the column lines.
	for _, combo := range unicodeCombos() {
		for _, b := range []string{"0", "1", "2"} {
			u := append([]string{"-P", "linestyle=unicode"}, combo...)
			sets = append(sets,
				append(append([]string{}, u...), "-P", "format=wrapped", "-P", "columns=25", "-P", "border="+b),
				append(append([]string{}, u...), "-x", "-P", "format=wrapped", "-P", "columns=25", "-P", "border="+b),
			)
		}
	}
	var runs [][]string
	for _, args := range sets {
		runs = append(runs, append(append([]string{}, args...), "-c", sql))
	}
	outs, errs := fx.psqlAll(t, runs)
	for i, args := range sets {
		want, stderr := outs[i], errs[i]
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if len(stderr) > 0 {
				t.Fatalf("psql: %s", stderr)
			}
			if !strings.Contains(string(want), "日本") {
				t.Fatalf("no data? %s", want)
			}
			if got := render(t, fx, sql, optionsFor(t, args)); string(got) != string(want) {
				t.Errorf("psql %s -c %q\n%s", strings.Join(args, " "), sql, diff(want, got))
			}
		})
	}
}
