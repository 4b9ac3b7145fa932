// Package frontend is what every front end shares and what the session
// asks of one: the LineReader that hands the shell each entry, the
// Confirmer that asks a person for the word before a destructive statement
// (and ErrNoPrompt when nobody can answer), the ConfirmRequest it shows,
// and the one printer of that request for front ends that write lines
// (LineConfirmer). The full-screen front end is frontend/tui, the plain one
// frontend/line (their highlighter is frontend/syntax); both implement
// these interfaces.
//
// It imports only repl/term and theme. Front ends never import
// repl/engine, repl/pg or repl/shell: the engine calls them through these
// interfaces, not the other way round.
package frontend
