package shell

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safesql/safesql/repl/engine"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/internal/pgtest"
	"github.com/safesql/safesql/repl/internal/termtest"
	"github.com/safesql/safesql/repl/render"
)

// shopSchema: customers with orders (ON DELETE CASCADE) and an audit
// trigger, as in the demo.
const shopSchema = `
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers ON DELETE CASCADE, total int);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, what text);
CREATE FUNCTION log_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO audit_log (what) VALUES ('customer ' || OLD.id); RETURN OLD; END $$;
CREATE TRIGGER customers_audit AFTER DELETE ON customers FOR EACH ROW EXECUTE FUNCTION log_delete();
-- a write hidden from the analyzer: sneaky() is declared STABLE, and
-- calls a volatile function that inserts
CREATE FUNCTION inner_write() RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN INSERT INTO audit_log (what) VALUES ('sneaky'); END $$;
CREATE FUNCTION sneaky() RETURNS int LANGUAGE plpgsql STABLE AS $$
BEGIN PERFORM inner_write(); RETURN 1; END $$;
INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 10) g;
INSERT INTO orders (customer_id, total) SELECT 1 + g % 10, g FROM generate_series(1, 100) g;
`

// auditRecorder keeps the audit lines.
type auditRecorder struct {
	entries []audit.Entry
	fail    error
}

func (r *auditRecorder) Write(e audit.Entry) error {
	if r.fail != nil {
		return r.fail
	}
	r.entries = append(r.entries, e)
	return nil
}

func (r *auditRecorder) decisions() []string {
	var out []string
	for _, e := range r.entries {
		d := e.Decision
		if e.Tx != "" {
			d += ":" + e.Tx
		}
		out = append(out, d)
	}
	return out
}

// harness is a guarded session on a fresh database, a second connection
// that sees only what was committed, and a scripted Prompter.
type harness struct {
	t      *testing.T
	sess   *Session
	out    *termtest.Buffer
	errb   *termtest.Buffer
	other  *pgx.Conn
	asked  []frontend.ConfirmRequest
	answer func(req frontend.ConfirmRequest) (frontend.Answer, error)
	audit  *auditRecorder
	params pgtest.Params
}

func production() engine.Policy {
	return engine.Policy{Env: "prod", Label: "PROD", Tier: "production", ReadOnly: true,
		Confirm: engine.ConfirmWord, ConfirmWord: "production", DryRunTimeout: 5 * time.Second,
		DryRunLockTimeout: time.Second, LockTimeout: 2 * time.Second, AuditRequired: true}
}

func newHarness(t *testing.T, p engine.Policy) *harness {
	t.Helper()
	return newHarnessVia(t, p, nil)
}

