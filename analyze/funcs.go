package analyze

import (
	"encoding/json"
	"fmt"
	"strings"

	pg "github.com/safesql/safesql/analyze/pgparse"
)

// sideEffect is a hand-kept fact about a function whose volatility alone
// does not say what it does.
type sideEffect struct {
	class Class
	what  string
	// untryable: a rollback does not undo it, so a dry run must not try it.
	untryable bool
}

// sideEffects lists built-in (and contrib) functions that change something;
// every volatile function of the generated tables was reviewed against it.
// A volatile built-in that is not here (random, now, clock_timestamp,
// pg_sleep, set_config ...) is read. Names are matched whatever the schema,
// because contrib modules install into any schema.
var sideEffects = map[string]sideEffect{
	// Sequences.
	"nextval": {Write, "advances a sequence", false},
	"setval":  {Destructive, "resets a sequence: new rows can collide with existing keys", false},

	// Advisory locks.
	"pg_advisory_lock":                 {Write, "takes an advisory lock", true},
	"pg_advisory_lock_shared":          {Write, "takes an advisory lock", true},
	"pg_advisory_xact_lock":            {Write, "takes an advisory lock", false},
	"pg_advisory_xact_lock_shared":     {Write, "takes an advisory lock", false},
	"pg_try_advisory_lock":             {Write, "takes an advisory lock", true},
	"pg_try_advisory_lock_shared":      {Write, "takes an advisory lock", true},
	"pg_try_advisory_xact_lock":        {Write, "takes an advisory lock", false},
	"pg_try_advisory_xact_lock_shared": {Write, "takes an advisory lock", false},
	"pg_advisory_unlock":               {Write, "releases an advisory lock", true},
	"pg_advisory_unlock_shared":        {Write, "releases an advisory lock", true},
	"pg_advisory_unlock_all":           {Write, "releases every advisory lock of the session", true},

	// Notifications and server control.
	"pg_notify":                      {Write, "sends a notification to every listener", false},
	"pg_cancel_backend":              {Write, "cancels another session's query", true},
	"pg_reload_conf":                 {Write, "reloads the server configuration", true},
	"pg_rotate_logfile":              {Write, "rotates the server log", true},
	"pg_rotate_logfile_old":          {Write, "rotates the server log", true},
	"pg_switch_wal":                  {Write, "forces a WAL segment switch", true},
	"pg_switch_xlog":                 {Write, "forces a WAL segment switch", true},
	"pg_create_restore_point":        {Write, "creates a named restore point", true},
	"pg_backup_start":                {Write, "starts an online backup", true},
	"pg_backup_stop":                 {Write, "ends an online backup", true},
	"pg_start_backup":                {Write, "starts an online backup", true},
	"pg_stop_backup":                 {Write, "ends an online backup", true},
	"pg_wal_replay_pause":            {Write, "pauses WAL replay on a standby", true},
	"pg_wal_replay_resume":           {Write, "resumes WAL replay on a standby", true},
	"pg_log_backend_memory_contexts": {Write, "makes a backend log its memory contexts", false},
	"pg_log_standby_snapshot":        {Write, "writes a standby snapshot to WAL", true},
	"pg_import_system_collations":    {Write, "creates collations", false},
	"pg_nextoid":                     {Write, "consumes an OID", false},
	"pg_extension_config_dump":       {Write, "marks a table as extension configuration for pg_dump", false},
	"pg_stop_making_pinned_objects":  {Write, "changes how new catalog objects are pinned (initdb internal)", false},
	"brin_summarize_new_values":      {Write, "summarizes BRIN ranges", false},
	"brin_summarize_range":           {Write, "summarizes a BRIN range", false},
	"brin_desummarize_range":         {Write, "removes a BRIN range summary", false},
	"gin_clean_pending_list":         {Write, "flushes a GIN index's pending list", false},
	"pg_prewarm":                     {Write, "loads a relation into the buffer cache", false},
	"pg_terminate_backend":           {Destructive, "terminates another session, rolling back its transaction", true},
	"pg_promote":                     {Destructive, "promotes a standby to primary", true},

	// Replication.
	"pg_create_physical_replication_slot": {Write, "creates a replication slot, which retains WAL", true},
	"pg_create_logical_replication_slot":  {Write, "creates a replication slot, which retains WAL", true},
	"pg_copy_physical_replication_slot":   {Write, "creates a replication slot, which retains WAL", true},
	"pg_copy_logical_replication_slot":    {Write, "creates a replication slot, which retains WAL", true},
	"pg_logical_emit_message":             {Write, "writes a message to WAL", true},
	"pg_replication_origin_create":        {Write, "creates a replication origin", true},
	"pg_replication_origin_session_setup": {Write, "sets up a replication origin", true},
	"pg_replication_origin_session_reset": {Write, "resets a replication origin", true},
	"pg_replication_origin_xact_setup":    {Write, "sets up a replication origin", true},
	"pg_replication_origin_xact_reset":    {Write, "resets a replication origin", true},
	"pg_drop_replication_slot":            {Destructive, "drops a replication slot: its consumer loses its place", true},
	"pg_replication_origin_drop":          {Destructive, "drops a replication origin", true},
	"pg_replication_origin_advance":       {Destructive, "moves a replication origin: changes are skipped", true},
	"pg_replication_slot_advance":         {Destructive, "advances a replication slot: its consumer skips changes", true},
	"pg_logical_slot_get_changes":         {Destructive, "consumes changes from a replication slot", true},
	"pg_logical_slot_get_binary_changes":  {Destructive, "consumes changes from a replication slot", true},

	// Statistics.
	"pg_stat_reset":                          {Destructive, "discards collected statistics", true},
	"pg_stat_reset_shared":                   {Destructive, "discards collected statistics", true},
	"pg_stat_reset_single_table_counters":    {Destructive, "discards collected statistics", true},
	"pg_stat_reset_single_function_counters": {Destructive, "discards collected statistics", true},
	"pg_stat_reset_slru":                     {Destructive, "discards collected statistics", true},
	"pg_stat_reset_replication_slot":         {Destructive, "discards collected statistics", true},
	"pg_stat_reset_subscription_stats":       {Destructive, "discards collected statistics", true},
	"pg_stat_statements_reset":               {Destructive, "discards collected statistics", true},
	"pg_truncate_visibility_map":             {Destructive, "truncates a relation's visibility map", false},

	// Large objects.
	"lo_creat":      {Write, "creates a large object", false},
	"lo_create":     {Write, "creates a large object", false},
	"lo_from_bytea": {Write, "creates a large object", false},
	"lo_open":       {Write, "opens a large object, possibly for writing", false},
	"lo_unlink":     {Destructive, "deletes a large object", false},
	"lo_truncate":   {Destructive, "truncates a large object", false},
	"lo_truncate64": {Destructive, "truncates a large object", false},
	"lo_put":        {Destructive, "overwrites part of a large object", false},
	"lowrite":       {Destructive, "overwrites part of a large object", false},
	"lo_import":     {Destructive, "reads a file on the database host", true},
	"lo_export":     {Destructive, "writes (or overwrites) a file on the database host", true},

	// Server files (core and adminpack).
	"pg_read_file":        {Destructive, "reads a file on the database host", false},
	"pg_read_binary_file": {Destructive, "reads a file on the database host", false},
	"pg_read_file_old":    {Destructive, "reads a file on the database host", false},
	"pg_file_write":       {Destructive, "writes a file on the database host", true},
	"pg_file_rename":      {Destructive, "renames a file on the database host", true},
	"pg_file_unlink":      {Destructive, "deletes a file on the database host", true},
	"pg_file_sync":        {Write, "syncs a file on the database host", true},

	// Remote SQL (dblink): the remote side can do anything.
	"dblink_exec":         {Destructive, "runs SQL on another database", true},
	"dblink_send_query":   {Destructive, "runs SQL on another database", true},
	"dblink_connect":      {Write, "opens a connection to another database", true},
	"dblink_connect_u":    {Write, "opens a connection to another database", true},
	"dblink_disconnect":   {Write, "closes a connection to another database", true},
	"dblink_cancel_query": {Write, "cancels a query on another database", true},

	// Other contrib modules.
	"heap_force_kill":             {Destructive, "marks heap tuples dead without checks (pg_surgery)", true},
	"heap_force_freeze":           {Destructive, "freezes heap tuples without checks (pg_surgery)", true},
	"autoprewarm_dump_now":        {Write, "writes the autoprewarm file", true},
	"autoprewarm_start_worker":    {Write, "starts a background worker", true},
	"postgres_fdw_disconnect":     {Write, "closes foreign-server connections", true},
	"postgres_fdw_disconnect_all": {Write, "closes foreign-server connections", true},
}

