package meta

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/render"
	"github.com/safesql/safesql/repl/sqlhelp"
)

// Commands is every backslash command, in the order \? lists them within
// their sections (psql 15's).
func Commands() []Command {
	var rows []Command
	for _, part := range [][]Command{
		generalCommands(), helpCommands(), bufferCommands(), ioCommands(), conditionalCommands(),
		informationalCommands(), largeObjectCommands(), formattingCommands(), connectionCommands(),
		osCommands(), variableCommands(), safesqlCommands(),
	} {
		rows = append(rows, part...)
	}
	return rows
}

func generalCommands() []Command {
	return []Command{
		{Names: []string{"copyright"}, Section: General, Help: `\copyright             show safesql and PostgreSQL usage and distribution terms`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				fmt.Fprint(h.Stdout(), "safesql, a psql-compatible PostgreSQL shell that keeps production safe.\n"+
					"safesql is released under the Apache License, Version 2.0 (the LICENSE file).\n\n"+
					"PostgreSQL Database Management System\n"+
					"PostgreSQL is released under the PostgreSQL License:\n"+
					"https://www.postgresql.org/about/licence/\n")
				return Result{}
			}},
		{Names: []string{"crosstabview"}, Section: General, Args: 4, Help: `\crosstabview [COLUMNS] execute query and display result in crosstab`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.Crosstab(ctx, e) }},
		{Names: []string{"errverbose"}, Section: General, Help: `\errverbose            show most recent error message at maximum verbosity`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.ErrVerbose(ctx, e) }},
		{Names: []string{"g"}, Section: General, ArgsOf: sendArgs, Help: `\g [(OPTIONS)] [FILE]  execute query (and send result to file or |pipe);
                         \g with no arguments is equivalent to a semicolon`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.Send(ctx, e, false) }},
		{Names: []string{"gdesc"}, Section: General, Help: `\gdesc                 describe result of query, without executing it`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				if sql, found := takeQuery(h, e); found {
					return h.GDesc(ctx, sql)
				}
				return Result{}
			}},
		{Names: []string{"gexec"}, Section: General, Help: `\gexec                 execute query, then execute each value in its result`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				if sql, found := takeQuery(h, e); found {
					return h.GExec(ctx, sql)
				}
				return Result{}
			}},
		{Names: []string{"gset"}, Section: General, Args: 1, Help: `\gset [PREFIX]         execute query and store result in psql variables`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.GSet(ctx, e) }},
		{Names: []string{"gx"}, Section: General, ArgsOf: sendArgs, Help: `\gx [(OPTIONS)] [FILE] as \g, but forces expanded output mode`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.Send(ctx, e, true) }},
		{Names: []string{"q", "quit"}, Section: General, Help: `\q                     quit safesql`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return Result{Quit: true} }},
		{Names: []string{"restrict"}, Section: General, Args: 1, Help: `\restrict RESTRICT_KEY
                         enter restricted mode with provided key`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				if len(e.Args) == 0 {
					return h.Fail(`\restrict: missing required argument`)
				}
				h.SetRestrictKey(e.Args[0])
				return Result{}
			}},
		{Names: []string{"unrestrict"}, Section: General, Args: 1, Help: `\unrestrict RESTRICT_KEY
                         exit restricted mode if key matches`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				switch {
				case len(e.Args) == 0:
					return h.Fail(`\unrestrict: missing required argument`)
				case h.RestrictKey() == "":
					return h.Fail(`\unrestrict: not currently in restricted mode`)
				case e.Args[0] != h.RestrictKey():
					return h.Fail(`\unrestrict: wrong key`)
				}
				h.SetRestrictKey("")
				return Result{}
			}},
		{Names: []string{"watch"}, Section: General, Args: 1, Help: `\watch [SEC]           execute query every SEC seconds`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.Watch(ctx, e) }},
	}
}

