package e2e

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// pasteBound is the generous bound on a 100 KB paste (the issue: under a
// second; the full shell took over a minute for 10 KB, --plain minutes
// for one long line).
const pasteBound = 30 * time.Second

// pastedStatement is a statement of about n bytes as a terminal sends a
// paste without bracketed paste (lines of lineLen bytes, or one line
// when lineLen is 0; "\r" is Enter), and the length of the string it
// selects.
func pastedStatement(n, lineLen int) (string, int) {
	var b strings.Builder
	b.WriteString("select length(''")
	length := 0
	for b.Len() < n {
		if lineLen > 0 {
			b.WriteString("\r")
		}
		chunk := max(lineLen-8, 64)
		b.WriteString(" || '" + strings.Repeat("a", chunk) + "'")
		length += chunk
	}
	b.WriteString(") as pasted;\r")
	return b.String(), length
}

// screenTail keeps the last bytes a terminal showed.
type screenTail struct {
	mu   sync.Mutex
	last []byte
}

func watch(f *os.File) *screenTail {
	tl := &screenTail{}
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := f.Read(buf)
			tl.mu.Lock()
			tl.last = append(tl.last, buf[:n]...)
			if len(tl.last) > 256<<10 {
				tl.last = append([]byte(nil), tl.last[len(tl.last)-128<<10:]...)
			}
			tl.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return tl
}

func (tl *screenTail) String() string {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return string(tl.last)
}

// forget drops what was shown so far.
func (tl *screenTail) forget() {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tl.last = nil
}

// wait waits up to d for marker to show, and says whether it did.
func (tl *screenTail) wait(marker string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if strings.Contains(tl.String(), marker) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The issue: pasting without bracketed paste froze the full shell (10 KB
// over 60 s) and --plain (one long line of 16 KB: 67 s). 100 KB pasted
// into either front end runs, in lines or on one line, well within
// pasteBound.
func TestPaste100KB(t *testing.T) {
	p := pgtest.DB(t)
	for _, fe := range []struct {
		name string
		args []string
	}{{"full shell", nil}, {"plain", []string{"--plain"}}} {
		for _, shape := range []struct {
			name    string
			lineLen int
		}{{"lines of 80", 80}, {"one line", 0}} {
			t.Run(fe.name+"/"+shape.name, func(t *testing.T) {
				stmt, length := pastedStatement(100<<10, shape.lineLen)
				_, f := startOnPTY(t, append(p.Env(), "XDG_STATE_HOME="+t.TempDir()), append([]string{"-X"}, fe.args...)...)
				screen := watch(f)
				if !screen.wait("=#", 20*time.Second) {
					t.Fatalf("no prompt; the terminal shows:\n%q", screen.String())
				}
				screen.forget()
				start := time.Now()
				go func() { _, _ = f.WriteString(stmt) }() // the terminal takes it as it can
				if !screen.wait("(1 row)", pasteBound) {
					got := screen.String()
					t.Fatalf("no result %v after a paste of %d bytes; the terminal shows at the end:\n%q", pasteBound, len(stmt), got[max(0, len(got)-2000):])
				}
				took := time.Since(start)
				got := screen.String()
				end := strings.Index(got, "(1 row)")
				if want := strconv.Itoa(length); !strings.Contains(got[max(0, end-200):end], want) {
					t.Fatalf("the result of the pasted statement is not %s: the terminal shows\n%q", want, got[max(0, end-2000):end+7])
				}
				t.Logf("a paste of %d bytes ran in %v", len(stmt), took.Round(time.Millisecond))
			})
		}
	}
}
