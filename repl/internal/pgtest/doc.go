// Package pgtest gives tests a real PostgreSQL: the server SAFESQL_TEST_DSN
// points at, or a throwaway cluster started once per test binary on a unix
// socket. Mocks of the database do not belong here, nor anywhere.
//
// Use it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// and ask each test for its own database with pgtest.DSN(t).
//
// It imports internal/pgcluster only; only tests import it.
package pgtest
