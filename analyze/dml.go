package analyze

import (
	"fmt"
	"slices"
	"strings"

	pg "github.com/safesql/safesql/analyze/pgparse"
)

// whereRule classifies UPDATE and DELETE by their WHERE clause.
func (s *state) whereRule(verb, does string, r *pg.RangeVar, where *pg.Node) {
	name := rel(r)
	switch {
	case where == nil:
		s.add(Destructive, fmt.Sprintf("%s without WHERE %s every row of %s", verb, does, name), FlagNoWhere)
	case where.GetCurrentOfExpr() != nil:
		s.add(Destructive, fmt.Sprintf("%s ... WHERE CURRENT OF %s the cursor's current row of %s", verb, does, name))
	case truth(where) == tTrue:
		s.add(Destructive, fmt.Sprintf("%s with a WHERE that is always true %s every row of %s", verb, does, name), FlagTautology)
	default:
		s.add(Destructive, fmt.Sprintf("%s %s rows of %s", verb, does, name))
	}
}

func (s *state) merge(x *pg.MergeStmt) {
	name := rel(x.Relation)
	s.target(relTarget(x.Relation, "table", EffectMerge, lockRowExclusive))
	var ins, upd, del bool
	for _, w := range x.MergeWhenClauses {
		c := w.GetMergeWhenClause()
		if c == nil {
			continue
		}
		switch c.CommandType {
		case pg.CmdType_CMD_INSERT:
			ins = true
		case pg.CmdType_CMD_UPDATE:
			upd = true
		case pg.CmdType_CMD_DELETE:
			del = true
		case pg.CmdType_CMD_NOTHING:
		default:
			upd = true
		}
	}
	if upd {
		s.add(Destructive, fmt.Sprintf("MERGE ... UPDATE overwrites matching rows of %s", name))
	}
	if del {
		s.add(Destructive, fmt.Sprintf("MERGE ... DELETE removes matching rows of %s", name))
	}
	if ins || (!upd && !del) {
		s.add(Write, fmt.Sprintf("MERGE ... INSERT adds rows to %s", name))
	}
}

// set handles SET/RESET. Settings last for the session only, except that
// session_replication_role turns off triggers and foreign keys for what follows.
func (s *state) set(x *pg.VariableSetStmt) {
	name := strings.ToLower(x.Name)
	if x.Kind == pg.VariableSetKind_VAR_RESET_ALL {
		s.add(Write, "RESET ALL turns read-only off if it was set for the session")
		return
	}
	switch name {
	case "transaction_read_only", "default_transaction_read_only":
		if x.Kind != pg.VariableSetKind_VAR_SET_VALUE || !settingOn(x.Args) {
			verb := "SET"
			if x.Kind == pg.VariableSetKind_VAR_RESET {
				verb = "RESET"
			}
			s.add(Write, fmt.Sprintf("%s %s turns read-only off", verb, name))
		}
	case "transaction", "session characteristics":
		// SET TRANSACTION / SET SESSION CHARACTERISTICS AS TRANSACTION.
		if beginModes(x.Args).ReadWrite {
			s.add(Write, fmt.Sprintf("SET %s ... READ WRITE turns read-only off", strings.ToUpper(name)))
		}
	case "standard_conforming_strings":
		if x.Kind == pg.VariableSetKind_VAR_SET_VALUE && len(x.Args) == 1 {
			if c, ok := fold(x.Args[0]); ok {
				on, known := false, false
				switch c.kind {
				case 's':
					on, known = ParseBool(c.str)
				case 'b':
					on, known = c.b, true
				case 'n':
					on, known = c.num.Sign() != 0, c.num.IsInt()
				}
				if known {
					s.facts.SetsStandardStrings = &on
				}
			}
		}
	case "session_replication_role":
		s.add(Write, "setting session_replication_role turns off triggers and foreign-key checks for what follows")
	case "role", "session_authorization", "session authorization":
		verb := "SET ROLE"
		if name != "role" {
			verb = "SET SESSION AUTHORIZATION"
		}
		if x.Kind == pg.VariableSetKind_VAR_RESET || x.Kind == pg.VariableSetKind_VAR_SET_DEFAULT {
			verb = strings.Replace(verb, "SET", "RESET", 1)
		}
		s.add(Read, verb+" changes the role the following statements run as", FlagChangesRole)
	}
}

// settingOn reports whether a SET's value is a literal boolean true.
func settingOn(args []*pg.Node) bool {
	if len(args) != 1 {
		return false
	}
	c, ok := fold(args[0])
	if !ok {
		return false
	}
	switch c.kind {
	case 's':
		b, ok := ParseBool(c.str)
		return ok && b
	case 'b':
		return c.b
	case 'n':
		return c.num.IsInt() && c.num.Sign() != 0
	}
	return false
}

