package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/frontend"

	"charm.land/lipgloss/v2"
)

func itoa(n int) string { return strconv.Itoa(n) }

// statusLine is the line under the frame: the transaction (how long, how
// many statements, which tables), read-only or WRITE, the last statement's
// time.
func (e *editor) statusLine() string {
	return statusText(e.st, e.now, e.width, e.styler())
}

type styler struct {
	warn, loud, muted, badge func(string) string
}

func (e *editor) styler() styler {
	ts := e.th.For(e.info.Tier, e.info.Color)
	return styler{
		warn:  func(s string) string { return e.th.Warning.Render(s) },
		loud:  func(s string) string { return e.th.Destructive.Render(s) },
		muted: func(s string) string { return e.th.Muted.Render(s) },
		badge: func(s string) string { return ts.Badge.Render(s) },
	}
}

// txLong reports whether the open transaction is older than the
// environment's warning time, as of now (the state says it as of when it
// was read; the status line ticks while the person is idle).
func txLong(st frontend.State, now time.Time) bool {
	if st.Tx != frontend.TxOpen {
		return false
	}
	return st.TxLong || st.TxWarnAfter > 0 && !st.TxSince.IsZero() && now.Sub(st.TxSince) > st.TxWarnAfter
}

// idleWarnWindow is how long before the server's idle timeout the status
// line warns: the last minute, or the last half of a shorter timeout.
func idleWarnWindow(timeout time.Duration) time.Duration {
	return min(timeout/2, time.Minute)
}

// idleLeft is how long the transaction may stay idle before the server
// ends the session, and whether the status line warns of it now.
func idleLeft(st frontend.State, now time.Time) (time.Duration, bool) {
	if (st.Tx != frontend.TxOpen && st.Tx != frontend.TxFailed) || st.IdleTxTimeout <= 0 || st.IdleSince.IsZero() {
		return 0, false
	}
	left := st.IdleTxTimeout - now.Sub(st.IdleSince)
	return left, left <= idleWarnWindow(st.IdleTxTimeout)
}

// idleTexts warn that the server's idle_in_transaction_session_timeout
// is near (or passed), longest first.
func idleTexts(left time.Duration) []string {
	if left <= 0 {
		return []string{
			"⚠ idle_in_transaction_session_timeout passed: the server has ended the session",
			"⚠ idle timeout passed: session ended",
			"⚠ idle timeout passed",
		}
	}
	// Rounded up: "in 0s" would come a second early.
	in := shortDuration(left + time.Second - 1)
	return []string{
		"⚠ the server ends this idle transaction in " + in + " (idle_in_transaction_session_timeout)",
		"⚠ the server ends this idle transaction in " + in,
		"⚠ idle tx: server ends it in " + in,
		"⚠ idle tx ends in " + in,
	}
}

// txTexts are the ways to say the transaction's state, longest first.
func txTexts(st frontend.State, now time.Time) []string {
	if left, warn := idleLeft(st, now); warn {
		return idleTexts(left)
	}
	switch st.Tx {
	case frontend.TxNone:
		return []string{"no transaction"}
	case frontend.TxFailed:
		return []string{"tx FAILED: ROLLBACK to go on", "tx FAILED"}
	case frontend.TxLost:
		return []string{"connection lost: nothing committed since the last COMMIT", "connection lost"}
	}
	head := "tx open"
	if txLong(st, now) {
		head = "⚠ " + head
	}
	if !st.TxSince.IsZero() {
		head += " " + shortDuration(now.Sub(st.TxSince))
	}
	stmts := ""
	if st.TxStatements > 0 {
		stmts = fmt.Sprintf(", %d statement%s", st.TxStatements, plural(st.TxStatements))
	}
	var out []string
	if n := len(st.TxTables); n > 0 {
		out = append(out, head+stmts+", "+strings.Join(st.TxTables, " and ")+" touched")
		short := make([]string, n)
		for i, t := range st.TxTables {
			short[i] = t[strings.LastIndexByte(t, '.')+1:]
		}
		out = append(out, head+stmts+", "+strings.Join(short, ", "))
		out = append(out, fmt.Sprintf("%s%s, %d table%s", head, stmts, n, plural(n)))
	}
	return append(out, head+stmts, head)
}

func statusText(st frontend.State, now time.Time, width int, s styler) string {
	txStyle := s.muted
	switch {
	case txLong(st, now), st.Tx == frontend.TxFailed, st.Tx == frontend.TxLost:
		txStyle = s.loud
	case func() bool { _, warn := idleLeft(st, now); return warn }():
		txStyle = s.loud
	case st.Tx == frontend.TxOpen:
		txStyle = s.warn
	}
	mode, modeStyle := "read-write", s.muted
	switch {
	case st.ReadOnly && st.Writes:
		mode, modeStyle = "WRITE", s.badge
	case st.ReadOnly:
		mode = "read-only"
	}
	last := ""
	if st.LastDuration > 0 {
		last = "last " + statementTime(st.LastDuration)
	}
	const sep = " · "
	fits := func(parts ...string) bool {
		return lipgloss.Width(" "+strings.Join(parts, sep)) <= width
	}
	txs := txTexts(st, now)
	// The mode always stays; the transaction says less before the last
	// statement's time goes.
	for _, withLast := range []bool{true, false} {
		if withLast && last == "" {
			continue
		}
		for _, tx := range txs {
			parts, styled := []string{tx, mode}, []string{txStyle(tx), modeStyle(mode)}
			if withLast {
				parts, styled = append(parts, last), append(styled, s.muted(last))
			}
			if fits(parts...) {
				return " " + strings.Join(styled, sep)
			}
		}
	}
	return " " + truncate(mode+sep+txs[len(txs)-1], width-1)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// shortDuration is "42s", "2m14s", "1h05m".
func shortDuration(d time.Duration) string {
	d = max(d, 0).Truncate(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// statementTime is psql's \timing style, shortened: "12.345 ms", "2.1 s".
func statementTime(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.3f ms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
