//go:build unix

package tui

import (
	"io"
	"os"
	"testing"
	"time"
)

func pipeLease(t *testing.T) (*lease, *os.File, *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	in, err := openLease(r, false)
	if err != nil {
		t.Fatal(err)
	}
	l, ok := in.(*lease)
	if !ok {
		t.Fatalf("openLease on a file gave %T", in)
	}
	return l, r, w
}

func readString(t *testing.T, r io.Reader) (string, error) {
	t.Helper()
	buf := make([]byte, 64)
	n, err := r.Read(buf)
	return string(buf[:n]), err
}

// A lease gives the terminal's bytes, then after finish endOfInput and
// EOF, leaving what it has not read for the next program.
func TestLeaseEndsInOrder(t *testing.T) {
	l, r, w := pipeLease(t)
	w.WriteString("abc")
	if got, err := readString(t, l); got != "abc" || err != nil {
		t.Fatalf("first read %q, %v", got, err)
	}
	l.finish()
	w.WriteString("def")
	if got, err := readString(t, l); got != endOfInput || err != nil {
		t.Fatalf("read after finish %q, %v; want endOfInput", got, err)
	}
	if got, err := readString(t, l); got != "" || err != io.EOF {
		t.Fatalf("read after endOfInput %q, %v; want EOF", got, err)
	}
	l.close()
	if got, err := readString(t, r); got != "def" || err != nil {
		t.Fatalf("the next reader got %q, %v; want def", got, err)
	}
}

// finish wakes a read that is waiting for keys.
func TestLeaseFinishWakesAWaitingRead(t *testing.T) {
	l, _, _ := pipeLease(t)
	got := make(chan string, 1)
	go func() {
		s, _ := readString(t, l)
		got <- s
	}()
	waitReading(t, l)
	l.finish()
	select {
	case s := <-got:
		if s != endOfInput {
			t.Fatalf("got %q, want endOfInput", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("finish did not wake the read")
	}
	l.close()
}

// suspend ends the waiting read with EOF and takes nothing; a read after
// it gets the keys.
func TestLeaseSuspendEndsTheOldReader(t *testing.T) {
	l, _, w := pipeLease(t)
	done := make(chan error, 1)
	go func() {
		_, err := readString(t, l)
		done <- err
	}()
	waitReading(t, l)
	l.suspend()
	select {
	case err := <-done:
		if err != io.EOF {
			t.Fatalf("the old read ended with %v, want EOF", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("suspend did not end the read")
	}
	w.WriteString("xyz")
	if got, err := readString(t, l); got != "xyz" || err != nil {
		t.Fatalf("read after the stop %q, %v", got, err)
	}
	l.close()
}

// waitReading waits until a Read is blocked in the lease (a suspend that
// came before the Read started would not be the Read's to end).
func waitReading(t *testing.T, l *lease) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		l.mu.Lock()
		reading := l.reading
		l.mu.Unlock()
		if reading {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the read never started")
}
