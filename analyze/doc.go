// Package analyze classifies SQL statements as read, write or destructive,
// with the flags, reasons and targets that explain the class, using
// PostgreSQL's own parser (through package pgparse).
//
// It is pure: no network, files, clock, environment or global mutable state;
// live knowledge (pg_proc, table sizes, locks) belongs to the session, which
// feeds it back through Verdict.Refine.
//
// Arrows: analyze imports nothing of safesql outside analyze/ (the house
// test checks it): it is pure, and every other room may read it.
package analyze
