// Package pgcluster starts and stops a private PostgreSQL cluster on a unix
// socket, for tests, generators and `safesql demo`. It knows nothing of SQL
// beyond what starting a server needs: schemas and data belong to its
// callers.
//
// It imports nothing of safesql: the test helper (repl/internal/pgtest),
// the demo and the builtins generator start their clusters through it.
package pgcluster
