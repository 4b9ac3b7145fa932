package describe

import (
	"fmt"
	"strings"
)

// row gives psql's PQgetvalue/PQgetisnull over one result row.
type row [][]byte

func (r row) s(i int) string  { return string(r[i]) }
func (r row) null(i int) bool { return r[i] == nil }
func (r row) t(i int) bool    { return string(r[i]) == "t" }
func (r row) first(i int) byte {
	if len(r[i]) == 0 {
		return 0
	}
	return r[i][0]
}

// describeTables is psql's describeTableDetails (\d NAME): one description
// per relation the pattern names, in schema and name order.
func (d *describer) describeTables(pattern string, verbose, system bool) error {
	var b strings.Builder
	b.WriteString("SELECT c.oid,\n  n.nspname,\n  c.relname\nFROM pg_catalog.pg_class c\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n")
	if _, err := d.processPattern(&b, &pattern, false, false, "n.nspname", "c.relname", "", "pg_catalog.pg_table_is_visible(c.oid)", 3); err != nil {
		return err
	}
	b.WriteString("ORDER BY 2, 3;")
	_, rels, err := d.query(b.String())
	if err != nil {
		return err
	}
	if len(rels) == 0 {
		if d.cfg.Quiet {
			return &Error{Failed: true}
		}
		return failf(fmt.Sprintf("Did not find any relation named \"%s\".", pattern))
	}
	for _, r := range rels {
		if err := d.describeOne(string(r[1]), string(r[2]), string(r[0]), verbose); err != nil {
			return err
		}
	}
	return nil
}

// tableInfo is psql's tableinfo.
type tableInfo struct {
	checks                            bool
	relkind                           byte
	hasIndex, hasRules, hasTriggers   bool
	rowSecurity, forceRowSecurity     bool
	hasOIDs, isPartition              bool
	relOptions, tablespace, relOfType string
	relPersistence, relReplIdent      byte
	relAM                             string
	hasAM                             bool
}

// one returns the single row of sql, or nil.
func (d *describer) rows(sql string) ([]row, error) {
	_, rs, err := d.query(sql)
	if err != nil {
		return nil, err
	}
	out := make([]row, len(rs))
	for i, r := range rs {
		out[i] = row(r)
	}
	return out, nil
}

