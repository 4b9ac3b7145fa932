// Package meta owns the backslash commands: their one table (names, the
// section and line of \?, how many arguments each reads), the scanning
// of their arguments as psql's slash-command lexer does, \pset's options,
// and the bodies of the commands that need no more of the session than
// the Host interface gives.
//
// The table is built once (NewTable) and read by dispatch, by \? and by
// completion. Commands whose bodies are the session's own (\g, \copy,
// \connect, \i, \watch, the describing commands ...) are rows here too:
// they call the Host's Session methods.
//
// meta must not import repl/shell or repl/engine: the shell implements
// Host over its session (shell -> meta).
package meta
