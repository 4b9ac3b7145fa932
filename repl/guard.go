package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/audit"
	"github.com/safesql/safesql/repl/dryrun"
)

// ErrRefused is returned when a safety rule refused a statement: nothing
// was sent and the transaction is as it was.
var ErrRefused = errors.New("refused by a safety rule")

// ErrAborted is returned when the person declined (or nobody could
// answer): nothing ran and the transaction is as it was.
var ErrAborted = errors.New("aborted: nothing ran")

// AuditSink receives the audit lines (audit.Log is one).
type AuditSink interface {
	Write(audit.Entry) error
}

// the savepoint each statement of an open transaction runs under
const stmtSavepoint = "safesql_stmt"

// SetPolicy applies an environment's rules: on connect and after every
// \connect. Writes go back off: a new connection starts read-only where
// its environment says so.
func (s *Session) SetPolicy(ctx context.Context, p Policy) error {
	s.policy = p
	s.writes = false
	s.tx = txTrack{}
	return s.applySessionSettings(ctx)
}

// Policy returns the rules in force.
func (s *Session) Policy() Policy { return s.policy }

// applySessionSettings sets the session-level parameters the policy asks
// for: the idle-in-transaction timeout, and in autocommit mode the
// statement and lock timeouts and the read-only default (inside implicit
// transactions these are set again with SET LOCAL, for poolers).
func (s *Session) applySessionSettings(ctx context.Context) error {
	if s.conn == nil || s.conn.IsClosed() {
		return nil
	}
	p := s.policy
	var set []string
	if p.IdleInTxTimeout > 0 {
		set = append(set, "SET idle_in_transaction_session_timeout = "+ms(p.IdleInTxTimeout))
	}
	if p.StatementTimeout > 0 {
		set = append(set, "SET statement_timeout = "+ms(p.StatementTimeout))
	}
	if p.ReadOnly {
		set = append(set, "SET default_transaction_read_only = "+onOff(!s.writes))
	}
	if len(set) == 0 {
		return nil
	}
	if s.conn.TxStatus() != 'I' {
		return nil // applied by the next transaction's SET LOCAL
	}
	if _, err := s.conn.Exec(ctx, strings.Join(set, "; ")).ReadAll(); err != nil {
		return fmt.Errorf("apply %s settings: %w", p.Tier, err)
	}
	return nil
}

