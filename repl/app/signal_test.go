package app

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A config of 200,000 environments took 19 minutes to load and SIGTERM
// waited for it. The built binary is signalled while it loads, for the
// shell and for `safesql envs`: it must end promptly, non-zero, and say
// why (SIGINT is not handled yet at that point: it kills, as in psql). The bound is generous; the load itself takes seconds, so only a
// program that waits for it can miss it.
func TestSignalWhileLoadingAHugeConfig(t *testing.T) {
	dir := t.TempDir()
	binary := filepath.Join(dir, "safesql")
	build := exec.Command("go", "build", "-o", binary, "github.com/safesql/safesql")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build safesql: %v\n%s", err, out)
	}
	var cfg strings.Builder
	for i := range 200000 {
		fmt.Fprintf(&cfg, "[envs.env%06d]\ndsn = \"host=db%06d.internal dbname=app\"\ntier = \"staging\"\n\n", i, i)
	}
	config := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(config, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sig  syscall.Signal
		args []string
		want string // on stderr
	}{
		{syscall.SIGTERM, []string{"-X", "-c", "select 1", "env000001"}, "safesql: error: load config: terminated signal received"},
		{syscall.SIGTERM, []string{"envs"}, "safesql: error: load config: terminated signal received"},
		{syscall.SIGHUP, []string{"envs"}, "safesql: error: load config: hangup signal received"},
		// Ctrl-C before the shell handles it: the default action, as psql.
		{syscall.SIGINT, []string{"-X", "-c", "select 1", "env000001"}, ""},
	} {
		args := tc.args
		t.Run(tc.sig.String()+" "+args[0], func(t *testing.T) {
			cmd := exec.Command(binary, args...)
			cmd.Env = []string{"SAFESQL_CONFIG=" + config, "SAFESQL_SYSTEM_CONFIG=" + filepath.Join(dir, "none.toml"), "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			time.Sleep(200 * time.Millisecond)
			sent := time.Now()
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-exited:
				var exit *exec.ExitError
				if !errors.As(err, &exit) {
					t.Fatalf("safesql %s exited with %v after %v, want a non-zero status", strings.Join(args, " "), err, tc.sig)
				}
				t.Logf("%v %d ms after %v: %s", exit, time.Since(sent).Milliseconds(), tc.sig, stderr.String())
				// killed by the signal itself, or the status a shell
				// gives a killed client (128 + the signal)
				ws, _ := exit.Sys().(syscall.WaitStatus)
				if killed := ws.Signaled() && ws.Signal() == tc.sig; !killed && exit.ExitCode() != 128+int(tc.sig) {
					t.Errorf("exit status %d after %v, want %d (a killed client's)", exit.ExitCode(), tc.sig, 128+int(tc.sig))
				}
				if !strings.Contains(stderr.String(), tc.want) {
					t.Errorf("stderr = %q, want it to say the load was stopped by the signal", stderr.String())
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-exited
				t.Fatalf("safesql %s still running 10 s after %v", strings.Join(args, " "), tc.sig)
			}
		})
	}
}