// newHarnessVia is newHarness whose session connects through route's
// address when route is not nil.
func newHarnessVia(t *testing.T, p engine.Policy, route func(pgtest.Params) (host string, port uint16)) *harness {
	t.Helper()
	other, params := pgtest.Conn(t)
	ctx := context.Background()
	if _, err := other.Exec(ctx, shopSchema); err != nil {
		t.Fatalf("schema: %v", err)
	}
	cfg, err := pgconn.ParseConfig(params.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	if route != nil {
		cfg.Host, cfg.Port = route(params)
		cfg.Fallbacks = nil
		cfg.TLSConfig = nil
	}
	streams, out, errb := termtest.Streams("", nil)
	s, err := connect(ctx, cfg, streams, render.DefaultOptions(), NewVars())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	h := &harness{t: t, sess: s, out: out, errb: errb, other: other, audit: &auditRecorder{}, params: params}
	s.Interactive = true
	s.Audit = h.audit
	s.Confirm = confirmFunc(func(ctx context.Context, req frontend.ConfirmRequest) (frontend.Answer, error) {
		h.asked = append(h.asked, req)
		if h.answer == nil {
			return frontend.Declined, frontend.ErrNoPrompt
		}
		return h.answer(req)
	})
	if err := s.SetPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	return h
}

// run types text as a person would.
func (h *harness) run(text string) {
	h.t.Helper()
	h.sess.RunInteractive(context.Background(), text)
}

// writesOn types \write and the word, leaving the word as the answer to
// every later question.
func (h *harness) writesOn() {
	h.t.Helper()
	h.answer = word("production")
	h.run(`\write`)
}

// committed counts rows as another session sees them.
func (h *harness) committed(query string) int {
	h.t.Helper()
	var n int
	if err := h.other.QueryRow(context.Background(), query).Scan(&n); err != nil {
		h.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// inSession counts rows as the session sees them.
func (h *harness) inSession(query string) string {
	h.t.Helper()
	_, rows, err := h.sess.Query(context.Background(), query)
	if err != nil || len(rows) != 1 {
		h.t.Fatalf("%s: %v (%d rows)", query, err, len(rows))
	}
	return string(rows[0][0])
}

func word(w string) func(frontend.ConfirmRequest) (frontend.Answer, error) {
	return func(frontend.ConfirmRequest) (frontend.Answer, error) {
		return frontend.Judge(frontend.ConfirmRequest{Kind: frontend.AskWord, Word: "production"}, w), nil
	}
}

func TestReadOnlyRefusesWithTheWayOut(t *testing.T) {
	h := newHarness(t, production())
	h.run("UPDATE orders SET total = 0 WHERE id = 1;")
	want := "prod (production) is read-only: UPDATE would change public.orders. Type \\write to allow writes in this session\n"
	if got := h.errb.String(); got != want {
		t.Fatalf("stderr %q, want %q", got, want)
	}
	if h.sess.Conn().TxStatus() != 'I' {
		t.Fatalf("a refused statement opened a transaction (status %c)", h.sess.Conn().TxStatus())
	}
	if n := h.committed("SELECT count(*) FROM orders WHERE total = 0"); n != 0 {
		t.Fatalf("%d rows changed", n)
	}
	if got := h.audit.decisions(); len(got) != 1 || got[0] != audit.Refused {
		t.Fatalf("audit decisions %v, want [refused]", got)
	}
}

func TestReadOnlyServerRefusesHiddenWrite(t *testing.T) {
	h := newHarness(t, production())
	// the analyzer learns from pg_proc that sneaky() is STABLE: a read
	h.run("SELECT sneaky();")
	if !strings.Contains(h.errb.String(), "cannot execute INSERT in a read-only transaction") {
		t.Fatalf("the server did not refuse the hidden write; stderr:\n%s", h.errb.String())
	}
	if n := h.committed("SELECT count(*) FROM audit_log"); n != 0 {
		t.Fatalf("hidden write landed: %d rows", n)
	}
	h.errb.Reset()
	h.run("SELECT current_setting('transaction_read_only');")
	if !strings.Contains(h.out.String(), " on\n") {
		t.Fatalf("transaction not read-only:\n%s", h.out.String())
	}
}

func TestImplicitTransactionAndCommitReview(t *testing.T) {
	h := newHarness(t, production())
	h.writesOn()
	if len(h.asked) != 1 || h.asked[0].Kind != frontend.AskWord {
		t.Fatalf("\\write asked %+v, want the word", h.asked)
	}
	h.run("INSERT INTO customers VALUES (11, 'new');")
	if got := h.inSession("SELECT count(*) FROM customers"); got != "11" {
		t.Fatalf("session sees %s customers, want 11", got)
	}
	if n := h.committed("SELECT count(*) FROM customers"); n != 10 {
		t.Fatalf("others see %d customers before COMMIT, want 10", n)
	}
	if st := h.sess.State(); st.Tx != frontend.TxOpen || st.TxStatements != 1 || strings.Join(st.TxTables, ",") != "public.customers" {
		t.Fatalf("state %+v", st)
	}
	// declined: still open
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Declined, nil }
	h.run("COMMIT;")
	if h.sess.Conn().TxStatus() != 'T' {
		t.Fatal("a declined COMMIT ended the transaction")
	}
	review := h.asked[len(h.asked)-1]
	if review.Kind != frontend.AskYesNo || review.Impact[0] != "public.customers: 1 inserted" {
		t.Fatalf("commit review %+v", review)
	}
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
	h.run(`\commit`)
	if n := h.committed("SELECT count(*) FROM customers"); n != 11 {
		t.Fatalf("others see %d customers after COMMIT, want 11", n)
	}
}

func TestReadPrintsWhatPsqlPrints(t *testing.T) {
	h := newHarness(t, production())
	// BEGIN READ ONLY travels with the statement: the server sees one
	// query text holding both.
	h.run("SELECT 1 AS one;")
	if got := h.out.String(); got != " one \n-----\n   1\n(1 row)\n\n" {
		t.Fatalf("output %q", got)
	}
	// the read's transaction ends in the same round trip: none is held
	// at the prompt
	if h.sess.Conn().TxStatus() != 'I' || h.errb.String() != "" {
		t.Fatalf("status %c, stderr %q", h.sess.Conn().TxStatus(), h.errb.String())
	}
}

func TestDestructiveAbortedLeavesEverything(t *testing.T) {
	h := newHarness(t, production())
	h.writesOn()
	h.run("INSERT INTO customers VALUES (11, 'new');")
	for _, answer := range []string{"", "prod", "Production", " production"} {
		h.answer = word(answer)
		h.errb.Reset()
		h.run("DELETE FROM customers;")
		if !strings.Contains(h.errb.String(), "aborted, nothing ran") {
			t.Fatalf("answer %q: stderr %q", answer, h.errb.String())
		}
		if got := h.inSession("SELECT count(*) FROM customers"); got != "11" {
			t.Fatalf("answer %q: session sees %s customers, want 11", answer, got)
		}
	}
	if h.sess.Conn().TxStatus() != 'T' || h.sess.State().Tx != frontend.TxOpen {
		t.Fatalf("the transaction did not stay open")
	}
	// Ctrl-C and EOF at the question decline too
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Declined, context.Canceled }
	h.run("DELETE FROM customers;")
	if got := h.inSession("SELECT count(*) FROM orders"); got != "100" {
		t.Fatalf("orders %s, want 100", got)
	}
	req := h.asked[len(h.asked)-1]
	if !req.Loud || req.Word != "production" || req.Reasons[0] == "" {
		t.Fatalf("request %+v", req)
	}
}

func TestDestructiveDryRunCountsCascadesAndTriggers(t *testing.T) {
	h := newHarness(t, production())
	h.writesOn()
	h.run("DELETE FROM customers WHERE id <= 2;")
	req := h.asked[len(h.asked)-1]
	impact := strings.Join(req.Impact, "\n")
	for _, want := range []string{
		"DELETE would remove 2 rows of public.customers",
		"cascades: public.orders 20 deleted",
		"trigger writes: public.audit_log 2 inserted",
	} {
		if !strings.Contains(impact, want) {
			t.Errorf("impact lacks %q:\n%s", want, impact)
		}
	}
	if got := h.inSession("SELECT count(*) FROM orders"); got != "80" {
		t.Fatalf("session sees %s orders, want 80", got)
	}
	if n := h.committed("SELECT count(*) FROM orders"); n != 100 {
		t.Fatalf("others see %d orders before commit, want 100", n)
	}
	// the commit review counts what really happened, not the dry run
	h.answer = func(r frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Declined, nil }
	h.run("COMMIT;")
	review := strings.Join(h.asked[len(h.asked)-1].Impact, "\n")
	for _, want := range []string{"public.audit_log: 2 inserted", "public.customers: 2 deleted", "public.orders: 20 deleted"} {
		if !strings.Contains(review, want) {
			t.Errorf("review lacks %q:\n%s", want, review)
		}
	}
	if h.asked[len(h.asked)-1].Kind != frontend.AskWord {
		t.Errorf("a transaction with destructive changes must want the word at COMMIT")
	}
}

func TestCountMismatchAsksAgain(t *testing.T) {
	h := newHarness(t, production())
	h.writesOn()
	asks := 0
	h.answer = func(req frontend.ConfirmRequest) (frontend.Answer, error) {
		asks++
		if asks == 1 {
			// the table changes between the dry run and the run
			if _, err := h.other.Exec(context.Background(), "INSERT INTO customers VALUES (99, 'late')"); err != nil {
				return frontend.Declined, err
			}
		}
		return frontend.Accepted, nil
	}
	h.run("DELETE FROM customers WHERE name LIKE 'customer%' OR name = 'late';")
	if asks != 2 {
		t.Fatalf("asked %d times, want 2; stderr:\n%s", asks, h.errb.String())
	}
	if !strings.Contains(h.errb.String(), "the dry run counted 10 rows, the statement touched 11") {
		t.Fatalf("stderr %q", h.errb.String())
	}
	if got := h.inSession("SELECT count(*) FROM customers"); got != "0" {
		t.Fatalf("customers %s after the second, confirmed run", got)
	}
}

func TestFailedStatementKeepsTheTransaction(t *testing.T) {
	h := newHarness(t, production())
	h.writesOn()
	h.run("INSERT INTO customers VALUES (11, 'new');")
	h.run("INSERT INTO customers VALUES (1, 'duplicate');")
	if !strings.Contains(h.errb.String(), "the transaction is still open, with its earlier changes") {
		t.Fatalf("stderr %q", h.errb.String())
	}
	if h.sess.Conn().TxStatus() != 'T' {
		t.Fatalf("status %c, want an open transaction", h.sess.Conn().TxStatus())
	}
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
	h.run("COMMIT;")
	if n := h.committed("SELECT count(*) FROM customers"); n != 11 {
		t.Fatalf("%d customers committed, want 11", n)
	}
}

func TestLeavingWithoutAnAnswerRollsBack(t *testing.T) {
	for _, answer := range []func(frontend.ConfirmRequest) (frontend.Answer, error){
		func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Rollback, nil },
		func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Declined, context.Canceled },
		func(r frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Judge(r, ""), nil },
		nil,
	} {
		h := newHarness(t, production())
		h.writesOn()
		h.run("INSERT INTO customers VALUES (11, 'new');")
		h.answer = answer
		h.sess.Leave(context.Background())
		if h.asked[len(h.asked)-1].Kind != frontend.AskCommitRollback {
			t.Fatalf("leaving asked %+v", h.asked[len(h.asked)-1])
		}
		if n := h.committed("SELECT count(*) FROM customers"); n != 10 {
			t.Fatalf("%d customers after leaving without commit, want 10", n)
		}
		if !strings.Contains(h.errb.String(), "rolled back") {
			t.Fatalf("stderr %q", h.errb.String())
		}
	}
	h := newHarness(t, production())
	h.writesOn()
	h.run("INSERT INTO customers VALUES (11, 'new');")
	h.answer = func(r frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Judge(r, "c"), nil }
	h.sess.Leave(context.Background())
	if n := h.committed("SELECT count(*) FROM customers"); n != 11 {
		t.Fatalf("%d customers after answering commit, want 11", n)
	}
}