func ms(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// guarded reports whether statements go through the safety rules; a
// psql-like policy (autocommit, writable, no questions, no audit) runs
// them exactly as psql would.
func (s *Session) guarded() bool {
	p := s.policy
	return !p.Autocommit || p.ReadOnly || p.asks() || s.Audit != nil
}

// Guarded reports whether the environment's rules apply to statements
// (false: psql's behaviour, untouched).
func (s *Session) Guarded() bool { return s.guarded() }

// readOnlyNow reports whether writes are refused right now.
func (s *Session) readOnlyNow() bool { return s.policy.ReadOnly && !s.writes }

// txWord classifies transaction control by its first words: "begin",
// "commit", "rollback" (of the whole transaction), "savepoint" (SAVEPOINT,
// RELEASE, ROLLBACK TO), "prepared" (two-phase commit) or "".
func txWord(sql string) string {
	words := strings.Fields(strings.ToLower(skipNoise(sql)))
	if len(words) == 0 {
		return ""
	}
	first := strings.TrimRight(words[0], ";")
	second := ""
	if len(words) > 1 {
		second = strings.TrimRight(words[1], ";")
	}
	switch first {
	case "begin", "start":
		return "begin"
	case "commit", "end":
		if second == "prepared" {
			return "prepared"
		}
		return "commit"
	case "rollback", "abort":
		if second == "prepared" {
			return "prepared"
		}
		for _, w := range words[1:] {
			w = strings.TrimRight(w, ";")
			if w == "to" {
				return "savepoint"
			}
			if w != "work" && w != "transaction" {
				break
			}
		}
		return "rollback"
	case "savepoint", "release":
		return "savepoint"
	case "prepare":
		if second == "transaction" {
			return "prepared"
		}
	}
	return ""
}

// classify analyses one statement and refines the verdict with what the
// server knows of the functions it calls.
func (s *Session) classify(ctx context.Context, sql string) analyze.Verdict {
	if s.analyzer == nil {
		s.analyzer = analyze.NewAnalyzer()
	}
	v := s.analyzer.Classify(sql)
	if len(v.Calls) == 0 || s.conn == nil || s.conn.IsClosed() || s.conn.TxStatus() == 'E' {
		return v
	}
	vol := s.volatility(ctx, v.Calls)
	return v.Refine(vol)
}

// volatility looks the called functions up in pg_proc: a name whose every
// overload is IMMUTABLE or STABLE gets 's', anything else 'v'.
func (s *Session) volatility(ctx context.Context, calls []string) map[string]byte {
	var b strings.Builder
	b.WriteString(`SELECT c.name, bool_and(p.provolatile IN ('i','s')) FROM unnest(ARRAY[`)
	for i, c := range calls {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(quoteLiteral(c))
	}
	b.WriteString(`]::text[]) AS c(name) JOIN pg_proc p ON (CASE WHEN strpos(c.name, '.') > 0
		THEN p.pronamespace::regnamespace::text = lower(split_part(c.name, '.', 1)) AND p.proname = lower(split_part(c.name, '.', 2))
		ELSE p.proname = lower(c.name) AND pg_function_is_visible(p.oid) END) GROUP BY c.name`)
	_, rows, err := s.Query(ctx, b.String())
	if err != nil {
		return nil
	}
	out := map[string]byte{}
	for _, r := range rows {
		if len(r) == 2 && string(r[1]) == "t" {
			out[string(r[0])] = 's'
		} else if len(r) == 2 {
			out[string(r[0])] = 'v'
		}
	}
	return out
}

// wrap is what the session sends around a statement in the same round
// trip: pre statements before it, post after it; their results are not
// printed but kept in results, by position.
type wrap struct {
	pre, post []string
	results   map[int][][]string
	offset    int // characters before the statement, for error positions
}

func (w *wrap) text(sql string) string {
	if w == nil || (len(w.pre) == 0 && len(w.post) == 0) {
		return sql
	}
	var b strings.Builder
	for _, p := range w.pre {
		b.WriteString(p)
		b.WriteString(";\n")
	}
	w.offset = len([]rune(b.String()))
	b.WriteString(sql)
	for _, p := range w.post {
		b.WriteString("\n;")
		b.WriteString(p)
	}
	return b.String()
}

// hidden reports whether result i belongs to the wrapping.
func (w *wrap) hidden(i int) bool {
	return w != nil && i != len(w.pre)
}

func (w *wrap) keep(i int, row [][]byte) {
	if w.results == nil {
		w.results = map[int][][]string{}
	}
	r := make([]string, len(row))
	for j, v := range row {
		r[j] = string(v)
	}
	w.results[i] = append(w.results[i], r)
}

// effects is per-table inserted/updated/deleted counts.
type effects map[string][3]int64

const snapshotSQL = `SELECT schemaname || '.' || relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0`

func snapshotOf(rows [][]string) effects {
	e := effects{}
	for _, r := range rows {
		if len(r) != 4 {
			continue
		}
		var c [3]int64
		for i := range c {
			c[i], _ = strconv.ParseInt(r[i+1], 10, 64)
		}
		e[r[0]] = c
	}
	return e
}

// add adds after-before to e.
func (e effects) add(before, after effects) {
	for t, a := range after {
		b := before[t]
		d := [3]int64{a[0] - b[0], a[1] - b[1], a[2] - b[2]}
		if d == [3]int64{} {
			continue
		}
		c := e[t]
		e[t] = [3]int64{c[0] + d[0], c[1] + d[1], c[2] + d[2]}
	}
}

// execGuarded runs one statement through the safety rules.
func (s *Session) execGuarded(ctx context.Context, sql string, copyData io.Reader) error {
	if err := s.reconnectIfLost(ctx); err != nil {
		return err
	}
	if s.auditBroken != nil && s.policy.AuditRequired {
		s.errorf("refused: the audit log cannot be written (%v); fix it and reconnect, nothing else runs in %s until then", s.auditBroken, s.policy.Tier)
		return ErrRefused
	}
	switch txWord(sql) {
	case "commit":
		return s.commit(ctx, sql)
	case "rollback":
		err := s.execWrapped(ctx, sql, copyData, nil)
		s.auditTx(sql, audit.Rollback, err)
		s.syncTx()
		return err
	case "begin":
		return s.begin(ctx, sql)
	case "savepoint", "prepared":
		err := s.execWrapped(ctx, sql, copyData, nil)
		s.syncTx()
		return err
	}
	if strings.TrimSpace(strings.TrimRight(skipNoise(sql), ";")) == "" {
		return s.execWrapped(ctx, sql, copyData, nil)
	}

	v := s.classify(ctx, sql)
	if v.Class >= analyze.Write && s.readOnlyNow() {
		msg := fmt.Sprintf("%s is read-only: %s. %s", s.where(), describeWrite(sql, v), s.writeWayOut())
		s.refuse(sql, v, "read-only", msg)
		return ErrRefused
	}
	if v.Class == analyze.Destructive {
		return s.runDestructive(ctx, sql, copyData, v)
	}
	return s.runStatement(ctx, sql, copyData, v, nil)
}

// where names the environment in messages: "production", or the
// environment's name when it has one.
func (s *Session) where() string {
	if s.policy.Unknown || s.policy.Env == "" {
		return s.policy.Tier
	}
	return fmt.Sprintf("%s (%s)", s.policy.Env, s.policy.Tier)
}

func (s *Session) writeWayOut() string {
	if s.Interactive {
		return `Type \write to allow writes in this session`
	}
	return "Run with --write to allow writes"
}

// describeWrite is "UPDATE would change public.orders".
func describeWrite(sql string, v analyze.Verdict) string {
	cmd := strings.ToUpper(firstWord(sql))
	var names []string
	seen := map[string]bool{}
	for _, t := range v.Targets {
		if t.Name == "" || t.Effect == analyze.EffectRead {
			continue
		}
		n := t.Name
		if t.Schema != "" {
			n = t.Schema + "." + t.Name
		}
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	verb := "would write"
	if v.Class == analyze.Destructive {
		verb = "would change"
	}
	if len(names) == 0 {
		if v.Has(analyze.FlagOpaque) {
			return fmt.Sprintf("%s runs code that may write (%s)", cmd, firstReason(v))
		}
		return fmt.Sprintf("%s %s the database", cmd, verb)
	}
	if len(names) > 3 {
		names = append(names[:3], "...")
	}
	return fmt.Sprintf("%s %s %s", cmd, verb, strings.Join(names, ", "))
}

func firstReason(v analyze.Verdict) string {
	if len(v.Reasons) > 0 {
		return v.Reasons[0]
	}
	return v.Class.String()
}

func firstWord(sql string) string {
	rest := skipNoise(sql)
	i := strings.IndexFunc(rest, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_')
	})
	if i < 0 {
		return rest
	}
	return rest[:i]
}

// refuse prints a refusal and audits it.
func (s *Session) refuse(sql string, v analyze.Verdict, rule, msg string) {
	s.errorf("%s", msg)
	s.auditLine(audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), Decision: audit.Refused, Reason: rule})
}

