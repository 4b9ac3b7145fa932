// Package policy decides what happens to one statement under an
// environment's rules, before anything is sent: run it, ask first, refuse
// it (and by which rule), or hand it to the transaction control it is.
// It is pure: what the statement is comes from the analyzer's verdict,
// what the session is in comes from the engine, and the decision is a
// value the engine carries out.
//
// It imports analyze only, and must stay that way: no connection, no
// environment files, no front end.
package policy
