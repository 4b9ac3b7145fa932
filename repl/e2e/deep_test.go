package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestTooDeepInAScriptIsRefusedNotACrash: statements too deeply nested for
// the parser (30,000 chained additions, 40,000 concatenations, 40,000 IS
// NULL tests), reached through -f and \i in production with a write
// already in the run's transaction, never take the process down: the plan
// names each with its reason, the first one reached is refused (nothing
// of it is sent), and the run stops as a refused script does, its
// transaction rolled back and said so.
func TestTooDeepInAScriptIsRefusedNotACrash(t *testing.T) {
	conn, env := safetyDB(t)
	dir := t.TempDir()
	deep := "select " + strings.Repeat("1+", 30000) + "1;\n" +
		"select " + strings.Repeat("'a'||", 40000) + "'a';\n" +
		"select 1 " + strings.Repeat("is null ", 40000) + ";\n"
	if err := os.WriteFile(filepath.Join(dir, "deep.sql"), []byte(deep), 0o600); err != nil {
		t.Fatal(err)
	}
	script := "insert into customers values (41, 'before');\n" +
		"\\i " + filepath.Join(dir, "deep.sql") + "\n" +
		"insert into customers values (42, 'after');\n"
	if err := os.WriteFile(filepath.Join(dir, "run.sql"), []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "prod", "--write", "--commit", "--confirm", "production", "-X", "-f", filepath.Join(dir, "run.sql"))
	cmd.Env = append(baseEnv(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("exit %v, want status 3 (a refused script); stderr:\n%s", err, stderr.String())
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("safesql died of %v; stderr:\n%s", ws.Signal(), stderr.String())
	}
	if exit.ExitCode() != 3 {
		t.Errorf("exit status %d, want 3; stderr:\n%s", exit.ExitCode(), stderr.String())
	}
	if got := strings.Count(stderr.String(), "too deeply nested for the parser (5001 levels): treated as destructive"); got != 3 {
		t.Errorf("the plan names %d statements as too deeply nested, want 3; stderr:\n%s", got, stderr.String())
	}
	for _, want := range []string{
		"deep.sql:1: error: refused: the statement is too deeply nested for the parser (5001 levels): it is not sent, and the transaction is as it was",
		"safesql: rolled back: the run's transaction (1 statement, public.customers changed) was not committed",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr.String())
		}
	}
	if n := count(t, conn, "customers WHERE id IN (41, 42)"); n != 0 {
		t.Fatalf("%d of the stopped run's INSERTs committed, want none", n)
	}
}
