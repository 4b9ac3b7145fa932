package shell

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/meta"
	"github.com/safesql/safesql/repl/render"
)

// metaResult is what a backslash command asks of the loop.
type metaResult struct {
	err    error
	quit   bool
	status engine.Status
}

// public is r as the command table's handlers return it.
func (r metaResult) public() meta.Result {
	return meta.Result{Err: r.err, Quit: r.quit, Status: int(r.status)}
}

// fromPublic is a command's Result as the loop reads it.
func fromPublic(r meta.Result) metaResult {
	return metaResult{err: r.Err, quit: r.Quit, status: engine.Status(r.Status)}
}

// runMeta runs backslash command name from the table built at start.
func (s *Session) runMeta(ctx context.Context, name, rawArgs string, buf *string, src Source, copyData io.Reader) metaResult {
	if s.restrictKey != "" && name != "unrestrict" {
		// pg_dump's scripts say \restrict so that data cannot smuggle in
		// backslash commands.
		return s.metaErr(`backslash commands are restricted; only \unrestrict is allowed`)
	}
	h := metaHost{s}
	run := s.commands.Handler(name)
	if run == nil {
		return s.invalidCommand(name)
	}
	// As psql, the command reads the arguments it takes, expanding
	// variables and running backquoted commands in them; the rest are
	// read without either and, once the command ran, warned about.
	e := &meta.Env{Name: name, RawArgs: rawArgs, Buf: buf, Dir: src.Dir, Source: src.Name, CopyData: copyData}
	sc := &meta.Scanner{Raw: rawArgs, Lookup: s.Vars.Get, Shell: s.backquote}
	n := s.commands.Arity(name, rawArgs)
	if n == meta.WholeLine {
		// psql takes the rest of the line as it is: nothing is left over.
		e.Args = meta.ArgsShell(rawArgs, nil, nil)
		sc.Skip()
	} else {
		for n < 0 || len(e.Args) < n {
			arg, quoted, ok := sc.Next(true)
			if !ok {
				break
			}
			e.Args = append(e.Args, arg)
			e.Quoted = append(e.Quoted, quoted)
		}
	}
	warned := false
	e.Extras = func() {
		if warned {
			return
		}
		warned = true
		for {
			extra, _, ok := sc.Next(false)
			if !ok {
				return
			}
			s.metaLog("warning", fmt.Sprintf(`\%s: extra argument "%s" ignored`, name, extra))
		}
	}
	res := run(ctx, h, e)
	if res.Err == nil {
		e.Extras()
	}
	return fromPublic(res)
}

// invalidCommand reports a backslash command psql does not know.
func (s *Session) invalidCommand(name string) metaResult {
	if s.script {
		fmt.Fprintf(s.streams.Err, "%serror: invalid command \\%s\n", s.prefix(), name)
	} else if s.Interactive {
		fmt.Fprintf(s.streams.Err, "invalid command \\%s\nTry \\? for help.\n", name)
	} else {
		fmt.Fprintf(s.streams.Err, "invalid command \\%s\n", name)
	}
	return metaResult{err: engine.ErrStatementFailed}
}

// knownCommand reports whether psql 15 (or safesql) has a backslash
// command of this name (the table's Known).
func (s *Session) knownCommand(name string) bool { return s.commands.Known(name) }

// metaArgs splits a backslash command's arguments as psql does, without
// running backquoted commands.
func metaArgs(raw string, lookup func(string) (string, bool)) []string {
	return meta.Args(raw, lookup)
}

// argsOf splits a backslash command's arguments as psql does, running
// backquoted commands (refused where the shell is).
func (s *Session) argsOf(raw string) []string {
	return meta.ArgsShell(raw, s.Vars.Get, s.backquote)
}

// backquote runs a backquoted command of a backslash command's arguments
// and returns its output less one trailing newline, as psql does; where
// the shell is refused it runs nothing.
func (s *Session) backquote(command string) string {
	if err := s.shellGate("`" + command + "`"); err != nil {
		s.metaErr(err.Error())
		return ""
	}
	cmd := exec.Command("/bin/sh", "-c", command)
	cmd.Args[0] = "sh" // as popen names it in the shell's messages
	cmd.Stdin, cmd.Stderr = s.streams.In, s.streams.Err
	out, _ := cmd.Output() // psql says nothing of a failed command
	return strings.TrimSuffix(string(out), "\n")
}

func (s *Session) metaErr(msg string) metaResult {
	if s.script {
		fmt.Fprintf(s.streams.Err, "%serror: %s\n", s.prefix(), msg)
	} else {
		fmt.Fprintln(s.streams.Err, msg)
	}
	return metaResult{err: engine.ErrStatementFailed}
}

