package analyze

import (
	"math/big"
	"strings"

	pg "github.com/safesql/safesql/analyze/pgparse"
)

// tri is SQL's three-valued logic plus "depends on the data".
type tri uint8

const (
	tUnknown tri = iota // depends on the rows
	tTrue
	tFalse
	tNull
)

// constant is a folded literal.
type constant struct {
	kind byte // 'n' number, 's' string (unknown-typed literal), 'b' boolean, '0' NULL
	num  *big.Rat
	str  string
	b    bool
}

// truth folds a boolean expression as far as literals allow. It is used
// only to warn (tautology): an unknown answer is always safe.
func truth(n *pg.Node) tri {
	if n == nil {
		return tUnknown
	}
	switch x := n.Node.(type) {
	case *pg.Node_BoolExpr:
		return boolExpr(x.BoolExpr)
	case *pg.Node_AExpr:
		return aExpr(x.AExpr)
	case *pg.Node_NullTest:
		c, ok := fold(x.NullTest.Arg)
		if !ok {
			return tUnknown
		}
		isNull := c.kind == '0'
		if x.NullTest.Nulltesttype == pg.NullTestType_IS_NOT_NULL {
			isNull = !isNull
		}
		return triOf(isNull)
	case *pg.Node_BooleanTest:
		v := truth(x.BooleanTest.Arg)
		if v == tUnknown {
			return tUnknown
		}
		switch x.BooleanTest.Booltesttype {
		case pg.BoolTestType_IS_TRUE:
			return triOf(v == tTrue)
		case pg.BoolTestType_IS_NOT_TRUE:
			return triOf(v != tTrue)
		case pg.BoolTestType_IS_FALSE:
			return triOf(v == tFalse)
		case pg.BoolTestType_IS_NOT_FALSE:
			return triOf(v != tFalse)
		case pg.BoolTestType_IS_UNKNOWN:
			return triOf(v == tNull)
		case pg.BoolTestType_IS_NOT_UNKNOWN:
			return triOf(v != tNull)
		}
	case *pg.Node_SubLink:
		// EXISTS (SELECT 1) with no FROM, WHERE or LIMIT: always a row.
		sl := x.SubLink
		if sl.SubLinkType == pg.SubLinkType_EXISTS_SUBLINK {
			if sel := sl.Subselect.GetSelectStmt(); sel != nil && len(sel.FromClause) == 0 && sel.WhereClause == nil &&
				sel.HavingClause == nil && sel.LimitCount == nil && sel.Op == pg.SetOperation_SETOP_NONE && len(sel.ValuesLists) == 0 {
				return tTrue
			}
		}
		return tUnknown
	}
	c, ok := fold(n)
	if !ok {
		return tUnknown
	}
	return constTruth(c)
}

func triOf(b bool) tri {
	if b {
		return tTrue
	}
	return tFalse
}

func constTruth(c constant) tri {
	switch c.kind {
	case 'b':
		return triOf(c.b)
	case '0':
		return tNull
	case 's':
		if b, ok := ParseBool(c.str); ok {
			return triOf(b)
		}
	}
	return tUnknown
}

func boolExpr(b *pg.BoolExpr) tri {
	switch b.Boolop {
	case pg.BoolExprType_NOT_EXPR:
		if len(b.Args) != 1 {
			return tUnknown
		}
		switch truth(b.Args[0]) {
		case tTrue:
			return tFalse
		case tFalse:
			return tTrue
		case tNull:
			return tNull
		}
		return tUnknown
	case pg.BoolExprType_OR_EXPR:
		if complementaryNullTests(b.Args) {
			return tTrue // x IS NULL OR x IS NOT NULL
		}
		res := tFalse
		for _, a := range b.Args {
			switch truth(a) {
			case tTrue:
				return tTrue
			case tUnknown:
				res = tUnknown
			case tNull:
				if res == tFalse {
					res = tNull
				}
			}
		}
		return res
	case pg.BoolExprType_AND_EXPR:
		res := tTrue
		for _, a := range b.Args {
			switch truth(a) {
			case tFalse:
				return tFalse
			case tUnknown:
				res = tUnknown
			case tNull:
				if res == tTrue {
					res = tNull
				}
			}
		}
		return res
	}
	return tUnknown
}

func opName(names []*pg.Node) string {
	if len(names) == 0 {
		return ""
	}
	if s := names[len(names)-1].GetString_(); s != nil {
		return s.Sval
	}
	return ""
}

