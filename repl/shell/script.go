package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/frontend"

	"github.com/safesql/safesql/analyze/split"
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

	return newScriptLoop(ctx, s, r, src).run()
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

// afterExec decides whether a script goes on after a statement, and with
// which exit status (exitStatus).
func (s *Session) afterExec(err error) (engine.Status, bool) {
	if err != nil {
		s.failed = true
		s.errors++
	}
	return s.exitStatus(err, false)
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
			st, _ = s.exitStatus(engine.ErrStatementFailed, true)
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
	st, _ := s.exitStatus(err, true)
	return st
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