// describeOne is psql's describeOneTableDetails.
func (d *describer) describeOne(schema, name, oid string, verbose bool) error {
	relOpts := "''"
	if verbose {
		relOpts = "pg_catalog.array_to_string(c.reloptions || array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x), ', ')\n"
	}
	info, err := d.rows(fmt.Sprintf("SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, false AS relhasoids, c.relispartition, %s, c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence, c.relreplident, am.amname\n"+
		"FROM pg_catalog.pg_class c\n LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)\n"+
		"LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid)\nWHERE c.oid = '%s';", relOpts, oid))
	if err != nil {
		return err
	}
	if len(info) == 0 {
		if d.cfg.Quiet {
			return &Error{Failed: true}
		}
		return failf(fmt.Sprintf("Did not find any relation with OID %s.", oid))
	}
	r := info[0]
	ti := tableInfo{
		checks: r.s(0) != "0", relkind: r.first(1), hasIndex: r.t(2), hasRules: r.t(3), hasTriggers: r.t(4),
		rowSecurity: r.t(5), forceRowSecurity: r.t(6), hasOIDs: r.t(7), isPartition: r.t(8),
		relOptions: r.s(9), tablespace: r.s(10), relOfType: r.s(11), relPersistence: r.first(12),
		relReplIdent: r.first(13), relAM: r.s(14), hasAM: !r.null(14),
	}
	if ti.relkind == 'S' {
		return d.describeSequence(schema, name, oid, ti)
	}

	var viewDef string
	hasViewDef := false
	if (ti.relkind == 'v' || ti.relkind == 'm') && verbose {
		vd, err := d.rows(fmt.Sprintf("SELECT pg_catalog.pg_get_viewdef('%s'::pg_catalog.oid, true);", oid))
		if err != nil {
			return err
		}
		if len(vd) > 0 {
			viewDef, hasViewDef = vd[0].s(0), true
		}
	}

	k := ti.relkind
	details := k == 'r' || k == 'v' || k == 'm' || k == 'f' || k == 'c' || k == 'p'
	var q strings.Builder
	cols := 0
	col := func() int { cols++; return cols - 1 }
	attrdef, attnotnull, attcoll, attidentity, attgenerated := -1, -1, -1, -1, -1
	isKey, indexdef, fdwopts, storage, compression, stattarget, descr := -1, -1, -1, -1, -1, -1, -1
	q.WriteString("SELECT a.attname")
	col()
	q.WriteString(",\n  pg_catalog.format_type(a.atttypid, a.atttypmod)")
	col()
	if details {
		q.WriteString(",\n  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)\n   FROM pg_catalog.pg_attrdef d\n   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),\n  a.attnotnull")
		attrdef, attnotnull = col(), col()
		q.WriteString(",\n  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t\n   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation")
		attcoll = col()
		q.WriteString(",\n  a.attidentity")
		attidentity = col()
		q.WriteString(",\n  a.attgenerated")
		attgenerated = col()
	}
	if k == 'i' || k == 'I' {
		q.WriteString(fmt.Sprintf(",\n  CASE WHEN a.attnum <= (SELECT i.indnkeyatts FROM pg_catalog.pg_index i WHERE i.indexrelid = '%s') THEN 'yes' ELSE 'no' END AS is_key", oid))
		isKey = col()
		q.WriteString(",\n  pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, TRUE) AS indexdef")
		indexdef = col()
	}
	if k == 'f' {
		q.WriteString(",\n  CASE WHEN attfdwoptions IS NULL THEN '' ELSE   '(' || pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value)  FROM   pg_catalog.pg_options_to_table(attfdwoptions)), ', ') || ')' END AS attfdwoptions")
		fdwopts = col()
	}
	if verbose {
		q.WriteString(",\n  a.attstorage")
		storage = col()
		if d.cfg.ServerVersion >= 140000 && (k == 'r' || k == 'p' || k == 'm') {
			q.WriteString(",\n  a.attcompression AS attcompression")
			compression = col()
		}
		if k == 'r' || k == 'i' || k == 'I' || k == 'm' || k == 'f' || k == 'p' {
			q.WriteString(",\n  CASE WHEN a.attstattarget=-1 THEN NULL ELSE a.attstattarget END AS attstattarget")
			stattarget = col()
		}
		if k == 'r' || k == 'v' || k == 'm' || k == 'f' || k == 'c' || k == 'p' {
			q.WriteString(",\n  pg_catalog.col_description(a.attrelid, a.attnum)")
			descr = col()
		}
	}
	q.WriteString(fmt.Sprintf("\nFROM pg_catalog.pg_attribute a\nWHERE a.attrelid = '%s' AND a.attnum > 0 AND NOT a.attisdropped\nORDER BY a.attnum;", oid))
	attrs, err := d.rows(q.String())
	if err != nil {
		return err
	}

	qual := schema + "." + name
	unlogged := ti.relPersistence == 'u'
	var title string
	switch k {
	case 'r':
		title = pick(unlogged, "Unlogged table", "Table")
	case 'v':
		title = "View"
	case 'm':
		title = pick(unlogged, "Unlogged materialized view", "Materialized view")
	case 'i':
		title = pick(unlogged, "Unlogged index", "Index")
	case 'I':
		title = pick(unlogged, "Unlogged partitioned index", "Partitioned index")
	case 't':
		title = "TOAST table"
	case 'c':
		title = "Composite type"
	case 'f':
		title = "Foreign table"
	case 'p':
		title = pick(unlogged, "Unlogged partitioned table", "Partitioned table")
	default:
		title = fmt.Sprintf("?%c?", k)
	}
	title = fmt.Sprintf("%s \"%s\"", title, qual)

	headers := []string{"Column", "Type"}
	if details {
		headers = append(headers, "Collation", "Nullable", "Default")
	}
	for _, h := range []struct {
		col  int
		name string
	}{{isKey, "Key?"}, {indexdef, "Definition"}, {fdwopts, "FDW options"}, {storage, "Storage"}, {compression, "Compression"}, {stattarget, "Stats target"}, {descr, "Description"}} {
		if h.col >= 0 {
			headers = append(headers, h.name)
		}
	}
	cells := make([][]string, 0, len(attrs))
	for _, a := range attrs {
		c := []string{a.s(0), a.s(1)}
		if details {
			c = append(c, a.s(attcoll), pick(a.t(attnotnull), "not null", ""))
			var def string
			switch {
			case a.first(attidentity) == 'a':
				def = "generated always as identity"
			case a.first(attidentity) == 'd':
				def = "generated by default as identity"
			case a.first(attgenerated) == 's':
				def = fmt.Sprintf("generated always as (%s) stored", a.s(attrdef))
			default:
				def = a.s(attrdef)
			}
			c = append(c, def)
		}
		if isKey >= 0 {
			c = append(c, a.s(isKey))
		}
		if indexdef >= 0 {
			c = append(c, a.s(indexdef))
		}
		if fdwopts >= 0 {
			c = append(c, a.s(fdwopts))
		}
		if storage >= 0 {
			var s string
			switch a.first(storage) {
			case 'p':
				s = "plain"
			case 'm':
				s = "main"
			case 'x':
				s = "extended"
			case 'e':
				s = "external"
			default:
				s = "???"
			}
			c = append(c, s)
		}
		if compression >= 0 {
			var s string
			switch a.first(compression) {
			case 'p':
				s = "pglz"
			case 'l':
				s = "lz4"
			case 0:
				s = ""
			default:
				s = "???"
			}
			c = append(c, s)
		}
		if stattarget >= 0 {
			c = append(c, a.s(stattarget))
		}
		if descr >= 0 {
			c = append(c, a.s(descr))
		}
		cells = append(cells, c)
	}

	f, err := d.tableFooters(schema, oid, ti, verbose, viewDef, hasViewDef)
	if err != nil {
		return err
	}
	o := d.opts(title)
	o.Footers = f
	o.Footer = false
	// psql: "This output looks confusing in expanded mode."
	o.Expanded = 0
	saved := d.cfg.Print
	d.cfg.Print = o
	defer func() { d.cfg.Print = saved }()
	return d.printTable(title, headers, cells, f)
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

// describeSequence is the sequence branch of describeOneTableDetails: a
// printQuery with the session's options (expanded included).
func (d *describer) describeSequence(schema, name, oid string, ti tableInfo) error {
	cols, seq, err := d.query(fmt.Sprintf("SELECT pg_catalog.format_type(seqtypid, NULL) AS \"Type\",\n"+
		"       seqstart AS \"Start\",\n       seqmin AS \"Minimum\",\n       seqmax AS \"Maximum\",\n"+
		"       seqincrement AS \"Increment\",\n       CASE WHEN seqcycle THEN 'yes' ELSE 'no' END AS \"Cycles?\",\n"+
		"       seqcache AS \"Cache\"\nFROM pg_catalog.pg_sequence\nWHERE seqrelid = '%s';", oid))
	if err != nil {
		return err
	}
	owner, err := d.rows(fmt.Sprintf("SELECT pg_catalog.quote_ident(nspname) || '.' ||\n   pg_catalog.quote_ident(relname) || '.' ||\n   pg_catalog.quote_ident(attname),\n   d.deptype\n"+
		"FROM pg_catalog.pg_class c\nINNER JOIN pg_catalog.pg_depend d ON c.oid=d.refobjid\nINNER JOIN pg_catalog.pg_namespace n ON n.oid=c.relnamespace\n"+
		"INNER JOIN pg_catalog.pg_attribute a ON (\n a.attrelid=c.oid AND\n a.attnum=d.refobjsubid)\n"+
		"WHERE d.classid='pg_catalog.pg_class'::pg_catalog.regclass\n AND d.refclassid='pg_catalog.pg_class'::pg_catalog.regclass\n AND d.objid='%s'\n AND d.deptype IN ('a', 'i')", oid))
	if err != nil {
		return err
	}
	var footers []string
	if len(owner) == 1 {
		switch owner[0].first(1) {
		case 'a':
			footers = append(footers, "Owned by: "+owner[0].s(0))
		case 'i':
			footers = append(footers, "Sequence for identity column: "+owner[0].s(0))
		}
	}
	title := fmt.Sprintf("%s \"%s.%s\"", pick(ti.relPersistence == 'u', "Unlogged sequence", "Sequence"), schema, name)
	// psql keeps the session's null string here (myopt = pset.popt).
	o := d.cfg.Print
	o.Title, o.TitleSet = title, false
	o.Footers = footers
	o.Footer = false
	return d.printWith(o, cols, seq)
}

// tableFooters builds the footers of describeOneTableDetails.
func (d *describer) tableFooters(schema, oid string, ti tableInfo, verbose bool, viewDef string, hasViewDef bool) ([]string, error) {
	var f []string
	add := func(s string) { f = append(f, s) }
	k := ti.relkind

	if ti.isPartition {
		q := "SELECT inhparent::pg_catalog.regclass,\n  pg_catalog.pg_get_expr(c.relpartbound, c.oid),\n  inhdetachpending"
		if verbose {
			q += ",\n  pg_catalog.pg_get_partition_constraintdef(c.oid)"
		}
		q += fmt.Sprintf("\nFROM pg_catalog.pg_class c JOIN pg_catalog.pg_inherits i ON c.oid = inhrelid\nWHERE c.oid = '%s';", oid)
		rs, err := d.rows(q)
		if err != nil {
			return nil, err
		}
		if len(rs) > 0 {
			r := rs[0]
			add(fmt.Sprintf("Partition of: %s %s%s", r.s(0), r.s(1), pick(r.t(2), " DETACH PENDING", "")))
			if verbose {
				if r.null(3) || r.s(3) == "" {
					add("No partition constraint")
				} else {
					add("Partition constraint: " + r.s(3))
				}
			}
		}
	}
	if k == 'p' {
		rs, err := d.rows(fmt.Sprintf("SELECT pg_catalog.pg_get_partkeydef('%s'::pg_catalog.oid);", oid))
		if err != nil {
			return nil, err
		}
		if len(rs) == 1 {
			add("Partition key: " + rs[0].s(0))
		}
	}
	if k == 't' {
		rs, err := d.rows(fmt.Sprintf("SELECT n.nspname, c.relname\nFROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\nWHERE reltoastrelid = '%s';", oid))
		if err != nil {
			return nil, err
		}
		if len(rs) == 1 {
			add(fmt.Sprintf("Owning table: \"%s.%s\"", rs[0].s(0), rs[0].s(1)))
		}
	}

	if k == 'i' || k == 'I' {
		rs, err := d.rows(fmt.Sprintf("SELECT i.indisunique, i.indisprimary, i.indisclustered, i.indisvalid,\n"+
			"  (NOT i.indimmediate) AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x') AND condeferrable) AS condeferrable,\n"+
			"  (NOT i.indimmediate) AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x') AND condeferred) AS condeferred,\n"+
			"i.indisreplident,\n%s"+
			"  a.amname, c2.relname, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true)\n"+
			"FROM pg_catalog.pg_index i, pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_am a\n"+
			"WHERE i.indexrelid = c.oid AND c.oid = '%s' AND c.relam = a.oid\nAND i.indrelid = c2.oid;",
			pick(d.cfg.ServerVersion >= 150000, "i.indnullsnotdistinct,\n", "false AS indnullsnotdistinct,\n"), oid))
		if err != nil {
			return nil, err
		}
		if len(rs) != 1 {
			return nil, &Error{Failed: true}
		}
		r := rs[0]
		var s string
		if r.t(1) {
			s = "primary key, "
		} else if r.t(0) {
			s = "unique"
			if r.t(7) {
				s += " nulls not distinct"
			}
			s += ", "
		}
		s += r.s(8) + ", "
		s += fmt.Sprintf("for table \"%s.%s\"", schema, r.s(9))
		if r.s(10) != "" {
			s += fmt.Sprintf(", predicate (%s)", r.s(10))
		}
		if r.t(2) {
			s += ", clustered"
		}
		if !r.t(3) {
			s += ", invalid"
		}
		if r.t(4) {
			s += ", deferrable"
		}
		if r.t(5) {
			s += ", initially deferred"
		}
		if r.t(6) {
			s += ", replica identity"
		}
		add(s)
		if k == 'i' {
			if err := d.tablespaceFooter(&f, k, ti.tablespace, true); err != nil {
				return nil, err
			}
		}
	} else if k == 'r' || k == 'm' || k == 'f' || k == 'p' || k == 't' {
		if err := d.relationFooters(&f, oid, ti); err != nil {
			return nil, err
		}
	}

	if hasViewDef {
		add("View definition:")
		add(viewDef)
		if ti.hasRules {
			rs, err := d.rows(fmt.Sprintf("SELECT r.rulename, trim(trailing ';' from pg_catalog.pg_get_ruledef(r.oid, true))\nFROM pg_catalog.pg_rewrite r\nWHERE r.ev_class = '%s' AND r.rulename != '_RETURN' ORDER BY 1;", oid))
			if err != nil {
				return nil, err
			}
			if len(rs) > 0 {
				add("Rules:")
				for _, r := range rs {
					add(" " + afterN(r.s(1), 12))
				}
			}
		}
	}

	if ti.hasTriggers {
		if err := d.triggerFooters(&f, oid); err != nil {
			return nil, err
		}
	}

	if k == 'r' || k == 'm' || k == 'f' || k == 'p' || k == 'I' || k == 't' {
		partitioned := k == 'p' || k == 'I'
		if k == 'f' {
			rs, err := d.rows(fmt.Sprintf("SELECT s.srvname,\n  pg_catalog.array_to_string(ARRAY(\n    SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value)\n    FROM pg_catalog.pg_options_to_table(ftoptions)),  ', ')\nFROM pg_catalog.pg_foreign_table f,\n     pg_catalog.pg_foreign_server s\nWHERE f.ftrelid = '%s' AND s.oid = f.ftserver;", oid))
			if err != nil {
				return nil, err
			}
			if len(rs) == 1 {
				add("Server: " + rs[0].s(0))
				if rs[0].s(1) != "" {
					add("FDW options: (" + rs[0].s(1) + ")")
				}
			}
		}
		rs, err := d.rows(fmt.Sprintf("SELECT c.oid::pg_catalog.regclass\nFROM pg_catalog.pg_class c, pg_catalog.pg_inherits i\nWHERE c.oid = i.inhparent AND i.inhrelid = '%s'\n  AND c.relkind != 'p' AND c.relkind != 'I'\nORDER BY inhseqno;", oid))
		if err != nil {
			return nil, err
		}
		for i, r := range rs {
			s := listLine("Inherits", i, r.s(0))
			if i < len(rs)-1 {
				s += ","
			}
			add(s)
		}
		rs, err = d.rows(fmt.Sprintf("SELECT c.oid::pg_catalog.regclass, c.relkind, inhdetachpending, pg_catalog.pg_get_expr(c.relpartbound, c.oid)\nFROM pg_catalog.pg_class c, pg_catalog.pg_inherits i\nWHERE c.oid = i.inhrelid AND i.inhparent = '%s'\nORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', c.oid::pg_catalog.regclass::pg_catalog.text;", oid))
		if err != nil {
			return nil, err
		}
		switch {
		case partitioned && len(rs) == 0:
			add("Number of partitions: 0")
		case !verbose:
			if len(rs) > 0 {
				if partitioned {
					add(fmt.Sprintf("Number of partitions: %d (Use \\d+ to list them.)", len(rs)))
				} else {
					add(fmt.Sprintf("Number of child tables: %d (Use \\d+ to list them.)", len(rs)))
				}
			}
		default:
			label := pick(partitioned, "Partitions", "Child tables")
			for i, r := range rs {
				s := listLine(label, i, r.s(0))
				if !r.null(3) {
					s += " " + r.s(3)
				}
				switch r.first(1) {
				case 'p', 'I':
					s += ", PARTITIONED"
				case 'f':
					s += ", FOREIGN"
				}
				if r.t(2) {
					s += " (DETACH PENDING)"
				}
				if i < len(rs)-1 {
					s += ","
				}
				add(s)
			}
		}
		if ti.relOfType != "" {
			add("Typed table of type: " + ti.relOfType)
		}
		if verbose && (k == 'r' || k == 'm') && ti.relReplIdent != 'i' &&
			((schema != "pg_catalog" && ti.relReplIdent != 'd') || (schema == "pg_catalog" && ti.relReplIdent != 'n')) {
			v := "???"
			switch ti.relReplIdent {
			case 'f':
				v = "FULL"
			case 'n':
				v = "NOTHING"
			}
			add("Replica Identity: " + v)
		}
		if verbose && k != 'm' && ti.hasOIDs {
			add("Has OIDs: yes")
		}
		if err := d.tablespaceFooter(&f, k, ti.tablespace, true); err != nil {
			return nil, err
		}
		if verbose && ti.hasAM && !d.cfg.HideTableAM {
			add("Access method: " + ti.relAM)
		}
	}
	if verbose && ti.relOptions != "" {
		add("Options: " + ti.relOptions)
	}
	return f, nil
}

// listLine is psql's "Label: item" for the first item of a list footer and
// the item aligned under the first for the others.
func listLine(label string, i int, item string) string {
	if i == 0 {
		return label + ": " + item
	}
	return strings.Repeat(" ", len(label)) + "  " + item
}

// afterN is psql's "ruledef += 12": what follows "CREATE RULE ".
func afterN(s string, n int) string {
	if len(s) < n {
		return ""
	}
	return s[n:]
}

// tablespaceFooter is psql's add_tablespace_footer.
func (d *describer) tablespaceFooter(f *[]string, relkind byte, tablespace string, newline bool) error {
	switch relkind {
	case 'r', 'm', 'i', 'p', 'I', 't':
	default:
		return nil
	}
	if tablespace == "" || tablespace == "0" {
		return nil
	}
	rs, err := d.rows(fmt.Sprintf("SELECT spcname FROM pg_catalog.pg_tablespace\nWHERE oid = '%s';", tablespace))
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		return nil
	}
	if newline {
		*f = append(*f, fmt.Sprintf("Tablespace: \"%s\"", rs[0].s(0)))
	} else if n := len(*f); n > 0 {
		(*f)[n-1] += fmt.Sprintf(", tablespace \"%s\"", rs[0].s(0))
	}
	return nil
}

