// Package engine is the way every statement travels, whatever its source
// (typed, -c, -f, standard input, \i, a variable, \gexec): cut into single
// statements with the live standard_conforming_strings, then for each
//
//	classify -> policy.Decide -> dry run -> confirm -> write-ahead audit
//	-> execute -> observe what the server says -> record
//
// (execGuarded in guard.go reads top to bottom). psql's own behaviour, in
// a tier with no rules, is the same entry with a policy that runs
// everything as psql would (Exec). The engine owns the connection, the
// transaction it tracks and the environment's rules; what it prints of
// results, and psql's variables, belong to its Host, the shell.
//
// Arrows: engine imports policy, dryrun, pg, audit, analyze and the
// Confirmer interface of repl/frontend; it must not import the shell, the
// app or a concrete front end (tui, line).
package engine
