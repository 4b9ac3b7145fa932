package app

import (
	"fmt"
	"strings"
)

// option is one psql-compatible command-line option. The table drives both
// parsing and --help.
type option struct {
	short   byte
	long    string
	arg     string // "" for a switch, else the argument's name in --help
	section string
	help    string
	apply   func(o *Options, value string) error
}

// Options are the parsed command line.
type Options struct {
	Host, Port, User, DBName  string
	NoPassword, ForcePassword bool

	Actions   []Action  // -c and -f, in order
	Vars      []Setting // -v, and the switches that set a variable
	Psets     []Setting // -P, and the switches that set a print option
	Output    string
	LogFile   string
	Quiet     bool
	NoPsqlrc  bool
	SingleTxn bool
	EchoAll   bool
	EchoQuery bool
	EchoErr   bool
	List      bool
	Plain     bool
	NoColor   bool

	// The answers a run with no terminal may carry.
	Write   bool   // --write: writes in a read-only environment
	Confirm string // --confirm WORD: destructive statements, if WORD is the environment's
	Commit  bool   // --commit: commit the run's transaction at the end

	PlanVerbose bool // --plan-verbose: a script's plan lists every change

	Help, Version bool
	Positional    []string
}

// Action is one -c COMMAND or -f FILE.
type Action struct {
	Kind    ActionKind
	Command string // -c text, or the file name ("-": standard input)
}

// ActionKind says what an Action runs.
type ActionKind int

const (
	CommandAction ActionKind = iota // -c: one command line
	FileAction                      // -f FILE (or -f -)
	StdinAction                     // no -c or -f: standard input is the script
)

// readsStdin reports whether a runs what standard input holds.
func (a Action) readsStdin() bool {
	return a.Kind == StdinAction || a.Kind == FileAction && a.Command == "-"
}

// Setting is one -v or -P: a name and its value. -v NAME (no "=")
// unsets the variable; -P NAME (no "=") toggles the option: both have no
// value (HasValue false).
type Setting struct {
	Name, Value string
	HasValue    bool
}

func pset(name, value string) func(*Options, string) error {
	return func(o *Options, _ string) error {
		o.Psets = append(o.Psets, Setting{name, value, true})
		return nil
	}
}

