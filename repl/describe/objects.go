package describe

import (
	"fmt"
	"strings"

	"github.com/safesql/safesql/repl/render"
)

// This file holds the listing commands for objects other than relations,
// functions, types, roles and databases: \dD, \db, \dd, \do, \dy, \dconfig,
// \dP, \dC, \dL, \dc, \ddp, \dX, \da, \dl and \dO.

// noDots is a maxParts for the patterns psql does not check for dots at
// all (\dconfig): every dot is part of the name.
const noDots = 1 << 30

// hideSystem appends psql's filter of the system schemas: WHERE or AND
// first, as haveWhere says, then the second line.
func hideSystem(b *strings.Builder, haveWhere bool) {
	if haveWhere {
		b.WriteString("      AND n.nspname <> 'pg_catalog'\n")
	} else {
		b.WriteString("WHERE n.nspname <> 'pg_catalog'\n")
	}
	b.WriteString("      AND n.nspname <> 'information_schema'\n")
}

// listDomains is \dD.
func (d *describer) listDomains(pattern *string, verbose, system bool) error {
	var b strings.Builder
	b.WriteString(`SELECT n.nspname as "Schema",
       t.typname as "Name",
       pg_catalog.format_type(t.typbasetype, t.typtypmod) as "Type",
       (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type bt
        WHERE c.oid = t.typcollation AND bt.oid = t.typbasetype AND t.typcollation <> bt.typcollation) as "Collation",
       CASE WHEN t.typnotnull THEN 'not null' END as "Nullable",
       t.typdefault as "Default",
       pg_catalog.array_to_string(ARRAY(
         SELECT pg_catalog.pg_get_constraintdef(r.oid, true) FROM pg_catalog.pg_constraint r WHERE t.oid = r.contypid
       ), ' ') as "Check"`)
	if verbose {
		b.WriteString(",\n  pg_catalog.array_to_string(t.typacl, E'\\n') AS \"Access privileges\",\n       d.description as \"Description\"")
	}
	b.WriteString("\nFROM pg_catalog.pg_type t\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n")
	if verbose {
		b.WriteString("     LEFT JOIN pg_catalog.pg_description d ON d.classoid = t.tableoid AND d.objoid = t.oid AND d.objsubid = 0\n")
	}
	b.WriteString("WHERE t.typtype = 'd'\n")
	if !system && pattern == nil {
		hideSystem(&b, true)
	}
	if _, err := d.processPattern(&b, pattern, true, false, "n.nspname", "t.typname", "", "pg_catalog.pg_type_is_visible(t.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("List of domains", b.String())
}

// listTablespaces is \db.
func (d *describer) listTablespaces(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString("SELECT spcname AS \"Name\",\n  pg_catalog.pg_get_userbyid(spcowner) AS \"Owner\",\n  pg_catalog.pg_tablespace_location(oid) AS \"Location\"")
	if verbose {
		b.WriteString(",\n  pg_catalog.array_to_string(spcacl, E'\\n') AS \"Access privileges\"")
		b.WriteString(",\n  spcoptions AS \"Options\"")
		b.WriteString(",\n  pg_catalog.pg_size_pretty(pg_catalog.pg_tablespace_size(oid)) AS \"Size\"")
		b.WriteString(",\n  pg_catalog.shobj_description(oid, 'pg_tablespace') AS \"Description\"")
	}
	b.WriteString("\nFROM pg_catalog.pg_tablespace\n")
	if _, err := d.processPattern(&b, pattern, false, false, "", "spcname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1;")
	return d.list("List of tablespaces", b.String())
}

// objectDescriptions is \dd: the comments of constraints, operator classes
// and families, rules and triggers.
func (d *describer) objectDescriptions(pattern *string, system bool) error {
	var b strings.Builder
	hide := !system && pattern == nil
	// section appends one arm of the union: head ends where the filters
	// start; haveWhere says whether it already has its WHERE.
	section := func(head string, haveWhere bool, nameVar, visibility string) error {
		b.WriteString(head)
		if hide {
			hideSystem(&b, haveWhere)
			haveWhere = true
		}
		_, err := d.processPattern(&b, pattern, haveWhere, false, "n.nspname", nameVar, "", visibility, 3)
		return err
	}
	b.WriteString(`SELECT DISTINCT tt.nspname AS "Schema", tt.name AS "Name", tt.object AS "Object", d.description AS "Description"
FROM (
`)
	if err := section(`  SELECT pgc.oid as oid, pgc.tableoid AS tableoid,
  n.nspname as nspname,
  CAST(pgc.conname AS pg_catalog.text) as name,  CAST('table constraint' AS pg_catalog.text) as object
  FROM pg_catalog.pg_constraint pgc
    JOIN pg_catalog.pg_class c ON c.oid = pgc.conrelid
    LEFT JOIN pg_catalog.pg_namespace n     ON n.oid = c.relnamespace
`, false, "pgc.conname", "pg_catalog.pg_table_is_visible(c.oid)"); err != nil {
		return err
	}
	if err := section(`UNION ALL
  SELECT pgc.oid as oid, pgc.tableoid AS tableoid,
  n.nspname as nspname,
  CAST(pgc.conname AS pg_catalog.text) as name,  CAST('domain constraint' AS pg_catalog.text) as object
  FROM pg_catalog.pg_constraint pgc
    JOIN pg_catalog.pg_type t ON t.oid = pgc.contypid
    LEFT JOIN pg_catalog.pg_namespace n     ON n.oid = t.typnamespace
`, false, "pgc.conname", "pg_catalog.pg_type_is_visible(t.oid)"); err != nil {
		return err
	}
	if err := section(`UNION ALL
  SELECT o.oid as oid, o.tableoid as tableoid,
  n.nspname as nspname,
  CAST(o.opcname AS pg_catalog.text) as name,
  CAST('operator class' AS pg_catalog.text) as object
  FROM pg_catalog.pg_opclass o
    JOIN pg_catalog.pg_am am ON o.opcmethod = am.oid
    JOIN pg_catalog.pg_namespace n ON n.oid = o.opcnamespace
`, true, "o.opcname", "pg_catalog.pg_opclass_is_visible(o.oid)"); err != nil {
		return err
	}
	if err := section(`UNION ALL
  SELECT opf.oid as oid, opf.tableoid as tableoid,
  n.nspname as nspname,
  CAST(opf.opfname AS pg_catalog.text) AS name,
  CAST('operator family' AS pg_catalog.text) as object
  FROM pg_catalog.pg_opfamily opf
    JOIN pg_catalog.pg_am am ON opf.opfmethod = am.oid
    JOIN pg_catalog.pg_namespace n ON opf.opfnamespace = n.oid
`, true, "opf.opfname", "pg_catalog.pg_opfamily_is_visible(opf.oid)"); err != nil {
		return err
	}
	if err := section(`UNION ALL
  SELECT r.oid as oid, r.tableoid as tableoid,
  n.nspname as nspname,
  CAST(r.rulename AS pg_catalog.text) as name,  CAST('rule' AS pg_catalog.text) as object
  FROM pg_catalog.pg_rewrite r
       JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
       LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE r.rulename != '_RETURN'
`, true, "r.rulename", "pg_catalog.pg_table_is_visible(c.oid)"); err != nil {
		return err
	}
	if err := section(`UNION ALL
  SELECT t.oid as oid, t.tableoid as tableoid,
  n.nspname as nspname,
  CAST(t.tgname AS pg_catalog.text) as name,  CAST('trigger' AS pg_catalog.text) as object
  FROM pg_catalog.pg_trigger t
       JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
       LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
`, false, "t.tgname", "pg_catalog.pg_table_is_visible(c.oid)"); err != nil {
		return err
	}
	b.WriteString(`) AS tt
  JOIN pg_catalog.pg_description d ON (tt.oid = d.objoid AND tt.tableoid = d.classoid AND d.objsubid = 0)
ORDER BY 1, 2, 3;`)
	return d.list("Object descriptions", b.String())
}

// typePatterns appends the joins and filters of \df's and \do's argument
// type patterns: column k of the joined types is cols[k] ("-" is no such
// argument). It returns the filters; the joins go to joins.
func (d *describer) typePatterns(joins *strings.Builder, cols, argTypes []string) (string, error) {
	var w strings.Builder
	for i, at := range argTypes {
		fmt.Fprintf(joins, "     LEFT JOIN pg_catalog.pg_type t%[1]d ON t%[1]d.oid = %[2]s\n     LEFT JOIN pg_catalog.pg_namespace nt%[1]d ON nt%[1]d.oid = t%[1]d.typnamespace\n", i, cols[i])
		if at == "-" {
			fmt.Fprintf(&w, "  AND t%d.typname IS NULL\n", i)
			continue
		}
		if _, err := d.processPattern(&w, mapTypename(&at), true, false, fmt.Sprintf("nt%d.nspname", i), fmt.Sprintf("t%d.typname", i),
			fmt.Sprintf("pg_catalog.format_type(t%d.oid, NULL)", i), fmt.Sprintf("pg_catalog.pg_type_is_visible(t%d.oid)", i), 3); err != nil {
			return "", err
		}
	}
	return w.String(), nil
}

// listOperators is \do: argTypes are the left and right operand type
// patterns; one alone is the right operand of a prefix operator.
func (d *describer) listOperators(pattern *string, argTypes []string, verbose, system bool) error {
	if len(argTypes) > 2 {
		argTypes = argTypes[:2]
	}
	var b strings.Builder
	b.WriteString(`SELECT n.nspname as "Schema",
  o.oprname AS "Name",
  CASE WHEN o.oprkind='l' THEN NULL ELSE pg_catalog.format_type(o.oprleft, NULL) END AS "Left arg type",
  CASE WHEN o.oprkind='r' THEN NULL ELSE pg_catalog.format_type(o.oprright, NULL) END AS "Right arg type",
  pg_catalog.format_type(o.oprresult, NULL) AS "Result type",
`)
	if verbose {
		b.WriteString("  o.oprcode AS \"Function\",\n")
	}
	b.WriteString(`  coalesce(pg_catalog.obj_description(o.oid, 'pg_operator'),
           pg_catalog.obj_description(o.oprcode, 'pg_proc')) AS "Description"
FROM pg_catalog.pg_operator o
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
`)
	cols := []string{"o.oprleft", "o.oprright"}
	if len(argTypes) == 1 {
		cols = []string{"o.oprright"}
	}
	filters, err := d.typePatterns(&b, cols, argTypes)
	if err != nil {
		return err
	}
	haveWhere := false
	if !system && pattern == nil {
		hideSystem(&b, false)
		haveWhere = true
	}
	added, err := d.processPattern(&b, pattern, haveWhere, true, "n.nspname", "o.oprname", "", "pg_catalog.pg_operator_is_visible(o.oid)", 3)
	if err != nil {
		return err
	}
	haveWhere = haveWhere || added
	if len(argTypes) == 1 {
		filters = "  AND o.oprleft = 0\n" + filters
	}
	if filters != "" {
		if !haveWhere {
			filters = "WHERE " + strings.TrimPrefix(filters, "  AND ")
		}
		b.WriteString(filters)
	}
	b.WriteString("ORDER BY 1, 2, 3, 4;")
	return d.list("List of operators", b.String())
}

// listEventTriggers is \dy.
func (d *describer) listEventTriggers(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString(`SELECT evtname as "Name", evtevent as "Event", pg_catalog.pg_get_userbyid(e.evtowner) as "Owner",
 case evtenabled when 'O' then 'enabled'  when 'R' then 'replica'  when 'A' then 'always'  when 'D' then 'disabled' end as "Enabled",
 e.evtfoid::pg_catalog.regproc as "Function", pg_catalog.array_to_string(array(select x from pg_catalog.unnest(evttags) as t(x)), ', ') as "Tags"`)
	if verbose {
		b.WriteString(",\npg_catalog.obj_description(e.oid, 'pg_event_trigger') as \"Description\"")
	}
	b.WriteString("\nFROM pg_catalog.pg_event_trigger e ")
	if _, err := d.processPattern(&b, pattern, false, false, "", "evtname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1")
	return d.list("List of event triggers", b.String())
}

// listConfig is \dconfig.
func (d *describer) listConfig(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString(`SELECT s.name AS "Parameter", pg_catalog.current_setting(s.name) AS "Value"`)
	if verbose {
		b.WriteString(`, s.vartype AS "Type", s.context AS "Context", pg_catalog.array_to_string(p.paracl, E'\n') AS "Access privileges"`)
	}
	b.WriteString("\nFROM pg_catalog.pg_settings s\n")
	if verbose {
		b.WriteString("  LEFT JOIN pg_catalog.pg_parameter_acl p\n  ON pg_catalog.lower(s.name) = p.parname\n")
	}
	if pattern != nil {
		if _, err := d.processPattern(&b, pattern, false, false, "", "pg_catalog.lower(s.name)", "", "", noDots); err != nil {
			return err
		}
	} else {
		b.WriteString("WHERE s.source <> 'default' AND\n      s.setting IS DISTINCT FROM s.boot_val\n")
	}
	b.WriteString("ORDER BY 1;")
	title := "List of configuration parameters"
	if pattern == nil {
		title = "List of non-default configuration parameters"
	}
	return d.list(title, b.String())
}

// listPartitioned is \dP[itn]: kinds holds the letters after \dP.
func (d *describer) listPartitioned(kinds string, pattern *string, verbose bool) error {
	has := func(c byte) bool { return strings.IndexByte(kinds, c) >= 0 }
	tables, indexes, nested := has('t'), has('i'), has('n')
	if !tables && !indexes {
		tables, indexes = true, true
	}
	mixed := tables && indexes
	// A pattern shows partitions too, without the leaf sizes of \dPn+.
	parents := nested || pattern != nil
	title := "List of partitioned relations"
	switch {
	case !indexes:
		title = "List of partitioned tables"
	case !tables:
		title = "List of partitioned indexes"
	}
	var b strings.Builder
	b.WriteString("SELECT n.nspname as \"Schema\",\n  c.relname as \"Name\",\n  pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\"")
	if mixed {
		b.WriteString(",\n  CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as \"Type\"")
	}
	if parents {
		b.WriteString(",\n  inh.inhparent::pg_catalog.regclass as \"Parent name\"")
	}
	if indexes {
		b.WriteString(",\n c2.oid::pg_catalog.regclass as \"Table\"")
	}
	if verbose {
		if nested {
			b.WriteString(",\n  s.dps as \"Leaf partition size\"")
		}
		b.WriteString(",\n  s.tps as \"Total size\"")
		b.WriteString(",\n  pg_catalog.obj_description(c.oid, 'pg_class') as \"Description\"")
	}
	b.WriteString("\nFROM pg_catalog.pg_class c\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace")
	if indexes {
		b.WriteString("\n     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid\n     LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid")
	}
	if parents {
		b.WriteString("\n     LEFT JOIN pg_catalog.pg_inherits inh ON c.oid = inh.inhrelid")
	}
	if verbose {
		b.WriteString(`,
     LATERAL (SELECT pg_catalog.pg_size_pretty(sum(
                 CASE WHEN ppt.isleaf AND ppt.level = 1
                      THEN pg_catalog.pg_table_size(ppt.relid) ELSE 0 END)) AS dps,
                     pg_catalog.pg_size_pretty(sum(pg_catalog.pg_table_size(ppt.relid))) AS tps
              FROM pg_catalog.pg_partition_tree(c.oid) ppt) s`)
	}
	b.WriteString("\nWHERE c.relkind IN (")
	if tables {
		b.WriteString("'p',")
	}
	if indexes {
		b.WriteString("'I',")
	}
	b.WriteString("'')\n")
	if !parents {
		b.WriteString(" AND NOT c.relispartition\n")
	}
	if pattern == nil {
		b.WriteString("      AND n.nspname <> 'pg_catalog'\n      AND n.nspname !~ '^pg_toast'\n      AND n.nspname <> 'information_schema'\n")
	}
	if _, err := d.processPattern(&b, pattern, true, false, "n.nspname", "c.relname", "", "pg_catalog.pg_table_is_visible(c.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY \"Schema\", ")
	if mixed {
		b.WriteString("\"Type\" DESC, ")
	}
	if parents {
		b.WriteString("\"Parent name\" NULLS FIRST, ")
	}
	b.WriteString("\"Name\";")
	return d.list(title, b.String())
}

// listCasts is \dC: the pattern names the source or the target type.
func (d *describer) listCasts(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString(`SELECT pg_catalog.format_type(castsource, NULL) AS "Source type",
       pg_catalog.format_type(casttarget, NULL) AS "Target type",
       CASE WHEN c.castmethod = 'b' THEN '(binary coercible)'
            WHEN c.castmethod = 'i' THEN '(with inout)'
            ELSE p.proname
       END AS "Function",
       CASE WHEN c.castcontext = 'e' THEN 'no'
            WHEN c.castcontext = 'a' THEN 'in assignment'
            ELSE 'yes'
       END AS "Implicit?"`)
	if verbose {
		b.WriteString(",\n       d.description AS \"Description\"")
	}
	b.WriteString(`
FROM pg_catalog.pg_cast c LEFT JOIN pg_catalog.pg_proc p
     ON c.castfunc = p.oid
     LEFT JOIN pg_catalog.pg_type ts
     ON c.castsource = ts.oid
     LEFT JOIN pg_catalog.pg_namespace ns
     ON ns.oid = ts.typnamespace
     LEFT JOIN pg_catalog.pg_type tt
     ON c.casttarget = tt.oid
     LEFT JOIN pg_catalog.pg_namespace nt
     ON nt.oid = tt.typnamespace
`)
	if verbose {
		b.WriteString("     LEFT JOIN pg_catalog.pg_description d\n     ON d.classoid = c.tableoid AND d.objoid = c.oid AND d.objsubid = 0\n")
	}
	b.WriteString("WHERE ( (true")
	if _, err := d.processPattern(&b, pattern, true, false, "ns.nspname", "ts.typname", "pg_catalog.format_type(ts.oid, NULL)", "pg_catalog.pg_type_is_visible(ts.oid)", 3); err != nil {
		return err
	}
	b.WriteString(") OR (true")
	if _, err := d.processPattern(&b, pattern, true, false, "nt.nspname", "tt.typname", "pg_catalog.format_type(tt.oid, NULL)", "pg_catalog.pg_type_is_visible(tt.oid)", 3); err != nil {
		return err
	}
	b.WriteString(") )\nORDER BY 1, 2;")
	return d.list("List of casts", b.String())
}

// listLanguages is \dL.
func (d *describer) listLanguages(pattern *string, verbose, system bool) error {
	var b strings.Builder
	b.WriteString(`SELECT l.lanname AS "Name",
       pg_catalog.pg_get_userbyid(l.lanowner) as "Owner",
       l.lanpltrusted AS "Trusted"`)
	if verbose {
		b.WriteString(`,
       NOT l.lanispl AS "Internal language",
       l.lanplcallfoid::pg_catalog.regprocedure AS "Call handler",
       l.lanvalidator::pg_catalog.regprocedure AS "Validator",
       l.laninline::pg_catalog.regprocedure AS "Inline handler",
       pg_catalog.array_to_string(l.lanacl, E'\n') AS "Access privileges"`)
	}
	b.WriteString(`,
       d.description AS "Description"
FROM pg_catalog.pg_language l
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = l.tableoid AND d.objoid = l.oid
  AND d.objsubid = 0
`)
	haveWhere := false
	if !system && pattern == nil {
		b.WriteString("WHERE l.lanplcallfoid != 0\n")
		haveWhere = true
	}
	if _, err := d.processPattern(&b, pattern, haveWhere, false, "", "l.lanname", "", "", 2); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1;")
	return d.list("List of languages", b.String())
}

// listConversions is \dc.
func (d *describer) listConversions(pattern *string, verbose, system bool) error {
	var b strings.Builder
	b.WriteString(`SELECT n.nspname AS "Schema",
       c.conname AS "Name",
       pg_catalog.pg_encoding_to_char(c.conforencoding) AS "Source",
       pg_catalog.pg_encoding_to_char(c.contoencoding) AS "Destination",
       CASE WHEN c.condefault THEN 'yes'
       ELSE 'no' END AS "Default?"`)
	if verbose {
		b.WriteString(",\n       d.description AS \"Description\"")
	}
	b.WriteString("\nFROM pg_catalog.pg_conversion c\n     JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace\n")
	if verbose {
		b.WriteString("LEFT JOIN pg_catalog.pg_description d ON d.classoid = c.tableoid\n          AND d.objoid = c.oid AND d.objsubid = 0\n")
	}
	b.WriteString("WHERE true\n")
	if !system && pattern == nil {
		b.WriteString("  AND n.nspname <> 'pg_catalog'\n  AND n.nspname <> 'information_schema'\n")
	}
	if _, err := d.processPattern(&b, pattern, true, false, "n.nspname", "c.conname", "", "pg_catalog.pg_conversion_is_visible(c.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("List of conversions", b.String())
}

// listDefaultACLs is \ddp: the pattern names the schema or the owner.
func (d *describer) listDefaultACLs(pattern *string) error {
	var b strings.Builder
	b.WriteString(`SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS "Owner",
  n.nspname AS "Schema",
  CASE d.defaclobjtype WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'function' WHEN 'T' THEN 'type' WHEN 'n' THEN 'schema' END AS "Type",
  pg_catalog.array_to_string(d.defaclacl, E'\n') AS "Access privileges"
FROM pg_catalog.pg_default_acl d
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
`)
	if _, err := d.processPattern(&b, pattern, false, false, "", "n.nspname", "pg_catalog.pg_get_userbyid(d.defaclrole)", "", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2, 3;")
	return d.list("Default access privileges", b.String())
}

// listExtendedStats is \dX.
func (d *describer) listExtendedStats(pattern *string) error {
	var b strings.Builder
	b.WriteString(`SELECT 
es.stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS "Schema", 
es.stxname AS "Name", 
pg_catalog.format('%s FROM %s', 
  pg_catalog.pg_get_statisticsobjdef_columns(es.oid), 
  es.stxrelid::pg_catalog.regclass) AS "Definition",
CASE WHEN 'd' = any(es.stxkind) THEN 'defined' 
END AS "Ndistinct", 
CASE WHEN 'f' = any(es.stxkind) THEN 'defined' 
END AS "Dependencies",
CASE WHEN 'm' = any(es.stxkind) THEN 'defined' 
END AS "MCV"  
FROM pg_catalog.pg_statistic_ext es 
`)
	if _, err := d.processPattern(&b, pattern, false, false, "es.stxnamespace::pg_catalog.regnamespace::pg_catalog.text", "es.stxname", "", "pg_catalog.pg_statistics_obj_is_visible(es.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("List of extended statistics", b.String())
}

// listAggregates is \da.
func (d *describer) listAggregates(pattern *string, system bool) error {
	var b strings.Builder
	b.WriteString(`SELECT n.nspname as "Schema",
  p.proname AS "Name",
  pg_catalog.format_type(p.prorettype, NULL) AS "Result data type",
  CASE WHEN p.pronargs = 0
    THEN CAST('*' AS pg_catalog.text)
    ELSE pg_catalog.pg_get_function_arguments(p.oid)
  END AS "Argument data types",
  pg_catalog.obj_description(p.oid, 'pg_proc') as "Description"
FROM pg_catalog.pg_proc p
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind = 'a'
`)
	if !system && pattern == nil {
		hideSystem(&b, true)
	}
	if _, err := d.processPattern(&b, pattern, true, false, "n.nspname", "p.proname", "", "pg_catalog.pg_function_is_visible(p.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2, 4;")
	return d.list("List of aggregate functions", b.String())
}

// listLargeObjects is \dl and \lo_list.
func (d *describer) listLargeObjects(verbose bool) error {
	var b strings.Builder
	b.WriteString("SELECT oid as \"ID\",\n  pg_catalog.pg_get_userbyid(lomowner) as \"Owner\",\n")
	if verbose {
		b.WriteString("  pg_catalog.array_to_string(lomacl, E'\\n') AS \"Access privileges\",\n")
	}
	b.WriteString("  pg_catalog.obj_description(oid, 'pg_largeobject') as \"Description\"\nFROM pg_catalog.pg_largeobject_metadata\nORDER BY oid")
	return d.list("Large objects", b.String())
}

// listCollations is \dO.
func (d *describer) listCollations(pattern *string, verbose, system bool) error {
	var b strings.Builder
	b.WriteString(`SELECT n.nspname AS "Schema",
       c.collname AS "Name",
       c.collcollate AS "Collate",
       c.collctype AS "Ctype"`)
	if d.cfg.ServerVersion >= 150000 {
		b.WriteString(",\n       c.colliculocale AS \"ICU Locale\"")
	}
	b.WriteString(`,
       CASE c.collprovider WHEN 'd' THEN 'default' WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS "Provider",
       CASE WHEN c.collisdeterministic THEN 'yes' ELSE 'no' END AS "Deterministic?"`)
	if verbose {
		b.WriteString(",\n       pg_catalog.obj_description(c.oid, 'pg_collation') AS \"Description\"")
	}
	b.WriteString("\nFROM pg_catalog.pg_collation c, pg_catalog.pg_namespace n\nWHERE n.oid = c.collnamespace\n")
	if !system && pattern == nil {
		hideSystem(&b, true)
	}
	b.WriteString("      AND c.collencoding IN (-1, pg_catalog.pg_char_to_encoding(pg_catalog.getdatabaseencoding()))\n")
	if _, err := d.processPattern(&b, pattern, true, false, "n.nspname", "c.collname", "", "pg_catalog.pg_collation_is_visible(c.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("List of collations", b.String())
}

// listTSConfigs is \dF.
func (d *describer) listTSConfigs(pattern *string, verbose bool) error {
	if verbose {
		return d.describeTSConfigs(pattern)
	}
	var b strings.Builder
	b.WriteString(`SELECT
   n.nspname as "Schema",
   c.cfgname as "Name",
   pg_catalog.obj_description(c.oid, 'pg_ts_config') as "Description"
FROM pg_catalog.pg_ts_config c
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace
`)
	if _, err := d.processPattern(&b, pattern, false, false, "n.nspname", "c.cfgname", "", "pg_catalog.pg_ts_config_is_visible(c.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("List of text search configurations", b.String())
}

// notFound is psql's message for a \dF+ or \dFp+ that matched nothing:
// the command failed, silently under QUIET.
func (d *describer) notFound(what, plural string, pattern *string) error {
	if d.cfg.Quiet {
		return &Error{Failed: true}
	}
	if pattern != nil {
		return failf(fmt.Sprintf("Did not find any %s named \"%s\".", what, *pattern))
	}
	return failf(fmt.Sprintf("Did not find any %s.", plural))
}

// qualified is "schema.name", or "name" when the schema is NULL.
func qualified(schema, name []byte) string {
	if schema == nil {
		return string(name)
	}
	return string(schema) + "." + string(name)
}

// describeTSConfigs is \dF+: each configuration's token mappings.
func (d *describer) describeTSConfigs(pattern *string) error {
	var b strings.Builder
	b.WriteString(`SELECT c.oid, c.cfgname,
   n.nspname,
   p.prsname,
   np.nspname as pnspname
FROM pg_catalog.pg_ts_config c
   LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace,
 pg_catalog.pg_ts_parser p
   LEFT JOIN pg_catalog.pg_namespace np ON np.oid = p.prsnamespace
WHERE  p.oid = c.cfgparser
`)
	if _, err := d.processPattern(&b, pattern, true, false, "n.nspname", "c.cfgname", "", "pg_catalog.pg_ts_config_is_visible(c.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 3, 2;")
	_, rows, err := d.query(b.String())
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return d.notFound("text search configuration", "text search configurations", pattern)
	}
	for _, r := range rows {
		sql := `SELECT
  ( SELECT t.alias FROM
    pg_catalog.ts_token_type(c.cfgparser) AS t
    WHERE t.tokid = m.maptokentype ) AS "Token",
  pg_catalog.btrim(
    ARRAY( SELECT mm.mapdict::pg_catalog.regdictionary
           FROM pg_catalog.pg_ts_config_map AS mm
           WHERE mm.mapcfg = m.mapcfg AND mm.maptokentype = m.maptokentype
           ORDER BY mapcfg, maptokentype, mapseqno
    ) :: pg_catalog.text,
  '{}') AS "Dictionaries"
FROM pg_catalog.pg_ts_config AS c, pg_catalog.pg_ts_config_map AS m
WHERE c.oid = '` + str(r[0]) + `' AND m.mapcfg = c.oid
GROUP BY m.mapcfg, m.maptokentype, c.cfgparser
ORDER BY 1;`
		cols, maps, err := d.query(sql)
		if err != nil {
			return err
		}
		title := fmt.Sprintf("Text search configuration \"%s\"\nParser: \"%s\"", qualified(r[2], r[1]), qualified(r[4], r[3]))
		if err := d.printQuery(title, cols, maps, nil, false); err != nil {
			return err
		}
	}
	return nil
}

// listTSParsers is \dFp.
func (d *describer) listTSParsers(pattern *string, verbose bool) error {
	if verbose {
		return d.describeTSParsers(pattern)
	}
	var b strings.Builder
	b.WriteString(`SELECT
  n.nspname as "Schema",
  p.prsname as "Name",
  pg_catalog.obj_description(p.oid, 'pg_ts_parser') as "Description"
FROM pg_catalog.pg_ts_parser p
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace
`)
	if _, err := d.processPattern(&b, pattern, false, false, "n.nspname", "p.prsname", "", "pg_catalog.pg_ts_parser_is_visible(p.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("List of text search parsers", b.String())
}

// describeTSParsers is \dFp+: each parser's functions and token types.
func (d *describer) describeTSParsers(pattern *string) error {
	var b strings.Builder
	b.WriteString("SELECT p.oid,\n  n.nspname,\n  p.prsname\nFROM pg_catalog.pg_ts_parser p\nLEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace\n")
	if _, err := d.processPattern(&b, pattern, false, false, "n.nspname", "p.prsname", "", "pg_catalog.pg_ts_parser_is_visible(p.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	_, rows, err := d.query(b.String())
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return d.notFound("text search parser", "text search parsers", pattern)
	}
	for _, r := range rows {
		oid := str(r[0])
		var q strings.Builder
		for i, m := range [][2]string{
			{"Start parse", "prsstart"}, {"Get next token", "prstoken"}, {"End parse", "prsend"},
			{"Get headline", "prsheadline"}, {"Get token types", "prslextype"},
		} {
			if i == 0 {
				fmt.Fprintf(&q, "SELECT '%s' AS \"Method\",\n   p.%s::pg_catalog.regproc AS \"Function\",\n   pg_catalog.obj_description(p.%[2]s, 'pg_proc') as \"Description\"\n", m[0], m[1])
			} else {
				fmt.Fprintf(&q, "UNION ALL\nSELECT '%s',\n   p.%s::pg_catalog.regproc,\n   pg_catalog.obj_description(p.%[2]s, 'pg_proc')\n", m[0], m[1])
			}
			fmt.Fprintf(&q, " FROM pg_catalog.pg_ts_parser p\n WHERE p.oid = '%s'", oid)
			if i < 4 {
				q.WriteString("\n")
			}
		}
		q.WriteString(";")
		cols, funcs, err := d.query(q.String())
		if err != nil {
			return err
		}
		name := qualified(r[1], r[2])
		if err := d.printQuery(fmt.Sprintf("Text search parser \"%s\"", name), cols, funcs, nil, false); err != nil {
			return err
		}
		sql := "SELECT t.alias as \"Token name\",\n  t.description as \"Description\"\nFROM pg_catalog.ts_token_type( '" + oid + "'::pg_catalog.oid ) as t\nORDER BY 1;"
		cols, types, err := d.query(sql)
		if err != nil {
			return err
		}
		// psql shows this table's row count even under \pset footer off.
		o := d.opts(fmt.Sprintf("Token types for parser \"%s\"", name))
		o.Footer = true
		if err := d.printWith(o, cols, types); err != nil {
			return err
		}
	}
	return nil
}

// listTSDictionaries is \dFd.
func (d *describer) listTSDictionaries(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString("SELECT\n  n.nspname as \"Schema\",\n  d.dictname as \"Name\",\n")
	if verbose {
		b.WriteString(`  ( SELECT COALESCE(nt.nspname, '(null)')::pg_catalog.text || '.' || t.tmplname FROM
    pg_catalog.pg_ts_template t
    LEFT JOIN pg_catalog.pg_namespace nt ON nt.oid = t.tmplnamespace
    WHERE d.dicttemplate = t.oid ) AS  "Template",
  d.dictinitoption as "Init options",
`)
	}
	b.WriteString("  pg_catalog.obj_description(d.oid, 'pg_ts_dict') as \"Description\"\nFROM pg_catalog.pg_ts_dict d\nLEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace\n")
	if _, err := d.processPattern(&b, pattern, false, false, "n.nspname", "d.dictname", "", "pg_catalog.pg_ts_dict_is_visible(d.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("List of text search dictionaries", b.String())
}

// listTSTemplates is \dFt.
func (d *describer) listTSTemplates(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString("SELECT\n  n.nspname AS \"Schema\",\n  t.tmplname AS \"Name\",\n")
	if verbose {
		b.WriteString("  t.tmplinit::pg_catalog.regproc AS \"Init\",\n  t.tmpllexize::pg_catalog.regproc AS \"Lexize\",\n")
	}
	b.WriteString("  pg_catalog.obj_description(t.oid, 'pg_ts_template') AS \"Description\"\nFROM pg_catalog.pg_ts_template t\nLEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace\n")
	if _, err := d.processPattern(&b, pattern, false, false, "n.nspname", "t.tmplname", "", "pg_catalog.pg_ts_template_is_visible(t.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("List of text search templates", b.String())
}

// fdwOptions is psql's rendering of an options array as "(a 'x', b 'y')".
func fdwOptions(col string) string {
	return "CASE WHEN " + col + " IS NULL THEN '' ELSE   '(' || pg_catalog.array_to_string(ARRAY(SELECT   pg_catalog.quote_ident(option_name) ||  ' ' ||   pg_catalog.quote_literal(option_value)  FROM   pg_catalog.pg_options_to_table(" + col + ")),  ', ') || ')'   END"
}

// listForeignServers is \des.
func (d *describer) listForeignServers(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString("SELECT s.srvname AS \"Name\",\n  pg_catalog.pg_get_userbyid(s.srvowner) AS \"Owner\",\n  f.fdwname AS \"Foreign-data wrapper\"")
	if verbose {
		b.WriteString(",\n  pg_catalog.array_to_string(s.srvacl, E'\\n') AS \"Access privileges\",\n  s.srvtype AS \"Type\",\n  s.srvversion AS \"Version\",\n  " +
			fdwOptions("srvoptions") + " AS \"FDW options\",\n  d.description AS \"Description\"")
	}
	b.WriteString("\nFROM pg_catalog.pg_foreign_server s\n     JOIN pg_catalog.pg_foreign_data_wrapper f ON f.oid=s.srvfdw\n")
	if verbose {
		b.WriteString("LEFT JOIN pg_catalog.pg_description d\n       ON d.classoid = s.tableoid AND d.objoid = s.oid AND d.objsubid = 0\n")
	}
	if _, err := d.processPattern(&b, pattern, false, false, "", "s.srvname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1;")
	return d.list("List of foreign servers", b.String())
}

// listForeignTables is \det.
func (d *describer) listForeignTables(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString("SELECT n.nspname AS \"Schema\",\n  c.relname AS \"Table\",\n  s.srvname AS \"Server\"")
	if verbose {
		b.WriteString(",\n " + fdwOptions("ftoptions") + " AS \"FDW options\",\n  d.description AS \"Description\"")
	}
	b.WriteString(`
FROM pg_catalog.pg_foreign_table ft
  INNER JOIN pg_catalog.pg_class c ON c.oid = ft.ftrelid
  INNER JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  INNER JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver
`)
	if verbose {
		b.WriteString("   LEFT JOIN pg_catalog.pg_description d\n          ON d.classoid = c.tableoid AND d.objoid = c.oid AND d.objsubid = 0\n")
	}
	if _, err := d.processPattern(&b, pattern, false, false, "n.nspname", "c.relname", "", "pg_catalog.pg_table_is_visible(c.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("List of foreign tables", b.String())
}

// listUserMappings is \deu: the pattern names the server or the user.
func (d *describer) listUserMappings(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString("SELECT um.srvname AS \"Server\",\n  um.usename AS \"User name\"")
	if verbose {
		b.WriteString(",\n " + fdwOptions("umoptions") + " AS \"FDW options\"")
	}
	b.WriteString("\nFROM pg_catalog.pg_user_mappings um\n")
	if _, err := d.processPattern(&b, pattern, false, false, "", "um.srvname", "um.usename", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("List of user mappings", b.String())
}

// listForeignDataWrappers is \dew.
func (d *describer) listForeignDataWrappers(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString("SELECT fdw.fdwname AS \"Name\",\n  pg_catalog.pg_get_userbyid(fdw.fdwowner) AS \"Owner\",\n  fdw.fdwhandler::pg_catalog.regproc AS \"Handler\",\n  fdw.fdwvalidator::pg_catalog.regproc AS \"Validator\"")
	if verbose {
		b.WriteString(",\n  pg_catalog.array_to_string(fdwacl, E'\\n') AS \"Access privileges\",\n " + fdwOptions("fdwoptions") + " AS \"FDW options\",\n  d.description AS \"Description\" ")
	}
	b.WriteString("\nFROM pg_catalog.pg_foreign_data_wrapper fdw\n")
	if verbose {
		b.WriteString("LEFT JOIN pg_catalog.pg_description d\n       ON d.classoid = fdw.tableoid AND d.objoid = fdw.oid AND d.objsubid = 0\n")
	}
	if _, err := d.processPattern(&b, pattern, false, false, "", "fdwname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1;")
	return d.list("List of foreign-data wrappers", b.String())
}

// listPublications is \dRp.
func (d *describer) listPublications(pattern *string) error {
	var b strings.Builder
	b.WriteString(`SELECT pubname AS "Name",
  pg_catalog.pg_get_userbyid(pubowner) AS "Owner",
  puballtables AS "All tables",
  pubinsert AS "Inserts",
  pubupdate AS "Updates",
  pubdelete AS "Deletes",
  pubtruncate AS "Truncates",
  pubviaroot AS "Via root"
FROM pg_catalog.pg_publication
`)
	if _, err := d.processPattern(&b, pattern, false, false, "", "pubname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1;")
	return d.list("List of publications", b.String())
}

// describePublications is \dRp+: one table per publication, its tables
// and schemas as footers.
func (d *describer) describePublications(pattern *string) error {
	var b strings.Builder
	b.WriteString(`SELECT oid, pubname,
  pg_catalog.pg_get_userbyid(pubowner) AS owner,
  puballtables, pubinsert, pubupdate, pubdelete, pubtruncate, pubviaroot
FROM pg_catalog.pg_publication
`)
	if _, err := d.processPattern(&b, pattern, false, false, "", "pubname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 2;")
	_, pubs, err := d.query(b.String())
	if err != nil {
		return err
	}
	if len(pubs) == 0 {
		return d.notFound("publication", "publications", pattern)
	}
	headers := []string{"Owner", "All tables", "Inserts", "Updates", "Deletes", "Truncates", "Via root"}
	for _, p := range pubs {
		oid := str(p[0])
		var footers []string
		if str(p[3]) != "t" {
			_, tables, err := d.query(`SELECT n.nspname, c.relname, pg_get_expr(pr.prqual, c.oid), (CASE WHEN pr.prattrs IS NOT NULL THEN
     pg_catalog.array_to_string(      ARRAY(SELECT attname
              FROM
                pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s,
                pg_catalog.pg_attribute
        WHERE attrelid = c.oid AND attnum = prattrs[s]), ', ')
       ELSE NULL END)
FROM pg_catalog.pg_class c,
     pg_catalog.pg_namespace n,
     pg_catalog.pg_publication_rel pr
WHERE c.relnamespace = n.oid
  AND c.oid = pr.prrelid
  AND pr.prpubid = '` + oid + `'
ORDER BY 1,2`)
			if err != nil {
				return err
			}
			if len(tables) > 0 {
				footers = append(footers, "Tables:")
				for _, t := range tables {
					f := fmt.Sprintf("    \"%s.%s\"", t[0], t[1])
					if t[3] != nil {
						f += " (" + str(t[3]) + ")"
					}
					if t[2] != nil {
						f += " WHERE " + str(t[2])
					}
					footers = append(footers, f)
				}
			}
			_, schemas, err := d.query("SELECT n.nspname\nFROM pg_catalog.pg_namespace n\n     JOIN pg_catalog.pg_publication_namespace pn ON n.oid = pn.pnnspid\nWHERE pn.pnpubid = '" + oid + "'\nORDER BY 1")
			if err != nil {
				return err
			}
			if len(schemas) > 0 {
				footers = append(footers, "Tables from schemas:")
				for _, s := range schemas {
					footers = append(footers, fmt.Sprintf("    \"%s\"", s[0]))
				}
			}
		}
		row := make([]string, 7)
		for i := range row {
			row[i] = str(p[2+i])
		}
		cols := make([]render.Column, len(headers))
		for i, h := range headers {
			cols[i] = render.Column{Name: h, TypeOID: 25}
		}
		cells := make([][]byte, len(row))
		for i, c := range row {
			cells[i] = []byte(c)
		}
		if err := d.printQuery("Publication "+str(p[1]), cols, [][][]byte{cells}, footers, true); err != nil {
			return err
		}
	}
	return nil
}

// listSubscriptions is \dRs.
func (d *describer) listSubscriptions(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString(`SELECT subname AS "Name"
,  pg_catalog.pg_get_userbyid(subowner) AS "Owner"
,  subenabled AS "Enabled"
,  subpublications AS "Publication"
`)
	if verbose {
		b.WriteString(`, subbinary AS "Binary"
, substream AS "Streaming"
, subtwophasestate AS "Two-phase commit"
, subdisableonerr AS "Disable on error"
,  subsynccommit AS "Synchronous commit"
,  subconninfo AS "Conninfo"
, subskiplsn AS "Skip LSN"
`)
	}
	b.WriteString(`FROM pg_catalog.pg_subscription
WHERE subdbid = (SELECT oid
                 FROM pg_catalog.pg_database
                 WHERE datname = pg_catalog.current_database())`)
	if _, err := d.processPattern(&b, pattern, true, false, "", "subname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1;")
	return d.list("List of subscriptions", b.String())
}

// listDbRoleSettings is \drds: role and database patterns.
func (d *describer) listDbRoleSettings(pattern, pattern2 *string) error {
	var b strings.Builder
	b.WriteString(`SELECT rolname AS "Role", datname AS "Database",
pg_catalog.array_to_string(setconfig, E'\n') AS "Settings"
FROM pg_catalog.pg_db_role_setting s
LEFT JOIN pg_catalog.pg_database d ON d.oid = setdatabase
LEFT JOIN pg_catalog.pg_roles r ON r.oid = setrole
`)
	added, err := d.processPattern(&b, pattern, false, false, "", "r.rolname", "", "", 1)
	if err != nil {
		return err
	}
	if _, err := d.processPattern(&b, pattern2, added, false, "", "d.datname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1, 2;")
	cols, rows, err := d.query(b.String())
	if err != nil {
		return err
	}
	if len(rows) == 0 && !d.cfg.Quiet {
		switch {
		case pattern != nil && pattern2 != nil:
			return &Error{Msg: fmt.Sprintf("Did not find any settings for role \"%s\" and database \"%s\".", *pattern, *pattern2)}
		case pattern != nil:
			return &Error{Msg: fmt.Sprintf("Did not find any settings for role \"%s\".", *pattern)}
		}
		return &Error{Msg: "Did not find any settings."}
	}
	return d.printQuery("List of settings", cols, rows, nil, true)
}

// listAccessMethods is \dA.
func (d *describer) listAccessMethods(pattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString("SELECT amname AS \"Name\",\n  CASE amtype WHEN 'i' THEN 'Index' WHEN 't' THEN 'Table' END AS \"Type\"")
	if verbose {
		b.WriteString(",\n  amhandler AS \"Handler\",\n  pg_catalog.obj_description(oid, 'pg_am') AS \"Description\"")
	}
	b.WriteString("\nFROM pg_catalog.pg_am\n")
	if _, err := d.processPattern(&b, pattern, false, false, "", "amname", "", "", 1); err != nil {
		return err
	}
	b.WriteString("ORDER BY 1;")
	return d.list("List of access methods", b.String())
}

// familyName is how \dA[cfop] show an operator class or family: bare when
// visible, else schema-qualified.
func familyName(visible, schema, name string) string {
	return "  CASE\n    WHEN pg_catalog." + visible + "\n    THEN pg_catalog.format('%I', " + name + ")\n    ELSE pg_catalog.format('%I.%I', " + schema + ", " + name + ")\n  END"
}

// listOpClasses is \dAc: access method and input type patterns.
func (d *describer) listOpClasses(amPattern, typePattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString(`SELECT
  am.amname AS "AM",
  pg_catalog.format_type(c.opcintype, NULL) AS "Input type",
  CASE
    WHEN c.opckeytype <> 0 AND c.opckeytype <> c.opcintype
    THEN pg_catalog.format_type(c.opckeytype, NULL)
    ELSE NULL
  END AS "Storage type",
` + familyName("pg_opclass_is_visible(c.oid)", "n.nspname", "c.opcname") + ` AS "Operator class",
  (CASE WHEN c.opcdefault
    THEN 'yes'
    ELSE 'no'
  END) AS "Default?"`)
	if verbose {
		b.WriteString(",\n" + familyName("pg_opfamily_is_visible(of.oid)", "ofn.nspname", "of.opfname") + " AS \"Operator family\",\n pg_catalog.pg_get_userbyid(c.opcowner) AS \"Owner\"\n")
	}
	b.WriteString(`
FROM pg_catalog.pg_opclass c
  LEFT JOIN pg_catalog.pg_am am on am.oid = c.opcmethod
  LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
  LEFT JOIN pg_catalog.pg_type t ON t.oid = c.opcintype
  LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
`)
	if verbose {
		b.WriteString("  LEFT JOIN pg_catalog.pg_opfamily of ON of.oid = c.opcfamily\n  LEFT JOIN pg_catalog.pg_namespace ofn ON ofn.oid = of.opfnamespace\n")
	}
	added, err := d.processPattern(&b, amPattern, false, false, "", "am.amname", "", "", 1)
	if err != nil {
		return err
	}
	if typePattern != nil {
		if _, err := d.processPattern(&b, typePattern, added, false, "tn.nspname", "t.typname", "pg_catalog.format_type(t.oid, NULL)", "pg_catalog.pg_type_is_visible(t.oid)", 3); err != nil {
			return err
		}
	}
	b.WriteString("ORDER BY 1, 2, 4;")
	return d.list("List of operator classes", b.String())
}

// listOpFamilies is \dAf: access method and type patterns.
func (d *describer) listOpFamilies(amPattern, typePattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString(`SELECT
  am.amname AS "AM",
` + familyName("pg_opfamily_is_visible(f.oid)", "n.nspname", "f.opfname") + ` AS "Operator family",
  (SELECT
     pg_catalog.string_agg(pg_catalog.format_type(oc.opcintype, NULL), ', ')
   FROM pg_catalog.pg_opclass oc
   WHERE oc.opcfamily = f.oid) "Applicable types"`)
	if verbose {
		b.WriteString(",\n  pg_catalog.pg_get_userbyid(f.opfowner) AS \"Owner\"\n")
	}
	b.WriteString(`
FROM pg_catalog.pg_opfamily f
  LEFT JOIN pg_catalog.pg_am am on am.oid = f.opfmethod
  LEFT JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace
`)
	added, err := d.processPattern(&b, amPattern, false, false, "", "am.amname", "", "", 1)
	if err != nil {
		return err
	}
	if typePattern != nil {
		if added {
			b.WriteString("  AND ")
		} else {
			b.WriteString("WHERE ")
		}
		b.WriteString(`EXISTS (
    SELECT 1
    FROM pg_catalog.pg_type t
    JOIN pg_catalog.pg_opclass oc ON oc.opcintype = t.oid
    LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
    WHERE oc.opcfamily = f.oid
`)
		if _, err := d.processPattern(&b, typePattern, true, false, "tn.nspname", "t.typname", "pg_catalog.format_type(t.oid, NULL)", "pg_catalog.pg_type_is_visible(t.oid)", 3); err != nil {
			return err
		}
		b.WriteString("  )\n")
	}
	b.WriteString("ORDER BY 1, 2;")
	return d.list("List of operator families", b.String())
}

// listOpFamilyOperators is \dAo: access method and family patterns.
func (d *describer) listOpFamilyOperators(amPattern, familyPattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString(`SELECT
  am.amname AS "AM",
` + familyName("pg_opfamily_is_visible(of.oid)", "nsf.nspname", "of.opfname") + ` AS "Operator family",
  o.amopopr::pg_catalog.regoperator AS "Operator"
,  o.amopstrategy AS "Strategy",
  CASE o.amoppurpose
    WHEN 'o' THEN 'ordering'
    WHEN 's' THEN 'search'
  END AS "Purpose"
`)
	if verbose {
		b.WriteString(", ofs.opfname AS \"Sort opfamily\"\n")
	}
	b.WriteString(`FROM pg_catalog.pg_amop o
  LEFT JOIN pg_catalog.pg_opfamily of ON of.oid = o.amopfamily
  LEFT JOIN pg_catalog.pg_am am ON am.oid = of.opfmethod AND am.oid = o.amopmethod
  LEFT JOIN pg_catalog.pg_namespace nsf ON of.opfnamespace = nsf.oid
`)
	if verbose {
		b.WriteString("  LEFT JOIN pg_catalog.pg_opfamily ofs ON ofs.oid = o.amopsortfamily\n")
	}
	added, err := d.processPattern(&b, amPattern, false, false, "", "am.amname", "", "", 1)
	if err != nil {
		return err
	}
	if familyPattern != nil {
		if _, err := d.processPattern(&b, familyPattern, added, false, "nsf.nspname", "of.opfname", "", "", 3); err != nil {
			return err
		}
	}
	b.WriteString(`ORDER BY 1, 2,
  o.amoplefttype = o.amoprighttype DESC,
  pg_catalog.format_type(o.amoplefttype, NULL),
  pg_catalog.format_type(o.amoprighttype, NULL),
  o.amopstrategy;`)
	return d.list("List of operators of operator families", b.String())
}

// listOpFamilyFunctions is \dAp: access method and family patterns.
func (d *describer) listOpFamilyFunctions(amPattern, familyPattern *string, verbose bool) error {
	var b strings.Builder
	b.WriteString(`SELECT
  am.amname AS "AM",
` + familyName("pg_opfamily_is_visible(of.oid)", "ns.nspname", "of.opfname") + ` AS "Operator family",
  pg_catalog.format_type(ap.amproclefttype, NULL) AS "Registered left type",
  pg_catalog.format_type(ap.amprocrighttype, NULL) AS "Registered right type",
  ap.amprocnum AS "Number"
`)
	if verbose {
		b.WriteString(", ap.amproc::pg_catalog.regprocedure AS \"Function\"\n")
	} else {
		b.WriteString(", p.proname AS \"Function\"\n")
	}
	b.WriteString(`FROM pg_catalog.pg_amproc ap
  LEFT JOIN pg_catalog.pg_opfamily of ON of.oid = ap.amprocfamily
  LEFT JOIN pg_catalog.pg_am am ON am.oid = of.opfmethod
  LEFT JOIN pg_catalog.pg_namespace ns ON of.opfnamespace = ns.oid
  LEFT JOIN pg_catalog.pg_proc p ON ap.amproc = p.oid
`)
	added, err := d.processPattern(&b, amPattern, false, false, "", "am.amname", "", "", 1)
	if err != nil {
		return err
	}
	if familyPattern != nil {
		if _, err := d.processPattern(&b, familyPattern, added, false, "ns.nspname", "of.opfname", "", "", 3); err != nil {
			return err
		}
	}
	b.WriteString("ORDER BY 1, 2,\n  ap.amproclefttype = ap.amprocrighttype DESC,\n  3, 4, 5;")
	return d.list("List of support functions of operator families", b.String())
}
