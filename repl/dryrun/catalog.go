package dryrun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
)

// estimate replaces a dry run that timed out with the planner's estimate.
func (tx *txn) estimate(ctx context.Context, imp *Impact, sql string, v analyze.Verdict, cause error) error {
	if err := tx.restart(ctx); err != nil {
		return err
	}
	imp.Estimate = true
	imp.Rows = -1
	oids := tx.targetOIDs(ctx, v, nil)
	var pe *pgconn.PgError
	errors.As(cause, &pe)
	switch {
	case pe != nil && pe.Code == "55P03":
		bs, err := tx.blockers(ctx, oids, true, "")
		if err != nil {
			return err
		}
		imp.Blockers = bs
		on := imp.Target
		if len(bs) > 0 {
			on = bs[0].Relation
		}
		if on != "" {
			imp.Why = fmt.Sprintf("lock_timeout (%s): another session holds a lock on %s", dur(tx.opts.LockTimeout), on)
		} else {
			imp.Why = fmt.Sprintf("lock_timeout (%s): another session holds a lock the statement needs", dur(tx.opts.LockTimeout))
		}
	case pe != nil && pe.Code == "40P01":
		imp.Why = "the dry run met a deadlock with another session"
	case pe != nil && pe.Code == "25006":
		imp.Why = "the transaction is read-only, so the statement could not be tried"
	case errors.As(cause, new(untryable)):
		imp.Why = cause.Error()
	default:
		imp.Why = fmt.Sprintf("the dry run hit statement_timeout (%s)", dur(tx.opts.Timeout))
	}
	res := tx.conn.ExecParams(ctx, "EXPLAIN (FORMAT JSON) "+sql, nil, nil, nil, nil).Read()
	if res.Err == nil && len(res.Rows) == 1 && len(res.Rows[0]) == 1 {
		if n, ok := planRows(res.Rows[0][0]); ok {
			imp.Rows = n
			return nil
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	// The planner needs the statement's locks too: fall back to the
	// table's own estimate, without taking any lock.
	if res.Err != nil {
		if err := tx.restart(ctx); err != nil {
			return err
		}
	}
	rels, err := tx.relations(ctx, oids)
	if err != nil {
		return err
	}
	var total int64
	for _, r := range rels {
		if r.EstRows > 0 {
			total += r.EstRows
		}
	}
	imp.Rows = total
	imp.Why += "; the planner could not be asked either: at most the table's estimated rows"
	return nil
}

// planRows reads the top plan's row estimate; a ModifyTable node without
// RETURNING plans 0 rows, so its input's count is the one that matters.
func planRows(b []byte) (int64, bool) {
	type plan struct {
		NodeType string  `json:"Node Type"`
		Rows     float64 `json:"Plan Rows"`
		Plans    []plan  `json:"Plans"`
	}
	var out []struct {
		Plan plan `json:"Plan"`
	}
	if err := json.Unmarshal(b, &out); err != nil || len(out) == 0 {
		return 0, false
	}
	p := out[0].Plan
	if p.NodeType == "ModifyTable" && p.Rows == 0 && len(p.Plans) > 0 {
		p = p.Plans[0]
	}
	return int64(math.Round(p.Rows)), true
}

// targetOIDs resolves the verdict's relation targets (effects in want, or
// every changing one when want is nil) to pg_class oids.
func (tx *txn) targetOIDs(ctx context.Context, v analyze.Verdict, want map[analyze.Effect]bool) []string {
	var oids []string
	seen := map[string]bool{}
	for _, t := range v.Targets {
		if t.Effect == analyze.EffectRead || want != nil && !want[t.Effect] || !relKind(t.Kind) || t.Name == "" {
			continue
		}
		oid := tx.regclass(ctx, t)
		if oid != "" && !seen[oid] {
			seen[oid] = true
			oids = append(oids, oid)
		}
	}
	return oids
}

func relKind(k string) bool {
	switch k {
	case "table", "view", "materialized view", "index", "sequence", "foreign table", "":
		return true
	}
	return false
}

// regclass resolves a target without taking a lock (to_regclass does not).
func (tx *txn) regclass(ctx context.Context, t analyze.Target) string {
	id := pgx.Identifier{t.Name}
	if t.Schema != "" {
		id = pgx.Identifier{t.Schema, t.Name}
	}
	rows, err := tx.query(ctx, "SELECT to_regclass($1)::oid::text", id.Sanitize())
	if err != nil || len(rows) != 1 {
		return ""
	}
	return rows[0][0]
}

func oidArray(oids []string) string { return "{" + strings.Join(oids, ",") + "}" }

// relations reads size and row estimates from pg_class without locking
// anything: pg_total_relation_size would wait behind an ACCESS EXCLUSIVE
// lock, so pages come from pg_class (as of the last VACUUM or ANALYZE).
func (tx *txn) relations(ctx context.Context, oids []string) ([]Relation, error) {
	if len(oids) == 0 {
		return nil, nil
	}
	rows, err := tx.query(ctx, `WITH t AS (
	SELECT c.oid, n.nspname, c.relname, c.relkind, c.reltuples,
		(c.relpages::bigint
		 + coalesce((SELECT relpages FROM pg_class WHERE oid = c.reltoastrelid), 0)
		 + coalesce((SELECT sum(i.relpages) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid), 0)
		) * current_setting('block_size')::bigint AS bytes
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.oid = ANY($1::oid[]))
SELECT nspname, relname, relkind::text, reltuples::bigint, bytes::bigint, pg_size_pretty(bytes::bigint) FROM t ORDER BY array_position($1::oid[], oid)`, oidArray(oids))
	if err != nil {
		return nil, fmt.Errorf("dry run: read pg_class: %w", err)
	}
	out := make([]Relation, 0, len(rows))
	for _, r := range rows {
		out = append(out, Relation{Schema: r[0], Name: r[1], Kind: relkindName(r[2]), EstRows: atoi(r[3]), Bytes: atoi(r[4]), Size: r[5]})
	}
	return out, nil
}

func relkindName(k string) string {
	switch k {
	case "r":
		return "table"
	case "p":
		return "partitioned table"
	case "v":
		return "view"
	case "m":
		return "materialized view"
	case "i", "I":
		return "index"
	case "S":
		return "sequence"
	case "f":
		return "foreign table"
	}
	return "relation"
}

// catalogue reports DDL, TRUNCATE, DROP and opaque code without running it.
func (tx *txn) catalogue(ctx context.Context, imp *Impact, sql string, v analyze.Verdict, main *analyze.Target) error {
	imp.Estimate = true
	imp.Rows = -1
	switch {
	case v.Has(analyze.FlagUnparsed):
		imp.Why = "the statement could not be parsed, so it is not run before confirmation"
	case main != nil && main.Effect == analyze.EffectCall || v.Has(analyze.FlagOpaque):
		imp.Why = "opaque code is not run before confirmation (\\dryrun runs it under a savepoint)"
	case main == nil:
		imp.Why = "nothing to measure: the statement changes no table the analyzer can name"
	case main != nil && main.Effect == analyze.EffectTruncate:
		imp.Why = "TRUNCATE is never run before confirmation"
	case main != nil && main.Effect == analyze.EffectDrop:
		imp.Why = "DROP is never run before confirmation"
	default:
		imp.Why = "DDL is never run before confirmation"
	}
	if main != nil && relKind(main.Kind) {
		imp.Target = tx.qualify(ctx, *main)
	}
	oids := tx.targetOIDs(ctx, v, nil)
	// Schemas: every table in them goes.
	for _, t := range v.Targets {
		if t.Kind == "schema" && t.Effect == analyze.EffectDrop {
			rows, err := tx.query(ctx, `SELECT c.oid::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r','p','m','f') ORDER BY c.relname`, t.Name)
			if err != nil {
				return fmt.Errorf("dry run: read schema %s: %w", t.Name, err)
			}
			for _, r := range rows {
				oids = append(oids, r[0])
			}
			if imp.Target == "" {
				imp.Target = t.Name
			}
		}
	}
	if main != nil && main.Effect == analyze.EffectTruncate && v.Has(analyze.FlagCascade) {
		// TRUNCATE ... CASCADE empties every table that references these,
		// all the way down.
		more, err := tx.query(ctx, `WITH RECURSIVE r(oid) AS (
	SELECT unnest($1::oid[])
	UNION
	SELECT c.conrelid FROM pg_constraint c JOIN r ON c.confrelid = r.oid WHERE c.contype = 'f')
SELECT oid::text FROM r WHERE NOT oid = ANY($1::oid[]) ORDER BY oid`, oidArray(oids))
		if err != nil {
			return fmt.Errorf("dry run: read foreign keys: %w", err)
		}
		for _, r := range more {
			oids = append(oids, r[0])
		}
	}
	rels, err := tx.relations(ctx, oids)
	if err != nil {
		return err
	}
	imp.Relations = rels
	if len(rels) > 0 {
		var total int64
		for _, r := range rels {
			if r.EstRows > 0 && r.Kind != "index" {
				total += r.EstRows
			}
		}
		imp.Rows = total
	}
	cols := analyze.AlteredColumns(sql)
	whole := main != nil && (main.Effect == analyze.EffectDrop || main.Effect == analyze.EffectTruncate || main.Effect == analyze.EffectRename)
	for _, oid := range oids {
		var deps []Dependent
		switch {
		case len(cols) > 0:
			deps, err = tx.columnDependents(ctx, oid, cols)
		case whole:
			deps, err = tx.dependents(ctx, oid)
			if main.Effect == analyze.EffectTruncate {
				// Only foreign keys care about an emptied table.
				fks := deps[:0]
				for _, d := range deps {
					if d.Kind == "foreign key" {
						fks = append(fks, d)
					}
				}
				deps = fks
			}
		}
		if err != nil {
			return err
		}
		imp.Dependents = append(imp.Dependents, deps...)
	}
	if lockLevels[imp.Lock] > lockLevels["ROW EXCLUSIVE"] {
		bs, err := tx.blockers(ctx, oids, false, imp.Lock)
		if err != nil {
			return err
		}
		imp.Blockers = bs
	}
	return nil
}

const dependentsQuery = `
SELECT kind, name, detail FROM (
SELECT DISTINCT 1 AS o, CASE v.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END AS kind,
	vn.nspname || '.' || v.relname AS name, '' AS detail
FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
	JOIN pg_namespace vn ON vn.oid = v.relnamespace
WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
	AND d.refobjid = $1::oid AND v.oid <> $1::oid
UNION ALL
SELECT 2, 'foreign key', con.conname, 'on ' || rn.nspname || '.' || rc.relname ||
	CASE con.confdeltype WHEN 'c' THEN ', ON DELETE CASCADE' WHEN 'n' THEN ', ON DELETE SET NULL'
		WHEN 'd' THEN ', ON DELETE SET DEFAULT' ELSE '' END
FROM pg_constraint con JOIN pg_class rc ON rc.oid = con.conrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype = 'f' AND con.confrelid = $1::oid
UNION ALL
SELECT 3, 'trigger', t.tgname, 'runs ' || t.tgfoid::regprocedure::text
FROM pg_trigger t WHERE t.tgrelid = $1::oid AND NOT t.tgisinternal
UNION ALL
SELECT DISTINCT 4, 'function', d.objid::regprocedure::text, 'depends on it'
FROM pg_depend d
WHERE d.classid = 'pg_proc'::regclass AND (
	(d.refclassid = 'pg_class'::regclass AND d.refobjid = $1::oid)
	OR (d.refclassid = 'pg_type'::regclass AND d.refobjid = (SELECT reltype FROM pg_class WHERE oid = $1::oid)))
UNION ALL
SELECT 5, 'function', p.oid::regprocedure::text, 'its source mentions ' || c.relname
FROM pg_proc p JOIN pg_namespace pn ON pn.oid = p.pronamespace, pg_class c
WHERE c.oid = $1::oid AND pn.nspname NOT IN ('pg_catalog', 'information_schema')
	AND p.prokind IN ('f', 'p') AND p.prosrc ~* $2
	AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
		AND d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid)
) s ORDER BY o, name`

// dependents lists what depends on a relation: views, foreign keys that
// reference it, its triggers, functions the server knows depend on it, and
// functions whose source mentions it (PL/pgSQL bodies are not tracked).
func (tx *txn) dependents(ctx context.Context, oid string) ([]Dependent, error) {
	name, err := tx.relname(ctx, oid)
	if err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, dependentsQuery, oid, word(name))
	if err != nil {
		return nil, fmt.Errorf("dry run: read dependents: %w", err)
	}
	return toDependents(rows), nil
}

func (tx *txn) relname(ctx context.Context, oid string) (string, error) {
	rows, err := tx.query(ctx, "SELECT relname FROM pg_class WHERE oid = $1::oid", oid)
	if err != nil {
		return "", fmt.Errorf("dry run: read pg_class: %w", err)
	}
	if len(rows) != 1 {
		return "", nil
	}
	return rows[0][0], nil
}

func toDependents(rows [][]string) []Dependent {
	out := make([]Dependent, 0, len(rows))
	for _, r := range rows {
		out = append(out, Dependent{Kind: r[0], Name: r[1], Detail: r[2]})
	}
	return out
}

// word is a case-insensitive regular expression (PostgreSQL's ARE) for a
// whole identifier.
func word(s string) string { return `\m` + regexp.QuoteMeta(s) + `\M` }

const columnDependentsQuery = `
SELECT kind, name, detail FROM (
SELECT DISTINCT 1 AS o, CASE v.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END AS kind,
	vn.nspname || '.' || v.relname AS name, 'uses column ' || a.attname AS detail
FROM pg_attribute a JOIN pg_depend d ON d.refobjid = a.attrelid AND d.refobjsubid = a.attnum
	JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
	JOIN pg_namespace vn ON vn.oid = v.relnamespace
WHERE a.attrelid = $1::oid AND a.attname = ANY($2::text[])
	AND d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND v.oid <> $1::oid
UNION ALL
SELECT DISTINCT 2, CASE con.contype WHEN 'f' THEN 'foreign key' WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique constraint'
		WHEN 'c' THEN 'check constraint' ELSE 'constraint' END,
	con.conname, 'on ' || rn.nspname || '.' || rc.relname || ', uses column ' || a.attname
FROM pg_attribute a JOIN pg_constraint con ON
	(con.conrelid = a.attrelid AND a.attnum = ANY(con.conkey)) OR (con.confrelid = a.attrelid AND a.attnum = ANY(con.confkey))
	JOIN pg_class rc ON rc.oid = con.conrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE a.attrelid = $1::oid AND a.attname = ANY($2::text[])
UNION ALL
SELECT DISTINCT 3, 'index', n.nspname || '.' || i.relname, 'uses column ' || a.attname
FROM pg_attribute a JOIN pg_index x ON x.indrelid = a.attrelid AND a.attnum = ANY(x.indkey)
	JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
WHERE a.attrelid = $1::oid AND a.attname = ANY($2::text[])
	AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid)
UNION ALL
SELECT 4, 'function', p.oid::regprocedure::text, 'its source mentions ' || c.relname || ' and ' || col
FROM pg_proc p JOIN pg_namespace pn ON pn.oid = p.pronamespace, pg_class c, unnest($2::text[]) col
WHERE c.oid = $1::oid AND pn.nspname NOT IN ('pg_catalog', 'information_schema')
	AND p.prokind IN ('f', 'p') AND p.prosrc ~* ('\m' || regexp_replace(c.relname, '([^[:alnum:]_])', '\\\1', 'g') || '\M')
	AND p.prosrc ~* ('\m' || regexp_replace(col, '([^[:alnum:]_])', '\\\1', 'g') || '\M')
) s ORDER BY o, name`

// columnDependents lists what uses the columns a DROP COLUMN, RENAME
// COLUMN or ALTER COLUMN TYPE touches.
func (tx *txn) columnDependents(ctx context.Context, oid string, cols []string) ([]Dependent, error) {
	arr := make([]string, len(cols))
	for i, c := range cols {
		arr[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(c) + `"`
	}
	rows, err := tx.query(ctx, columnDependentsQuery, oid, "{"+strings.Join(arr, ",")+"}")
	if err != nil {
		return nil, fmt.Errorf("dry run: read column dependents: %w", err)
	}
	return toDependents(rows), nil
}

// lockModes are pg_locks' names for the table lock levels.
var lockModes = map[string]int{
	"AccessShareLock": 1, "RowShareLock": 2, "RowExclusiveLock": 3, "ShareUpdateExclusiveLock": 4,
	"ShareLock": 5, "ShareRowExclusiveLock": 6, "ExclusiveLock": 7, "AccessExclusiveLock": 8,
}

// conflicts is PostgreSQL's table-level lock conflict matrix, by level.
var conflicts = [9][]int{
	1: {8},
	2: {7, 8},
	3: {5, 6, 7, 8},
	4: {4, 5, 6, 7, 8},
	5: {3, 4, 6, 7, 8},
	6: {3, 4, 5, 6, 7, 8},
	7: {2, 3, 4, 5, 6, 7, 8},
	8: {1, 2, 3, 4, 5, 6, 7, 8},
}

func conflict(ours int, theirs string) bool {
	t := lockModes[theirs]
	for _, c := range conflicts[ours] {
		if c == t {
			return true
		}
	}
	return false
}

const blockersQuery = `
SELECT a.pid, coalesce(a.usename, ''), coalesce(a.application_name, ''), coalesce(a.state, ''),
	extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.state_change, clock_timestamp()))::float8,
	coalesce(a.query, ''), n.nspname || '.' || c.relname, l.mode, l.granted
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
	JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE l.locktype = 'relation' AND l.pid <> pg_backend_pid()
	AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
	AND (l.relation = ANY($1::oid[]) OR ($2 AND l.relation IN (
		SELECT conrelid FROM pg_constraint WHERE contype = 'f' AND confrelid = ANY($1::oid[]))))
ORDER BY l.granted DESC, a.xact_start NULLS LAST, a.pid, c.relname`

// blockers lists the sessions holding or waiting for locks on the
// relations that conflict with lock (a level such as "ACCESS EXCLUSIVE").
// With any, every lock counts, and tables whose foreign keys point at the
// relations too (a dry run that hit lock_timeout waited for one of them).
func (tx *txn) blockers(ctx context.Context, oids []string, any bool, lock string) ([]Blocker, error) {
	if len(oids) == 0 {
		return nil, nil
	}
	rows, err := tx.query(ctx, blockersQuery, oidArray(oids), strconv.FormatBool(any))
	if err != nil {
		return nil, fmt.Errorf("dry run: read pg_locks: %w", err)
	}
	ours := lockLevels[lock]
	var out []Blocker
	seen := map[string]int{}
	for _, r := range rows {
		if !any && !conflict(ours, r[7]) {
			continue
		}
		pid, _ := strconv.Atoi(r[0])
		secs, _ := strconv.ParseFloat(r[4], 64)
		b := Blocker{PID: pid, User: r[1], App: r[2], State: r[3], Since: time.Duration(secs * float64(time.Second)).Round(time.Second),
			Query: r[5], Relation: r[6], Mode: r[7], Granted: r[8] == "t"}
		key := r[0] + " " + r[6]
		if i, ok := seen[key]; ok {
			if lockModes[b.Mode] > lockModes[out[i].Mode] {
				out[i].Mode = b.Mode
			}
			continue
		}
		seen[key] = len(out)
		out = append(out, b)
	}
	return out, nil
}

// dur prints a duration the way people set it: 5s, 1s, 300ms, 2m.
func dur(d time.Duration) string {
	switch {
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "min"
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}