// sendArgs is the arity of \g and \gx: (options) up to the closing
// parenthesis, then a file or |command (the rest of the line).
func sendArgs(raw string) int {
	sc := Scanner{Raw: raw}
	n := 0
	if first, _, ok := sc.Next(false); ok && strings.HasPrefix(first, "(") {
		for arg := first; ok && !strings.HasSuffix(arg, ")"); {
			n++
			arg, _, ok = sc.Next(false)
		}
		n++
	} else {
		sc = Scanner{Raw: raw} // no options: the file or |command comes first
	}
	if strings.HasPrefix(strings.TrimLeft(sc.Rest(), " \t\n\r"), "|") {
		return WholeLine
	}
	return n + 1
}

// pipeArgs is the arity of \o and \w: one file, or a |command that is
// the rest of the line.
func pipeArgs(raw string) int {
	if strings.HasPrefix(strings.TrimLeft(raw, " \t\n\r"), "|") {
		return WholeLine
	}
	return 1
}

func helpCommands() []Command {
	return []Command{
		{Names: []string{"?"}, Section: Help, Args: 1, Help: `\? [commands]          show help on backslash commands
  \? options             show help on safesql command-line options
  \? variables           show help on special variables`,
			Run: nil}, // set by NewDefaultTable: \? reads the table itself
		{Names: []string{"h", "help"}, Section: Help, Args: WholeLine, Help: `\h [NAME]              help on syntax of SQL commands, * for all commands`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				// As psql: the rest of the line is the topic,
				// uninterpolated; the help goes to standard output, not
				// the \o file, in columns as wide as the terminal, or 80.
				width := 80
				if w := h.TerminalWidth(); w > 0 {
					width = w
				}
				out, done := h.Pager()
				if out == h.Output() {
					out = h.Stdout() // help is not for the \o file
				}
				fmt.Fprint(out, sqlhelp.Help(e.RawArgs, width))
				_ = done()
				return Result{}
			}},
	}
}

// takeQuery is the query a command sends: the buffer, emptied, or the
// previous query when it is blank; false when both are. The arguments
// the command does not take are warned about first, before the query
// runs, as psql does.
func takeQuery(h Host, e *Env) (string, bool) {
	e.Extras()
	sql := lastOr(h, *e.Buf)
	*e.Buf = ""
	return sql, strings.TrimSpace(sql) != ""
}

// lastOr is the query buffer, or the previous query when it is blank.
func lastOr(h Host, buf string) string {
	if strings.TrimSpace(buf) == "" {
		return h.LastQuery()
	}
	return buf
}

func bufferCommands() []Command {
	return []Command{
		{Names: []string{"e", "edit"}, Section: QueryBuffer, Args: 2, Help: `\e [FILE] [LINE]       edit the query buffer (or file) with external editor`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.Edit(ctx, e) }},
		{Names: []string{"ef"}, Section: QueryBuffer, Args: WholeLine, Help: `\ef [FUNCNAME [LINE]]  edit function definition with external editor`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.EditFunction(ctx, e) }},
		{Names: []string{"ev"}, Section: QueryBuffer, Args: WholeLine, Help: `\ev [VIEWNAME [LINE]]  edit view definition with external editor`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.EditView(ctx, e) }},
		{Names: []string{"p", "print"}, Section: QueryBuffer, Help: `\p                     show the contents of the query buffer`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				switch {
				case strings.TrimSpace(*e.Buf) != "":
					fmt.Fprintln(h.Stdout(), *e.Buf)
				case h.LastQuery() != "":
					fmt.Fprintln(h.Stdout(), h.LastQuery())
				default:
					fmt.Fprintln(h.Stdout(), "Query buffer is empty.")
				}
				return Result{}
			}},
		{Names: []string{"r", "reset"}, Section: QueryBuffer, Help: `\r                     reset (clear) the query buffer`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				*e.Buf = ""
				if !h.Quiet() {
					fmt.Fprintln(h.Stdout(), "Query buffer reset (cleared).")
				}
				return Result{}
			}},
		{Names: []string{"s"}, Section: QueryBuffer, Args: 1, Help: `\s [FILE]              display history or save it to file`,
			Run: history},
		{Names: []string{"w", "write_buffer"}, Section: QueryBuffer, ArgsOf: pipeArgs, Help: `\w FILE                write query buffer to file`,
			Run: writeBuffer},
	}
}

