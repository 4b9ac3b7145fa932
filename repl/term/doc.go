// Package term decides once, per stream, what the process is talking to: a
// terminal or a pipe, its width, whether colour is wanted. Rendering and
// editing do not belong here; they read what this package decided.
//
// It imports nothing of safesql: every other package may read it.
package term
