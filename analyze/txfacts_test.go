//go:build cgo

package analyze

import "testing"

func TestTxControl(t *testing.T) {
	cases := []struct {
		sql   string
		kind  TxKind
		chain bool
		name  string
		n     int
		class Class
		modes BeginModes
	}{
		{"BEGIN", TxBegin, false, "", 1, Read, BeginModes{}},
		{"begin;", TxBegin, false, "", 1, Read, BeginModes{}},
		{"START TRANSACTION ISOLATION LEVEL SERIALIZABLE", TxBegin, false, "", 1, Read,
			BeginModes{HasModes: true, Isolation: "serializable"}},
		{"BEGIN READ ONLY", TxBegin, false, "", 1, Read, BeginModes{HasModes: true, ReadOnly: true}},
		{"BEGIN READ WRITE", TxBegin, false, "", 1, Write, BeginModes{HasModes: true, ReadWrite: true}},
		{"START TRANSACTION READ WRITE, DEFERRABLE", TxBegin, false, "", 1, Write,
			BeginModes{HasModes: true, ReadWrite: true, Deferrable: true}},
		{"COMMIT", TxCommit, false, "", 1, Read, BeginModes{}},
		{"END", TxCommit, false, "", 1, Read, BeginModes{}},
		{"COMMIT AND CHAIN", TxCommit, true, "", 1, Read, BeginModes{}},
		{"ROLLBACK", TxRollback, false, "", 1, Read, BeginModes{}},
		{"ABORT", TxRollback, false, "", 1, Read, BeginModes{}},
		{"ROLLBACK AND CHAIN", TxRollback, true, "", 1, Read, BeginModes{}},
		{"SAVEPOINT s1", TxSavepoint, false, "s1", 1, Read, BeginModes{}},
		{"RELEASE SAVEPOINT s1", TxRelease, false, "s1", 1, Read, BeginModes{}},
		{"RELEASE s1", TxRelease, false, "s1", 1, Read, BeginModes{}},
		{"ROLLBACK TO SAVEPOINT s1", TxRollbackTo, false, "s1", 1, Read, BeginModes{}},
		{"ROLLBACK TO s1", TxRollbackTo, false, "s1", 1, Read, BeginModes{}},
		{"PREPARE TRANSACTION 'g1'", TxPrepare, false, "g1", 1, Read, BeginModes{}},
		{"COMMIT PREPARED 'g1'", TxCommitPrepared, false, "g1", 1, Destructive, BeginModes{}},
		{"ROLLBACK PREPARED 'g1'", TxRollbackPrepared, false, "g1", 1, Destructive, BeginModes{}},
		{"/* begin */ SELECT 1", TxNone, false, "", 1, Read, BeginModes{}},
		{"-- commit\nDELETE FROM t WHERE id = 1", TxNone, false, "", 1, Destructive, BeginModes{}},
		// More than one statement is never one statement.
		{"COMMIT; DELETE FROM t", TxNone, false, "", 2, Destructive, BeginModes{}},
		{"BEGIN; SELECT 1; COMMIT;", TxNone, false, "", 3, Read, BeginModes{}},
		{"ROLLBACK; ROLLBACK", TxNone, false, "", 2, Read, BeginModes{}},
		{"", TxNone, false, "", 0, Read, BeginModes{}},
		{"-- only a comment", TxNone, false, "", 0, Read, BeginModes{}},
		{"/* c */ ;", TxNone, false, "", 0, Read, BeginModes{}},
		{"selct 1; commit", TxNone, false, "", 2, Destructive, BeginModes{}},
	}
	for _, c := range cases {
		v := Classify(c.sql)
		if v.TxControl != c.kind || v.Chain != c.chain || v.TxName != c.name || v.Statements != c.n ||
			v.Class != c.class || v.BeginModes != c.modes {
			t.Errorf("%q: got %s chain=%v name=%q n=%d %s %+v; want %s chain=%v name=%q n=%d %s %+v",
				c.sql, v.TxControl, v.Chain, v.TxName, v.Statements, v.Class, v.BeginModes,
				c.kind, c.chain, c.name, c.n, c.class, c.modes)
		}
	}
	v := Classify("COMMIT PREPARED 'g1'")
	if !v.Has(FlagOpaque) {
		t.Errorf("COMMIT PREPARED: %v", v.Flags)
	}
	// Refine keeps the facts.
	r := Classify("COMMIT AND CHAIN").Refine(map[string]byte{"x": 'i'})
	if r.TxControl != TxCommit || !r.Chain || r.Statements != 1 {
		t.Errorf("Refine lost facts: %+v", r)
	}
	r = Classify("SELECT app.f()").Refine(map[string]byte{"app.f": 's'})
	if r.Statements != 1 {
		t.Errorf("Refine lost Statements: %+v", r)
	}
}

