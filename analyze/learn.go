package analyze

import "fmt"

// lesson is one thing a statement teaches the analyzer once the server
// has accepted it: a prepared statement defined or deallocated, a function
// defined.
type lesson struct {
	kind lessonKind
	name string
	v    Verdict
}

type lessonKind byte

const (
	lessonPrepare lessonKind = iota + 1
	lessonDeallocate
	lessonDeallocateAll
	lessonFunction
)

// Learn applies what v's statement teaches (PREPARE, DEALLOCATE, CREATE
// FUNCTION): call it once the server has accepted the statement v was
// predicted for. Learning a verdict that teaches nothing does nothing.
func (a *Analyzer) Learn(v Verdict) {
	a.init()
	for _, l := range v.lessons {
		switch l.kind {
		case lessonPrepare:
			a.prepared[l.name] = l.v
			a.learnt(fmt.Sprintf("prepare %s %d %v", l.name, l.v.Class, l.v.Calls))
		case lessonDeallocate:
			delete(a.prepared, l.name)
			a.learnt("deallocate " + l.name)
		case lessonDeallocateAll:
			clear(a.prepared)
			a.learnt("deallocate ")
		case lessonFunction:
			a.functions[l.name] = l.v
			a.learnt(fmt.Sprintf("function %s %d %v", l.name, l.v.Class, l.v.Calls))
		}
	}
}

// teach records a lesson of the text being classified; nested analyses of
// text that is stored, not run (a function body, a prepared query), or run
// elsewhere (dblink), teach nothing.
func (s *state) teach(l lesson) {
	if s.quiet || s.lessons == nil {
		return
	}
	*s.lessons = append(*s.lessons, l)
}

// preparedStmt looks a prepared statement up: first what the text being
// classified defines or deallocates before this point, then what the
// analyzer has learnt.
func (s *state) preparedStmt(name string) (Verdict, bool) {
	if s.lessons != nil {
		ls := *s.lessons
		for i := len(ls) - 1; i >= 0; i-- {
			switch l := ls[i]; {
			case l.kind == lessonDeallocateAll:
				return Verdict{}, false
			case l.kind == lessonPrepare && l.name == name:
				return l.v, true
			case l.kind == lessonDeallocate && l.name == name:
				return Verdict{}, false
			}
		}
	}
	v, ok := s.a.prepared[name]
	return v, ok
}

// function looks a function created earlier up, the same way.
func (s *state) function(key string) (Verdict, bool) {
	if s.lessons != nil {
		ls := *s.lessons
		for i := len(ls) - 1; i >= 0; i-- {
			if ls[i].kind == lessonFunction && ls[i].name == key {
				return ls[i].v, true
			}
		}
	}
	v, ok := s.a.functions[key]
	return v, ok
}

// sub returns a state for a nested analysis of stored text: it sees what
// s sees and teaches nothing.
func (s *state) sub() *state {
	return &state{a: s.a, sql: s.sql, depth: s.depth + 1, lessons: s.lessons, quiet: true, opts: s.opts}
}