func TestTimeoutsAreSet(t *testing.T) {
	p := production()
	p.IdleInTxTimeout = 7 * time.Second
	p.StatementTimeout = 30 * time.Second
	h := newHarness(t, p)
	h.run("SHOW idle_in_transaction_session_timeout;")
	h.run("SHOW statement_timeout;")
	out := h.out.String()
	if !strings.Contains(out, " 7s\n") || !strings.Contains(out, " 30s\n") {
		t.Fatalf("output:\n%s", out)
	}
}

func TestLostConnectionIsReportedAndReconnects(t *testing.T) {
	h := newHarness(t, production())
	h.writesOn()
	h.run("INSERT INTO customers VALUES (11, 'new');")
	pid := h.sess.Conn().PID()
	if _, err := h.other.Exec(context.Background(), fmt.Sprintf("SELECT pg_terminate_backend(%d)", pid)); err != nil {
		t.Fatal(err)
	}
	h.errb.Reset()
	h.run("SELECT 1;")
	if !strings.Contains(h.errb.String(), "was rolled back by the server") {
		t.Fatalf("stderr %q", h.errb.String())
	}
	if n := h.committed("SELECT count(*) FROM customers"); n != 10 {
		t.Fatalf("%d customers, want 10", n)
	}
	h.out.Reset()
	h.run("SELECT 2 AS two;")
	if !strings.Contains(h.out.String(), "   2\n") || !strings.Contains(h.errb.String(), "reconnected") {
		t.Fatalf("no reconnect: out %q err %q", h.out.String(), h.errb.String())
	}
	if h.sess.Conn().PID() == pid {
		t.Fatal("same backend after reconnect")
	}
	// the new connection is read-only again (writes reset)
	h.errb.Reset()
	h.run("INSERT INTO customers VALUES (12, 'x');")
	if !strings.Contains(h.errb.String(), "is read-only") {
		t.Fatalf("after reconnect, writes are on: %q", h.errb.String())
	}
}

