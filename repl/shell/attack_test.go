package shell

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/frontend"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
)

// The tests in this file try to get around production's rules the way an
// attacker (or a careless script) would, and ask the server what really
// happened: rows as another session sees them after the attempt.

// attackSchema adds to shopSchema a view that calls a VOLATILE function
// that deletes, and a function that deletes one order.
const attackSchema = `
CREATE FUNCTION wipe_customer_4() RETURNS int LANGUAGE plpgsql VOLATILE AS $$
BEGIN DELETE FROM orders WHERE customer_id = 4; DELETE FROM customers WHERE id = 4; RETURN 1; END $$;
CREATE VIEW v AS SELECT wipe_customer_4() AS x;
CREATE FUNCTION del_order_1() RETURNS int LANGUAGE plpgsql VOLATILE AS $$
BEGIN DELETE FROM orders WHERE id = 1; RETURN 1; END $$;
`

func newAttackHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, production())
	if _, err := h.other.Exec(context.Background(), attackSchema); err != nil {
		t.Fatalf("schema: %v", err)
	}
	return h
}

// declineAll answers every question no.
func declineAll(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Declined, nil }

func TestAttackReadOnlyOffThenAViewThatDeletes(t *testing.T) {
	h := newAttackHarness(t)
	h.run("SET transaction_read_only = off;")
	h.run("SELECT * FROM v;")
	h.run("COMMIT;")
	if n := h.committed("SELECT count(*) FROM customers WHERE id = 4"); n != 1 {
		t.Fatalf("customer 4 deleted and committed in read-only production; stderr:\n%s", h.errb.String())
	}
	if !strings.Contains(h.errb.String(), "is read-only") {
		t.Fatalf("the SET was not refused as a write; stderr:\n%s", h.errb.String())
	}
}

// TestServerBacksReadOnlyWhenTheAnalyzerIsWrong: the analyzer is made to
// call the SET a read; the server's word after it (transaction_read_only
// off) rolls the transaction back before anything else runs in it.
func TestServerBacksReadOnlyWhenTheAnalyzerIsWrong(t *testing.T) {
	h := newAttackHarness(t)
	h.sess.Misread(func(sql string, v analyze.Verdict) analyze.Verdict {
		return analyze.Verdict{Class: analyze.Read, Statements: v.Statements, TxControl: v.TxControl}
	})
	h.run("SET transaction_read_only = off;")
	if !strings.Contains(h.errb.String(), "stopped being read-only") && !strings.Contains(h.errb.String(), "was not read-only after SET") {
		t.Fatalf("no refusal from the server's check; stderr:\n%s", h.errb.String())
	}
	if h.sess.Conn().TxStatus() != 'I' {
		t.Fatalf("the transaction that stopped being read-only is still open (%c)", h.sess.Conn().TxStatus())
	}
	h.run("SELECT * FROM v;")
	h.run("COMMIT;")
	if n := h.committed("SELECT count(*) FROM customers WHERE id = 4"); n != 1 {
		t.Fatalf("customer 4 deleted and committed; stderr:\n%s", h.errb.String())
	}
}

func TestAttackTransactionWordsInAVariable(t *testing.T) {
	h := newAttackHarness(t)
	h.run(`\set x 'select 1'`)
	h.run(`select 'rollback; set transaction_read_only = off; delete from customers where id = 5' as x \gset`)
	h.run(":x;")
	h.run("COMMIT;")
	if n := h.committed("SELECT count(*) FROM customers WHERE id = 5"); n != 1 {
		t.Fatalf("customer 5 deleted through a variable; stderr:\n%s", h.errb.String())
	}
	h.errb.Reset()
	h.run(`select 'commit; delete from customers where id = 5' \gexec`)
	h.run("COMMIT;")
	if n := h.committed("SELECT count(*) FROM customers WHERE id = 5"); n != 1 {
		t.Fatalf("customer 5 deleted through \\gexec; stderr:\n%s", h.errb.String())
	}
	if !strings.Contains(h.errb.String(), "is read-only") {
		t.Fatalf("the DELETE was not refused; stderr:\n%s", h.errb.String())
	}
}

