package line

import (
	"strings"
	"testing"

	"github.com/safesql/safesql/repl"
	"github.com/safesql/safesql/theme"
)

func TestCompleteFollowsPsqlContinuation(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"", true},
		{"select 1;", true},
		{"select 1", false},
		{"select 1;\nselect", false},
		{"select ';", false},
		{"select $$;$$", false},
		{"select $$;$$;", true},
		{`\dt`, true},
		{"select 1 \\g", true},
		{"-- a comment", true},
		{"select 1 -- ;", false},
	} {
		if got := Complete(tt.text); got != tt.want {
			t.Errorf("Complete(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestDecide(t *testing.T) {
	word := repl.ConfirmRequest{Kind: repl.AskWord, Word: "production"}
	yes := repl.ConfirmRequest{Kind: repl.AskYesNo}
	leave := repl.ConfirmRequest{Kind: repl.AskCommitRollback}
	for _, tt := range []struct {
		req      repl.ConfirmRequest
		typed    string
		answered bool
		want     repl.Answer
	}{
		{word, "production", true, repl.Accepted},
		{word, "Production", true, repl.Declined},
		{word, "producton", true, repl.Declined},
		{word, "", true, repl.Declined},
		{word, "production", false, repl.Declined},
		{yes, "y", true, repl.Accepted},
		{yes, "YES", true, repl.Accepted},
		{yes, "", true, repl.Declined},
		{leave, "commit", true, repl.Commit},
		{leave, "c", true, repl.Commit},
		{leave, "", true, repl.Rollback},
		{leave, "commit", false, repl.Rollback},
	} {
		if got := Decide(tt.req, tt.typed, tt.answered); got != tt.want {
			t.Errorf("Decide(%v, %q, %v) = %v, want %v", tt.req.Kind, tt.typed, tt.answered, got, tt.want)
		}
	}
}

func TestRequestLinesPutTheLoudReasonFirst(t *testing.T) {
	req := repl.ConfirmRequest{
		Title: "DELETE on public.orders", Statement: "delete\nfrom orders;",
		Reasons: []string{"no WHERE clause: every row", "cascades to order_items"}, Loud: true,
		Impact: []string{"3 rows would be deleted (exact)"},
	}
	got := strings.Join(RequestLines(theme.Plain(), req, 0), "\n")
	want := "DELETE on public.orders\n  delete\n  from orders;\n! NO WHERE CLAUSE: EVERY ROW\n- cascades to order_items\n  3 rows would be deleted (exact)"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
