package complete

import (
	"sort"
	"strings"

	"github.com/safesql/safesql/analyze"
)

// Kind says what a candidate is, for ordering and display.
type Kind int

// Candidate kinds, in the order they are listed.
const (
	KindJoin Kind = iota // a join condition or join clause along a foreign key
	KindColumn
	KindAlias
	KindRelation
	KindSchema
	KindFunction
	KindKeyword
	KindMeta
)

// Candidate is one completion of the word before the cursor.
type Candidate struct {
	Text string
	Kind Kind
}

// Suggest returns the candidates for the word that ends at cursor (a byte
// offset in text) and the byte offset where that word starts: the
// candidates replace text[start:cursor]. m may be nil (no catalogue);
// metas are the backslash commands with their backslash.
func Suggest(text string, cursor int, m *Meta, metas []string) ([]Candidate, int) {
	cursor = min(max(cursor, 0), len(text))
	pt := analyze.CompletionAt(text, cursor)
	s := suggester{pt: pt, m: m, upper: isUpper(pt.Word)}
	if m == nil {
		s.m = (&Meta{}).Index()
	}
	switch pt.Place {
	case analyze.PlaceMeta:
		for _, c := range metas {
			s.add(c, KindMeta)
		}
	case analyze.PlaceStart:
		if pt.Word == "" {
			return nil, pt.Start
		}
		s.keywords(startKeywords)
	case analyze.PlaceKeyword:
		s.keywords(clauseKeywords(pt.Clause))
	case analyze.PlaceRelation:
		s.relations()
	case analyze.PlaceColumn:
		s.expression()
	case analyze.PlaceJoinCondition:
		s.joinCondition()
	case analyze.PlaceSchema:
		for _, sch := range s.m.Schemas {
			s.add(ident(sch), KindSchema)
		}
	case analyze.PlaceFunction:
		s.functions()
	}
	return s.result(), pt.Start
}

type suggester struct {
	pt    analyze.CompletionPoint
	m     *Meta
	upper bool
	out   []Candidate
}

func (s *suggester) add(text string, k Kind) {
	if matches(text, s.pt.Word) {
		s.out = append(s.out, Candidate{text, k})
	}
}

// matches: cand starts with word, without case, and is longer (or the
// word is empty). A quoted word matches the quoted name.
func matches(cand, word string) bool {
	if word == "" {
		return true
	}
	return len(cand) > len(word) && strings.HasPrefix(strings.ToLower(cand), strings.ToLower(word))
}