// sqlArgFuncs run SQL given as a text argument: each returns the indexes
// of the arguments that hold SQL, given the call's arguments. A literal is
// analysed; anything else is opaque.
var sqlArgFuncs = map[string]func(args []*pg.Node) []int{
	"query_to_xml":               first,
	"query_to_xmlschema":         first,
	"query_to_xml_and_xmlschema": first,
	"ts_stat":                    first,
	"crosstab2":                  first,
	"crosstab3":                  first,
	"crosstab4":                  first,
	"crosstab": func(args []*pg.Node) []int {
		if len(args) >= 2 {
			return []int{0, 1} // source and category queries
		}
		return []int{0}
	},
	"ts_rewrite": func(args []*pg.Node) []int {
		if len(args) == 2 {
			return []int{1} // ts_rewrite(query, 'SELECT target, substitute ...')
		}
		return nil
	},
	"dblink": func(args []*pg.Node) []int {
		// dblink(sql), dblink(sql, fail), dblink(conn, sql), dblink(conn, sql, fail)
		switch {
		case len(args) == 1, len(args) == 2 && isBoolArg(args[1]):
			return []int{0}
		case len(args) >= 2:
			return []int{1}
		}
		return nil
	},
	"dblink_open": func(args []*pg.Node) []int {
		// dblink_open(cursor, sql[, fail]), dblink_open(conn, cursor, sql[, fail])
		switch {
		case len(args) == 2, len(args) == 3 && isBoolArg(args[2]):
			return []int{1}
		case len(args) >= 3:
			return []int{2}
		}
		return nil
	},
}

