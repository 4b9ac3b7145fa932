package termtest

import (
	"bytes"
	"sync"

	"github.com/safesql/safesql/repl/term"
)

// Buffer is a bytes.Buffer safe for concurrent writers.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String is what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Reset empties the buffer.
func (b *Buffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

// Streams returns streams reading stdin and writing to two new buffers
// (standard output, standard error), with the environment env.
func Streams(stdin string, env map[string]string) (*term.IOStreams, *Buffer, *Buffer) {
	out, errb := &Buffer{}, &Buffer{}
	s := term.Streams(bytes.NewBufferString(stdin), out, errb, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	return s, out, errb
}
