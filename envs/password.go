package envs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// CommandError is a password_command that failed. It carries the command's
// stderr, which is what tells the user why (not signed in to the vault,
// expired token), and never its stdout, which may hold the password.
type CommandError struct {
	Env    string
	Argv0  string // the program; the arguments are left out of messages
	Err    error  // from os/exec: exit status, not found, context
	Stderr string // trimmed, at most stderrLimit bytes
}

const stderrLimit = 4096

func (e *CommandError) Error() string {
	msg := fmt.Sprintf("password_command of environment %q (%s) failed: %v", e.Env, e.Argv0, e.Err)
	if e.Stderr != "" {
		msg += "\n" + e.Stderr
	}
	return msg
}

func (e *CommandError) Unwrap() error { return e.Err }

// Password returns the password for e: the output of its password_command
// (argv run without a shell, stdout minus one trailing newline), else the
// plain password from the config, else "" and nil, meaning pgx should use
// the passfile or ~/.pgpass as usual. A failing command gives a
// *CommandError; cancel ctx to stop a command that hangs.
func (e *Env) Password(ctx context.Context) (string, error) {
	if len(e.PasswordCommand) == 0 {
		if e.password == nil {
			return "", nil
		}
		return *e.password, nil
	}
	cmd := exec.CommandContext(ctx, e.PasswordCommand[0], e.PasswordCommand[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &limitWriter{buf: &stderr, n: stderrLimit}
	err := cmd.Run()
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err == nil {
		pw := strings.TrimSuffix(strings.TrimSuffix(stdout.String(), "\n"), "\r")
		if pw == "" {
			err = errors.New("it printed no password")
		} else {
			return pw, nil
		}
	}
	return "", &CommandError{Env: e.Name, Argv0: e.PasswordCommand[0], Err: err, Stderr: strings.TrimSpace(stderr.String())}
}

// limitWriter keeps the first n bytes and discards the rest, so a chatty
// command cannot fill memory.
type limitWriter struct {
	buf *bytes.Buffer
	n   int
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if room := w.n - w.buf.Len(); room > 0 {
		w.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