func flagStrings(v analyze.Verdict) []string {
	out := make([]string, len(v.Flags))
	for i, f := range v.Flags {
		out[i] = string(f)
	}
	return out
}

// begin runs the user's BEGIN and, in the same round trip, the settings
// every transaction gets.
func (s *Session) begin(ctx context.Context, sql string) error {
	if s.conn.TxStatus() != 'I' {
		return s.execWrapped(ctx, sql, nil, nil) // the server warns, as in psql
	}
	w := &wrap{post: s.txSettings()}
	if s.readOnlyNow() {
		w.post = append([]string{"SET TRANSACTION READ ONLY"}, w.post...)
	}
	err := s.execWrapped(ctx, sql, nil, w)
	s.syncTx()
	return err
}

// txSettings are the SET LOCALs of every transaction the session opens.
func (s *Session) txSettings() []string {
	p := s.policy
	var out []string
	if p.StatementTimeout > 0 {
		out = append(out, "SET LOCAL statement_timeout = "+ms(p.StatementTimeout))
	}
	if p.IdleInTxTimeout > 0 {
		out = append(out, "SET LOCAL idle_in_transaction_session_timeout = "+ms(p.IdleInTxTimeout))
	}
	return out
}

// open is the wrapping of a statement: BEGIN (READ ONLY) and the settings
// when no transaction is open and the policy wants one, a savepoint when
// one is open. began says which.
func (s *Session) open(v analyze.Verdict, snapshot bool) (w *wrap, began bool) {
	w = &wrap{}
	status := s.conn.TxStatus()
	switch {
	case status == 'I' && !s.policy.Autocommit:
		b := "BEGIN"
		if s.readOnlyNow() {
			b = "BEGIN READ ONLY"
		}
		w.pre = append(w.pre, b)
		w.pre = append(w.pre, s.txSettings()...)
		if s.readOnlyNow() {
			w.pre = append(w.pre, "SHOW transaction_read_only")
		}
		began = true
	case status == 'T':
		w.pre = append(w.pre, "SAVEPOINT "+stmtSavepoint)
		w.post = append(w.post, "RELEASE SAVEPOINT "+stmtSavepoint)
	}
	if (status == 'T' || began) && s.policy.LockTimeout > 0 && strongLock(v) {
		w.pre = append(w.pre, "SET LOCAL lock_timeout = "+ms(s.policy.LockTimeout))
	}
	if snapshot && (status == 'T' || began) {
		w.pre = append(w.pre, snapshotSQL)
		w.post = append([]string{snapshotSQL}, w.post...)
	}
	return w, began
}

// strongLock: the statement takes a table lock stronger than ROW EXCLUSIVE.
func strongLock(v analyze.Verdict) bool {
	for _, t := range v.Targets {
		switch strings.ToUpper(t.Lock) {
		case "", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE":
		default:
			return true
		}
	}
	return false
}

// runStatement runs a read or write statement inside the session's
// transaction: BEGIN piggybacked when none is open, a savepoint that is
// released on success and rolled back on error when one is.
func (s *Session) runStatement(ctx context.Context, sql string, copyData io.Reader, v analyze.Verdict, keepOpen *bool) error {
	if v.Class == analyze.Destructive && !s.policy.asks() && s.Interactive {
		s.warnf("warning: %s", firstReason(v))
	}
	snapshot := v.Class >= analyze.Write
	w, began := s.open(v, snapshot)
	start := time.Now()
	err := s.execWrapped(ctx, sql, copyData, w)
	elapsed := time.Since(start)
	if err == nil && began && s.readOnlyNow() {
		if ro := w.value(len(w.pre)-1, 0); ro != "on" {
			_ = s.hiddenExec(ctx, "ROLLBACK")
			s.errorf("refused: the server did not start a read-only transaction (transaction_read_only is %q): is a pooler or proxy in the way? The statement's transaction was rolled back", ro)
			s.syncTx()
			return ErrRefused
		}
	}
	var lost *ConnectionLostError
	switch {
	case errors.As(err, &lost):
		s.txLost()
	case err != nil:
		s.undo(ctx, began, w)
	default:
		s.track(sql, v, w, began, start)
	}
	s.auditRan(sql, v, nil, elapsed, err)
	return err
}

// value is the first column of row r of hidden result i, "" when absent.
func (w *wrap) value(i, r int) string {
	if w == nil || w.results == nil || len(w.results[i]) <= r || len(w.results[i][r]) == 0 {
		return ""
	}
	return w.results[i][r][0]
}

// undo puts the transaction back as it was before a failed statement.
func (s *Session) undo(ctx context.Context, began bool, w *wrap) {
	if s.conn.IsClosed() {
		s.txLost()
		return
	}
	switch {
	case began:
		if s.conn.TxStatus() != 'I' {
			_ = s.hiddenExec(ctx, "ROLLBACK")
		}
		s.tx = txTrack{}
	case len(w.post) > 0 && s.conn.TxStatus() != 'I':
		if err := s.hiddenExec(ctx, "ROLLBACK TO SAVEPOINT "+stmtSavepoint+"; RELEASE SAVEPOINT "+stmtSavepoint); err == nil && s.tx.statements > 0 {
			s.notef("the transaction is still open, with its earlier changes (%s); only the failed statement was undone", s.txSummary())
		}
	}
	s.syncTx()
}

