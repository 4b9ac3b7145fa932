package shell

import (
	"fmt"
	"io"
	"strings"

	"github.com/safesql/safesql/repl/describe"
	"github.com/safesql/safesql/repl/render"
)

// helpSections is \? as psql 15 lays it out: each section's commands in
// psql's order, by name (their help lines are the commands' own), then
// safesql's own commands in a section of their own.
var helpSections = []struct {
	title string
	names []string
}{
	{"General", []string{"copyright", "crosstabview", "errverbose", "g", "gdesc", "gexec", "gset", "gx", "q", "restrict", "unrestrict", "watch"}},
	{"Help", []string{"?", "h"}},
	{"Query Buffer", []string{"e", "ef", "ev", "p", "r", "s", "w"}},
	{"Input/Output", []string{"copy", "echo", "i", "ir", "o", "qecho", "warn"}},
	{"Conditional", []string{"if", "elif", "else", "endif"}},
	{"Informational", nil}, // the describing commands, \sf and \sv
	{"Large Objects", []string{"lo_export", "lo_import", "lo_list", "lo_unlink"}},
	{"Formatting", []string{"a", "C", "f", "H", "pset", "t", "T", "x"}},
	{"Connection", []string{"c", "conninfo", "encoding", "password"}},
	{"Operating System", []string{"cd", "getenv", "setenv", "timing", "!"}},
	{"Variables", []string{"prompt", "set", "unset"}},
	{"safesql", []string{"commit", "rollback", "write", "read", "status", "dryrun", "envs"}},
}

// extraHelp are the lines of commands that are not in the command table
// (the conditionals, \? topics, \lo_list).
var extraHelp = map[string][]string{
	"?":       {`\? [commands]          show help on backslash commands`, `\? options             show help on safesql command-line options`, `\? variables           show help on special variables`},
	"if":      {`\if EXPR               begin conditional block`},
	"elif":    {`\elif EXPR             alternative within current conditional block`},
	"else":    {`\else                  final alternative within current conditional block`},
	"endif":   {`\endif                 end conditional block`},
	"lo_list": {`\lo_list[+]            list large objects`},
}

// printHelp is \? [commands]: every command, one line each (two when the
// syntax is long), by section; the (currently ...) parts say the state.
func (s *Session) printHelp(w io.Writer, cmds []metaCommand) {
	byName := map[string]string{}
	for _, c := range cmds {
		for _, n := range c.names {
			if _, ok := byName[n]; !ok {
				byName[n] = c.help
			}
		}
	}
	for i, sec := range helpSections {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, sec.title)
		if sec.title == "Informational" {
			s.printDescribeHelp(w, byName)
			continue
		}
		for _, n := range sec.names {
			lines, ok := extraHelp[n]
			if !ok {
				h, found := byName[n]
				if !found {
					continue
				}
				lines = []string{s.currently(n, h)}
			}
			for _, l := range lines {
				fmt.Fprintf(w, "  %s\n", l)
			}
		}
	}
	fmt.Fprintln(w)
}

// currently adds psql's "(currently ...)" to the help of the commands that
// toggle a state.
func (s *Session) currently(name, help string) string {
	onOff := func(on bool) string {
		if on {
			return " (currently on)"
		}
		return " (currently off)"
	}
	switch name {
	case "H":
		return help + onOff(s.Print.Format == render.HTML)
	case "t":
		return help + onOff(s.Print.TuplesOnly)
	case "x":
		switch s.Print.Expanded {
		case render.ExpandedOn:
			return help + " (currently on)"
		case render.ExpandedAuto:
			return help + " (currently auto)"
		}
		return help + " (currently off)"
	case "timing":
		return help + onOff(s.timing)
	case "c":
		return help + fmt.Sprintf(" (currently \"%s\")", s.Config().Database)
	}
	return help
}

// printDescribeHelp is the Informational section: psql's layout of the
// describing commands, with \sf and \sv before \z.
func (s *Session) printDescribeHelp(w io.Writer, byName map[string]string) {
	fmt.Fprintln(w, "  (options: S = show system objects, + = additional detail)")
	for _, c := range describe.Commands() {
		if strings.HasPrefix(c.Name, "z ") {
			for _, n := range []string{"sf", "sv"} {
				if h, ok := byName[n]; ok {
					fmt.Fprintf(w, "  %s\n", h)
				}
			}
		}
		switch {
		case strings.HasPrefix(c.Name, "dA") && len(c.Name) > 21:
			// psql keeps these long ones on one line.
			fmt.Fprintf(w, "  \\%-28s%s\n", c.Name, c.Help)
		case strings.HasPrefix(c.Name, "drds"):
			fmt.Fprintf(w, "  \\%s %s\n", c.Name, c.Help)
		case len(c.Name) > 21:
			fmt.Fprintf(w, "  \\%s\n%25s%s\n", c.Name, "", c.Help)
		default:
			fmt.Fprintf(w, "  \\%-21s %s\n", c.Name, c.Help)
		}
	}
}

// variablesHelp lists the variables safesql gives a meaning to (\?
// variables); the wording is safesql's own.
var variablesHelp = [][2]string{
	{"AUTOCOMMIT", "off: a statement outside a transaction opens one (where the environment has no rules of its own)"},
	{"DBNAME", "the database connected to"},
	{"ECHO", "what is echoed of the input: all, errors, none, queries"},
	{"ECHO_HIDDEN", "on: show the queries of the describing commands; noexec: show them without running them"},
	{"ENCODING", "the client encoding"},
	{"ERROR", "true when the last statement failed"},
	{"HIDE_TABLEAM", "on: the describing commands leave out table access methods"},
	{"HOST", "the server host connected to"},
	{"LASTOID", "the large object made by the last \\lo_import"},
	{"LAST_ERROR_MESSAGE", "the message of the last error"},
	{"LAST_ERROR_SQLSTATE", "the SQLSTATE of the last error"},
	{"ON_ERROR_ROLLBACK", "on or interactive: a failed statement in a transaction is undone alone"},
	{"ON_ERROR_STOP", "on: a script stops at its first error (exit 3)"},
	{"PORT", "the server port connected to"},
	{"QUIET", "on: no informational messages and command tags"},
	{"ROW_COUNT", "the rows the last statement returned or changed"},
	{"SERVER_VERSION_NAME", "the server's version"},
	{"SERVER_VERSION_NUM", "the server's version as a number"},
	{"SHOW_CONTEXT", "when the CONTEXT of a message is shown: never, errors, always"},
	{"SQLSTATE", "the SQLSTATE of the last statement (00000 on success)"},
	{"USER", "the database user connected as"},
	{"VERBOSITY", "how much of an error is shown: default, verbose, terse, sqlstate"},
}

func printVariablesHelp(w io.Writer) {
	fmt.Fprintln(w, "List of specially treated variables")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Set them with --set=NAME=VALUE or \\set NAME VALUE:")
	fmt.Fprintln(w)
	for _, v := range variablesHelp {
		fmt.Fprintf(w, "  %s\n    %s\n", v[0], v[1])
	}
}