// relationFooters are the footers about a table: indexes, constraints,
// references, policies, statistics, rules and publications.
func (d *describer) relationFooters(f *[]string, oid string, ti tableInfo) error {
	add := func(s string) { *f = append(*f, s) }
	k := ti.relkind
	if ti.hasIndex {
		rs, err := d.rows(fmt.Sprintf("SELECT c2.relname, i.indisprimary, i.indisunique, i.indisclustered, i.indisvalid, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true),\n"+
			"  pg_catalog.pg_get_constraintdef(con.oid, true), contype, condeferrable, condeferred, i.indisreplident, c2.reltablespace\n"+
			"FROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i\n"+
			"  LEFT JOIN pg_catalog.pg_constraint con ON (conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x'))\n"+
			"WHERE c.oid = '%s' AND c.oid = i.indrelid AND i.indexrelid = c2.oid\nORDER BY i.indisprimary DESC, c2.relname;", oid))
		if err != nil {
			return err
		}
		if len(rs) > 0 {
			add("Indexes:")
			for _, r := range rs {
				s := fmt.Sprintf("    \"%s\"", r.s(0))
				if r.s(7) == "x" {
					s += " " + r.s(6)
				} else {
					if r.t(1) {
						s += " PRIMARY KEY,"
					} else if r.t(2) {
						if r.s(7) == "u" {
							s += " UNIQUE CONSTRAINT,"
						} else {
							s += " UNIQUE,"
						}
					}
					def := r.s(5)
					if i := strings.Index(def, " USING "); i >= 0 {
						def = def[i+7:]
					}
					s += " " + def
					if r.t(8) {
						s += " DEFERRABLE"
					}
					if r.t(9) {
						s += " INITIALLY DEFERRED"
					}
				}
				if r.t(3) {
					s += " CLUSTER"
				}
				if !r.t(4) {
					s += " INVALID"
				}
				if r.t(10) {
					s += " REPLICA IDENTITY"
				}
				add(s)
				if err := d.tablespaceFooter(f, 'i', r.s(11), false); err != nil {
					return err
				}
			}
		}
	}
	if ti.checks {
		rs, err := d.rows(fmt.Sprintf("SELECT r.conname, pg_catalog.pg_get_constraintdef(r.oid, true)\nFROM pg_catalog.pg_constraint r\nWHERE r.conrelid = '%s' AND r.contype = 'c'\nORDER BY 1;", oid))
		if err != nil {
			return err
		}
		if len(rs) > 0 {
			add("Check constraints:")
			for _, r := range rs {
				add(fmt.Sprintf("    \"%s\" %s", r.s(0), r.s(1)))
			}
		}
	}
	if ti.hasTriggers || k == 'p' {
		var q string
		if ti.isPartition || k == 'p' {
			q = fmt.Sprintf("SELECT conrelid = '%[1]s'::pg_catalog.regclass AS sametable,\n       conname,\n       pg_catalog.pg_get_constraintdef(oid, true) AS condef,\n       conrelid::pg_catalog.regclass AS ontable\n"+
				"  FROM pg_catalog.pg_constraint,\n       pg_catalog.pg_partition_ancestors('%[1]s')\n WHERE conrelid = relid AND contype = 'f' AND conparentid = 0\nORDER BY sametable DESC, conname;", oid)
		} else {
			q = fmt.Sprintf("SELECT true as sametable, conname,\n  pg_catalog.pg_get_constraintdef(r.oid, true) as condef,\n  conrelid::pg_catalog.regclass AS ontable\n"+
				"FROM pg_catalog.pg_constraint r\nWHERE r.conrelid = '%s' AND r.contype = 'f'\n     AND conparentid = 0\nORDER BY conname", oid)
		}
		rs, err := d.rows(q)
		if err != nil {
			return err
		}
		if len(rs) > 0 {
			add("Foreign-key constraints:")
			for _, r := range rs {
				if r.s(0) == "f" {
					add(fmt.Sprintf("    TABLE \"%s\" CONSTRAINT \"%s\" %s", r.s(3), r.s(1), r.s(2)))
				} else {
					add(fmt.Sprintf("    \"%s\" %s", r.s(1), r.s(2)))
				}
			}
		}
		rs, err = d.rows(fmt.Sprintf("SELECT conname, conrelid::pg_catalog.regclass AS ontable,\n       pg_catalog.pg_get_constraintdef(oid, true) AS condef\n  FROM pg_catalog.pg_constraint c\n"+
			" WHERE confrelid IN (SELECT pg_catalog.pg_partition_ancestors('%[1]s')\n                     UNION ALL VALUES ('%[1]s'::pg_catalog.regclass))\n       AND contype = 'f' AND conparentid = 0\nORDER BY conname;", oid))
		if err != nil {
			return err
		}
		if len(rs) > 0 {
			add("Referenced by:")
			for _, r := range rs {
				add(fmt.Sprintf("    TABLE \"%s\" CONSTRAINT \"%s\" %s", r.s(1), r.s(0), r.s(2)))
			}
		}
	}

	rs, err := d.rows(fmt.Sprintf("SELECT pol.polname, pol.polpermissive,\n"+
		"  CASE WHEN pol.polroles = '{0}' THEN NULL ELSE pg_catalog.array_to_string(array(select rolname from pg_catalog.pg_roles where oid = any (pol.polroles) order by 1),',') END,\n"+
		"  pg_catalog.pg_get_expr(pol.polqual, pol.polrelid),\n  pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid),\n"+
		"  CASE pol.polcmd\n    WHEN 'r' THEN 'SELECT'\n    WHEN 'a' THEN 'INSERT'\n    WHEN 'w' THEN 'UPDATE'\n    WHEN 'd' THEN 'DELETE'\n    END AS cmd\n"+
		"FROM pg_catalog.pg_policy pol\nWHERE pol.polrelid = '%s' ORDER BY 1;", oid))
	if err != nil {
		return err
	}
	n := len(rs)
	switch {
	case ti.rowSecurity && !ti.forceRowSecurity && n > 0:
		add("Policies:")
	case ti.rowSecurity && ti.forceRowSecurity && n > 0:
		add("Policies (forced row security enabled):")
	case ti.rowSecurity && !ti.forceRowSecurity && n == 0:
		add("Policies (row security enabled): (none)")
	case ti.rowSecurity && ti.forceRowSecurity && n == 0:
		add("Policies (forced row security enabled): (none)")
	case !ti.rowSecurity && n > 0:
		add("Policies (row security disabled):")
	}
	for _, r := range rs {
		s := fmt.Sprintf("    POLICY \"%s\"", r.s(0))
		if r.first(1) == 'f' {
			s += " AS RESTRICTIVE"
		}
		if !r.null(5) {
			s += " FOR " + r.s(5)
		}
		if !r.null(2) {
			s += "\n      TO " + r.s(2)
		}
		if !r.null(3) {
			s += "\n      USING (" + r.s(3) + ")"
		}
		if !r.null(4) {
			s += "\n      WITH CHECK (" + r.s(4) + ")"
		}
		add(s)
	}

	rs, err = d.rows(fmt.Sprintf("SELECT oid, stxrelid::pg_catalog.regclass, stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp, stxname,\n"+
		"pg_catalog.pg_get_statisticsobjdef_columns(oid) AS columns,\n  'd' = any(stxkind) AS ndist_enabled,\n  'f' = any(stxkind) AS deps_enabled,\n  'm' = any(stxkind) AS mcv_enabled,\nstxstattarget\n"+
		"FROM pg_catalog.pg_statistic_ext\nWHERE stxrelid = '%s'\nORDER BY nsp, stxname;", oid))
	if err != nil {
		return err
	}
	if len(rs) > 0 {
		add("Statistics objects:")
		for _, r := range rs {
			nd, dep, mcv := r.t(5), r.t(6), r.t(7)
			s := fmt.Sprintf("    \"%s.%s\"", r.s(2), r.s(3))
			if (nd || dep || mcv) && !(nd && dep && mcv) {
				var kinds []string
				if nd {
					kinds = append(kinds, "ndistinct")
				}
				if dep {
					kinds = append(kinds, "dependencies")
				}
				if mcv {
					kinds = append(kinds, "mcv")
				}
				s += " (" + strings.Join(kinds, ", ") + ")"
			}
			s += fmt.Sprintf(" ON %s FROM %s", r.s(4), r.s(1))
			if !r.null(8) && r.s(8) != "-1" {
				s += "; STATISTICS " + r.s(8)
			}
			add(s)
		}
	}

	if ti.hasRules && k != 'm' {
		rs, err := d.rows(fmt.Sprintf("SELECT r.rulename, trim(trailing ';' from pg_catalog.pg_get_ruledef(r.oid, true)), ev_enabled\nFROM pg_catalog.pg_rewrite r\nWHERE r.ev_class = '%s' ORDER BY 1;", oid))
		if err != nil {
			return err
		}
		for _, cat := range []struct {
			c       byte
			heading string
		}{{'O', "Rules:"}, {'D', "Disabled rules:"}, {'A', "Rules firing always:"}, {'R', "Rules firing on replica only:"}} {
			heading := false
			for _, r := range rs {
				if r.first(2) != cat.c {
					continue
				}
				if !heading {
					add(cat.heading)
					heading = true
				}
				add("    " + afterN(r.s(1), 12))
			}
		}
	}

	rs, err = d.rows(fmt.Sprintf("SELECT pubname\n     , NULL\n     , NULL\nFROM pg_catalog.pg_publication p\n"+
		"     JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid\n     JOIN pg_catalog.pg_class pc ON pc.relnamespace = pn.pnnspid\n"+
		"WHERE pc.oid ='%[1]s' and pg_catalog.pg_relation_is_publishable('%[1]s')\nUNION\n"+
		"SELECT pubname\n     , pg_get_expr(pr.prqual, c.oid)\n     , (CASE WHEN pr.prattrs IS NOT NULL THEN\n"+
		"         (SELECT string_agg(attname, ', ')\n           FROM pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s,\n"+
		"                pg_catalog.pg_attribute\n          WHERE attrelid = pr.prrelid AND attnum = prattrs[s])\n        ELSE NULL END) FROM pg_catalog.pg_publication p\n"+
		"     JOIN pg_catalog.pg_publication_rel pr ON p.oid = pr.prpubid\n     JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid\nWHERE pr.prrelid = '%[1]s'\nUNION\n"+
		"SELECT pubname\n     , NULL\n     , NULL\nFROM pg_catalog.pg_publication p\nWHERE p.puballtables AND pg_catalog.pg_relation_is_publishable('%[1]s')\nORDER BY 1;", oid))
	if err != nil {
		return err
	}
	if len(rs) > 0 {
		add("Publications:")
	}
	for _, r := range rs {
		s := fmt.Sprintf("    \"%s\"", r.s(0))
		if !r.null(2) {
			s += " (" + r.s(2) + ")"
		}
		if !r.null(1) {
			s += " WHERE " + r.s(1)
		}
		add(s)
	}
	return nil
}

