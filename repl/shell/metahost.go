package shell

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/meta"
	"github.com/safesql/safesql/repl/render"
)

// metaHost is the session as the backslash commands see it (meta.Host).
// It is one pointer: made into a meta.Host it allocates nothing.
type metaHost struct{ s *Session }

var _ meta.Host = metaHost{}

func (h metaHost) Stdout() io.Writer { return h.s.streams.Out }
func (h metaHost) Output() io.Writer { return h.s.out }
func (h metaHost) Stderr() io.Writer { return h.s.streams.Err }
func (h metaHost) Stdin() io.Reader  { return h.s.streams.In }

func (h metaHost) Terminal() (io.ReadWriteCloser, error) {
	if h.s.streams.TTY == nil {
		return nil, errors.New("no terminal")
	}
	return h.s.streams.TTY()
}

func (h metaHost) Pager() (io.Writer, func() error) { return h.s.pager(h.s.Print.Pager) }

func (h metaHost) TerminalWidth() int {
	if !h.s.streams.OutTTY {
		return 0
	}
	return h.s.streams.Width()
}

func (h metaHost) Quiet() bool { return h.s.quiet() }

func (h metaHost) Fail(msg string) meta.Result {
	if msg == "" {
		return metaResult{err: engine.ErrStatementFailed}.public()
	}
	return h.s.metaErr(msg).public()
}

func (h metaHost) Warn(msg string) { h.s.metaLog("warning", msg) }

func (h metaHost) Var(name string) (string, bool) { return h.s.Vars.Get(name) }
func (h metaHost) VarNames() []string             { return h.s.Vars.Names() }
func (h metaHost) RemoveVar(name string)          { h.s.Vars.Remove(name) }

func (h metaHost) AssignVar(name, value string) error {
	if !ValidName(name) {
		return fmt.Errorf(`invalid variable name: "%s"`, name)
	}
	return h.s.Vars.Assign(name, value)
}

func (h metaHost) Interpolate(text string) string { return h.s.interpolate(text) }

func (h metaHost) Print() *render.Options  { return &h.s.Print }
func (h metaHost) Timing() bool            { return h.s.timing }
func (h metaHost) SetTiming(on bool)       { h.s.timing = on }
func (h metaHost) RestrictKey() string     { return h.s.restrictKey }
func (h metaHost) SetRestrictKey(k string) { h.s.restrictKey = k }
func (h metaHost) LastQuery() string       { return h.s.lastQuery }

func (h metaHost) ConnInfo() meta.ConnInfo {
	c := h.s.Config()
	return meta.ConnInfo{Database: c.Database, User: c.User, Host: c.Host, Port: c.Port}
}

func (h metaHost) ClientEncoding() string {
	return h.s.Conn().ParameterStatus("client_encoding")
}

func (h metaHost) SetClientEncoding(ctx context.Context, name string) error {
	return h.s.Conn().Exec(ctx, "SET client_encoding TO "+analyze.QuoteLiteral(name)).Close()
}

func (h metaHost) Exec(ctx context.Context, sql string) error { return h.s.Exec(ctx, sql, nil) }
func (h metaHost) SetWrites(ctx context.Context, on bool) error {
	return h.s.SetWrites(ctx, on)
}
func (h metaHost) PrintStatus(w io.Writer)                      { h.s.PrintStatus(w) }
func (h metaHost) DryRun(ctx context.Context, sql string) error { return h.s.DryRun(ctx, sql) }

func (h metaHost) ShellGate(what string) error { return h.s.shellGate(what) }

func (h metaHost) EnvGate(name string) error {
	if !namesProgram(name) {
		return nil
	}
	// The variable chooses a program safesql runs later.
	return h.s.shellGate(`\setenv ` + name)
}

func (h metaHost) OpenOutput(ctx context.Context, target string) error {
	return h.s.OpenOutput(ctx, target)
}

func (h metaHost) OpenTarget(ctx context.Context, target string) (io.Writer, io.Closer, error) {
	return h.s.openTarget(ctx, target)
}

func (h metaHost) ListEnvs(w io.Writer) bool {
	if h.s.ListEnvs == nil {
		return false
	}
	h.s.ListEnvs(w)
	return true
}

func (h metaHost) History() ([]string, bool) {
	if h.s.History == nil {
		return nil, false
	}
	return h.s.History(), true
}

func (h metaHost) OptionsHelp() string {
	if h.s.OptionsHelp == nil {
		return ""
	}
	return h.s.OptionsHelp()
}

// The commands whose bodies are the session's own (meta.Session).

func (h metaHost) Send(ctx context.Context, e *meta.Env, expanded bool) meta.Result {
	return h.s.sendBufferTo(ctx, e, expanded).public()
}

func (h metaHost) GSet(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.gset(ctx, e).public()
}

func (h metaHost) GDesc(ctx context.Context, sql string) meta.Result {
	h.s.lastQuery = sql
	return meta.Result{Err: h.s.describeResult(ctx, sql)}
}

func (h metaHost) GExec(ctx context.Context, sql string) meta.Result {
	return h.s.gexec(ctx, sql).public()
}

func (h metaHost) Crosstab(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.crosstabView(ctx, e).public()
}

func (h metaHost) Watch(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.watch(ctx, e).public()
}

func (h metaHost) Copy(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.copyMeta(ctx, e.RawArgs, e.CopyData).public()
}

func (h metaHost) Connect(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.reconnect(ctx, e.Args).public()
}

func (h metaHost) Include(ctx context.Context, e *meta.Env, relative bool) meta.Result {
	return h.s.include(ctx, e, relative).public()
}

func (h metaHost) Edit(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.edit(ctx, e).public()
}

func (h metaHost) EditFunction(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.editFunction(ctx, e).public()
}

func (h metaHost) EditView(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.editView(ctx, e).public()
}

func (h metaHost) ShowSource(ctx context.Context, e *meta.Env, function bool) meta.Result {
	return h.s.showSource(ctx, e, function).public()
}

func (h metaHost) Describe(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.describeMeta(ctx, e.Name, e.Args).public()
}

func (h metaHost) LargeObjectImport(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.loImport(ctx, e).public()
}

func (h metaHost) LargeObjectExport(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.loExport(ctx, e).public()
}

func (h metaHost) LargeObjectUnlink(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.loUnlink(ctx, e).public()
}

func (h metaHost) Password(ctx context.Context, e *meta.Env) meta.Result {
	user := ""
	if len(e.Args) > 0 {
		user = e.Args[0]
	}
	return h.s.changePassword(ctx, user).public()
}

func (h metaHost) ErrVerbose(ctx context.Context, e *meta.Env) meta.Result {
	return h.s.errVerbose().public()
}
