package meta

import (
	"context"
	"io"

	"github.com/safesql/safesql/repl/render"
)

// Result is what a backslash command asks of the loop.
type Result struct {
	Err  error
	Quit bool // end the loop (\q, a lost connection, a failed \i)
	// Status is the exit status the loop ends with when Quit (the
	// shell's engine.Status).
	Status int
}

// Env is one run of a command: its name as typed and its arguments.
type Env struct {
	Name    string   // the command as typed, without the backslash
	Args    []string // the arguments the command reads, expanded
	Quoted  []bool   // whether each of Args had quotes in it
	RawArgs string   // the rest of the line as written
	Buf     *string  // the query buffer
	// Dir is the directory of the script being run ("" when typed):
	// \ir's paths are relative to it.
	Dir string
	// Source is the name of the script being read: "" or "-" when the
	// input is typed or standard input.
	Source string
	// CopyData is the inline data of a \copy ... from stdin, or nil.
	CopyData io.Reader
	// Extras warns of the arguments the command does not take, once:
	// commands that send a query call it before the query runs, as
	// psql's dispatcher warns before its main loop sends the query.
	Extras func()
}

// Handler runs a command.
type Handler func(ctx context.Context, h Host, e *Env) Result

// Argument counts of Command.Args other than a number.
const (
	// AllArgs: the command reads all its arguments (\echo, \set).
	AllArgs = -1
	// WholeLine: the command takes the rest of its line as written,
	// without expanding variables or running backquoted commands.
	WholeLine = -2
)

// Command is one row of the table.
type Command struct {
	Names   []string // the first is the one \? shows
	Section Section
	// Help is the command's lines in \?, without the two leading
	// blanks of the first; further lines carry their own indentation.
	Help string
	// Args is how many arguments psql 15's command reads before the
	// dispatcher warns about the rest: a count, AllArgs or WholeLine.
	Args int
	// ArgsOf, when set, decides Args from the arguments as written.
	ArgsOf func(raw string) int
	// Currently adds psql's "(currently ...)" to the help line.
	Currently func(h Host) string
	// Run is the command; nil for the conditionals, which the loop
	// runs itself.
	Run Handler
}

// ConnInfo is the connection \conninfo describes.
type ConnInfo struct {
	Database, User, Host string
	Port                 uint16
}

// Host is what a command sees of the session (usql's metacmd Handler is
// the model), in five parts; the shell implements it over its session.
type Host interface {
	Streams
	Vars
	Settings
	Server
	Session
}

// Streams is where a command writes and reads.
type Streams interface {
	// Stdout is standard output (messages, \echo); Output is where
	// query results go (standard output, or the \o file or pipe).
	Stdout() io.Writer
	Output() io.Writer
	Stderr() io.Writer
	Stdin() io.Reader
	// Terminal is the controlling terminal, an error without one.
	Terminal() (io.ReadWriteCloser, error)
	// Pager is Output through the pager when the text is taller than
	// the screen; done ends the pager.
	Pager() (w io.Writer, done func() error)
	// TerminalWidth is the width of the terminal output goes to, 0 off
	// a terminal.
	TerminalWidth() int
	Quiet() bool
	// Fail reports a command's failure (with the script's position in a
	// script) and returns the failed Result; msg "" reports nothing.
	Fail(msg string) Result
	// Warn logs a warning, as psql logs one.
	Warn(msg string)
	// ShellGate refuses what would run a program where the environment
	// allows none; what names it in the message.
	ShellGate(what string) error
	// EnvGate is ShellGate for \setenv of a variable that chooses a
	// program safesql runs later; nil for any other.
	EnvGate(name string) error
	OpenOutput(ctx context.Context, target string) error
	// OpenTarget opens a file, or a |command, to write to.
	OpenTarget(ctx context.Context, target string) (io.Writer, io.Closer, error)
}

// Vars are psql's variables.
type Vars interface {
	Var(name string) (string, bool)
	VarNames() []string
	// AssignVar sets a variable as \set does: the name must be valid,
	// and a specially treated variable takes only its values.
	AssignVar(name, value string) error
	RemoveVar(name string)
	// Interpolate expands :name, :'name' and :"name" in text.
	Interpolate(text string) string
}

// Settings are the session's own state the commands change or show.
type Settings interface {
	Print() *render.Options
	Timing() bool
	SetTiming(on bool)
	RestrictKey() string
	SetRestrictKey(key string)
	// LastQuery is what \g sends again when the buffer is empty.
	LastQuery() string
	// History is what was typed, false without a history.
	History() ([]string, bool)
	// ListEnvs lists the configured environments; false when there are
	// none to list.
	ListEnvs(w io.Writer) bool
	OptionsHelp() string
}

// Server is the connection and running statements through the
// session's rules.
type Server interface {
	ConnInfo() ConnInfo
	ClientEncoding() string
	SetClientEncoding(ctx context.Context, name string) error
	// Exec runs sql through the session's rules and prints its result.
	Exec(ctx context.Context, sql string) error
	SetWrites(ctx context.Context, on bool) error
	PrintStatus(w io.Writer)
	DryRun(ctx context.Context, sql string) error
}

// Session is the commands whose bodies are the session's own: they run
// queries through its rules in ways of their own, or change the
// connection or the loop.
type Session interface {
	Send(ctx context.Context, e *Env, expanded bool) Result // \g, \gx
	GSet(ctx context.Context, e *Env) Result
	// GDesc describes the result of sql without running it.
	GDesc(ctx context.Context, sql string) Result
	// GExec runs sql, then each value of its result as a statement.
	GExec(ctx context.Context, sql string) Result
	Crosstab(ctx context.Context, e *Env) Result
	Watch(ctx context.Context, e *Env) Result
	Copy(ctx context.Context, e *Env) Result
	Connect(ctx context.Context, e *Env) Result
	Include(ctx context.Context, e *Env, relative bool) Result
	Edit(ctx context.Context, e *Env) Result         // \e
	EditFunction(ctx context.Context, e *Env) Result // \ef
	EditView(ctx context.Context, e *Env) Result     // \ev
	ShowSource(ctx context.Context, e *Env, function bool) Result
	Describe(ctx context.Context, e *Env) Result // \d..., \l, \z, \lo_list
	LargeObjectImport(ctx context.Context, e *Env) Result
	LargeObjectExport(ctx context.Context, e *Env) Result
	LargeObjectUnlink(ctx context.Context, e *Env) Result
	Password(ctx context.Context, e *Env) Result
	ErrVerbose(ctx context.Context, e *Env) Result
}