func TestNoTransactionBlock(t *testing.T) {
	yes := []string{
		"VACUUM", "VACUUM orders", "VACUUM (FULL, ANALYZE) orders", "vacuum full",
		"CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)",
		"DROP INDEX CONCURRENTLY i",
		"REINDEX INDEX CONCURRENTLY i", "REINDEX (VERBOSE) TABLE CONCURRENTLY t", "REINDEX DATABASE app",
		"REINDEX SYSTEM app", "REINDEX SCHEMA public",
		"CREATE DATABASE x", "DROP DATABASE x", "DROP DATABASE IF EXISTS x WITH (FORCE)",
		"CREATE TABLESPACE ts LOCATION '/x'", "DROP TABLESPACE ts",
		"ALTER SYSTEM SET work_mem = '1GB'", "ALTER SYSTEM RESET ALL",
		"CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p",
		"DROP SUBSCRIPTION s",
		"DISCARD ALL", "CLUSTER", "CLUSTER VERBOSE",
		"ALTER TABLE p DETACH PARTITION c CONCURRENTLY",
		"ALTER DATABASE app SET TABLESPACE ts",
		"SELECT 1; VACUUM",
	}
	no := []string{
		"ANALYZE", "ANALYZE orders", "CREATE INDEX i ON t (a)", "DROP INDEX i", "REINDEX TABLE t",
		"REINDEX INDEX i", "DISCARD PLANS", "DISCARD TEMP", "CLUSTER t", "CLUSTER t USING i",
		"ALTER TABLE p DETACH PARTITION c", "ALTER DATABASE app SET work_mem = '1MB'",
		"CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p WITH (connect = false)",
		"CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p WITH (create_slot = false)",
		"SELECT 'vacuum'", "-- vacuum\nSELECT 1", "BEGIN", "COMMIT", "SELECT 1",
		"CREATE TABLE concurrently (a int)",
	}
	for _, sql := range yes {
		if !Classify(sql).NoTransactionBlock {
			t.Errorf("%q: NoTransactionBlock false, want true", sql)
		}
	}
	for _, sql := range no {
		if Classify(sql).NoTransactionBlock {
			t.Errorf("%q: NoTransactionBlock true, want false", sql)
		}
	}
}

func TestSafeForm(t *testing.T) {
	cases := map[string]string{
		"CREATE INDEX i ON t (a)":                   saferCreateIndex,
		"create unique index i on t (a)":            saferCreateIndex,
		"CREATE INDEX CONCURRENTLY i ON t (a)":      "",
		"DROP INDEX i":                              saferDropIndex,
		"DROP INDEX CONCURRENTLY i":                 "",
		"DROP TABLE t":                              "",
		"REINDEX TABLE t":                           saferReindex,
		"REINDEX TABLE CONCURRENTLY t":              "",
		"REFRESH MATERIALIZED VIEW mv":              saferRefresh,
		"REFRESH MATERIALIZED VIEW CONCURRENTLY mv": "",
		"ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id)":      saferConstraint,
		"ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)":                          saferConstraint,
		"ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID":                "",
		"ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)":                             "",
		"ALTER TABLE p DETACH PARTITION c":                                      saferDetach,
		"ALTER TABLE p DETACH PARTITION c CONCURRENTLY":                         "",
		"ALTER TABLE t ALTER COLUMN a SET NOT NULL":                             saferNotNull,
		"ALTER TABLE t ADD COLUMN b int":                                        "",
		"SELECT 'create index' FROM t":                                          "",
		"/* x */ CREATE INDEX i ON t (a)":                                       saferCreateIndex,
		"ALTER TABLE t ADD COLUMN b int, ALTER a SET NOT NULL":                  saferNotNull,
		"ALTER TABLE t VALIDATE CONSTRAINT c":                                   "",
		"ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u NOT VALID": "",
	}
	for sql, want := range cases {
		if got := Classify(sql).SafeForm; got != want {
			t.Errorf("%q: SafeForm %q, want %q", sql, got, want)
		}
	}
}

func TestSetsStandardStrings(t *testing.T) {
	on, off := true, false
	cases := map[string]*bool{
		"SET standard_conforming_strings = off":                                       &off,
		"SET standard_conforming_strings TO 'on'":                                     &on,
		"SET LOCAL standard_conforming_strings = false":                               &off,
		"set standard_conforming_strings to 1":                                        &on,
		"SET standard_conforming_strings TO DEFAULT":                                  nil,
		"RESET standard_conforming_strings":                                           nil,
		"SET escape_string_warning = off":                                             nil,
		"SELECT set_config('standard_conforming_strings', 'off', false)":              &off,
		"SET standard_conforming_strings = off; SET standard_conforming_strings = on": &on,
		"SELECT 1": nil,
	}
	for sql, want := range cases {
		v := Classify(sql)
		got := v.SetsStandardStrings
		if (got == nil) != (want == nil) || got != nil && *got != *want {
			t.Errorf("%q: SetsStandardStrings %v, want %v", sql, ptrStr(got), ptrStr(want))
		}
		if v.Class != Read {
			t.Errorf("%q: %s, want read", sql, v.Class)
		}
	}
}

func ptrStr(b *bool) string {
	if b == nil {
		return "nil"
	}
	if *b {
		return "true"
	}
	return "false"
}
