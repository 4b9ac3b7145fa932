package analyze

import (
	"strconv"
	"strings"

	"github.com/safesql/safesql/analyze/pgparse"
)

// AlteredColumns lists the columns an ALTER TABLE in sql drops, retypes
// or renames (nil for anything else, or text the parser rejects).
func AlteredColumns(sql string) []string {
	res, err := pgparse.Parse(sql)
	if err != nil {
		return nil
	}
	var cols []string
	for _, raw := range res.Stmts {
		if at := raw.Stmt.GetAlterTableStmt(); at != nil {
			for _, c := range at.Cmds {
				cmd := c.GetAlterTableCmd()
				if cmd == nil {
					continue
				}
				switch cmd.Subtype {
				case pgparse.AlterTableType_AT_DropColumn, pgparse.AlterTableType_AT_AlterColumnType:
					cols = append(cols, cmd.Name)
				}
			}
		}
		if rn := raw.Stmt.GetRenameStmt(); rn != nil && rn.RenameType == pgparse.ObjectType_OBJECT_COLUMN {
			cols = append(cols, rn.Subname)
		}
	}
	return cols
}

// Sampling rewrites a single UPDATE, DELETE or INSERT into one that runs
// it completely and returns its row count and the first n rows it wrote
// or removed:
//
//	WITH <cte> AS (<statement> RETURNING <target>.*)
//	SELECT (SELECT count(*) FROM <cte>), * FROM <cte> LIMIT n
//
// A data-modifying WITH always runs to completion, so the count is the
// statement's own. It returns "" when the statement cannot be wrapped
// (MERGE, a statement with its own WITH, text the parser rejects).
func Sampling(sql, cte string, n int) string {
	res, err := pgparse.Parse(sql)
	if err != nil || len(res.Stmts) != 1 {
		return ""
	}
	raw := res.Stmts[0]
	var (
		rel       *pgparse.RangeVar
		returning bool
	)
	switch {
	case raw.Stmt.GetUpdateStmt() != nil:
		s := raw.Stmt.GetUpdateStmt()
		if s.WithClause != nil {
			return ""
		}
		rel, returning = s.Relation, len(s.ReturningList) > 0
	case raw.Stmt.GetDeleteStmt() != nil:
		s := raw.Stmt.GetDeleteStmt()
		if s.WithClause != nil {
			return ""
		}
		rel, returning = s.Relation, len(s.ReturningList) > 0
	case raw.Stmt.GetInsertStmt() != nil:
		s := raw.Stmt.GetInsertStmt()
		if s.WithClause != nil {
			return ""
		}
		rel, returning = s.Relation, len(s.ReturningList) > 0
	default:
		return ""
	}
	if rel == nil {
		return ""
	}
	body := sql[raw.StmtLocation:]
	if raw.StmtLen > 0 {
		body = sql[raw.StmtLocation : raw.StmtLocation+raw.StmtLen]
	}
	name := rel.Relname
	if rel.Alias != nil && rel.Alias.Aliasname != "" {
		name = rel.Alias.Aliasname
	} else if rel.Schemaname != "" {
		// An unaliased target is referred to by its bare name in
		// RETURNING only when unqualified; qualify it the same way.
		name = ""
	}
	var ret string
	switch {
	case returning:
	case name != "":
		ret = "\nRETURNING " + quoteAlways(name) + ".*"
	default:
		ret = "\nRETURNING " + quoteAlways(rel.Schemaname) + "." + quoteAlways(rel.Relname) + ".*"
	}
	q := quoteAlways(cte)
	// The statement's own text goes in as written (it is what the user will
	// run); the newline ends a trailing -- comment.
	return "WITH " + q + " AS (\n" + body + ret + "\n)\nSELECT (SELECT count(*) FROM " + q + "), * FROM " + q +
		" LIMIT " + strconv.Itoa(n)
}

// quoteAlways quotes name as an identifier, whatever it holds.
func quoteAlways(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
