// Package pg is the server's side of a session: where the connection's
// transaction stands, as the server last said, and what a lost connection
// means. The rest of safesql reads the transaction through State, never
// through the protocol's status bytes.
//
// It must not import anything above it (engine, shell, app): everything
// else reaches the server through it.
package pg
