// Package tui is the Bubble Tea front end of the interactive shell: a
// multi-line editor framed in the environment's colour with a status line,
// history with reverse search, Tab completion, and the confirmation view.
//
// Results never pass through Bubble Tea: the session prints them to
// standard output. Each ReadLine and Confirm runs one short inline program
// (no alternate screen) that draws the frame below the scrollback and
// erases it when done, leaving the entry echoed like psql's prompt and
// input, so results, \o and the pager work as in psql.
//
// As a front end it must not import repl/engine, repl/pg or repl/shell.
package tui
