package describe

import (
	"fmt"
	"strconv"
	"strings"
)

// listTables is psql's listTables (\dt, \di, \dv, \dm, \ds, \dE and \d
// without a pattern): kinds holds the letters of the object kinds.
func (d *describer) listTables(kinds string, pattern *string, verbose, system bool) error {
	has := func(c byte) bool { return strings.IndexByte(kinds, c) >= 0 }
	tables, indexes, views, matViews, seqs, foreign := has('t'), has('i'), has('v'), has('m'), has('s'), has('E')
	if !tables && !indexes && !views && !matViews && !seqs && !foreign {
		tables, views, matViews, seqs, foreign = true, true, true, true, true
	}
	var b strings.Builder
	b.WriteString(`SELECT n.nspname as "Schema",
  c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner"`)
	if indexes {
		b.WriteString(",\n  c2.relname as \"Table\"")
	}
	if verbose {
		b.WriteString(",\n  CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' WHEN 'u' THEN 'unlogged' END as \"Persistence\"")
		if d.cfg.ServerVersion >= 120000 && !d.cfg.HideTableAM && (tables || matViews || indexes) {
			b.WriteString(",\n  am.amname as \"Access method\"")
		}
		b.WriteString(",\n  pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) as \"Size\"")
		b.WriteString(",\n  pg_catalog.obj_description(c.oid, 'pg_class') as \"Description\"")
	}
	b.WriteString("\nFROM pg_catalog.pg_class c\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace")
	if d.cfg.ServerVersion >= 120000 && (tables || matViews || indexes) {
		b.WriteString("\n     LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam")
	}
	if indexes {
		b.WriteString("\n     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid")
		b.WriteString("\n     LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid")
	}
	b.WriteString("\nWHERE c.relkind IN (")
	if tables {
		b.WriteString("'r','p',")
		if system || pattern != nil {
			b.WriteString("'t',")
		}
	}
	if views {
		b.WriteString("'v',")
	}
	if matViews {
		b.WriteString("'m',")
	}
	if indexes {
		b.WriteString("'i','I',")
	}
	if seqs {
		b.WriteString("'S',")
	}
	if system || pattern != nil {
		b.WriteString("'s',")
	}
	if foreign {
		b.WriteString("'f',")
	}
	b.WriteString("'')\n")
	if !system && pattern == nil {
		b.WriteString("      AND n.nspname <> 'pg_catalog'\n      AND n.nspname !~ '^pg_toast'\n      AND n.nspname <> 'information_schema'\n")
	}
	if _, err := d.processPattern(&b, pattern, true, false, "n.nspname", "c.relname", "", "pg_catalog.pg_table_is_visible(c.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1,2;")
	cols, rows, err := d.query(b.String())
	if err != nil {
		return err
	}
	if len(rows) == 0 && !d.cfg.Quiet {
		if pattern != nil {
			return &Error{Msg: fmt.Sprintf("Did not find any relation named \"%s\".", *pattern)}
		}
		return &Error{Msg: "Did not find any relations."}
	}
	return d.printQuery("List of relations", cols, rows, nil, true)
}

// listSchemas is \dn.
func (d *describer) listSchemas(pattern *string, verbose, system bool) error {
	var b strings.Builder
	b.WriteString("SELECT n.nspname AS \"Name\",\n  pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\"")
	if verbose {
		b.WriteString(",\n  pg_catalog.array_to_string(n.nspacl, E'\\n') AS \"Access privileges\"")
		b.WriteString(",\n  pg_catalog.obj_description(n.oid, 'pg_namespace') AS \"Description\"")
	}
	b.WriteString("\nFROM pg_catalog.pg_namespace n\n")
	if !system && pattern == nil {
		b.WriteString("WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'\n")
	}
	if _, err := d.processPattern(&b, pattern, !system && pattern == nil, false, "", "n.nspname", "", "", 2); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1;")
	cols, rows, err := d.query(b.String())
	if err != nil {
		return err
	}
	var footers []string
	if pattern != nil && d.cfg.ServerVersion >= 150000 {
		// psql pastes the pattern itself into this query; we quote it.
		_, pubs, err := d.query("SELECT pubname \nFROM pg_catalog.pg_publication p\n     JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid\n     JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid \nWHERE n.nspname = " + literal(*pattern) + "\nORDER BY 1")
		if err != nil {
			return err
		}
		if len(pubs) > 0 {
			footers = append(footers, "Publications:")
			for _, p := range pubs {
				footers = append(footers, fmt.Sprintf("    \"%s\"", p[0]))
			}
		}
	}
	return d.printQuery("List of schemas", cols, rows, footers, true)
}

