package complete

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/safesql/safesql/repl/render"
)

// Querier reads the catalogue.
type Querier = render.Querier

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
// bind, and nothing is ever spliced into it. It leaves the sorting and
// the search path's visibility to the client, where they cost less than
// on the server (a 5,000-table catalogue: see BenchmarkLoad5000).
const catalogQuery = `SELECT 'p', '', '', pg_catalog.array_to_string(pg_catalog.current_schemas(true), chr(31)), '', '', '', 0
UNION ALL
SELECT 's', n.nspname, '', '', '', '', '', 0
  FROM pg_catalog.pg_namespace n
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
UNION ALL
SELECT 'r', n.nspname, c.relname, '', c.relkind::text, '', '', 0
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r','p','v','m','f') AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_(toast|catalog)'
UNION ALL
SELECT 'c', n.nspname, c.relname, a.attname, '', '', '', a.attnum
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p','v','m','f')
   AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_(toast|catalog)'
UNION ALL
SELECT DISTINCT 'f', n.nspname, '', p.proname, '', '', '', 0
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname <> 'information_schema' AND n.nspname !~ '^pg_(toast|catalog)'
UNION ALL
SELECT 'k', cn.nspname, cc.relname, k.conkey::text, pn.nspname, pc.relname, k.confkey::text, 0
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class cc ON cc.oid = k.conrelid JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace
  JOIN pg_catalog.pg_class pc ON pc.oid = k.confrelid JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
 WHERE k.contype = 'f'`

// Load reads the catalogue through q.
func Load(ctx context.Context, q Querier) (*Meta, error) {
	_, rows, err := q.Query(ctx, catalogQuery)
	if err != nil {
		return nil, fmt.Errorf("read the catalogue for completion: %w", err)
	}
	m := &Meta{}
	type column struct {
		pos  int
		name string
	}
	rels := map[string]*Relation{}
	cols := map[string][]column{}
	var fks [][]string
	var path []string
	str := func(r [][]byte, i int) string {
		if i < len(r) && r[i] != nil {
			return string(r[i])
		}
		return ""
	}
	for _, r := range rows {
		if len(r) < 8 {
			continue
		}
		kind, sch, rel, name := str(r, 0), str(r, 1), str(r, 2), str(r, 3)
		switch kind {
		case "p":
			path = strings.Split(name, "\x1f")
		case "s":
			m.Schemas = append(m.Schemas, sch)
		case "r":
			x := &Relation{Schema: sch, Name: rel}
			if k := str(r, 4); k != "" {
				x.Kind = k[0]
			}
			rels[sch+"."+rel] = x
			m.Relations = append(m.Relations, x)
		case "c":
			pos, _ := strconv.Atoi(str(r, 7))
			key := sch + "." + rel
			cols[key] = append(cols[key], column{pos, name})
		case "f":
			m.Functions = append(m.Functions, Function{Schema: sch, Name: name})
		case "k":
			fks = append(fks, []string{sch, rel, name, str(r, 4), str(r, 5), str(r, 6)})
		}
	}
	// Columns in the table's order; foreign keys' column numbers named.
	byNum := map[string]map[int]string{}
	for key, cs := range cols {
		sort.Slice(cs, func(i, j int) bool { return cs[i].pos < cs[j].pos })
		x := rels[key]
		if x == nil {
			continue
		}
		nums := make(map[int]string, len(cs))
		for _, c := range cs {
			x.Columns = append(x.Columns, c.name)
			nums[c.pos] = c.name
		}
		byNum[key] = nums
	}
	for _, k := range fks {
		fk := ForeignKey{ChildSchema: k[0], ChildTable: k[1], ParentSchema: k[3], ParentTable: k[4]}
		var ok1, ok2 bool
		fk.ChildColumns, ok1 = columnNames(byNum[k[0]+"."+k[1]], k[2])
		fk.ParentColumns, ok2 = columnNames(byNum[k[3]+"."+k[4]], k[5])
		if ok1 && ok2 && len(fk.ChildColumns) == len(fk.ParentColumns) {
			m.ForeignKeys = append(m.ForeignKeys, fk)
		}
	}
	sort.Slice(m.ForeignKeys, func(i, j int) bool {
		a, b := m.ForeignKeys[i], m.ForeignKeys[j]
		return a.ChildSchema+"."+a.ChildTable < b.ChildSchema+"."+b.ChildTable
	})
	sort.Strings(m.Schemas)
	sort.Slice(m.Relations, func(i, j int) bool {
		a, b := m.Relations[i], m.Relations[j]
		return a.Schema < b.Schema || a.Schema == b.Schema && a.Name < b.Name
	})
	sort.Slice(m.Functions, func(i, j int) bool {
		a, b := m.Functions[i], m.Functions[j]
		return a.Schema < b.Schema || a.Schema == b.Schema && a.Name < b.Name
	})
	// Visible: the first of its name along the search path, as
	// pg_table_is_visible says (computed here: cheaper than per row).
	rank := map[string]int{}
	for i, s := range path {
		if _, ok := rank[s]; !ok {
			rank[s] = i
		}
	}
	best := map[string]int{}
	for _, x := range m.Relations {
		if r, ok := rank[x.Schema]; ok {
			if b, seen := best[x.Name]; !seen || r < b {
				best[x.Name] = r
			}
		}
	}
	for _, x := range m.Relations {
		if r, ok := rank[x.Schema]; ok && best[x.Name] == r {
			x.Visible = true
		}
	}
	for i, f := range m.Functions {
		_, m.Functions[i].Visible = rank[f.Schema]
	}
	return m.Index(), nil
}

// columnNames names the column numbers of an int2vector's text ("{2,3}").
func columnNames(nums map[int]string, vec string) ([]string, bool) {
	vec = strings.Trim(vec, "{}")
	if vec == "" || nums == nil {
		return nil, false
	}
	var out []string
	for _, f := range strings.Split(vec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || nums[n] == "" {
			return nil, false
		}
		out = append(out, nums[n])
	}
	return out, true
}
