package frontend

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestLineConfirmerDiscardsTypedAhead: a line read before the question
// (here, read along with the previous answer) does not answer it.
func TestLineConfirmerDiscardsTypedAhead(t *testing.T) {
	var out bytes.Buffer
	c := NewLineConfirmer(strings.NewReader("y\nproduction\n"), &out)
	yes := ConfirmRequest{Kind: AskYesNo, Question: "Run it? [y/N]"}
	if a, err := c.Confirm(context.Background(), yes); a != Accepted || err != nil {
		t.Fatalf("first answer %v, %v", a, err)
	}
	out.Reset()
	word := ConfirmRequest{Kind: AskWord, Word: "production", Question: "Type production to run it:"}
	if a, _ := c.Confirm(context.Background(), word); a != Declined {
		t.Fatalf("the typed-ahead word answered: %v", a)
	}
	want := "Type production to run it: \n" + TypedAheadDiscarded + "\nType production to run it: \n"
	if out.String() != want {
		t.Errorf("shown %q, want %q", out.String(), want)
	}
}

// TestJudgeCount: the number of rows is typed as shown (249,981) or
// without separators; anything else, a near miss included, declines.
func TestJudgeCount(t *testing.T) {
	req := ConfirmRequest{Kind: AskCount, Word: "249981"}
	for typed, want := range map[string]Answer{
		"249981": Accepted, "249,981": Accepted, " 249981 ": Accepted, "249_981": Accepted, "249 981": Accepted,
		"249980": Declined, "24998": Declined, "2499810": Declined, "": Declined, "production": Declined,
		"24,9981": Declined, "249,98,1": Declined, ",249981": Declined, "249981,": Declined, "249.981": Declined,
		"249,,981": Declined, "-249981": Declined,
	} {
		if got := Judge(req, typed); got != want {
			t.Errorf("Judge(count 249981, %q) = %v, want %v", typed, got, want)
		}
	}
	if got := Judge(ConfirmRequest{Kind: AskCount}, ""); got != Declined {
		t.Errorf("an empty count accepted an empty line")
	}
	one := ConfirmRequest{Kind: AskCount, Word: "1204"}
	if Judge(one, "1,204") != Accepted || Judge(one, "12,04") != Declined {
		t.Errorf("1,204 is 1204 and 12,04 is not")
	}
}
