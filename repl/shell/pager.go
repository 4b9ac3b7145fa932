package shell

import (
	"bytes"
	"io"
	"os/exec"
	"strings"
)

// pagerWriter holds a result's output until it is taller than the screen,
// then starts the pager and streams the rest through it, as psql does
// with \pset pager on; a result that fits is written out as it is.
type pagerWriter struct {
	out, errOut io.Writer
	command     string // run with /bin/sh -c
	rows        int    // the output is paged from this many lines on; 0: always

	buf   bytes.Buffer
	lines int
	cmd   *exec.Cmd
	pipe  io.WriteCloser
	gone  bool // the pager quit early (q in less): the rest is dropped
}

// pagerCommand is PSQL_PAGER, else PAGER, else "less -SFX" (-S: long lines
// are not folded, -F: quit when it fits, -X: leave the screen as it was).
// The first of the two that is set wins, as in psql: set to "" (or blanks
// only) it turns paging off ("" is returned).
func pagerCommand(lookup func(string) (string, bool)) string {
	for _, name := range []string{"PSQL_PAGER", "PAGER"} {
		if v, ok := lookup(name); ok {
			return strings.TrimSpace(v)
		}
	}
	return "less -SFX"
}

func (p *pagerWriter) Write(b []byte) (int, error) {
	switch {
	case p.gone:
		return len(b), nil
	case p.pipe != nil:
		if _, err := p.pipe.Write(b); err != nil {
			p.gone = true // the person left the pager: not an error
		}
		return len(b), nil
	}
	p.buf.Write(b)
	p.lines += bytes.Count(b, []byte{'\n'})
	if p.lines >= p.rows {
		p.start()
	}
	return len(b), nil
}

// start runs the pager and hands it what was held; when it cannot start,
// the output goes to the terminal as it would without a pager.
func (p *pagerWriter) start() {
	cmd := exec.Command("/bin/sh", "-c", p.command)
	cmd.Stdout, cmd.Stderr = p.out, p.errOut
	pipe, err := cmd.StdinPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		p.rows = int(^uint(0) >> 1) // never again for this result
		_, _ = p.out.Write(p.buf.Bytes())
		p.buf.Reset()
		p.pipe = nopCloser{p.out}
		return
	}
	p.cmd, p.pipe = cmd, pipe
	if _, err := pipe.Write(p.buf.Bytes()); err != nil {
		p.gone = true
	}
	p.buf.Reset()
}

// Close writes a result that fitted, or waits for the pager to end.
func (p *pagerWriter) Close() error {
	if p.pipe == nil {
		_, err := p.out.Write(p.buf.Bytes())
		return err
	}
	err := p.pipe.Close()
	if p.cmd != nil {
		_ = p.cmd.Wait() // its exit status is the person's business
		return nil
	}
	return err
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// pager returns the writer a result goes through: the session's output,
// or a pagerWriter when a person reads it on a terminal and \pset pager
// asks for it.
func (s *Session) pager(mode int) (io.Writer, func() error) {
	none := func() error { return nil }
	if mode == 0 || !s.Interactive || s.outFile != nil || !s.streams.OutTTY || !s.streams.InTTY {
		return s.out, none
	}
	command := pagerCommand(s.streams.LookupEnv)
	if command == "" || s.shellGate("the pager") != nil {
		// Where no program may start the result is printed as it is.
		return s.out, none
	}
	rows := s.streams.Height()
	if mode == 1 && rows == 0 {
		return s.out, none
	}
	if mode == 2 {
		rows = 0
	}
	w := &pagerWriter{out: s.out, errOut: s.streams.Err, command: command, rows: rows}
	return w, w.Close
}
