package e2e

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// sessionStatements is how long the session of the memory test is (the
// issue: 5,000 trivial statements).
const sessionStatements = 5000

// sessionPeakMiB is the bound on the peak resident size of that session,
// in both front ends (the full shell levelled off at 200–300 MB).
const sessionPeakMiB = 60

// counter reads a terminal and counts how often a marker was shown.
type counter struct {
	marker []byte
	counts chan int // each new count, as it is reached
}

func countOn(f *os.File, marker string) *counter {
	c := &counter{marker: []byte(marker), counts: make(chan int, 1)}
	go func() {
		buf := make([]byte, 64<<10)
		var tail []byte // the end of what came before (a marker may be cut)
		n := 0
		for {
			k, err := f.Read(buf)
			if k > 0 {
				data := append(tail, buf[:k]...)
				if found := bytes.Count(data, c.marker); found > 0 {
					n += found
					// Keep what follows the last marker only.
					data = data[bytes.LastIndex(data, c.marker)+len(c.marker):]
					select {
					case <-c.counts:
					default:
					}
					c.counts <- n
				}
				keep := min(len(data), len(c.marker)-1)
				tail = append([]byte(nil), data[len(data)-keep:]...)
			}
			if err != nil {
				close(c.counts)
				return
			}
		}
	}()
	return c
}

// waitCount waits until the marker was shown want times.
func (c *counter) waitCount(t *testing.T, want int, what string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case n, ok := <-c.counts:
			if !ok {
				t.Fatalf("the terminal closed before %s (%d of %d seen)", what, n, want)
			}
			if n >= want {
				return
			}
		case <-timeout:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// The issue: the full shell levelled off at 200–300 MB after a few
// hundred trivial statements (--plain at 27 MB). A session of 5,000
// statements typed one after the other, each waited for, must stay under
// sessionPeakMiB of peak resident memory in both front ends.
func TestLongSessionMemoryStaysFlat(t *testing.T) {
	p := pgtest.DB(t)
	for _, fe := range []struct {
		name string
		args []string
	}{{"full shell", nil}, {"plain", []string{"--plain"}}} {
		t.Run(fe.name, func(t *testing.T) {
			cmd, f := startOnPTY(t, append(p.Env(), "XDG_STATE_HOME="+t.TempDir()), append([]string{"-X"}, fe.args...)...)
			// Each result ends in psql's row count; the statements differ
			// so that history keeps them all.
			rows := countOn(f, "(1 row)")
			start := time.Now()
			for i := 1; i <= sessionStatements; i++ {
				if _, err := f.WriteString("select " + strconv.Itoa(i) + ";\r"); err != nil {
					t.Fatal(err)
				}
				rows.waitCount(t, i, "the result of statement "+strconv.Itoa(i))
			}
			took := time.Since(start)
			status, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteString("\\q\r"); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("safesql exited with %v after \\q", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("safesql did not exit after \\q")
			}
			// VmHWM, the process's own high-water mark: the rusage of a
			// child started with vfork also counts the test process's
			// memory at the time of the exec.
			peak := highWaterKiB(string(status)) / 1024
			t.Logf("%d statements in %v; peak RSS %d MiB; %s", sessionStatements, took.Round(time.Millisecond), peak, memLines(string(status)))
			if peak > sessionPeakMiB {
				t.Errorf("peak RSS after %d statements: %d MiB; the bound is %d MiB", sessionStatements, peak, sessionPeakMiB)
			}
		})
	}
}

// highWaterKiB is VmHWM, the peak resident memory, from the text of
// /proc/PID/status (0 when it is not there).
func highWaterKiB(status string) int64 {
	for _, l := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// watchHighWater reads the high-water mark of process pid until stop is
// closed and sends the last it read.
func watchHighWater(pid int, stop <-chan struct{}) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var last int64
		for {
			if status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status"); err == nil {
				if n := highWaterKiB(string(status)); n > last {
					last = n
				}
			}
			select {
			case <-stop:
				out <- last
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return out
}

// memLines is the memory lines of /proc/PID/status, on one line.
func memLines(status string) string {
	var out []string
	for l := range strings.SplitSeq(status, "\n") {
		if strings.HasPrefix(l, "VmHWM") || strings.HasPrefix(l, "VmRSS") || strings.HasPrefix(l, "Threads") {
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
	}
	return strings.Join(out, ", ")
}
