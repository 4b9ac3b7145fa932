// Package shell is the session core: one connection, the psql variables and
// print settings, and the way each statement or backslash command of an
// input is run and its result written to the output stream. Editors,
// terminals and flag parsing do not belong here: front ends hand it lines
// and streams.
package shell