// hiddenExec runs SQL of the session's own, printing nothing.
func (s *Session) hiddenExec(ctx context.Context, sql string) error {
	_, err := s.conn.Exec(ctx, sql).ReadAll()
	return err
}

// track records a statement that ran in the transaction.
func (s *Session) track(sql string, v analyze.Verdict, w *wrap, began bool, start time.Time) {
	if s.conn.TxStatus() == 'I' {
		s.tx = txTrack{}
		return
	}
	if began || s.tx.since.IsZero() {
		s.tx = txTrack{since: start}
	}
	s.tx.statements++
	if v.Class >= analyze.Write {
		s.tx.changed = true
	}
	if v.Class == analyze.Destructive {
		s.tx.destructive = true
	}
	if isDDL(v) {
		s.tx.ddl = append(s.tx.ddl, shorten(sql, 70))
	}
	if w != nil && len(w.pre) > 0 && w.pre[len(w.pre)-1] == snapshotSQL {
		before := snapshotOf(w.results[len(w.pre)-1])
		after := snapshotOf(w.results[len(w.pre)+1])
		if s.tx.effects == nil {
			s.tx.effects = effects{}
		}
		s.tx.effects.add(before, after)
	}
	if s.tx.tables == nil {
		s.tx.tables = map[string]bool{}
	}
	for t := range s.tx.effects {
		s.tx.tables[t] = true
	}
	if v.Class >= analyze.Write {
		for _, t := range v.Targets {
			if t.Name != "" && t.Effect != analyze.EffectRead && (t.Kind == "table" || t.Kind == "") {
				n := t.Name
				if t.Schema != "" {
					n = t.Schema + "." + t.Name
				}
				if _, dup := s.tx.tables["public."+n]; !dup || t.Schema != "" {
					s.tx.tables[n] = true
				}
			}
		}
	}
}

func isDDL(v analyze.Verdict) bool {
	for _, t := range v.Targets {
		switch t.Effect {
		case analyze.EffectCreate, analyze.EffectDrop, analyze.EffectAlter, analyze.EffectRename:
			return true
		}
	}
	return false
}