// history is \s [FILE].
func history(ctx context.Context, h Host, e *Env) Result {
	entries, ok := h.History()
	if !ok {
		// psql without a history: a failure, and a blank line where it
		// would have printed the history.
		if len(e.Args) == 0 {
			fmt.Fprintln(h.Stdout())
		}
		return h.Fail("")
	}
	var b strings.Builder
	for _, entry := range entries {
		// Redacted again: a history file may hold what an older
		// safesql kept.
		b.WriteString(audit.Redact(entry) + "\n")
	}
	if len(e.Args) == 0 {
		fmt.Fprint(h.Stdout(), b.String())
		fmt.Fprintln(h.Stdout())
		return Result{}
	}
	if err := os.WriteFile(e.Args[0], []byte(b.String()), 0o600); err != nil {
		return h.Fail(fmt.Sprintf("could not save history to file \"%s\": %s", e.Args[0], OSMessage(err)))
	}
	if !h.Quiet() {
		fmt.Fprintf(h.Stdout(), "Wrote history to file \"%s\".\n", e.Args[0])
	}
	return Result{}
}

// writeBuffer is \w FILE and \w |command.
func writeBuffer(ctx context.Context, h Host, e *Env) Result {
	if len(e.Args) == 0 {
		return h.Fail(`\w: missing required argument`)
	}
	text := lastOr(h, *e.Buf)
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	if raw := strings.TrimSpace(e.RawArgs); strings.HasPrefix(raw, "|") {
		// \w |command: the buffer is the command's input, as psql.
		if err := h.ShellGate(`\w ` + raw); err != nil {
			return h.Fail(err.Error())
		}
		w, c, err := h.OpenTarget(ctx, raw)
		if err != nil {
			return h.Fail(err.Error())
		}
		_, werr := io.WriteString(w, text)
		if err := c.Close(); err != nil && werr == nil {
			werr = err
		}
		if werr != nil {
			return h.Fail(fmt.Sprintf("%s: %v", raw, werr))
		}
		return Result{}
	}
	if err := os.WriteFile(e.Args[0], []byte(text), 0o644); err != nil {
		return h.Fail(fmt.Sprintf("%s: %s", e.Args[0], OSMessage(err)))
	}
	return Result{}
}

func ioCommands() []Command {
	return []Command{
		{Names: []string{"copy"}, Section: InputOutput, Args: WholeLine, Help: `\copy ...              perform SQL COPY with data stream to the client host`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.Copy(ctx, e) }},
		{Names: []string{"echo"}, Section: InputOutput, Args: AllArgs, Help: `\echo [-n] [STRING]    write string to standard output (-n for no newline)`,
			Run: func(ctx context.Context, h Host, e *Env) Result { echo(h.Stdout(), e); return Result{} }},
		{Names: []string{"i", "include"}, Section: InputOutput, Args: 1, Help: `\i FILE                execute commands from file`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.Include(ctx, e, false) }},
		{Names: []string{"ir", "include_relative"}, Section: InputOutput, Args: 1, Help: `\ir FILE               as \i, but relative to location of current script`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.Include(ctx, e, true) }},
		{Names: []string{"o", "out"}, Section: InputOutput, ArgsOf: pipeArgs, Help: `\o [FILE]              send all query results to file or |pipe`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				target := ""
				if raw := strings.TrimSpace(e.RawArgs); strings.HasPrefix(raw, "|") {
					target = raw
				} else if len(e.Args) > 0 {
					target = e.Args[0]
				}
				if strings.HasPrefix(target, "|") {
					if err := h.ShellGate(`\o ` + target); err != nil {
						return h.Fail(err.Error()) // the output stays where it was
					}
				}
				if err := h.OpenOutput(ctx, target); err != nil {
					return h.Fail(err.Error())
				}
				return Result{}
			}},
		{Names: []string{"qecho"}, Section: InputOutput, Args: AllArgs, Help: `\qecho [-n] [STRING]   write string to \o output stream (-n for no newline)`,
			Run: func(ctx context.Context, h Host, e *Env) Result { echo(h.Output(), e); return Result{} }},
		{Names: []string{"warn"}, Section: InputOutput, Args: AllArgs, Help: `\warn [-n] [STRING]    write string to standard error (-n for no newline)`,
			Run: func(ctx context.Context, h Host, e *Env) Result { echo(h.Stderr(), e); return Result{} }},
	}
}

