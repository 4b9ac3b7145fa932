package check

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/analyze/split"
)

// Exit statuses, as the contract defines them.
const (
	ExitOK    = 0 // every statement below --fail-on
	ExitFail  = 1 // some statement at or above --fail-on
	ExitUsage = 2 // usage error or unreadable input
)

const usage = `usage: safesql check [--format text|json] [--fail-on read|write|destructive] [FILE ...]

Classifies every statement of the files (standard input when none, or "-")
as read, write or destructive, offline. Exit status: 0 when every statement
is below --fail-on, 1 when any is at or above it, 2 on a usage error or an
unreadable file.

`

// Run implements `safesql check`. args are the arguments after "check".
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, stdoutIsTerminal bool) int {
	fs := flag.NewFlagSet("safesql check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "output format: text or json")
	failOn := fs.String("fail-on", "destructive", "lowest class that makes the exit status 1")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return ExitOK
		}
		fmt.Fprintf(stderr, "safesql check: %v\n%s", err, usage)
		return ExitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "safesql check: unknown --format %q: want text or json\n", *format)
		return ExitUsage
	}
	threshold, err := analyze.ParseClass(*failOn)
	if err != nil {
		fmt.Fprintf(stderr, "safesql check: --fail-on: %v\n", err)
		return ExitUsage
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"-"}
	}

	out := bufio.NewWriter(stdout)
	defer out.Flush()
	p := &printer{w: out, json: *format == "json", color: stdoutIsTerminal && *format == "text"}
	status := ExitOK
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			out.Flush()
			fmt.Fprintf(stderr, "safesql check: %v\n", err)
			return ExitUsage
		}
		var r io.Reader
		if name == "-" {
			r = stdin
		} else {
			f, err := os.Open(name)
			if err != nil {
				out.Flush()
				fmt.Fprintf(stderr, "safesql check: %v\n", err)
				status = ExitUsage
				continue
			}
			r = f
			defer f.Close()
		}
		worst, err := checkInput(ctx, name, r, p)
		if err != nil {
			out.Flush()
			fmt.Fprintf(stderr, "safesql check: %s: %v\n", name, err)
			status = ExitUsage
			continue
		}
		if worst >= threshold && status == ExitOK {
			status = ExitFail
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "safesql check: %v\n", err)
		return ExitUsage
	}
	return status
}

// checkInput classifies one input through one Analyzer, so that an EXECUTE
// sees the PREPARE before it. It keeps psql's query buffer the way the
// split package documents: a statement interrupted by a backslash command
// that keeps the buffer (\echo, \set, ...) is joined with what follows, and
// the buffer is sent at ';', at a sending command (\g, \gexec, ...) and at
// the end of input. It returns the highest class seen, or -1 when the input
// held no statement.
func checkInput(ctx context.Context, name string, r io.Reader, p *printer) (analyze.Class, error) {
	c := &inputCheck{name: name, p: p, a: analyze.NewAnalyzer(), worst: -1}
	sc := split.NewScanner(r)
	joinWith := "\n"
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return c.worst, err
		}
		it := sc.Item()
		switch it.Kind {
		case split.Statement:
			if it.SQL != "" {
				if c.buf == "" {
					c.buf, c.bufLine = it.SQL, it.Line
				} else {
					c.buf += joinWith + it.SQL
				}
			}
			joinWith = "\n"
			if it.Complete && c.buf != "" {
				if err := c.send(); err != nil {
					return c.worst, err
				}
			}
		case split.Meta:
			if it.SendsQuery() {
				if err := c.sendForMeta(it); err != nil {
					return c.worst, err
				}
			} else if it.ResetsQuery() {
				c.buf = ""
			}
			if v, text, ok := classifyMeta(c.a, it); ok {
				if err := c.emit(it.Line, text, v); err != nil {
					return c.worst, err
				}
			}
			// Text after a "\\" separator continues the same line of the buffer.
			joinWith = "\n"
			if strings.HasSuffix(strings.TrimRight(it.Text, " \t\r\n"), `\\`) {
				joinWith = ""
			}
		}
	}
	if err := sc.Err(); err != nil {
		return c.worst, err
	}
	if strings.TrimSpace(c.buf) != "" {
		if err := c.send(); err != nil {
			return c.worst, err
		}
	}
	return c.worst, nil
}

// inputCheck is the state of one input: psql's query buffer, the last query
// sent (a sending command with an empty buffer sends it again) and the
// statement count.
type inputCheck struct {
	name     string
	p        *printer
	a        *analyze.Analyzer
	worst    analyze.Class
	index    int
	buf      string
	bufLine  int
	last     string
	lastLine int
}

// send classifies and prints the buffer, then empties it.
func (c *inputCheck) send() error {
	sql := c.buf
	c.last, c.lastLine = c.buf, c.bufLine
	c.buf = ""
	return c.emit(c.lastLine, cleanSQL(sql), c.a.Classify(sql))
}

