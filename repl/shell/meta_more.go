package shell

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/safesql/safesql/repl/engine"

	"github.com/safesql/safesql/repl/pg"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/meta"
	"github.com/safesql/safesql/repl/render"
)

// errVerbose is \errverbose.
func (s *Session) errVerbose() metaResult {
	if s.lastErr == nil {
		fmt.Fprintln(s.streams.Out, "There is no previous error.")
		return metaResult{}
	}
	var b strings.Builder
	render.ErrorVerbosity(&b, s.lastErr, s.lastErrQuery, "", render.VerbosityVerbose, render.ContextAlways)
	// psql logs it as an error of its own: "error: ERROR:  ...".
	if s.script {
		fmt.Fprintf(s.streams.Err, "%serror: %s", s.prefix(), b.String())
	} else {
		fmt.Fprint(s.streams.Err, b.String())
	}
	return metaResult{}
}

// editView is \ev [VIEWNAME [LINE]].
func (s *Session) editView(ctx context.Context, e *meta.Env) metaResult {
	if err := s.editorGate(e.Name); err != nil {
		return s.metaErr(err.Error())
	}
	text := "CREATE VIEW  AS\n SELECT \n  -- something...\n"
	if len(e.Args) > 0 {
		_, rows, err := s.Query(ctx, "SELECT "+analyze.QuoteLiteral(e.Args[0])+"::pg_catalog.regclass::pg_catalog.oid")
		if err != nil {
			return s.sourceError(err)
		}
		if len(rows) != 1 || rows[0][0] == nil {
			return s.metaErr(fmt.Sprintf(`\ev: could not find %s`, e.Args[0]))
		}
		if text, err = s.viewSource(ctx, string(rows[0][0])); err != nil {
			return s.sourceError(err)
		}
		text += "\n"
	}
	return s.editAndRun(ctx, text, e.Args, 0, nil)
}

// gexec runs sql (which must be a read where the session has rules),
// then each non-null value of its result, row by row, as a statement of
// its own through the session's rules, as psql's \gexec does.
func (s *Session) gexec(ctx context.Context, sql string) metaResult {
	s.lastQuery = sql
	if s.Guarded() {
		if v := s.Classify(ctx, sql); v.Class != analyze.Read {
			return s.metaErr(fmt.Sprintf(`\gexec runs a query that reads only under %s's rules: this one is %s (%s)`, s.Policy().Tier, v.Class, engine.FirstReason(v)))
		}
	}
	_, rows, err := s.Query(ctx, sql)
	s.setResultVars(err)
	if err != nil {
		return metaResult{err: s.report(sql, err)}
	}
	var first error
	for _, row := range rows {
		for _, cell := range row {
			if cell == nil {
				continue
			}
			stmt := string(cell)
			if echo, _ := s.Vars.Get("ECHO"); strings.EqualFold(echo, "all") {
				fmt.Fprintln(s.streams.Out, stmt)
			}
			if err := s.Exec(ctx, stmt, nil); err != nil {
				if _, lost := err.(*pg.ConnectionLostError); lost {
					return metaResult{err: err}
				}
				if !s.Interactive && (errors.Is(err, engine.ErrRefused) || errors.Is(err, engine.ErrAborted)) {
					return metaResult{err: err} // a rule stopped the script
				}
				first = firstErr(first, err)
				if s.Vars.Bool("ON_ERROR_STOP") {
					return metaResult{err: first}
				}
			}
		}
	}
	return metaResult{err: first}
}

// describeResult is \gdesc: the columns sql would return and their types,
// from the server's description of the prepared statement; nothing runs.
func (s *Session) describeResult(ctx context.Context, sql string) error {
	desc, err := s.Conn().Prepare(ctx, "", sql, nil)
	if err != nil {
		s.setResultVars(err)
		return s.report(sql, err)
	}
	if len(desc.Fields) == 0 {
		fmt.Fprintln(s.out, "The command has no result, or the result has no columns.")
		return nil
	}
	var values []string
	for _, f := range desc.Fields {
		values = append(values, fmt.Sprintf("(%s, '%d'::pg_catalog.oid, %d)", analyze.QuoteLiteral(f.Name), f.DataTypeOID, f.TypeModifier))
	}
	q := `SELECT name AS "Column", pg_catalog.format_type(tp, tpm) AS "Type" FROM (VALUES ` +
		strings.Join(values, ", ") + `) s(name, tp, tpm)`
	cols, rows, err := s.Query(ctx, q)
	s.setResultVars(err)
	if err != nil {
		return s.report(q, err)
	}
	o := s.Print
	o.Title = ""
	t := render.NewTable(s.out, o, cols)
	for _, r := range rows {
		if err := t.Row(r); err != nil {
			return err
		}
	}
	return t.Close()
}

