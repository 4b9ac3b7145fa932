package shell

import (
	"context"
	"fmt"
	"strings"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/engine"

	"github.com/safesql/safesql/repl/pg"

	"github.com/jackc/pgx/v5/pgconn"
)

// ConfigFunc builds the configuration for a \connect: dbname may be a
// conninfo string or URI; empty parts keep the current connection's. The
// composition root gives it (Deps) so that environments, tiers and
// passwords are resolved again for the new database.
type ConfigFunc func(ctx context.Context, dbname, user, host, port string) (*pgconn.Config, error)

// reconnect is \c / \connect [dbname [user [host [port]]]] | conninfo.
func (s *Session) reconnect(ctx context.Context, args []string) metaResult {
	if s.ConfigFor == nil {
		return s.metaErr(`\connect: not available here`)
	}
	old := s.Config()
	// psql reads \connect's arguments as identifiers whose double quotes
	// go, their case kept.
	for i, a := range args {
		args[i] = unquoteIdentHack(a)
	}
	// -reuse-previous=BOOL: whether what the arguments leave out comes
	// from the current connection (the default for the positional form)
	// or from the defaults (the default for a conninfo string).
	reuse, reuseGiven := true, false
	if len(args) > 0 && strings.HasPrefix(args[0], "-reuse-previous=") {
		v := strings.TrimPrefix(args[0], "-reuse-previous=")
		b, ok := analyze.ParseBool(v)
		if !ok {
			return s.metaErr(fmt.Sprintf(`unrecognized value "%s" for "-reuse-previous": Boolean expected`, v))
		}
		reuse, reuseGiven, args = b, true, args[1:]
	}
	keep := func(i int, prev string) string {
		if i < len(args) && args[i] != "-" && args[i] != "" {
			return args[i]
		}
		if !reuse {
			return ""
		}
		return prev
	}
	var cfg *pgconn.Config
	var err error
	if len(args) > 0 && (strings.Contains(args[0], "=") || strings.HasPrefix(args[0], "postgres://") || strings.HasPrefix(args[0], "postgresql://")) {
		conninfo := args[0]
		if reuseGiven && reuse && strings.Contains(conninfo, "=") && !strings.Contains(conninfo, "://") {
			// Earlier keys lose to later ones: the string's own win.
			conninfo = fmt.Sprintf("host='%s' port=%d user='%s' dbname='%s' %s", old.Host, old.Port, old.User, old.Database, conninfo)
		}
		cfg, err = s.ConfigFor(ctx, conninfo, "", "", "")
	} else {
		cfg, err = s.ConfigFor(ctx, keep(0, old.Database), keep(1, old.User), keep(2, old.Host), keep(3, fmt.Sprint(old.Port)))
	}
	if err == nil {
		if cfg.Password == "" && cfg.User == old.User && cfg.Host == old.Host && cfg.Port == old.Port {
			cfg.Password = old.Password // psql reuses the password it has
		}
		cfg.OnNotice = old.OnNotice
		pg.KeepReason(cfg)
		var conn *pgconn.PgConn
		conn, err = pgconn.ConnectConfig(ctx, cfg)
		if err == nil {
			// The open transaction ends here, as leaving would end it:
			// asked about, never committed by default.
			if s.Interactive {
				s.Leave(ctx)
			} else {
				s.FinishScript(ctx, true)
			}
			_ = s.Conn().Close(ctx)
			s.SetConn(conn, cfg)
			s.setConnectionVars()
			if !s.quiet() {
				fmt.Fprintln(s.streams.Out, connectedMessage(old, cfg))
			}
			return metaResult{}
		}
		err = fmt.Errorf("%s", pg.DescribeConnectError(cfg, err))
	}
	if s.Interactive {
		fmt.Fprintf(s.streams.Err, "\\connect: %v\nPrevious connection kept\n", err)
		return metaResult{err: engine.ErrStatementFailed}
	}
	// psql leaves a script whose \connect failed: what follows was meant
	// for the other database.
	if s.script {
		fmt.Fprintf(s.streams.Err, "%serror: \\connect: %v\n", s.prefix(), err)
	} else {
		fmt.Fprintf(s.streams.Err, "\\connect: %v\n", err)
	}
	return metaResult{quit: true, status: engine.StatusConnection}
}

func connectedMessage(old, cfg *pgconn.Config) string {
	if old.Host == cfg.Host && old.Port == cfg.Port {
		return fmt.Sprintf("You are now connected to database \"%s\" as user \"%s\".", cfg.Database, cfg.User)
	}
	if strings.HasPrefix(cfg.Host, "/") {
		return fmt.Sprintf("You are now connected to database \"%s\" as user \"%s\" via socket in \"%s\" at port \"%d\".", cfg.Database, cfg.User, cfg.Host, cfg.Port)
	}
	return fmt.Sprintf("You are now connected to database \"%s\" as user \"%s\" on host \"%s\" at port \"%d\".", cfg.Database, cfg.User, cfg.Host, cfg.Port)
}

// unquoteIdentHack drops double quotes from an argument ("" stands for
// one quote), keeping the case, as psql's OT_SQLIDHACK does.
func unquoteIdentHack(a string) string {
	if !strings.Contains(a, `"`) {
		return a
	}
	var b strings.Builder
	in := false
	for i := 0; i < len(a); i++ {
		if a[i] == '"' {
			if in && i+1 < len(a) && a[i+1] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			in = !in
			continue
		}
		b.WriteByte(a[i])
	}
	return b.String()
}
