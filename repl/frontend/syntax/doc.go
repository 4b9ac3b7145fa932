// Package syntax tells the front ends how to colour the SQL being typed:
// keywords, literals (dollar-quoted ones included), comments, numbers,
// quoted identifiers, psql backslash commands and psql variables.
//
// Where statements and backslash commands begin and end is analyze/split's
// answer (psql's own rules: quotes, dollar quotes, nested comments, the
// "\\" separator, COPY FROM STDIN data), and the tokens inside them are
// analyze/lex's; this package only says how each is drawn. It never fails
// and keeps every byte of the input in exactly one token: an unterminated
// literal or comment runs to the end.
//
// As a front-end package it must not import repl/engine, repl/pg or
// repl/shell; it reads analyze/lex's tokens and the theme's colours.
package syntax
