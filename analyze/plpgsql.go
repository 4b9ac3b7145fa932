package analyze

import (
	"encoding/json"
	"fmt"
	"strings"

	pg "github.com/safesql/safesql/analyze/pgparse"
)

// do analyses a DO block: PL/pgSQL bodies are parsed and every SQL statement
// and expression in them classified; anything else is opaque.
func (s *state) do(x *pg.DoStmt) {
	body, lang := "", "plpgsql"
	for _, a := range x.Args {
		d := a.GetDefElem()
		if d == nil {
			continue
		}
		switch d.Defname {
		case "as":
			body = defString(d)
		case "language":
			lang = strings.ToLower(defString(d))
		}
	}
	if lang != "plpgsql" {
		s.add(Destructive, fmt.Sprintf("DO block in %s: the analyzer cannot see what it does", lang), FlagOpaque)
		return
	}
	before := len(s.parts)
	s.plpgsql(body)
	for i := before; i < len(s.parts); i++ {
		s.parts[i].reason = "DO block: " + s.parts[i].reason
	}
}

// plpgsql classifies the SQL inside a PL/pgSQL body.
func (s *state) plpgsql(body string) {
	if s.depth > 8 {
		s.add(Destructive, "PL/pgSQL nested too deeply to analyse", FlagOpaque)
		return
	}
	tag := "safesql"
	for i := 0; strings.Contains(body, "$"+tag+"$"); i++ {
		tag = fmt.Sprintf("safesql%d", i)
	}
	src := "CREATE FUNCTION safesql_do() RETURNS void LANGUAGE plpgsql AS $" + tag + "$" + body + "$" + tag + "$"
	js, err := pg.ParsePlPgSQLToJSON(src)
	if err != nil {
		s.add(Destructive, "cannot parse the PL/pgSQL body: "+err.Error(), FlagUnparsed)
		return
	}
	var tree any
	if err := json.Unmarshal([]byte(js), &tree); err != nil {
		s.add(Destructive, "cannot read the PL/pgSQL tree: "+err.Error(), FlagUnparsed)
		return
	}
	s.depth++
	s.plNode(tree, "")
	s.depth--
}

func (s *state) plNode(v any, key string) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			s.plNode(e, key)
		}
	case map[string]any:
		for k, e := range x {
			switch k {
			case "PLpgSQL_stmt_dynexecute", "PLpgSQL_stmt_dynfors":
				s.add(Destructive, "EXECUTE of dynamic SQL: the analyzer cannot see what it runs", FlagOpaque)
			case "dynquery":
				if e != nil {
					s.add(Destructive, "a cursor or RETURN QUERY over dynamic SQL: the analyzer cannot see what it runs", FlagOpaque)
				}
			case "PLpgSQL_expr":
				if m, ok := e.(map[string]any); ok {
					q, _ := m["query"].(string)
					mode, _ := m["parseMode"].(float64)
					s.plExpr(q, int(mode))
				}
				continue
			}
			s.plNode(e, k)
		}
	}
}

// plExpr classifies one PL/pgSQL expression or statement. parseMode follows
// PostgreSQL's RawParseMode: 0 a statement, 2 an expression, 3-5 an
// assignment "target := expression".
func (s *state) plExpr(q string, mode int) {
	if strings.TrimSpace(q) == "" {
		return
	}
	var sql string
	switch mode {
	case 0:
		sql = q
	case 2:
		sql = "SELECT " + q
	default:
		if i := strings.Index(q, ":="); i >= 0 {
			sql = "SELECT " + q[i+2:]
		} else if i := strings.IndexByte(q, '='); i >= 0 {
			sql = "SELECT " + q[i+1:]
		} else {
			sql = "SELECT " + q
		}
	}
	s.classifyText(sql)
}
