package pgparse

import "errors"

// ErrNoParser is returned by every parse in a build without cgo.
var ErrNoParser = errors.New("safesql was built without cgo: no SQL parser available")

// ErrNUL is returned for text containing a NUL byte, which PostgreSQL never
// accepts and the C parser would silently stop at.
var ErrNUL = errors.New("statement contains a NUL byte")

// ErrNoBody is returned for a PL/pgSQL CREATE FUNCTION without an AS body.
var ErrNoBody = errors.New("PL/pgSQL function has no body")