func aExpr(e *pg.A_Expr) tri {
	op := opName(e.Name)
	switch e.Kind {
	case pg.A_Expr_Kind_AEXPR_OP:
		if sameColumn(e.Lexpr, e.Rexpr) {
			switch op {
			case "=", "<=", ">=":
				return tTrue
			case "<>", "!=", "<", ">":
				return tFalse
			}
			return tUnknown
		}
		l, ok1 := fold(e.Lexpr)
		r, ok2 := fold(e.Rexpr)
		if !ok1 || !ok2 {
			return tUnknown
		}
		return compare(op, l, r)
	case pg.A_Expr_Kind_AEXPR_NOT_DISTINCT, pg.A_Expr_Kind_AEXPR_DISTINCT:
		want := e.Kind == pg.A_Expr_Kind_AEXPR_NOT_DISTINCT
		if sameColumn(e.Lexpr, e.Rexpr) {
			return triOf(want)
		}
		l, ok1 := fold(e.Lexpr)
		r, ok2 := fold(e.Rexpr)
		if !ok1 || !ok2 {
			return tUnknown
		}
		if l.kind == '0' || r.kind == '0' {
			return triOf((l.kind == r.kind) == want)
		}
		eq := compare("=", l, r)
		if eq == tUnknown {
			return tUnknown
		}
		return triOf((eq == tTrue) == want)
	case pg.A_Expr_Kind_AEXPR_IN:
		list := e.Rexpr.GetList()
		if list != nil && op == "=" {
			for _, it := range list.Items {
				if sameColumn(e.Lexpr, it) {
					return tTrue // x IN (..., x, ...)
				}
			}
		}
		l, ok := fold(e.Lexpr)
		if !ok || list == nil {
			return tUnknown
		}
		res := tFalse
		for _, it := range list.Items {
			r, ok := fold(it)
			if !ok {
				return tUnknown
			}
			switch compare("=", l, r) {
			case tTrue:
				res = tTrue
			case tUnknown:
				return tUnknown
			case tNull:
				if res == tFalse {
					res = tNull
				}
			}
		}
		if op == "<>" { // NOT IN
			switch res {
			case tTrue:
				return tFalse
			case tFalse:
				return tTrue
			}
		}
		return res
	case pg.A_Expr_Kind_AEXPR_BETWEEN, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN:
		l, ok := fold(e.Lexpr)
		list := e.Rexpr.GetList()
		if !ok || list == nil || len(list.Items) != 2 {
			return tUnknown
		}
		lo, ok1 := fold(list.Items[0])
		hi, ok2 := fold(list.Items[1])
		if !ok1 || !ok2 {
			return tUnknown
		}
		a, b := compare(">=", l, lo), compare("<=", l, hi)
		if a == tUnknown || b == tUnknown || a == tNull || b == tNull {
			return tUnknown
		}
		in := a == tTrue && b == tTrue
		if e.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN {
			in = !in
		}
		return triOf(in)
	case pg.A_Expr_Kind_AEXPR_LIKE, pg.A_Expr_Kind_AEXPR_ILIKE:
		// x LIKE '%' is true for every non-null x; only a literal x is certain.
		l, ok1 := fold(e.Lexpr)
		r, ok2 := fold(e.Rexpr)
		if ok1 && ok2 && l.kind == 's' && r.kind == 's' && strings.Trim(r.str, "%") == "" && r.str != "" && (op == "~~" || op == "~~*") {
			return tTrue
		}
	}
	return tUnknown
}

func sameColumn(a, b *pg.Node) bool {
	ca, cb := a.GetColumnRef(), b.GetColumnRef()
	if ca == nil || cb == nil || len(ca.Fields) != len(cb.Fields) || len(ca.Fields) == 0 {
		return false
	}
	for i := range ca.Fields {
		sa, sb := ca.Fields[i].GetString_(), cb.Fields[i].GetString_()
		if sa == nil || sb == nil || sa.Sval != sb.Sval {
			return false
		}
	}
	return true
}

