package analyze

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"

	pg "github.com/safesql/safesql/analyze/pgparse"
)

// Analyzer classifies the statements of one input in order. It remembers
// PREPAREd statements so that a later EXECUTE gets the class of what was
// prepared, and the bodies of functions created. An Analyzer is not safe
// for concurrent use.
type Analyzer struct {
	prepared map[string]Verdict
	// functions holds what the bodies of functions created earlier in the
	// input do (SQL and PL/pgSQL only), keyed by the name as written.
	functions map[string]Verdict
	// state fingerprints what the analyzer has learnt (prepared
	// statements, functions): two analyzers with the same state classify
	// a text alike, so they may share a Cache.
	state uint64
	cache *Cache
	opts  options
}

// options change how text is read; they are part of the cache key.
type options struct {
	// scsOff: standard_conforming_strings is off, so backslash escapes in
	// plain '...' literals.
	scsOff bool
}

// NewAnalyzer returns an Analyzer with no prepared statements.
func NewAnalyzer() *Analyzer {
	return &Analyzer{prepared: map[string]Verdict{}, functions: map[string]Verdict{}}
}

func (a *Analyzer) init() {
	if a.prepared == nil {
		a.prepared = map[string]Verdict{}
	}
	if a.functions == nil {
		a.functions = map[string]Verdict{}
	}
}

// Classify classifies text with a fresh Analyzer.
func Classify(sql string) Verdict { return NewAnalyzer().Classify(sql) }

// Classify classifies one statement's text (a trailing ';' is fine; several
// statements are classified together, the highest class winning) and
// learns what it teaches at once: it is Predict followed by Learn, for
// scripts that are planned as a whole. It never panics: text the parser
// rejects is Destructive with FlagUnparsed and the parser's message among
// the reasons.
func (a *Analyzer) Classify(sql string) Verdict {
	v := a.Predict(sql)
	a.Learn(v)
	return v
}

// Predict classifies sql like Classify, with what the analyzer has learnt,
// but learns nothing: what sql would teach (PREPARE, DEALLOCATE, CREATE
// FUNCTION) is kept in the verdict, for Learn once the server has accepted
// the statement. Later statements of the same text see it.
func (a *Analyzer) Predict(sql string) (v Verdict) {
	defer func() {
		if r := recover(); r != nil {
			v = finish([]part{{class: Destructive, flags: flagsOf(FlagUnparsed),
				reason: fmt.Sprintf("the analyzer failed on this statement (%v): treated as destructive", r)}}, nil, nil)
		}
	}()
	a.init()
	key := a.cache.key(a.state, a.opts, sql)
	if v, ok := a.cache.get(key); ok {
		return v
	}
	var lessons []lesson
	s := &state{a: a, sql: sql, lessons: &lessons, opts: a.opts}
	s.classifyText(sql)
	v = s.verdict()
	v.lessons = lessons
	if len(sql) <= 64<<10 {
		a.cache.put(key, v)
	}
	return v
}

// WithStandardStrings tells the analyzer the session's
// standard_conforming_strings (on by default). When off, backslash
// escapes in plain '...' literals, as the server reads them: the text is
// rewritten (each such literal into E'...') before it is parsed. It
// returns a.
func (a *Analyzer) WithStandardStrings(on bool) *Analyzer {
	a.opts.scsOff = !on
	return a
}

// WithCache makes a share c with other analyzers; it returns a.
func (a *Analyzer) WithCache(c *Cache) *Analyzer {
	a.cache = c
	return a
}

// learnt mixes what the analyzer just learnt into its state.
func (a *Analyzer) learnt(what string) {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], a.state)
	h.Write(b[:])
	h.Write([]byte(what))
	a.state = h.Sum64()
}

