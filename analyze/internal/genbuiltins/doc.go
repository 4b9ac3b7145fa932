// Command genbuiltins writes analyze/builtins_gen.go: the name and volatility
// of every function PostgreSQL ships in pg_catalog and information_schema, and
// of every function of the contrib extensions it ships (pgcrypto, uuid-ossp,
// dblink, ...), read from a real server's pg_proc. The server should be a
// freshly initialised cluster with contrib installed: the generator creates a
// scratch database, installs every available extension there, reads pg_proc
// and drops the database again.
//
// It is run by hand (through go generate), never by the build or tests, and
// nothing but reading the catalogue belongs here.
//
// Usage (from analyze/, via go generate):
//
//	SAFESQL_GENBUILTINS_DSN='host=/tmp/pg15 user=postgres dbname=postgres' go generate
package main
