package complete

// startKeywords begin a statement.
var startKeywords = []string{
	"ABORT", "ALTER", "ANALYZE", "BEGIN", "CALL", "CHECKPOINT", "CLOSE", "CLUSTER", "COMMENT", "COMMIT",
	"COPY", "CREATE", "DEALLOCATE", "DECLARE", "DELETE", "DISCARD", "DO", "DROP", "END", "EXECUTE",
	"EXPLAIN", "FETCH", "GRANT", "IMPORT", "INSERT", "LISTEN", "LOCK", "MERGE", "MOVE", "NOTIFY",
	"PREPARE", "REASSIGN", "REFRESH", "REINDEX", "RELEASE", "RESET", "REVOKE", "ROLLBACK", "SAVEPOINT",
	"SELECT", "SET", "SHOW", "START", "TABLE", "TRUNCATE", "UNLISTEN", "UPDATE", "VACUUM", "VALUES", "WITH",
}

// expressionKeywords may stand in an expression.
var expressionKeywords = []string{
	"AND", "ANY", "ALL", "ARRAY", "BETWEEN", "CASE", "CAST", "COALESCE", "CURRENT_DATE", "CURRENT_TIMESTAMP",
	"CURRENT_USER", "DISTINCT", "ELSE", "END", "EXISTS", "FALSE", "ILIKE", "IN", "INTERVAL", "IS", "LIKE",
	"NOT", "NULL", "OR", "SIMILAR", "THEN", "TRUE", "WHEN",
}

// clauseKeywords are the words that may follow a complete name or value
// in clause (or right after the keyword clause).
func clauseKeywords(clause string) []string {
	switch clause {
	case "select":
		return []string{"AS", "FROM", "INTO", "AND", "OR", "IS", "NOT", "IN", "LIKE", "ILIKE", "BETWEEN",
			"UNION", "EXCEPT", "INTERSECT", "WHERE", "GROUP", "ORDER", "LIMIT", "OVER", "FILTER"}
	case "from":
		return []string{"AS", "WHERE", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "ON",
			"USING", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "UNION", "EXCEPT", "INTERSECT", "WINDOW",
			"FOR", "FETCH", "TABLESAMPLE", "RETURNING"}
	case "where", "having", "on", "set", "(":
		return []string{"AND", "OR", "NOT", "IS", "IN", "LIKE", "ILIKE", "BETWEEN", "ESCAPE", "WHERE",
			"JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET",
			"UNION", "EXCEPT", "INTERSECT", "RETURNING", "FROM", "FOR"}
	case "order by", "group by", "partition by":
		return []string{"ASC", "DESC", "NULLS", "FIRST", "LAST", "USING", "HAVING", "ORDER", "LIMIT", "OFFSET",
			"ROWS", "RANGE", "UNION", "EXCEPT", "INTERSECT", "FOR", "FETCH"}
	case "limit", "offset":
		return []string{"OFFSET", "LIMIT", "FETCH", "FOR"}
	case "update":
		return []string{"AS", "SET"}
	case "into":
		return []string{"VALUES", "SELECT", "DEFAULT", "OVERRIDING", "AS", "ON", "RETURNING"}
	case "values":
		return []string{"ON", "RETURNING", "ORDER", "LIMIT"}
	case "returning":
		return []string{"AS", "INTO"}
	case "truncate":
		return []string{"CASCADE", "RESTRICT", "RESTART", "CONTINUE", "ONLY"}
	case "table":
		return []string{"ADD", "ALTER", "ATTACH", "CLUSTER", "DETACH", "DISABLE", "DROP", "ENABLE", "INHERIT",
			"OWNER", "RENAME", "REPLICA", "RESET", "SET", "VALIDATE", "CASCADE", "RESTRICT"}
	case "create":
		return []string{"TABLE", "VIEW", "INDEX", "UNIQUE", "SCHEMA", "SEQUENCE", "FUNCTION", "PROCEDURE",
			"TRIGGER", "TYPE", "DOMAIN", "EXTENSION", "ROLE", "USER", "DATABASE", "MATERIALIZED", "TEMP",
			"TEMPORARY", "UNLOGGED", "OR", "POLICY", "PUBLICATION", "SUBSCRIPTION", "AGGREGATE", "COLLATION", "CAST"}
	case "alter", "drop":
		return []string{"TABLE", "VIEW", "INDEX", "SCHEMA", "SEQUENCE", "FUNCTION", "PROCEDURE", "TRIGGER",
			"TYPE", "DOMAIN", "EXTENSION", "ROLE", "USER", "DATABASE", "MATERIALIZED", "POLICY", "PUBLICATION",
			"SUBSCRIPTION", "AGGREGATE", "DEFAULT", "OWNED"}
	case "order", "group", "partition":
		return []string{"BY"}
	case "left", "right", "full":
		return []string{"JOIN", "OUTER"}
	case "inner", "cross", "natural", "outer":
		return []string{"JOIN"}
	case "delete":
		return []string{"FROM"}
	case "insert":
		return []string{"INTO"}
	case "unique":
		return []string{"INDEX"}
	case "materialized":
		return []string{"VIEW"}
	case "temp", "temporary", "unlogged":
		return []string{"TABLE", "VIEW", "SEQUENCE"}
	}
	return []string{"AND", "AS", "ASC", "BY", "DESC", "FROM", "GROUP", "HAVING", "IN", "IS", "JOIN", "LIMIT",
		"NOT", "NULL", "OFFSET", "ON", "OR", "ORDER", "RETURNING", "SET", "THEN", "UNION", "USING", "VALUES",
		"WHEN", "WHERE", "WITH"}
}

// builtinFunctions are the server's functions most often typed; the
// catalogue's own (outside pg_catalog) come from Meta.
var builtinFunctions = []string{
	"abs", "age", "array_agg", "array_length", "avg", "bool_and", "bool_or", "btrim", "ceil", "char_length",
	"clock_timestamp", "coalesce", "concat", "concat_ws", "count", "current_setting", "date_part", "date_trunc",
	"dense_rank", "extract", "first_value", "floor", "format", "gen_random_uuid", "generate_series", "greatest",
	"jsonb_agg", "jsonb_array_elements", "jsonb_build_object", "jsonb_each", "jsonb_object_agg", "json_agg",
	"json_build_object", "lag", "last_value", "lead", "least", "left", "length", "lower", "ltrim", "make_interval",
	"max", "md5", "min", "now", "nullif", "ntile", "pg_size_pretty", "pg_total_relation_size", "position", "rank",
	"random", "regexp_match", "regexp_replace", "repeat", "replace", "right", "round", "row_number", "rtrim",
	"split_part", "statement_timestamp", "string_agg", "strpos", "substr", "substring", "sum", "to_char",
	"to_date", "to_jsonb", "to_number", "to_timestamp", "trim", "trunc", "unnest", "upper",
}