func optionTable() []option {
	return []option{
		{'c', "command", "COMMAND", "General options", "run only single command (SQL or internal) and exit", func(o *Options, v string) error {
			o.Actions = append(o.Actions, Action{Kind: CommandAction, Command: v})
			return nil
		}},
		{'d', "dbname", "DBNAME", "General options", "database name to connect to", func(o *Options, v string) error { o.DBName = v; return nil }},
		{'f', "file", "FILENAME", "General options", "execute commands from file, then exit", func(o *Options, v string) error {
			o.Actions = append(o.Actions, Action{Kind: FileAction, Command: v})
			return nil
		}},
		{'l', "list", "", "General options", "list available databases, then exit", func(o *Options, _ string) error { o.List = true; return nil }},
		{'v', "set", "NAME=VALUE", "General options", "set psql variable NAME to VALUE\n                           (e.g., -v ON_ERROR_STOP=1)", func(o *Options, v string) error {
			name, value, ok := strings.Cut(v, "=")
			if name == "" {
				return fmt.Errorf("invalid variable assignment %q: expected NAME=VALUE", v)
			}
			if !ok {
				// psql: -v NAME without = unsets it
				o.Vars = append(o.Vars, Setting{Name: name})
				return nil
			}
			o.Vars = append(o.Vars, Setting{name, value, true})
			return nil
		}},
		{0, "variable", "NAME=VALUE", "", "", nil}, // alias of --set, filled below
		{'V', "version", "", "General options", "output version information, then exit", func(o *Options, _ string) error { o.Version = true; return nil }},
		{'X', "no-psqlrc", "", "General options", "do not read startup file (~/.psqlrc)", func(o *Options, _ string) error { o.NoPsqlrc = true; return nil }},
		{'1', "single-transaction", "", "General options", "execute as a single transaction (if non-interactive)", func(o *Options, _ string) error { o.SingleTxn = true; return nil }},
		{'?', "help", "", "General options", "show this help, then exit", func(o *Options, _ string) error { o.Help = true; return nil }},

		{'a', "echo-all", "", "Input and output options", "echo all input from script", func(o *Options, _ string) error { o.EchoAll = true; return nil }},
		{'b', "echo-errors", "", "Input and output options", "echo failed commands", func(o *Options, _ string) error { o.EchoErr = true; return nil }},
		{'e', "echo-queries", "", "Input and output options", "echo commands sent to server", func(o *Options, _ string) error { o.EchoQuery = true; return nil }},
		{'E', "echo-hidden", "", "Input and output options", "display queries that internal commands generate", func(o *Options, _ string) error {
			o.Vars = append(o.Vars, Setting{"ECHO_HIDDEN", "on", true})
			return nil
		}},
		{'L', "log-file", "FILENAME", "Input and output options", "send session log to file", func(o *Options, v string) error { o.LogFile = v; return nil }},
		{'n', "no-readline", "", "Input and output options", "disable enhanced command line editing (readline)", func(o *Options, _ string) error { o.Plain = true; return nil }},
		{'o', "output", "FILENAME", "Input and output options", "send query results to file (or |pipe)", func(o *Options, v string) error { o.Output = v; return nil }},
		{'s', "single-step", "", "Input and output options", "single-step mode (accepted; not supported yet)", func(o *Options, _ string) error {
			o.Vars = append(o.Vars, Setting{"SINGLESTEP", "on", true})
			return nil
		}},
		{'S', "single-line", "", "Input and output options", "single-line mode (accepted; not supported yet)", func(o *Options, _ string) error {
			o.Vars = append(o.Vars, Setting{"SINGLELINE", "on", true})
			return nil
		}},
		{'q', "quiet", "", "Input and output options", "run quietly (no messages, only query output)", func(o *Options, _ string) error { o.Quiet = true; return nil }},

		{'A', "no-align", "", "Output format options", "unaligned table output mode", pset("format", "unaligned")},
		{0, "csv", "", "Output format options", "CSV (Comma-Separated Values) table output mode", pset("format", "csv")},
		{0, "format", "FORMAT", "Output format options", "output format: aligned, unaligned, csv or json\n                           (json: one object per row, streamed; safesql only)", func(o *Options, v string) error {
			o.Psets = append(o.Psets, Setting{"format", v, true})
			return nil
		}},
		{'F', "field-separator", "STRING", "Output format options", "field separator for unaligned output (default: \"|\")", func(o *Options, v string) error {
			o.Psets = append(o.Psets, Setting{"fieldsep", v, true})
			return nil
		}},
		{'H', "html", "", "Output format options", "HTML table output mode", pset("format", "html")},
		{'P', "pset", "VAR[=ARG]", "Output format options", "set printing option VAR to ARG (see \\pset command)", func(o *Options, v string) error {
			name, value, ok := strings.Cut(v, "=")
			o.Psets = append(o.Psets, Setting{name, value, ok})
			return nil
		}},
		{'R', "record-separator", "STRING", "Output format options", "record separator for unaligned output (default: newline)", func(o *Options, v string) error {
			o.Psets = append(o.Psets, Setting{"recordsep", v, true})
			return nil
		}},
		{'T', "table-attr", "TEXT", "Output format options", "set HTML table tag attributes (e.g., width, border)", func(o *Options, v string) error {
			o.Psets = append(o.Psets, Setting{"tableattr", v, true})
			return nil
		}},
		{'t', "tuples-only", "", "Output format options", "print rows only", pset("tuples_only", "on")},
		{'x', "expanded", "", "Output format options", "turn on expanded table output", pset("expanded", "on")},
		{'z', "field-separator-zero", "", "Output format options", "set field separator for unaligned output to zero byte", pset("fieldsep_zero", "on")},
		{'0', "record-separator-zero", "", "Output format options", "set record separator for unaligned output to zero byte", pset("recordsep_zero", "on")},

		{'h', "host", "HOSTNAME", "Connection options", "database server host or socket directory", func(o *Options, v string) error { o.Host = v; return nil }},
		{'p', "port", "PORT", "Connection options", "database server port", func(o *Options, v string) error { o.Port = v; return nil }},
		{'U', "username", "USERNAME", "Connection options", "database user name", func(o *Options, v string) error { o.User = v; return nil }},
		{'w', "no-password", "", "Connection options", "never prompt for password", func(o *Options, _ string) error { o.NoPassword = true; return nil }},
		{'W', "password", "", "Connection options", "force password prompt (should happen automatically)", func(o *Options, _ string) error { o.ForcePassword = true; return nil }},

		{0, "plain", "", "safesql options", "use the line editor instead of the full-screen shell", func(o *Options, _ string) error { o.Plain = true; return nil }},
		{0, "write", "", "safesql options", "allow writes in a read-only environment (production) for this run", func(o *Options, _ string) error { o.Write = true; return nil }},
		{0, "confirm", "WORD", "safesql options", "confirm destructive statements when there is no terminal to ask on (WORD is the environment's confirmation word)", func(o *Options, v string) error { o.Confirm = v; return nil }},
		{0, "commit", "", "safesql options", "commit the run's transaction at the end when there is no terminal to ask on", func(o *Options, _ string) error { o.Commit = true; return nil }},
		{0, "plan-verbose", "", "safesql options", "list every statement that changes something in a script's plan, not only the summary", func(o *Options, _ string) error { o.PlanVerbose = true; return nil }},
		{0, "no-color", "", "safesql options", "no colours (the tier is still shown in words); NO_COLOR does the same", func(o *Options, _ string) error { o.NoColor = true; return nil }},
	}
}