// state collects the findings for one top-level Classify call.
type state struct {
	a       *Analyzer
	sql     string
	parts   []part
	targets []Target
	calls   []string
	// call is the unknown function whose body a finding depends on ("" for none).
	call string
	// depth guards the re-parses of SQL hidden in strings (DO, PREPARE, dblink).
	depth int
	// readReason is set by the first statement seen, used when nothing raised the class.
	readReason string
	// ctes holds names of WITH queries in scope, which are not tables.
	ctes map[string]bool
	// seenTargets and seenNames index targets, which large statements have
	// many of.
	seenTargets, seenNames map[string]bool
	seenCalls              map[string]bool
	// stmtText is the source text of the top-level statement being classified.
	stmtText string
	// trace, set by tests only, sees every message and turns the rules off.
	trace func(any)
	// facts are the per-text facts of the top-level text.
	facts facts
	// lessons collects what the text teaches (nil: nothing is taught);
	// quiet is set while analysing text that is stored or run elsewhere.
	lessons *[]lesson
	quiet   bool
	opts    options
}

func (s *state) verdict() Verdict {
	parts := s.parts
	hasRead := false
	for _, p := range parts {
		if p.class == Read && p.reason != "" {
			hasRead = true
		}
	}
	if len(parts) == 0 || (!hasRead && maxClass(parts) == Read) {
		r := s.readReason
		if r == "" {
			r = "nothing to run"
		}
		parts = append(parts, part{class: Read, reason: r})
	}
	if s.calls == nil {
		s.calls = []string{}
	}
	if s.targets == nil {
		s.targets = []Target{}
	}
	v := finish(parts, s.targets, s.calls)
	s.facts.apply(&v)
	v.fallback = s.readReason
	if v.fallback == "" {
		v.fallback = "nothing to run"
	}
	return v
}

func maxClass(parts []part) Class {
	c := Read
	for _, p := range parts {
		if p.class > c {
			c = p.class
		}
	}
	return c
}

// add records a finding. Code the analyzer cannot see into (FlagOpaque)
// may have effects a rollback does not undo, so it is also untryable.
func (s *state) add(c Class, reason string, flags ...Flag) {
	fs := flagsOf(flags...)
	if fs&flagsOf(FlagOpaque) != 0 {
		fs |= flagsOf(FlagUntryable)
	}
	s.parts = append(s.parts, part{class: c, flags: fs, reason: reason, call: s.call})
}

// addCalls records functions for Verdict.Calls, once each.
func (s *state) addCalls(names ...string) {
	for _, n := range names {
		if s.seenCalls[n] {
			continue
		}
		if s.seenCalls == nil {
			s.seenCalls = map[string]bool{}
		}
		s.seenCalls[n] = true
		s.calls = append(s.calls, n)
	}
}

func (s *state) target(t Target) {
	key := t.Schema + "\x00" + t.Name + "\x00" + t.Kind + "\x00" + string(t.Effect)
	if s.seenTargets[key] {
		return
	}
	if s.seenTargets == nil {
		s.seenTargets = map[string]bool{}
		s.seenNames = map[string]bool{}
	}
	s.seenTargets[key] = true
	s.seenNames[t.Schema+"\x00"+t.Name] = true
	s.targets = append(s.targets, t)
}

func (s *state) classifyText(sql string) {
	if s.depth > 8 {
		s.add(Destructive, "SQL nested too deeply to analyse", FlagOpaque)
		return
	}
	orig := sql
	var ins []int
	if s.opts.scsOff {
		sql, ins = escapeStrings(sql)
	}
	res, err := pg.Parse(sql)
	if err != nil {
		// A script may use psql variables, which psql substitutes before
		// sending: parse with placeholders before giving up.
		if sub, ok := substitutePsqlVars(sql); ok && s.depth == 0 {
			if res2, err2 := pg.Parse(sub); err2 == nil {
				res, err = res2, nil
				s.add(Read, "psql variables are substituted before this runs: classified with placeholders")
			}
		}
	}
	if err != nil {
		var deep *pg.DepthError
		if errors.As(err, &deep) {
			s.add(Destructive, deep.Error()+": treated as destructive", FlagUnparsed)
		} else {
			s.add(Destructive, "cannot parse: "+err.Error(), FlagUnparsed)
		}
		if s.depth == 0 {
			s.facts.Statements = countStatements(orig, !s.opts.scsOff)
			s.facts.ParseError = parseError(err, sql, orig, ins)
		}
		return
	}
	saved := s.stmtText
	defer func() { s.stmtText = saved }()
	stmts := res.GetStmts()
	if s.depth == 0 {
		s.facts.Statements = len(stmts)
	}
	for _, raw := range stmts {
		s.stmtText = stmtSource(sql, raw)
		if s.depth == 0 {
			s.topFacts(raw.GetStmt(), len(stmts))
		}
		s.topStmt(raw.GetStmt())
	}
}