func TestAuditFailureStopsStatementInProduction(t *testing.T) {
	h := newHarness(t, production())
	h.writesOn()
	h.audit.fail = errors.New("disk full")
	h.run("DELETE FROM customers WHERE id = 1;")
	h.audit.fail = nil
	h.run("SELECT 1;")
	if n := h.committed("SELECT count(*) FROM customers"); n != 10 {
		t.Fatalf("%d customers", n)
	}
	if got := h.inSession("SELECT count(*) FROM customers"); got != "10" {
		t.Fatalf("the statement ran although the audit failed: %s customers", got)
	}
	if !strings.Contains(h.errb.String(), "audit log") {
		t.Fatalf("stderr %q", h.errb.String())
	}
}

func TestAuditLines(t *testing.T) {
	h := newHarness(t, production())
	h.writesOn()
	h.run("DELETE FROM customers WHERE id = 1;")
	h.answer = word("production")
	h.run("COMMIT;")
	got := strings.Join(h.audit.decisions(), " ")
	if got != "ran confirmed ran sending:commit ran:commit" {
		t.Fatalf("decisions %q", got)
	}
	e := h.audit.entries[2]
	if e.Statement != "DELETE FROM customers WHERE id = 1;" || *e.Rows != 1 || *e.DryRunRows != 1 || e.Class != "destructive" || e.Env != "prod" || e.Database != h.params.DBName {
		t.Fatalf("entry %+v", e)
	}
}

func TestDevelopmentKeepsPsqlBehaviour(t *testing.T) {
	h := newHarness(t, psqlPolicy())
	h.sess.Audit = nil
	h.run("DELETE FROM orders;")
	if len(h.asked) != 0 {
		t.Fatalf("asked %+v", h.asked)
	}
	if n := h.committed("SELECT count(*) FROM orders"); n != 0 {
		t.Fatalf("autocommit: %d orders left", n)
	}
	if got := h.out.String(); got != "DELETE 100\n" {
		t.Fatalf("output %q", got)
	}
}