// sendForMeta handles \g and the other commands that send the buffer, or
// the previous query again when the buffer is empty. \gdesc only describes
// the query: nothing runs.
func (c *inputCheck) sendForMeta(it split.Item) error {
	if it.Command == "gdesc" {
		if c.buf != "" {
			c.last, c.lastLine, c.buf = c.buf, c.bufLine, ""
		}
		return nil
	}
	if strings.TrimSpace(c.buf) != "" {
		return c.send()
	}
	if c.last == "" {
		return nil
	}
	return c.emit(it.Line, cleanSQL(c.last), c.a.Classify(c.last))
}

func (c *inputCheck) emit(line int, sql string, v analyze.Verdict) error {
	c.index++
	if v.Class > c.worst {
		c.worst = v.Class
	}
	return c.p.print(c.name, c.index, line, sql, v)
}

// cleanSQL is the statement as the JSON "sql" field shows it: trimmed,
// without the terminating ';'.
func cleanSQL(sql string) string {
	sql = strings.TrimSpace(sql)
	return strings.TrimSpace(strings.TrimSuffix(sql, ";"))
}

// classifyMeta: backslash commands are psql's, not SQL. \copy moves rows
// through the client (FROM adds rows: write; TO only reads), \gexec runs
// every value its query returns as SQL, and \i runs a file check does not
// read; every other command is skipped.
func classifyMeta(a *analyze.Analyzer, it split.Item) (analyze.Verdict, string, bool) {
	text := strings.TrimSpace(`\` + it.Command + " " + it.Args)
	switch it.Command {
	case "copy":
		return metaCopy(a, it.Args), text, true
	case "gexec":
		return analyze.Opaque(`\gexec runs every value the query returns as a statement: the analyzer cannot see them`), text, true
	case "i", "ir", "include", "include_relative":
		return analyze.Opaque(fmt.Sprintf(`\%s runs the statements of %s, which check does not read`, it.Command, strings.TrimSpace(it.Args))), text, true
	}
	return analyze.Verdict{}, "", false
}

// metaCopy classifies "\copy ARGS" by turning it into the server-side COPY
// it stands for, with STDIN/STDOUT in place of the client file.
func metaCopy(a *analyze.Analyzer, args string) analyze.Verdict {
	spec, err := split.ParseCopy(args)
	if err != nil {
		return a.Classify("COPY " + args) // let the parser say what is wrong
	}
	v := a.Classify(spec.SQL)
	for i, r := range v.Reasons {
		switch {
		case strings.HasPrefix(r, "COPY FROM "):
			v.Reasons[i] = `\copy ... from (a client file) ` + strings.TrimPrefix(r, "COPY FROM ")
		case strings.HasPrefix(r, "COPY TO STDOUT "):
			v.Reasons[i] = `\copy ... to (a client file) ` + strings.TrimPrefix(r, "COPY TO STDOUT ")
		}
	}
	return v
}

// printer writes verdicts as text for people or JSON lines for programs.
type printer struct {
	w     *bufio.Writer
	json  bool
	color bool
}

// record is one JSON line; field order is the contract's.
type record struct {
	File    string   `json:"file"`
	Index   int      `json:"index"`
	Line    int      `json:"line"`
	Class   string   `json:"class"`
	Flags   []string `json:"flags"`
	Reasons []string `json:"reasons"`
	SQL     string   `json:"sql"`
}

func (p *printer) print(file string, index, line int, sql string, v analyze.Verdict) error {
	flags := make([]string, len(v.Flags))
	for i, f := range v.Flags {
		flags[i] = string(f)
	}
	reasons := v.Reasons
	if reasons == nil {
		reasons = []string{}
	}
	if p.json {
		enc := json.NewEncoder(p.w)
		enc.SetEscapeHTML(false)
		return enc.Encode(record{File: file, Index: index, Line: line, Class: v.Class.String(), Flags: flags, Reasons: reasons, SQL: sql})
	}
	class := v.Class.String()
	if p.color {
		class = colors[v.Class] + class + "\x1b[0m"
	}
	fmt.Fprintf(p.w, "%s:%d: %s", file, line, class)
	if len(flags) > 0 {
		fmt.Fprintf(p.w, " [%s]", strings.Join(flags, ", "))
	}
	if len(reasons) > 0 {
		fmt.Fprintf(p.w, ": %s", reasons[0])
	}
	p.w.WriteByte('\n')
	for _, r := range reasons[min(1, len(reasons)):] {
		fmt.Fprintf(p.w, "    %s\n", r)
	}
	return nil
}

var colors = map[analyze.Class]string{
	analyze.Read:        "\x1b[32m",
	analyze.Write:       "\x1b[33m",
	analyze.Destructive: "\x1b[1;31m",
}
