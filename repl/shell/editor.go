package shell

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/safesql/safesql/repl/engine"
)

// editText opens the user's editor (PSQL_EDITOR, EDITOR, VISUAL, else vi)
// on text, with the cursor on line when the editor takes +N, and returns
// what was saved.
func (s *Session) editText(ctx context.Context, text string, line int) (string, error) {
	editor := s.editor()
	if err := s.shellGate(fmt.Sprintf("the editor %q", editor)); err != nil {
		return "", err
	}
	f, err := os.CreateTemp("", "safesql.edit.*.sql")
	if err != nil {
		return "", fmt.Errorf("could not open temporary file: %w", err)
	}
	path := f.Name()
	defer os.Remove(path)
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	command := editor + " " + shellQuote(path)
	if line > 0 {
		command = editor + " +" + strconv.Itoa(line) + " " + shellQuote(path)
	}
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.streams.In, s.streams.Err, s.streams.Err
	if s.streams.TTY != nil {
		if tty, err := s.streams.TTY(); err == nil {
			defer tty.Close()
			if f, ok := tty.(*os.File); ok {
				cmd.Stdin, cmd.Stdout, cmd.Stderr = f, f, f
			}
		}
	}
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("could not start editor \"%s\"", editor)
	}
	out, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return string(out), nil
}

// editor is the command that edits: PSQL_EDITOR, EDITOR, VISUAL, else vi.
func (s *Session) editor() string {
	for _, name := range []string{"PSQL_EDITOR", "EDITOR", "VISUAL"} {
		if v := s.streams.Getenv(name); v != "" {
			return v
		}
	}
	return "vi"
}

// editorGate refuses \e, \ef and \ev before they read a file or ask the
// server for a definition, where no program may start.
func (s *Session) editorGate(name string) error {
	return s.shellGate(fmt.Sprintf(`\%s (the editor %q)`, name, s.editor()))
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// runEdited runs what came back from the editor, as psql does: the
// statements in it that are complete, right away.
// editAndRun opens the editor on text at line (the second argument, when
// given, wins: \e FILE LINE, \ef NAME LINE, \ev NAME LINE) and runs what
// was saved; buf, when not nil, is the query buffer the saved text
// replaces (kept when the editor fails).
func (s *Session) editAndRun(ctx context.Context, text string, args []string, line int, buf *string) metaResult {
	if len(args) > 1 {
		line, _ = strconv.Atoi(args[1])
	}
	edited, err := s.editText(ctx, text, line)
	if err != nil {
		return s.metaErr(err.Error())
	}
	if buf != nil {
		*buf = ""
	}
	return s.runEdited(ctx, edited)
}

func (s *Session) runEdited(ctx context.Context, text string) metaResult {
	text = strings.TrimRight(text, "\n")
	if strings.TrimSpace(text) == "" {
		return metaResult{}
	}
	fmt.Fprintln(s.streams.Out, text)
	st := s.RunScript(ctx, strings.NewReader(text), Source{})
	if st != engine.StatusOK {
		return metaResult{quit: st == engine.StatusConnection, status: st, err: engine.ErrStatementFailed}
	}
	return metaResult{}
}
