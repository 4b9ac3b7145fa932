// Package describe runs psql 15's describing backslash commands (\d and its
// family, \l, \dp, \z): it sends the catalogue queries psql sends and prints
// their results, titles, footers and messages byte for byte as psql does.
// Connections, argument scanning, the command table, \? and where stderr
// goes do not belong here: callers hand over a Querier, a writer, the print
// options and the arguments as psql's OT_NORMAL scanning gives them.
//
// It imports repl/render only: it queries through the Querier it is given
// and must not import the engine or the shell.
package describe
