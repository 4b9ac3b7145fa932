package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/repl/internal/pgtest"
	"github.com/safesql/safesql/repl/internal/termtest"
	"github.com/safesql/safesql/repl/render"
	"github.com/safesql/safesql/repl/shell"
	"github.com/safesql/safesql/repl/term"
)

// The session tests of repl/render's markup formats, here beside the
// server and psql they need (repl/render's own tests run without either).

// markupScript switches formats with \pset, \H and \T, and prints through
// each: what psql says and prints must be what a session says and prints.
const markupScript = `\pset format html
select 1 as a, '<x> & "y"' as b, null as c;
\T class="t" width=50%
select 1 as a;
\T
\T foo bar
\pset tableattr 'w 1'
\pset
\pset tableattr
\pset T x
\pset tableattr
\pset T
\pset format latex-l
\pset format l
\pset format LATEX-
\pset format asc
\pset format troff
\pset format t
\pset format HT
\pset format
\pset format a
\pset format x
\pset format latex-longtable
\T '0.2 0.4'
select 'x' as a, 2 as n, 'y' as b, 'z' as c;
\pset
\H
select 1 as a;
\T
select 1 as a;
\H
\H on
\html
\x
select 1 as a, 'a|b' as b;
\x
\a
\H
\a
\pset format troff-ms
\pset title 'T\x'
select E'a\\b' as a;
\H
\pset tableattr ''
select 1 as a;
\pset
\H
\C
\pset format asciidoc
select 1 as "x|y";
\pset format latex
\pset border 3
select 1 as a, '_' as b;
\x
select 1 as a;
\pset format aligned
\pset tableattr
select 1 as a;
\pset border 1
\pset format html
\d pg_catalog.pg_am
\x
\d pg_catalog.pg_am
\x
\pset format asciidoc
\d pg_catalog.pg_am
\pset format latex
\d pg_catalog.pg_am
\pset format troff-ms
\dT pg_catalog.int4
\pset format latex-longtable
\d pg_catalog.pg_am
`

func TestMarkupCommandsAgainstPsql(t *testing.T) {
	_, p := pgtest.Conn(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "m.sql")
	if err := os.WriteFile(file, []byte(markupScript), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), p.Env()...)
	env = append(env, "PGCLIENTENCODING=UTF8", "LC_ALL=C.UTF-8", "PSQLRC=/nonexistent", "PAGER=", "PSQL_PAGER=", "COLUMNS=")
	cmd := exec.Command(pgtest.Psql(t), "-X", "-f", "m.sql")
	cmd.Env, cmd.Dir = env, dir
	var wantOut, wantErr strings.Builder
	cmd.Stdout, cmd.Stderr = &wantOut, &wantErr
	if err := cmd.Run(); err != nil {
		t.Fatalf("psql: %v\n%s", err, wantErr.String())
	}

	cfg, err := pgconn.ParseConfig(p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	streams, out, errb := termtest.Streams("", nil)
	s := openSession(t, cfg, streams)
	defer s.Close(context.Background())
	s.RunScript(context.Background(), strings.NewReader(markupScript), shell.Source{Name: "m.sql", Dir: dir})

	if got, want := out.String(), wantOut.String(); got != want {
		t.Errorf("stdout differs\n%s", lineDiff(want, got))
	}
	if got, want := errb.String(), strings.ReplaceAll(wantErr.String(), "psql:m.sql:", "safesql:m.sql:"); got != want {
		t.Errorf("stderr differs\n%s", lineDiff(want, got))
	}
}

// TestHelpOfFormatCommands checks \H's and \T's lines of \? against
// psql's.
func TestHelpOfFormatCommands(t *testing.T) {
	_, p := pgtest.Conn(t)
	env := append(os.Environ(), p.Env()...)
	cmd := exec.Command(pgtest.Psql(t), "-X", "-c", `\?`)
	cmd.Env = env
	var psqlOut strings.Builder
	cmd.Stdout = &psqlOut
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgconn.ParseConfig(p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	streams, out, _ := termtest.Streams("", nil)
	s := openSession(t, cfg, streams)
	defer s.Close(context.Background())
	s.RunScript(context.Background(), strings.NewReader("\\?\n"), shell.Source{Name: "h.sql"})
	ours := strings.Split(out.String(), "\n")
	for _, prefix := range []string{`  \H `, `  \T `} {
		var want, got string
		for _, l := range strings.Split(psqlOut.String(), "\n") {
			if strings.HasPrefix(l, prefix) {
				want = l
			}
		}
		for _, l := range ours {
			if strings.HasPrefix(l, prefix) {
				got = l
			}
		}
		if want == "" || got != want {
			t.Errorf("help line of %s: psql %q, ours %q", strings.TrimSpace(prefix), want, got)
		}
	}
}

// lineDiff shows the first differing line and both texts.
func lineDiff(want, got string) string {
	wl, gl := strings.SplitAfter(want, "\n"), strings.SplitAfter(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("first difference at line %d:\npsql: %q\nours: %q\n--- psql:\n%s--- ours:\n%s", i+1, w, g, want, got)
		}
	}
	return "identical?"
}

// openSession builds a session with no dependencies from outside and
// opens it on cfg; it is closed when the test ends.
func openSession(t *testing.T, cfg *pgconn.Config, streams *term.IOStreams) *shell.Session {
	t.Helper()
	s, err := shell.New(shell.Config{Streams: streams, Print: render.DefaultOptions(), Vars: shell.NewVars()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	return s
}
