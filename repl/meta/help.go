package meta

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// NewDefaultTable is the table of every command (Commands), \? among
// them, reading this table.
func NewDefaultTable() (*Table, error) {
	t, err := NewTable(Commands())
	if err != nil {
		return nil, err
	}
	help, found := t.byName["?"]
	if !found {
		return nil, errors.New(`meta: the command table has no \?`)
	}
	help.Run = t.help
	return t, nil
}

// help is \? [commands|options|variables].
func (t *Table) help(ctx context.Context, h Host, e *Env) Result {
	out, done := h.Pager() // taller than the screen: paged, as psql
	defer func() { _ = done() }()
	switch topic := strings.ToLower(strings.Join(e.Args, "")); {
	case topic == "" || strings.HasPrefix("commands", topic):
		t.PrintHelp(out, h)
	case strings.HasPrefix("options", topic):
		fmt.Fprint(out, h.OptionsHelp())
	case strings.HasPrefix("variables", topic):
		printVariablesHelp(out)
	default:
		t.PrintHelp(out, h)
	}
	return Result{}
}

// printVariablesHelp lists the variables safesql gives a meaning to (\?
// variables); the wording is safesql's own.
func printVariablesHelp(w io.Writer) {
	variables := [][2]string{
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
	fmt.Fprintln(w, "List of specially treated variables")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Set them with --set=NAME=VALUE or \\set NAME VALUE:")
	fmt.Fprintln(w)
	for _, v := range variables {
		fmt.Fprintf(w, "  %s\n    %s\n", v[0], v[1])
	}
}

// OSMessage is an OS error as psql words it: "No such file or directory".
func OSMessage(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	msg := err.Error()
	if msg == "" {
		return msg
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}