// fold evaluates a literal, possibly cast or parenthesised.
func fold(n *pg.Node) (constant, bool) {
	if n == nil {
		return constant{}, false
	}
	switch x := n.Node.(type) {
	case *pg.Node_AConst:
		c := x.AConst
		if c.Isnull {
			return constant{kind: '0'}, true
		}
		switch v := c.Val.(type) {
		case *pg.A_Const_Ival:
			return constant{kind: 'n', num: new(big.Rat).SetInt64(int64(v.Ival.Ival))}, true
		case *pg.A_Const_Fval:
			r, ok := parseNum(v.Fval.Fval)
			if !ok {
				return constant{}, false
			}
			return constant{kind: 'n', num: r}, true
		case *pg.A_Const_Boolval:
			return constant{kind: 'b', b: v.Boolval.Boolval}, true
		case *pg.A_Const_Sval:
			return constant{kind: 's', str: v.Sval.Sval}, true
		}
	case *pg.Node_TypeCast:
		c, ok := fold(x.TypeCast.Arg)
		if !ok || x.TypeCast.TypeName == nil {
			return constant{}, false
		}
		if c.kind == '0' {
			return c, true
		}
		switch joinNames(x.TypeCast.TypeName.Names) {
		case "bool", "boolean":
			switch c.kind {
			case 'b':
				return c, true
			case 's':
				if b, ok := ParseBool(c.str); ok {
					return constant{kind: 'b', b: b}, true
				}
			case 'n':
				if c.num.IsInt() {
					return constant{kind: 'b', b: c.num.Sign() != 0}, true
				}
			}
			return constant{}, false
		case "int2", "int4", "int8", "integer", "int", "bigint", "smallint", "numeric", "float4", "float8", "real", "double precision":
			switch c.kind {
			case 'n':
				return c, true
			case 's':
				if r, ok := parseNum(c.str); ok {
					return constant{kind: 'n', num: r}, true
				}
			}
			return constant{}, false
		case "text", "varchar", "bpchar", "char", "name", "character varying", "character":
			if c.kind == 's' {
				return c, true
			}
			return constant{}, false
		}
		return constant{}, false
	case *pg.Node_AExpr:
		// Unary minus on a number.
		e := x.AExpr
		if e.Kind == pg.A_Expr_Kind_AEXPR_OP && e.Lexpr == nil && opName(e.Name) == "-" {
			c, ok := fold(e.Rexpr)
			if ok && c.kind == 'n' {
				return constant{kind: 'n', num: new(big.Rat).Neg(c.num)}, true
			}
		}
	}
	return constant{}, false
}

// ParseBool reads a boolean as PostgreSQL's parse_bool does (a boolean
// literal, a boolean setting) and psql's variables do: true/false, yes/no
// and unique prefixes of them, on/off (at least two letters), 1/0, in any
// case, with surrounding blanks ignored.
func ParseBool(s string) (value, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return false, false
	case s == "1":
		return true, true
	case s == "0":
		return false, true
	case strings.HasPrefix("true", s), strings.HasPrefix("yes", s):
		return true, true
	case strings.HasPrefix("false", s), strings.HasPrefix("no", s):
		return false, true
	case len(s) >= 2 && strings.HasPrefix("on", s):
		return true, true
	case len(s) >= 2 && strings.HasPrefix("off", s):
		return false, true
	}
	return false, false
}

// compare folds l op r for literals of compatible types.
func compare(op string, l, r constant) tri {
	if l.kind == '0' || r.kind == '0' {
		return tNull
	}
	var c int
	switch {
	case l.kind == 'n' && r.kind == 'n':
		c = l.num.Cmp(r.num)
	case l.kind == 's' && r.kind == 's':
		if op != "=" && op != "<>" && op != "!=" {
			return tUnknown // collation-dependent
		}
		c = strings.Compare(l.str, r.str)
	case l.kind == 'n' && r.kind == 's', l.kind == 's' && r.kind == 'n':
		// An unknown literal takes the number's type.
		sv, nv := r, l
		if l.kind == 's' {
			sv, nv = l, r
		}
		num, ok := parseNum(sv.str)
		if !ok {
			return tUnknown
		}
		if l.kind == 's' {
			c = num.Cmp(nv.num)
		} else {
			c = nv.num.Cmp(num)
		}
	case l.kind == 'b' || r.kind == 'b':
		lb, ok1 := asBool(l)
		rb, ok2 := asBool(r)
		if !ok1 || !ok2 {
			return tUnknown
		}
		switch op {
		case "=":
			return triOf(lb == rb)
		case "<>", "!=":
			return triOf(lb != rb)
		}
		return tUnknown
	default:
		return tUnknown
	}
	switch op {
	case "=":
		return triOf(c == 0)
	case "<>", "!=":
		return triOf(c != 0)
	case "<":
		return triOf(c < 0)
	case "<=":
		return triOf(c <= 0)
	case ">":
		return triOf(c > 0)
	case ">=":
		return triOf(c >= 0)
	}
	return tUnknown
}

func asBool(c constant) (bool, bool) {
	switch c.kind {
	case 'b':
		return c.b, true
	case 's':
		return ParseBool(c.str)
	}
	return false, false
}

// parseNum reads a decimal literal; exponents and very long literals are not
// folded (big.Rat would expand 1e999999999 digit by digit).
func parseNum(s string) (*big.Rat, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 || strings.ContainsAny(s, "eExX_/") {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

// complementaryNullTests reports whether an OR's arguments include both
// "x IS NULL" and "x IS NOT NULL" for the same column.
func complementaryNullTests(args []*pg.Node) bool {
	for i, a := range args {
		na := a.GetNullTest()
		if na == nil {
			continue
		}
		for _, b := range args[i+1:] {
			nb := b.GetNullTest()
			if nb != nil && na.Nulltesttype != nb.Nulltesttype && sameColumn(na.Arg, nb.Arg) {
				return true
			}
		}
	}
	return false
}
