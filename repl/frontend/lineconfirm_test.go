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
