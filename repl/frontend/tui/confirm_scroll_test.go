package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/safesql/safesql/theme"
)

// longStatement is a statement wider and taller than a small window.
const longStatement = `delete from orders
where status = 'cancelled' and placed_at < now() - interval '90 days' and customer_id in (select id from customers where region = 'emea')
and id not in (select order_id from refunds)
and total < 1000
and note is null
and coupon is null
and channel = 'web'
and warehouse_id = 7;`

// TestConfirmationNeverCutsTheStatement: every word of the statement and
// every count is on the screen, wrapped, the rest reached with PgDn.
func TestConfirmationNeverCutsTheStatement(t *testing.T) {
	req := deleteRequest()
	req.Statement = longStatement
	req.Impact = append(req.Impact, "order_items: 12,345 rows would be deleted by ON DELETE CASCADE (exact count)")
	for _, size := range [][2]int{{120, 35}, {80, 24}, {40, 12}} {
		c := newConfirm(theme.Plain(), req, prodState().PromptInfo(), size[0], size[1])
		seen := ""
		for range 20 {
			view := plainView(c.View())
			lines := strings.Split(view, "\n")
			if len(lines) > size[1] {
				t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
			}
			for _, l := range lines {
				if w := lipgloss.Width(l); w > size[0] {
					t.Errorf("%dx%d: a line %d wide: %q", size[0], size[1], w, l)
				}
				if strings.Contains(l, "…") {
					t.Errorf("%dx%d: a line is cut: %q", size[0], size[1], l)
				}
			}
			if !strings.Contains(view, "Type production to run it:") && !strings.Contains(view, "Type production:") {
				t.Errorf("%dx%d: no question:\n%s", size[0], size[1], view)
			}
			seen += view
			c.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
		}
		words := strings.Fields(strings.Join(append([]string{req.Statement}, req.Impact...), " "))
		flat := strings.Join(strings.Fields(strings.ReplaceAll(seen, "│", " ")), " ")
		for _, w := range words {
			if !strings.Contains(flat, w) {
				t.Errorf("%dx%d: %q never shown:\n%s", size[0], size[1], w, seen)
			}
		}
		// PgUp goes back to the top.
		for range 20 {
			c.Update(tea.KeyPressMsg{Code: tea.KeyPgUp})
		}
		if c.scroll != 0 {
			t.Errorf("%dx%d: PgUp leaves the view at row %d", size[0], size[1], c.scroll)
		}
	}
}
