package analyze

import (
	"fmt"
	"strings"

	pg "github.com/safesql/safesql/analyze/pgparse"
)

// atRule describes one ALTER TABLE subcommand: its class, the lock it takes
// on the table (PostgreSQL 15, "ALTER TABLE" and tablecmds.c
// AlterTableGetLockLevel; checked against a PostgreSQL 15 server's pg_locks
// inside a transaction) and whether it rewrites every row.
type atRule struct {
	sql      string // how the subcommand reads, %s is its object name
	class    Class
	lock     string
	rewrites bool
	effect   string // what it does, for the reason
}

// alterTableRules covers every AlterTableType pg_query can produce. A type
// missing from the table is destructive under ACCESS EXCLUSIVE.
var alterTableRules = map[pg.AlterTableType]atRule{
	pg.AlterTableType_AT_AddColumn:                 {"ADD COLUMN %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_AddColumnToView:           {"ADD COLUMN %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_ColumnDefault:             {"ALTER COLUMN %s SET DEFAULT", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_CookedColumnDefault:       {"ALTER COLUMN %s SET DEFAULT", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_DropNotNull:               {"ALTER COLUMN %s DROP NOT NULL", Destructive, lockAccessExclusive, false, "removes a constraint that code may rely on"},
	pg.AlterTableType_AT_SetNotNull:                {"ALTER COLUMN %s SET NOT NULL", Write, lockAccessExclusive, false, "scans the whole table"},
	pg.AlterTableType_AT_DropExpression:            {"ALTER COLUMN %s DROP EXPRESSION", Destructive, lockAccessExclusive, false, "turns a generated column into a plain one"},
	pg.AlterTableType_AT_CheckNotNull:              {"ALTER COLUMN %s SET NOT NULL", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_SetStatistics:             {"ALTER COLUMN %s SET STATISTICS", Write, lockShareUpdateExclusive, false, ""},
	pg.AlterTableType_AT_SetOptions:                {"ALTER COLUMN %s SET (...)", Write, lockShareUpdateExclusive, false, ""},
	pg.AlterTableType_AT_ResetOptions:              {"ALTER COLUMN %s RESET (...)", Write, lockShareUpdateExclusive, false, ""},
	pg.AlterTableType_AT_SetStorage:                {"ALTER COLUMN %s SET STORAGE", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_SetCompression:            {"ALTER COLUMN %s SET COMPRESSION", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_DropColumn:                {"DROP COLUMN %s", Destructive, lockAccessExclusive, false, "removes the column and its data"},
	pg.AlterTableType_AT_AddIndex:                  {"ADD CONSTRAINT %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_ReAddIndex:                {"ADD INDEX %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_AddConstraint:             {"ADD CONSTRAINT %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_ReAddConstraint:           {"ADD CONSTRAINT %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_ReAddDomainConstraint:     {"ADD CONSTRAINT %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_AlterConstraint:           {"ALTER CONSTRAINT %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_ValidateConstraint:        {"VALIDATE CONSTRAINT %s", Write, lockShareUpdateExclusive, false, ""},
	pg.AlterTableType_AT_AddIndexConstraint:        {"ADD CONSTRAINT %s USING INDEX", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_DropConstraint:            {"DROP CONSTRAINT %s", Destructive, lockAccessExclusive, false, "removes a constraint that protects the data"},
	pg.AlterTableType_AT_ReAddComment:              {"COMMENT", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_AlterColumnType:           {"ALTER COLUMN %s TYPE", Destructive, lockAccessExclusive, true, "converts every value, which can fail or lose precision"},
	pg.AlterTableType_AT_AlterColumnGenericOptions: {"ALTER COLUMN %s OPTIONS", Destructive, lockAccessExclusive, false, "changes how a foreign column is read"},
	pg.AlterTableType_AT_ChangeOwner:               {"OWNER TO %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_ClusterOn:                 {"CLUSTER ON %s", Write, lockShareUpdateExclusive, false, ""},
	pg.AlterTableType_AT_DropCluster:               {"SET WITHOUT CLUSTER", Write, lockShareUpdateExclusive, false, ""},
	pg.AlterTableType_AT_SetLogged:                 {"SET LOGGED", Write, lockAccessExclusive, true, ""},
	pg.AlterTableType_AT_SetUnLogged:               {"SET UNLOGGED", Destructive, lockAccessExclusive, true, "makes the table lose its rows on a crash and vanish from replicas"},
	pg.AlterTableType_AT_DropOids:                  {"SET WITHOUT OIDS", Destructive, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_SetAccessMethod:           {"SET ACCESS METHOD %s", Write, lockAccessExclusive, true, ""},
	pg.AlterTableType_AT_SetTableSpace:             {"SET TABLESPACE %s", Write, lockAccessExclusive, true, ""},
	pg.AlterTableType_AT_SetRelOptions:             {"SET (...)", Write, lockShareUpdateExclusive, false, ""},
	pg.AlterTableType_AT_ResetRelOptions:           {"RESET (...)", Write, lockShareUpdateExclusive, false, ""},
	pg.AlterTableType_AT_ReplaceRelOptions:         {"SET (...)", Write, lockShareUpdateExclusive, false, ""},
	pg.AlterTableType_AT_EnableTrig:                {"ENABLE TRIGGER %s", Write, lockShareRowExclusive, false, ""},
	pg.AlterTableType_AT_EnableAlwaysTrig:          {"ENABLE ALWAYS TRIGGER %s", Write, lockShareRowExclusive, false, ""},
	pg.AlterTableType_AT_EnableReplicaTrig:         {"ENABLE REPLICA TRIGGER %s", Write, lockShareRowExclusive, false, ""},
	pg.AlterTableType_AT_DisableTrig:               {"DISABLE TRIGGER %s", Write, lockShareRowExclusive, false, ""},
	pg.AlterTableType_AT_EnableTrigAll:             {"ENABLE TRIGGER ALL", Write, lockShareRowExclusive, false, ""},
	pg.AlterTableType_AT_DisableTrigAll:            {"DISABLE TRIGGER ALL", Write, lockShareRowExclusive, false, ""},
	pg.AlterTableType_AT_EnableTrigUser:            {"ENABLE TRIGGER USER", Write, lockShareRowExclusive, false, ""},
	pg.AlterTableType_AT_DisableTrigUser:           {"DISABLE TRIGGER USER", Write, lockShareRowExclusive, false, ""},
	pg.AlterTableType_AT_EnableRule:                {"ENABLE RULE %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_EnableAlwaysRule:          {"ENABLE ALWAYS RULE %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_EnableReplicaRule:         {"ENABLE REPLICA RULE %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_DisableRule:               {"DISABLE RULE %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_AddInherit:                {"INHERIT %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_DropInherit:               {"NO INHERIT %s", Destructive, lockAccessExclusive, false, "removes its rows from queries on the parent"},
	pg.AlterTableType_AT_AddOf:                     {"OF %s", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_DropOf:                    {"NOT OF", Destructive, lockAccessExclusive, false, "detaches it from its type"},
	pg.AlterTableType_AT_ReplicaIdentity:           {"REPLICA IDENTITY", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_EnableRowSecurity:         {"ENABLE ROW LEVEL SECURITY", Destructive, lockAccessExclusive, false, "hides every row from roles no policy lets through"},
	pg.AlterTableType_AT_DisableRowSecurity:        {"DISABLE ROW LEVEL SECURITY", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_ForceRowSecurity:          {"FORCE ROW LEVEL SECURITY", Destructive, lockAccessExclusive, false, "hides rows from the table owner too"},
	pg.AlterTableType_AT_NoForceRowSecurity:        {"NO FORCE ROW LEVEL SECURITY", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_GenericOptions:            {"OPTIONS (...)", Destructive, lockAccessExclusive, false, "changes how a foreign table is read"},
	pg.AlterTableType_AT_AttachPartition:           {"ATTACH PARTITION %s", Write, lockShareUpdateExclusive, false, ""},
	pg.AlterTableType_AT_DetachPartition:           {"DETACH PARTITION %s", Destructive, lockAccessExclusive, false, "removes the partition's rows from the table"},
	pg.AlterTableType_AT_DetachPartitionFinalize:   {"DETACH PARTITION %s FINALIZE", Destructive, lockShareUpdateExclusive, false, "removes the partition's rows from the table"},
	pg.AlterTableType_AT_AddIdentity:               {"ALTER COLUMN %s ADD GENERATED AS IDENTITY", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_SetIdentity:               {"ALTER COLUMN %s SET (identity options)", Write, lockAccessExclusive, false, ""},
	pg.AlterTableType_AT_DropIdentity:              {"ALTER COLUMN %s DROP IDENTITY", Destructive, lockAccessExclusive, false, "removes the column's sequence"},
	pg.AlterTableType_AT_ReAddStatistics:           {"ADD STATISTICS", Write, lockShareUpdateExclusive, false, ""},
}

func (s *state) alterTable(x *pg.AlterTableStmt) {
	relName := rel(x.Relation)
	kind := objKind(x.Objtype)
	if x.Objtype == pg.ObjectType_OBJECT_TYPE {
		kind = "type"
	}
	verb := "ALTER " + strings.ToUpper(kind)
	strongest := ""
	rewrites := false
	// The altered table comes first among the targets; its lock is filled
	// in once every subcommand is seen.
	at := len(s.targets)
	s.target(relTarget(x.Relation, kind, EffectAlter, ""))
	if len(s.targets) == at {
		at = -1 // already a target of this input
	}
	for _, c := range x.Cmds {
		cmd := c.GetAlterTableCmd()
		if cmd == nil {
			continue
		}
		r, ok := alterTableRules[cmd.Subtype]
		if !ok {
			r = atRule{sql: cmd.Subtype.String(), class: Destructive, lock: lockAccessExclusive, effect: "is not a subcommand the analyzer knows"}
		}
		r = refineAT(r, cmd)
		if x.Objtype != pg.ObjectType_OBJECT_TABLE && x.Objtype != pg.ObjectType_OBJECT_FOREIGN_TABLE &&
			x.Objtype != pg.ObjectType_OBJECT_MATVIEW {
			// Views, sequences, indexes and types have no rows to rewrite.
			r.rewrites = r.rewrites && x.Objtype == pg.ObjectType_OBJECT_INDEX && cmd.Subtype == pg.AlterTableType_AT_SetTableSpace
		}
		sub := r.sql
		if strings.Contains(sub, "%s") {
			sub = fmt.Sprintf(sub, atObjectName(cmd))
		}
		msg := fmt.Sprintf("%s %s %s", verb, relName, sub)
		if r.effect != "" {
			msg += " " + r.effect
		}
		var flags []Flag
		if x.Objtype == pg.ObjectType_OBJECT_TABLE || x.Objtype == pg.ObjectType_OBJECT_MATVIEW ||
			x.Objtype == pg.ObjectType_OBJECT_FOREIGN_TABLE || x.Objtype == pg.ObjectType_OBJECT_INDEX {
			if p := lockPhrase(r.lock, relName); p != "" && lockRank[r.lock] >= 5 {
				if r.effect != "" {
					msg += ";"
				}
				msg += " " + p
			}
			flags = append(flags, lockFlags(r.lock)...)
			if lockRank[r.lock] > lockRank[strongest] {
				strongest = r.lock
			}
		}
		if c := cmd.Def.GetConstraint(); c != nil && c.Contype == pg.ConstrType_CONSTR_FOREIGN && c.Pktable != nil &&
			(cmd.Subtype == pg.AlterTableType_AT_AddConstraint || cmd.Subtype == pg.AlterTableType_AT_AddColumn) {
			// The referenced table is locked too, and its writers wait.
			s.target(relTarget(c.Pktable, "table", EffectLock, lockShareRowExclusive))
			msg += fmt.Sprintf("; also takes a SHARE ROW EXCLUSIVE lock on %s: blocks writes to it until it finishes", rel(c.Pktable))
		}
		if r.rewrites {
			msg += "; rewrites the table"
			flags = append(flags, FlagRewritesTable)
			rewrites = true
		}
		if cmd.Behavior == pg.DropBehavior_DROP_CASCADE {
			s.add(Destructive, fmt.Sprintf("%s %s ... CASCADE also drops what depends on it", verb, relName), FlagCascade)
		}
		s.add(r.class, msg, flags...)
	}
	if at >= 0 {
		s.targets[at].Lock = strongest
		s.targets[at].Rewrites = rewrites
	}
}

// refineAT adjusts a rule for what the subcommand's definition says.
func refineAT(r atRule, cmd *pg.AlterTableCmd) atRule {
	switch cmd.Subtype {
	case pg.AlterTableType_AT_ColumnDefault:
		if cmd.Def == nil {
			r.sql, r.class, r.effect = "ALTER COLUMN %s DROP DEFAULT", Destructive, "removes the default that inserts rely on"
		}
	case pg.AlterTableType_AT_AddColumn:
		if cd := cmd.Def.GetColumnDef(); cd != nil && columnRewrites(cd) {
			r.rewrites = true
		}
	case pg.AlterTableType_AT_AddConstraint:
		if c := cmd.Def.GetConstraint(); c != nil && c.Contype == pg.ConstrType_CONSTR_FOREIGN {
			r.lock = lockShareRowExclusive
		}
	case pg.AlterTableType_AT_SetIdentity:
		if hasOptionPresent(identityOptions(cmd), "restart") {
			r.class, r.effect = Destructive, "restarts the identity sequence: new rows can collide with existing keys"
		}
	case pg.AlterTableType_AT_DetachPartition:
		if pc := cmd.Def.GetPartitionCmd(); pc != nil && pc.Concurrent {
			r.sql, r.lock = "DETACH PARTITION %s CONCURRENTLY", lockShareUpdateExclusive
		}
	case pg.AlterTableType_AT_AlterColumnType:
		// A USING expression is evaluated for every row.
	}
	return r
}

func identityOptions(cmd *pg.AlterTableCmd) []*pg.Node {
	if l := cmd.Def.GetList(); l != nil {
		return l.Items
	}
	return nil
}

// columnRewrites: ADD COLUMN rewrites the table when its default must be
// computed per row (a volatile or unknown function), or for a stored
// generated or identity column.
func columnRewrites(cd *pg.ColumnDef) bool {
	if cd.Identity != "" || cd.Generated != "" {
		return true
	}
	if cd.TypeName != nil {
		switch joinNames(cd.TypeName.Names) {
		case "serial", "bigserial", "smallserial", "serial4", "serial8", "serial2":
			return true
		}
	}
	if volatileExpr(cd.RawDefault) {
		return true
	}
	for _, c := range cd.Constraints {
		con := c.GetConstraint()
		if con == nil {
			continue
		}
		switch con.Contype {
		case pg.ConstrType_CONSTR_DEFAULT:
			if volatileExpr(con.RawExpr) {
				return true
			}
		case pg.ConstrType_CONSTR_IDENTITY, pg.ConstrType_CONSTR_GENERATED:
			return true
		}
	}
	return false
}

// volatileExpr reports whether an expression calls a volatile or unknown
// function (so a default would differ per row).
func volatileExpr(n *pg.Node) bool {
	if n == nil {
		return false
	}
	found := false
	var walk func(*pg.Node)
	walk = func(n *pg.Node) {
		if n == nil || found {
			return
		}
		switch x := n.Node.(type) {
		case *pg.Node_FuncCall:
			name := strings.ToLower(joinNames(x.FuncCall.Funcname))
			if i := strings.LastIndexByte(name, '.'); i >= 0 {
				name = name[i+1:]
			}
			if vol, ok := builtinVolatility[name]; !ok || vol == 'v' {
				found = true
				return
			}
			for _, a := range x.FuncCall.Args {
				walk(a)
			}
		case *pg.Node_TypeCast:
			walk(x.TypeCast.Arg)
		case *pg.Node_AExpr:
			walk(x.AExpr.Lexpr)
			walk(x.AExpr.Rexpr)
		case *pg.Node_FuncExpr, *pg.Node_SubLink:
			found = true
		case *pg.Node_List:
			for _, it := range x.List.Items {
				walk(it)
			}
		case *pg.Node_CoalesceExpr:
			for _, a := range x.CoalesceExpr.Args {
				walk(a)
			}
		case *pg.Node_BoolExpr:
			for _, a := range x.BoolExpr.Args {
				walk(a)
			}
		}
	}
	walk(n)
	return found
}

// atObjectName names what a subcommand acts on.
func atObjectName(cmd *pg.AlterTableCmd) string {
	if cmd.Name != "" {
		return cmd.Name
	}
	if cmd.Newowner != nil {
		return roleName(cmd.Newowner)
	}
	if cmd.Def != nil {
		switch d := cmd.Def.Node.(type) {
		case *pg.Node_ColumnDef:
			return d.ColumnDef.Colname
		case *pg.Node_Constraint:
			c := d.Constraint
			kind := strings.ReplaceAll(strings.TrimPrefix(c.Contype.String(), "CONSTR_"), "_", " ")
			if kind == "FOREIGN" {
				kind = "FOREIGN KEY"
			}
			if kind == "PRIMARY" {
				kind = "PRIMARY KEY"
			}
			if c.Conname != "" {
				return c.Conname + " " + kind
			}
			return kind
		case *pg.Node_PartitionCmd:
			return rel(d.PartitionCmd.Name)
		case *pg.Node_RangeVar:
			return rel(d.RangeVar)
		case *pg.Node_String_:
			return d.String_.Sval
		}
	}
	return ""
}