func shorten(sql string, n int) string {
	s := strings.Join(strings.Fields(sql), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// syncTx forgets the transaction when the server says none is open.
func (s *Session) syncTx() {
	if s.conn == nil || s.conn.IsClosed() {
		return
	}
	if s.conn.TxStatus() == 'I' {
		s.tx = txTrack{}
	} else if s.tx.since.IsZero() {
		s.tx.since = time.Now()
	}
}

// txLost tells the person what a lost connection did to the transaction.
func (s *Session) txLost() {
	if s.tx.statements > 0 || !s.tx.since.IsZero() {
		what := "its changes"
		if !s.tx.changed {
			what = "nothing changed"
		}
		s.notef("the open transaction (%d statements, %s) was rolled back by the server; nothing of it was committed", s.tx.statements, what)
		s.auditLine(audit.Entry{Decision: audit.Ran, Tx: audit.Rollback, Error: "connection lost"})
	}
	s.tx = txTrack{}
}

// reconnectIfLost opens a new connection in an interactive session whose
// connection was lost. Nothing is replayed.
func (s *Session) reconnectIfLost(ctx context.Context) error {
	if s.conn != nil && !s.conn.IsClosed() {
		return nil
	}
	if !s.Interactive || s.config == nil {
		return &ConnectionLostError{Err: errors.New("no connection")}
	}
	conn, err := pgconn.ConnectConfig(ctx, s.config)
	if err != nil {
		s.errorf("reconnect failed: %v", err)
		return ErrStatementFailed
	}
	s.conn = conn
	s.tx = txTrack{}
	if s.writes {
		s.writes = false
		s.notef("reconnected to %s; nothing was replayed, and writes are off again (\\write)", s.config.Database)
	} else {
		s.notef("reconnected to %s; nothing was replayed", s.config.Database)
	}
	s.setConnectionVars()
	return s.applySessionSettings(ctx)
}

// txSummary: "3 statements, public.orders changed".
func (s *Session) txSummary() string {
	parts := []string{plural(s.tx.statements, "statement")}
	if t := s.tx.tableList(); len(t) > 0 {
		parts = append(parts, strings.Join(t, ", ")+" changed")
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// notef prints a note of the session's on standard error.
func (s *Session) notef(format string, args ...any) {
	fmt.Fprintf(s.streams.Err, "%ssafesql: "+format+"\n", append([]any{s.prefix()}, args...)...)
}

// warnf prints a warning (development tiers' destructive notice).
func (s *Session) warnf(format string, args ...any) {
	fmt.Fprintf(s.streams.Err, "%ssafesql: "+format+"\n", append([]any{s.prefix()}, args...)...)
}

// ---- destructive statements ----

// runDestructive: dry run, impact, confirmation, real run, count check.
func (s *Session) runDestructive(ctx context.Context, sql string, copyData io.Reader, v analyze.Verdict) error {
	if !s.policy.asks() {
		return s.runStatement(ctx, sql, copyData, v, nil)
	}
	if s.conn.TxStatus() == 'E' {
		s.errorf("current transaction is aborted: ROLLBACK (\\rollback) first; nothing ran")
		return ErrRefused
	}
	for attempt := 0; ; attempt++ {
		imp, err := dryrun.Run(ctx, s.conn, sql, v, dryrun.Options{
			Timeout: s.policy.DryRunTimeout, LockTimeout: s.policy.DryRunLockTimeout, SampleRows: -1,
		})
		s.syncTx()
		if err != nil {
			if s.conn.IsClosed() {
				return s.report(sql, err)
			}
			// The real run would fail the same way: show the error, run
			// nothing.
			return s.report(sql, err)
		}
		ok, err := s.ask(ctx, sql, v, imp)
		if err != nil || !ok {
			return err
		}
		again, err := s.runConfirmed(ctx, sql, copyData, v, imp)
		if !again || attempt >= 2 {
			return err
		}
	}
}

// ask shows the impact and asks as the policy says.
func (s *Session) ask(ctx context.Context, sql string, v analyze.Verdict, imp dryrun.Impact) (bool, error) {
	req := ConfirmRequest{
		Title:     fmt.Sprintf("%s in %s", describeWrite(sql, v), s.where()),
		Statement: sql,
		Reasons:   v.Reasons,
		Loud:      v.Has(analyze.FlagNoWhere) || v.Has(analyze.FlagTautology),
		Impact:    dryrun.Format(imp),
		Env:       s.policy.Env,
		Tier:      s.policy.Tier,
	}
	if strongLock(v) {
		req.Impact = append(req.Impact, lockAdvice(v, s.policy)...)
	}
	if s.policy.Confirm == ConfirmWord {
		req.Kind, req.Word = AskWord, s.policy.ConfirmWord
		req.Question = fmt.Sprintf("Type %s to run it (anything else aborts):", req.Word)
	} else {
		req.Kind = AskYesNo
		req.Question = "Run it? [y/N]"
	}
	dry := dryRows(imp)
	entry := audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), DryRunRows: dry, DryRunEstimate: imp.Estimate}
	if s.Confirm == nil {
		// Nobody to ask: the command line's --confirm WORD answers.
		g := s.Grants.ConfirmWord
		if g != "" && (req.Kind == AskYesNo || g == req.Word) {
			s.printImpact(req)
			entry.Decision, entry.Reason = audit.Confirmed, "--confirm"
			return true, s.auditStrict(entry)
		}
		s.printImpact(req)
		way := fmt.Sprintf("run it on a terminal or give --confirm %s", orWord(req.Word))
		s.errorf("refused: %s needs confirmation in %s and there is no terminal to ask on; %s", firstWord(sql), s.where(), way)
		entry.Decision, entry.Reason = audit.Refused, "confirmation"
		s.auditLine(entry)
		return false, ErrRefused
	}
	ans, err := s.Confirm.Confirm(ctx, req)
	if err != nil && !errors.Is(err, ErrNoPrompt) && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
		s.errorf("confirmation failed: %v; nothing ran", err)
		entry.Decision, entry.Reason = audit.Aborted, "confirmation failed"
		s.auditLine(entry)
		return false, ErrAborted
	}
	if ans != Accepted {
		fmt.Fprintf(s.streams.Err, "%saborted, nothing ran\n", s.prefix())
		entry.Decision, entry.Reason = audit.Aborted, "declined"
		s.auditLine(entry)
		return false, ErrAborted
	}
	entry.Decision = audit.Confirmed
	return true, s.auditStrict(entry)
}

func orWord(w string) string {
	if w == "" {
		return "yes"
	}
	return w
}

func dryRows(imp dryrun.Impact) *int64 {
	if !imp.Exact && !imp.Estimate {
		return nil
	}
	n := imp.Rows
	return &n
}

// printImpact shows a request on standard error (no terminal to show it on).
func (s *Session) printImpact(req ConfirmRequest) {
	fmt.Fprintf(s.streams.Err, "%s%s\n", s.prefix(), req.Title)
	for _, r := range req.Reasons {
		fmt.Fprintf(s.streams.Err, "  ! %s\n", r)
	}
	for _, l := range req.Impact {
		fmt.Fprintf(s.streams.Err, "  %s\n", l)
	}
}

// lockAdvice says what a strong lock means and the safe form, if any.
func lockAdvice(v analyze.Verdict, p Policy) []string {
	lock := ""
	for _, t := range v.Targets {
		if t.Lock != "" && lock == "" {
			lock = t.Lock
		}
	}
	out := []string{fmt.Sprintf("takes %s: while it waits for the lock it blocks every later query on the table", lock)}
	if p.LockTimeout > 0 {
		out = append(out, fmt.Sprintf("it runs with lock_timeout %s and fails rather than queue longer", p.LockTimeout))
	}
	return out
}

// runConfirmed runs a confirmed destructive statement under a savepoint and
// compares its count with the dry run's. again says the table changed and
// the person should be asked again.
func (s *Session) runConfirmed(ctx context.Context, sql string, copyData io.Reader, v analyze.Verdict, imp dryrun.Impact) (again bool, err error) {
	status := s.conn.TxStatus()
	w := &wrap{}
	began := false
	switch status {
	case 'I':
		b := "BEGIN"
		w.pre = append(w.pre, b)
		w.pre = append(w.pre, s.txSettings()...)
		began = true
	case 'T':
	default:
		s.errorf("current transaction is aborted: ROLLBACK first; nothing ran")
		return false, ErrRefused
	}
	w.pre = append(w.pre, "SAVEPOINT "+stmtSavepoint)
	if s.policy.LockTimeout > 0 && strongLock(v) {
		w.pre = append(w.pre, "SET LOCAL lock_timeout = "+ms(s.policy.LockTimeout))
	}
	w.pre = append(w.pre, snapshotSQL)
	w.post = append(w.post, snapshotSQL)
	start := time.Now()
	err = s.execWrapped(ctx, sql, copyData, w)
	elapsed := time.Since(start)
	var lost *ConnectionLostError
	switch {
	case errors.As(err, &lost):
		s.txLost()
		s.auditRan(sql, v, &imp, elapsed, err)
		return false, err
	case err != nil:
		if began {
			_ = s.hiddenExec(ctx, "ROLLBACK")
		} else {
			_ = s.hiddenExec(ctx, "ROLLBACK TO SAVEPOINT "+stmtSavepoint+"; RELEASE SAVEPOINT "+stmtSavepoint)
		}
		s.syncTx()
		s.auditRan(sql, v, &imp, elapsed, err)
		return false, err
	}
	real := s.lastTag.RowsAffected()
	if dryrun.Differs(imp, real) {
		if began {
			_ = s.hiddenExec(ctx, "ROLLBACK")
		} else {
			_ = s.hiddenExec(ctx, "ROLLBACK TO SAVEPOINT "+stmtSavepoint+"; RELEASE SAVEPOINT "+stmtSavepoint)
		}
		s.syncTx()
		s.errorf("the table changed under us: the dry run counted %d rows, the statement touched %d; it was undone (nothing changed)", imp.Rows, real)
		s.auditLine(audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), DryRunRows: dryRows(imp), Rows: &real, Decision: audit.Aborted, Reason: "count changed"})
		if s.Confirm == nil {
			return false, ErrAborted
		}
		return true, ErrAborted
	}
	if err := s.hiddenExec(ctx, "RELEASE SAVEPOINT "+stmtSavepoint); err != nil {
		return false, s.report("RELEASE SAVEPOINT", err)
	}
	s.track(sql, v, w, began, start)
	if s.policy.Autocommit && began {
		// an autocommit environment that asks: the confirmed statement
		// commits on its own, as it would have without safesql.
		if err := s.hiddenExec(ctx, "COMMIT"); err != nil {
			return false, s.report("COMMIT", err)
		}
		s.tx = txTrack{}
	}
	s.auditRan(sql, v, &imp, elapsed, nil)
	return false, nil
}