// countingConn counts the messages the client sends: each Write of pgconn
// is one round trip's request.
type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

func TestReadStatementIsOneRoundTrip(t *testing.T) {
	p := pgtest.DB(t)
	cfg, err := pgconn.ParseConfig(p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	var writes atomic.Int64
	dial := cfg.DialFunc
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countingConn{c, &writes}, nil
	}
	streams, out, errb := termtest.Streams("", nil)
	s, err := connect(context.Background(), cfg, streams, render.DefaultOptions(), NewVars())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	s.Interactive = true
	pol := production()
	pol.StatementTimeout = 30 * time.Second
	pol.IdleInTxTimeout = time.Minute
	if err := s.SetPolicy(context.Background(), pol); err != nil {
		t.Fatal(err)
	}
	// each read opens its read-only transaction and ends it in its one
	// round trip: none is held at the prompt
	for i, sql := range []string{"SELECT 1;", "SELECT 2;", "SELECT 3;"} {
		before := writes.Load()
		s.RunInteractive(context.Background(), sql)
		if n := writes.Load() - before; n != 1 {
			t.Errorf("statement %d (%s): %d round trips, want 1", i+1, sql, n)
		}
		if st := s.Conn().TxStatus(); st != 'I' {
			t.Errorf("statement %d (%s): transaction status %c after it, want I (none held)", i+1, sql, st)
		}
	}
	if errb.String() != "" || !strings.Contains(out.String(), "(1 row)") {
		t.Fatalf("out %q err %q", out.String(), errb.String())
	}
}