func (s *state) prepare(x *pg.PrepareStmt) {
	sub := s.sub()
	sub.topStmt(x.Query)
	v := sub.verdict()
	v.lessons = nil
	s.teach(lesson{kind: lessonPrepare, name: x.Name, v: v})
	if v.Class > Read {
		s.add(Read, fmt.Sprintf("PREPARE %s defines a %s statement without running it", x.Name, v.Class))
	}
}

func (s *state) execute(x *pg.ExecuteStmt) {
	v, ok := s.preparedStmt(x.Name)
	if !ok {
		s.add(Destructive, fmt.Sprintf("EXECUTE %s runs a prepared statement whose PREPARE is not in this input", x.Name), FlagOpaque)
		return
	}
	for _, p := range v.parts {
		p.reason = "EXECUTE " + x.Name + ": " + p.reason
		s.parts = append(s.parts, p)
	}
	for _, t := range v.Targets {
		s.target(t)
	}
	s.addCalls(v.Calls...)
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

func (s *state) copy(x *pg.CopyStmt) bool {
	name := "query"
	if x.Relation != nil {
		name = rel(x.Relation)
	}
	switch {
	case x.IsProgram:
		dir := "to"
		if x.IsFrom {
			dir = "from"
		}
		s.add(Destructive, fmt.Sprintf("COPY %s PROGRAM runs %q on the database server", dir, x.Filename), FlagOpaque, FlagUntryable)
	case x.Filename != "":
		if x.IsFrom {
			s.add(Destructive, fmt.Sprintf("COPY FROM a server file reads %s on the database host", x.Filename), FlagUntryable)
		} else {
			s.add(Destructive, fmt.Sprintf("COPY TO a server file writes (or overwrites) %s on the database host", x.Filename), FlagUntryable)
		}
	}
	if x.IsFrom {
		s.target(relTarget(x.Relation, "table", EffectCopyIn, lockRowExclusive))
		s.add(Write, fmt.Sprintf("COPY FROM adds rows to %s", name))
		return true
	}
	if x.Relation != nil {
		s.target(relTarget(x.Relation, "table", EffectCopyOut, lockAccessShare))
	}
	return true
}

func (s *state) drop(x *pg.DropStmt) {
	kind := objKind(x.RemoveType)
	for _, o := range x.Objects {
		name := nameOf(o)
		sch, obj := splitQualified(name)
		t := Target{Schema: sch, Name: obj, Kind: kind, Effect: EffectDrop}
		var flags []Flag
		switch x.RemoveType {
		case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_MATVIEW:
			t.Lock = lockAccessExclusive
		case pg.ObjectType_OBJECT_INDEX:
			if !x.Concurrent {
				t.Lock = lockAccessExclusive
				flags = []Flag{FlagBlocksReads, FlagBlocksWrites}
			}
		}
		s.target(t)
		what := "DROP " + strings.ToUpper(kind)
		switch x.RemoveType {
		case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_FOREIGN_TABLE, pg.ObjectType_OBJECT_MATVIEW:
			s.add(Destructive, fmt.Sprintf("%s removes %s and all its rows", what, name), flags...)
		case pg.ObjectType_OBJECT_SCHEMA:
			s.add(Destructive, fmt.Sprintf("%s removes schema %s", what, name), flags...)
		case pg.ObjectType_OBJECT_INDEX:
			msg := fmt.Sprintf("%s removes index %s", what, name)
			if !x.Concurrent {
				msg += ", under an ACCESS EXCLUSIVE lock on its table: blocks every read and write until it finishes"
			}
			s.add(Destructive, msg, flags...)
		default:
			s.add(Destructive, fmt.Sprintf("%s removes %s %s", what, kind, name), flags...)
		}
	}
	if x.Behavior == pg.DropBehavior_DROP_CASCADE {
		s.add(Destructive, "CASCADE also drops every object that depends on it", FlagCascade)
	}
}

func (s *state) rename(x *pg.RenameStmt) {
	kind := objKind(x.RenameType)
	var name string
	if x.Relation != nil {
		name = rel(x.Relation)
	} else if x.Object != nil {
		name = nameOf(x.Object)
	} else {
		name = x.Subname
	}
	sch, obj := splitQualified(name)
	t := Target{Schema: sch, Name: obj, Kind: kind, Effect: EffectRename}
	if x.Relation != nil {
		t.Kind = objKind(x.RelationType)
		t.Lock = lockAccessExclusive
	}
	s.target(t)
	switch x.RenameType {
	case pg.ObjectType_OBJECT_COLUMN, pg.ObjectType_OBJECT_ATTRIBUTE:
		s.add(Destructive, fmt.Sprintf("RENAME COLUMN %s.%s to %s breaks every query and view that uses the old name", name, x.Subname, x.Newname))
	case pg.ObjectType_OBJECT_TABCONSTRAINT, pg.ObjectType_OBJECT_DOMCONSTRAINT, pg.ObjectType_OBJECT_TRIGGER,
		pg.ObjectType_OBJECT_POLICY, pg.ObjectType_OBJECT_RULE:
		s.add(Destructive, fmt.Sprintf("RENAME %s %s on %s to %s breaks what refers to the old name", strings.ToUpper(kind), x.Subname, name, x.Newname))
	default:
		s.add(Destructive, fmt.Sprintf("RENAME of %s %s to %s breaks every query that uses the old name", kind, name, x.Newname))
	}
	if x.Behavior == pg.DropBehavior_DROP_CASCADE {
		s.add(Destructive, "CASCADE", FlagCascade)
	}
}

func (s *state) grant(x *pg.GrantStmt, prefix string) {
	what := "ALL"
	if len(x.Privileges) > 0 {
		privs := make([]string, 0, len(x.Privileges))
		for _, p := range x.Privileges {
			if ap := p.GetAccessPriv(); ap != nil {
				privs = append(privs, strings.ToUpper(ap.PrivName))
			}
		}
		what = strings.Join(privs, ", ")
	}
	on := strings.ToUpper(objKind(x.Objtype))
	if len(x.Objects) > 0 {
		on += " " + names(x.Objects)
	}
	if x.Targtype == pg.GrantTargetType_ACL_TARGET_ALL_IN_SCHEMA {
		on = "ALL " + on + "S IN SCHEMA"
	}
	who := names(x.Grantees)
	if x.IsGrant {
		s.add(Write, fmt.Sprintf("%sGRANT %s ON %s TO %s", prefix, what, on, who))
		return
	}
	s.add(Destructive, fmt.Sprintf("%sREVOKE %s ON %s FROM %s takes access away", prefix, what, on, who))
	if x.Behavior == pg.DropBehavior_DROP_CASCADE {
		s.add(Destructive, "CASCADE also revokes what was granted on from it", FlagCascade)
	}
}

func (s *state) createTableAs(x *pg.CreateTableAsStmt) bool {
	var r *pg.RangeVar
	skip := false
	if x.Into != nil {
		r = x.Into.Rel
		skip = x.Into.SkipData
	}
	kind := "table"
	verb := "CREATE TABLE ... AS creates %s from a query"
	if x.Objtype == pg.ObjectType_OBJECT_MATVIEW {
		kind = "materialized view"
		verb = "CREATE MATERIALIZED VIEW creates %s"
	} else if x.IsSelectInto {
		verb = "SELECT ... INTO creates table %s"
	}
	s.target(relTarget(r, kind, EffectCreate, ""))
	s.add(Write, fmt.Sprintf(verb, rel(r)))
	return !skip
}

func (s *state) index(x *pg.IndexStmt) {
	name := x.Idxname
	if name == "" {
		name = "an index"
	} else {
		name = "index " + name
	}
	if x.Concurrent {
		s.target(relTarget(x.Relation, "table", EffectAlter, lockShareUpdateExclusive))
		s.add(Write, fmt.Sprintf("CREATE INDEX CONCURRENTLY builds %s on %s without blocking reads or writes", name, rel(x.Relation)))
		return
	}
	s.target(relTarget(x.Relation, "table", EffectAlter, lockShare))
	s.add(Write, fmt.Sprintf("CREATE INDEX builds %s on %s under a SHARE lock: blocks writes until it finishes (use CONCURRENTLY)", name, rel(x.Relation)), FlagBlocksWrites)
}

func (s *state) vacuum(x *pg.VacuumStmt) {
	var rels []string
	for _, r := range x.Rels {
		if vr := r.GetVacuumRelation(); vr != nil && vr.Relation != nil {
			rels = append(rels, rel(vr.Relation))
		}
	}
	what := "every table in the database"
	if len(rels) > 0 {
		what = strings.Join(rels, ", ")
	}
	if !x.IsVacuumcmd {
		s.add(Write, fmt.Sprintf("ANALYZE updates the planner statistics of %s", what))
		return
	}
	if hasOption(x.Options, "full") {
		for _, r := range x.Rels {
			if vr := r.GetVacuumRelation(); vr != nil && vr.Relation != nil {
				s.target(relTarget(vr.Relation, "table", EffectMaintain, lockAccessExclusive))
			}
		}
		s.add(Write, fmt.Sprintf("VACUUM FULL rewrites %s under an ACCESS EXCLUSIVE lock: blocks every read and write until it finishes", what),
			FlagRewritesTable, FlagBlocksReads, FlagBlocksWrites)
		return
	}
	s.add(Write, fmt.Sprintf("VACUUM reclaims dead rows of %s without blocking reads or writes", what))
}
