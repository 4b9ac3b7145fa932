package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/internal/pgtest"
	"github.com/safesql/safesql/repl/internal/termtest"
	"github.com/safesql/safesql/repl/pg"
	"github.com/safesql/safesql/repl/render"
)

// The Deps a session is built with are the ones it uses: OnConnect hears
// of the first connection and of a \connect's, ConfigFor builds the
// \connect, and \envs, \! and \s answer with what was given.
func TestDepsGivenAtStartReachTheSession(t *testing.T) {
	first := pgtest.DB(t)
	second := pgtest.Clone(t, first, "second")
	var connected, asked []string
	deps := Deps{
		OnConnect: func(s *Session, cfg *pgconn.Config) error {
			connected = append(connected, cfg.Database)
			return nil
		},
		ConfigFor: func(ctx context.Context, dbname, user, host, port string) (*pgconn.Config, error) {
			asked = append(asked, dbname)
			p := first
			p.DBName = dbname
			return pgconn.ParseConfig(p.ConnString())
		},
		ShellRefused: func() string { return "the test's environment allows no shell" },
		ListEnvs:     func(w io.Writer) { fmt.Fprintln(w, "dev staging prod") },
		History:      func() []string { return []string{"select 42;"} },
	}
	streams, out, errb := termtest.Streams("", nil)
	s, err := New(Config{Streams: streams, Print: render.DefaultOptions(), Vars: NewVars(), Deps: deps})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	cfg, err := pgconn.ParseConfig(first.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Open(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if want := []string{first.DBName}; !slices.Equal(connected, want) {
		t.Fatalf("OnConnect after Open heard of %q, want %q", connected, want)
	}

	if st := s.RunCommand(ctx, `\connect `+second.DBName); st != engine.StatusOK {
		t.Fatalf(`\connect: status %d, stderr %q`, st, errb.String())
	}
	if want := []string{first.DBName, second.DBName}; !slices.Equal(connected, want) {
		t.Errorf("OnConnect heard of %q, want both connections %q", connected, want)
	}
	if want := []string{second.DBName}; !slices.Equal(asked, want) {
		t.Errorf("ConfigFor was asked for %q, want %q", asked, want)
	}
	if want := fmt.Sprintf(`You are now connected to database "%s"`, second.DBName); !strings.Contains(out.String(), want) {
		t.Errorf("output %q, want %q", out.String(), want)
	}

	for _, c := range []struct{ cmd, out, err string }{
		{`\envs`, "dev staging prod\n", ""},
		{`\s`, "select 42;\n", ""},
		{`\! echo ran`, "", "the test's environment allows no shell"},
	} {
		out.Reset()
		errb.Reset()
		s.RunCommand(ctx, c.cmd)
		if !strings.Contains(out.String(), c.out) || !strings.Contains(errb.String(), c.err) || strings.Contains(out.String(), "ran") {
			t.Errorf("%s: stdout %q, stderr %q; want %q on stdout, %q on stderr", c.cmd, out.String(), errb.String(), c.out, c.err)
		}
	}
}

// An OnConnect that fails fails Open (the composition root cannot enter
// the environment: nothing may run); after a \connect its error is said
// and the session goes on.
func TestOnConnectErrorFailsOpenAndIsSaidAfterConnect(t *testing.T) {
	p := pgtest.DB(t)
	refuse := errors.New("enter environment \"prod\": no audit log")
	fail := true
	deps := Deps{
		OnConnect: func(*Session, *pgconn.Config) error {
			if fail {
				return refuse
			}
			return nil
		},
		ConfigFor: func(ctx context.Context, dbname, user, host, port string) (*pgconn.Config, error) {
			return pgconn.ParseConfig(p.ConnString())
		},
	}
	streams, _, errb := termtest.Streams("", nil)
	s, err := New(Config{Streams: streams, Print: render.DefaultOptions(), Vars: NewVars(), Deps: deps})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	cfg, err := pgconn.ParseConfig(p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Open(ctx, cfg); !errors.Is(err, refuse) {
		t.Fatalf("Open: %v, want OnConnect's error", err)
	}
	fail = false
	if err := s.Open(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	fail = true
	s.RunCommand(ctx, `\connect `+p.DBName)
	if want := "safesql: error: " + refuse.Error() + "\n"; !strings.Contains(errb.String(), want) {
		t.Errorf("stderr %q, want %q", errb.String(), want)
	}
}

// One mapping gives psql's exit statuses, wherever the failure came from.
func TestExitStatusIsPsqls(t *testing.T) {
	refused := fmt.Errorf("DELETE: %w", engine.ErrRefused)
	aborted := fmt.Errorf("question: %w", engine.ErrAborted)
	lost := &pg.ConnectionLostError{Err: errors.New("EOF")}
	cases := []struct {
		name                 string
		err                  error
		command, interactive bool
		onErrorStop          bool
		want                 engine.Status
		stops                bool
	}{
		{"nothing failed", nil, false, false, true, engine.StatusOK, false},
		{"a script's statement failed", engine.ErrStatementFailed, false, false, false, engine.StatusOK, false},
		{"a script's statement failed with ON_ERROR_STOP", engine.ErrStatementFailed, false, false, true, engine.StatusScript, true},
		{"a -c argument failed", engine.ErrStatementFailed, true, false, false, engine.StatusFatal, true},
		{"a -c argument failed with ON_ERROR_STOP", engine.ErrStatementFailed, true, false, true, engine.StatusFatal, true},
		{"the connection was lost", lost, false, false, false, engine.StatusConnection, true},
		{"the connection was lost in a -c", lost, true, false, false, engine.StatusConnection, true},
		{"a rule refused in a script", refused, false, false, false, engine.StatusScript, true},
		{"a rule refused in a -c", refused, true, false, false, engine.StatusScript, true},
		{"a question went unanswered in a script", aborted, false, false, false, engine.StatusScript, true},
		{"a rule refused what a person typed", refused, false, true, false, engine.StatusOK, false},
		{"a rule refused what a person typed with ON_ERROR_STOP", refused, false, true, true, engine.StatusScript, true},
	}
	for _, c := range cases {
		streams, _, _ := termtest.Streams("", nil)
		s, err := New(Config{Streams: streams, Vars: NewVars()})
		if err != nil {
			t.Fatal(err)
		}
		s.Interactive = c.interactive
		if c.onErrorStop {
			s.Vars.Set("ON_ERROR_STOP", "on")
		}
		st, stops := s.exitStatus(c.err, c.command)
		if st != c.want || stops != c.stops {
			t.Errorf("%s: status %d, stops %v; want %d, %v", c.name, st, stops, c.want, c.stops)
		}
	}
}
