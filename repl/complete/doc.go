// Package complete is the completion engine: given the text typed, the
// cursor and what the database holds (Meta), it offers the words that fit
// there, as pgcli does: relations after FROM, the statement's columns in
// an expression, join conditions along foreign keys after ON, commands at
// a statement's start. Reading SQL is analyze's work (analyze.CompletionAt);
// this package matches its answer against the catalogue.
//
// It imports analyze and repl/render only: it reads the catalogue through
// the Meta it is given and never talks to the server or a front end.
package complete
