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

	"github.com/safesql/safesql/repl/render"
)

// largeObjectCommands are psql's \lo_import, \lo_export and \lo_unlink.
// The file is read and written here (client side, as psql does); the
// large object is made and removed by SQL that goes through the
// session's rules like any statement (a write in read-only production is
// refused, \lo_unlink is destructive).
func largeObjectCommands() []metaCommand {
	return []metaCommand{
		{[]string{"lo_import"}, `\lo_import FILE [COMMENT]
                         read large object from file`, func(s *Session, e metaEnv) metaResult {
			if len(e.args) == 0 {
				return s.metaErr(`\lo_import: missing required argument`)
			}
			data, err := os.ReadFile(e.args[0])
			if err != nil {
				// libpq's message, shown as psql shows libpq's.
				fmt.Fprintf(s.streams.Err, "%scould not open file \"%s\": %s\n", s.prefix(), e.args[0], osMessage(err))
				return metaResult{err: engine.ErrStatementFailed}
			}
			sql := "SELECT pg_catalog.lo_from_bytea(0, pg_catalog.decode('" + hex.EncodeToString(data) + "', 'hex'))"
			oid, err := s.execCaptured(e.ctx, sql)
			if err != nil {
				return metaResult{err: err}
			}
			if len(e.args) > 1 {
				if _, err := s.execCaptured(e.ctx, "COMMENT ON LARGE OBJECT "+oid+" IS "+analyze.QuoteLiteral(e.args[1])); err != nil {
					return metaResult{err: err}
				}
			}
			s.Vars.Set("LASTOID", oid)
			s.largeObjectResult("lo_import " + oid)
			return metaResult{}
		}},
		{[]string{"lo_export"}, `\lo_export LOBOID FILE write large object to file`, func(s *Session, e metaEnv) metaResult {
			if len(e.args) < 2 {
				return s.metaErr(`\lo_export: missing required argument`)
			}
			sql := "SELECT pg_catalog.encode(pg_catalog.lo_get(" + analyze.QuoteLiteral(e.args[0]) + "::pg_catalog.oid), 'hex')"
			_, rows, err := s.Query(e.ctx, sql)
			if err != nil {
				return metaResult{err: s.report("", err)}
			}
			if len(rows) != 1 || rows[0][0] == nil {
				return s.metaErr(fmt.Sprintf("large object %s does not exist", e.args[0]))
			}
			data, err := hex.DecodeString(string(rows[0][0]))
			if err != nil {
				return s.metaErr(fmt.Sprintf(`\lo_export: %v`, err))
			}
			if err := os.WriteFile(e.args[1], data, 0o666); err != nil {
				return s.metaErr(fmt.Sprintf(`could not open file "%s": %s`, e.args[1], osMessage(err)))
			}
			s.largeObjectResult("lo_export")
			return metaResult{}
		}},
		{[]string{"lo_unlink"}, `\lo_unlink LOBOID      delete a large object`, func(s *Session, e metaEnv) metaResult {
			if len(e.args) == 0 {
				return s.metaErr(`\lo_unlink: missing required argument`)
			}
			if _, err := s.execCaptured(e.ctx, "SELECT pg_catalog.lo_unlink("+analyze.QuoteLiteral(e.args[0])+"::pg_catalog.oid)"); err != nil {
				return metaResult{err: err}
			}
			s.largeObjectResult("lo_unlink " + e.args[0])
			return metaResult{}
		}},
	}
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
