package frontend

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/safesql/safesql/repl/internal/termtest"
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

// TestLineConfirmerCancelledQuestionLeavesNoReader: a question cancelled
// while it waits for a line does not take the next question's answer.
// The line typed after the next question is shown answers it.
func TestLineConfirmerCancelledQuestionLeavesNoReader(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	var out termtest.Buffer
	c := NewLineConfirmer(pr, &out)
	word := ConfirmRequest{Kind: AskWord, Word: "production", Question: "Type production to run it:"}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if a, err := c.Confirm(ctx, word); a != Declined || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled question: %v, %v; want declined, context.Canceled", a, err)
	}
	for i := 0; i < 3; i++ {
		done := make(chan Answer)
		go func() {
			a, err := c.Confirm(context.Background(), word)
			if err != nil {
				t.Errorf("question %d: %v", i, err)
			}
			done <- a
		}()
		waitShown(t, &out, i+2)
		if _, err := io.WriteString(pw, "production\n"); err != nil {
			t.Fatal(err)
		}
		if a := <-done; a != Accepted {
			t.Fatalf("answer typed after question %d was shown: %v, want accepted", i+2, a)
		}
		// cancel a question between two that are answered
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if a, _ := c.Confirm(ctx, word); a != Declined {
			t.Fatalf("cancelled question: %v", a)
		}
	}
	if got, want := strings.Count(out.String(), TypedAheadDiscarded), 0; got != want {
		t.Errorf("%d typed-ahead notices, want %d:\n%s", got, want, out.String())
	}
}

// TestLineConfirmerAnswerForCancelledQuestion: a line typed for a
// question that was then cancelled does not answer the next question; it
// is discarded with a notice and the next line answers.
func TestLineConfirmerAnswerForCancelledQuestion(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	var out termtest.Buffer
	c := NewLineConfirmer(pr, &out)
	word := ConfirmRequest{Kind: AskWord, Word: "production", Question: "Type production to run it:"}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if a, _ := c.Confirm(ctx, word); a != Declined {
		t.Fatalf("cancelled question: %v", a)
	}
	// typed for the cancelled question, read before the next is asked
	if _, err := io.WriteString(pw, "production\n"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); len(c.lines) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the reader did not read the line")
		}
	}
	out.Reset()
	done := make(chan Answer)
	go func() {
		a, _ := c.Confirm(context.Background(), word)
		done <- a
	}()
	waitShown(t, &out, 2)
	if _, err := io.WriteString(pw, "no\n"); err != nil {
		t.Fatal(err)
	}
	if a := <-done; a != Declined {
		t.Fatalf("the cancelled question's answer answered the next: %v", a)
	}
	want := "Type production to run it: \n" + TypedAheadDiscarded + "\nType production to run it: "
	if out.String() != want {
		t.Errorf("shown %q, want %q", out.String(), want)
	}
}

// waitShown waits until the question has been shown n times.
func waitShown(t *testing.T, out *termtest.Buffer, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); strings.Count(out.String(), "Type production") < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("question not shown %d times: %q", n, out.String())
		}
	}
}