// triggerFooters lists user triggers (and disabled internal ones) by
// category, as psql does.
func (d *describer) triggerFooters(f *[]string, oid string) error {
	rs, err := d.rows(fmt.Sprintf("SELECT t.tgname, pg_catalog.pg_get_triggerdef(t.oid, true), t.tgenabled, t.tgisinternal,\n"+
		"  CASE WHEN t.tgparentid != 0 THEN\n    (SELECT u.tgrelid::pg_catalog.regclass\n     FROM pg_catalog.pg_trigger AS u,\n"+
		"          pg_catalog.pg_partition_ancestors(t.tgrelid) WITH ORDINALITY AS a(relid, depth)\n     WHERE u.tgname = t.tgname AND u.tgrelid = a.relid\n"+
		"           AND u.tgparentid = 0\n     ORDER BY a.depth LIMIT 1)\n  END AS parent\n"+
		"FROM pg_catalog.pg_trigger t\nWHERE t.tgrelid = '%s' AND (NOT t.tgisinternal OR (t.tgisinternal AND t.tgenabled = 'D'))\nORDER BY 1;", oid))
	if err != nil {
		return err
	}
	headings := []string{"Triggers:", "Disabled user triggers:", "Disabled internal triggers:", "Triggers firing always:", "Triggers firing on replica only:"}
	for cat, heading := range headings {
		have := false
		for _, r := range rs {
			en, internal := r.first(2), r.first(3)
			var list bool
			switch cat {
			case 0:
				list = en == 'O' || en == 't'
			case 1:
				list = (en == 'D' || en == 'f') && internal == 'f'
			case 2:
				list = (en == 'D' || en == 'f') && internal == 't'
			case 3:
				list = en == 'A'
			case 4:
				list = en == 'R'
			}
			if !list {
				continue
			}
			if !have {
				*f = append(*f, heading)
				have = true
			}
			def := r.s(1)
			if i := strings.Index(def, " TRIGGER "); i >= 0 {
				def = def[i+9:]
			}
			s := "    " + def
			if !r.null(4) {
				s += ", ON TABLE " + r.s(4)
			}
			*f = append(*f, s)
		}
	}
	return nil
}