// echo is \echo, \qecho and \warn: an unquoted -n first leaves out the
// newline; '-n' is text.
func echo(w io.Writer, e *Env) {
	args, nl := e.Args, "\n"
	if len(args) > 0 && args[0] == "-n" && (len(e.Quoted) == 0 || !e.Quoted[0]) {
		args, nl = args[1:], ""
	}
	fmt.Fprint(w, strings.Join(args, " ")+nl)
}

// conditionalCommands are run by the loop itself (they decide what it
// reads next); their rows give their help and arguments.
func conditionalCommands() []Command {
	return []Command{
		{Names: []string{"if"}, Section: Conditional, Args: AllArgs, Help: `\if EXPR               begin conditional block`},
		{Names: []string{"elif"}, Section: Conditional, Args: AllArgs, Help: `\elif EXPR             alternative within current conditional block`},
		{Names: []string{"else"}, Section: Conditional, Args: AllArgs, Help: `\else                  final alternative within current conditional block`},
		{Names: []string{"endif"}, Section: Conditional, Args: AllArgs, Help: `\endif                 end conditional block`},
	}
}

// informationalCommands are \sf and \sv; the describing commands are
// package describe's (the Host's Describe runs them).
func informationalCommands() []Command {
	return []Command{
		{Names: []string{"sf", "sf+"}, Section: Informational, Args: WholeLine, Help: `\sf[+]  FUNCNAME       show a function's definition`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.ShowSource(ctx, e, true) }},
		{Names: []string{"sv", "sv+"}, Section: Informational, Args: WholeLine, Help: `\sv[+]  VIEWNAME       show a view's definition`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.ShowSource(ctx, e, false) }},
	}
}

func largeObjectCommands() []Command {
	return []Command{
		{Names: []string{"lo_export"}, Section: LargeObjects, Args: 2, Help: `\lo_export LOBOID FILE write large object to file`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.LargeObjectExport(ctx, e) }},
		{Names: []string{"lo_import"}, Section: LargeObjects, Args: 2, Help: `\lo_import FILE [COMMENT]
                         read large object from file`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.LargeObjectImport(ctx, e) }},
		{Names: []string{"lo_list", "lo_list+"}, Section: LargeObjects, Args: 2, Help: `\lo_list[+]            list large objects`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.Describe(ctx, e) }},
		{Names: []string{"lo_unlink"}, Section: LargeObjects, Args: 2, Help: `\lo_unlink LOBOID      delete a large object`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.LargeObjectUnlink(ctx, e) }},
	}
}

// onOff is psql's "(currently on)" and "(currently off)".
func onOff(on bool) string {
	if on {
		return " (currently on)"
	}
	return " (currently off)"
}