func first(args []*pg.Node) []int {
	if len(args) == 0 {
		return nil
	}
	return []int{0}
}

func isBoolArg(n *pg.Node) bool {
	c, ok := fold(n)
	return ok && c.kind == 'b'
}

// funcCall applies the function rules. It always lets the walk continue
// into the arguments.
func (s *state) funcCall(f *pg.FuncCall) bool {
	var parts []string
	for _, n := range f.Funcname {
		if sv := n.GetString_(); sv != nil {
			parts = append(parts, sv.Sval)
		}
	}
	if len(parts) == 0 {
		return true
	}
	written := strings.Join(parts, ".")
	name := strings.ToLower(parts[len(parts)-1])
	schema := ""
	if len(parts) > 1 {
		schema = strings.ToLower(parts[len(parts)-2])
	}
	builtinSchema := schema == "" || schema == "pg_catalog" || schema == "information_schema"

	if name == "set_config" && builtinSchema {
		s.setConfig(f)
		return true
	}
	if cf, ok := contribFuncs[name]; ok && (cf.ext == "dblink" || cf.ext == "adminpack") || strings.HasPrefix(name, "dblink") {
		// Another connection, or a file on the server: nothing a rollback
		// of this transaction undoes.
		s.add(Read, fmt.Sprintf("calls %s(), whose effects a rollback does not undo: not tried in a dry run", written), FlagUntryable)
	}
	if se, ok := sideEffects[name]; ok {
		var flags []Flag
		if se.untryable {
			flags = append(flags, FlagUntryable)
		}
		s.add(se.class, fmt.Sprintf("calls %s(), which %s", written, se.what), flags...)
		return true
	}
	if strings.HasPrefix(name, "binary_upgrade_") && builtinSchema {
		s.add(Destructive, fmt.Sprintf("calls %s(), a pg_upgrade internal that rewrites catalog state", written))
		return true
	}
	if idx, ok := sqlArgFuncs[name]; ok {
		s.sqlArg(f, written, idx(f.Args))
		return true
	}
	if builtinSchema {
		if _, ok := builtinVolatility[name]; ok {
			return true
		}
		if newerBuiltins[name] {
			return true
		}
	}
	// Contrib extensions install into any schema.
	if _, ok := contribFuncs[name]; ok {
		return true
	}
	if v, ok := s.function(strings.ToLower(written)); ok {
		for _, p := range v.parts {
			if p.reason != "" {
				p.reason = fmt.Sprintf("calls %s() (created earlier in this input): %s", written, p.reason)
			}
			s.parts = append(s.parts, p)
		}
		s.addCalls(v.Calls...)
		return true
	}
	s.addCalls(written)
	prev := s.call
	s.call = written
	s.add(Write, fmt.Sprintf("calls %s(), which is not a PostgreSQL built-in: the analyzer cannot see what it does", written), FlagOpaque)
	s.call = prev
	return true
}

