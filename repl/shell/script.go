package shell

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/frontend"

	"github.com/safesql/safesql/repl/pg"

	"github.com/safesql/safesql/analyze/split"
	"github.com/safesql/safesql/repl/meta"
)

// Source names an input for error prefixes: a file name, "<stdin>" for
// `-f -`, or "" for piped standard input (psql prints no prefix there).
type Source struct {
	Name string
	Dir  string // for \ir: the directory of the file being read
	// Typed: the input is what a person typed in the shell, which psql
	// never echoes, and whose query buffer waits for the next entry (a
	// file it includes with \i is read as a script).
	Typed bool
}

// RunScript reads statements and backslash commands from r and runs them
// in order, the way psql runs a file: errors are shown and the script goes
// on, unless ON_ERROR_STOP is set.
func (s *Session) RunScript(ctx context.Context, r io.Reader, src Source) engine.Status {
	saved := [3]any{s.file, s.line, s.script}
	defer func() { s.file, s.line, s.script = saved[0].(string), saved[1].(int), saved[2].(bool) }()
	s.file, s.script = src.Name, src.Name != ""

	// COPY data streams through in bounded chunks: a pg_dump restore does
	// not hold a table in memory.
	in := newInputLines(r)
	var sc *split.Scanner
	echo := func(n int, line []byte) {
		inQuote := sc.StartsInQuote(n)
		if v, _ := s.Vars.Get("ECHO"); !strings.EqualFold(v, "all") || src.Typed || s.echoOff {
			return
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if len(line) == 0 && !inQuote {
			return // psql skips an empty line outside quotes before echoing it
		}
		s.streams.Out.Write(append(line, '\n'))
	}
	// COPY data read by a COPY's reader is passed as it is read, so the
	// lines kept for echoing never hold a COPY's data.
	skipAll := func(int) bool { return true }
	sc = split.NewScanner(in, split.WithCopyChunks(0), split.WithStandardStrings(s.StandardStrings()),
		split.WithChunkSeen(func(it split.Item) { in.pass(it.End, skipAll, echo) }))
	var cond condStack
	var pending strings.Builder // psql's query buffer: text not yet sent
	buffer := scriptBuffer{&pending, sc}
	pendingLine := 0 // the last line of an unterminated statement
	// direct: the line of the last backslash command when it ended with
	// "\\": text after it on that line joins the buffer without a newline.
	direct := 0
	for sc.Scan() {
		if ctx.Err() != nil {
			// Ctrl-C in a script stops it, with psql's exit code.
			return engine.StatusScript
		}
		it := sc.Item()
		// psql echoes each line whole as it reads it (ECHO all), before
		// anything on it runs; COPY data is read without echo.
		in.pass(it.End, copyDataLines(it), echo)
		if !cond.active() && !(it.Kind == split.Meta && isConditional(it.Command)) {
			// Inside an \if branch that does not run: nothing runs, but
			// psql still reports a command it does not know, and a ';'
			// there still ends its query buffer.
			switch {
			case it.Kind == split.Meta && !s.knownCommand(it.Command):
				s.line = it.Line
				if st, stop := s.afterExec(s.invalidCommand(it.Command).err); stop {
					return st
				}
			case it.Kind == split.Statement && it.Complete && it.SQL != "":
				pending.Reset()
			}
			direct = directLine(it)
			continue
		}
		switch it.Kind {
		case split.CopyChunk:
			continue // read through the COPY's CopyReader; here only if it was not run
		case split.Statement:
			if strings.TrimSpace(it.SQL) == "" && pending.Len() == 0 {
				continue
			}
			if pending.Len() > 0 && it.SQL != "" && (direct == 0 || it.Line != direct) {
				pending.WriteByte('\n')
			}
			if it.SQL != "" {
				direct = 0
			}
			pending.WriteString(it.SQL)
			if !it.Complete && it.CopyData == nil && !it.CopyStream {
				pendingLine = it.EndLine
				continue
			}
			sql := pending.String()
			pending.Reset()
			s.line = it.EndLine
			var data io.Reader
			if it.CopyStream {
				// Exec's COPY closes it, skipping what the server did not
				// read; an unrun COPY's chunks are skipped below.
				data = sc.CopyReader()
			} else if it.CopyData != nil {
				data = strings.NewReader(*it.CopyData)
			}
			err := s.Exec(ctx, s.interpolate(sql), data)
			passCopyData(in, data, echo)
			if st, stop := s.afterExec(err); stop {
				return st
			}
		case split.Meta:
			s.line = it.Line
			direct = directLine(it)
			if isConditional(it.Command) {
				exprErr := false
				msg := cond.conditional(it.Command, buffer, func() (bool, string) {
					v, msg := ifExpression(it.Command, s.argsOf(it.Args))
					exprErr = msg != ""
					return v, msg
				})
				if exprErr {
					// psql reports a bad expression, counts it false and
					// goes on, even under ON_ERROR_STOP.
					s.metaErr(msg)
				} else if msg != "" {
					if st, stop := s.afterExec(s.metaErr(msg).err); stop {
						return st
					}
				} else if (it.Command == "else" || it.Command == "endif") && cond.active() {
					// They take no argument; psql warns about any, unread,
					// where the branch it leads to runs.
					sc := meta.Scanner{Raw: it.Args}
					for {
						extra, _, ok := sc.Next(false)
						if !ok {
							break
						}
						s.metaLog("warning", fmt.Sprintf(`\%s: extra argument "%s" ignored`, it.Command, extra))
					}
				}
				continue
			}
			buf := pending.String()
			if it.SendsQuery() {
				// psql expands variables as it reads each line; the
				// buffer a \g or \gset sends is expanded once, here.
				buf = s.interpolate(buf)
			}
			var data io.Reader
			if it.CopyStream {
				data = sc.CopyReader() // \copy from stdin closes it
			} else if it.CopyData != nil {
				data = strings.NewReader(*it.CopyData)
			}
			res := s.runMeta(ctx, it.Command, it.Args, &buf, src, data)
			passCopyData(in, data, echo)
			pending.Reset()
			// \g and \gx keep the buffer when they did not send it (bad
			// options), as psql does.
			if !it.ResetsQuery() || ((it.Command == "g" || it.Command == "gx") && buf != "") {
				pending.WriteString(buf)
			}
			switch {
			case res.quit:
				if it.Command == "q" || it.Command == "quit" {
					s.quit = true
				}
				return res.status
			case res.err != nil:
				if st, stop := s.afterExec(res.err); stop {
					return st
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		// psql's words, and the file without a line.
		fmt.Fprintf(s.streams.Err, "safesql:%s: error: could not read from input file: %s\n", displayName(src), osMessage(err))
		s.readFailed = true
		return engine.StatusFatal
	}
	if len(cond) > 0 {
		if st, stop := s.afterExec(s.metaErr(`reached EOF without finding closing \endif(s)`).err); stop {
			return st
		}
	}
	if src.Typed {
		// In the shell the buffer waits for the next entry, as psql's
		// does between lines (the prompt says so with its '-').
		s.typed = pending.String()
		if strings.TrimSpace(s.typed) == "" {
			s.typed = ""
		}
		return engine.StatusOK
	}
	if strings.TrimSpace(pending.String()) != "" && cond.active() {
		// psql sends an unterminated last statement of a script (not
		// from a branch that does not run), and reports its errors at
		// the last line read.
		if pendingLine > 0 {
			s.line = pendingLine
		}
		if st, stop := s.afterExec(s.Exec(ctx, s.interpolate(pending.String()), nil)); stop {
			return st
		}
	}
	return engine.StatusOK
}

// passCopyData passes the lines of streamed COPY data that a COPY read
// (chunks it did not read come through the script's loop).
func passCopyData(in *inputLines, data io.Reader, echo func(int, []byte)) {
	if cr, ok := data.(*split.CopyReader); ok {
		if last := cr.Last(); last.End > 0 {
			in.pass(last.End, func(int) bool { return true }, echo)
		}
	}
}

// copyDataLines tells the lines of an item that hold COPY data, which
// psql reads without echoing them.
func copyDataLines(it split.Item) func(int) bool {
	switch {
	case it.Kind == split.CopyChunk:
		return func(int) bool { return true }
	case it.CopyData != nil:
		// the data's lines and its "\." line end the item
		first := it.EndLine - strings.Count(*it.CopyData, "\n")
		if !it.Complete {
			first++
		}
		return func(n int) bool { return n >= first && n <= it.EndLine }
	}
	return func(int) bool { return false }
}

// directLine is the line of a backslash command ended by "\\" (what
// follows on its line joins psql's buffer without a newline), else 0.
func directLine(it split.Item) int {
	if it.Kind == split.Meta && strings.HasSuffix(it.Text, `\\`) {
		return it.Line
	}
	return 0
}

// scriptBuffer is a script's query buffer as \if saves and cuts it back.
type scriptBuffer struct {
	b  *strings.Builder
	sc *split.Scanner
}

func (q scriptBuffer) Len() int        { return q.b.Len() }
func (q scriptBuffer) ParenDepth() int { return q.sc.ParenDepth() }
func (q scriptBuffer) Discard(n, paren int) {
	if n < q.b.Len() {
		kept := q.b.String()[:n]
		q.b.Reset()
		q.b.WriteString(kept)
	}
	q.sc.Discard(paren, q.b.Len() == 0)
}

func displayName(src Source) string {
	if src.Name == "" {
		return "standard input"
	}
	return src.Name
}

// afterExec decides whether a script goes on after a statement.
func (s *Session) afterExec(err error) (engine.Status, bool) {
	if err == nil {
		return engine.StatusOK, false
	}
	s.failed = true
	s.errors++
	var lost *pg.ConnectionLostError
	if errors.As(err, &lost) {
		return engine.StatusConnection, true
	}
	if !s.Interactive && (errors.Is(err, engine.ErrRefused) || errors.Is(err, engine.ErrAborted)) {
		// a safety rule stopped a script: psql's exit code for a
		// failed script
		return engine.StatusScript, true
	}
	if s.Vars.Bool("ON_ERROR_STOP") {
		return engine.StatusScript, true
	}
	return engine.StatusOK, false
}

func (s *Session) interpolate(text string) string {
	if !strings.Contains(text, ":") {
		return text
	}
	return split.Interpolate(text, s.Vars.Get)
}

// RunCommand runs one -c argument: a backslash command, or SQL sent as is
// (several statements in one string run as one multi-statement query, as
// psql 15 does).
func (s *Session) RunCommand(ctx context.Context, text string) engine.Status {
	s.file, s.line, s.script = "", 0, false
	echoMode, _ := s.Vars.Get("ECHO")
	echoAll := strings.EqualFold(echoMode, "all")
	// psql: a -c text is a backslash command when its first character is
	// a backslash (" \echo" is SQL, which the server refuses).
	if strings.HasPrefix(text, `\`) {
		if echoAll {
			// psql echoes a -c backslash command without its backslash
			fmt.Fprintln(s.streams.Out, strings.TrimPrefix(text, `\`))
		}
		// psql: a -c backslash command that fails exits 1.
		s.failed = false
		s.echoOff = true
		// psql runs the one backslash command; what follows a "\\" on
		// the line is ignored.
		if items := split.Split(text); len(items) > 0 && items[0].Kind == split.Meta {
			text = items[0].Text
		}
		st := s.RunScript(ctx, strings.NewReader(text), Source{})
		s.echoOff = false
		if st == engine.StatusOK && s.failed {
			return engine.StatusFatal
		}
		return st
	}
	if echoAll {
		fmt.Fprintln(s.streams.Out, text)
	}
	// psql sends -c SQL as is: no variable interpolation, several
	// statements in one query. pgconn cannot run a COPY FROM STDIN inside
	// such a query, so a text holding one runs statement by statement.
	// The splitter, which knows quotes and comments, says whether there is
	// a COPY FROM STDIN; its data then comes from standard input, as psql
	// reads it for -c.
	var err error
	if items := split.Split(text, split.WithStandardStrings(s.StandardStrings())); hasCopyFromStdin(items) || s.Guarded() {
		// Under the safety rules each statement is classified and run on
		// its own (in the session's transaction), stopping at the first
		// error as psql's multi-statement query does; a statement the
		// parser rejects stops all of them first, as the server's parse
		// of the whole text would.
		if parts, rest := s.Statements(text); s.Guarded() && len(parts) > 1 {
			err = s.ParseWhole(text, parts, rest)
		}
		for _, it := range items {
			if err != nil {
				break
			}
			if it.Kind != split.Statement || strings.TrimSpace(it.SQL) == "" {
				continue
			}
			var data io.Reader
			if it.CopyData != nil {
				data = s.streams.In
			}
			if err = s.Exec(ctx, it.SQL, data); err != nil {
				break
			}
		}
	} else {
		err = s.Exec(ctx, text, nil)
	}
	var lost *pg.ConnectionLostError
	switch {
	case err == nil:
		return engine.StatusOK
	case errors.As(err, &lost):
		return engine.StatusConnection
	case errors.Is(err, engine.ErrRefused) || errors.Is(err, engine.ErrAborted):
		return engine.StatusScript
	default:
		return engine.StatusFatal
	}
}

// RunFile runs a script file (-f, \i); "-" is standard input.
func (s *Session) RunFile(ctx context.Context, path string) engine.Status {
	if path == "-" {
		return s.RunScript(ctx, s.streams.In, Source{Name: "<stdin>"})
	}
	f, err := os.Open(path)
	if err != nil {
		s.fileError(path, err)
		return engine.StatusFatal
	}
	defer f.Close()
	return s.RunScript(ctx, f, Source{Name: path, Dir: filepath.Dir(path)})
}

func (s *Session) fileError(path string, err error) {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	msg := err.Error()
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	if s.script {
		fmt.Fprintf(s.streams.Err, "%serror: %s: %s\n", s.prefix(), path, msg)
		return
	}
	fmt.Fprintf(s.streams.Err, "safesql: error: %s: %s\n", path, msg)
}

// RunInteractive runs what a person typed: statements and backslash
// commands, without a script prefix on errors. It reports whether \q was
// given.
func (s *Session) RunInteractive(ctx context.Context, text string) (engine.Status, bool) {
	s.quit = false
	if s.typed != "" {
		text = s.typed + "\n" + text
		s.typed = ""
	}
	st := s.RunScript(ctx, strings.NewReader(text), Source{Typed: true})
	// A lost connection ends a script; a person goes on, and the next
	// statement reconnects.
	return st, s.quit || (st == engine.StatusConnection && !s.Interactive)
}

// ResetQueryBuffer empties the query buffer kept between entries (Ctrl-C
// at the prompt, as in psql).
func (s *Session) ResetQueryBuffer() { s.typed = "" }

// State is the engine's state for the prompt and the status line, with
// what the shell knows: whether the query buffer holds text.
func (s *Session) State() frontend.State {
	st := s.Engine.State()
	st.Buffered = s.typed != ""
	return st
}

func hasCopyFromStdin(items []split.Item) bool {
	for _, it := range items {
		if it.Kind == split.Statement && (it.CopyData != nil || it.CopyStream) {
			return true
		}
	}
	return false
}