func TestAttackStandardConformingStringsOff(t *testing.T) {
	for _, writes := range []bool{false, true} {
		h := newAttackHarness(t)
		if writes {
			h.writesOn()
		}
		h.answer = declineAll
		h.run("SET standard_conforming_strings = off;")
		h.run(`select '\'' ; delete from customers where id = 3; --';`)
		h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
		h.run("COMMIT;")
		if n := h.committed("SELECT count(*) FROM customers WHERE id = 3"); n != 1 {
			t.Fatalf("writes %v: the hidden DELETE ran; stderr:\n%s", writes, h.errb.String())
		}
		for _, req := range h.asked {
			if strings.Contains(req.Statement, "delete") && req.Kind != frontend.AskWord {
				t.Fatalf("writes %v: the DELETE was asked without the word: %+v", writes, req)
			}
		}
	}
}

func TestAttackTwoPhaseCommit(t *testing.T) {
	h := newAttackHarness(t)
	// read-only: COMMIT/ROLLBACK PREPARED act on another session's work
	for _, sql := range []string{"commit prepared 'x';", "rollback prepared 'x';"} {
		h.errb.Reset()
		h.run(sql)
		if !strings.Contains(h.errb.String(), "is read-only") {
			t.Fatalf("%s in read-only production: stderr %q", sql, h.errb.String())
		}
	}
	// writes on: PREPARE TRANSACTION is a commit, reviewed; declined, it
	// is not sent and the transaction stays open
	h.writesOn()
	h.answer = declineAll
	h.run("INSERT INTO customers VALUES (20, 'two-phase');")
	h.run("PREPARE TRANSACTION 'p1';")
	if n := h.committed("SELECT count(*) FROM pg_prepared_xacts WHERE gid = 'p1'"); n != 0 {
		t.Fatal("PREPARE TRANSACTION ran without the commit review")
	}
	if h.sess.Conn().TxStatus() != 'T' {
		t.Fatalf("declined PREPARE TRANSACTION ended the transaction (%c)", h.sess.Conn().TxStatus())
	}
	last := h.asked[len(h.asked)-1]
	if !strings.HasPrefix(last.Title, "COMMIT in") {
		t.Fatalf("PREPARE TRANSACTION asked %+v, want the commit review", last)
	}
	// accepted: prepared, audited as such
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
	h.run("PREPARE TRANSACTION 'p1';")
	if n := h.committed("SELECT count(*) FROM pg_prepared_xacts WHERE gid = 'p1'"); n != 1 {
		t.Fatalf("PREPARE TRANSACTION did not run; stderr:\n%s", h.errb.String())
	}
	if got := h.audit.decisions(); !strings.Contains(strings.Join(got, " "), "ran:prepared") {
		t.Fatalf("audit %v: no prepared line", got)
	}
	// COMMIT PREPARED is destructive: the word, never tried in a dry run
	h.answer = declineAll
	h.run("COMMIT PREPARED 'p1';")
	if n := h.committed("SELECT count(*) FROM customers WHERE id = 20"); n != 0 {
		t.Fatal("COMMIT PREPARED ran without the word")
	}
	last = h.asked[len(h.asked)-1]
	if last.Kind != frontend.AskWord {
		t.Fatalf("COMMIT PREPARED asked %+v, want the word", last)
	}
	h.answer = word("production")
	h.run("COMMIT PREPARED 'p1';")
	if n := h.committed("SELECT count(*) FROM customers WHERE id = 20"); n != 1 {
		t.Fatalf("COMMIT PREPARED with the word did not commit; stderr:\n%s", h.errb.String())
	}
}

func TestAttackRejectedPrepareIsNotLearnt(t *testing.T) {
	h := newAttackHarness(t)
	h.writesOn()
	h.answer = declineAll
	h.run("prepare q as delete from customers where id = 2;")
	h.run("prepare q as select 1;") // the server refuses: q exists
	h.run("execute q;")
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
	h.run("COMMIT;")
	if n := h.committed("SELECT count(*) FROM customers WHERE id = 2"); n != 1 {
		t.Fatalf("EXECUTE of the DELETE ran as a read; stderr:\n%s", h.errb.String())
	}
	found := false
	for _, req := range h.asked {
		if strings.Contains(req.Statement, "execute q") && req.Kind == frontend.AskWord {
			found = true
		}
	}
	if !found {
		t.Fatalf("EXECUTE q was not asked with the word: %+v", h.asked)
	}
}

