package shell

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/safesql/safesql/analyze/split"
	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/meta"
)

// loopState names what the script loop does next. Each step of the loop
// is a method that does one thing and returns the next state; the loop
// runs steps until one returns stop (cockroach's clisqlshell shape).
type loopState int

const (
	readItem          loopState = iota // scan the next item and dispatch it
	skipItem                           // an item inside an \if branch that does not run
	handleStatement                    // add SQL to the query buffer; send it when it ends
	sendStatement                      // send the query buffer (and any COPY data)
	handleConditional                  // \if, \elif, \else, \endif
	handleMeta                         // any other backslash command
	atEOF                              // input ended: read errors, open \ifs, the last statement
	stop                               // done; scriptLoop.status says how
)

// scriptLoop is one run of RunScript: the input, psql's \if stack and
// query buffer, and the item being handled.
type scriptLoop struct {
	s   *Session
	ctx context.Context
	src Source

	in   *inputLines
	sc   *split.Scanner
	cond condStack
	// pending is psql's query buffer: text not yet sent.
	pending strings.Builder
	// pendingLine is the last line of an unterminated statement.
	pendingLine int
	// direct is the line of the last backslash command when it ended
	// with "\\": text after it on that line joins the buffer without a
	// newline.
	direct int

	it     split.Item    // the item being handled
	status engine.Status // what RunScript returns once the loop stops
}

func newScriptLoop(ctx context.Context, s *Session, r io.Reader, src Source) *scriptLoop {
	l := &scriptLoop{s: s, ctx: ctx, src: src, status: engine.StatusOK}
	// COPY data streams through in bounded chunks: a pg_dump restore
	// does not hold a table in memory.
	l.in = newInputLines(r)
	// COPY data read by a COPY's reader is passed as it is read, so the
	// lines kept for echoing never hold a COPY's data.
	skipAll := func(int) bool { return true }
	l.sc = split.NewScanner(l.in, split.WithCopyChunks(0), split.WithStandardStrings(s.StandardStrings()),
		split.WithChunkSeen(func(it split.Item) { l.in.pass(it.End, skipAll, l.echo) }))
	return l
}

// run steps through the states until the loop stops.
func (l *scriptLoop) run() engine.Status {
	for state := readItem; state != stop; {
		state = l.step(state)
	}
	return l.status
}

func (l *scriptLoop) step(state loopState) loopState {
	switch state {
	case readItem:
		return l.readItem()
	case skipItem:
		return l.skipItem()
	case handleStatement:
		return l.handleStatement()
	case sendStatement:
		return l.sendStatement()
	case handleConditional:
		return l.handleConditional()
	case handleMeta:
		return l.handleMeta()
	case atEOF:
		return l.atEOF()
	}
	return stop
}

// stopWith stops the loop with st.
func (l *scriptLoop) stopWith(st engine.Status) loopState {
	l.status = st
	return stop
}

// afterExec goes to next unless err stops the script.
func (l *scriptLoop) afterExec(err error, next loopState) loopState {
	if st, halt := l.s.afterExec(err); halt {
		return l.stopWith(st)
	}
	return next
}

// echo prints line n of the input as psql's ECHO all does.
func (l *scriptLoop) echo(n int, line []byte) {
	inQuote := l.sc.StartsInQuote(n)
	if v, _ := l.s.Vars.Get("ECHO"); !strings.EqualFold(v, "all") || l.src.Typed || l.s.echoOff {
		return
	}
	if n == 1 {
		line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	}
	if len(line) == 0 && !inQuote {
		return // psql skips an empty line outside quotes before echoing it
	}
	l.s.streams.Out.Write(append(line, '\n'))
}

func (l *scriptLoop) readItem() loopState {
	if !l.sc.Scan() {
		return atEOF
	}
	if l.ctx.Err() != nil {
		// Ctrl-C in a script stops it, with psql's exit code.
		return l.stopWith(engine.StatusScript)
	}
	l.it = l.sc.Item()
	it := l.it
	// psql echoes each line whole as it reads it (ECHO all), before
	// anything on it runs; COPY data is read without echo.
	l.in.pass(it.End, copyDataLines(it), l.echo)
	if !l.cond.active() && !(it.Kind == split.Meta && isConditional(it.Command)) {
		return skipItem
	}
	switch it.Kind {
	case split.Statement:
		return handleStatement
	case split.Meta:
		l.s.line = it.Line
		l.direct = directLine(it)
		if isConditional(it.Command) {
			return handleConditional
		}
		return handleMeta
	}
	// A COPY's data is read through its CopyReader; a chunk comes here
	// only when its COPY did not run.
	return readItem
}

// skipItem: inside an \if branch that does not run nothing runs, but
// psql still reports a command it does not know, and a ';' there still
// ends its query buffer.
func (l *scriptLoop) skipItem() loopState {
	it := l.it
	next := readItem
	switch {
	case it.Kind == split.Meta && !l.s.knownCommand(it.Command):
		l.s.line = it.Line
		next = l.afterExec(l.s.invalidCommand(it.Command).err, readItem)
	case it.Kind == split.Statement && it.Complete && it.SQL != "":
		l.pending.Reset()
	}
	if next == readItem {
		l.direct = directLine(it)
	}
	return next
}

