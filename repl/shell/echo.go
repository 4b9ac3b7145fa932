package shell

import (
	"bytes"
	"io"
)

// inputLines sits between a script's reader and its scanner and keeps the
// input lines that have been read but not yet passed, so that ECHO all can
// print each line whole, once, before anything on it runs: psql reads its
// input a line at a time and echoes the line as it reads it, so
// "select 1; select 2; -- note" is echoed as one line before both
// statements run.
//
// Memory stays bounded by what the scanner has read ahead: lines are
// dropped as soon as the items that hold them have been passed, and COPY
// data is dropped without waiting for the end of its line.
type inputLines struct {
	r      io.Reader
	buf    []byte // bytes read from r, from stream offset base on
	base   int    // stream offset of buf[0]
	served int    // bytes of buf handed to the scanner
	line   int    // line number of buf[0]
	passed int    // the last line echoed or skipped
	eof    bool
	err    error
}

func newInputLines(r io.Reader) *inputLines { return &inputLines{r: r, line: 1} }

// Read hands the scanner the next bytes: first those read ahead to find a
// line's end, then new ones.
func (in *inputLines) Read(p []byte) (int, error) {
	if in.served < len(in.buf) {
		n := copy(p, in.buf[in.served:])
		in.served += n
		return n, nil
	}
	if in.eof {
		return 0, in.errOrEOF()
	}
	n, err := in.r.Read(p)
	in.buf = append(in.buf, p[:n]...)
	in.served += n
	if err != nil {
		in.eof, in.err = true, err
	}
	return n, err
}

func (in *inputLines) errOrEOF() error {
	if in.err != nil {
		return in.err
	}
	return io.EOF
}

// readMore reads ahead of the scanner, to find the end of a line.
func (in *inputLines) readMore() bool {
	if in.eof {
		return false
	}
	chunk := make([]byte, 32<<10)
	n, err := in.r.Read(chunk)
	in.buf = append(in.buf, chunk[:n]...)
	if err != nil {
		in.eof, in.err = true, err
	}
	return n > 0 || !in.eof
}

// drop forgets the first n bytes of buf, which the scanner has read. The
// bytes are moved down only once the dropped part is large, so passing
// many short lines costs time in proportion to their size.
func (in *inputLines) drop(n int) {
	in.buf = in.buf[n:]
	if cap(in.buf) > 1<<20 && len(in.buf) < cap(in.buf)/4 {
		in.buf = append([]byte(nil), in.buf...)
	}
	in.base += n
	in.served -= n
}

// pass goes over every line that starts before the stream offset end:
// each line not passed yet is given whole to echo (with its number,
// without its newline) unless skip says it is COPY data, which psql reads
// without echoing. A line whose end has not been read yet is read ahead
// to its end first; what the scanner has read of passed lines is dropped.
func (in *inputLines) pass(end int, skip func(line int) bool, echo func(n int, line []byte)) {
	for in.base < end {
		if in.line > in.passed {
			in.passed = in.line
			if !skip(in.line) {
				i := bytes.IndexByte(in.buf, '\n')
				for i < 0 && in.readMore() {
					i = bytes.IndexByte(in.buf, '\n')
				}
				text := in.buf
				if i >= 0 {
					text = in.buf[:i]
				}
				echo(in.line, text)
			}
		}
		i := bytes.IndexByte(in.buf[:in.served], '\n')
		if i < 0 {
			// the line goes on past what the scanner has read
			in.drop(in.served)
			return
		}
		in.drop(i + 1)
		in.line++
	}
}