func TestAttackDryRunNeverTriesWhatARollbackCannotUndo(t *testing.T) {
	h := newAttackHarness(t)
	var pid int
	if err := h.other.QueryRow(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	h.writesOn()
	h.answer = declineAll
	h.run("delete from customers where id = 9 and pg_terminate_backend(" + strconv.Itoa(pid) + ") is not null;")
	if err := h.other.Ping(context.Background()); err != nil {
		t.Fatalf("the dry run terminated another backend: %v", err)
	}
	if len(h.asked) < 2 {
		t.Fatalf("not asked: %+v\nstderr:\n%s", h.asked, h.errb.String())
	}
	imp := strings.Join(h.asked[len(h.asked)-1].Impact, "\n")
	if !strings.Contains(imp, "not tried") {
		t.Fatalf("impact does not say it was not tried:\n%s", imp)
	}
}

func TestCommitReviewAsksTheWordForObservedDeletes(t *testing.T) {
	h := newAttackHarness(t)
	h.writesOn()
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
	h.run("SELECT del_order_1();")
	h.answer = declineAll
	h.run("COMMIT;")
	last := h.asked[len(h.asked)-1]
	if last.Kind != frontend.AskWord || !strings.HasPrefix(last.Title, "COMMIT in") || !strings.Contains(strings.Join(last.Impact, "\n"), "1 deleted") {
		t.Fatalf("commit review %+v, want the word and 1 deleted", last)
	}
	// leaving with \q and "commit" still needs the word
	h.answer = func(req frontend.ConfirmRequest) (frontend.Answer, error) {
		if req.Kind == frontend.AskCommitRollback {
			return frontend.Commit, nil
		}
		return frontend.Declined, nil
	}
	h.sess.Leave(context.Background())
	if n := h.committed("SELECT count(*) FROM orders WHERE id = 1"); n != 1 {
		t.Fatal("leaving committed a delete without the word")
	}
}

// TestReadThatWritesAsksTheWord: sneaky() is declared STABLE but inserts:
// the analyzer calls it a read, the server says the transaction now holds
// a transaction id, and the commit asks for the word.
func TestReadThatWritesAsksTheWord(t *testing.T) {
	h := newAttackHarness(t)
	h.writesOn()
	h.run("SELECT sneaky();")
	if !strings.Contains(h.errb.String(), "classed as a read but wrote") {
		t.Fatalf("no note; stderr:\n%s", h.errb.String())
	}
	h.answer = declineAll
	h.run("COMMIT;")
	if last := h.asked[len(h.asked)-1]; last.Kind != frontend.AskWord || !strings.HasPrefix(last.Title, "COMMIT in") {
		t.Fatalf("commit review %+v, want the word", last)
	}
	if n := h.committed("SELECT count(*) FROM audit_log"); n != 0 {
		t.Fatalf("committed; stderr:\n%s\nasked %+v", h.errb.String(), h.asked)
	}
}

func TestAuditWriteAheadFailureSendsNothing(t *testing.T) {
	h := newAttackHarness(t)
	h.writesOn()
	h.run("INSERT INTO customers VALUES (30, 'kept until the audit fails');")
	h.audit.fail = errorString("disk full")
	h.run("COMMIT;")
	h.audit.fail = nil
	if n := h.committed("SELECT count(*) FROM customers WHERE id = 30"); n != 0 {
		t.Fatal("COMMIT was sent although its audit line could not be written")
	}
	if h.sess.Conn().TxStatus() != 'I' {
		t.Fatalf("transaction still open (%c)", h.sess.Conn().TxStatus())
	}
	if !strings.Contains(h.errb.String(), "COMMIT was not sent") || !strings.Contains(h.errb.String(), "rolled back") {
		t.Fatalf("stderr does not say what ran:\n%s", h.errb.String())
	}
}

// TestCommitWithTheConnectionLostAsksTheServer: the session's backend is
// terminated before the COMMIT; the commit review, before it asks, finds
// the session gone and says so with the server's reason: the transaction
// was rolled back by the server, and no commit is offered. That is what
// is told and audited. (A connection lost with the COMMIT in flight is
// asked about on a connection of safesql's own, txid_status.)
func TestCommitWithTheConnectionLostAsksTheServer(t *testing.T) {
	h := newAttackHarness(t)
	h.writesOn()
	h.run("INSERT INTO customers VALUES (31, 'x');")
	pid := h.inSession("SELECT pg_backend_pid()")
	if _, err := h.other.Exec(context.Background(), "SELECT pg_terminate_backend("+pid+")"); err != nil {
		t.Fatal(err)
	}
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
	h.run("COMMIT;")
	if !strings.Contains(h.errb.String(), "nothing to commit: the server ended the session (terminating connection due to administrator command), and the open transaction (1 statement, public.customers changed) is gone: rolled back by the server, nothing of it was committed") {
		t.Fatalf("stderr:\n%s", h.errb.String())
	}
	last := h.audit.entries[len(h.audit.entries)-1]
	if last.Tx != audit.Rollback {
		t.Fatalf("last audit line %+v, want tx rollback", last)
	}
	if n := h.committed("SELECT count(*) FROM customers WHERE id = 31"); n != 0 {
		t.Fatal("customer 31 committed")
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func TestTypoShowsTheParserErrorAndKeepsTheTransaction(t *testing.T) {
	h := newAttackHarness(t)
	h.run("BEGIN;") // a read alone holds no transaction open
	h.out.Reset()
	h.run("selct 1;")
	want := "ERROR:  syntax error at or near \"selct\"\nLINE 1: selct 1;\n        ^\n"
	if got := h.errb.String(); got != want {
		t.Fatalf("stderr %q, want %q", got, want)
	}
	if h.sess.Conn().TxStatus() != 'T' {
		t.Fatalf("the transaction is %c, want still open and usable", h.sess.Conn().TxStatus())
	}
	if got := h.inSession("SELECT count(*) FROM customers"); got != "10" {
		t.Fatalf("session sees %s customers", got)
	}
}

func TestStandardConformingStringsOffSplitsAsTheServer(t *testing.T) {
	h := newAttackHarness(t)
	h.run("SET standard_conforming_strings = off;")
	h.run(`select 'it\'s' as x; delete from customers where id = 3;`)
	if !strings.Contains(h.out.String(), "it's") {
		t.Fatalf("the SELECT did not run as the server reads it; out:\n%s\nerr:\n%s", h.out.String(), h.errb.String())
	}
	if !strings.Contains(h.errb.String(), "is read-only: DELETE would change public.customers") {
		t.Fatalf("the DELETE was not seen as a statement of its own; stderr:\n%s", h.errb.String())
	}
}

// TestInsertEffectsAreWhatTheServerCounted: INSERTs into a plain table are
// counted from their tags once the server has said the table is plain; a
// trigger added by another session after that is seen by the check that
// travels with the next INSERT, and the commit then asks for the word.
func TestInsertEffectsAreWhatTheServerCounted(t *testing.T) {
	h := newAttackHarness(t)
	h.writesOn()
	for i := 40; i < 43; i++ {
		h.run("INSERT INTO orders (customer_id, total) VALUES (1, " + strconv.Itoa(i) + ");")
	}
	var status strings.Builder
	h.sess.PrintStatus(&status)
	if !strings.Contains(status.String(), "\n  public.orders: 3 inserted\n") {
		t.Fatalf("\\status after three INSERTs:\n%s\nwant public.orders: 3 inserted", status.String())
	}
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
	h.run("COMMIT;")
	if last := h.asked[len(h.asked)-1]; last.Kind != frontend.AskYesNo {
		t.Fatalf("commit review of three INSERTs %+v, want yes or no", last)
	}
	// another session adds a trigger that deletes
	if _, err := h.other.Exec(context.Background(), `CREATE FUNCTION eat() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN DELETE FROM audit_log; RETURN NEW; END $$;
INSERT INTO audit_log (what) VALUES ('kept');
CREATE TRIGGER eat AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION eat();`); err != nil {
		t.Fatal(err)
	}
	h.run("INSERT INTO orders (customer_id, total) VALUES (1, 99);")
	h.answer = declineAll
	h.run("COMMIT;")
	last := h.asked[len(h.asked)-1]
	if !strings.HasPrefix(last.Title, "COMMIT in") || last.Kind != frontend.AskWord {
		t.Fatalf("commit review %+v, want the word (an INSERT fired a trigger nobody measured)", last)
	}
}

// TestRunOfInsertsSeesWhatNobodyCounted: INSERTs into a plain table one
// after the other run with no check after each (a run). Another session
// cannot add a trigger to the table meanwhile (the run's INSERTs hold ROW
// EXCLUSIVE on it, CREATE TRIGGER needs SHARE ROW EXCLUSIVE), so what
// could slip in is a statement the analyzer misread: here a DELETE taken
// for one more INSERT of the run. The server's counters, read when the run
// ends, show rows nobody counted: the commit asks for the word.
func TestRunOfInsertsSeesWhatNobodyCounted(t *testing.T) {
	h := newAttackHarness(t)
	h.writesOn()
	for i := 50; i < 53; i++ {
		h.run("INSERT INTO orders (customer_id, total) VALUES (1, " + strconv.Itoa(i) + ");")
	}
	if _, err := h.other.Exec(context.Background(), "INSERT INTO audit_log (what) VALUES ('kept')"); err != nil {
		t.Fatal(err)
	}
	insert := analyze.Classify("INSERT INTO orders (customer_id, total) VALUES (1, 53)")
	h.sess.Misread(func(sql string, v analyze.Verdict) analyze.Verdict {
		if strings.Contains(sql, "audit_log") {
			return insert
		}
		return v
	})
	h.run("DELETE FROM audit_log WHERE what = 'kept';")
	h.answer = declineAll
	h.run("COMMIT;")
	last := h.asked[len(h.asked)-1]
	if !strings.HasPrefix(last.Title, "COMMIT in") || last.Kind != frontend.AskWord {
		t.Fatalf("commit review %+v, want the word (rows changed that nobody counted); stderr:\n%s", last, h.errb.String())
	}
	if !strings.Contains(h.errb.String(), "rows changed that no statement counted: public.audit_log (0 inserted, 0 updated, 1 deleted") {
		t.Fatalf("the rows nobody counted are not named; stderr:\n%s", h.errb.String())
	}
	h.run("ROLLBACK;")
	if n := h.committed("SELECT count(*) FROM audit_log WHERE what = 'kept'"); n != 1 {
		t.Fatalf("audit_log lost its row (%d left)", n)
	}
}

// TestRunOfInsertsWithAFailure: an INSERT of a run that fails part way
// (its first row in, its second a duplicate key) is undone alone; the rows
// it added before failing still count in the server's counters, which is
// not taken for rows nobody counted: the commit of INSERTs alone asks yes
// or no, and the counts are the tags'.
func TestRunOfInsertsWithAFailure(t *testing.T) {
	h := newAttackHarness(t)
	h.writesOn()
	for i := 1060; i < 1063; i++ {
		h.run("INSERT INTO orders (customer_id, total) VALUES (1, " + strconv.Itoa(i) + ");")
	}
	h.run("INSERT INTO orders (id, customer_id, total) VALUES (9001, 1, 1063), (9001, 1, 1064);")
	if !strings.Contains(h.errb.String(), "duplicate key") {
		t.Fatalf("the duplicate did not fail; stderr:\n%s", h.errb.String())
	}
	for i := 1065; i < 1067; i++ {
		h.run("INSERT INTO orders (customer_id, total) VALUES (1, " + strconv.Itoa(i) + ");")
	}
	var status strings.Builder
	h.sess.PrintStatus(&status)
	if !strings.Contains(status.String(), "\n  public.orders: 5 inserted\n") {
		t.Fatalf("\\status after five INSERTs and a failed one:\n%s", status.String())
	}
	h.answer = func(frontend.ConfirmRequest) (frontend.Answer, error) { return frontend.Accepted, nil }
	h.run("COMMIT;")
	if last := h.asked[len(h.asked)-1]; last.Kind != frontend.AskYesNo {
		t.Fatalf("commit review %+v, want yes or no (INSERTs only); stderr:\n%s", last, h.errb.String())
	}
	if n := h.committed("SELECT count(*) FROM orders WHERE total BETWEEN 1060 AND 1066"); n != 5 {
		t.Fatalf("%d orders committed, want 5", n)
	}
}

// TestConnectionLostInADryRunIsTold: the connection found gone by a dry
// run is reported as any statement reports it: the open transaction was
// rolled back by the server, and the audit log says so.
func TestConnectionLostInADryRunIsTold(t *testing.T) {
	h := newAttackHarness(t)
	h.writesOn()
	h.run("INSERT INTO customers VALUES (32, 'x');")
	pid := h.inSession("SELECT pg_backend_pid()")
	if _, err := h.other.Exec(context.Background(), "SELECT pg_terminate_backend("+pid+")"); err != nil {
		t.Fatal(err)
	}
	n := len(h.audit.entries)
	h.run("DELETE FROM customers WHERE id = 32;")
	if !strings.Contains(h.errb.String(), "safesql: the open transaction (1 statement, its changes) was rolled back by the server: terminating connection due to administrator command; nothing of it was committed") {
		t.Fatalf("stderr:\n%s", h.errb.String())
	}
	if len(h.audit.entries) == n || h.audit.entries[len(h.audit.entries)-1].Tx != audit.Rollback {
		t.Fatalf("no audit line for the rollback: %+v", h.audit.entries[n:])
	}
}
