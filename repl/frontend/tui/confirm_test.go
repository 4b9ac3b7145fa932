package tui

import (
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/frontend"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/safesql/safesql/theme"
)

func deleteRequest() frontend.ConfirmRequest {
	return frontend.ConfirmRequest{
		Kind: frontend.AskWord, Title: "DELETE on public.orders", Statement: "delete from orders;",
		Reasons: []string{"no WHERE clause: every row of orders", "orders is referenced by order_items"}, Loud: true,
		Impact:   []string{"3 rows would be deleted (exact count)", "sample: (1, 'apple'), (2, 'pear')"},
		Question: "Type production to run it:", Word: "production", Env: "prod", Tier: "production",
	}
}

func (c *confirm) keys(s string) {
	for _, r := range s {
		if r == '\r' {
			c.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
			continue
		}
		c.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func TestConfirmationView(t *testing.T) {
	c := newConfirm(theme.Plain(), deleteRequest(), prodState().PromptInfo(), 80, 24)
	view := plainView(c.View())
	lines := strings.Split(view, "\n")
	order := []string{"[PRODUCTION] PROD", "DELETE on public.orders", "delete from orders;", "! NO WHERE CLAUSE", "- orders is referenced", "3 rows would be deleted", "Type production to run it:"}
	at := 0
	for _, want := range order {
		found := false
		for ; at < len(lines); at++ {
			if strings.Contains(lines[at], want) {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("%q missing or out of order:\n%s", want, view)
		}
	}
	c.keys("prod")
	if !strings.Contains(plainView(c.View()), "Type production to run it: prod") {
		t.Errorf("typed word not shown:\n%s", plainView(c.View()))
	}
	cur := c.View().Cursor
	if cur == nil || cur.X != 2+lipgloss.Width("Type production to run it: prod") {
		t.Errorf("cursor %+v", cur)
	}
}

func TestConfirmAnswers(t *testing.T) {
	for _, tt := range []struct {
		name  string
		req   frontend.ConfirmRequest
		input func(c *confirm)
		want  frontend.Answer
		echo  string
	}{
		{"right word", deleteRequest(), func(c *confirm) { c.keys("production\r") }, frontend.Accepted, "Type production to run it: production\n"},
		{"wrong word", deleteRequest(), func(c *confirm) { c.keys("producton\r") }, frontend.Declined, "Type production to run it: producton\n"},
		{"empty", deleteRequest(), func(c *confirm) { c.keys("\r") }, frontend.Declined, "Type production to run it: \n"},
		{"fixed typo", deleteRequest(), func(c *confirm) {
			c.keys("productoin")
			for range 3 {
				c.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
			}
			c.keys("ion\r")
		}, frontend.Accepted, "production\n"},
		{"esc", deleteRequest(), func(c *confirm) {
			c.keys("production")
			c.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
		}, frontend.Declined, "production Esc\n"},
		{"ctrl-c", deleteRequest(), func(c *confirm) {
			c.keys("production")
			c.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
		}, frontend.Declined, "production ^C\n"},
		{"paste", deleteRequest(), func(c *confirm) {
			c.Update(tea.PasteMsg{Content: "production\n"})
			c.keys("\r")
		}, frontend.Declined, "Type production to run it: \n"},
		{"yes", frontend.ConfirmRequest{Kind: frontend.AskYesNo, Title: "UPDATE on t"}, func(c *confirm) { c.keys("y\r") }, frontend.Accepted, "Run it? [y/N] y\n"},
		{"no", frontend.ConfirmRequest{Kind: frontend.AskYesNo, Title: "UPDATE on t"}, func(c *confirm) { c.keys("\r") }, frontend.Declined, "[y/N] \n"},
		{"commit", frontend.ConfirmRequest{Kind: frontend.AskCommitRollback, Title: "Leaving with an open transaction"}, func(c *confirm) { c.keys("commit\r") }, frontend.Commit, "commit\n"},
		{"enter rolls back", frontend.ConfirmRequest{Kind: frontend.AskCommitRollback}, func(c *confirm) { c.keys("\r") }, frontend.Rollback, "[rollback] \n"},
		{"ctrl-d rolls back", frontend.ConfirmRequest{Kind: frontend.AskCommitRollback}, func(c *confirm) {
			c.Update(tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl})
		}, frontend.Rollback, "^D\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newConfirm(theme.Plain(), tt.req, prodState().PromptInfo(), 80, 24)
			tt.input(c)
			if !c.done {
				t.Fatal("not done")
			}
			if got := c.answer(); got != tt.want {
				t.Errorf("answer %v, want %v", got, tt.want)
			}
			if got := c.echo(); !strings.HasSuffix(got, tt.echo) {
				t.Errorf("echo %q, want it to end in %q", got, tt.echo)
			}
			if strings.TrimSpace(plainView(c.View())) != "" {
				t.Error("view not cleared")
			}
		})
	}
}

func TestConfirmationFitsSmallTerminals(t *testing.T) {
	req := deleteRequest()
	req.Statement = strings.Repeat("delete from orders\n", 30) + ";"
	for _, th := range []*theme.Theme{theme.Plain(), theme.Default(colorprofile.TrueColor)} {
		for _, size := range [][2]int{{80, 24}, {60, 12}, {30, 8}, {20, 5}} {
			c := newConfirm(th, req, prodState().PromptInfo(), size[0], size[1])
			c.keys("prod")
			view := plainView(c.View())
			lines := strings.Split(view, "\n")
			if len(lines) > size[1] {
				t.Errorf("%dx%d: %d lines:\n%s", size[0], size[1], len(lines), view)
			}
			for i, l := range lines {
				if w := lipgloss.Width(l); w > size[0] {
					t.Errorf("%dx%d: line %d is %d wide: %q", size[0], size[1], i, w, l)
				}
			}
			if !strings.Contains(view, "prod") || !strings.Contains(view, "NO WHERE") && !strings.Contains(view, "no WHERE") {
				t.Errorf("%dx%d: the question or the loud reason is missing:\n%s", size[0], size[1], view)
			}
		}
	}
}
