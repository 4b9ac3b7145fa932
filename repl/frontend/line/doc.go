// Package line is the plain front end: a github.com/chzyer/readline line
// editor with the theme's coloured prompt, the environment's history file,
// Tab completion and confirmations typed on the line. It serves --plain,
// TERM=dumb, output that is not a terminal, and terminals the full-screen
// front end (frontend/tui) cannot start on. It also holds what both front ends
// share: the history file, completion and the rule that says when an
// entry is complete.
//
// As a front end it must not import repl/engine, repl/pg or repl/shell: it
// is handed a prompt and gives back lines and answers.
package line
