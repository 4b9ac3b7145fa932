//go:build !cgo

package pgparse

// Available reports whether this build can parse (it was built with cgo).
const Available = false

// Parse always fails without cgo: the analyzer turns the error into an
// "unparsed" verdict, so nothing is ever let through unseen.
func Parse(sql string) (*ParseResult, error) {
	return nil, ErrNoParser
}

// ParsePlPgSQLToJSON always fails without cgo.
func ParsePlPgSQLToJSON(createFunction string) (string, error) {
	return "", ErrNoParser
}