func (l *scriptLoop) handleStatement() loopState {
	it := l.it
	if strings.TrimSpace(it.SQL) == "" && l.pending.Len() == 0 {
		return readItem
	}
	if l.pending.Len() > 0 && it.SQL != "" && (l.direct == 0 || it.Line != l.direct) {
		l.pending.WriteByte('\n')
	}
	if it.SQL != "" {
		l.direct = 0
	}
	l.pending.WriteString(it.SQL)
	if !it.Complete && it.CopyData == nil && !it.CopyStream {
		l.pendingLine = it.EndLine
		return readItem
	}
	return sendStatement
}

func (l *scriptLoop) sendStatement() loopState {
	it := l.it
	sql := l.pending.String()
	l.pending.Reset()
	l.s.line = it.EndLine
	data := l.copyData()
	err := l.s.Exec(l.ctx, l.s.interpolate(sql), data)
	passCopyData(l.in, data, l.echo)
	return l.afterExec(err, readItem)
}

// copyData is the COPY data that goes with the item: streamed (the
// command that reads it closes it, skipping what it did not read; an
// unrun COPY's chunks come through readItem), inline, or none.
func (l *scriptLoop) copyData() io.Reader {
	switch {
	case l.it.CopyStream:
		return l.sc.CopyReader()
	case l.it.CopyData != nil:
		return strings.NewReader(*l.it.CopyData)
	}
	return nil
}

func (l *scriptLoop) handleConditional() loopState {
	it := l.it
	s := l.s
	exprErr := false
	msg := l.cond.conditional(it.Command, scriptBuffer{&l.pending, l.sc}, func() (bool, string) {
		v, msg := ifExpression(it.Command, s.argsOf(it.Args))
		exprErr = msg != ""
		return v, msg
	})
	switch {
	case exprErr:
		// psql reports a bad expression, counts it false and goes on,
		// even under ON_ERROR_STOP.
		s.metaErr(msg)
	case msg != "":
		return l.afterExec(s.metaErr(msg).err, readItem)
	case (it.Command == "else" || it.Command == "endif") && l.cond.active():
		// They take no argument; psql warns about any, unread, where the
		// branch it leads to runs.
		args := meta.Scanner{Raw: it.Args}
		for {
			extra, _, ok := args.Next(false)
			if !ok {
				break
			}
			s.metaLog("warning", fmt.Sprintf(`\%s: extra argument "%s" ignored`, it.Command, extra))
		}
	}
	return readItem
}

func (l *scriptLoop) handleMeta() loopState {
	it := l.it
	buf := l.pending.String()
	if it.SendsQuery() {
		// psql expands variables as it reads each line; the buffer a \g
		// or \gset sends is expanded once, here.
		buf = l.s.interpolate(buf)
	}
	data := l.copyData() // \copy from stdin closes a stream
	res := l.s.runMeta(l.ctx, it.Command, it.Args, &buf, l.src, data)
	passCopyData(l.in, data, l.echo)
	l.pending.Reset()
	// \g and \gx keep the buffer when they did not send it (bad
	// options), as psql does.
	if !it.ResetsQuery() || ((it.Command == "g" || it.Command == "gx") && buf != "") {
		l.pending.WriteString(buf)
	}
	switch {
	case res.quit:
		if it.Command == "q" || it.Command == "quit" {
			l.s.quit = true
		}
		return l.stopWith(res.status)
	case res.err != nil:
		return l.afterExec(res.err, readItem)
	}
	return readItem
}

func (l *scriptLoop) atEOF() loopState {
	s := l.s
	if err := l.sc.Err(); err != nil {
		// psql's words, and the file without a line.
		fmt.Fprintf(s.streams.Err, "safesql:%s: error: could not read from input file: %s\n", displayName(l.src), osMessage(err))
		s.readFailed = true
		return l.stopWith(engine.StatusFatal)
	}
	if len(l.cond) > 0 {
		if l.afterExec(s.metaErr(`reached EOF without finding closing \endif(s)`).err, atEOF) == stop {
			return stop
		}
	}
	if l.src.Typed {
		// In the shell the buffer waits for the next entry, as psql's
		// does between lines (the prompt says so with its '-').
		s.typed = l.pending.String()
		if strings.TrimSpace(s.typed) == "" {
			s.typed = ""
		}
		return stop
	}
	if strings.TrimSpace(l.pending.String()) != "" && l.cond.active() {
		// psql sends an unterminated last statement of a script (not from
		// a branch that does not run), and reports its errors at the last
		// line read.
		if l.pendingLine > 0 {
			s.line = l.pendingLine
		}
		return l.afterExec(s.Exec(l.ctx, s.interpolate(l.pending.String()), nil), stop)
	}
	return stop
}