// sendBufferTo is \g and \gx: print options for this query only (in
// parentheses, as \pset takes them), then a file or |command its result
// goes to.
func (s *Session) sendBufferTo(ctx context.Context, e *meta.Env, expanded bool) metaResult {
	p := s.Print
	args := e.Args
	if len(args) > 0 && strings.HasPrefix(args[0], "(") {
		args[0] = args[0][1:]
		closed := false
		for len(args) > 0 && !closed {
			opt := args[0]
			args = args[1:]
			if strings.HasSuffix(opt, ")") {
				opt, closed = strings.TrimSuffix(opt, ")"), true
			}
			if opt == "" {
				continue
			}
			name, value, has := strings.Cut(opt, "=")
			if err := meta.SetPrintOption(&p, name, value, has); err != nil {
				return s.metaErr(err.Error()) // psql keeps the buffer
			}
		}
		if !closed {
			return s.metaErr(fmt.Sprintf(`\%s: missing right parenthesis`, e.Name))
		}
	}
	if expanded {
		p.Expanded = render.ExpandedOn
	}
	if len(args) == 0 {
		return s.sendBuffer(ctx, e, p)
	}
	target := args[0]
	if strings.HasPrefix(target, "|") {
		// The rest of the line is the command, as psql takes it.
		raw := e.RawArgs
		target = strings.TrimSpace(raw[strings.IndexByte(raw, '|'):])
		// Refused before the query runs: the buffer stays for a \g
		// without the pipe.
		if err := s.shellGate(`\` + e.Name + " " + target); err != nil {
			return s.metaErr(err.Error())
		}
	}
	// As psql, the target is opened when there is output for it: a query
	// that fails never complains about the file.
	lazy := &lazyTarget{open: func() (io.Writer, io.Closer, error) { return s.openTarget(ctx, target) }}
	out, outFile := s.out, s.outFile
	s.out, s.outFile = lazy, lazy // not the terminal: no pager, no width
	res := s.sendBuffer(ctx, e, p)
	s.out, s.outFile = out, outFile
	if err := lazy.Close(); err != nil && res.err == nil {
		res = s.metaErr(err.Error())
	}
	return res
}

// lazyTarget opens its writer at the first write; an open that fails is
// reported by Close, and what was written is dropped.
type lazyTarget struct {
	open func() (io.Writer, io.Closer, error)
	w    io.Writer
	c    io.Closer
	err  error
}

func (l *lazyTarget) Write(b []byte) (int, error) {
	if l.w == nil && l.err == nil {
		l.w, l.c, l.err = l.open()
	}
	if l.err != nil {
		return len(b), nil
	}
	return l.w.Write(b)
}

func (l *lazyTarget) Close() error {
	if l.err != nil {
		return l.err
	}
	if l.c != nil {
		return l.c.Close()
	}
	return nil
}

func (s *Session) sendBuffer(ctx context.Context, e *meta.Env, p render.Options) metaResult {
	if e.Extras != nil {
		e.Extras()
	}
	sql := *e.Buf
	*e.Buf = ""
	if strings.TrimSpace(sql) == "" {
		sql = s.lastQuery // psql sends the previous query again
	}
	if strings.TrimSpace(sql) == "" {
		return metaResult{}
	}
	saved := s.Print
	s.Print = p
	defer func() { s.Print = saved }()
	return metaResult{err: s.Exec(ctx, sql, nil)}
}

func (s *Session) include(ctx context.Context, e *meta.Env, relative bool) metaResult {
	if len(e.Args) == 0 {
		return s.metaErr(`\i: missing required argument`)
	}
	path := e.Args[0]
	if relative && !filepath.IsAbs(path) && e.Dir != "" {
		path = filepath.Join(e.Dir, path)
	}
	f, err := os.Open(path)
	if err != nil {
		s.fileError(path, err)
		return metaResult{err: engine.ErrStatementFailed}
	}
	defer f.Close()
	if s.Guarded() && !s.IsPreplanned(path) {
		// The whole file is planned first: what it will be asked about
		// or refused is shown before its first statement runs (unless
		// it was planned with the whole input).
		plan, err := s.MakePlan(ctx, []engine.PlanInput{{Name: path, R: f}})
		if err != nil {
			return s.metaErr(err.Error())
		}
		if plan.NeedsAttention(s.Engine) {
			s.PrintPlan(s.streams.Err, plan)
		}
		if len(plan.Refusals) > 0 {
			return metaResult{err: engine.ErrRefused}
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return s.metaErr(fmt.Sprintf("%s: %v", path, err))
		}
	}
	s.readFailed = false
	st := s.RunScript(ctx, f, Source{Name: path, Dir: filepath.Dir(path)})
	if st == engine.StatusFatal && s.readFailed {
		s.readFailed = false
		return metaResult{err: engine.ErrStatementFailed} // as psql: the script goes on
	}
	if st != engine.StatusOK {
		return metaResult{quit: true, status: st}
	}
	return metaResult{}
}

// gset is \gset [PREFIX].
func (s *Session) gset(ctx context.Context, e *meta.Env) metaResult {
	sql := *e.Buf
	*e.Buf = ""
	if strings.TrimSpace(sql) == "" {
		sql = s.lastQuery
	}
	if strings.TrimSpace(sql) == "" {
		return metaResult{}
	}
	prefix := ""
	if len(e.Args) > 0 {
		prefix = e.Args[0]
	}
	s.lastQuery = sql
	e.Extras()
	if s.Guarded() {
		if v := s.Classify(ctx, sql); v.Class != analyze.Read {
			return s.metaErr(fmt.Sprintf(`\gset runs reads only under %s's rules: this query is %s (%s); run it with \g`, s.Policy().Tier, v.Class, engine.FirstReason(v)))
		}
	}
	s.logQuery(sql)
	var cols []render.Column
	var rows [][][]byte
	var err error
	if !s.Guarded() && s.combined(sql) {
		// combined queries: the results before the last are
		// shown, the last one is stored
		var last lastResult
		err = s.queryResults(ctx, sql, nil, &last)
		cols, rows = last.cols, last.rows
	} else {
		cols, rows, err = s.Query(ctx, sql)
	}
	s.setResultVars(err)
	if err != nil {
		return metaResult{err: s.report(sql, err)}
	}
	switch {
	case cols == nil:
		return s.metaErr(`\gset: query must return results`)
	case len(rows) == 0:
		return s.metaErr("no rows returned for \\gset")
	case len(rows) > 1:
		return s.metaErr("more than one row returned for \\gset")
	}
	for i, c := range cols {
		if Special(prefix + c.Name) {
			s.metaLog("warning", fmt.Sprintf(`attempt to \gset into specially treated variable "%s" ignored`, prefix+c.Name))
			continue
		}
		if rows[0][i] == nil {
			s.Vars.Unset(prefix + c.Name) // an invalid name is not there
			continue
		}
		if !ValidName(prefix + c.Name) {
			return s.metaErr(fmt.Sprintf(`invalid variable name: "%s"`, prefix+c.Name))
		}
		s.Vars.Set(prefix+c.Name, string(rows[0][i]))
	}
	return metaResult{}
}

