package pgparse

//go:generate sh genalias.sh

import "errors"

// ErrNoParser is returned by every parse in a build without cgo.
var ErrNoParser = errors.New("safesql was built without cgo: no SQL parser available")
