package shell

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/engine"

	"github.com/safesql/safesql/repl/meta"
	"github.com/safesql/safesql/repl/render"
)

// loImport is \lo_import FILE [COMMENT]. For it, \lo_export and
// \lo_unlink the file is read and written here (client side, as psql does); the
// large object is made and removed by SQL that goes through the
// session's rules like any statement (a write in read-only production is
// refused, \lo_unlink is destructive).
func (s *Session) loImport(ctx context.Context, e *meta.Env) metaResult {
	if len(e.Args) == 0 {
		return s.metaErr(`\lo_import: missing required argument`)
	}
	data, err := os.ReadFile(e.Args[0])
	if err != nil {
		// libpq's message, shown as psql shows libpq's.
		fmt.Fprintf(s.streams.Err, "%scould not open file \"%s\": %s\n", s.prefix(), e.Args[0], osMessage(err))
		return metaResult{err: engine.ErrStatementFailed}
	}
	sql := "SELECT pg_catalog.lo_from_bytea(0, pg_catalog.decode('" + hex.EncodeToString(data) + "', 'hex'))"
	oid, err := s.execCaptured(ctx, sql)
	if err != nil {
		return metaResult{err: err}
	}
	if len(e.Args) > 1 {
		if _, err := s.execCaptured(ctx, "COMMENT ON LARGE OBJECT "+oid+" IS "+analyze.QuoteLiteral(e.Args[1])); err != nil {
			return metaResult{err: err}
		}
	}
	s.Vars.Set("LASTOID", oid)
	s.largeObjectResult("lo_import " + oid)
	return metaResult{}
}

// loExport is \lo_export LOBOID FILE.
func (s *Session) loExport(ctx context.Context, e *meta.Env) metaResult {
	if len(e.Args) < 2 {
		return s.metaErr(`\lo_export: missing required argument`)
	}
	sql := "SELECT pg_catalog.encode(pg_catalog.lo_get(" + analyze.QuoteLiteral(e.Args[0]) + "::pg_catalog.oid), 'hex')"
	_, rows, err := s.Query(ctx, sql)
	if err != nil {
		return metaResult{err: s.report("", err)}
	}
	if len(rows) != 1 || rows[0][0] == nil {
		return s.metaErr(fmt.Sprintf("large object %s does not exist", e.Args[0]))
	}
	data, err := hex.DecodeString(string(rows[0][0]))
	if err != nil {
		return s.metaErr(fmt.Sprintf(`\lo_export: %v`, err))
	}
	if err := os.WriteFile(e.Args[1], data, 0o666); err != nil {
		return s.metaErr(fmt.Sprintf(`could not open file "%s": %s`, e.Args[1], osMessage(err)))
	}
	s.largeObjectResult("lo_export")
	return metaResult{}
}

// loUnlink is \lo_unlink LOBOID.
func (s *Session) loUnlink(ctx context.Context, e *meta.Env) metaResult {
	if len(e.Args) == 0 {
		return s.metaErr(`\lo_unlink: missing required argument`)
	}
	if _, err := s.execCaptured(ctx, "SELECT pg_catalog.lo_unlink("+analyze.QuoteLiteral(e.Args[0])+"::pg_catalog.oid)"); err != nil {
		return metaResult{err: err}
	}
	s.largeObjectResult("lo_unlink " + e.Args[0])
	return metaResult{}
}

// largeObjectResult prints what psql prints after a large-object command
// (nothing when quiet; a paragraph in HTML output).
func (s *Session) largeObjectResult(msg string) {
	if s.quiet() {
		return
	}
	if s.Print.Format == render.HTML {
		fmt.Fprintf(s.out, "<p>%s</p>\n", msg)
		return
	}
	fmt.Fprintln(s.out, msg)
}

// execCaptured runs sql through the session's rules, like a typed
// statement, and returns its single value instead of printing it.
func (s *Session) execCaptured(ctx context.Context, sql string) (string, error) {
	var buf bytes.Buffer
	out, print, lastQuery := s.out, s.Print, s.lastQuery
	s.out = &buf
	s.Print = render.DefaultOptions()
	s.Print.Format, s.Print.TuplesOnly, s.Print.Footer = render.Unaligned, true, false
	err := s.quietly(func() error { return s.Exec(ctx, sql, nil) })
	s.out, s.Print, s.lastQuery = out, print, lastQuery
	return strings.TrimSpace(buf.String()), err
}

// quietly runs fn with QUIET on (no command tags), then puts QUIET back.
func (s *Session) quietly(fn func() error) error {
	quiet, wasSet := s.Vars.Get("QUIET")
	s.Vars.Set("QUIET", "on")
	defer func() {
		if wasSet {
			s.Vars.Set("QUIET", quiet)
		} else {
			s.Vars.Unset("QUIET")
		}
	}()
	return fn()
}
