package line

import (
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/frontend"

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
	word := frontend.ConfirmRequest{Kind: frontend.AskWord, Word: "production"}
	yes := frontend.ConfirmRequest{Kind: frontend.AskYesNo}
	leave := frontend.ConfirmRequest{Kind: frontend.AskCommitRollback}
	for _, tt := range []struct {
		req      frontend.ConfirmRequest
		typed    string
		answered bool
		want     frontend.Answer
	}{
		{word, "production", true, frontend.Accepted},
		{word, "Production", true, frontend.Declined},
		{word, "producton", true, frontend.Declined},
		{word, "", true, frontend.Declined},
		{word, "production", false, frontend.Declined},
		{yes, "y", true, frontend.Accepted},
		{yes, "YES", true, frontend.Accepted},
		{yes, "", true, frontend.Declined},
		{leave, "commit", true, frontend.Commit},
		{leave, "c", true, frontend.Commit},
		{leave, "", true, frontend.Rollback},
		{leave, "commit", false, frontend.Rollback},
	} {
		if got := Decide(tt.req, tt.typed, tt.answered); got != tt.want {
			t.Errorf("Decide(%v, %q, %v) = %v, want %v", tt.req.Kind, tt.typed, tt.answered, got, tt.want)
		}
	}
}

func TestRequestLinesPutTheLoudReasonFirst(t *testing.T) {
	req := frontend.ConfirmRequest{
		Title: "DELETE on public.orders", Statement: "delete\nfrom orders;",
		Reasons: []string{"no WHERE clause: every row", "cascades to order_items"}, Loud: true,
		Impact: []string{"3 rows would be deleted (exact)"},
	}
	got := strings.Join(frontend.RequestLines(theme.Plain(), req, 0), "\n")
	want := "DELETE on public.orders\n  delete\n  from orders;\n! NO WHERE CLAUSE: EVERY ROW\n- cascades to order_items\n  3 rows would be deleted (exact)"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