func TestIncludeShowsThePlanFirst(t *testing.T) {
	h := newHarness(t, production())
	file := t.TempDir() + "/m.sql"
	if err := os.WriteFile(file, []byte("SELECT 1;\nUPDATE orders SET total = 0;\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.run(`\i ` + file)
	want := "safesql: plan for prod (production): 2 statements: 1 read, 0 write, 1 destructive\n" +
		"  " + file + ":2: destructive: UPDATE orders SET total = 0;\n"
	if !strings.HasPrefix(h.errb.String(), want) || !strings.Contains(h.errb.String(), `type \write to allow writes`) {
		t.Fatalf("stderr:\n%s\nwant it to start with:\n%s", h.errb.String(), want)
	}
	if h.out.String() != "" {
		t.Fatalf("the file ran: %q", h.out.String())
	}
	// with writes on, the plan is shown, then each statement is asked
	h.writesOn()
	h.errb.Reset()
	h.run(`\i ` + file)
	if !strings.HasPrefix(h.errb.String(), want) || h.committed("SELECT count(*) FROM orders WHERE total = 0") != 0 {
		t.Fatalf("stderr:\n%s", h.errb.String())
	}
	if got := h.inSession("SELECT count(*) FROM orders WHERE total = 0"); got != "100" {
		t.Fatalf("the confirmed UPDATE did not run in the transaction: %s", got)
	}
}

func TestNoBegin(t *testing.T) {
	for sql, want := range map[string]bool{
		"VACUUM orders;":                             true,
		"vacuum (verbose) orders":                    true,
		"CREATE INDEX CONCURRENTLY i ON t (a);":      true,
		"create unique index concurrently i on t(a)": true,
		"CREATE INDEX i ON t (a);":                   false,
		"DROP INDEX CONCURRENTLY i;":                 true,
		"REINDEX TABLE CONCURRENTLY t;":              true,
		"REINDEX TABLE t;":                           false,
		"CREATE DATABASE x;":                         true,
		"ALTER SYSTEM SET work_mem = '1MB';":         true,
		"ALTER TABLE t ADD COLUMN c int;":            false,
		"CLUSTER;":                                   true,
		"CLUSTER t USING i;":                         false,
		"-- c\nDISCARD ALL;":                         true,
		"SELECT 'vacuum';":                           false,
	} {
		if got := analyze.Classify(sql).NoTransactionBlock; got != want {
			t.Errorf("NoTransactionBlock(%q) = %v, want %v", sql, got, want)
		}
	}
}

func TestConcurrentIndexRunsOutsideTheTransaction(t *testing.T) {
	p := production()
	p.ReadOnly = false
	h := newHarness(t, p)
	h.run("SELECT 1;")
	h.run("CREATE INDEX CONCURRENTLY orders_total ON orders (total);")
	if !strings.Contains(h.errb.String(), "CREATE cannot run inside a transaction, and one is open") {
		t.Fatalf("stderr %q", h.errb.String())
	}
	h.run("ROLLBACK;")
	h.errb.Reset()
	h.run("CREATE INDEX CONCURRENTLY orders_total ON orders (total);")
	if h.errb.String() != "" || h.committed("SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_total'") != 1 {
		t.Fatalf("stderr %q", h.errb.String())
	}
}

func TestBackslashCopyAndGsetFollowTheRules(t *testing.T) {
	h := newHarness(t, production())
	h.run("\\copy customers from stdin\n11\tnew\n\\.\n")
	if !strings.Contains(h.errb.String(), "is read-only: COPY") {
		t.Fatalf("stderr %q", h.errb.String())
	}
	h.writesOn()
	h.run("\\copy customers from stdin\n11\tnew\n\\.\n")
	if got := h.inSession("SELECT count(*) FROM customers"); got != "11" {
		t.Fatalf("session sees %s customers after \\copy, want 11", got)
	}
	if n := h.committed("SELECT count(*) FROM customers"); n != 10 {
		t.Fatalf("\\copy committed on its own: %d", n)
	}
	h.errb.Reset()
	h.run(`DELETE FROM customers RETURNING id \gset`)
	if !strings.Contains(h.errb.String(), `\gset runs reads only`) {
		t.Fatalf("stderr %q", h.errb.String())
	}
}

func TestStrongLockShowsBlockersAndTheSafeForm(t *testing.T) {
	p := production()
	p.ReadOnly = false
	p.LockTimeout = 300 * time.Millisecond
	h := newHarness(t, p)
	// another session holds a lock on orders
	tx, err := h.other.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(context.Background(), "LOCK orders IN ROW EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	h.run("CREATE INDEX orders_total ON orders (total);")
	got := h.errb.String()
	for _, want := range []string{
		"safesql: note: takes a SHARE lock on public.orders; 1 session holds a lock on it now",
		"while it waits for them, every later query on public.orders waits too",
		"safesql: note: safer: CREATE INDEX CONCURRENTLY",
		"canceling statement due to lock timeout",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("stderr lacks %q:\n%s", want, got)
		}
	}
}

func TestConfirmFor(t *testing.T) {
	for _, tt := range []struct {
		tier, word string
		want       engine.ConfirmMode
	}{
		{"production", "production", engine.ConfirmWord},
		{"production", "", engine.ConfirmYesNo},
		{"staging", "", engine.ConfirmYesNo},
		{"staging", "staging", engine.ConfirmWord},
		{"development", "", engine.ConfirmWarn},
		{"development", "dev", engine.ConfirmWord},
		{"local", "", engine.ConfirmWarn},
	} {
		if got := engine.ConfirmFor(tt.tier, tt.word); got != tt.want {
			t.Errorf("engine.ConfirmFor(%q, %q) = %v, want %v", tt.tier, tt.word, got, tt.want)
		}
	}
}

func TestDryRunCommand(t *testing.T) {
	h := newHarness(t, production())
	h.run(`\dryrun DELETE FROM customers WHERE id = 1;`)
	out := h.out.String()
	if !strings.HasPrefix(out, "destructive: ") || !strings.Contains(out, "estimate") {
		t.Fatalf("read-only \\dryrun must estimate, not try:\n%s\n%s", out, h.errb.String())
	}
	h.writesOn()
	h.out.Reset()
	h.run(`\dryrun DELETE FROM customers WHERE id = 1;`)
	if out := h.out.String(); !strings.Contains(out, "DELETE would remove 1 row of public.customers") || !strings.Contains(out, "cascades: public.orders 10 deleted") {
		t.Fatalf("output:\n%s", out)
	}
	if got := h.inSession("SELECT count(*) FROM customers"); got != "10" {
		t.Fatalf("\\dryrun changed something: %s customers", got)
	}
	h.out.Reset()
	h.run(`\status`)
	if !strings.Contains(h.out.String(), "transaction: none (the next statement opens one)") {
		t.Fatalf("status:\n%s", h.out.String())
	}
}

// TestLongTransactionIsFlagged: a transaction open past the policy's
// warning time is flagged, by the session's clock, and the commit's
// review says how long it was open.
func TestLongTransactionIsFlagged(t *testing.T) {
	p := production()
	p.TxWarnAfter = 5 * time.Minute
	h := newHarness(t, p)
	now := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	h.sess.Now = func() time.Time { return now }
	h.writesOn()
	h.run("BEGIN;")
	h.run("INSERT INTO audit_log (what) VALUES ('long');")
	if st := h.sess.State(); st.Tx != frontend.TxOpen || st.TxLong || !st.TxSince.Equal(now) {
		t.Fatalf("fresh transaction: %+v", st)
	}
	now = now.Add(5 * time.Minute)
	if st := h.sess.State(); st.TxLong {
		t.Fatalf("a transaction open for exactly the warning time is flagged: %+v", st)
	}
	now = now.Add(2 * time.Minute)
	if st := h.sess.State(); !st.TxLong {
		t.Fatalf("a transaction open past the warning time is not flagged: %+v", st)
	}
	h.run("COMMIT;")
	if len(h.asked) == 0 || !slices.Contains(h.asked[len(h.asked)-1].Impact, "open for 7m0s, 1 statement") {
		t.Fatalf("the commit's review does not say how long the transaction was open: %+v", h.asked)
	}
}

// TestAuditRecordsTheServersError: a statement that fails is audited with
// the server's own message, not safesql's "statement failed".
func TestAuditRecordsTheServersError(t *testing.T) {
	h := newHarness(t, production())
	h.writesOn()
	h.run("INSERT INTO orders (id, customer_id, total) VALUES (1, 1, 1);")
	last := h.audit.entries[len(h.audit.entries)-1]
	if want := `ERROR: duplicate key value violates unique constraint "orders_pkey"`; last.Decision != audit.Ran || last.Error != want {
		t.Fatalf("audit line %+v, want decision ran and error %q", last, want)
	}
}

// TestCountCheckPrintsTheOutcomeOnce: rows that arrive between the dry run
// and the confirmed run make the counts differ; the statement is undone
// and its command tag ("DELETE 3") is never printed: the only outcome
// shown is the true one.
func TestCountCheckPrintsTheOutcomeOnce(t *testing.T) {
	h := newHarness(t, production())
	h.writesOn()
	if _, err := h.other.Exec(context.Background(), "INSERT INTO audit_log (what) VALUES ('x'), ('x')"); err != nil {
		t.Fatal(err)
	}
	asked := 0
	h.answer = func(req frontend.ConfirmRequest) (frontend.Answer, error) {
		asked++
		if asked == 1 {
			if _, err := h.other.Exec(context.Background(), "INSERT INTO audit_log (what) VALUES ('x')"); err != nil {
				t.Fatal(err)
			}
			return frontend.Accepted, nil
		}
		return frontend.Declined, nil
	}
	h.run("DELETE FROM audit_log WHERE what = 'x';")
	if strings.Contains(h.out.String(), "DELETE") {
		t.Fatalf("the undone DELETE's tag was printed; stdout:\n%s", h.out.String())
	}
	if !strings.Contains(h.errb.String(), "the dry run counted 2 rows, the statement touched 3; it was undone (nothing changed)") {
		t.Fatalf("no count-check message; stderr:\n%s", h.errb.String())
	}
	if asked != 2 {
		t.Fatalf("asked %d times, want the question again after the count changed", asked)
	}
	if n := h.committed("SELECT count(*) FROM audit_log WHERE what = 'x'"); n != 3 {
		t.Fatalf("%d rows left, want 3", n)
	}
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
	h.run("DELETE FROM audit_log WHERE what = 'x';")
	if got := strings.Count(h.out.String(), "DELETE 3"); got != 1 {
		t.Fatalf("DELETE 3 printed %d times; stdout:\n%s", got, h.out.String())
	}
}

// TestCommitAfterTheServerEndedTheSession: the server ended the idle
// transaction's session (idle_in_transaction_session_timeout) before the
// COMMIT. The commit review finds the session gone before it asks, and
// says the transaction was rolled back by the server, with the server's
// reason; that is what is told and audited, and nothing is offered.
func TestCommitAfterTheServerEndedTheSession(t *testing.T) {
	p := production()
	p.IdleInTxTimeout = 300 * time.Millisecond
	h := newHarness(t, p)
	h.writesOn()
	h.run("INSERT INTO audit_log (what) VALUES ('late');")
	time.Sleep(time.Second)
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
	asked := len(h.asked)
	h.run("COMMIT;")
	stderr := h.errb.String()
	if !strings.Contains(stderr, "nothing to commit: the server ended the session (terminating connection due to idle-in-transaction timeout), and the open transaction (1 statement, public.audit_log changed) is gone: rolled back by the server, nothing of it was committed") || len(h.asked) != asked {
		t.Fatalf("the commit's outcome is not told as the server's rollback; stderr:\n%s", stderr)
	}
	last := h.audit.entries[len(h.audit.entries)-1]
	if last.Tx != audit.Rollback {
		t.Fatalf("last audit line %+v, want the rollback", last)
	}
	if n := h.committed("SELECT count(*) FROM audit_log WHERE what = 'late'"); n != 0 {
		t.Fatalf("%d rows committed", n)
	}
}

// TestCommitLostInFlightAsksTheServer: the connection drops after the
// COMMIT was sent, before its answer came back (a proxy in between cuts
// it), and the server did commit. Asked on a connection of safesql's own
// what became of the transaction (txid_status), the server says it was
// committed, and that is what is told and audited, not "unknown".
func TestCommitLostInFlightAsksTheServer(t *testing.T) {
	var cut atomic.Bool
	h := newHarnessVia(t, production(), func(p pgtest.Params) (string, uint16) {
		return cuttingProxy(t, p, &cut)
	})
	h.writesOn()
	h.run("INSERT INTO audit_log (what) VALUES ('kept');")
	cut.Store(true)
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
	h.run("COMMIT;")
	stderr := h.errb.String()
	if !strings.Contains(stderr, "safesql: the connection was lost after COMMIT was sent; the server says the transaction (1 statement, public.audit_log changed) was committed") {
		t.Fatalf("the commit's outcome is not what the server says; stderr:\n%s", stderr)
	}
	last := h.audit.entries[len(h.audit.entries)-1]
	if last.Tx != audit.Commit || last.Error != "" {
		t.Fatalf("last audit line %+v, want the commit", last)
	}
	if n := h.committed("SELECT count(*) FROM audit_log WHERE what = 'kept'"); n != 1 {
		t.Fatalf("%d rows committed, want 1", n)
	}
}

// cuttingProxy forwards connections on 127.0.0.1 to the server of p. Once
// cut is set, the first connection that sends a COMMIT has it forwarded
// and is then cut before the server's answer reaches the client.
func cuttingProxy(t *testing.T, p pgtest.Params, cut *atomic.Bool) (string, uint16) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	network, addr := "tcp", net.JoinHostPort(p.Host, strconv.Itoa(int(p.Port)))
	if strings.HasPrefix(p.Host, "/") {
		network, addr = "unix", fmt.Sprintf("%s/.s.PGSQL.%d", p.Host, p.Port)
	}
	var done atomic.Bool // one connection is cut, the rest pass
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial(network, addr)
			if err != nil {
				client.Close()
				continue
			}
			var committing atomic.Bool
			go func() { // server -> client, until the COMMIT went by
				buf := make([]byte, 32<<10)
				for {
					n, err := server.Read(buf)
					if committing.Load() {
						time.Sleep(200 * time.Millisecond) // the commit is made
						client.Close()
						server.Close()
						return
					}
					if n > 0 {
						if _, werr := client.Write(buf[:n]); werr != nil {
							return
						}
					}
					if err != nil {
						client.Close()
						return
					}
				}
			}()
			go func() { // client -> server
				buf := make([]byte, 32<<10)
				for {
					n, err := client.Read(buf)
					if n > 0 {
						if cut.Load() && bytes.Contains(buf[:n], []byte("COMMIT")) && done.CompareAndSwap(false, true) {
							committing.Store(true)
						}
						if _, werr := server.Write(buf[:n]); werr != nil {
							return
						}
					}
					if err != nil {
						server.Close()
						return
					}
				}
			}()
		}
	}()
	return "127.0.0.1", uint16(ln.Addr().(*net.TCPAddr).Port)
}

