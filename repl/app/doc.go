// Package app is safesql's composition root: it reads the command line
// (flags, subcommands), turns signals into a cancelled context, builds
// every part of a run once (the configured environments, the session with
// its dependencies in shell.Deps, the front end) and maps how a run ended
// to psql's exit status.
//
// It is the only package that knows all the others; nothing imports it
// but main. Statements, backslash commands and the safety rules are not
// decided here: app wires repl/shell, repl/engine and the front ends
// together and stays out of their state.
package app
