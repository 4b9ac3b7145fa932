package meta

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/safesql/safesql/repl/describe"
)

// Section is a section of \?, in psql 15's order.
type Section int

// The sections of \?; safesql's own commands have one of their own.
const (
	General Section = iota
	Help
	QueryBuffer
	InputOutput
	Conditional
	Informational // the describing commands come from package describe
	LargeObjects
	Formatting
	Connection
	OperatingSystem
	Variables
	Safesql
	numSections
)

// String is the section's title in \?.
func (s Section) String() string {
	titles := [numSections]string{
		"General", "Help", "Query Buffer", "Input/Output", "Conditional", "Informational",
		"Large Objects", "Formatting", "Connection", "Operating System", "Variables", "safesql",
	}
	if s < 0 || s >= numSections {
		return fmt.Sprintf("Section(%d)", int(s))
	}
	return titles[s]
}

// Table is the backslash commands, built once: dispatch, \? and
// completion read it.
type Table struct {
	rows   []Command
	byName map[string]*Command
}

// NewTable builds the table of rows; a name given twice is an error (the
// table is written by hand).
func NewTable(rows []Command) (*Table, error) {
	t := &Table{rows: rows, byName: make(map[string]*Command, 2*len(rows))}
	for i := range t.rows {
		c := &t.rows[i]
		if len(c.Names) == 0 {
			return nil, fmt.Errorf("meta: row %d of the command table has no name", i)
		}
		for _, n := range c.Names {
			if _, dup := t.byName[n]; dup {
				return nil, fmt.Errorf(`meta: \%s is in the command table twice`, n)
			}
			t.byName[n] = c
		}
	}
	return t, nil
}

// Lookup finds a command by any of its names.
func (t *Table) Lookup(name string) (*Command, bool) {
	c, ok := t.byName[name]
	return c, ok
}

// Handler is the handler of command name: the table's, or, for a
// describing command, the Host's Describe; nil for a command there is
// none of.
func (t *Table) Handler(name string) Handler {
	if c, ok := t.byName[name]; ok {
		return c.Run
	}
	if describe.Handles(name) {
		return describeHandler
	}
	return nil
}

func describeHandler(ctx context.Context, h Host, e *Env) Result { return h.Describe(ctx, e) }

// Known reports whether psql 15 (or safesql) has a backslash command of
// this name, as psql's dispatcher decides even in an \if branch that does
// not run: every \d... and \lo_... is taken there.
func (t *Table) Known(name string) bool {
	if _, ok := t.byName[name]; ok {
		return true
	}
	return strings.HasPrefix(name, "d") || strings.HasPrefix(name, "lo_") ||
		strings.EqualFold(name, "copy") || describe.Handles(name)
}

// Arity is how many arguments psql 15's command reads before the
// dispatcher warns about the rest: AllArgs for all of them (\echo,
// \set), WholeLine for the rest of the line as written (\!, \copy, \h).
func (t *Table) Arity(name, raw string) int {
	if c, ok := t.byName[name]; ok {
		if c.ArgsOf != nil {
			return c.ArgsOf(raw)
		}
		return c.Args
	}
	if strings.HasPrefix(name, "lo_") {
		return 2 // psql's \lo_ commands all read two
	}
	if describe.Handles(name) {
		return describe.MaxArgs(name)
	}
	return AllArgs
}

// Names lists every command with its backslash, sorted, for completion:
// the table's and the common describing commands.
func (t *Table) Names() []string {
	// the describing commands completion offers
	describeNames := []string{"d", "d+", "dt", "dt+", "di", "dv", "dm", "ds", "dn", "df", "dT", "du", "dg", "dp", "dx", "l", "l+", "z"}
	names := make([]string, 0, len(t.byName)+len(describeNames))
	for n := range t.byName {
		names = append(names, `\`+n)
	}
	for _, n := range describeNames {
		if _, ok := t.byName[n]; !ok {
			names = append(names, `\`+n)
		}
	}
	sort.Strings(names)
	return names
}

// PrintHelp is \? [commands]: every command, one line each (more when
// the syntax is long), by section in psql's layout; the "(currently
// ...)" parts say h's state.
func (t *Table) PrintHelp(w io.Writer, h Host) {
	for sec := Section(0); sec < numSections; sec++ {
		if sec > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, sec)
		if sec == Informational {
			t.printDescribeHelp(w)
			continue
		}
		for i := range t.rows {
			if c := &t.rows[i]; c.Section == sec && c.Help != "" {
				t.printLine(w, h, c)
			}
		}
	}
	fmt.Fprintln(w)
}

func (t *Table) printLine(w io.Writer, h Host, c *Command) {
	if c.Currently != nil {
		fmt.Fprintf(w, "  %s%s\n", c.Help, c.Currently(h))
		return
	}
	fmt.Fprintf(w, "  %s\n", c.Help)
}

// printDescribeHelp is the Informational section: psql's layout of the
// describing commands, with the table's (\sf and \sv) before \z.
func (t *Table) printDescribeHelp(w io.Writer) {
	fmt.Fprintln(w, "  (options: S = show system objects, + = additional detail)")
	for _, c := range describe.Commands() {
		if strings.HasPrefix(c.Name, "z ") {
			for i := range t.rows {
				if r := &t.rows[i]; r.Section == Informational && r.Help != "" {
					t.printLine(w, nil, r)
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
