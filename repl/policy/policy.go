package policy

import "github.com/safesql/safesql/analyze"

// Step is what the engine does with a statement.
type Step int

const (
	// Run runs it in the session's transaction.
	Run Step = iota
	// Ask tries it in a dry run where that is safe, shows what it would
	// do and asks as the tier says, then runs it.
	Ask
	// Refuse sends nothing; Decision.Rule says which rule.
	Refuse
	// ParseError shows the parser's error as the server would and sends
	// nothing.
	ParseError
	// Empty sends comment-only text as it is (psql does).
	Empty
	// Commit goes through the commit review (COMMIT, END, PREPARE
	// TRANSACTION).
	Commit
	// Rollback ends the transaction.
	Rollback
	// Begin opens a transaction with the session's settings.
	Begin
	// Savepoint is SAVEPOINT, RELEASE or ROLLBACK TO.
	Savepoint
)

// Rule names the rule that refused a statement.
type Rule string

// The rules.
const (
	AuditBroken       Rule = "audit log"          // the audit cannot be written where it is required
	SeveralStatements Rule = "several statements" // one statement was expected, the text holds more
	ReadOnly          Rule = "read-only"          // a write in read-only mode
	TransactionBlock  Rule = "transaction block"  // cannot run inside the open transaction
	AbortedTx         Rule = "aborted transaction"
	// Irreversible: a change that takes effect outside the run's
	// transaction (COMMIT PREPARED, dblink_exec, VACUUM ...) in a run
	// that was not allowed to commit
	Irreversible Rule = "takes effect outside the transaction"
)

// Facts are what the analyzer says of the statement, as far as the rules
// look.
type Facts struct {
	Class analyze.Class
	// Empty: only comments and whitespace.
	Empty bool
	// ParseError: the parser rejected the text and said where.
	ParseError bool
	// Statements in the text (the engine cuts text into statements first:
	// more than one here means the cut and the analyzer disagree).
	Statements int
	Tx         analyze.TxKind
	// BeginReadWrite: BEGIN or START TRANSACTION READ WRITE.
	BeginReadWrite bool
	// OutsideTx: PostgreSQL runs it only outside a transaction block.
	OutsideTx bool
	// Untryable: it has effects a rollback does not undo.
	Untryable bool
}

// FactsOf takes the facts from a verdict.
func FactsOf(v analyze.Verdict) Facts {
	return Facts{
		Class:          v.Class,
		Empty:          v.Statements == 0 && !v.Has(analyze.FlagUnparsed),
		ParseError:     v.Has(analyze.FlagUnparsed) && v.ParseError != nil,
		Statements:     v.Statements,
		Tx:             v.TxControl,
		BeginReadWrite: v.BeginModes.ReadWrite,
		OutsideTx:      v.NoTransactionBlock || v.TxControl == analyze.TxCommitPrepared || v.TxControl == analyze.TxRollbackPrepared,
		Untryable:      v.Has(analyze.FlagUntryable),
	}
}

// Rules are the environment's rules that decide.
type Rules struct {
	Asks          bool // destructive statements need an answer (staging, production)
	Autocommit    bool // no implicit transaction
	AuditRequired bool // a failed audit stops everything
}

// State is the session's, at the moment the statement would be sent.
type State struct {
	ReadOnly    bool // writes are refused now (read-only tier, no \write)
	TxOpen      bool // a transaction is open
	TxFailed    bool // the open transaction has failed: only ROLLBACK works
	AuditBroken bool // the last audit write failed
	// MayCommit: a person can be asked, or the command line said
	// --commit; a run without either ends in a rollback, which undoes
	// nothing that took effect outside its transaction.
	MayCommit bool
}

// Decision is what to do with the statement.
type Decision struct {
	Step Step
	Rule Rule // for Refuse
}

// Decide applies the rules to one statement. The order is the order of
// the pipeline: nothing is sent where the audit cannot follow; what the
// server would reject as text is shown as its error; transaction control
// goes to its own handling; then writes in read-only mode, statements
// that cannot run in the open transaction, and destructive statements in
// a tier that asks.
func Decide(f Facts, r Rules, s State) Decision {
	switch {
	case s.AuditBroken && r.AuditRequired:
		return Decision{Step: Refuse, Rule: AuditBroken}
	case f.ParseError:
		return Decision{Step: ParseError}
	case f.Empty:
		return Decision{Step: Empty}
	case f.Statements > 1:
		return Decision{Step: Refuse, Rule: SeveralStatements}
	}
	switch f.Tx {
	case analyze.TxCommit, analyze.TxPrepare:
		return Decision{Step: Commit}
	case analyze.TxRollback:
		return Decision{Step: Rollback}
	case analyze.TxBegin:
		if f.BeginReadWrite && s.ReadOnly {
			return Decision{Step: Refuse, Rule: ReadOnly}
		}
		return Decision{Step: Begin}
	case analyze.TxSavepoint, analyze.TxRelease, analyze.TxRollbackTo:
		return Decision{Step: Savepoint}
	}
	switch {
	case f.Class >= analyze.Write && s.ReadOnly:
		return Decision{Step: Refuse, Rule: ReadOnly}
	case f.OutsideTx && s.TxOpen && !r.Autocommit:
		return Decision{Step: Refuse, Rule: TransactionBlock}
	case f.Class >= analyze.Write && (f.OutsideTx || f.Untryable) && !r.Autocommit && !s.MayCommit:
		return Decision{Step: Refuse, Rule: Irreversible}
	case f.Class == analyze.Destructive && r.Asks && s.TxFailed:
		return Decision{Step: Refuse, Rule: AbortedTx}
	case f.Class == analyze.Destructive && r.Asks:
		return Decision{Step: Ask}
	}
	return Decision{Step: Run}
}
