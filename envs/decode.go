package envs

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// go-toml's Unmarshal checks for duplicate keys by scanning every key seen
// so far, which makes a config of n environments cost O(n²): 10,000 took a
// second, 20,000 seven. decodeFast builds the same map[string]any from
// go-toml's own parser in one linear pass. It handles what a safesql config
// is made of (tables, dotted keys, strings, booleans, decimal integers,
// arrays and inline tables of those) and gives up on anything else (a
// duplicate, [[arrays of tables]], floats, dates, a syntax error), in which
// case parse falls back to go-toml's Unmarshal for its exact verdict and
// message. It never accepts a document go-toml rejects: every rule it is not
// sure of is a reason to give up.

type tableKind int

const (
	implicitTable tableKind = iota // an intermediate of a [header], may get its own header later
	headerTable                    // defined by its own [header]
	dottedTable                    // made by a dotted key (a.b = 1 makes a)
)

type decTable struct {
	m    map[string]any
	kind tableKind
	sub  map[string]*decTable // the tables among m's values, with their kinds
}

func newDecTable(kind tableKind) *decTable {
	return &decTable{m: map[string]any{}, kind: kind, sub: map[string]*decTable{}}
}

// child returns t's sub-table k, creating it with kind when k is unused;
// ok is false when k holds a value that is not a table.
func (t *decTable) child(k string, kind tableKind) (*decTable, bool) {
	if c := t.sub[k]; c != nil {
		return c, true
	}
	if _, used := t.m[k]; used {
		return nil, false
	}
	c := newDecTable(kind)
	t.sub[k], t.m[k] = c, c.m
	return c, true
}

var tomlDecimal = regexp.MustCompile(`^[+-]?(0|[1-9](_?[0-9])*)$`)

// decodeFast returns data decoded as toml.Unmarshal into a map[string]any
// would, and false when it leaves the document to go-toml.
func decodeFast(data []byte) (map[string]any, bool) {
	var p unstable.Parser
	p.Reset(data)
	root := newDecTable(headerTable)
	cur := root
	for p.NextExpression() {
		n := p.Expression()
		switch n.Kind {
		case unstable.Table:
			t := root
			it := n.Key()
			for it.Next() {
				k := string(it.Node().Data)
				c, ok := t.child(k, implicitTable)
				if !ok || c.kind == dottedTable {
					return nil, false
				}
				if it.IsLast() {
					// An implicit table holds only the tables of longer
					// headers ([a.b] before [a]), so [a] may still come.
					if c.kind != implicitTable {
						return nil, false
					}
					c.kind = headerTable
				}
				t = c
			}
			cur = t
		case unstable.KeyValue:
			t := cur
			it := n.Key()
			for it.Next() {
				k := string(it.Node().Data)
				if it.IsLast() {
					if _, used := t.m[k]; used {
						return nil, false
					}
					v, ok := decodeValue(n.Value())
					if !ok {
						return nil, false
					}
					t.m[k] = v
					break
				}
				c, ok := t.child(k, dottedTable)
				if !ok || c.kind != dottedTable {
					return nil, false
				}
				t = c
			}
		default: // [[array tables]], or a comment (not kept, so never seen)
			return nil, false
		}
	}
	if p.Error() != nil {
		return nil, false
	}
	return root.m, true
}

func decodeValue(n *unstable.Node) (any, bool) {
	switch n.Kind {
	case unstable.String:
		return string(n.Data), true
	case unstable.Bool:
		return string(n.Data) == "true", true
	case unstable.Integer:
		s := string(n.Data)
		if !tomlDecimal.MatchString(s) {
			return nil, false
		}
		i, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
		return i, err == nil
	case unstable.Array:
		out := []any{}
		kids := n.Children()
		for kids.Next() {
			v, ok := decodeValue(kids.Node())
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	case unstable.InlineTable:
		m := map[string]any{}
		kids := n.Children()
		for kids.Next() {
			kv := kids.Node()
			if kv.Kind != unstable.KeyValue {
				return nil, false
			}
			it := kv.Key()
			if !it.Next() || !it.IsLast() {
				return nil, false // dotted keys inside { }: left to go-toml
			}
			k := string(it.Node().Data)
			if _, used := m[k]; used {
				return nil, false
			}
			v, ok := decodeValue(kv.Value())
			if !ok {
				return nil, false
			}
			m[k] = v
		}
		return m, true
	}
	return nil, false
}

// lineIndex turns byte offsets into 1-based line numbers in O(log n), where
// go-toml's Parser.Shape counts the newlines from the start every time.
type lineIndex []int // offsets of the newlines

func newLineIndex(data []byte) lineIndex {
	var nl lineIndex
	for i, c := range data {
		if c == '\n' {
			nl = append(nl, i)
		}
	}
	return nl
}

func (l lineIndex) line(offset int) int {
	return sort.SearchInts(l, offset) + 1
}