// listFunctions is \df[anptw].
func (d *describer) listFunctions(types string, pattern *string, argTypes []string, verbose, system bool) error {
	if strings.Trim(types, "anptwS+") != "" {
		return &Error{Msg: `\df only takes [anptwS+] as options`}
	}
	has := func(c byte) bool { return strings.IndexByte(types, c) >= 0 }
	agg, normal, proc, trig, window := has('a'), has('n'), has('p'), has('t'), has('w')
	if !agg && !normal && !proc && !trig && !window {
		agg, normal, proc, trig, window = true, true, true, true, true
	}
	var b strings.Builder
	b.WriteString(`SELECT n.nspname as "Schema",
  p.proname as "Name",
  pg_catalog.pg_get_function_result(p.oid) as "Result data type",
  pg_catalog.pg_get_function_arguments(p.oid) as "Argument data types",
 CASE p.prokind
  WHEN 'a' THEN 'agg'
  WHEN 'w' THEN 'window'
  WHEN 'p' THEN 'proc'
  ELSE 'func'
 END as "Type"`)
	if verbose {
		b.WriteString(`,
 CASE
  WHEN p.provolatile = 'i' THEN 'immutable'
  WHEN p.provolatile = 's' THEN 'stable'
  WHEN p.provolatile = 'v' THEN 'volatile'
 END as "Volatility",
 CASE
  WHEN p.proparallel = 'r' THEN 'restricted'
  WHEN p.proparallel = 's' THEN 'safe'
  WHEN p.proparallel = 'u' THEN 'unsafe'
 END as "Parallel",
 pg_catalog.pg_get_userbyid(p.proowner) as "Owner",
 CASE WHEN prosecdef THEN 'definer' ELSE 'invoker' END AS "Security",
 pg_catalog.array_to_string(p.proacl, E'\n') AS "Access privileges",
 l.lanname as "Language",`)
		if d.cfg.ServerVersion >= 140000 {
			b.WriteString("\n COALESCE(pg_catalog.pg_get_function_sqlbody(p.oid), p.prosrc) as \"Source code\",")
		} else {
			b.WriteString("\n p.prosrc as \"Source code\",")
		}
		b.WriteString("\n pg_catalog.obj_description(p.oid, 'pg_proc') as \"Description\"")
	}
	b.WriteString("\nFROM pg_catalog.pg_proc p\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n")
	for i := range argTypes {
		fmt.Fprintf(&b, "     LEFT JOIN pg_catalog.pg_type t%[1]d ON t%[1]d.oid = p.proargtypes[%[1]d]\n     LEFT JOIN pg_catalog.pg_namespace nt%[1]d ON nt%[1]d.oid = t%[1]d.typnamespace\n", i)
	}
	if verbose {
		b.WriteString("     LEFT JOIN pg_catalog.pg_language l ON l.oid = p.prolang\n")
	}
	haveWhere := false
	and := func(cond string) {
		if haveWhere {
			b.WriteString("      AND ")
		} else {
			b.WriteString("WHERE ")
			haveWhere = true
		}
		b.WriteString(cond + "\n")
	}
	switch {
	case normal && agg && proc && trig && window:
	case normal:
		if !agg {
			and("p.prokind <> 'a'")
		}
		if !proc {
			and("p.prokind <> 'p'")
		}
		if !trig {
			and("p.prorettype <> 'pg_catalog.trigger'::pg_catalog.regtype")
		}
		if !window {
			and("p.prokind <> 'w'")
		}
	default:
		b.WriteString("WHERE (\n       ")
		haveWhere = true
		or := false
		add := func(cond string) {
			if or {
				b.WriteString("       OR ")
			}
			b.WriteString(cond + "\n")
			or = true
		}
		if agg {
			add("p.prokind = 'a'")
		}
		if trig {
			add("p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype")
		}
		if proc {
			add("p.prokind = 'p'")
		}
		if window {
			add("p.prokind = 'w'")
		}
		b.WriteString("      )\n")
	}
	added, err := d.processPattern(&b, pattern, haveWhere, false, "n.nspname", "p.proname", "", "pg_catalog.pg_function_is_visible(p.oid)", 3)
	if err != nil {
		return err
	}
	haveWhere = haveWhere || added
	for i, at := range argTypes {
		if at == "-" {
			and(fmt.Sprintf("t%d.typname IS NULL", i))
			continue
		}
		added, err := d.processPattern(&b, mapTypename(&at), haveWhere, false, fmt.Sprintf("nt%d.nspname", i), fmt.Sprintf("t%d.typname", i),
			fmt.Sprintf("pg_catalog.format_type(t%d.oid, NULL)", i), fmt.Sprintf("pg_catalog.pg_type_is_visible(t%d.oid)", i), 3)
		if err != nil {
			return err
		}
		haveWhere = haveWhere || added
	}
	if !system && pattern == nil {
		b.WriteString("      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n")
	}
	b.WriteString("ORDER BY 1, 2, 4;")
	return d.list("List of functions", b.String())
}

