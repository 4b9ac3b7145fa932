// Package completetest gives completion tests a fixed catalogue: Catalog
// answers the completion engine's catalogue query with rows of its own,
// so a completer is built as the program builds it (line.NewCompleter),
// without a server.
//
// It imports repl/render only; only tests import it.
package completetest
