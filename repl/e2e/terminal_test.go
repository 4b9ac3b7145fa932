package e2e

import (
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// onTerminal starts cmd with a new pty as its controlling terminal and
// standard error (standard input and output stay the caller's), and
// returns what the terminal has shown so far and a way to answer: wait
// for question on the screen, then type answer and Enter.
func onTerminal(t *testing.T, cmd *exec.Cmd) (screen func() string, answer func(question, text string)) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ptmx.Close() })
	cmd.Stderr = tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 2}
	if err := cmd.Start(); err != nil {
		tty.Close()
		t.Fatal(err)
	}
	tty.Close()
	var mu sync.Mutex
	var seen strings.Builder
	go func() { // the terminal's screen, read until it closes
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			seen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	screen = func() string { mu.Lock(); defer mu.Unlock(); return seen.String() }
	answer = func(question, text string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(screen(), question) {
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatalf("no %q on the terminal; it shows:\n%s", question, screen())
			}
			time.Sleep(20 * time.Millisecond)
		}
		if _, err := ptmx.Write([]byte(text + "\n")); err != nil {
			t.Fatal(err)
		}
	}
	return screen, answer
}
