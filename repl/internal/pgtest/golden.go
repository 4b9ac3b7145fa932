package pgtest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Golden is a file of recorded outputs (of psql, of the server), each
// under a key, so that a comparison with psql runs without psql and
// without a server. With update, every output is produced again (by the
// function Bytes is given) and the file is rewritten when the test ends;
// without it, the outputs come from the file, and one missing fails the
// test with the command that records it.
//
// The file is a list of entries, each a line `=== LEN "KEY"` and LEN
// bytes of output, then a newline: outputs are kept byte for byte, and a
// change of psql's output reads as a diff of the file.
type Golden struct {
	path    string
	update  bool
	mu      sync.Mutex
	entries map[string][]byte
}

// OpenGolden opens testdata/name.golden of the package under test.
func OpenGolden(t testing.TB, name string, update bool) *Golden {
	t.Helper()
	g := &Golden{path: filepath.Join("testdata", name+".golden"), update: update, entries: map[string][]byte{}}
	if update {
		t.Cleanup(func() {
			if err := g.write(); err != nil {
				t.Errorf("pgtest: %v", err)
			}
		})
		return g
	}
	b, err := os.ReadFile(g.path)
	if err != nil {
		t.Fatalf("pgtest: %v; record it with go test -run '^%s$' -update (against PostgreSQL and psql)", err, rootName(t))
	}
	if err := g.parse(b); err != nil {
		t.Fatalf("pgtest: %s: %v; record it again with go test -run '^%s$' -update", g.path, err, rootName(t))
	}
	return g
}

// Bytes returns the output recorded under key. When recording, it is
// produce's output (produce may call t.Fatal); otherwise it is the file's,
// and a key the file does not hold fails the test.
func (g *Golden) Bytes(t testing.TB, key string, produce func() []byte) []byte {
	t.Helper()
	if g.update {
		b := produce()
		g.mu.Lock()
		g.entries[key] = b
		g.mu.Unlock()
		return b
	}
	g.mu.Lock()
	b, ok := g.entries[key]
	g.mu.Unlock()
	if !ok {
		t.Fatalf("pgtest: %s holds no %q; record it with go test -run '^%s$' -update (against PostgreSQL and psql)", g.path, key, rootName(t))
	}
	return b
}

func rootName(t testing.TB) string {
	name, _, _ := strings.Cut(t.Name(), "/")
	return name
}

func (g *Golden) write() error {
	keys := make([]string, 0, len(g.entries))
	for k := range g.entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	for _, k := range keys {
		fmt.Fprintf(&buf, "=== %d %s\n", len(g.entries[k]), strconv.Quote(k))
		buf.Write(g.entries[k])
		buf.WriteByte('\n')
	}
	if err := os.MkdirAll(filepath.Dir(g.path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(g.path, buf.Bytes(), 0o644)
}

func (g *Golden) parse(b []byte) error {
	r := bufio.NewReader(bytes.NewReader(b))
	for n := 1; ; n++ {
		head, err := r.ReadString('\n')
		if err == io.EOF && head == "" {
			return nil
		}
		if err != nil {
			return fmt.Errorf("entry %d: %w", n, err)
		}
		rest, ok := strings.CutPrefix(strings.TrimSuffix(head, "\n"), "=== ")
		size, quoted, ok2 := strings.Cut(rest, " ")
		length, err := strconv.Atoi(size)
		key, qerr := strconv.Unquote(quoted)
		if !ok || !ok2 || err != nil || qerr != nil || length < 0 {
			return fmt.Errorf("entry %d: bad header %q", n, head)
		}
		data := make([]byte, length+1)
		if _, err := io.ReadFull(r, data); err != nil || data[length] != '\n' {
			return fmt.Errorf("entry %d (%s): %w", n, key, errors.Join(err, errors.New("truncated")))
		}
		g.entries[key] = data[:length]
	}
}
