package syntax

// IsKeyword reports whether w (any case) is drawn as a keyword: the
// reserved words of PostgreSQL's grammar, the words that start a command,
// and the words of its common clauses. Unreserved words that are often
// column names (name, type, data, value, key, text) are left plain.
func IsKeyword(w string) bool {
	var buf [24]byte
	if len(w) < 2 || len(w) > len(buf) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z', c == '_':
		default:
			return false
		}
		buf[i] = c
	}
	switch string(buf[:len(w)]) {
	case
		// reserved
		"ALL", "ANALYSE", "ANALYZE", "AND", "ANY", "ARRAY", "AS", "ASC", "ASYMMETRIC",
		"BOTH", "CASE", "CAST", "CHECK", "COLLATE", "COLUMN", "CONSTRAINT", "CREATE",
		"CURRENT_CATALOG", "CURRENT_DATE", "CURRENT_ROLE", "CURRENT_TIME",
		"CURRENT_TIMESTAMP", "CURRENT_USER", "DEFAULT", "DEFERRABLE", "DESC",
		"DISTINCT", "DO", "ELSE", "END", "EXCEPT", "FALSE", "FETCH", "FOR", "FOREIGN",
		"FROM", "GRANT", "GROUP", "HAVING", "IN", "INITIALLY", "INTERSECT", "INTO",
		"LATERAL", "LEADING", "LIMIT", "LOCALTIME", "LOCALTIMESTAMP", "NOT", "NULL",
		"OFFSET", "ON", "ONLY", "OR", "ORDER", "PLACING", "PRIMARY", "REFERENCES",
		"RETURNING", "SELECT", "SESSION_USER", "SOME", "SYMMETRIC", "SYSTEM_USER",
		"TABLE", "THEN", "TO", "TRAILING", "TRUE", "UNION", "UNIQUE", "USER", "USING",
		"VARIADIC", "WHEN", "WHERE", "WINDOW", "WITH",
		// reserved where a function or type name could stand
		"AUTHORIZATION", "BINARY", "COLLATION", "CONCURRENTLY", "CROSS",
		"CURRENT_SCHEMA", "FREEZE", "FULL", "ILIKE", "INNER", "IS", "ISNULL", "JOIN",
		"LEFT", "LIKE", "NATURAL", "NOTNULL", "OUTER", "OVERLAPS", "RIGHT", "SIMILAR",
		"TABLESAMPLE", "VERBOSE",
		// commands
		"ABORT", "ALTER", "BEGIN", "CALL", "CHECKPOINT", "CLOSE", "CLUSTER", "COMMENT",
		"COMMIT", "COPY", "DEALLOCATE", "DECLARE", "DELETE", "DISCARD", "DROP",
		"EXECUTE", "EXPLAIN", "IMPORT", "INSERT", "LISTEN", "LOAD", "LOCK", "MERGE",
		"MOVE", "NOTIFY", "PREPARE", "REASSIGN", "REFRESH", "REINDEX", "RELEASE",
		"RESET", "REVOKE", "ROLLBACK", "SAVEPOINT", "SET", "SHOW", "START",
		"TRUNCATE", "UNLISTEN", "UPDATE", "VACUUM", "VALUES",
		// objects and clauses
		"ADD", "ATOMIC", "BETWEEN", "BY", "CASCADE", "CONFLICT", "DATABASE", "EXISTS",
		"EXTENSION", "FILTER", "FIRST", "FUNCTION", "IF", "INDEX", "INTERVAL",
		"LANGUAGE", "LAST", "MATCHED", "MATERIALIZED", "NOTHING", "NULLS", "OVER",
		"OWNER", "PARTITION", "PROCEDURE", "RECURSIVE", "RENAME", "REPLACE",
		"RESTRICT", "RETURNS", "ROLE", "SCHEMA", "SEQUENCE", "TEMP", "TEMPORARY",
		"TRANSACTION", "TRIGGER", "UNLOGGED", "VIEW":
		return true
	}
	return false
}