// ---- commit ----

// commit runs COMMIT after the commit review.
func (s *Session) commit(ctx context.Context, sql string) error {
	if s.conn.TxStatus() == 'T' && s.tx.changed && s.policy.asks() {
		ok, err := s.reviewCommit(ctx)
		if !ok {
			return err
		}
	}
	err := s.execWrapped(ctx, sql, nil, nil)
	s.auditTx(sql, audit.Commit, err)
	s.syncTx()
	return err
}

// reviewLines: what the transaction did, for the commit review and the
// leaving question.
func (s *Session) reviewLines() []string {
	var out []string
	names := make([]string, 0, len(s.tx.effects))
	for t := range s.tx.effects {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		c := s.tx.effects[t]
		var parts []string
		for i, verb := range []string{"inserted", "updated", "deleted"} {
			if c[i] != 0 {
				parts = append(parts, fmt.Sprintf("%s %s", thousands(c[i]), verb))
			}
		}
		out = append(out, fmt.Sprintf("%s: %s", t, strings.Join(parts, ", ")))
	}
	for _, d := range s.tx.ddl {
		out = append(out, "DDL: "+d)
	}
	if !s.tx.since.IsZero() {
		out = append(out, fmt.Sprintf("open for %s, %s", round(time.Since(s.tx.since)), plural(s.tx.statements, "statement")))
	}
	return out
}

