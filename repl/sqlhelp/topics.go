package sqlhelp

// The synopses below are safesql's own summaries of the PostgreSQL 15
// grammar, written for this package. Conventions: [ ] is optional,
// { a | b } is a choice, [, ...] repeats with commas, [ ... ] repeats
// without; lower-case words are placeholders, explained under the
// statement where that helps.

// Shared pieces, repeated where several statements use them.
const (
	withClause  = `[ WITH [ RECURSIVE ] cte [, ...] ]`
	returning   = `[ RETURNING { * | expr [ [ AS ] name ] } [, ...] ]`
	roleOptions = `  SUPERUSER | NOSUPERUSER
  CREATEDB | NOCREATEDB
  CREATEROLE | NOCREATEROLE
  INHERIT | NOINHERIT
  LOGIN | NOLOGIN
  REPLICATION | NOREPLICATION
  BYPASSRLS | NOBYPASSRLS
  CONNECTION LIMIT connections
  [ ENCRYPTED ] PASSWORD 'password' | PASSWORD NULL
  VALID UNTIL 'timestamp'`
	roleSpec = `role is a role name, CURRENT_ROLE, CURRENT_USER or SESSION_USER`
	txModes  = `mode is one of:
  ISOLATION LEVEL { SERIALIZABLE | REPEATABLE READ | READ COMMITTED | READ UNCOMMITTED }
  READ WRITE | READ ONLY
  [ NOT ] DEFERRABLE`
	setList = `{ column = { expr | DEFAULT }
      | ( column [, ...] ) = [ ROW ] ( { expr | DEFAULT } [, ...] )
      | ( column [, ...] ) = ( subquery ) } [, ...]`
	privilegeForms = `privileges ON objects is one of:
  { { SELECT | INSERT | UPDATE | DELETE | TRUNCATE | REFERENCES | TRIGGER } [, ...] | ALL [ PRIVILEGES ] }
      ON { [ TABLE ] table [, ...] | ALL TABLES IN SCHEMA schema [, ...] }
  { { SELECT | INSERT | UPDATE | REFERENCES } ( column [, ...] ) [, ...] | ALL [ PRIVILEGES ] ( column [, ...] ) }
      ON [ TABLE ] table [, ...]
  { { USAGE | SELECT | UPDATE } [, ...] | ALL [ PRIVILEGES ] }
      ON { SEQUENCE sequence [, ...] | ALL SEQUENCES IN SCHEMA schema [, ...] }
  { { CREATE | CONNECT | TEMPORARY | TEMP } [, ...] | ALL [ PRIVILEGES ] }
      ON DATABASE database [, ...]
  { { CREATE | USAGE } [, ...] | ALL [ PRIVILEGES ] }
      ON SCHEMA schema [, ...]
  { EXECUTE | ALL [ PRIVILEGES ] }
      ON { { FUNCTION | PROCEDURE | ROUTINE } routine [ ( [ [ argmode ] [ argname ] argtype [, ...] ] ) ] [, ...]
         | ALL { FUNCTIONS | PROCEDURES | ROUTINES } IN SCHEMA schema [, ...] }
  { USAGE | ALL [ PRIVILEGES ] }
      ON { DOMAIN | TYPE | LANGUAGE | FOREIGN DATA WRAPPER | FOREIGN SERVER } name [, ...]
  { { SELECT | UPDATE } [, ...] | ALL [ PRIVILEGES ] }
      ON LARGE OBJECT oid [, ...]
  { CREATE | ALL [ PRIVILEGES ] }
      ON TABLESPACE tablespace [, ...]
  { { SET | ALTER SYSTEM } [, ...] | ALL [ PRIVILEGES ] }
      ON PARAMETER parameter [, ...]

grantee is one of:
  [ GROUP ] role_name
  PUBLIC
  CURRENT_ROLE
  CURRENT_USER
  SESSION_USER`
	routineArgs = `( [ [ argmode ] [ argname ] argtype [, ...] ] )`
)

