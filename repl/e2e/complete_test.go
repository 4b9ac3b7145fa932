package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// completeDB is a shop of two tables joined by a foreign key, a view and
// a schema, in a local-tier environment "dev" (writes run without a
// question, so that DDL can be shown to refresh completion).
func completeDB(t *testing.T) (cfg string) {
	t.Helper()
	conn, p := pgtest.Conn(t)
	_, err := conn.Exec(context.Background(), `
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, status text NOT NULL, total numeric);
CREATE VIEW open_orders AS SELECT id, total FROM orders WHERE status = 'open';
CREATE SEQUENCE invoice_numbers;
INSERT INTO customers VALUES (1, 'ada'), (2, 'bob');
INSERT INTO orders VALUES (1, 1, 'open', 10), (2, 1, 'shipped', 20), (3, 2, 'open', 30);`)
	if err != nil {
		t.Fatal(err)
	}
	return writeConfig(t, fmt.Sprintf("[envs.dev]\ndsn = \"host=%s port=%d user=%s dbname=%s\"\ntier = \"local\"\n",
		p.Host, p.Port, p.User, p.DBName))
}

// TestTUICompletion: Tab completes what fits where the cursor is, in the
// framed editor, at 120, 80 and 40 columns.
func TestTUICompletion(t *testing.T) {
	for _, width := range []int{120, 80, 40} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			cfg := completeDB(t)
			s := startScreen(t, width, 30, tuiEnv(t, cfg, "xterm-256color"), "-X", "dev")
			s.waitFor(frameTop)

			// After FROM: the table, not its look-alike column customer_id.
			s.typeText("select count(*) from cu")
			s.key("Tab")
			s.waitEditing("from customers")
			// An alias: o.sta is orders.status.
			s.typeText("c join orders o on ")
			s.key("Tab")
			// After ON: the join condition along the foreign key.
			s.waitEditing("o.customer_id = c.id")
			s.typeText("where o.sta")
			s.key("Tab")
			s.waitEditing("o.status")
			s.typeText("= 'open';")
			s.key("Enter")
			got := s.waitFor("(1 row)")
			if !strings.Contains(got, "     2\n") {
				t.Errorf("the completed statement did not count 2 open orders:\n%s", got)
			}

			// A schema-qualified name.
			s.typeText("select name from public.cu")
			s.key("Tab")
			s.waitEditing("from public.customers")
			s.typeText("where id = 2;")
			s.key("Enter")
			s.waitFor(" bob\n")

			// Several candidates: the columns of o, listed under the frame,
			// each whole, from the left edge.
			s.typeText("select * from orders o where o.")
			s.key("Tab")
			// (the screen already holds "customer_id" from the join
			// above: wait for the list itself)
			list := regexp.MustCompile(`(?m)^\s*customer_id  id  status  total\s*$`)
			s.waitUntil("the candidates listed whole on one line", list.MatchString)
			s.key("C-c")
			s.editorReady()

			// DDL refreshes the names completion offers.
			s.line("create table shipments (id int, order_id int references orders);")
			s.waitFor("CREATE TABLE")
			s.typeText("select * from ship")
			s.key("Tab")
			s.waitEditing("from shipments")
			s.key("C-c")
			s.line(`\q`)
			s.waitExit(0)
		})
	}
}

// TestPlainCompletion: the same completions in --plain (readline) on a
// pty; the statements completed by Tab run and give the right rows.
func TestPlainCompletion(t *testing.T) {
	cfg := completeDB(t)
	term := startTerminal(t, []string{"SAFESQL_CONFIG=" + cfg, "NO_COLOR=1"}, "-X", "--plain", "dev")
	term.waitFor("=# ")
	// FROM cu<Tab>: customers; ON <Tab>: the join condition; o.sta<Tab>: status.
	term.send("select count(*) as open_count from cu\t")
	term.waitFor("customers")
	term.send(" c join orders o on \t")
	term.waitFor("o.customer_id = c.id")
	term.send(" where o.sta\t")
	term.waitFor("tus")
	term.send(" = 'open';\r")
	term.waitFor("open_count")
	term.waitFor("2\r\n(1 row)")
	// A backslash command's name.
	term.send("\\dv\t")
	term.send("\r")
	term.waitFor("open_orders")
	term.send("\\q\r")
}

var editorPrompt = regexp.MustCompile(`^\s*DEV \S*# `)

// editing is the text in the editor's frame, its lines joined by a space
// (a narrow frame wraps a line at a space), runs of spaces collapsed.
func editing(screen string) string {
	var parts []string
	for _, l := range strings.Split(screen, "\n") {
		i, j := strings.Index(l, "│"), strings.LastIndex(l, "│")
		if i < 0 || j <= i {
			continue
		}
		parts = append(parts, editorPrompt.ReplaceAllString(l[i+len("│"):j], ""))
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// waitEditing waits until the editor holds want.
func (s *screen) waitEditing(want string) {
	s.t.Helper()
	s.waitUntil(fmt.Sprintf("the editor to hold %q", want), func(screen string) bool {
		return strings.Contains(editing(screen), want)
	})
}
