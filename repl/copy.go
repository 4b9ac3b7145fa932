package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// copySpec is a parsed \copy: the COPY to send and where its data comes
// from or goes to.
type copySpec struct {
	sql     string // COPY ... FROM STDIN / TO STDOUT ...
	from    bool
	target  string // "stdin", "stdout", "pstdin", "pstdout", a file name, or a program
	program bool
}

// parseCopy reads psql's \copy syntax:
//
//	\copy { table [ ( column_list ) ] | ( query ) } { from | to }
//	      { 'filename' | program 'command' | stdin | stdout | pstdin | pstdout } [ [ with ] ( option [, ...] ) ]
func parseCopy(args string) (copySpec, error) {
	errParse := func(at string) error {
		if at == "" {
			return errors.New(`\copy: parse error at end of line`)
		}
		return fmt.Errorf(`\copy: parse error at "%s"`, at)
	}
	rest := strings.TrimSpace(args)
	var what string
	if strings.HasPrefix(rest, "(") {
		end := matchParen(rest)
		if end < 0 {
			return copySpec{}, errParse("")
		}
		what, rest = rest[:end+1], strings.TrimSpace(rest[end+1:])
	} else {
		// a table name, possibly qualified and quoted, then an optional
		// column list
		i := 0
		for i < len(rest) && rest[i] != ' ' && rest[i] != '\t' && rest[i] != '(' {
			if rest[i] == '"' {
				j := strings.IndexByte(rest[i+1:], '"')
				if j < 0 {
					return copySpec{}, errParse("")
				}
				i += j + 1
			}
			i++
		}
		what, rest = rest[:i], strings.TrimSpace(rest[i:])
		if strings.HasPrefix(rest, "(") {
			end := matchParen(rest)
			if end < 0 {
				return copySpec{}, errParse("")
			}
			what, rest = what+" "+rest[:end+1], strings.TrimSpace(rest[end+1:])
		}
	}
	if what == "" {
		return copySpec{}, errParse("")
	}
	word, rest := nextWord(rest)
	var spec copySpec
	switch strings.ToLower(word) {
	case "from":
		spec.from = true
	case "to":
	default:
		return copySpec{}, errParse(word)
	}
	word, rest = nextWord(rest)
	switch lw := strings.ToLower(word); {
	case word == "":
		return copySpec{}, errParse("")
	case lw == "program":
		word, rest = nextWord(rest)
		if !strings.HasPrefix(word, "'") {
			return copySpec{}, errParse(word)
		}
		spec.program, spec.target = true, unquoteLiteral(word)
	case lw == "stdin" || lw == "stdout" || lw == "pstdin" || lw == "pstdout":
		spec.target = lw
	default:
		spec.target = unquoteLiteral(word)
	}
	dir := " TO STDOUT"
	if spec.from {
		dir = " FROM STDIN"
	}
	spec.sql = "COPY " + what + dir
	if rest != "" {
		spec.sql += " " + rest
	}
	return spec, nil
}

func matchParen(s string) int {
	depth, quote := 0, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// nextWord returns the next blank-separated word, keeping a single-quoted
// literal whole.
func nextWord(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ""
	}
	if s[0] == '\'' {
		for i := 1; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				return s[:i+1], strings.TrimSpace(s[i+1:])
			}
		}
		return s, ""
	}
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], strings.TrimSpace(s[i:])
	}
	return s, ""
}

func unquoteLiteral(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	return s
}

// copyMeta runs a \copy: the server sees COPY ... FROM STDIN or TO STDOUT
// and safesql moves the data from or to the file, program or stream.
func (s *Session) copyMeta(ctx context.Context, args string, inline io.Reader) metaResult {
	spec, err := parseCopy(args)
	if err != nil {
		return s.metaErr(err.Error())
	}
	s.lastTag = pgconn.CommandTag{}
	if spec.from {
		var r io.Reader
		var wait func() error
		switch {
		case spec.target == "stdin" && inline != nil:
			r = inline
		case spec.target == "stdin" || spec.target == "pstdin":
			r = s.streams.In
		case spec.program:
			cmd := exec.CommandContext(ctx, "/bin/sh", "-c", spec.target)
			out, err := cmd.StdoutPipe()
			if err != nil {
				return s.metaErr(fmt.Sprintf("could not execute command \"%s\": %v", spec.target, err))
			}
			cmd.Stderr = s.streams.Err
			if err := cmd.Start(); err != nil {
				return s.metaErr(fmt.Sprintf("could not execute command \"%s\": %v", spec.target, err))
			}
			r, wait = out, cmd.Wait
		default:
			f, err := os.Open(spec.target)
			if err != nil {
				return s.metaErr(fmt.Sprintf("%s: %s", spec.target, osMessage(err)))
			}
			defer f.Close()
			r = f
		}
		startLine := s.line
		tag, err := s.conn.CopyFrom(ctx, r, spec.sql)
		if wait != nil {
			_ = wait()
		}
		if spec.target == "stdin" && inline != nil {
			s.finishCopyData(inline, startLine, err)
		}
		s.lastTag = tag
		s.setResultVars(err)
		if err != nil {
			defer s.flushCopyNote()
			return metaResult{err: s.report(spec.sql, err)}
		}
		if !s.quiet() {
			fmt.Fprintln(s.out, tag.String())
		}
		return metaResult{}
	}

	var w io.Writer
	var finish func() error
	printTag := true
	switch {
	case spec.target == "stdout":
		w, printTag = s.out, false
	case spec.target == "pstdout":
		w, printTag = s.streams.Out, false
	case spec.program:
		cmd := exec.CommandContext(ctx, "/bin/sh", "-c", spec.target)
		in, err := cmd.StdinPipe()
		if err != nil {
			return s.metaErr(fmt.Sprintf("could not execute command \"%s\": %v", spec.target, err))
		}
		cmd.Stdout, cmd.Stderr = s.out, s.streams.Err
		if err := cmd.Start(); err != nil {
			return s.metaErr(fmt.Sprintf("could not execute command \"%s\": %v", spec.target, err))
		}
		w = in
		finish = func() error { in.Close(); return cmd.Wait() }
	default:
		f, err := os.Create(spec.target)
		if err != nil {
			return s.metaErr(fmt.Sprintf("%s: %s", spec.target, osMessage(err)))
		}
		w = f
		finish = f.Close
	}
	tag, err := s.conn.CopyTo(ctx, w, spec.sql)
	s.lastTag = tag
	s.setResultVars(err)
	if err == nil && printTag && !s.quiet() {
		// psql prints the tag before it closes the program's input, so a
		// program's own output comes after it.
		fmt.Fprintln(s.out, tag.String())
	}
	if finish != nil {
		_ = finish()
	}
	if err != nil {
		return metaResult{err: s.report(spec.sql, err)}
	}
	return metaResult{}
}

// osMessage is an OS error as psql words it: "No such file or directory".
func osMessage(err error) string {
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