func (s *state) topStmt(n *pg.Node) {
	if n == nil {
		return
	}
	if s.readReason == "" {
		s.readReason = readReasonFor(n)
	}
	s.visitNode(n)
}

// stmtSource cuts one statement's text out of the parsed input.
func stmtSource(sql string, raw *pg.RawStmt) string {
	start, n := int(raw.StmtLocation), int(raw.StmtLen)
	if start < 0 || start > len(sql) {
		return sql
	}
	if n <= 0 || start+n > len(sql) {
		return sql[start:]
	}
	return sql[start : start+n]
}

// visitMsg dispatches on a message's concrete type and, unless the handler
// says otherwise, visits every child (walkChildren is generated from
// pg_query's message definitions): a write can hide anywhere.
func (s *state) visitMsg(m any) {
	if s.trace != nil {
		s.trace(m)
		s.walkChildren(m)
		return
	}
	descend := true
	switch x := m.(type) {
	case *pg.FuncCall:
		descend = s.funcCall(x)
	case *pg.RangeVar:
		if x.Schemaname == "" && s.ctes[x.Relname] {
			return
		}
		if s.seenNames[x.Schemaname+"\x00"+x.Relname] {
			return
		}
		s.target(Target{Schema: x.Schemaname, Name: x.Relname, Kind: "table", Effect: EffectRead})
		return
	case *pg.SelectStmt:
		s.registerCTEs(x.WithClause)
		descend = s.stmt(x)
	case *pg.InsertStmt:
		s.registerCTEs(x.WithClause)
		descend = s.stmt(x)
	case *pg.UpdateStmt:
		s.registerCTEs(x.WithClause)
		descend = s.stmt(x)
	case *pg.DeleteStmt:
		s.registerCTEs(x.WithClause)
		descend = s.stmt(x)
	case *pg.MergeStmt:
		s.registerCTEs(x.WithClause)
		descend = s.stmt(x)
	case *pg.A_Const, *pg.String, *pg.Integer, *pg.Float, *pg.Boolean, *pg.BitString, *pg.TypeName, *pg.ColumnRef, *pg.ParamRef:
		return
	default:
		descend = s.stmt(m)
	}
	if descend {
		s.walkChildren(m)
	}
}

// registerCTEs records the names a WITH clause defines, so that references
// to them are not reported as tables.
func (s *state) registerCTEs(w *pg.WithClause) {
	if w == nil {
		return
	}
	for _, c := range w.Ctes {
		if cte := c.GetCommonTableExpr(); cte != nil {
			if s.ctes == nil {
				s.ctes = map[string]bool{}
			}
			s.ctes[cte.Ctename] = true
		}
	}
}

// rel names a RangeVar as written.
func rel(r *pg.RangeVar) string {
	if r == nil {
		return "?"
	}
	name := r.Relname
	if r.Schemaname != "" {
		name = r.Schemaname + "." + name
	}
	if r.Catalogname != "" {
		name = r.Catalogname + "." + name
	}
	return name
}

func relTarget(r *pg.RangeVar, kind string, e Effect, lock string) Target {
	if r == nil {
		return Target{Kind: kind, Effect: e, Lock: lock}
	}
	return Target{Schema: r.Schemaname, Name: r.Relname, Kind: kind, Effect: e, Lock: lock}
}