// usageError is a bad command line: psql's wording, exit 1.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// ParseArgs parses psql-compatible arguments: short options may be bundled
// (-At), take their argument attached (-cSQL) or as the next word; long
// options take --name=value or --name value; "--" ends options; options and
// positional arguments may be mixed.
func ParseArgs(args []string) (*Options, error) {
	table := optionTable()
	for i := range table {
		if table[i].long == "variable" {
			for _, o := range table {
				if o.long == "set" {
					table[i].apply, table[i].arg = o.apply, o.arg
				}
			}
		}
	}
	byShort := map[byte]*option{}
	byLong := map[string]*option{}
	for i := range table {
		if table[i].short != 0 {
			byShort[table[i].short] = &table[i]
		}
		byLong[table[i].long] = &table[i]
	}
	o := &Options{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			o.Positional = append(o.Positional, args[i+1:]...)
			return o, nil
		case strings.HasPrefix(a, "--"):
			name, value, hasValue := strings.Cut(a[2:], "=")
			opt := byLong[name]
			if opt == nil {
				matches := prefixMatches(table, name)
				if len(matches) > 1 {
					// psql's own abbreviations keep working under
					// alias psql=safesql: --comm is still --command,
					// whatever safesql added (--commit).
					var psqlOwn []*option
					for _, m := range matches {
						if m.section != "safesql options" {
							psqlOwn = append(psqlOwn, m)
						}
					}
					if len(psqlOwn) == 1 {
						matches = psqlOwn
					}
				}
				switch len(matches) {
				case 0:
					return nil, &usageError{fmt.Sprintf("unrecognized option '%s'", a)}
				case 1:
					opt = matches[0]
				default:
					var names []string
					for _, m := range matches {
						names = append(names, "'--"+m.long+"'")
					}
					return nil, &usageError{fmt.Sprintf("option '--%s' is ambiguous; possibilities: %s", name, strings.Join(names, " "))}
				}
			}
			if opt.arg == "" {
				if hasValue {
					return nil, &usageError{fmt.Sprintf("option '--%s' doesn't allow an argument", opt.long)}
				}
			} else if !hasValue {
				if i+1 >= len(args) {
					return nil, &usageError{fmt.Sprintf("option '--%s' requires an argument", opt.long)}
				}
				i++
				value = args[i]
			}
			if err := opt.apply(o, value); err != nil {
				return nil, &usageError{err.Error()}
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for j := 1; j < len(a); j++ {
				opt := byShort[a[j]]
				if opt == nil {
					return nil, &usageError{fmt.Sprintf("invalid option -- '%c'", a[j])}
				}
				if opt.arg == "" {
					if err := opt.apply(o, ""); err != nil {
						return nil, &usageError{err.Error()}
					}
					continue
				}
				value := a[j+1:]
				if value == "" {
					if i+1 >= len(args) {
						return nil, &usageError{fmt.Sprintf("option requires an argument -- '%c'", a[j])}
					}
					i++
					value = args[i]
				}
				if err := opt.apply(o, value); err != nil {
					return nil, &usageError{err.Error()}
				}
				break
			}
		default:
			o.Positional = append(o.Positional, a)
		}
	}
	return o, nil
}

func prefixMatches(table []option, name string) []*option {
	var found []*option
	for i := range table {
		if name != "" && table[i].help != "" && strings.HasPrefix(table[i].long, name) {
			found = append(found, &table[i])
		}
	}
	return found
}

// helpText is generated from the option table.
func helpText() string {
	var b strings.Builder
	b.WriteString("safesql is a psql-compatible PostgreSQL shell that keeps production safe.\n\n")
	b.WriteString("Usage:\n  safesql [OPTION]... [ENVIRONMENT | DBNAME [USERNAME]]\n  safesql check [--format text|json] [--fail-on read|write|destructive] [FILE]...\n  safesql envs [--init]\n  safesql demo [dev|staging|prod] [OPTION]... | safesql demo --stop\n")
	section := ""
	for _, o := range optionTable() {
		if o.help == "" {
			continue
		}
		if o.section != section {
			section = o.section
			fmt.Fprintf(&b, "\n%s:\n", section)
		}
		var left string
		switch {
		case o.short != 0 && o.arg != "":
			left = fmt.Sprintf("-%c, --%s=%s", o.short, o.long, o.arg)
		case o.short != 0:
			left = fmt.Sprintf("-%c, --%s", o.short, o.long)
		case o.arg != "":
			left = fmt.Sprintf("    --%s=%s", o.long, o.arg)
		default:
			left = "    --" + o.long
		}
		if len(left) > 23 {
			fmt.Fprintf(&b, "  %s\n  %-23s  %s\n", left, "", o.help)
		} else {
			fmt.Fprintf(&b, "  %-23s  %s\n", left, o.help)
		}
	}
	b.WriteString("\nConnection options may also come from a conninfo string or URI as DBNAME,\nthe PG* environment variables, ~/.pgpass and ~/.pg_service.conf, as with psql.\n")
	return b.String()
}
