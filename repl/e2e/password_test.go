package e2e

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// \password asks twice on the terminal, without echo, and the role then
// logs in with the new password (SCRAM) and no longer with the old one.
func TestPasswordChangesTheRolesPassword(t *testing.T) {
	params := pgtest.DB(t)
	const role = "pw_change_role"
	pgtest.PasswordRole(t, role, "old-secret")
	cmd := exec.Command(binary, "-X", "-c", `\password `+role)
	cmd.Env = append(baseEnv(), params.Env()...)
	var out strings.Builder
	cmd.Stdout = &out
	screen, answer := onTerminal(t, cmd)
	answer(`Enter new password for user "`+role+`": `, "new-secret")
	answer("Enter it again: ", "new-secret")
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
