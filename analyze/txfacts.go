package analyze

import (
	"fmt"
	"strings"

	pg "github.com/safesql/safesql/analyze/pgparse"
	"github.com/safesql/safesql/analyze/split"
)

// TxKind says which transaction-control statement a text is, from its
// parse tree (never from its first word).
type TxKind int

// The transaction-control statements. TxNone is any other statement, and
// also any text of more than one statement (see Verdict.Statements).
const (
	TxNone             TxKind = iota
	TxBegin                   // BEGIN, START TRANSACTION
	TxCommit                  // COMMIT, END
	TxRollback                // ROLLBACK, ABORT
	TxSavepoint               // SAVEPOINT
	TxRelease                 // RELEASE [SAVEPOINT]
	TxRollbackTo              // ROLLBACK TO [SAVEPOINT]
	TxPrepare                 // PREPARE TRANSACTION
	TxCommitPrepared          // COMMIT PREPARED
	TxRollbackPrepared        // ROLLBACK PREPARED
)

var txNames = [...]string{"none", "begin", "commit", "rollback", "savepoint", "release", "rollback-to",
	"prepare-transaction", "commit-prepared", "rollback-prepared"}

// String returns a short lower-case name ("begin", "rollback-to", ...).
func (k TxKind) String() string {
	if k >= 0 && int(k) < len(txNames) {
		return txNames[k]
	}
	return fmt.Sprintf("TxKind(%d)", int(k))
}

// BeginModes are the transaction modes a BEGIN or START TRANSACTION gives.
type BeginModes struct {
	HasModes   bool   // any mode was given
	ReadWrite  bool   // READ WRITE
	ReadOnly   bool   // READ ONLY
	Deferrable bool   // DEFERRABLE
	Isolation  string // "serializable", "repeatable read", "read committed", "read uncommitted"; "" when not given
}

// facts are the per-text facts of a verdict beside its class and flags.
type facts struct {
	TxControl          TxKind
	Chain              bool
	TxName             string
	BeginModes         BeginModes
	Statements         int
	NoTransactionBlock bool
	SafeForm           string
	// SetsStandardStrings is the literal value SET standard_conforming_strings gives.
	SetsStandardStrings *bool
	ParseError          *ParseError
	CopyToClient        bool
}

func (v Verdict) facts() facts {
	return facts{TxControl: v.TxControl, Chain: v.Chain, TxName: v.TxName, BeginModes: v.BeginModes,
		Statements: v.Statements, NoTransactionBlock: v.NoTransactionBlock, SafeForm: v.SafeForm,
		SetsStandardStrings: v.SetsStandardStrings, ParseError: v.ParseError, CopyToClient: v.CopyToClient}
}

func (f facts) apply(v *Verdict) {
	v.TxControl, v.Chain, v.TxName, v.BeginModes = f.TxControl, f.Chain, f.TxName, f.BeginModes
	v.Statements, v.NoTransactionBlock, v.SafeForm = f.Statements, f.NoTransactionBlock, f.SafeForm
	v.SetsStandardStrings, v.ParseError = f.SetsStandardStrings, f.ParseError
	v.CopyToClient = f.CopyToClient
}

// txFacts records the facts of a top-level transaction-control statement.
func txFacts(x *pg.TransactionStmt) (f facts) {
	switch x.Kind {
	case pg.TransactionStmtKind_TRANS_STMT_BEGIN, pg.TransactionStmtKind_TRANS_STMT_START:
		f.TxControl = TxBegin
		f.BeginModes = beginModes(x.Options)
	case pg.TransactionStmtKind_TRANS_STMT_COMMIT:
		f.TxControl = TxCommit
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		f.TxControl = TxRollback
	case pg.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		f.TxControl, f.TxName = TxSavepoint, x.SavepointName
	case pg.TransactionStmtKind_TRANS_STMT_RELEASE:
		f.TxControl, f.TxName = TxRelease, x.SavepointName
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		f.TxControl, f.TxName = TxRollbackTo, x.SavepointName
	case pg.TransactionStmtKind_TRANS_STMT_PREPARE:
		f.TxControl, f.TxName = TxPrepare, x.Gid
	case pg.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED:
		f.TxControl, f.TxName = TxCommitPrepared, x.Gid
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
		f.TxControl, f.TxName = TxRollbackPrepared, x.Gid
	}
	f.Chain = x.Chain
	return f
}

// beginModes reads BEGIN's options: transaction_isolation,
// transaction_read_only, transaction_deferrable.
func beginModes(opts []*pg.Node) BeginModes {
	var m BeginModes
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		m.HasModes = true
		switch strings.ToLower(d.Defname) {
		case "transaction_isolation":
			m.Isolation = strings.ToLower(defString(d))
		case "transaction_read_only":
			if defBool(d) {
				m.ReadOnly, m.ReadWrite = true, false
			} else {
				m.ReadWrite, m.ReadOnly = true, false
			}
		case "transaction_deferrable":
			m.Deferrable = defBool(d)
		}
	}
	return m
}

