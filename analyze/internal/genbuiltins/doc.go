// Command genbuiltins writes analyze/builtins_gen.go: the name and volatility
// of every function PostgreSQL ships in pg_catalog and information_schema, and
// of every function of the contrib extensions it ships (pgcrypto, uuid-ossp,
// dblink, ...), read from a real server's pg_proc. The server must be a
// freshly initialised cluster with contrib installed: by default the
// generator starts a throwaway one (internal/pgcluster: initdb, pg_ctl from
// the PostgreSQL 15 server binaries), creates a scratch database there,
// installs every available extension, reads pg_proc and removes the cluster.
//
// It is run through go generate, never by the build; its test
// (main_test.go) fails when the committed file is not what it generates.
// Nothing but reading the catalogue belongs here.
//
// Usage, from the module's root:
//
//	go generate ./...
//
// or against a fresh server of one's own, from analyze/:
//
//	go run ./internal/genbuiltins -dsn 'host=/tmp/pg15 user=postgres dbname=postgres'
package main