func (s *suggester) result() []Candidate {
	sort.SliceStable(s.out, func(i, j int) bool {
		a, b := s.out[i], s.out[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Kind == KindJoin {
			return false // in the order they were found: nearest table first
		}
		return a.Text < b.Text
	})
	seen := map[string]bool{}
	out := s.out[:0]
	for _, c := range s.out {
		if !seen[c.Text] {
			seen[c.Text] = true
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (s *suggester) keywords(words []string) {
	for _, w := range words {
		if !s.upper {
			w = strings.ToLower(w)
		}
		s.add(w, KindKeyword)
	}
}

// ident is name as SQL text: quoted when it needs to be.
func ident(name string) string { return analyze.QuoteIdent(name) }

// relations offers tables and views (never columns, sequences or
// functions): those of the schema the word is qualified with, else those
// on the search path and the schemas. After JOIN, the joins along foreign
// keys to the tables already named.
func (s *suggester) relations() {
	want := func(r *Relation) bool {
		switch strings.TrimRight(s.pt.Clause, "+S") {
		case "truncate", "table", "lock", `\dt`:
			return r.Kind == 'r' || r.Kind == 'p' || r.Kind == 'f'
		case "view", `\dv`:
			return r.Kind == 'v' || r.Kind == 'm'
		case `\dm`:
			return r.Kind == 'm'
		case `\dE`:
			return r.Kind == 'f'
		case "update", "into", "copy":
			return r.Kind != 'm'
		}
		return true
	}
	if q := s.pt.Qualifier; q != "" {
		for _, r := range s.m.Relations {
			if r.Schema == q && want(r) {
				s.add(ident(r.Name), KindRelation)
			}
		}
		return
	}
	for _, r := range s.m.Relations {
		if r.Visible && want(r) {
			s.add(ident(r.Name), KindRelation)
		}
	}
	for _, l := range s.pt.Locals {
		s.add(ident(l.Name), KindRelation)
	}
	for _, sch := range s.m.Schemas {
		s.add(ident(sch), KindSchema)
	}
	if s.pt.Join {
		s.joins()
	}
}

// joins offers "customers ON customers.id = o.customer_id" after JOIN:
// a relation linked by a foreign key to one already named, nearest
// first.
func (s *suggester) joins() {
	on := "ON"
	if !s.upper {
		on = "on"
	}
	tables := s.pt.Tables
	named := map[string]bool{}
	for _, t := range tables {
		named[t.Ref()] = true
	}
	for i := len(tables) - 1; i >= 0; i-- {
		t := tables[i]
		r := s.m.Lookup(t.Schema, t.Name)
		if r == nil {
			continue
		}
		for _, fk := range s.m.ForeignKeys {
			var other *Relation
			var mine, theirs []string
			switch {
			case fk.ChildSchema == r.Schema && fk.ChildTable == r.Name:
				other, mine, theirs = s.m.Lookup(fk.ParentSchema, fk.ParentTable), fk.ChildColumns, fk.ParentColumns
			case fk.ParentSchema == r.Schema && fk.ParentTable == r.Name:
				other, mine, theirs = s.m.Lookup(fk.ChildSchema, fk.ChildTable), fk.ParentColumns, fk.ChildColumns
			}
			if other == nil {
				continue
			}
			name := ident(other.Name)
			if !other.Visible {
				name = ident(other.Schema) + "." + name
			}
			ref := ident(other.Name)
			if named[other.Name] {
				// Joined a second time (a self join): give it an alias.
				ref = ident(other.Name + "2")
				name += " " + ref
			}
			s.add(name+" "+on+" "+conditions(ref, theirs, ident(t.Ref()), mine, s.upper), KindJoin)
		}
	}
}

// conditions is "l.a = r.x AND l.b = r.y".
func conditions(lref string, lcols []string, rref string, rcols []string, upper bool) string {
	and := " AND "
	if !upper {
		and = " and "
	}
	parts := make([]string, len(lcols))
	for i := range lcols {
		l := ident(lcols[i])
		if lref != "" {
			l = lref + "." + l
		}
		parts[i] = l + " = " + rref + "." + ident(rcols[i])
	}
	return strings.Join(parts, and)
}

// resolve finds the statement's table the qualifier q names (its alias,
// its name, or schema.name).
func (s *suggester) resolve(q string) (analyze.TableRef, bool) {
	for i := len(s.pt.Tables) - 1; i >= 0; i-- {
		t := s.pt.Tables[i]
		if q == t.Alias || t.Alias == "" && q == t.Name || t.Schema != "" && q == t.Schema+"."+t.Name {
			return t, true
		}
	}
	return analyze.TableRef{}, false
}

// columns are t's columns: a common table expression's, else the
// catalogue's.
func (s *suggester) columns(t analyze.TableRef) []string { return s.columnsDepth(t, 0) }

func (s *suggester) columnsDepth(t analyze.TableRef, depth int) []string {
	if t.Schema == "" && depth < 3 { // CTEs that name each other: not forever
		for _, l := range s.pt.Locals {
			if l.Name == t.Name {
				cols := append([]string(nil), l.Columns...)
				for _, st := range l.Star {
					if st.Schema == "" && st.Name == l.Name {
						continue
					}
					cols = append(cols, s.columnsDepth(st, depth+1)...)
				}
				return cols
			}
		}
	}
	if r := s.m.Lookup(t.Schema, t.Name); r != nil {
		return r.Columns
	}
	return nil
}

// expression offers the columns of the statement's tables (of the one the
// word is qualified with), functions and the words of an expression.
func (s *suggester) expression() {
	if q := s.pt.Qualifier; q != "" {
		if t, ok := s.resolve(q); ok {
			for _, c := range s.columns(t) {
				s.add(ident(c), KindColumn)
			}
			return
		}
		// A schema: its relations and functions (pgcli does the same).
		for _, r := range s.m.Relations {
			if r.Schema == q {
				s.add(ident(r.Name), KindRelation)
			}
		}
		for _, f := range s.m.Functions {
			if f.Schema == q {
				s.add(ident(f.Name), KindFunction)
			}
		}
		return
	}
	tables := s.pt.Tables
	switch s.pt.Clause {
	case "into":
		// INSERT INTO t (<columns of t>)
		if len(tables) > 0 {
			tables = tables[:1]
		}
		s.columnsOf(tables)
		return
	case "using(":
		// JOIN t USING (<columns t shares with a table before it>)
		s.sharedColumns(tables)
		return
	}
	s.columnsOf(tables)
	for _, f := range s.m.Functions {
		if f.Visible {
			s.add(ident(f.Name), KindFunction)
		}
	}
	for _, f := range builtinFunctions {
		s.add(f, KindFunction)
	}
	s.keywords(expressionKeywords)
}

func (s *suggester) columnsOf(tables []analyze.TableRef) {
	for _, t := range tables {
		for _, c := range s.columns(t) {
			s.add(ident(c), KindColumn)
		}
	}
}

func (s *suggester) sharedColumns(tables []analyze.TableRef) {
	if len(tables) < 2 {
		return
	}
	others := map[string]bool{}
	for _, t := range tables[:len(tables)-1] {
		for _, c := range s.columns(t) {
			others[c] = true
		}
	}
	for _, c := range s.columns(tables[len(tables)-1]) {
		if others[c] {
			s.add(ident(c), KindColumn)
		}
	}
}

// joinCondition offers, after ON, the conditions along the foreign keys
// between the table just joined and those before it ("c.id =
// o.customer_id"), else the tables' aliases. After "ON c." it offers c's
// columns and the conditions that start with them.
func (s *suggester) joinCondition() {
	tables := s.pt.Tables
	if len(tables) == 0 {
		return
	}
	left := tables[len(tables)-1]
	prefix := ident(left.Ref()) + "."
	if q := s.pt.Qualifier; q != "" {
		t, ok := s.resolve(q)
		if !ok {
			s.expression()
			return
		}
		left, prefix = t, ""
		for _, c := range s.columns(t) {
			s.add(ident(c), KindColumn)
		}
	}
	lrel := s.m.Lookup(left.Schema, left.Name)
	found := false
	if lrel != nil {
		for i := len(tables) - 1; i >= 0; i-- {
			t := tables[i]
			if t.Ref() == left.Ref() {
				continue
			}
			r := s.m.Lookup(t.Schema, t.Name)
			if r == nil {
				continue
			}
			for _, fk := range s.m.ForeignKeys {
				var mine, theirs []string
				switch {
				case fk.ChildSchema == lrel.Schema && fk.ChildTable == lrel.Name && fk.ParentSchema == r.Schema && fk.ParentTable == r.Name:
					mine, theirs = fk.ChildColumns, fk.ParentColumns
				case fk.ParentSchema == lrel.Schema && fk.ParentTable == lrel.Name && fk.ChildSchema == r.Schema && fk.ChildTable == r.Name:
					mine, theirs = fk.ParentColumns, fk.ChildColumns
				default:
					continue
				}
				cond := conditions(strings.TrimSuffix(prefix, "."), mine, ident(t.Ref()), theirs, s.upper)
				if matches(cond, s.pt.Word) {
					found = true
				}
				s.add(cond, KindJoin)
			}
		}
	}
	if !found && s.pt.Qualifier == "" {
		for _, t := range tables {
			s.add(ident(t.Ref()), KindAlias)
		}
	}
}

func isUpper(w string) bool {
	return strings.ToUpper(w) == w && strings.ToLower(w) != w
}

// functions offers the catalogue's functions: those of the qualifying
// schema, else those on the search path and the schemas.
func (s *suggester) functions() {
	if q := s.pt.Qualifier; q != "" {
		for _, f := range s.m.Functions {
			if f.Schema == q {
				s.add(ident(f.Name), KindFunction)
			}
		}
		return
	}
	for _, f := range s.m.Functions {
		if f.Visible {
			s.add(ident(f.Name), KindFunction)
		}
	}
	for _, sch := range s.m.Schemas {
		s.add(ident(sch), KindSchema)
	}
}