func formattingCommands() []Command {
	return []Command{
		{Names: []string{"a"}, Section: Formatting, Help: `\a                     toggle between unaligned and aligned output mode`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				p := h.Print()
				if p.Format == render.Aligned {
					p.Format = render.Unaligned
				} else {
					p.Format = render.Aligned
				}
				printOptionInfo(h, "format", false)
				return Result{}
			}},
		{Names: []string{"C"}, Section: Formatting, Args: 1, Help: `\C [STRING]            set table title, or unset if none`,
			Run: psetArg("title")},
		{Names: []string{"f"}, Section: Formatting, Args: 1, Help: `\f [STRING]            show or set field separator for unaligned query output`,
			Run: psetArg("fieldsep")},
		{Names: []string{"H", "html"}, Section: Formatting, Help: `\H                     toggle HTML output mode`,
			Currently: func(h Host) string { return onOff(h.Print().Format == render.HTML) },
			Run: func(ctx context.Context, h Host, e *Env) Result {
				format := "html"
				if h.Print().Format == render.HTML {
					format = "aligned"
				}
				if err := SetPrintOption(h.Print(), "format", format, true); err != nil {
					return h.Fail(err.Error())
				}
				printOptionInfo(h, "format", true)
				return Result{}
			}},
		{Names: []string{"pset"}, Section: Formatting, Args: 2, Help: `\pset [NAME [VALUE]]   set table output option
                         (border|columns|csv_fieldsep|expanded|fieldsep|
                         fieldsep_zero|footer|format|linestyle|null|
                         numericlocale|pager|pager_min_lines|recordsep|
                         recordsep_zero|tableattr|title|tuples_only|
                         unicode_border_linestyle|unicode_column_linestyle|
                         unicode_header_linestyle)`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				if len(e.Args) == 0 {
					fmt.Fprint(h.Stdout(), PrintOptionsListing(*h.Print()))
					return Result{}
				}
				value := ""
				if len(e.Args) > 1 {
					value = e.Args[1]
				}
				if err := SetPrintOption(h.Print(), e.Args[0], value, len(e.Args) > 1); err != nil {
					return h.Fail(err.Error())
				}
				printOptionInfo(h, e.Args[0], len(e.Args) > 1)
				return Result{}
			}},
		{Names: []string{"t"}, Section: Formatting, Args: 1, Help: `\t [on|off]            show only rows`,
			Currently: func(h Host) string { return onOff(h.Print().TuplesOnly) },
			Run:       psetArg("tuples_only")},
		{Names: []string{"T"}, Section: Formatting, Args: 1, Help: `\T [STRING]            set HTML <table> tag attributes, or unset if none`,
			Run: psetArg("tableattr")},
		{Names: []string{"x"}, Section: Formatting, Args: 1, Help: `\x [on|off|auto]       toggle expanded output`,
			Currently: func(h Host) string {
				switch h.Print().Expanded {
				case render.ExpandedOn:
					return " (currently on)"
				case render.ExpandedAuto:
					return " (currently auto)"
				}
				return " (currently off)"
			},
			Run: psetArg("expanded")},
	}
}

// psetArg is a command that sets one \pset option (\t, \x, \f ...).
func psetArg(option string) Handler {
	return func(ctx context.Context, h Host, e *Env) Result {
		value, has := "", len(e.Args) > 0
		if has {
			value = e.Args[0]
		}
		if err := SetPrintOption(h.Print(), option, value, has); err != nil {
			return h.Fail(err.Error())
		}
		printOptionInfo(h, option, has)
		return Result{}
	}
}

// printOptionInfo prints psql's confirmation of a changed print option,
// unless quiet. psql 15 says nothing when a purely boolean option is
// given a value (`\pset footer off`, `\t on`), only when it is toggled.
func printOptionInfo(h Host, option string, hasValue bool) {
	if h.Quiet() {
		return
	}
	switch option {
	case "tuples_only", "t", "footer", "numericlocale":
		if hasValue {
			return
		}
	}
	if msg := PrintOptionInfo(*h.Print(), option); msg != "" {
		fmt.Fprintln(h.Stdout(), msg)
	}
}

