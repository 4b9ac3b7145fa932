package e2e

import (
	"context"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// \password asks twice on the terminal, without echo, and the role then
// logs in with the new password (SCRAM) and no longer with the old one.
func TestPasswordChangesTheRolesPassword(t *testing.T) {
	params := pgtest.DB(t)
	const role = "pw_change_role"
	pgtest.PasswordRole(t, role, "old-secret")
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	cmd := exec.Command(binary, "-X", "-c", `\password `+role)
	cmd.Env = append(baseEnv(), params.Env()...)
	var out strings.Builder
	cmd.Stdout = &out
	cmd.Stderr = tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 2}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	var mu sync.Mutex
	var seen strings.Builder
	go func() {
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
	screen := func() string { mu.Lock(); defer mu.Unlock(); return seen.String() }
	for _, question := range []string{`Enter new password for user "` + role + `": `, "Enter it again: "} {
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(screen(), question) {
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatalf("no %q on the terminal; it shows:\n%s", question, screen())
			}
			time.Sleep(20 * time.Millisecond)
		}
		if _, err := ptmx.Write([]byte("new-secret\n")); err != nil {
			t.Fatal(err)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("safesql: %v; stdout %q; terminal %q", err, out.String(), screen())
	}
	if strings.Contains(screen(), "new-secret") {
		t.Errorf("the password was echoed:\n%s", screen())
	}
	login := func(password string) error {
		p := params
		p.User, p.Password = role, password
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, p.ConnString())
		if err == nil {
			conn.Close(ctx)
		}
		return err
	}
	if err := login("new-secret"); err != nil {
		t.Errorf("the new password does not log in: %v", err)
	}
	if err := login("old-secret"); err == nil {
		t.Errorf("the old password still logs in")
	}
}
