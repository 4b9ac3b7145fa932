package policy

import (
	"testing"

	"github.com/safesql/safesql/analyze"
)

func TestDecide(t *testing.T) {
	prod := Rules{Asks: true, AuditRequired: true}
	dev := Rules{Autocommit: true}
	ro := State{ReadOnly: true, MayCommit: true}
	rw := State{MayCommit: true}
	script := State{}
	for _, tc := range []struct {
		sql   string
		rules Rules
		state State
		want  Decision
	}{
		{"SELECT 1", prod, ro, Decision{Step: Run}},
		{"-- only a comment", prod, ro, Decision{Step: Empty}},
		{"selct 1", prod, ro, Decision{Step: ParseError}},
		{"selct 1", prod, State{ReadOnly: true, AuditBroken: true}, Decision{Step: Refuse, Rule: AuditBroken}},
		{"SELECT 1", dev, State{AuditBroken: true}, Decision{Step: Run}},
		{"INSERT INTO t VALUES (1)", prod, ro, Decision{Step: Refuse, Rule: ReadOnly}},
		{"INSERT INTO t VALUES (1)", prod, rw, Decision{Step: Run}},
		{"DELETE FROM t", prod, ro, Decision{Step: Refuse, Rule: ReadOnly}},
		{"DELETE FROM t", prod, rw, Decision{Step: Ask}},
		{"DELETE FROM t", prod, State{TxOpen: true, TxFailed: true}, Decision{Step: Refuse, Rule: AbortedTx}},
		{"DELETE FROM t", dev, rw, Decision{Step: Run}},
		{"SET transaction_read_only = off", prod, ro, Decision{Step: Refuse, Rule: ReadOnly}},
		{"select set_config('transaction_read_only', 'off', false)", prod, ro, Decision{Step: Refuse, Rule: ReadOnly}},
		{"BEGIN READ WRITE", prod, ro, Decision{Step: Refuse, Rule: ReadOnly}},
		{"BEGIN READ WRITE", prod, rw, Decision{Step: Begin}},
		{"start transaction", prod, ro, Decision{Step: Begin}},
		{"/* c */ COMMIT", prod, ro, Decision{Step: Commit}},
		{"end", prod, ro, Decision{Step: Commit}},
		{"PREPARE TRANSACTION 'x'", prod, ro, Decision{Step: Commit}},
		{"ROLLBACK", prod, ro, Decision{Step: Rollback}},
		{"abort", prod, ro, Decision{Step: Rollback}},
		{"ROLLBACK TO SAVEPOINT a", prod, ro, Decision{Step: Savepoint}},
		{"release a", prod, ro, Decision{Step: Savepoint}},
		{"COMMIT PREPARED 'x'", prod, ro, Decision{Step: Refuse, Rule: ReadOnly}},
		{"COMMIT PREPARED 'x'", prod, rw, Decision{Step: Ask}},
		{"COMMIT PREPARED 'x'", prod, State{TxOpen: true}, Decision{Step: Refuse, Rule: TransactionBlock}},
		{"VACUUM t", prod, State{TxOpen: true}, Decision{Step: Refuse, Rule: TransactionBlock}},
		{"VACUUM t", dev, State{TxOpen: true}, Decision{Step: Run}},
		{"rollback; delete from t", prod, rw, Decision{Step: Refuse, Rule: SeveralStatements}},
		{"COMMIT PREPARED 'x'", prod, script, Decision{Step: Refuse, Rule: Irreversible}},
		{"VACUUM t", prod, script, Decision{Step: Refuse, Rule: Irreversible}},
		{"select pg_terminate_backend(42)", prod, script, Decision{Step: Refuse, Rule: Irreversible}},
		{"select pg_terminate_backend(42)", dev, script, Decision{Step: Run}},
		{"DELETE FROM t", prod, script, Decision{Step: Ask}},
		{"commit; delete from t", prod, ro, Decision{Step: Refuse, Rule: SeveralStatements}},
	} {
		got := Decide(FactsOf(analyze.Classify(tc.sql)), tc.rules, tc.state)
		if got != tc.want {
			t.Errorf("%q with %+v in %+v: %+v, want %+v", tc.sql, tc.rules, tc.state, got, tc.want)
		}
	}
}
