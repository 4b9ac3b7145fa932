package shell

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze/split"
	"github.com/safesql/safesql/repl/meta"
)

// copyMeta runs a \copy: the server sees COPY ... FROM STDIN or TO STDOUT
// and safesql moves the data from or to the file, program or stream.
func (s *Session) copyMeta(ctx context.Context, args string, inline io.Reader) metaResult {
	spec, err := split.ParseCopy(args)
	if err != nil {
		return s.metaErr(err.Error())
	}
	s.lastTag = pgconn.CommandTag{}
	if spec.Program {
		dir := "to"
		if spec.From {
			dir = "from"
		}
		if err := s.shellGate(fmt.Sprintf(`\copy ... %s program "%s"`, dir, spec.Target)); err != nil {
			return s.metaErr(err.Error())
		}
	}
	if spec.From {
		var r io.Reader
		var wait func() error
		switch {
		case spec.Target == "stdin" && inline != nil:
			r = inline
		case spec.Target == "stdin" || spec.Target == "pstdin":
			r = s.streams.In
		case spec.Program:
			// Started when the server asks for the data: a COPY the
			// session's rules refuse (read-only) never runs the program.
			p := &programReader{command: spec.Target, ctx: ctx, stderr: s.streams.Err}
			r, wait = p, p.Wait
		default:
			f, err := os.Open(spec.Target)
			if err != nil {
				return s.metaErr(fmt.Sprintf("%s: %s", spec.Target, osMessage(err)))
			}
			defer f.Close()
			r = f
		}
		if s.Guarded() {
			// \copy FROM is a write: the session's rules and its
			// transaction apply, as to COPY FROM STDIN.
			err := s.Exec(ctx, spec.SQL, r)
			if wait != nil {
				_ = wait()
			}
			return metaResult{err: err}
		}
		startLine := s.line
		tag, err := s.Conn().CopyFrom(ctx, r, spec.SQL)
		if wait != nil {
			_ = wait()
		}
		if spec.Target == "stdin" && inline != nil {
			s.finishCopyData(inline, startLine, err)
		}
		s.lastTag = tag
		s.setResultVars(err)
		if err != nil {
			defer s.flushCopyNote()
			return metaResult{err: s.report(spec.SQL, err)}
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
	case spec.Target == "stdout":
		w, printTag = s.out, false
	case spec.Target == "pstdout":
		w, printTag = s.streams.Out, false
	case spec.Program:
		cmd := exec.CommandContext(ctx, "/bin/sh", "-c", spec.Target)
		cmd.Args[0] = "sh" // as popen names it in the shell's messages
		in, err := cmd.StdinPipe()
		if err != nil {
			return s.metaErr(fmt.Sprintf("could not execute command \"%s\": %v", spec.Target, err))
		}
		cmd.Stdout, cmd.Stderr = s.out, s.streams.Err
		if err := cmd.Start(); err != nil {
			return s.metaErr(fmt.Sprintf("could not execute command \"%s\": %v", spec.Target, err))
		}
		w = in
		finish = func() error { in.Close(); return cmd.Wait() }
	default:
		f, err := os.Create(spec.Target)
		if err != nil {
			return s.metaErr(fmt.Sprintf("%s: %s", spec.Target, osMessage(err)))
		}
		w = f
		finish = f.Close
	}
	tag, err := s.Conn().CopyTo(ctx, w, spec.SQL)
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
		return metaResult{err: s.report(spec.SQL, err)}
	}
	return metaResult{}
}

// OSMessage is an OS error as psql words it: "No such file or directory".
func OSMessage(err error) string { return meta.OSMessage(err) }

func osMessage(err error) string { return meta.OSMessage(err) }

// programReader is the output of a \copy ... from program command,
// started at the first read.
type programReader struct {
	ctx     context.Context
	command string
	stderr  io.Writer

	cmd *exec.Cmd
	out io.ReadCloser
	err error
}

func (p *programReader) Read(b []byte) (int, error) {
	if p.cmd == nil && p.err == nil {
		p.start()
	}
	if p.err != nil {
		return 0, p.err
	}
	return p.out.Read(b)
}

func (p *programReader) start() {
	cmd := exec.CommandContext(p.ctx, "/bin/sh", "-c", p.command)
	cmd.Args[0] = "sh" // as popen names it in the shell's messages
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		p.err = fmt.Errorf("could not execute command \"%s\": %w", p.command, err)
		return
	}
	p.cmd, p.out = cmd, out
}

// Wait waits for the program, when it was started.
func (p *programReader) Wait() error {
	if p.cmd == nil {
		return nil
	}
	return p.cmd.Wait()
}