// nameOf renders a name given as a list of String nodes, a TypeName, an
// ObjectWithArgs, a RoleSpec or a single String.
func nameOf(n *pg.Node) string {
	if n == nil {
		return "?"
	}
	switch x := n.Node.(type) {
	case *pg.Node_String_:
		return x.String_.Sval
	case *pg.Node_List:
		return joinNames(x.List.Items)
	case *pg.Node_TypeName:
		return joinNames(x.TypeName.Names)
	case *pg.Node_ObjectWithArgs:
		return joinNames(x.ObjectWithArgs.Objname)
	case *pg.Node_RoleSpec:
		return roleName(x.RoleSpec)
	case *pg.Node_RangeVar:
		return rel(x.RangeVar)
	case *pg.Node_Integer:
		return fmt.Sprint(x.Integer.Ival)
	case *pg.Node_AConst:
		if iv := x.AConst.GetIval(); iv != nil {
			return fmt.Sprint(iv.Ival)
		}
		if sv := x.AConst.GetSval(); sv != nil {
			return sv.Sval
		}
	case *pg.Node_PublicationObjSpec:
		if x.PublicationObjSpec.Pubtable != nil {
			return rel(x.PublicationObjSpec.Pubtable.Relation)
		}
		return x.PublicationObjSpec.Name
	}
	return "?"
}

func joinNames(items []*pg.Node) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		if sv := it.GetString_(); sv != nil {
			parts = append(parts, sv.Sval)
		}
	}
	if len(parts) == 0 {
		return "?"
	}
	// Types come out as pg_catalog.int4 and the like; the short name reads better.
	if len(parts) == 2 && parts[0] == "pg_catalog" {
		return parts[1]
	}
	return strings.Join(parts, ".")
}

func splitQualified(name string) (schema, obj string) {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return "", name
}

func roleName(r *pg.RoleSpec) string {
	if r == nil {
		return "?"
	}
	switch r.Roletype {
	case pg.RoleSpecType_ROLESPEC_CURRENT_USER:
		return "CURRENT_USER"
	case pg.RoleSpecType_ROLESPEC_SESSION_USER:
		return "SESSION_USER"
	case pg.RoleSpecType_ROLESPEC_CURRENT_ROLE:
		return "CURRENT_ROLE"
	case pg.RoleSpecType_ROLESPEC_PUBLIC:
		return "PUBLIC"
	}
	return r.Rolename
}

func names(ns []*pg.Node) string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		out = append(out, nameOf(n))
	}
	return strings.Join(out, ", ")
}

// defName reports whether a DefElem list has the option, and its boolean value.
func hasOption(opts []*pg.Node, name string) bool {
	for _, o := range opts {
		if d := o.GetDefElem(); d != nil && strings.EqualFold(d.Defname, name) {
			return defBool(d)
		}
	}
	return false
}

// defBool reads a DefElem's argument as a boolean: no argument means true.
func defBool(d *pg.DefElem) bool {
	if d.Arg == nil {
		return true
	}
	switch a := d.Arg.Node.(type) {
	case *pg.Node_Boolean:
		return a.Boolean.Boolval
	case *pg.Node_Integer:
		return a.Integer.Ival != 0
	case *pg.Node_String_:
		switch strings.ToLower(a.String_.Sval) {
		case "false", "off", "no", "0", "f", "n":
			return false
		}
	case *pg.Node_AConst:
		if b := a.AConst.GetBoolval(); b != nil {
			return b.Boolval
		}
		if i := a.AConst.GetIval(); i != nil {
			return i.Ival != 0
		}
		if sv := a.AConst.GetSval(); sv != nil {
			switch strings.ToLower(sv.Sval) {
			case "false", "off", "no", "0", "f", "n":
				return false
			}
		}
	}
	return true
}

func defString(d *pg.DefElem) string {
	if d == nil || d.Arg == nil {
		return ""
	}
	switch a := d.Arg.Node.(type) {
	case *pg.Node_String_:
		return a.String_.Sval
	case *pg.Node_AConst:
		if sv := a.AConst.GetSval(); sv != nil {
			return sv.Sval
		}
	case *pg.Node_List:
		return joinNames(a.List.Items)
	}
	return ""
}
