package line

import (
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/shell"
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
	word := shell.ConfirmRequest{Kind: shell.AskWord, Word: "production"}
	yes := shell.ConfirmRequest{Kind: shell.AskYesNo}
	leave := shell.ConfirmRequest{Kind: shell.AskCommitRollback}
	for _, tt := range []struct {
		req      shell.ConfirmRequest
		typed    string
		answered bool
		want     shell.Answer
	}{
		{word, "production", true, shell.Accepted},
		{word, "Production", true, shell.Declined},
		{word, "producton", true, shell.Declined},
		{word, "", true, shell.Declined},
		{word, "production", false, shell.Declined},
		{yes, "y", true, shell.Accepted},
		{yes, "YES", true, shell.Accepted},
		{yes, "", true, shell.Declined},
		{leave, "commit", true, shell.Commit},
		{leave, "c", true, shell.Commit},
		{leave, "", true, shell.Rollback},
		{leave, "commit", false, shell.Rollback},
	} {
		if got := Decide(tt.req, tt.typed, tt.answered); got != tt.want {
			t.Errorf("Decide(%v, %q, %v) = %v, want %v", tt.req.Kind, tt.typed, tt.answered, got, tt.want)
		}
	}
}

func TestRequestLinesPutTheLoudReasonFirst(t *testing.T) {
	req := shell.ConfirmRequest{
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