// TestWaitingOnALockSaysOnWhom: a confirmed UPDATE that waits on another
// session's row lock says, after a second, which session holds it (pid,
// application, what it runs), then goes on once the lock is released.
func TestWaitingOnALockSaysOnWhom(t *testing.T) {
	h := newHarness(t, production())
	h.writesOn()
	blocker, err := pgx.Connect(context.Background(), h.params.ConnString()+" application_name=blocker")
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Close(context.Background())
	var pid int
	if err := blocker.QueryRow(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := blocker.Exec(context.Background(), "BEGIN; UPDATE customers SET name = 'held' WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	go func() {
		defer close(released)
		time.Sleep(2500 * time.Millisecond)
		_, _ = blocker.Exec(context.Background(), "ROLLBACK")
	}()
	defer func() { <-released }() // before the blocker is closed
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
	h.run("UPDATE customers SET name = 'mine' WHERE id = 1;")
	want := fmt.Sprintf("safesql: waiting for a lock held by pid %d (blocker, idle in transaction for ", pid)
	if !strings.Contains(h.errb.String(), want) || !strings.Contains(h.errb.String(), "BEGIN; UPDATE customers SET name = 'held' WHERE id = 1); Ctrl-C cancels the statement") {
		t.Fatalf("no word of the lock's holder; stderr:\n%s", h.errb.String())
	}
	if !strings.Contains(h.out.String(), "UPDATE 1") {
		t.Fatalf("the UPDATE did not go on once the lock was released; stdout:\n%s", h.out.String())
	}
}