// topics is the table of help, in no particular order.
func topics() []Topic {
	return []Topic{
		{"SELECT", "read rows from tables, views, functions or subqueries", "sql-select", withClause + `
SELECT [ ALL | DISTINCT [ ON ( expr [, ...] ) ] ]
       [ { * | expr [ [ AS ] name ] } [, ...] ]
  [ FROM source [, ...] ]
  [ WHERE condition ]
  [ GROUP BY [ ALL | DISTINCT ] grouping [, ...] ]
  [ HAVING condition ]
  [ WINDOW window AS ( window_spec ) [, ...] ]
  [ { UNION | INTERSECT | EXCEPT } [ ALL | DISTINCT ] other_select ]
  [ ORDER BY expr [ ASC | DESC | USING operator ] [ NULLS { FIRST | LAST } ] [, ...] ]
  [ LIMIT { count | ALL } ]
  [ OFFSET skip [ ROW | ROWS ] ]
  [ FETCH { FIRST | NEXT } [ count ] { ROW | ROWS } { ONLY | WITH TIES } ]
  [ FOR { UPDATE | NO KEY UPDATE | SHARE | KEY SHARE } [ OF table [, ...] ] [ NOWAIT | SKIP LOCKED ] [ ... ] ]

TABLE [ ONLY ] table [ * ]

source is one of:
  [ ONLY ] table [ * ] [ [ AS ] alias [ ( column_alias [, ...] ) ] ]
      [ TABLESAMPLE method ( argument [, ...] ) [ REPEATABLE ( seed ) ] ]
  [ LATERAL ] ( select ) [ AS ] alias [ ( column_alias [, ...] ) ]
  cte_name [ [ AS ] alias [ ( column_alias [, ...] ) ] ]
  [ LATERAL ] function ( [ argument [, ...] ] ) [ WITH ORDINALITY ]
      [ [ AS ] alias [ ( column_alias [, ...] | column_definition [, ...] ) ] ]
  [ LATERAL ] ROWS FROM ( function ( [ argument [, ...] ] ) [, ...] ) [ WITH ORDINALITY ]
      [ [ AS ] alias [ ( column_alias [, ...] ) ] ]
  source join_type source { ON condition | USING ( column [, ...] ) [ AS join_alias ] }
  source NATURAL join_type source
  source CROSS JOIN source

join_type is one of:
  [ INNER ] JOIN
  LEFT [ OUTER ] JOIN
  RIGHT [ OUTER ] JOIN
  FULL [ OUTER ] JOIN

grouping is one of:
  ( )
  expr
  ( expr [, ...] )
  ROLLUP ( { expr | ( expr [, ...] ) } [, ...] )
  CUBE ( { expr | ( expr [, ...] ) } [, ...] )
  GROUPING SETS ( grouping [, ...] )

cte is:
  cte_name [ ( column [, ...] ) ] AS [ [ NOT ] MATERIALIZED ]
      ( select | values | insert | update | delete )
      [ SEARCH { BREADTH | DEPTH } FIRST BY column [, ...] SET order_column ]
      [ CYCLE column [, ...] SET mark_column [ TO mark_value DEFAULT default_value ] USING path_column ]`},

		{"INSERT", "add rows to a table", "sql-insert", withClause + `
INSERT INTO table [ AS alias ] [ ( column [, ...] ) ]
  [ OVERRIDING { SYSTEM | USER } VALUE ]
  { DEFAULT VALUES | VALUES ( { expr | DEFAULT } [, ...] ) [, ...] | query }
  [ ON CONFLICT [ conflict_target ] conflict_action ]
  ` + returning + `

conflict_target is one of:
  ( { column | ( expr ) } [ COLLATE collation ] [ opclass ] [, ...] ) [ WHERE index_predicate ]
  ON CONSTRAINT constraint

conflict_action is one of:
  DO NOTHING
  DO UPDATE SET ` + setList + `
      [ WHERE condition ]`},

		{"UPDATE", "change column values in existing rows of a table", "sql-update", withClause + `
UPDATE [ ONLY ] table [ * ] [ [ AS ] alias ]
  SET ` + setList + `
  [ FROM source [, ...] ]
  [ WHERE condition | WHERE CURRENT OF cursor ]
  ` + returning},

		{"DELETE", "remove rows from a table", "sql-delete", withClause + `
DELETE FROM [ ONLY ] table [ * ] [ [ AS ] alias ]
  [ USING source [, ...] ]
  [ WHERE condition | WHERE CURRENT OF cursor ]
  ` + returning},

		{"MERGE", "insert, update or delete the rows of a table according to a joined source", "sql-merge", `[ WITH cte [, ...] ]
MERGE INTO [ ONLY ] target [ * ] [ [ AS ] alias ]
  USING source ON join_condition
  when_clause [ ... ]

source is one of:
  [ ONLY ] table [ * ] [ [ AS ] alias ]
  ( query ) [ AS ] alias

when_clause is one of:
  WHEN MATCHED [ AND condition ] THEN
      { UPDATE SET { column = { expr | DEFAULT }
                   | ( column [, ...] ) = ( { expr | DEFAULT } [, ...] ) } [, ...]
      | DELETE
      | DO NOTHING }
  WHEN NOT MATCHED [ AND condition ] THEN
      { INSERT [ ( column [, ...] ) ] [ OVERRIDING { SYSTEM | USER } VALUE ]
            { VALUES ( { expr | DEFAULT } [, ...] ) | DEFAULT VALUES }
      | DO NOTHING }`},

		{"TRUNCATE", "remove every row of tables at once", "sql-truncate", `TRUNCATE [ TABLE ] [ ONLY ] table [ * ] [, ...]
  [ RESTART IDENTITY | CONTINUE IDENTITY ] [ CASCADE | RESTRICT ]`},

		{"CREATE TABLE", "create a new table", "sql-createtable", `CREATE [ [ GLOBAL | LOCAL ] { TEMPORARY | TEMP } | UNLOGGED ] TABLE [ IF NOT EXISTS ] table (
    [ { column type [ COMPRESSION method ] [ COLLATE collation ] [ column_constraint [ ... ] ]
      | table_constraint
      | LIKE source_table [ like_option ... ] } [, ...] ]
  )
  [ INHERITS ( parent [, ...] ) ]
  [ table_options ]

CREATE [ ... ] TABLE [ IF NOT EXISTS ] table OF type
  [ ( { column [ WITH OPTIONS ] [ column_constraint [ ... ] ] | table_constraint } [, ...] ) ]
  [ table_options ]

CREATE [ ... ] TABLE [ IF NOT EXISTS ] table PARTITION OF parent
  [ ( { column [ WITH OPTIONS ] [ column_constraint [ ... ] ] | table_constraint } [, ...] ) ]
  { FOR VALUES partition_bound | DEFAULT }
  [ table_options ]

table_options are, in this order:
  [ PARTITION BY { RANGE | LIST | HASH } ( { column | ( expr ) } [ COLLATE collation ] [ opclass ] [, ...] ) ]
  [ USING access_method ]
  [ WITH ( storage_parameter [= value] [, ...] ) | WITHOUT OIDS ]
  [ ON COMMIT { PRESERVE ROWS | DELETE ROWS | DROP } ]
  [ TABLESPACE tablespace ]

column_constraint is:
  [ CONSTRAINT name ]
  { NOT NULL
  | NULL
  | CHECK ( expr ) [ NO INHERIT ]
  | DEFAULT expr
  | GENERATED ALWAYS AS ( expr ) STORED
  | GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [ ( sequence_option [ ... ] ) ]
  | UNIQUE [ NULLS [ NOT ] DISTINCT ] index_options
  | PRIMARY KEY index_options
  | REFERENCES ref_table [ ( ref_column ) ] [ MATCH { FULL | PARTIAL | SIMPLE } ]
      [ ON DELETE ref_action ] [ ON UPDATE ref_action ] }
  [ DEFERRABLE | NOT DEFERRABLE ] [ INITIALLY { DEFERRED | IMMEDIATE } ]

table_constraint is:
  [ CONSTRAINT name ]
  { CHECK ( expr ) [ NO INHERIT ]
  | UNIQUE [ NULLS [ NOT ] DISTINCT ] ( column [, ...] ) index_options
  | PRIMARY KEY ( column [, ...] ) index_options
  | EXCLUDE [ USING index_method ] ( exclude_element WITH operator [, ...] ) index_options [ WHERE ( predicate ) ]
  | FOREIGN KEY ( column [, ...] ) REFERENCES ref_table [ ( ref_column [, ...] ) ]
      [ MATCH { FULL | PARTIAL | SIMPLE } ] [ ON DELETE ref_action ] [ ON UPDATE ref_action ] }
  [ DEFERRABLE | NOT DEFERRABLE ] [ INITIALLY { DEFERRED | IMMEDIATE } ]

like_option is:
  { INCLUDING | EXCLUDING }
  { COMMENTS | COMPRESSION | CONSTRAINTS | DEFAULTS | GENERATED | IDENTITY | INDEXES | STATISTICS | STORAGE | ALL }

partition_bound is one of:
  IN ( value [, ...] )
  FROM ( { value | MINVALUE | MAXVALUE } [, ...] ) TO ( { value | MINVALUE | MAXVALUE } [, ...] )
  WITH ( MODULUS modulus, REMAINDER remainder )

index_options are:
  [ INCLUDE ( column [, ...] ) ]
  [ WITH ( storage_parameter [= value] [, ...] ) ]
  [ USING INDEX TABLESPACE tablespace ]

exclude_element is:
  { column | ( expr ) } [ opclass ] [ ASC | DESC ] [ NULLS { FIRST | LAST } ]

ref_action is one of:
  NO ACTION | RESTRICT | CASCADE | SET NULL [ ( column [, ...] ) ] | SET DEFAULT [ ( column [, ...] ) ]`},

		{"ALTER TABLE", "change the definition of a table", "sql-altertable", `ALTER TABLE [ IF EXISTS ] [ ONLY ] table [ * ] action [, ...]
ALTER TABLE [ IF EXISTS ] [ ONLY ] table [ * ] RENAME [ COLUMN ] column TO new_column
ALTER TABLE [ IF EXISTS ] [ ONLY ] table [ * ] RENAME CONSTRAINT constraint TO new_constraint
ALTER TABLE [ IF EXISTS ] table RENAME TO new_name
ALTER TABLE [ IF EXISTS ] table SET SCHEMA new_schema
ALTER TABLE ALL IN TABLESPACE tablespace [ OWNED BY role [, ...] ]
  SET TABLESPACE new_tablespace [ NOWAIT ]
ALTER TABLE [ IF EXISTS ] parent ATTACH PARTITION partition { FOR VALUES partition_bound | DEFAULT }
ALTER TABLE [ IF EXISTS ] parent DETACH PARTITION partition [ CONCURRENTLY | FINALIZE ]

action is one of:
  ADD [ COLUMN ] [ IF NOT EXISTS ] column type [ COLLATE collation ] [ column_constraint [ ... ] ]
  DROP [ COLUMN ] [ IF EXISTS ] column [ RESTRICT | CASCADE ]
  ALTER [ COLUMN ] column [ SET DATA ] TYPE type [ COLLATE collation ] [ USING expr ]
  ALTER [ COLUMN ] column { SET DEFAULT expr | DROP DEFAULT }
  ALTER [ COLUMN ] column { SET | DROP } NOT NULL
  ALTER [ COLUMN ] column DROP EXPRESSION [ IF EXISTS ]
  ALTER [ COLUMN ] column ADD GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [ ( sequence_option [ ... ] ) ]
  ALTER [ COLUMN ] column { SET GENERATED { ALWAYS | BY DEFAULT } | SET sequence_option | RESTART [ [ WITH ] restart ] } [ ... ]
  ALTER [ COLUMN ] column DROP IDENTITY [ IF EXISTS ]
  ALTER [ COLUMN ] column SET STATISTICS target
  ALTER [ COLUMN ] column SET ( attribute_option = value [, ...] )
  ALTER [ COLUMN ] column RESET ( attribute_option [, ...] )
  ALTER [ COLUMN ] column SET STORAGE { PLAIN | EXTERNAL | EXTENDED | MAIN }
  ALTER [ COLUMN ] column SET COMPRESSION method
  ADD table_constraint [ NOT VALID ]
  ADD [ CONSTRAINT name ] { UNIQUE | PRIMARY KEY } USING INDEX index
      [ DEFERRABLE | NOT DEFERRABLE ] [ INITIALLY { DEFERRED | IMMEDIATE } ]
  ALTER CONSTRAINT constraint [ DEFERRABLE | NOT DEFERRABLE ] [ INITIALLY { DEFERRED | IMMEDIATE } ]
  VALIDATE CONSTRAINT constraint
  DROP CONSTRAINT [ IF EXISTS ] constraint [ RESTRICT | CASCADE ]
  { ENABLE | DISABLE } TRIGGER [ trigger | ALL | USER ]
  ENABLE { REPLICA | ALWAYS } TRIGGER trigger
  { ENABLE | DISABLE } RULE rule
  ENABLE { REPLICA | ALWAYS } RULE rule
  { ENABLE | DISABLE | FORCE | NO FORCE } ROW LEVEL SECURITY
  CLUSTER ON index
  SET WITHOUT CLUSTER
  SET WITHOUT OIDS
  SET ACCESS METHOD access_method
  SET TABLESPACE tablespace
  SET { LOGGED | UNLOGGED }
  SET ( storage_parameter [= value] [, ...] )
  RESET ( storage_parameter [, ...] )
  INHERIT parent
  NO INHERIT parent
  OF type
  NOT OF
  OWNER TO role
  REPLICA IDENTITY { DEFAULT | USING INDEX index | FULL | NOTHING }

column_constraint, table_constraint and partition_bound are as in CREATE TABLE.
` + roleSpec},

		{"DROP TABLE", "remove tables", "sql-droptable", `DROP TABLE [ IF EXISTS ] table [, ...] [ CASCADE | RESTRICT ]`},

		{"CREATE INDEX", "build an index on a table", "sql-createindex", `CREATE [ UNIQUE ] INDEX [ CONCURRENTLY ] [ [ IF NOT EXISTS ] name ] ON [ ONLY ] table
  [ USING method ]
  ( { column | ( expr ) } [ COLLATE collation ] [ opclass [ ( opclass_parameter = value [, ...] ) ] ]
    [ ASC | DESC ] [ NULLS { FIRST | LAST } ] [, ...] )
  [ INCLUDE ( column [, ...] ) ]
  [ NULLS [ NOT ] DISTINCT ]
  [ WITH ( storage_parameter [= value] [, ...] ) ]
  [ TABLESPACE tablespace ]
  [ WHERE predicate ]`},

		{"DROP INDEX", "remove indexes", "sql-dropindex", `DROP INDEX [ CONCURRENTLY ] [ IF EXISTS ] index [, ...] [ CASCADE | RESTRICT ]`},

		{"CREATE VIEW", "create or replace a view", "sql-createview", `CREATE [ OR REPLACE ] [ TEMP | TEMPORARY ] [ RECURSIVE ] VIEW name [ ( column [, ...] ) ]
  [ WITH ( view_option [= value] [, ...] ) ]
  AS query
  [ WITH [ CASCADED | LOCAL ] CHECK OPTION ]

view_option is one of:
  check_option { local | cascaded }
  security_barrier [ boolean ]
  security_invoker [ boolean ]`},

		{"CREATE SCHEMA", "create a new schema", "sql-createschema", `CREATE SCHEMA schema [ AUTHORIZATION role ] [ element [ ... ] ]
CREATE SCHEMA AUTHORIZATION role [ element [ ... ] ]
CREATE SCHEMA IF NOT EXISTS schema [ AUTHORIZATION role ]
CREATE SCHEMA IF NOT EXISTS AUTHORIZATION role

` + roleSpec + `
element is a CREATE TABLE, CREATE VIEW, CREATE INDEX, CREATE SEQUENCE,
CREATE TRIGGER or GRANT statement, run inside the new schema`},

		{"BEGIN", "open a transaction block", "sql-begin", `BEGIN [ WORK | TRANSACTION ] [ mode [, ...] ]

` + txModes},

		{"START TRANSACTION", "open a transaction block", "sql-start-transaction", `START TRANSACTION [ mode [, ...] ]

` + txModes},

		{"COMMIT", "make the work of the current transaction permanent", "sql-commit", `COMMIT [ WORK | TRANSACTION ] [ AND [ NO ] CHAIN ]`},

		{"ROLLBACK", "undo the work of the current transaction", "sql-rollback", `ROLLBACK [ WORK | TRANSACTION ] [ AND [ NO ] CHAIN ]`},

		{"SAVEPOINT", "mark a point of the current transaction to roll back to", "sql-savepoint", `SAVEPOINT name`},

		{"RELEASE SAVEPOINT", "forget a savepoint, keeping the work done since", "sql-release-savepoint", `RELEASE [ SAVEPOINT ] name`},

		{"ROLLBACK TO SAVEPOINT", "undo the work done since a savepoint", "sql-rollback-to", `ROLLBACK [ WORK | TRANSACTION ] TO [ SAVEPOINT ] name`},

		{"SET", "change a run-time parameter", "sql-set", `SET [ SESSION | LOCAL ] parameter { TO | = } { value [, ...] | DEFAULT }
SET [ SESSION | LOCAL ] TIME ZONE { time_zone | LOCAL | DEFAULT }

value is a number, a name or a quoted string;
LOCAL lasts until the end of the transaction, SESSION (the default) until the end of the session`},

		{"SHOW", "display the value of a run-time parameter", "sql-show", `SHOW parameter
SHOW ALL`},

		{"RESET", "put a run-time parameter back to its default value", "sql-reset", `RESET parameter
RESET ALL`},

		{"EXPLAIN", "display the plan of a statement", "sql-explain", `EXPLAIN [ ( option [, ...] ) ] statement
EXPLAIN [ ANALYZE ] [ VERBOSE ] statement

option is one of:
  ANALYZE [ boolean ]
  VERBOSE [ boolean ]
  COSTS [ boolean ]
  SETTINGS [ boolean ]
  BUFFERS [ boolean ]
  WAL [ boolean ]
  TIMING [ boolean ]
  SUMMARY [ boolean ]
  FORMAT { TEXT | XML | JSON | YAML }`},

		{"COPY", "move data between a table and a file, a program or the client", "sql-copy", `COPY table [ ( column [, ...] ) ]
  FROM { 'file' | PROGRAM 'command' | STDIN }
  [ [ WITH ] ( option [, ...] ) ]
  [ WHERE condition ]

COPY { table [ ( column [, ...] ) ] | ( query ) }
  TO { 'file' | PROGRAM 'command' | STDOUT }
  [ [ WITH ] ( option [, ...] ) ]

option is one of:
  FORMAT { text | csv | binary }
  FREEZE [ boolean ]
  DELIMITER 'character'
  NULL 'null_string'
  HEADER [ boolean | MATCH ]
  QUOTE 'character'
  ESCAPE 'character'
  FORCE_QUOTE { ( column [, ...] ) | * }
  FORCE_NOT_NULL ( column [, ...] )
  FORCE_NULL ( column [, ...] )
  ENCODING 'encoding'`},

		{"VACUUM", "reclaim dead space and, optionally, gather statistics", "sql-vacuum", `VACUUM [ ( option [, ...] ) ] [ table [ ( column [, ...] ) ] [, ...] ]
VACUUM [ FULL ] [ FREEZE ] [ VERBOSE ] [ ANALYZE ] [ table [ ( column [, ...] ) ] [, ...] ]

option is one of:
  FULL [ boolean ]
  FREEZE [ boolean ]
  VERBOSE [ boolean ]
  ANALYZE [ boolean ]
  DISABLE_PAGE_SKIPPING [ boolean ]
  SKIP_LOCKED [ boolean ]
  INDEX_CLEANUP { AUTO | ON | OFF }
  PROCESS_TOAST [ boolean ]
  TRUNCATE [ boolean ]
  PARALLEL workers`},

		{"ANALYZE", "gather statistics on the contents of tables for the planner", "sql-analyze", `ANALYZE [ ( option [, ...] ) ] [ table [ ( column [, ...] ) ] [, ...] ]
ANALYZE [ VERBOSE ] [ table [ ( column [, ...] ) ] [, ...] ]

option is one of:
  VERBOSE [ boolean ]
  SKIP_LOCKED [ boolean ]`},

		{"GRANT", "give privileges on objects, or membership in roles", "sql-grant", `GRANT privileges ON objects
  TO grantee [, ...] [ WITH GRANT OPTION ] [ GRANTED BY role ]
GRANT role_name [, ...]
  TO grantee [, ...] [ WITH ADMIN OPTION ] [ GRANTED BY role ]

` + privilegeForms + `

` + roleSpec},

		{"REVOKE", "take back privileges on objects, or membership in roles", "sql-revoke", `REVOKE [ GRANT OPTION FOR ] privileges ON objects
  FROM grantee [, ...] [ GRANTED BY role ] [ CASCADE | RESTRICT ]
REVOKE [ ADMIN OPTION FOR ] role_name [, ...]
  FROM grantee [, ...] [ GRANTED BY role ] [ CASCADE | RESTRICT ]

` + privilegeForms + `

` + roleSpec},

		{"CREATE ROLE", "create a role (a user or a group)", "sql-createrole", `CREATE ROLE name [ [ WITH ] option [ ... ] ]

option is one of:
` + roleOptions + `
  IN ROLE role_name [, ...]
  IN GROUP role_name [, ...]
  ROLE role_name [, ...]
  ADMIN role_name [, ...]
  USER role_name [, ...]
  SYSID uid`},

		{"ALTER ROLE", "change the attributes or the settings of a role", "sql-alterrole", `ALTER ROLE role [ WITH ] option [ ... ]
ALTER ROLE name RENAME TO new_name
ALTER ROLE { role | ALL } [ IN DATABASE database ] SET parameter { TO | = } { value | DEFAULT }
ALTER ROLE { role | ALL } [ IN DATABASE database ] SET parameter FROM CURRENT
ALTER ROLE { role | ALL } [ IN DATABASE database ] RESET { parameter | ALL }

option is one of:
` + roleOptions + `

` + roleSpec},

		{"DROP ROLE", "remove roles", "sql-droprole", `DROP ROLE [ IF EXISTS ] name [, ...]`},

		{"CREATE FUNCTION", "create or replace a function", "sql-createfunction", `CREATE [ OR REPLACE ] FUNCTION name
    ( [ [ argmode ] [ argname ] argtype [ { DEFAULT | = } default_expr ] [, ...] ] )
  [ RETURNS return_type | RETURNS TABLE ( column column_type [, ...] ) ]
  { LANGUAGE language
  | TRANSFORM { FOR TYPE type } [, ...]
  | WINDOW
  | { IMMUTABLE | STABLE | VOLATILE }
  | [ NOT ] LEAKPROOF
  | { CALLED ON NULL INPUT | RETURNS NULL ON NULL INPUT | STRICT }
  | { [ EXTERNAL ] SECURITY INVOKER | [ EXTERNAL ] SECURITY DEFINER }
  | PARALLEL { UNSAFE | RESTRICTED | SAFE }
  | COST cost
  | ROWS rows
  | SUPPORT support_function
  | SET parameter { TO value | = value | FROM CURRENT }
  | AS 'body'
  | AS 'object_file', 'link_symbol'
  | sql_body
  } ...

argmode is one of: IN, OUT, INOUT, VARIADIC
sql_body is one of:
  RETURN expr
  BEGIN ATOMIC statement; [ ... ] END`},

		{"DROP FUNCTION", "remove functions", "sql-dropfunction", `DROP FUNCTION [ IF EXISTS ] name [ ` + routineArgs + ` ] [, ...]
  [ CASCADE | RESTRICT ]`},

		{"CALL", "run a procedure", "sql-call", `CALL procedure ( [ argument [, ...] ] )

argument is expr, or name => expr`},

		{"DO", "run an anonymous code block", "sql-do", `DO [ LANGUAGE language ] code`},

		{"LOCK", "lock tables explicitly", "sql-lock", `LOCK [ TABLE ] [ ONLY ] table [ * ] [, ...] [ IN lock_mode MODE ] [ NOWAIT ]

lock_mode is one of:
  ACCESS SHARE | ROW SHARE | ROW EXCLUSIVE | SHARE UPDATE EXCLUSIVE
  SHARE | SHARE ROW EXCLUSIVE | EXCLUSIVE | ACCESS EXCLUSIVE (the default)`},

		{"REINDEX", "rebuild indexes", "sql-reindex", `REINDEX [ ( option [, ...] ) ] { INDEX | TABLE | SCHEMA | DATABASE | SYSTEM } [ CONCURRENTLY ] name

option is one of:
  CONCURRENTLY [ boolean ]
  TABLESPACE new_tablespace
  VERBOSE [ boolean ]`},

		{"REFRESH MATERIALIZED VIEW", "recompute the contents of a materialized view", "sql-refreshmaterializedview", `REFRESH MATERIALIZED VIEW [ CONCURRENTLY ] name
  [ WITH [ NO ] DATA ]`},

		{"COMMENT", "set or remove the comment on an object", "sql-comment", `COMMENT ON object IS { 'text' | NULL }

object is one of:
  ACCESS METHOD name
  AGGREGATE name ( [ argmode ] [ argname ] argtype [, ...] | * )
  CAST ( source_type AS target_type )
  COLLATION name
  COLUMN relation.column
  CONSTRAINT name ON table
  CONSTRAINT name ON DOMAIN domain
  CONVERSION name
  DATABASE name
  DOMAIN name
  EXTENSION name
  EVENT TRIGGER name
  FOREIGN DATA WRAPPER name
  FOREIGN TABLE name
  { FUNCTION | PROCEDURE | ROUTINE } name [ ` + routineArgs + ` ]
  INDEX name
  LARGE OBJECT oid
  MATERIALIZED VIEW name
  OPERATOR operator ( { left_type | NONE }, right_type )
  OPERATOR { CLASS | FAMILY } name USING index_method
  POLICY name ON table
  [ PROCEDURAL ] LANGUAGE name
  PUBLICATION name
  ROLE name
  RULE name ON table
  SCHEMA name
  SEQUENCE name
  SERVER name
  STATISTICS name
  SUBSCRIPTION name
  TABLE name
  TABLESPACE name
  TEXT SEARCH { CONFIGURATION | DICTIONARY | PARSER | TEMPLATE } name
  TRANSFORM FOR type LANGUAGE language
  TRIGGER name ON table
  TYPE name
  VIEW name`},

		{"CREATE EXTENSION", "install an extension into the current database", "sql-createextension", `CREATE EXTENSION [ IF NOT EXISTS ] name
  [ WITH ] [ SCHEMA schema ] [ VERSION version ] [ CASCADE ]`},

		{"CREATE SEQUENCE", "create a sequence number generator", "sql-createsequence", `CREATE [ { TEMPORARY | TEMP } | UNLOGGED ] SEQUENCE [ IF NOT EXISTS ] name
  [ AS data_type ]
  [ INCREMENT [ BY ] increment ]
  [ MINVALUE min | NO MINVALUE ]
  [ MAXVALUE max | NO MAXVALUE ]
  [ START [ WITH ] start ]
  [ CACHE cache ]
  [ [ NO ] CYCLE ]
  [ OWNED BY { table.column | NONE } ]`},

		{"ALTER SEQUENCE", "change the definition of a sequence number generator", "sql-altersequence", `ALTER SEQUENCE [ IF EXISTS ] name
  [ AS data_type ]
  [ INCREMENT [ BY ] increment ]
  [ MINVALUE min | NO MINVALUE ]
  [ MAXVALUE max | NO MAXVALUE ]
  [ START [ WITH ] start ]
  [ RESTART [ [ WITH ] restart ] ]
  [ CACHE cache ]
  [ [ NO ] CYCLE ]
  [ OWNED BY { table.column | NONE } ]
ALTER SEQUENCE [ IF EXISTS ] name SET { LOGGED | UNLOGGED }
ALTER SEQUENCE [ IF EXISTS ] name OWNER TO role
ALTER SEQUENCE [ IF EXISTS ] name RENAME TO new_name
ALTER SEQUENCE [ IF EXISTS ] name SET SCHEMA new_schema

` + roleSpec},

		{"PREPARE", "prepare a statement to run later", "sql-prepare", `PREPARE name [ ( data_type [, ...] ) ] AS statement

statement is a SELECT, INSERT, UPDATE, DELETE, MERGE or VALUES statement;
$1, $2, ... in it are the parameters`},

		{"EXECUTE", "run a prepared statement", "sql-execute", `EXECUTE name [ ( parameter [, ...] ) ]`},

		{"DEALLOCATE", "discard prepared statements", "sql-deallocate", `DEALLOCATE [ PREPARE ] { name | ALL }`},

		{"LISTEN", "wait for notifications on a channel", "sql-listen", `LISTEN channel`},

		{"NOTIFY", "send a notification on a channel", "sql-notify", `NOTIFY channel [ , 'payload' ]`},
	}
}
