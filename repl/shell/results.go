package shell

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/render"
)

// results prints the results of one query text as psql does. When the
// text holds several statements (psql's combined queries), psql reads the
// next result before it prints one, so a notice sent while a result is
// read is shown before the result ahead of it; with SHOW_ALL_RESULTS off
// only the last result is shown. Each result of such a text is held until
// the next one has been read; a single statement's result streams.
type results struct {
	s       *Session
	w       *engine.Wrap
	multi   bool
	showAll bool
	last    *lastResult // takes the last result instead of printing it

	held *bytes.Buffer // the previous result's output, not yet shown
	cur  *bytes.Buffer // this result's output, when held
	out  io.Writer
	// this result's table, its pager and its copy in the log file
	table, logTable render.Table
	paged           func() error
	first           error
}

func (s *Session) newResults(sql string, w *engine.Wrap, last *lastResult) *results {
	r := &results{s: s, w: w, last: last, showAll: true, multi: s.combined(sql)}
	if r.multi && w != nil {
		w.Stmts = s.CountStatements(sql)
	}
	if v, _ := s.Vars.Get("SHOW_ALL_RESULTS"); v != "" {
		on, ok := analyze.ParseBool(v)
		r.showAll = on || !ok
	}
	return r
}

func (r *results) fail(err error) { r.first = firstErr(r.first, err) }

// flush shows the held result (psql has read the one after it).
func (r *results) flush() {
	if r.held != nil && r.showAll {
		_, _ = r.s.out.Write(r.held.Bytes())
	}
	r.held = nil
}

// begin starts a result with fields (nil: a command without rows).
func (r *results) begin(fields []pgconn.FieldDescription) {
	r.cur, r.out, r.table, r.logTable = nil, r.s.out, nil, nil
	r.paged = func() error { return nil }
	if r.multi || r.last != nil {
		r.cur = &bytes.Buffer{}
		r.out = r.cur
	}
	if r.last != nil {
		*r.last = lastResult{cols: resultColumns(fields), set: true}
	}
	if fields == nil {
		return
	}
	cols := resultColumns(fields)
	opts := r.s.Print
	if opts.TermWidth == 0 { // \pset columns wins over the terminal's width
		opts.TermWidth = r.s.termWidth()
	}
	if r.cur == nil {
		out, closePager := r.s.pager(opts.Pager)
		if out != r.s.out {
			// the time the person spends in the pager is not the
			// statement's (the status line's "last")
			out = timedWriter{w: out, total: &r.s.pagerTime}
		}
		r.out = out
		r.paged = func() error {
			start := time.Now()
			err := closePager()
			r.s.pagerTime += time.Since(start)
			return err
		}
	}
	r.table = render.NewTable(r.out, opts, cols)
	if r.s.logFile != nil {
		// psql logs a result aligned, whatever the output's format.
		lo := opts
		lo.Format, lo.Expanded, lo.TermWidth = render.Aligned, render.ExpandedOff, 0
		r.logTable = render.NewTable(r.s.logFile, lo, cols)
	}
}

// row prints one row of the current result; false stops reading it.
func (r *results) row(vals [][]byte) bool {
	if r.last != nil {
		if r.last.n < 2 {
			r.last.rows = append(r.last.rows, copyRow(vals))
		}
		r.last.n++
	}
	if err := r.table.Row(vals); err != nil {
		r.fail(fmt.Errorf("write result: %w", err))
		return false
	}
	if r.logTable != nil {
		_ = r.logTable.Row(vals)
	}
	return true
}

// end closes the current result with its command tag, or its error.
func (r *results) end(tag pgconn.CommandTag, err error) {
	quiet := r.s.quiet() || r.w.HoldsTag()
	if r.logTable != nil {
		_ = r.logTable.Close()
	}
	switch {
	case err != nil:
		r.fail(err)
		if r.table != nil {
			_ = r.paged()
		}
		r.flush()
		return
	case r.table == nil:
		r.s.lastTag = tag
		if tag.String() != "" && !quiet {
			fmt.Fprintln(r.out, tag.String())
		}
		if tag.String() != "" && r.s.logFile != nil {
			fmt.Fprintln(r.s.logFile, tag.String())
		}
	default:
		r.s.lastTag = tag
		if err := r.table.Close(); err != nil {
			r.fail(fmt.Errorf("write result: %w", err))
		}
		if err := r.paged(); err != nil {
			r.fail(fmt.Errorf("write result: %w", err))
		}
		if returningTag(tag) && !quiet {
			// INSERT/UPDATE/DELETE ... RETURNING: psql prints the
			// command's tag after its rows
			fmt.Fprintln(r.out, tag.String())
		}
	}
	r.flush()
	r.held = r.cur
}

// finish shows what is left once the query is over and returns its first
// error.
func (r *results) finish() error {
	switch {
	case r.last != nil:
		r.held = nil // taken, not shown
	case r.first != nil && !r.showAll:
		r.held = nil // psql shows the error alone
	}
	if r.held != nil {
		_, _ = r.s.out.Write(r.held.Bytes())
		r.held = nil
	}
	return r.first
}

