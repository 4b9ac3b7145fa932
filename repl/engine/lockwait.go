package engine

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// lockWaitNotice is how long a statement that changes data may wait before
// safesql says what it waits for.
const lockWaitNotice = time.Second

// blockersQuery lists the sessions holding the locks a backend waits for.
const blockersQuery = `SELECT b.pid, coalesce(nullif(b.application_name, ''), '?'), coalesce(b.state, '?'),
	coalesce(extract(epoch FROM now() - b.xact_start)::bigint, 0), left(regexp_replace(coalesce(b.query, ''), '\s+', ' ', 'g'), 80)
FROM unnest(pg_blocking_pids($1::int)) AS p(pid) JOIN pg_stat_activity b ON b.pid = p.pid ORDER BY b.pid`

// watchLocks says, once a statement has waited lockWaitNotice, which
// sessions hold the locks it waits for (pid, application, what they run),
// asked on a connection of its own. stop ends the watch and returns once
// nothing more will be printed.
func (e *Engine) watchLocks(ctx context.Context) (stop func()) {
	if e.config == nil || e.conn == nil {
		return func() {}
	}
	pid := strconv.Itoa(int(e.conn.PID()))
	prefix := e.host.Prefix()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	// a timer, not a goroutine: most statements end before it fires, and
	// stopping it wakes nothing
	timer := time.AfterFunc(lockWaitNotice, func() {
		defer close(done)
		cfg := e.config.Copy()
		cfg.OnNotice, cfg.OnNotification = nil, nil
		conn, err := pgconn.ConnectConfig(ctx, cfg)
		if err != nil {
			return
		}
		defer conn.Close(context.Background())
		res := conn.ExecParams(ctx, blockersQuery, [][]byte{[]byte(pid)}, nil, nil, nil).Read()
		if res.Err != nil || len(res.Rows) == 0 || ctx.Err() != nil {
			return
		}
		var who []string
		for _, r := range res.Rows {
			what := string(r[4])
			if what == "" {
				what = "-"
			}
			who = append(who, fmt.Sprintf("pid %s (%s, %s for %ss: %s)", r[0], r[1], r[2], r[3], what))
		}
		fmt.Fprintf(e.errOut, "%ssafesql: waiting for a lock held by %s; Ctrl-C cancels the statement\n", prefix, strings.Join(who, ", "))
	})
	return func() {
		fired := !timer.Stop()
		cancel()
		if fired {
			<-done
		}
	}
}