// typenameMap is psql's map_typename_pattern: names the grammar accepts
// that are neither pg_type's nor format_type's.
var typenameMap = [][2]string{
	{"decimal", "numeric"},
	{"float", "double precision"},
	{"int", "integer"},
	{"bool[]", "boolean[]"},
	{"decimal[]", "numeric[]"},
	{"float[]", "double precision[]"},
	{"float4[]", "real[]"},
	{"float8[]", "double precision[]"},
	{"int[]", "integer[]"},
	{"int2[]", "smallint[]"},
	{"int4[]", "integer[]"},
	{"int8[]", "bigint[]"},
	{"time[]", "time without time zone[]"},
	{"timetz[]", "time with time zone[]"},
	{"timestamp[]", "timestamp without time zone[]"},
	{"timestamptz[]", "timestamp with time zone[]"},
	{"varbit[]", "bit varying[]"},
	{"varchar[]", "character varying[]"},
}

// mapTypename is psql's map_typename_pattern.
func mapTypename(p *string) *string {
	if p == nil {
		return nil
	}
	for _, m := range typenameMap {
		if strings.EqualFold(*p, m[0]) {
			v := m[1]
			return &v
		}
	}
	return p
}

// listTypes is \dT.
func (d *describer) listTypes(pattern *string, verbose, system bool) error {
	var b strings.Builder
	b.WriteString("SELECT n.nspname as \"Schema\",\n  pg_catalog.format_type(t.oid, NULL) AS \"Name\",\n")
	if verbose {
		b.WriteString(`  t.typname AS "Internal name",
  CASE WHEN t.typrelid != 0
      THEN CAST('tuple' AS pg_catalog.text)
    WHEN t.typlen < 0
      THEN CAST('var' AS pg_catalog.text)
    ELSE CAST(t.typlen AS pg_catalog.text)
  END AS "Size",
  pg_catalog.array_to_string(
      ARRAY(
          SELECT e.enumlabel
          FROM pg_catalog.pg_enum e
          WHERE e.enumtypid = t.oid
          ORDER BY e.enumsortorder
      ),
      E'\n'
  ) AS "Elements",
  pg_catalog.pg_get_userbyid(t.typowner) AS "Owner",
pg_catalog.array_to_string(t.typacl, E'\n') AS "Access privileges",
    `)
	}
	b.WriteString("pg_catalog.obj_description(t.oid, 'pg_type') as \"Description\"\n")
	if !verbose {
		// psql indents this line by two spaces in the short form.
		s := b.String()
		b.Reset()
		b.WriteString(strings.Replace(s, "\npg_catalog.obj_description", "\n  pg_catalog.obj_description", 1))
	}
	b.WriteString("FROM pg_catalog.pg_type t\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n")
	b.WriteString("WHERE (t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid))\n")
	if pattern == nil || !strings.Contains(*pattern, "[]") {
		b.WriteString("  AND NOT EXISTS(SELECT 1 FROM pg_catalog.pg_type el WHERE el.oid = t.typelem AND el.typarray = t.oid)\n")
	}
	if !system && pattern == nil {
		b.WriteString("      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n")
	}
	if _, err := d.processPattern(&b, mapTypename(pattern), true, false, "n.nspname", "t.typname", "pg_catalog.format_type(t.oid, NULL)", "pg_catalog.pg_type_is_visible(t.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("List of data types", b.String())
}

// listRoles is \du and \dg.
func (d *describer) listRoles(pattern *string, verbose, system bool) error {
	var b strings.Builder
	b.WriteString(`SELECT r.rolname, r.rolsuper, r.rolinherit,
  r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,
  r.rolconnlimit, r.rolvaliduntil,
  ARRAY(SELECT b.rolname
        FROM pg_catalog.pg_auth_members m
        JOIN pg_catalog.pg_roles b ON (m.roleid = b.oid)
        WHERE m.member = r.oid) as memberof`)
	if verbose {
		b.WriteString("\n, pg_catalog.shobj_description(r.oid, 'pg_authid') AS description")
	}
	b.WriteString("\n, r.rolreplication\n, r.rolbypassrls\nFROM pg_catalog.pg_roles r\n")
	if !system && pattern == nil {
		b.WriteString("WHERE r.rolname !~ '^pg_'\n")
	}
	if _, err := d.processPattern(&b, pattern, false, false, "", "r.rolname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1;")
	_, rows, err := d.query(b.String())
	if err != nil {
		return err
	}
	headers := []string{"Role name", "Attributes", "Member of"}
	if verbose {
		headers = append(headers, "Description")
	}
	repl, bypass := 9, 10
	if verbose {
		repl, bypass = 10, 11
	}
	cells := make([][]string, 0, len(rows))
	for _, r := range rows {
		var attrs []string
		t := func(i int) bool { return str(r[i]) == "t" }
		if t(1) {
			attrs = append(attrs, "Superuser")
		}
		if !t(2) {
			attrs = append(attrs, "No inheritance")
		}
		if t(3) {
			attrs = append(attrs, "Create role")
		}
		if t(4) {
			attrs = append(attrs, "Create DB")
		}
		if !t(5) {
			attrs = append(attrs, "Cannot login")
		}
		if t(repl) {
			attrs = append(attrs, "Replication")
		}
		if t(bypass) {
			attrs = append(attrs, "Bypass RLS")
		}
		a := strings.Join(attrs, ", ")
		if conns, _ := strconv.Atoi(str(r[6])); conns >= 0 {
			if a != "" {
				a += "\n"
			}
			switch conns {
			case 0:
				a += "No connections"
			case 1:
				a += "1 connection"
			default:
				a += strconv.Itoa(conns) + " connections"
			}
		}
		if v := str(r[7]); v != "" {
			if a != "" {
				a += "\n"
			}
			a += "Password valid until " + v
		}
		row := []string{str(r[0]), a, str(r[8])}
		if verbose {
			row = append(row, str(r[9]))
		}
		cells = append(cells, row)
	}
	return d.printTable("List of roles", headers, cells, nil)
}

// listExtensions is \dx.
func (d *describer) listExtensions(pattern *string) error {
	var b strings.Builder
	b.WriteString(`SELECT e.extname AS "Name", e.extversion AS "Version", n.nspname AS "Schema", c.description AS "Description"
FROM pg_catalog.pg_extension e LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace LEFT JOIN pg_catalog.pg_description c ON c.objoid = e.oid AND c.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass
`)
	if _, err := d.processPattern(&b, pattern, false, false, "", "e.extname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1;")
	return d.list("List of installed extensions", b.String())
}

// extensionContents is \dx+: one table per extension.
func (d *describer) extensionContents(pattern *string) error {
	var b strings.Builder
	b.WriteString("SELECT e.extname, e.oid\nFROM pg_catalog.pg_extension e\n")
	if _, err := d.processPattern(&b, pattern, false, false, "", "e.extname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1;")
	_, exts, err := d.query(b.String())
	if err != nil {
		return err
	}
	if len(exts) == 0 {
		if d.cfg.Quiet {
			return &Error{Failed: true}
		}
		if pattern != nil {
			return failf(fmt.Sprintf("Did not find any extension named \"%s\".", *pattern))
		}
		return failf("Did not find any extensions.")
	}
	for _, e := range exts {
		sql := "SELECT pg_catalog.pg_describe_object(classid, objid, 0) AS \"Object description\"\n" +
			"FROM pg_catalog.pg_depend\n" +
			"WHERE refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND refobjid = '" + str(e[1]) + "' AND deptype = 'e'\n" +
			"ORDER BY 1;"
		if err := d.list(fmt.Sprintf("Objects in extension \"%s\"", e[0]), sql); err != nil {
			return err
		}
	}
	return nil
}

// permissions is \dp and \z.
func (d *describer) permissions(pattern *string) error {
	var b strings.Builder
	b.WriteString(`SELECT n.nspname as "Schema",
  c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' END as "Type",
  pg_catalog.array_to_string(c.relacl, E'\n') AS "Access privileges",
  pg_catalog.array_to_string(ARRAY(
    SELECT attname || E':\n  ' || pg_catalog.array_to_string(attacl, E'\n  ')
    FROM pg_catalog.pg_attribute a
    WHERE attrelid = c.oid AND NOT attisdropped AND attacl IS NOT NULL
  ), E'\n') AS "Column privileges",
  pg_catalog.array_to_string(ARRAY(
    SELECT polname
    || CASE WHEN NOT polpermissive THEN
       E' (RESTRICTIVE)'
       ELSE '' END
    || CASE WHEN polcmd != '*' THEN
           E' (' || polcmd::pg_catalog.text || E'):'
       ELSE E':'
       END
    || CASE WHEN polqual IS NOT NULL THEN
           E'\n  (u): ' || pg_catalog.pg_get_expr(polqual, polrelid)
       ELSE E''
       END
    || CASE WHEN polwithcheck IS NOT NULL THEN
           E'\n  (c): ' || pg_catalog.pg_get_expr(polwithcheck, polrelid)
       ELSE E''
       END    || CASE WHEN polroles <> '{0}' THEN
           E'\n  to: ' || pg_catalog.array_to_string(
               ARRAY(
                   SELECT rolname
                   FROM pg_catalog.pg_roles
                   WHERE oid = ANY (polroles)
                   ORDER BY 1
               ), E', ')
       ELSE E''
       END
    FROM pg_catalog.pg_policy pol
    WHERE polrelid = c.oid), E'\n')
    AS "Policies"
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r','v','m','S','f','p')
`)
	if _, err := d.processPattern(&b, pattern, true, false, "n.nspname", "c.relname", "", "n.nspname !~ '^pg_' AND pg_catalog.pg_table_is_visible(c.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("Access privileges", b.String())
}

// listDatabases is \l.
func (d *describer) listDatabases(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString(`SELECT d.datname as "Name",
       pg_catalog.pg_get_userbyid(d.datdba) as "Owner",
       pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding",
       d.datcollate as "Collate",
       d.datctype as "Ctype",
`)
	if d.cfg.ServerVersion >= 150000 {
		b.WriteString("       d.daticulocale as \"ICU Locale\",\n       CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS \"Locale Provider\",\n")
	}
	b.WriteString("       pg_catalog.array_to_string(d.datacl, E'\\n') AS \"Access privileges\"")
	if verbose {
		b.WriteString(`,
       CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT')
            THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname))
            ELSE 'No Access'
       END as "Size",
       t.spcname as "Tablespace",
       pg_catalog.shobj_description(d.oid, 'pg_database') as "Description"`)
	}
	b.WriteString("\nFROM pg_catalog.pg_database d\n")
	if verbose {
		b.WriteString("  JOIN pg_catalog.pg_tablespace t on d.dattablespace = t.oid\n")
	}
	if _, err := d.processPattern(&b, pattern, false, false, "", "d.datname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1;")
	return d.list("List of databases", b.String())
}