// queryResults sends sql and prints each of its results as psql does.
func (s *Session) queryResults(ctx context.Context, sql string, w *engine.Wrap, last *lastResult) error {
	r := s.newResults(sql, w, last)
	mrr := s.send(ctx, sql, w)
	for i := 0; mrr.NextResult(); i++ {
		rr := mrr.ResultReader()
		if w.Hidden(i) {
			for rr.NextRow() {
				w.Keep(i, rr.Values())
			}
			if _, err := rr.Close(); err != nil {
				r.fail(err)
			}
			continue
		}
		r.begin(rr.FieldDescriptions())
		if r.table != nil {
			for rr.NextRow() && r.row(rr.Values()) {
			}
		}
		r.end(rr.Close())
	}
	if err := mrr.Close(); err != nil {
		r.fail(err)
	}
	return r.finish()
}

// combinedCopy runs psql's combined queries that hold a COPY (psql sends
// "select 1 \; copy t from stdin \; select 2" as one query and feeds the
// COPY the data lines that follow it): pgconn runs a COPY only as a query
// of its own, so the protocol is spoken here, one message at a time.
// data is the COPY FROM STDIN's data (nil: none, the COPY fails as psql's
// does without data); a COPY TO STDOUT writes to the output.
func (s *Session) combinedCopy(ctx context.Context, sql string, w *engine.Wrap, data io.Reader) error {
	conn := s.Conn()
	r := s.newResults(sql, w, nil)
	r.multi = true
	fe := conn.Frontend()
	fe.SendQuery(&pgproto3.Query{String: w.Text(sql)})
	if err := fe.Flush(); err != nil {
		return fmt.Errorf("send query: %w", err)
	}
	open := false // a result is being read
	i := 0        // the result's position; w's own are not shown
	for {
		msg, err := conn.ReceiveMessage(ctx)
		if err != nil {
			return errors.Join(r.finish(), err)
		}
		if w.Hidden(i) {
			switch m := msg.(type) {
			case *pgproto3.CommandComplete, *pgproto3.EmptyQueryResponse:
				i++
			case *pgproto3.ErrorResponse:
				r.fail(pgconn.ErrorResponseToPgError(m))
				i++
			case *pgproto3.ReadyForQuery:
				return r.finish()
			}
			continue
		}
		switch m := msg.(type) {
		case *pgproto3.RowDescription:
			r.begin(copyFields(m.Fields))
			open = true
		case *pgproto3.DataRow:
			if open && r.table != nil {
				r.row(copyRow(m.Values))
			}
		case *pgproto3.CommandComplete:
			if !open {
				r.begin(nil)
			}
			r.end(pgconn.NewCommandTag(string(m.CommandTag)), nil)
			open = false
			i++
		case *pgproto3.EmptyQueryResponse:
			open = false
			i++
		case *pgproto3.ErrorResponse:
			if !open {
				r.begin(nil)
			}
			r.end(pgconn.CommandTag{}, pgconn.ErrorResponseToPgError(m))
			open = false
			i++
		case *pgproto3.CopyInResponse:
			r.flush()
			if err := s.sendCopyData(fe, data); err != nil {
				return errors.Join(r.finish(), err)
			}
			data = nil // one COPY's worth: a second one gets none
		case *pgproto3.CopyOutResponse:
			r.flush()
		case *pgproto3.CopyData:
			_, _ = s.out.Write(m.Data)
		case *pgproto3.ReadyForQuery:
			return r.finish()
		}
	}
}

// sendCopyData sends a COPY FROM STDIN its data, or fails it when there
// is none.
func (s *Session) sendCopyData(fe *pgproto3.Frontend, data io.Reader) error {
	if data == nil {
		fe.Send(&pgproto3.CopyFail{Message: "no data for COPY FROM STDIN in this query"})
		return fe.Flush()
	}
	buf := make([]byte, 64<<10)
	for {
		n, err := data.Read(buf)
		if n > 0 {
			fe.Send(&pgproto3.CopyData{Data: buf[:n]})
			if ferr := fe.Flush(); ferr != nil {
				return fmt.Errorf("send COPY data: %w", ferr)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fe.Send(&pgproto3.CopyFail{Message: err.Error()})
			return fe.Flush()
		}
	}
	fe.Send(&pgproto3.CopyDone{})
	return fe.Flush()
}

// copyFields copies pgproto3's field descriptions into pgconn's.
func copyFields(fields []pgproto3.FieldDescription) []pgconn.FieldDescription {
	out := make([]pgconn.FieldDescription, len(fields))
	for i, f := range fields {
		out[i] = pgconn.FieldDescription{Name: string(f.Name), TableOID: f.TableOID,
			TableAttributeNumber: f.TableAttributeNumber, DataTypeOID: f.DataTypeOID,
			DataTypeSize: f.DataTypeSize, TypeModifier: f.TypeModifier, Format: f.Format}
	}
	return out
}
