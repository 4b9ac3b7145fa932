// Package termtest gives tests streams over buffers: no terminal
// anywhere, an environment of the test's own, and output buffers safe for
// concurrent writers (a notice arriving while a result is printed).
//
// It imports repl/term only; only tests import it.
package termtest
