package dryrun

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
)

// reachableCodeSQL lists the code a statement can run without naming it:
// the triggers and rules of the tables it names and of the tables their
// foreign keys cascade to, the views it names, and the functions it calls
// (by the names the analyzer could not resolve), each with its language
// and source. $1 holds the relation names, $2 the function names.
const reachableCodeSQL = `WITH RECURSIVE rels AS (
	SELECT to_regclass(n)::oid AS oid FROM unnest($1::text[]) AS n WHERE to_regclass(n) IS NOT NULL
	UNION
	SELECT k.conrelid FROM pg_constraint k JOIN rels r ON k.confrelid = r.oid
		WHERE k.contype = 'f' AND (k.confdeltype IN ('c','n','d') OR k.confupdtype IN ('c','n','d'))
)
SELECT 'trigger ' || t.tgname || ' on ' || t.tgrelid::regclass::text, p.proname, l.lanname, n.nspname, p.prosrc
	FROM pg_trigger t JOIN rels r ON t.tgrelid = r.oid JOIN pg_proc p ON p.oid = t.tgfoid
	JOIN pg_language l ON l.oid = p.prolang JOIN pg_namespace n ON n.oid = p.pronamespace
	WHERE NOT t.tgisinternal
UNION ALL
SELECT 'rule ' || w.rulename || ' on ' || w.ev_class::regclass::text, '', 'rule', '', pg_get_ruledef(w.oid)
	FROM pg_rewrite w JOIN rels r ON w.ev_class = r.oid WHERE w.rulename <> '_RETURN'
UNION ALL
SELECT 'view ' || c.oid::regclass::text, '', 'view', '', pg_get_viewdef(c.oid)
	FROM rels r JOIN pg_class c ON c.oid = r.oid WHERE c.relkind IN ('v', 'm')
UNION ALL
SELECT 'function ' || p.oid::regprocedure::text, p.proname, l.lanname, n.nspname, p.prosrc
	FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang JOIN pg_namespace n ON n.oid = p.pronamespace
	WHERE p.prokind IN ('f', 'p') AND (p.proname = ANY ($2::text[]) OR n.nspname || '.' || p.proname = ANY ($2::text[]))
		AND n.nspname <> 'pg_catalog'`

// maxReachDepth bounds how far the probe follows views into views and
// functions into functions; what lies deeper is not tried.
const maxReachDepth = 4

// unseenCode says why running sql in a dry run could reach code with
// effects a rollback does not undo: a trigger, rule, view or function
// whose body calls such a thing, cannot be seen into, or is written in a
// language the analyzer does not read. "" when everything it reaches was
// read and is safe to try.
func unseenCode(ctx context.Context, conn *pgconn.PgConn, v analyze.Verdict) (string, error) {
	seen := map[string]bool{}
	rels, funcs := relationsOf(v), append([]string(nil), v.Calls...)
	for depth := 0; len(rels)+len(funcs) > 0; depth++ {
		if depth >= maxReachDepth {
			return "it reaches code nested deeper than the dry run follows", nil
		}
		res := conn.ExecParams(ctx, reachableCodeSQL,
			[][]byte{[]byte(textArray(rels)), []byte(textArray(funcs))}, nil, nil, nil).Read()
		if res.Err != nil {
			return "", res.Err
		}
		rels, funcs = nil, nil
		for _, r := range res.Rows {
			what, name, lang, schema, src := string(r[0]), string(r[1]), string(r[2]), string(r[3]), string(r[4])
			if seen[what] {
				continue
			}
			seen[what] = true
			code, ok := readCode(name, lang, schema, src)
			if !ok {
				return fmt.Sprintf("the %s is written in %s, which the dry run cannot see into", what, lang), nil
			}
			if code.Has(analyze.FlagUntryable) || code.Has(analyze.FlagUnparsed) {
				return fmt.Sprintf("the %s %s", what, firstUntryable(code)), nil
			}
			rels = append(rels, relationsOf(code)...)
			funcs = append(funcs, code.Calls...)
		}
	}
	return "", nil
}

// readCode classifies one reachable body: a function's (by defining it in
// a fresh analyzer and calling it), a rule's or a view's definition. ok is
// false for a language the analyzer does not read.
func readCode(name, lang, schema, src string) (analyze.Verdict, bool) {
	switch lang {
	case "rule", "view":
		return analyze.Classify(src), true
	case "plpgsql", "sql":
		a := analyze.NewAnalyzer()
		tag := "$safesql_body$"
		if strings.Contains(src, tag) {
			return analyze.Verdict{}, false
		}
		returns := "void"
		if lang == "plpgsql" {
			returns = "trigger" // a plpgsql body that returns NEW or OLD reads as a trigger's
		}
		probe := "safesql_probe_" + name
		a.Classify(fmt.Sprintf("CREATE FUNCTION %s() RETURNS %s LANGUAGE %s AS %s%s%s", probe, returns, lang, tag, src, tag))
		return a.Classify("SELECT " + probe + "()"), true
	case "internal", "c":
		// built into the server or an extension's C code: only trusted
		// when it lives in pg_catalog (the probe lists no such function)
		return analyze.Verdict{}, schema == "pg_catalog"
	}
	return analyze.Verdict{}, false
}

// relationsOf are the tables and views v names, as written.
func relationsOf(v analyze.Verdict) []string {
	var out []string
	for _, t := range v.Targets {
		if t.Name == "" || (t.Kind != "" && t.Kind != "table" && t.Kind != "view") {
			continue
		}
		if t.Schema != "" {
			out = append(out, analyze.QuoteIdent(t.Schema)+"."+analyze.QuoteIdent(t.Name))
		} else {
			out = append(out, analyze.QuoteIdent(t.Name))
		}
	}
	return out
}

// firstUntryable is the reason that made code untryable.
func firstUntryable(code analyze.Verdict) string {
	for _, r := range code.Reasons {
		if strings.Contains(r, "rollback does not undo") || strings.Contains(r, "cannot see") {
			return r
		}
	}
	if len(code.Reasons) > 0 {
		return code.Reasons[0]
	}
	return "has effects a rollback does not undo"
}

// textArray is a PostgreSQL text[] literal of items.
func textArray(items []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(it))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}
