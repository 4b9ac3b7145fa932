// Package sqlhelp is the offline syntax help behind \h: it maps the name
// of an SQL command to a short synopsis, framed the way psql frames its
// own help. The synopses are safesql's own summaries of the PostgreSQL
// grammar; the lookup rules and the frame follow psql's behaviour.
//
// The package is pure: it builds strings and does no I/O.
//
// It imports nothing of safesql.
package sqlhelp
