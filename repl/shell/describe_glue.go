package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/engine"

	"github.com/safesql/safesql/repl/pg"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/repl/describe"
	"github.com/safesql/safesql/repl/render"
)

// hiddenQuerier shows the catalogue queries of the describing commands
// when ECHO_HIDDEN is on, as psql -E does.
type hiddenQuerier struct{ s *Session }

func (h hiddenQuerier) Query(ctx context.Context, sql string) ([]render.Column, [][][]byte, error) {
	switch v, _ := h.s.Vars.Get("ECHO_HIDDEN"); {
	case strings.EqualFold(v, "noexec"):
		fmt.Fprintf(h.s.streams.Out, "********* QUERY **********\n%s\n**************************\n\n", sql)
		return nil, nil, nil
	case isOn(v):
		fmt.Fprintf(h.s.streams.Out, "********* QUERY **********\n%s\n**************************\n\n", sql)
	}
	return h.s.Query(ctx, sql)
}

func isOn(v string) bool {
	b, _ := analyze.ParseBool(v)
	return b
}

// describeMeta runs \d and its family through package describe.
func (s *Session) describeMeta(ctx context.Context, name string, args []string) metaResult {
	version := pg.ServerVersionNum(s.Conn())
	cfg := describe.Config{
		Print:         s.Print,
		ServerVersion: version,
		Quiet:         s.quiet(),
		HideTableAM:   isOn(s.Vars.getOr("HIDE_TABLEAM")),
	}
	// A listing taller than the screen is paged, as psql pages it.
	out, paged := s.pager(s.Print.Pager)
	if s.logFile != nil && s.Print.Format == render.Aligned && s.Print.Expanded == render.ExpandedOff {
		// The session log gets the listing too (psql logs it aligned).
		out = io.MultiWriter(out, s.logFile)
	}
	err := describe.Run(ctx, hiddenQuerier{s}, out, cfg, name, args)
	_ = paged()
	var derr *describe.Error
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return metaResult{}
	case errors.As(err, &derr):
		if derr.Msg == "" { // QUIET
			if derr.Failed {
				return metaResult{err: engine.ErrStatementFailed}
			}
			return metaResult{}
		}
		if !derr.Failed {
			s.metaLog("error", derr.Msg)
			return metaResult{}
		}
		return s.metaErr(derr.Msg)
	case errors.As(err, &pgErr):
		return metaResult{err: s.report("", err)}
	}
	return s.metaErr(err.Error())
}

// metaLog prints a message the way psql's logging does: in a script with
// the location and the level ("error", "warning"), else the bare message.
func (s *Session) metaLog(level, msg string) {
	if s.script {
		fmt.Fprintf(s.streams.Err, "%s%s: %s\n", s.prefix(), level, msg)
		return
	}
	fmt.Fprintln(s.streams.Err, msg)
}
