// Package complete is the completion engine: given the text typed, the
// cursor and what the database holds (Meta), it offers the words that fit
// there, as pgcli does: relations after FROM, the statement's columns in
// an expression, join conditions along foreign keys after ON, commands at
// a statement's start. Reading SQL is analyze's work (analyze.CompletionAt);
// this package matches its answer against the catalogue.
package complete

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/safesql/safesql/repl/render"
)

// Querier runs a catalogue query (the session's Query).
type Querier interface {
	Query(ctx context.Context, sql string) ([]render.Column, [][][]byte, error)
}

// Relation is a table, view, materialized view or foreign table.
type Relation struct {
	Schema, Name string
	// Kind is pg_class.relkind: 'r' table, 'p' partitioned table, 'v'
	// view, 'm' materialized view, 'f' foreign table.
	Kind byte
	// Visible: on the search path, reachable without its schema.
	Visible bool
	Columns []string // in the table's order
}

// ForeignKey is a foreign key's columns, paired in order.
type ForeignKey struct {
	ChildSchema, ChildTable   string
	ChildColumns              []string
	ParentSchema, ParentTable string
	ParentColumns             []string
}

// Function is a function's name (overloads are one entry).
type Function struct {
	Schema, Name string
	Visible      bool
}

// Meta is what completion knows of a database.
type Meta struct {
	Schemas     []string
	Relations   []*Relation
	Functions   []Function
	ForeignKeys []ForeignKey

	byKey  map[string]*Relation // schema + "." + name
	byName map[string]*Relation // visible relations by name
}

// Index builds m's look-ups; call it after filling m by hand (Load does).
func (m *Meta) Index() *Meta {
	m.byKey = make(map[string]*Relation, len(m.Relations))
	m.byName = make(map[string]*Relation, len(m.Relations))
	for _, r := range m.Relations {
		m.byKey[r.Schema+"."+r.Name] = r
		if r.Visible {
			if _, ok := m.byName[r.Name]; !ok {
				m.byName[r.Name] = r
			}
		}
	}
	// A name not on the search path is still found by its name when it
	// is the only one (psql's and pgcli's completion both look only at
	// the search path; a table in another schema is named with it).
	for _, r := range m.Relations {
		if _, ok := m.byName[r.Name]; !ok {
			m.byName[r.Name] = r
		}
	}
	return m
}

// Lookup finds the relation schema.name; schema "" looks on the search
// path.
func (m *Meta) Lookup(schema, name string) *Relation {
	if m == nil || m.byKey == nil {
		return nil
	}
	if schema != "" {
		return m.byKey[schema+"."+name]
	}
	return m.byName[name]
}

// catalogQuery reads schemas, relations, columns, functions and foreign
// keys in one round trip. It names no object: it has no parameter to
// bind, and nothing is ever spliced into it.
const catalogQuery = `SELECT kind, sch, rel, name, x1, x2, x3 FROM (
  SELECT 's' AS kind, n.nspname::text AS sch, '' AS rel, '' AS name, '' AS x1, '' AS x2, '' AS x3, 0 AS pos
    FROM pg_catalog.pg_namespace n
   WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  UNION ALL
  SELECT 'r', n.nspname, c.relname, '', c.relkind::text,
         CASE WHEN pg_catalog.pg_table_is_visible(c.oid) THEN 'v' ELSE '' END, '', 0
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r','p','v','m','f') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  UNION ALL
  SELECT 'c', n.nspname, c.relname, a.attname, '', '', '', a.attnum
    FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p','v','m','f')
     AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  UNION ALL
  SELECT 'f', n.nspname, '', p.proname,
         CASE WHEN bool_or(pg_catalog.pg_function_is_visible(p.oid)) THEN 'v' ELSE '' END, '', '', 0
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   GROUP BY n.nspname, p.proname
  UNION ALL
  SELECT 'k', cn.nspname, cc.relname,
         (SELECT string_agg(a.attname, chr(31) ORDER BY u.i) FROM unnest(k.conkey) WITH ORDINALITY u(num, i)
            JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num),
         pn.nspname, pc.relname,
         (SELECT string_agg(a.attname, chr(31) ORDER BY u.i) FROM unnest(k.confkey) WITH ORDINALITY u(num, i)
            JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num), 0
    FROM pg_catalog.pg_constraint k
    JOIN pg_catalog.pg_class cc ON cc.oid = k.conrelid JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace
    JOIN pg_catalog.pg_class pc ON pc.oid = k.confrelid JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
   WHERE k.contype = 'f'
) names ORDER BY kind, sch, rel, pos, name`

// Load reads the catalogue through q.
func Load(ctx context.Context, q Querier) (*Meta, error) {
	_, rows, err := q.Query(ctx, catalogQuery)
	if err != nil {
		return nil, fmt.Errorf("read the catalogue for completion: %w", err)
	}
	m := &Meta{}
	rels := map[string]*Relation{}
	str := func(r [][]byte, i int) string {
		if i < len(r) && r[i] != nil {
			return string(r[i])
		}
		return ""
	}
	for _, r := range rows {
		if len(r) < 7 {
			continue
		}
		kind, sch, rel, name := str(r, 0), str(r, 1), str(r, 2), str(r, 3)
		switch kind {
		case "s":
			m.Schemas = append(m.Schemas, sch)
		case "r":
			x := rels[sch+"."+rel]
			if x == nil {
				x = &Relation{Schema: sch, Name: rel}
				rels[sch+"."+rel] = x
			}
			x.Visible = str(r, 5) == "v"
			if k := str(r, 4); k != "" {
				x.Kind = k[0]
			}
			m.Relations = append(m.Relations, x)
		case "c":
			// Columns sort before relations ('c' < 'r'): gathered first.
			key := sch + "." + rel
			x := rels[key]
			if x == nil {
				x = &Relation{Schema: sch, Name: rel}
				rels[key] = x
			}
			x.Columns = append(x.Columns, name)
		case "f":
			m.Functions = append(m.Functions, Function{Schema: sch, Name: name, Visible: str(r, 4) == "v"})
		case "k":
			fk := ForeignKey{
				ChildSchema: sch, ChildTable: rel, ChildColumns: strings.Split(name, "\x1f"),
				ParentSchema: str(r, 4), ParentTable: str(r, 5), ParentColumns: strings.Split(str(r, 6), "\x1f"),
			}
			if len(fk.ChildColumns) == len(fk.ParentColumns) {
				m.ForeignKeys = append(m.ForeignKeys, fk)
			}
		}
	}
	sort.Slice(m.Relations, func(i, j int) bool {
		a, b := m.Relations[i], m.Relations[j]
		return a.Schema < b.Schema || a.Schema == b.Schema && a.Name < b.Name
	})
	return m.Index(), nil
}
