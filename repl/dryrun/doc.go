// Package dryrun computes what a statement would do before it runs: the
// exact row counts of a DML statement run under a savepoint and rolled back
// (cascades and trigger writes included, from pg_stat_xact_user_tables), the
// planner's estimate when that run times out or waits for a lock, and for
// DDL, TRUNCATE and DROP a report from the catalogue (sizes, dependents, the
// lock taken and the sessions it would queue behind), which never runs them.
//
// Deciding whether to ask, asking, and running the statement for real do not
// belong here: they are the session's (package shell); this package only
// measures and renders the measurement as plain lines.
//
// # Side effects
//
// A dry run of UPDATE, DELETE, MERGE or INSERT ... ON CONFLICT really
// executes the statement inside SAVEPOINT safesql_dryrun and rolls it back,
// with SET LOCAL statement_timeout and lock_timeout so that it cannot hold
// a lock for long. Everything it did is undone, with one exception:
// sequences. nextval() calls made by the statement, its defaults and its
// triggers are not transactional, so a dry run consumes sequence values
// (gaps in serial ids are the visible trace). Anything a trigger does
// outside the database (NOTIFY is transactional and is dropped; dblink,
// COPY TO PROGRAM and the like are not) also happens.
//
// The transaction is left as it was found: a connection with no
// transaction open is wrapped in BEGIN ... ROLLBACK, an open transaction
// keeps its earlier changes, and a failed dry run is rolled back to the
// savepoint, so the transaction stays usable. Run refuses a transaction
// that has already failed.
//
// Two more traces, neither of them data: session-level advisory locks the
// statement takes (pg_advisory_lock) stay held, and under SERIALIZABLE the
// dry run's reads keep their predicate locks until the transaction ends;
// PostgreSQL releases neither at ROLLBACK TO SAVEPOINT.
//
// Cancelling ctx mid-run cancels the statement only if the connection was
// built with pgconn.CancelRequestContextWatcherHandler; pgx's default closes
// the connection, which loses the caller's transaction (the server rolls it
// back, so nothing is committed either way).
//
// In a READ ONLY transaction nothing can be tried, so DML gets the
// planner's estimate; DDL, TRUNCATE and DROP are read from the catalogue
// there as anywhere.
//
// The statement is sent with the extended protocol, which takes exactly one
// statement: a text that smuggles a COMMIT after the statement is refused by
// the server, never run.
//
// It imports analyze and repl/pg; the engine calls it, never the other
// way round.
package dryrun