// setConfig: set_config() is SET in function form.
func (s *state) setConfig(f *pg.FuncCall) {
	if len(f.Args) == 0 {
		return
	}
	c, ok := fold(f.Args[0])
	if !ok || c.kind != 's' {
		s.add(Write, "set_config() with a computed setting name could set session_replication_role", FlagOpaque)
		return
	}
	switch strings.ToLower(c.str) {
	case "transaction_read_only", "default_transaction_read_only":
		if len(f.Args) < 2 || !settingOn(f.Args[1:2]) {
			s.add(Write, "set_config('"+strings.ToLower(c.str)+"') can turn read-only off")
		}
	case "standard_conforming_strings":
		if len(f.Args) >= 2 {
			if v, ok := fold(f.Args[1]); ok && v.kind == 's' {
				if on, ok := ParseBool(v.str); ok {
					s.facts.SetsStandardStrings = &on
				}
			}
		}
	case "session_replication_role":
		s.add(Write, "set_config('session_replication_role') turns off triggers and foreign-key checks for what follows")
	case "role", "session_authorization":
		s.add(Read, "set_config('"+strings.ToLower(c.str)+"') changes the role the following statements run as", FlagChangesRole)
	}
}

// sqlArg analyses the SQL text passed to a function that runs it.
func (s *state) sqlArg(f *pg.FuncCall, written string, idx []int) {
	for _, i := range idx {
		if i >= len(f.Args) {
			continue
		}
		c, ok := fold(f.Args[i])
		if !ok || c.kind != 's' {
			s.add(Destructive, fmt.Sprintf("%s() runs SQL computed at run time", written), FlagOpaque)
			continue
		}
		before := len(s.parts)
		s.depth++
		quiet := s.quiet
		s.quiet = true // the SQL runs elsewhere or later: it teaches nothing here
		s.classifyText(c.str)
		s.quiet = quiet
		s.depth--
		for j := before; j < len(s.parts); j++ {
			s.parts[j].reason = written + "(): " + s.parts[j].reason
		}
	}
}

// newerBuiltins are side-effect-free functions added after PostgreSQL 15
// (the generated table's source) that pg_query's PostgreSQL 16 grammar
// accepts; without them a call would look opaque.
var newerBuiltins = map[string]bool{
	"system_user": true, "any_value": true, "random_normal": true, "array_sample": true,
	"array_shuffle": true, "pg_input_is_valid": true, "pg_input_error_info": true,
	"erf": true, "erfc": true, "date_add": true, "date_subtract": true,
	"pg_split_walfile_name": true, "json_scalar": true, "json_serialize": true,
}

// contribFunc describes a function of a contrib extension.
type contribFunc struct {
	ext string
	vol byte
}

// defineFunction analyses the body of a SQL or PL/pgSQL function being
// created, so that a later call in the same input has the class of what the
// body does rather than being opaque. Bodies in other languages stay opaque.
func (s *state) defineFunction(x *pg.CreateFunctionStmt) {
	if x.IsProcedure {
		return // CALL stays opaque, as the contract says
	}
	lang, body := "sql", ""
	for _, o := range x.Options {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		switch d.Defname {
		case "language":
			lang = strings.ToLower(defString(d))
		case "as":
			if l := d.Arg.GetList(); l != nil && len(l.Items) == 1 {
				if sv := l.Items[0].GetString_(); sv != nil {
					body = sv.Sval
				}
			} else if l != nil {
				lang = "c" // AS 'obj_file', 'link_symbol'
			}
		}
	}
	sub := s.sub()
	sub.readReason = "only reads"
	switch {
	case lang == "sql" && x.SqlBody != nil:
		sub.visitNode(x.SqlBody)
	case lang == "sql":
		sub.classifyText(body)
	case lang == "plpgsql":
		js, err := pg.ParsePlPgSQLToJSON(s.stmtText)
		if err != nil {
			sub.add(Destructive, "its PL/pgSQL body cannot be parsed: "+err.Error(), FlagUnparsed)
			break
		}
		var tree any
		if err := json.Unmarshal([]byte(js), &tree); err != nil {
			sub.add(Destructive, "its PL/pgSQL body cannot be read: "+err.Error(), FlagUnparsed)
			break
		}
		sub.plNode(tree, "")
	default:
		return
	}
	v := sub.verdict()
	key := strings.ToLower(joinNames(x.Funcname))
	v.lessons = nil
	if old, ok := s.function(key); ok {
		// Overloads share a name: a call may reach either.
		v.parts = append(append([]part(nil), old.parts...), v.parts...)
		v.Calls = appendNew(append([]string(nil), old.Calls...), v.Calls...)
	}
	s.teach(lesson{kind: lessonFunction, name: key, v: v})
}