func connectionCommands() []Command {
	return []Command{
		{Names: []string{"c", "connect"}, Section: Connection, ArgsOf: connectArgs, Help: `\c[onnect] {[DBNAME|- USER|- HOST|- PORT|-] | conninfo}
                         connect to new database`,
			Currently: func(h Host) string { return fmt.Sprintf(" (currently \"%s\")", h.ConnInfo().Database) },
			Run:       func(ctx context.Context, h Host, e *Env) Result { return h.Connect(ctx, e) }},
		{Names: []string{"conninfo"}, Section: Connection, Help: `\conninfo              display information about current connection`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				c := h.ConnInfo()
				if strings.HasPrefix(c.Host, "/") {
					fmt.Fprintf(h.Output(), "You are connected to database \"%s\" as user \"%s\" via socket in \"%s\" at port \"%d\".\n", c.Database, c.User, c.Host, c.Port)
				} else {
					fmt.Fprintf(h.Output(), "You are connected to database \"%s\" as user \"%s\" on host \"%s\" at port \"%d\".\n", c.Database, c.User, c.Host, c.Port)
				}
				return Result{}
			}},
		{Names: []string{"encoding"}, Section: Connection, Args: 1, Help: `\encoding [ENCODING]   show or set client encoding`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				if len(e.Args) == 0 {
					fmt.Fprintln(h.Stdout(), h.ClientEncoding())
					return Result{}
				}
				if err := h.SetClientEncoding(ctx, e.Args[0]); err != nil {
					return h.Fail(fmt.Sprintf("%s: invalid encoding name or conversion procedure not found", e.Args[0]))
				}
				return Result{}
			}},
		{Names: []string{"password"}, Section: Connection, Args: 1, Help: `\password [USERNAME]   securely change the password for a user`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return h.Password(ctx, e) }},
	}
}

// connectArgs is the arity of \c: up to dbname, user, host and port,
// after -reuse-previous=.
func connectArgs(raw string) int {
	sc := Scanner{Raw: raw}
	if first, _, _ := sc.Next(false); strings.HasPrefix(first, "-reuse-previous") {
		return 5
	}
	return 4
}

func osCommands() []Command {
	return []Command{
		{Names: []string{"cd"}, Section: OperatingSystem, Args: 1, Help: `\cd [DIR]              change the current working directory`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				dir := ""
				if len(e.Args) > 0 {
					dir = e.Args[0]
				} else if home, err := os.UserHomeDir(); err == nil {
					dir = home
				}
				if err := os.Chdir(dir); err != nil {
					return h.Fail(fmt.Sprintf(`\cd: could not change directory to "%s": %s`, dir, OSMessage(err)))
				}
				return Result{}
			}},
		{Names: []string{"getenv"}, Section: OperatingSystem, Args: 2, Help: `\getenv PSQLVAR ENVVAR fetch environment variable`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				if len(e.Args) < 2 {
					return h.Fail(`\getenv: missing required argument`)
				}
				if v, found := os.LookupEnv(e.Args[1]); found {
					if err := h.AssignVar(e.Args[0], v); err != nil {
						return h.Fail(err.Error())
					}
				}
				return Result{}
			}},
		{Names: []string{"setenv"}, Section: OperatingSystem, Args: 2, Help: `\setenv NAME [VALUE]   set or unset environment variable`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				if len(e.Args) == 0 {
					return h.Fail(`\setenv: missing required argument`)
				}
				name := e.Args[0]
				if strings.Contains(name, "=") {
					return h.Fail(`environment variable name must not contain "="`)
				}
				if err := h.EnvGate(name); err != nil {
					return h.Fail(err.Error())
				}
				var err error
				if len(e.Args) == 1 {
					err = os.Unsetenv(name)
				} else {
					err = os.Setenv(name, e.Args[1])
				}
				if err != nil {
					return h.Fail(fmt.Sprintf(`\setenv: %v`, err))
				}
				return Result{}
			}},
		{Names: []string{"timing"}, Section: OperatingSystem, Args: 1, Help: `\timing [on|off]       toggle timing of commands`,
			Currently: func(h Host) string { return onOff(h.Timing()) },
			Run: func(ctx context.Context, h Host, e *Env) Result {
				if len(e.Args) == 0 {
					h.SetTiming(!h.Timing())
				} else if v, valid := analyze.ParseBool(e.Args[0]); valid {
					h.SetTiming(v)
				} else {
					return h.Fail(fmt.Sprintf(`unrecognized value "%s" for "\timing": Boolean expected`, e.Args[0]))
				}
				if !h.Quiet() {
					if h.Timing() {
						fmt.Fprintln(h.Stdout(), "Timing is on.")
					} else {
						fmt.Fprintln(h.Stdout(), "Timing is off.")
					}
				}
				return Result{}
			}},
		{Names: []string{"!"}, Section: OperatingSystem, Args: WholeLine, Help: `\! [COMMAND]           execute command in shell or start interactive shell`,
			Run: runShell},
	}
}