// noTransactionBlock reports whether PostgreSQL refuses n inside a
// transaction block (PreventInTransactionBlock).
func noTransactionBlock(n *pg.Node) bool {
	switch x := n.Node.(type) {
	case *pg.Node_VacuumStmt:
		return x.VacuumStmt.IsVacuumcmd
	case *pg.Node_IndexStmt:
		return x.IndexStmt.Concurrent
	case *pg.Node_DropStmt:
		return x.DropStmt.Concurrent
	case *pg.Node_ReindexStmt:
		switch x.ReindexStmt.Kind {
		case pg.ReindexObjectType_REINDEX_OBJECT_SCHEMA, pg.ReindexObjectType_REINDEX_OBJECT_SYSTEM,
			pg.ReindexObjectType_REINDEX_OBJECT_DATABASE:
			return true
		}
		return hasOption(x.ReindexStmt.Params, "concurrently")
	case *pg.Node_CreatedbStmt, *pg.Node_DropdbStmt, *pg.Node_CreateTableSpaceStmt,
		*pg.Node_DropTableSpaceStmt, *pg.Node_AlterSystemStmt, *pg.Node_DropSubscriptionStmt:
		return true
	case *pg.Node_AlterDatabaseStmt:
		return hasOptionPresent(x.AlterDatabaseStmt.Options, "tablespace")
	case *pg.Node_CreateSubscriptionStmt:
		opts := x.CreateSubscriptionStmt.Options
		connect := !hasOptionPresent(opts, "connect") || hasOption(opts, "connect")
		slot := !hasOptionPresent(opts, "create_slot") || hasOption(opts, "create_slot")
		return connect && slot
	case *pg.Node_DiscardStmt:
		return x.DiscardStmt.Target == pg.DiscardMode_DISCARD_ALL
	case *pg.Node_ClusterStmt:
		return x.ClusterStmt.Relation == nil
	case *pg.Node_AlterTableStmt:
		for _, c := range x.AlterTableStmt.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd == nil || cmd.Subtype != pg.AlterTableType_AT_DetachPartition {
				continue
			}
			if pc := cmd.Def.GetPartitionCmd(); pc != nil && pc.Concurrent {
				return true
			}
		}
	}
	return false
}

// Safer forms of statements that take strong locks, shown before they run.
const (
	saferCreateIndex = "safer: CREATE INDEX CONCURRENTLY builds it without blocking writes (it runs outside a transaction)"
	saferDropIndex   = "safer: DROP INDEX CONCURRENTLY does not block reads and writes (it runs outside a transaction)"
	saferReindex     = "safer: REINDEX ... CONCURRENTLY rebuilds without blocking reads and writes"
	saferRefresh     = "safer: REFRESH MATERIALIZED VIEW CONCURRENTLY keeps the view readable (it needs a unique index)"
	saferConstraint  = "safer: ADD CONSTRAINT ... NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT (which takes only SHARE UPDATE EXCLUSIVE)"
	saferDetach      = "safer: DETACH PARTITION ... CONCURRENTLY (outside a transaction)"
	saferNotNull     = "safer: ADD CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL uses the check instead of scanning under ACCESS EXCLUSIVE"
)

// safeForm suggests the less blocking form of a statement, or "".
func safeForm(n *pg.Node) string {
	switch x := n.Node.(type) {
	case *pg.Node_IndexStmt:
		if !x.IndexStmt.Concurrent {
			return saferCreateIndex
		}
	case *pg.Node_DropStmt:
		if x.DropStmt.RemoveType == pg.ObjectType_OBJECT_INDEX && !x.DropStmt.Concurrent {
			return saferDropIndex
		}
	case *pg.Node_ReindexStmt:
		if !hasOption(x.ReindexStmt.Params, "concurrently") {
			return saferReindex
		}
	case *pg.Node_RefreshMatViewStmt:
		if !x.RefreshMatViewStmt.Concurrent && !x.RefreshMatViewStmt.SkipData {
			return saferRefresh
		}
	case *pg.Node_AlterTableStmt:
		var constraint, detach, notNull bool
		for _, c := range x.AlterTableStmt.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd == nil {
				continue
			}
			switch cmd.Subtype {
			case pg.AlterTableType_AT_AddConstraint:
				if con := cmd.Def.GetConstraint(); con != nil && !con.SkipValidation &&
					(con.Contype == pg.ConstrType_CONSTR_FOREIGN || con.Contype == pg.ConstrType_CONSTR_CHECK) {
					constraint = true
				}
			case pg.AlterTableType_AT_DetachPartition:
				if pc := cmd.Def.GetPartitionCmd(); pc == nil || !pc.Concurrent {
					detach = true
				}
			case pg.AlterTableType_AT_SetNotNull:
				notNull = true
			}
		}
		switch {
		case constraint:
			return saferConstraint
		case detach:
			return saferDetach
		case notNull:
			return saferNotNull
		}
	}
	return ""
}

// topFacts records the facts of one top-level statement n of a text of
// count statements.
func (s *state) topFacts(n *pg.Node, count int) {
	if n == nil {
		return
	}
	if noTransactionBlock(n) {
		s.facts.NoTransactionBlock = true
	}
	if count != 1 {
		return
	}
	if t := n.GetTransactionStmt(); t != nil {
		f := txFacts(t)
		s.facts.TxControl, s.facts.Chain, s.facts.TxName, s.facts.BeginModes = f.TxControl, f.Chain, f.TxName, f.BeginModes
	}
	s.facts.SafeForm = safeForm(n)
	if c := n.GetCopyStmt(); c != nil && !c.IsFrom && !c.IsProgram && c.Filename == "" {
		s.facts.CopyToClient = true
	}
}

// countStatements counts the statements of text the parser rejected, the
// way psql splits them.
func countStatements(sql string, standardStrings bool) int {
	n := 0
	for _, it := range split.Split(sql, split.WithStandardStrings(standardStrings)) {
		if it.Kind == split.Statement && strings.TrimSpace(it.SQL) != "" {
			n++
		}
	}
	return n
}
