package shell

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/engine"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/analyze/split"
	"github.com/safesql/safesql/repl/describe"
	"github.com/safesql/safesql/repl/render"
	"github.com/safesql/safesql/repl/sqlhelp"
)

// metaResult is what a backslash command asks of the loop.
type metaResult struct {
	err    error
	quit   bool
	status engine.Status
}

type metaEnv struct {
	ctx      context.Context
	name     string // the command as typed, without the backslash
	args     []string
	rawArgs  string
	buf      *string // the query buffer
	src      Source
	copyData io.Reader
	quoted   []bool // whether each of args had quotes in it
	// extras warns of the arguments the command does not take, once:
	// commands that send a query call it before the query runs, as
	// psql's dispatcher warns before its main loop sends the query.
	extras func()
}

type metaCommand struct {
	names []string
	help  string
	run   func(s *Session, e metaEnv) metaResult
}

// metaCommands is the one table of backslash commands; \? is generated
// from it. The describing commands (\d and friends) come with their own
// issue.
func metaCommands() []metaCommand {
	return append([]metaCommand{
		{[]string{"q", "quit"}, `\q                     quit safesql`, func(s *Session, e metaEnv) metaResult {
			return metaResult{quit: true}
		}},
		{[]string{"g"}, `\g [(OPTIONS)] [FILE]  execute query (and send result to file or |pipe);
                         \g with no arguments is equivalent to a semicolon`, func(s *Session, e metaEnv) metaResult {
			return s.sendBufferTo(e, false)
		}},
		{[]string{"gx"}, `\gx [(OPTIONS)] [FILE] as \g, but forces expanded output mode`, func(s *Session, e metaEnv) metaResult {
			return s.sendBufferTo(e, true)
		}},
		{[]string{"gset"}, `\gset [PREFIX]         execute query and store result in psql variables`, func(s *Session, e metaEnv) metaResult {
			sql := *e.buf
			*e.buf = ""
			if strings.TrimSpace(sql) == "" {
				sql = s.lastQuery
			}
			if strings.TrimSpace(sql) == "" {
				return metaResult{}
			}
			prefix := ""
			if len(e.args) > 0 {
				prefix = e.args[0]
			}
			s.lastQuery = sql
			e.extras()
			if s.Guarded() {
				if v := s.Classify(e.ctx, sql); v.Class != analyze.Read {
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
				err = s.queryResults(e.ctx, sql, nil, &last)
				cols, rows = last.cols, last.rows
			} else {
				cols, rows, err = s.Query(e.ctx, sql)
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
		}},
		{[]string{"copy"}, `\copy ...              perform SQL COPY with data stream to the client host`, func(s *Session, e metaEnv) metaResult {
			return s.copyMeta(e.ctx, e.rawArgs, e.copyData)
		}},
		{[]string{"c", "connect"}, `\c[onnect] {[DBNAME|- USER|- HOST|- PORT|-] | conninfo}
                         connect to new database`, func(s *Session, e metaEnv) metaResult {
			return s.reconnect(e.ctx, e.args)
		}},
		{[]string{"timing"}, `\timing [on|off]       toggle timing of commands`, func(s *Session, e metaEnv) metaResult {
			if len(e.args) == 0 {
				s.timing = !s.timing
			} else if v, ok := analyze.ParseBool(e.args[0]); ok {
				s.timing = v
			} else {
				return s.metaErr(fmt.Sprintf(`unrecognized value "%s" for "\timing": Boolean expected`, e.args[0]))
			}
			if !s.quiet() {
				if s.timing {
					fmt.Fprintln(s.streams.Out, "Timing is on.")
				} else {
					fmt.Fprintln(s.streams.Out, "Timing is off.")
				}
			}
			return metaResult{}
		}},
		{[]string{"encoding"}, `\encoding [ENCODING]   show or set client encoding`, func(s *Session, e metaEnv) metaResult {
			if len(e.args) == 0 {
				fmt.Fprintln(s.streams.Out, s.Conn().ParameterStatus("client_encoding"))
				return metaResult{}
			}
			sql := "SET client_encoding TO " + analyze.QuoteLiteral(e.args[0])
			if err := s.Conn().Exec(e.ctx, sql).Close(); err != nil {
				return s.metaErr(fmt.Sprintf("%s: invalid encoding name or conversion procedure not found", e.args[0]))
			}
			return metaResult{}
		}},
		{[]string{"!"}, `\! [COMMAND]           execute command in shell or start interactive shell`, func(s *Session, e metaEnv) metaResult {
			if err := s.shellGate(`\!`); err != nil {
				return s.metaErr(err.Error())
			}
			command := strings.TrimSpace(e.rawArgs)
			if command == "" {
				command = "exec ${SHELL:-/bin/sh}"
			}
			cmd := exec.CommandContext(e.ctx, "/bin/sh", "-c", command)
			cmd.Args[0] = "sh" // as system() names it in the shell's messages
			cmd.Stdin, cmd.Stdout, cmd.Stderr = s.streams.In, s.streams.Out, s.streams.Err
			if err := cmd.Run(); err != nil {
				if _, exited := err.(*exec.ExitError); !exited {
					return s.metaErr(fmt.Sprintf("\\!: failed: %v", err))
				}
				return metaResult{err: engine.ErrStatementFailed}
			}
			return metaResult{}
		}},
		{[]string{"watch"}, `\watch [SEC]           execute query every SEC seconds`, func(s *Session, e metaEnv) metaResult {
			sql := *e.buf
			*e.buf = ""
			if strings.TrimSpace(sql) == "" {
				sql = s.lastQuery
			}
			if strings.TrimSpace(sql) == "" {
				return s.metaErr(`\watch cannot be used with an empty query`)
			}
			every := 2.0
			if len(e.args) > 0 {
				v, err := strconv.ParseFloat(e.args[0], 64)
				if err != nil || v <= 0 {
					return s.metaErr(fmt.Sprintf(`\watch: incorrect interval value "%s"`, e.args[0]))
				}
				every = v
			}
			saved := s.Print
			defer func() { s.Print = saved }()
			// Ctrl-C ends the watch, not the script (StopWatch), as psql.
			ctx, stop := context.WithCancel(e.ctx)
			defer stop()
			s.watchStop.Store(&stop)
			defer s.watchStop.Store(nil)
			for {
				s.Print = saved
				s.Print.Title = fmt.Sprintf("%s (every %gs)\n", time.Now().Format("Mon Jan _2 15:04:05 2006"), every)
				if err := s.Exec(ctx, sql, nil); err != nil {
					if ctx.Err() != nil && e.ctx.Err() == nil {
						return metaResult{} // stopped by Ctrl-C
					}
					return metaResult{err: err}
				}
				select {
				case <-ctx.Done():
					if e.ctx.Err() == nil {
						fmt.Fprintln(s.out)
					}
					return metaResult{}
				case <-time.After(time.Duration(every * float64(time.Second))):
				}
			}
		}},
		{[]string{"h", "help"}, `\h [NAME]              help on syntax of SQL commands, * for all commands`, func(s *Session, e metaEnv) metaResult {
			// As psql: the rest of the line is the topic, uninterpolated;
			// the help goes to standard output, not the \o file, in
			// columns as wide as the terminal, or 80.
			width := 80
			if s.streams.OutTTY {
				if w := s.streams.Width(); w > 0 {
					width = w
				}
			}
			out, paged := s.pager(s.Print.Pager)
			if out == s.out {
				out = s.streams.Out // help is not for the \o file
			}
			fmt.Fprint(out, sqlhelp.Help(e.rawArgs, width))
			_ = paged()
			return metaResult{}
		}},
		{[]string{"e", "edit"}, `\e [FILE] [LINE]       edit the query buffer (or file) with external editor`, func(s *Session, e metaEnv) metaResult {
			if err := s.editorGate(e.name); err != nil {
				return s.metaErr(err.Error()) // the buffer stays
			}
			text, line := *e.buf, 0
			if strings.TrimSpace(text) == "" {
				text = s.lastQuery
			}
			if len(e.args) > 0 {
				content, err := os.ReadFile(e.args[0])
				if err != nil {
					return s.metaErr(fmt.Sprintf("%s: %s", e.args[0], osMessage(err)))
				}
				text = string(content)
			}
			return s.editAndRun(e.ctx, text, e.args, line, e.buf)
		}},
		{[]string{"ef"}, `\ef [FUNCNAME [LINE]]  edit function definition with external editor`, func(s *Session, e metaEnv) metaResult {
			if err := s.editorGate(e.name); err != nil {
				return s.metaErr(err.Error())
			}
			if len(e.args) == 0 {
				return s.metaErr(`\ef: a function name is required`)
			}
			sql := "SELECT pg_catalog.pg_get_functiondef(" + analyze.QuoteLiteral(e.args[0]) + "::pg_catalog.regprocedure)"
			if !strings.Contains(e.args[0], "(") {
				sql = "SELECT pg_catalog.pg_get_functiondef(" + analyze.QuoteLiteral(e.args[0]) + "::pg_catalog.regproc)"
			}
			_, rows, err := s.Query(e.ctx, sql)
			if err != nil {
				return metaResult{err: s.report(sql, err)}
			}
			if len(rows) != 1 || rows[0][0] == nil {
				return s.metaErr(fmt.Sprintf(`function "%s" does not exist`, e.args[0]))
			}
			return s.editAndRun(e.ctx, string(rows[0][0]), e.args, 0, nil)
		}},
		{[]string{"commit"}, `\commit                [safesql] commit the open transaction (COMMIT)`, func(s *Session, e metaEnv) metaResult {
			return metaResult{err: s.Exec(e.ctx, "COMMIT", nil)}
		}},
		{[]string{"rollback"}, `\rollback              [safesql] roll back the open transaction (ROLLBACK)`, func(s *Session, e metaEnv) metaResult {
			return metaResult{err: s.Exec(e.ctx, "ROLLBACK", nil)}
		}},
		{[]string{"write"}, `\write                 [safesql] allow writes in a read-only environment (asks for the word)`, func(s *Session, e metaEnv) metaResult {
			return metaResult{err: s.SetWrites(e.ctx, true)}
		}},
		{[]string{"read"}, `\read                  [safesql] make the session read-only again`, func(s *Session, e metaEnv) metaResult {
			return metaResult{err: s.SetWrites(e.ctx, false)}
		}},
		{[]string{"status"}, `\status                [safesql] show the transaction's state and its effects so far`, func(s *Session, e metaEnv) metaResult {
			s.PrintStatus(s.out)
			return metaResult{}
		}},
		{[]string{"dryrun"}, `\dryrun [STATEMENT]    [safesql] show what a statement (or the query buffer) would do, without running it`, func(s *Session, e metaEnv) metaResult {
			sql := strings.TrimSpace(s.interpolate(e.rawArgs))
			if sql == "" {
				sql = strings.TrimSpace(*e.buf)
				*e.buf = ""
			}
			return metaResult{err: s.DryRun(e.ctx, sql)}
		}},
		{[]string{"envs"}, `\envs                  [safesql] list the configured environments`, func(s *Session, e metaEnv) metaResult {
			if s.ListEnvs == nil {
				return s.metaErr(`\envs: no environments are configured here`)
			}
			s.ListEnvs(s.out)
			return metaResult{}
		}},
		{[]string{"r", "reset"}, `\r                     reset (clear) the query buffer`, func(s *Session, e metaEnv) metaResult {
			*e.buf = ""
			if !s.quiet() {
				fmt.Fprintln(s.streams.Out, "Query buffer reset (cleared).")
			}
			return metaResult{}
		}},
		{[]string{"p", "print"}, `\p                     show the contents of the query buffer`, func(s *Session, e metaEnv) metaResult {
			switch {
			case strings.TrimSpace(*e.buf) != "":
				fmt.Fprintln(s.streams.Out, *e.buf)
			case s.lastQuery != "":
				fmt.Fprintln(s.streams.Out, s.lastQuery)
			default:
				fmt.Fprintln(s.streams.Out, "Query buffer is empty.")
			}
			return metaResult{}
		}},
		{[]string{"restrict"}, `\restrict RESTRICT_KEY
                         enter restricted mode with provided key`, func(s *Session, e metaEnv) metaResult {
			if len(e.args) == 0 {
				return s.metaErr(`\restrict: missing required argument`)
			}
			s.restrictKey = e.args[0]
			return metaResult{}
		}},
		{[]string{"unrestrict"}, `\unrestrict RESTRICT_KEY
                         exit restricted mode if key matches`, func(s *Session, e metaEnv) metaResult {
			switch {
			case len(e.args) == 0:
				return s.metaErr(`\unrestrict: missing required argument`)
			case s.restrictKey == "":
				return s.metaErr(`\unrestrict: not currently in restricted mode`)
			case e.args[0] != s.restrictKey:
				return s.metaErr(`\unrestrict: wrong key`)
			}
			s.restrictKey = ""
			return metaResult{}
		}},
		{[]string{"echo"}, `\echo [-n] [STRING]    write string to standard output (-n for no newline)`, func(s *Session, e metaEnv) metaResult {
			echo(s.streams.Out, e)
			return metaResult{}
		}},
		{[]string{"qecho"}, `\qecho [-n] [STRING]   write string to \o output stream (-n for no newline)`, func(s *Session, e metaEnv) metaResult {
			echo(s.out, e)
			return metaResult{}
		}},
		{[]string{"warn"}, `\warn [-n] [STRING]    write string to standard error (-n for no newline)`, func(s *Session, e metaEnv) metaResult {
			echo(s.streams.Err, e)
			return metaResult{}
		}},
		{[]string{"set"}, `\set [NAME [VALUE]]    set internal variable, or list all if no parameters`, func(s *Session, e metaEnv) metaResult {
			if len(e.args) == 0 {
				for _, n := range s.Vars.Names() {
					v, _ := s.Vars.Get(n)
					fmt.Fprintf(s.out, "%s = '%s'\n", n, v)
				}
				return metaResult{}
			}
			if !ValidName(e.args[0]) {
				return s.metaErr(fmt.Sprintf(`invalid variable name: "%s"`, e.args[0]))
			}
			if err := s.Vars.Assign(e.args[0], strings.Join(e.args[1:], "")); err != nil {
				return s.metaErr(err.Error()) // the variable keeps its value
			}
			return metaResult{}
		}},
		{[]string{"unset"}, `\unset NAME            unset (delete) internal variable`, func(s *Session, e metaEnv) metaResult {
			if len(e.args) == 0 {
				return s.metaErr(`\unset: missing required argument`)
			}
			s.Vars.Remove(e.args[0]) // an invalid name is not there to remove
			return metaResult{}
		}},
		{[]string{"pset"}, `\pset [NAME [VALUE]]   set table output option
                         (border|columns|csv_fieldsep|expanded|fieldsep|
                         fieldsep_zero|footer|format|linestyle|null|
                         numericlocale|pager|pager_min_lines|recordsep|
                         recordsep_zero|tableattr|title|tuples_only|
                         unicode_border_linestyle|unicode_column_linestyle|
                         unicode_header_linestyle)`, func(s *Session, e metaEnv) metaResult {
			if len(e.args) == 0 {
				fmt.Fprint(s.streams.Out, PrintOptionsListing(s.Print))
				return metaResult{}
			}
			value := ""
			if len(e.args) > 1 {
				value = e.args[1]
			}
			if err := SetPrintOption(&s.Print, e.args[0], value, len(e.args) > 1); err != nil {
				return s.metaErr(err.Error())
			}
			s.psetInfo(e.args[0], len(e.args) > 1)
			return metaResult{}
		}},
		{[]string{"a"}, `\a                     toggle between unaligned and aligned output mode`, func(s *Session, e metaEnv) metaResult {
			if s.Print.Format == render.Aligned {
				s.Print.Format = render.Unaligned
			} else {
				s.Print.Format = render.Aligned
			}
			s.psetInfo("format", false)
			return metaResult{}
		}},
		{[]string{"t"}, `\t [on|off]            show only rows`, func(s *Session, e metaEnv) metaResult {
			return s.psetArg(e, "tuples_only")
		}},
		{[]string{"x"}, `\x [on|off|auto]       toggle expanded output`, func(s *Session, e metaEnv) metaResult {
			return s.psetArg(e, "expanded")
		}},
		{[]string{"f"}, `\f [STRING]            show or set field separator for unaligned query output`, func(s *Session, e metaEnv) metaResult {
			return s.psetArg(e, "fieldsep")
		}},
		{[]string{"o", "out"}, `\o [FILE]              send all query results to file or |pipe`, func(s *Session, e metaEnv) metaResult {
			target := ""
			if raw := strings.TrimSpace(e.rawArgs); strings.HasPrefix(raw, "|") {
				target = raw
			} else if len(e.args) > 0 {
				target = e.args[0]
			}
			if strings.HasPrefix(target, "|") {
				if err := s.shellGate(`\o ` + target); err != nil {
					return s.metaErr(err.Error()) // the output stays where it was
				}
			}
			if err := s.OpenOutput(e.ctx, target); err != nil {
				return s.metaErr(err.Error())
			}
			return metaResult{}
		}},
		{[]string{"i", "include"}, `\i FILE                execute commands from file`, func(s *Session, e metaEnv) metaResult {
			return s.include(e, false)
		}},
		{[]string{"ir", "include_relative"}, `\ir FILE               as \i, but relative to location of current script`, func(s *Session, e metaEnv) metaResult {
			return s.include(e, true)
		}},
		{[]string{"conninfo"}, `\conninfo              display information about current connection`, func(s *Session, e metaEnv) metaResult {
			c := s.Config()
			if strings.HasPrefix(c.Host, "/") {
				fmt.Fprintf(s.out, "You are connected to database \"%s\" as user \"%s\" via socket in \"%s\" at port \"%d\".\n", c.Database, c.User, c.Host, c.Port)
			} else {
				fmt.Fprintf(s.out, "You are connected to database \"%s\" as user \"%s\" on host \"%s\" at port \"%d\".\n", c.Database, c.User, c.Host, c.Port)
			}
			return metaResult{}
		}},
		{[]string{"?"}, `\? [commands]          show help on backslash commands`, func(s *Session, e metaEnv) metaResult {
			out, paged := s.pager(s.Print.Pager) // taller than the screen: paged, as psql
			defer func() { _ = paged() }()
			switch topic := strings.ToLower(strings.Join(e.args, "")); {
			case topic == "" || strings.HasPrefix("commands", topic):
				s.printHelp(out, metaCommands())
			case strings.HasPrefix("options", topic):
				if s.OptionsHelp != nil {
					fmt.Fprint(out, s.OptionsHelp())
				}
			case strings.HasPrefix("variables", topic):
				printVariablesHelp(out)
			default:
				s.printHelp(out, metaCommands())
			}
			return metaResult{}
		}},
	}, moreMetaCommands()...)
}

func (s *Session) runMeta(ctx context.Context, name, rawArgs string, buf *string, src Source, copyData io.Reader) metaResult {
	if s.restrictKey != "" && name != "unrestrict" {
		// pg_dump's scripts say \restrict so that data cannot smuggle in
		// backslash commands.
		return s.metaErr(`backslash commands are restricted; only \unrestrict is allowed`)
	}
	run := func(metaEnv) metaResult { return s.invalidCommand(name) }
	found := false
	for _, c := range metaCommands() {
		for _, n := range c.names {
			if n == name && !found {
				run, found = func(e metaEnv) metaResult { return c.run(s, e) }, true
			}
		}
	}
	if !found && describe.Handles(name) {
		run, found = func(e metaEnv) metaResult { return s.describeMeta(e.ctx, name, e.args) }, true
	}
	if !found {
		return s.invalidCommand(name)
	}
	// As psql, the command reads the arguments it takes, expanding
	// variables and running backquoted commands in them; the rest are
	// read without either and, once the command ran, warned about.
	e := metaEnv{ctx: ctx, name: name, rawArgs: rawArgs, buf: buf, src: src, copyData: copyData}
	sc := &argScanner{raw: rawArgs, lookup: s.Vars.Get, shell: s.backquote}
	n := metaArity(name, rawArgs)
	if n == wholeLine {
		// psql takes the rest of the line as it is: nothing is left over.
		e.args = metaArgsShell(rawArgs, nil, nil)
		sc.pos = len(rawArgs)
	} else {
		for n < 0 || len(e.args) < n {
			arg, quoted, ok := sc.next(true)
			if !ok {
				break
			}
			e.args = append(e.args, arg)
			e.quoted = append(e.quoted, quoted)
		}
	}
	warned := false
	e.extras = func() {
		if warned {
			return
		}
		warned = true
		for {
			extra, _, ok := sc.next(false)
			if !ok {
				return
			}
			s.metaLog("warning", fmt.Sprintf(`\%s: extra argument "%s" ignored`, name, extra))
		}
	}
	res := run(e)
	if res.err == nil {
		e.extras()
	}
	return res
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

// wholeLine is the arity of a command that takes the rest of its line as
// it is, without expanding variables or running backquoted commands.
const wholeLine = -2

// metaArity is how many arguments psql 15's command reads before the
// dispatcher warns about the rest: -1 for all of them (\echo, \set),
// wholeLine for the rest of the line as written (\!, \copy, \h).
func metaArity(name, raw string) int {
	pipe := strings.HasPrefix(strings.TrimLeft(raw, " \t\n\r"), "|")
	switch name {
	case "a", "conninfo", "copyright", "errverbose", "gdesc", "gexec", "H", "html",
		"p", "print", "q", "quit", "r", "reset",
		"commit", "rollback", "write", "read", "status", "envs":
		return 0
	case "o", "out", "w", "write_buffer":
		if pipe {
			return wholeLine // |command: the rest of the line
		}
		return 1
	case "C", "cd", "encoding", "f", "gset", "i", "include", "ir", "include_relative",
		"password", "s", "t", "T", "timing", "unset", "watch", "x", "?", "restrict", "unrestrict":
		return 1
	case "e", "edit", "pset", "setenv", "getenv", "prompt":
		return 2
	case "crosstabview":
		return 4
	case "c", "connect":
		// up to dbname, user, host and port, after -reuse-previous=
		sc := argScanner{raw: raw}
		if first, _, _ := sc.next(false); strings.HasPrefix(first, "-reuse-previous") {
			return 5
		}
		return 4
	case "g", "gx":
		// (options) up to the closing parenthesis, then a file or |command
		sc := argScanner{raw: raw}
		n := 0
		if first, _, ok := sc.next(false); ok && strings.HasPrefix(first, "(") {
			for arg := first; ok && !strings.HasSuffix(arg, ")"); {
				n++
				arg, _, ok = sc.next(false)
			}
			n++
		} else {
			sc.pos = 0 // no options: the file or |command comes first
		}
		if strings.HasPrefix(strings.TrimLeft(sc.rest(), " \t\n\r"), "|") {
			return wholeLine
		}
		return n + 1
	case "copy", "h", "help", "!", "sf", "sf+", "sv", "sv+", "ef", "ev", "dryrun":
		return wholeLine
	case "echo", "qecho", "warn", "set", "if", "elif":
		return -1
	}
	if strings.HasPrefix(name, "lo_") {
		return 2 // psql's \lo_ commands all read two
	}
	if describe.Handles(name) {
		return describe.MaxArgs(name)
	}
	return -1
}

// knownCommand reports whether psql 15 (or safesql) has a backslash
// command of this name, as psql's dispatcher decides even in an \if
// branch that does not run: every \d... and \lo_... is taken there.
func knownCommand(name string) bool {
	switch name {
	case "a", "C", "c", "connect", "cd", "conninfo", "copyright", "crosstabview",
		"e", "edit", "ef", "ev", "echo", "qecho", "warn", "if", "elif", "else", "endif",
		"encoding", "errverbose", "f", "g", "gx", "gdesc", "getenv", "gexec", "gset",
		"h", "help", "H", "html", "i", "include", "ir", "include_relative",
		"l", "list", "l+", "list+", "o", "out", "p", "print", "password", "prompt", "pset",
		"q", "quit", "r", "reset", "restrict", "s", "set", "setenv", "sf", "sf+", "sv", "sv+",
		"t", "T", "timing", "unrestrict", "unset", "w", "write", "watch", "x", "z", "!", "?":
		return true
	}
	if strings.HasPrefix(name, "d") || strings.HasPrefix(name, "lo_") || strings.EqualFold(name, "copy") {
		return true
	}
	for _, c := range metaCommands() {
		for _, n := range c.names {
			if n == name {
				return true
			}
		}
	}
	return false
}

// backquoteCommand substitutes variables in a backquoted command as psql
// does: :name as it is, :'name' quoted for the shell.
func backquoteCommand(text string, lookup func(string) (string, bool)) string {
	if lookup == nil {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == ':' {
			if ref, n := variableRef(text[i:]); n > 0 {
				if v, ok := lookup(ref.name); ok {
					if strings.HasPrefix(text[i:], ":'") {
						v = "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
					} else if strings.HasPrefix(text[i:], `:"`) {
						b.WriteString(text[i : i+n])
						i += n - 1
						continue
					}
					b.WriteString(v)
					i += n - 1
					continue
				}
			}
		}
		b.WriteByte(text[i])
	}
	return b.String()
}

// argsOf splits a backslash command's arguments as psql does, running
// backquoted commands (refused where the shell is).
func (s *Session) argsOf(raw string) []string {
	return metaArgsShell(raw, s.Vars.Get, s.backquote)
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

func (s *Session) psetArg(e metaEnv, option string) metaResult {
	value, has := "", len(e.args) > 0
	if has {
		value = e.args[0]
	}
	if err := SetPrintOption(&s.Print, option, value, has); err != nil {
		return s.metaErr(err.Error())
	}
	s.psetInfo(option, has)
	return metaResult{}
}

// psetInfo prints psql's confirmation of a changed print option, unless
// quiet. psql 15 says nothing when a purely boolean option is given a value
// (`\pset footer off`, `\t on`), only when it is toggled.
func (s *Session) psetInfo(option string, hasValue bool) {
	if s.quiet() {
		return
	}
	switch option {
	case "tuples_only", "t", "footer", "numericlocale":
		if hasValue {
			return
		}
	}
	if msg := PrintOptionInfo(s.Print, option); msg != "" {
		fmt.Fprintln(s.streams.Out, msg)
	}
}

// sendBufferTo is \g and \gx: print options for this query only (in
// parentheses, as \pset takes them), then a file or |command its result
// goes to.
func (s *Session) sendBufferTo(e metaEnv, expanded bool) metaResult {
	p := s.Print
	args := e.args
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
			if err := SetPrintOption(&p, name, value, has); err != nil {
				return s.metaErr(err.Error()) // psql keeps the buffer
			}
		}
		if !closed {
			return s.metaErr(fmt.Sprintf(`\%s: missing right parenthesis`, e.name))
		}
	}
	if expanded {
		p.Expanded = render.ExpandedOn
	}
	if len(args) == 0 {
		return s.sendBuffer(e, p)
	}
	target := args[0]
	if strings.HasPrefix(target, "|") {
		// The rest of the line is the command, as psql takes it.
		raw := e.rawArgs
		target = strings.TrimSpace(raw[strings.IndexByte(raw, '|'):])
		// Refused before the query runs: the buffer stays for a \g
		// without the pipe.
		if err := s.shellGate(`\` + e.name + " " + target); err != nil {
			return s.metaErr(err.Error())
		}
	}
	// As psql, the target is opened when there is output for it: a query
	// that fails never complains about the file.
	lazy := &lazyTarget{open: func() (io.Writer, io.Closer, error) { return s.openTarget(e.ctx, target) }}
	out, outFile := s.out, s.outFile
	s.out, s.outFile = lazy, lazy // not the terminal: no pager, no width
	res := s.sendBuffer(e, p)
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

func (s *Session) sendBuffer(e metaEnv, p render.Options) metaResult {
	if e.extras != nil {
		e.extras()
	}
	sql := *e.buf
	*e.buf = ""
	if strings.TrimSpace(sql) == "" {
		sql = s.lastQuery // psql sends the previous query again
	}
	if strings.TrimSpace(sql) == "" {
		return metaResult{}
	}
	saved := s.Print
	s.Print = p
	defer func() { s.Print = saved }()
	return metaResult{err: s.Exec(e.ctx, sql, nil)}
}

func (s *Session) include(e metaEnv, relative bool) metaResult {
	if len(e.args) == 0 {
		return s.metaErr(`\i: missing required argument`)
	}
	path := e.args[0]
	if relative && !filepath.IsAbs(path) && e.src.Dir != "" {
		path = filepath.Join(e.src.Dir, path)
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
		plan, err := s.MakePlan(e.ctx, []engine.PlanInput{{Name: path, R: f}})
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
	st := s.RunScript(e.ctx, f, Source{Name: path, Dir: filepath.Dir(path)})
	if st == engine.StatusFatal && s.readFailed {
		s.readFailed = false
		return metaResult{err: engine.ErrStatementFailed} // as psql: the script goes on
	}
	if st != engine.StatusOK {
		return metaResult{quit: true, status: st}
	}
	return metaResult{}
}

// echo is \echo, \qecho and \warn: an unquoted -n first leaves out the
// newline; '-n' is text.
func echo(w io.Writer, e metaEnv) {
	args, nl := e.args, "\n"
	if len(args) > 0 && args[0] == "-n" && (len(e.quoted) == 0 || !e.quoted[0]) {
		args, nl = args[1:], ""
	}
	fmt.Fprint(w, strings.Join(args, " ")+nl)
}

// metaArgs splits a backslash command's arguments the way psql's OT_NORMAL
// scanning does for the common cases: whitespace separates, single quotes
// quote (a doubled quote and backslash escapes inside), double quotes are
// kept, and :name, :'name' and :"name" outside quotes are replaced by the
// variable (quoted as a literal or identifier), or left as written when it
// is not set.
func metaArgs(raw string, lookup func(string) (string, bool)) []string {
	return metaArgsShell(raw, lookup, nil)
}

// metaArgsShell is metaArgs with psql's backquotes: the text between them
// (with :name and :'name' substituted, the latter quoted for the shell)
// runs as a shell command and its output, less one trailing newline,
// takes its place. With shell nil, backquoted text stays as it is (the
// plan made before a run executes nothing).
func metaArgsShell(raw string, lookup func(string) (string, bool), shell func(command string) string) []string {
	sc := argScanner{raw: raw, lookup: lookup, shell: shell}
	var args []string
	for {
		arg, _, ok := sc.next(true)
		if !ok {
			return args
		}
		args = append(args, arg)
	}
}

// argScanner reads a backslash command's arguments one at a time, as
// psql's slash-command lexer hands them to the command that asks for
// them. An argument read without evaluation (an ignored extra argument,
// psql's IFSTATE_IGNORED scanning) expands no variable and runs no
// backquoted command: :name stays as written, :{?name} reads FALSE and
// a backquoted command is left as its text, without the backquotes.
type argScanner struct {
	raw    string
	pos    int
	lookup func(string) (string, bool)
	shell  func(command string) string
}

// next returns the next argument and whether any of it was quoted; ok is
// false at the end of the arguments.
func (a *argScanner) next(eval bool) (arg string, quoted, ok bool) {
	raw := a.raw
	var cur strings.Builder
	in, started := byte(0), false
	lookup, shell := a.lookup, a.shell
	if !eval {
		lookup = func(string) (string, bool) { return "", false }
		shell = func(command string) string { return command }
	}
	i := a.pos
	defer func() { a.pos = i }()
	for ; i < len(raw); i++ {
		c := raw[i]
		switch {
		case in == '\'':
			switch {
			case c == '\'' && i+1 < len(raw) && raw[i+1] == '\'':
				cur.WriteByte('\'')
				i++
			case c == '\'':
				in = 0
			case c == '\\' && i+1 < len(raw):
				i += quoteEscape(&cur, raw[i+1:])
			default:
				cur.WriteByte(c)
			}
		case in == '"':
			cur.WriteByte(c)
			if c == '"' {
				in = 0
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if started {
				return cString(cur.String()), quoted, true
			}
		case c == ':' && a.lookup != nil && strings.HasPrefix(raw[i:], ":{?"):
			if end := strings.IndexByte(raw[i:], '}'); end > 3 {
				if _, ok := lookup(raw[i+3 : i+end]); ok {
					cur.WriteString("TRUE")
				} else {
					cur.WriteString("FALSE")
				}
				started = true
				i += end
				continue
			}
			started = true
			cur.WriteByte(c)
		case c == ':' && a.lookup != nil:
			if ref, n := variableRef(raw[i:]); n > 0 {
				if v, ok := lookup(ref.name); ok {
					cur.WriteString(split.Interpolate(raw[i:i+n], func(string) (string, bool) { return v, true }))
				} else {
					cur.WriteString(raw[i : i+n])
				}
				started = true
				i += n - 1
				continue
			}
			started = true
			cur.WriteByte(c)
		case c == '\'':
			in, started, quoted = c, true, true
		case c == '"':
			in, started, quoted = c, true, true
			cur.WriteByte(c)
		case c == '`' && a.shell != nil:
			quoted = true
			end := strings.IndexByte(raw[i+1:], '`')
			if end < 0 {
				cur.WriteString(raw[i:]) // psql: an unterminated quote
				i = len(raw)
				started = true
				continue
			}
			cur.WriteString(shell(backquoteCommand(raw[i+1:i+1+end], lookup)))
			started = true
			i += end + 1
		default:
			started = true
			cur.WriteByte(c)
		}
	}
	return cString(cur.String()), quoted, started
}

// cString cuts an argument at its first NUL byte ('\0' in quotes): psql's
// arguments are C strings.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// quoteEscape writes the character a backslash escape inside single
// quotes stands for, as psql reads it (\n \t \b \r \f, octal \ooo, hex
// \xhh, else the character itself), and returns how many bytes after
// the backslash it took.
func quoteEscape(b *strings.Builder, s string) int {
	switch s[0] {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'b':
		b.WriteByte('\b')
	case 'r':
		b.WriteByte('\r')
	case 'f':
		b.WriteByte('\f')
	case '0', '1', '2', '3', '4', '5', '6', '7':
		n, v := 0, 0
		for n < 3 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
			v = v*8 + int(s[n]-'0')
			n++
		}
		b.WriteByte(byte(v))
		return n
	case 'x':
		n, v := 1, 0
		for n < 3 && n < len(s) && isHexDigit(s[n]) {
			v = v*16 + digitValue(s[n])
			n++
		}
		if n == 1 {
			b.WriteByte('x')
			return 1
		}
		b.WriteByte(byte(v))
		return n
	default:
		b.WriteByte(s[0])
	}
	return 1
}

// rest returns what is left of the arguments, unread.
func (a *argScanner) rest() string { return a.raw[a.pos:] }

type varRef struct{ name string }

// variableRef recognises :name, :'name' and :"name" at the start of s and
// returns its length (0 when s does not start with one).
func variableRef(s string) (varRef, int) {
	if len(s) < 2 || s[0] != ':' {
		return varRef{}, 0
	}
	isName := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
	}
	if q := s[1]; q == '\'' || q == '"' {
		j := 2
		for j < len(s) && isName(s[j]) {
			j++
		}
		if j > 2 && j < len(s) && s[j] == q {
			return varRef{s[2:j]}, j + 1
		}
		return varRef{}, 0
	}
	j := 1
	for j < len(s) && isName(s[j]) {
		j++
	}
	if j == 1 {
		return varRef{}, 0
	}
	return varRef{s[1:j]}, j
}

// MetaCommandNames lists every backslash command with its backslash, for
// completion.
func (s *Session) MetaCommandNames() []string {
	var names []string
	for _, c := range metaCommands() {
		for _, n := range c.names {
			names = append(names, `\`+n)
		}
	}
	for _, n := range []string{"d", "d+", "dt", "dt+", "di", "dv", "dm", "ds", "dn", "df", "dT", "du", "dg", "dp", "dx", "l", "l+", "z"} {
		names = append(names, `\`+n)
	}
	sort.Strings(names)
	return names
}