// runShell is \! [COMMAND].
func runShell(ctx context.Context, h Host, e *Env) Result {
	if err := h.ShellGate(`\!`); err != nil {
		return h.Fail(err.Error())
	}
	command := strings.TrimSpace(e.RawArgs)
	if command == "" {
		command = "exec ${SHELL:-/bin/sh}"
	}
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	cmd.Args[0] = "sh" // as system() names it in the shell's messages
	cmd.Stdin, cmd.Stdout, cmd.Stderr = h.Stdin(), h.Stdout(), h.Stderr()
	if err := cmd.Run(); err != nil {
		if _, exited := err.(*exec.ExitError); !exited {
			return h.Fail(fmt.Sprintf("\\!: failed: %v", err))
		}
		return h.Fail("")
	}
	return Result{}
}

func variableCommands() []Command {
	return []Command{
		{Names: []string{"prompt"}, Section: Variables, Args: 2, Help: `\prompt [TEXT] NAME    prompt user to set internal variable`,
			Run: prompt},
		{Names: []string{"set"}, Section: Variables, Args: AllArgs, Help: `\set [NAME [VALUE]]    set internal variable, or list all if no parameters`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				if len(e.Args) == 0 {
					for _, n := range h.VarNames() {
						v, _ := h.Var(n)
						fmt.Fprintf(h.Output(), "%s = '%s'\n", n, v)
					}
					return Result{}
				}
				if err := h.AssignVar(e.Args[0], strings.Join(e.Args[1:], "")); err != nil {
					return h.Fail(err.Error()) // the variable keeps its value
				}
				return Result{}
			}},
		{Names: []string{"unset"}, Section: Variables, Args: 1, Help: `\unset NAME            unset (delete) internal variable`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				if len(e.Args) == 0 {
					return h.Fail(`\unset: missing required argument`)
				}
				h.RemoveVar(e.Args[0]) // an invalid name is not there to remove
				return Result{}
			}},
	}
}

func safesqlCommands() []Command {
	return []Command{
		{Names: []string{"commit"}, Section: Safesql, Help: `\commit                [safesql] commit the open transaction (COMMIT)`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return Result{Err: h.Exec(ctx, "COMMIT")} }},
		{Names: []string{"rollback"}, Section: Safesql, Help: `\rollback              [safesql] roll back the open transaction (ROLLBACK)`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return Result{Err: h.Exec(ctx, "ROLLBACK")} }},
		{Names: []string{"write"}, Section: Safesql, Help: `\write                 [safesql] allow writes in a read-only environment (asks for the word)`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return Result{Err: h.SetWrites(ctx, true)} }},
		{Names: []string{"read"}, Section: Safesql, Help: `\read                  [safesql] make the session read-only again`,
			Run: func(ctx context.Context, h Host, e *Env) Result { return Result{Err: h.SetWrites(ctx, false)} }},
		{Names: []string{"status"}, Section: Safesql, Help: `\status                [safesql] show the transaction's state and its effects so far`,
			Run: func(ctx context.Context, h Host, e *Env) Result { h.PrintStatus(h.Output()); return Result{} }},
		{Names: []string{"dryrun"}, Section: Safesql, Args: WholeLine, Help: `\dryrun [STATEMENT]    [safesql] show what a statement (or the query buffer) would do, without running it`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				sql := strings.TrimSpace(h.Interpolate(e.RawArgs))
				if sql == "" {
					sql = strings.TrimSpace(*e.Buf)
					*e.Buf = ""
				}
				return Result{Err: h.DryRun(ctx, sql)}
			}},
		{Names: []string{"envs"}, Section: Safesql, Help: `\envs                  [safesql] list the configured environments`,
			Run: func(ctx context.Context, h Host, e *Env) Result {
				if !h.ListEnvs(h.Output()) {
					return h.Fail(`\envs: no environments are configured here`)
				}
				return Result{}
			}},
	}
}
