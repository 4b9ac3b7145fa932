// Package check implements `safesql check`: it splits SQL files the way psql
// does, classifies every statement offline and prints one verdict per
// statement as text or JSON lines, with an exit status for CI.
//
// Command-line wiring and anything that needs a database do not belong
// here: the CLI calls Run, and check never connects anywhere.
//
// It imports analyze and analyze/split only.
package check