// watch is \watch [SEC].
func (s *Session) watch(ctx context.Context, e *meta.Env) metaResult {
	sql := *e.Buf
	*e.Buf = ""
	if strings.TrimSpace(sql) == "" {
		sql = s.lastQuery
	}
	if strings.TrimSpace(sql) == "" {
		return s.metaErr(`\watch cannot be used with an empty query`)
	}
	every := 2.0
	if len(e.Args) > 0 {
		v, err := strconv.ParseFloat(e.Args[0], 64)
		if err != nil || v <= 0 {
			return s.metaErr(fmt.Sprintf(`\watch: incorrect interval value "%s"`, e.Args[0]))
		}
		every = v
	}
	saved := s.Print
	defer func() { s.Print = saved }()
	// Ctrl-C ends the watch, not the script (StopWatch), as psql.
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	s.watchStop.Store(&stop)
	defer s.watchStop.Store(nil)
	for {
		s.Print = saved
		s.Print.Title = fmt.Sprintf("%s (every %gs)\n", time.Now().Format("Mon Jan _2 15:04:05 2006"), every)
		if err := s.Exec(ctx, sql, nil); err != nil {
			if ctx.Err() != nil && ctx.Err() == nil {
				return metaResult{} // stopped by Ctrl-C
			}
			return metaResult{err: err}
		}
		select {
		case <-ctx.Done():
			if ctx.Err() == nil {
				fmt.Fprintln(s.out)
			}
			return metaResult{}
		case <-time.After(time.Duration(every * float64(time.Second))):
		}
	}
}

// edit is \e [FILE] [LINE].
func (s *Session) edit(ctx context.Context, e *meta.Env) metaResult {
	if err := s.editorGate(e.Name); err != nil {
		return s.metaErr(err.Error()) // the buffer stays
	}
	text, line := *e.Buf, 0
	if strings.TrimSpace(text) == "" {
		text = s.lastQuery
	}
	if len(e.Args) > 0 {
		content, err := os.ReadFile(e.Args[0])
		if err != nil {
			return s.metaErr(fmt.Sprintf("%s: %s", e.Args[0], osMessage(err)))
		}
		text = string(content)
	}
	return s.editAndRun(ctx, text, e.Args, line, e.Buf)
}

// editFunction is \ef [FUNCNAME [LINE]].
func (s *Session) editFunction(ctx context.Context, e *meta.Env) metaResult {
	if err := s.editorGate(e.Name); err != nil {
		return s.metaErr(err.Error())
	}
	if len(e.Args) == 0 {
		return s.metaErr(`\ef: a function name is required`)
	}
	sql := "SELECT pg_catalog.pg_get_functiondef(" + analyze.QuoteLiteral(e.Args[0]) + "::pg_catalog.regprocedure)"
	if !strings.Contains(e.Args[0], "(") {
		sql = "SELECT pg_catalog.pg_get_functiondef(" + analyze.QuoteLiteral(e.Args[0]) + "::pg_catalog.regproc)"
	}
	_, rows, err := s.Query(ctx, sql)
	if err != nil {
		return metaResult{err: s.report(sql, err)}
	}
	if len(rows) != 1 || rows[0][0] == nil {
		return s.metaErr(fmt.Sprintf(`function "%s" does not exist`, e.Args[0]))
	}
	return s.editAndRun(ctx, string(rows[0][0]), e.Args, 0, nil)
}

// MetaCommandNames lists every backslash command with its backslash, for
// completion.
func (s *Session) MetaCommandNames() []string { return s.commands.Names() }