// showSource is \sf and \sv: a function's or view's CREATE statement,
// with line numbers for the + form.
func (s *Session) showSource(ctx context.Context, e *meta.Env, function bool) metaResult {
	name := strings.TrimSpace(s.interpolate(e.RawArgs))
	cmd := `\sv`
	if function {
		cmd = `\sf`
	}
	if name == "" {
		if function {
			return s.metaErr("function name is required")
		}
		return s.metaErr("view name is required")
	}
	numbered := false
	for _, n := range []string{"sf+", "sv+"} {
		if strings.HasPrefix(e.Name, n) {
			numbered = true
		}
	}
	var lookup string
	switch {
	case function && strings.Contains(name, "("):
		lookup = "SELECT " + analyze.QuoteLiteral(name) + "::pg_catalog.regprocedure::pg_catalog.oid"
	case function:
		lookup = "SELECT " + analyze.QuoteLiteral(name) + "::pg_catalog.regproc::pg_catalog.oid"
	default:
		lookup = "SELECT " + analyze.QuoteLiteral(name) + "::pg_catalog.regclass::pg_catalog.oid"
	}
	_, rows, err := s.Query(ctx, lookup)
	if err != nil {
		return s.sourceError(err)
	}
	if len(rows) != 1 || rows[0][0] == nil {
		return s.metaErr(fmt.Sprintf("%s: could not find %s", cmd, name))
	}
	oid := string(rows[0][0])
	var text string
	if function {
		_, rows, err = s.Query(ctx, "SELECT pg_catalog.pg_get_functiondef("+oid+")")
		if err != nil {
			return s.sourceError(err)
		}
		text = string(rows[0][0])
	} else {
		text, err = s.viewSource(ctx, oid)
		if err != nil {
			return s.sourceError(err)
		}
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	if numbered {
		text = numberLines(text, function)
	}
	fmt.Fprint(s.out, text)
	return metaResult{}
}

// sourceError reports a failed lookup as psql does: the server's message
// logged as an error of psql's own.
func (s *Session) sourceError(err error) metaResult {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return s.metaErr(pgErr.Severity + ":  " + pgErr.Message)
	}
	return s.metaErr(err.Error())
}

// viewSource builds a view's CREATE statement from the catalogue.
func (s *Session) viewSource(ctx context.Context, oid string) (string, error) {
	q := `SELECT n.nspname, c.relname, c.relkind, pg_catalog.pg_get_viewdef(c.oid, true),
  pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(pg_catalog.split_part(o, '=', 1)) || '=' || pg_catalog.quote_literal(pg_catalog.substr(o, pg_catalog.strpos(o, '=') + 1))
    FROM pg_catalog.unnest(c.reloptions) o WHERE o NOT IN ('check_option=local', 'check_option=cascaded')), ', '),
  CASE WHEN 'check_option=local' = ANY (c.reloptions) THEN 'LOCAL'
       WHEN 'check_option=cascaded' = ANY (c.reloptions) THEN 'CASCADED' END
FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON c.relnamespace = n.oid
WHERE c.oid = ` + oid
	_, rows, err := s.Query(ctx, q)
	if err != nil {
		return "", err
	}
	if len(rows) != 1 {
		return "", fmt.Errorf("could not find the view with OID %s", oid)
	}
	r := rows[0]
	nsp, rel, kind := string(r[0]), string(r[1]), string(r[2])
	var b strings.Builder
	switch kind {
	case "v":
		b.WriteString("CREATE OR REPLACE VIEW ")
	case "m":
		b.WriteString("CREATE MATERIALIZED VIEW ")
	default:
		return "", fmt.Errorf(`"%s.%s" is not a view`, nsp, rel)
	}
	b.WriteString(analyze.QuoteIdent(nsp) + "." + analyze.QuoteIdent(rel))
	if len(r[4]) > 0 {
		b.WriteString("\n WITH (" + string(r[4]) + ")")
	}
	def := strings.TrimRight(string(r[3]), "\n ")
	def = strings.TrimSuffix(def, ";")
	b.WriteString(" AS\n" + def)
	if r[5] != nil {
		b.WriteString("\n WITH " + string(r[5]) + " CHECK OPTION")
	}
	return b.String(), nil
}

// numberLines numbers text's lines as \sf+ and \sv+ do: a function's
// header (before its body: the line starting AS, BEGIN or RETURN) is
// indented, not numbered.
func numberLines(text string, function bool) string {
	var b strings.Builder
	inHeader := function
	n := 0
	for _, l := range strings.SplitAfter(text, "\n") {
		if l == "" {
			continue
		}
		if inHeader && (strings.HasPrefix(l, "AS ") || strings.HasPrefix(l, "BEGIN ") || strings.HasPrefix(l, "RETURN ")) {
			inHeader = false
		}
		if inHeader {
			b.WriteString("        " + l)
			continue
		}
		n++
		b.WriteString(fmt.Sprintf("%-7s ", strconv.Itoa(n)) + l)
	}
	return b.String()
}