func round(d time.Duration) time.Duration {
	if d > time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// reviewCommit shows the transaction's effects and asks.
func (s *Session) reviewCommit(ctx context.Context) (bool, error) {
	req := ConfirmRequest{
		Title:  fmt.Sprintf("COMMIT in %s", s.where()),
		Impact: s.reviewLines(),
		Env:    s.policy.Env, Tier: s.policy.Tier,
	}
	if s.tx.destructive && s.policy.Confirm == ConfirmWord {
		req.Kind, req.Word = AskWord, s.policy.ConfirmWord
		req.Question = fmt.Sprintf("The transaction holds destructive changes. Type %s to commit (anything else keeps it open):", req.Word)
	} else {
		req.Kind = AskYesNo
		req.Question = "Commit? [y/N] (no keeps the transaction open)"
	}
	if s.Confirm == nil {
		if s.Grants.Commit {
			return true, nil
		}
		s.printImpact(req)
		s.errorf("refused: COMMIT in %s needs confirmation and there is no terminal to ask on; give --commit", s.where())
		s.auditLine(audit.Entry{Statement: "COMMIT", Decision: audit.Refused, Reason: "commit review"})
		return false, ErrRefused
	}
	ans, _ := s.Confirm.Confirm(ctx, req)
	if ans != Accepted {
		fmt.Fprintf(s.streams.Err, "%snot committed: the transaction is still open (%s)\n", s.prefix(), s.txSummary())
		s.auditLine(audit.Entry{Statement: "COMMIT", Decision: audit.Aborted, Reason: "declined"})
		return false, ErrAborted
	}
	return true, nil
}

// leave ends an open transaction on the way out.
func (s *Session) leave(ctx context.Context, ask bool) {
	if s.conn == nil || s.conn.IsClosed() {
		return
	}
	switch s.conn.TxStatus() {
	case 'I':
		return
	case 'E':
		_ = s.hiddenExec(ctx, "ROLLBACK")
		s.auditTx("ROLLBACK", audit.Rollback, nil)
		return
	}
	if !s.tx.changed {
		_ = s.hiddenExec(ctx, "ROLLBACK")
		s.tx = txTrack{}
		return
	}
	ans := Rollback
	if ask && s.Confirm != nil {
		req := ConfirmRequest{
			Kind:     AskCommitRollback,
			Title:    fmt.Sprintf("Leaving %s with an open transaction", s.where()),
			Impact:   s.reviewLines(),
			Question: "Commit or rollback? [c/R] (Enter, Ctrl-C or Ctrl-D roll back)",
			Env:      s.policy.Env, Tier: s.policy.Tier,
		}
		a, err := s.Confirm.Confirm(ctx, req)
		if err == nil && a == Commit {
			ans = Commit
		}
	}
	if ans == Commit {
		if err := s.hiddenExec(ctx, "COMMIT"); err != nil {
			fmt.Fprintf(s.streams.Err, "safesql: COMMIT failed: %v; the server rolled the transaction back\n", err)
			s.auditTx("COMMIT", audit.Rollback, err)
			return
		}
		fmt.Fprintln(s.streams.Err, "COMMIT")
		s.auditTx("COMMIT", audit.Commit, nil)
		s.tx = txTrack{}
		return
	}
	summary := s.txSummary()
	err := s.hiddenExec(ctx, "ROLLBACK")
	fmt.Fprintf(s.streams.Err, "safesql: rolled back: the open transaction (%s) was not committed\n", summary)
	s.auditTx("ROLLBACK", audit.Rollback, err)
	s.tx = txTrack{}
}

// FinishScript ends a non-interactive run's implicit transaction: the
// commit review on a terminal, --commit without one, else a rollback that
// is said out loud. It returns StatusScript when changes were rolled back
// for want of an answer.
func (s *Session) FinishScript(ctx context.Context, ok bool) Status {
	if s.conn == nil || s.conn.IsClosed() || s.conn.TxStatus() == 'I' {
		return StatusOK
	}
	if !ok || s.conn.TxStatus() == 'E' || !s.tx.changed {
		changed := s.tx.changed
		summary := s.txSummary()
		_ = s.hiddenExec(ctx, "ROLLBACK")
		s.auditTx("ROLLBACK", audit.Rollback, nil)
		s.tx = txTrack{}
		if changed {
			fmt.Fprintf(s.streams.Err, "safesql: rolled back: the run's transaction (%s) was not committed\n", summary)
		}
		return StatusOK
	}
	if s.policy.asks() {
		commit := s.Grants.Commit
		if s.Confirm != nil && !commit {
			okc, _ := s.reviewCommit(ctx)
			commit = okc
		}
		if !commit {
			summary := s.txSummary()
			_ = s.hiddenExec(ctx, "ROLLBACK")
			s.auditTx("ROLLBACK", audit.Rollback, nil)
			s.tx = txTrack{}
			fmt.Fprintf(s.streams.Err, "safesql: rolled back: the run's transaction (%s) was not committed; give --commit to commit it\n", summary)
			return StatusScript
		}
	} else if !s.Grants.Commit && s.Confirm == nil {
		summary := s.txSummary()
		_ = s.hiddenExec(ctx, "ROLLBACK")
		s.auditTx("ROLLBACK", audit.Rollback, nil)
		s.tx = txTrack{}
		fmt.Fprintf(s.streams.Err, "safesql: rolled back: the run's transaction (%s) was not committed; give --commit to commit it\n", summary)
		return StatusScript
	}
	if err := s.hiddenExec(ctx, "COMMIT"); err != nil {
		fmt.Fprintf(s.streams.Err, "safesql: COMMIT failed: %v\n", err)
		s.auditTx("COMMIT", audit.Rollback, err)
		return StatusScript
	}
	s.auditTx("COMMIT", audit.Commit, nil)
	s.tx = txTrack{}
	return StatusOK
}

// ---- \write, \read, \status, \dryrun ----

// SetWrites turns writes on or off in a read-only environment. Turning
// them on in an environment that asks for a word asks for it.
func (s *Session) SetWrites(ctx context.Context, on bool) error {
	if !s.policy.ReadOnly {
		if on {
			fmt.Fprintf(s.out, "writes are already allowed in %s\n", s.where())
		} else {
			fmt.Fprintf(s.out, "%s is not read-only by configuration; \\read applies only where read_only is set\n", s.where())
		}
		return nil
	}
	if on == s.writes {
		return nil
	}
	if on {
		req := ConfirmRequest{
			Title: fmt.Sprintf("Allow writes in %s for this session", s.where()),
			Env:   s.policy.Env, Tier: s.policy.Tier,
		}
		if s.policy.ConfirmWord != "" {
			req.Kind, req.Word = AskWord, s.policy.ConfirmWord
			req.Question = fmt.Sprintf("Type %s to allow writes:", req.Word)
		} else {
			req.Kind, req.Question = AskYesNo, "Allow writes? [y/N]"
		}
		allowed := false
		if s.Confirm == nil {
			allowed = s.Grants.Write
		} else if ans, _ := s.Confirm.Confirm(ctx, req); ans == Accepted {
			allowed = true
		}
		if !allowed {
			fmt.Fprintln(s.streams.Err, "writes stay off")
			s.auditLine(audit.Entry{Statement: `\write`, Decision: audit.Aborted, Reason: "declined"})
			return ErrAborted
		}
		// A read-only transaction cannot become read-write once it has
		// run a query; it cannot hold changes either, so it is ended.
		if s.conn != nil && !s.conn.IsClosed() && s.conn.TxStatus() != 'I' {
			_ = s.hiddenExec(ctx, "ROLLBACK")
			if s.tx.statements > 0 {
				s.notef("the open read-only transaction (%s) was ended; it held no changes", plural(s.tx.statements, "statement"))
			}
			s.tx = txTrack{}
		}
	} else if s.conn != nil && !s.conn.IsClosed() && s.conn.TxStatus() == 'T' {
		if err := s.hiddenExec(ctx, "SET TRANSACTION READ ONLY"); err != nil {
			return s.report("SET TRANSACTION READ ONLY", err)
		}
	}
	s.writes = on
	if err := s.applySessionSettings(ctx); err != nil {
		s.errorf("%v", err)
	}
	decision := "writes off"
	if on {
		decision = "writes on"
	}
	s.auditLine(audit.Entry{Statement: map[bool]string{true: `\write`, false: `\read`}[on], Decision: audit.Ran, Reason: decision})
	switch {
	case !s.Interactive:
	case on:
		fmt.Fprintf(s.out, "writes allowed in %s for this session (\\read turns them off)\n", s.where())
	default:
		fmt.Fprintf(s.out, "%s is read-only again\n", s.where())
	}
	return nil
}

// PrintStatus prints the session's state and the transaction's effects
// (\status).
func (s *Session) PrintStatus(w io.Writer) {
	st := s.State()
	mode := "read-write"
	if s.readOnlyNow() {
		mode = "read-only (\\write allows writes)"
	} else if s.policy.ReadOnly {
		mode = "WRITE (\\read turns writes off)"
	}
	fmt.Fprintf(w, "environment: %s, %s\n", s.where(), mode)
	switch st.Tx {
	case TxNone:
		if s.policy.Autocommit {
			fmt.Fprintln(w, "transaction: none (autocommit: each statement commits)")
		} else {
			fmt.Fprintln(w, "transaction: none (the next statement opens one)")
		}
	case TxFailed:
		fmt.Fprintf(w, "transaction: failed (%s); only ROLLBACK helps\n", s.txSummary())
	case TxLost:
		fmt.Fprintln(w, "transaction: none (the connection was lost)")
	default:
		fmt.Fprintf(w, "transaction: open (%s)\n", s.txSummary())
		for _, l := range s.reviewLines() {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
}

// DryRun shows a statement's impact without running it (\dryrun).
func (s *Session) DryRun(ctx context.Context, sql string) error {
	if strings.TrimSpace(sql) == "" {
		s.errorf(`\dryrun: a statement is required`)
		return ErrStatementFailed
	}
	if err := s.reconnectIfLost(ctx); err != nil {
		return err
	}
	v := s.classify(ctx, sql)
	fmt.Fprintf(s.out, "%s: %s\n", v.Class, strings.Join(v.Reasons, "; "))
	if v.Class == analyze.Read {
		fmt.Fprintln(s.out, "reads only: nothing to dry-run")
		return nil
	}
	imp, err := dryrun.Run(ctx, s.conn, sql, v, dryrun.Options{
		Timeout: s.policy.DryRunTimeout, LockTimeout: s.policy.DryRunLockTimeout, SampleRows: -1,
		Opaque: true,
	})
	s.syncTx()
	if err != nil {
		return s.report(sql, err)
	}
	for _, l := range dryrun.Format(imp) {
		fmt.Fprintln(s.out, l)
	}
	return nil
}

// ---- audit ----

func (s *Session) auditBase() audit.Entry {
	e := s.AuditTemplate
	e.Env, e.Tier = s.policy.Env, s.policy.Tier
	if s.config != nil {
		e.Host, e.Database, e.DBUser = s.config.Host, s.config.Database, s.config.User
	}
	return e
}

// auditLine writes one line; a failure is remembered (and in an
// environment that requires the audit, stops what follows).
func (s *Session) auditLine(e audit.Entry) {
	_ = s.auditStrict(e)
}

// auditStrict writes one line and, where the audit is required, returns
// the failure so that the statement does not run.
func (s *Session) auditStrict(e audit.Entry) error {
	if s.Audit == nil {
		return nil
	}
	base := s.auditBase()
	base.Statement, base.Class, base.Flags = e.Statement, e.Class, e.Flags
	base.DryRunRows, base.DryRunEstimate = e.DryRunRows, e.DryRunEstimate
	base.Decision, base.Reason, base.Rows = e.Decision, e.Reason, e.Rows
	base.Duration, base.Error, base.Tx = e.Duration, e.Error, e.Tx
	if s.config != nil && s.config.Password != "" {
		base.Secrets = []string{s.config.Password}
	}
	if err := s.Audit.Write(base); err != nil {
		s.auditBroken = err
		s.errorf("audit log: %v", err)
		if s.policy.AuditRequired {
			s.errorf("refused: the audit log is required in %s and cannot be written; nothing ran", s.policy.Tier)
			return ErrRefused
		}
	}
	return nil
}

func (s *Session) auditRan(sql string, v analyze.Verdict, imp *dryrun.Impact, d time.Duration, err error) {
	e := audit.Entry{Statement: sql, Class: v.Class.String(), Flags: flagStrings(v), Decision: audit.Ran, Duration: d}
	if imp != nil {
		e.DryRunRows, e.DryRunEstimate = dryRows(*imp), imp.Estimate
	}
	if err != nil {
		e.Error = errText(err)
	} else {
		n := s.lastTag.RowsAffected()
		e.Rows = &n
	}
	s.auditLine(e)
}

func (s *Session) auditTx(sql, outcome string, err error) {
	e := audit.Entry{Statement: sql, Class: "read", Decision: audit.Ran, Tx: outcome}
	if err != nil {
		e.Error = errText(err)
		if outcome == audit.Commit {
			e.Tx = audit.Rollback
		}
	}
	s.auditLine(e)
}

func errText(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Severity + ": " + pgErr.Message
	}
	return err.Error()
}
