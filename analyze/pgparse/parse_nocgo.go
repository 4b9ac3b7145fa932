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

// ErrorPosition reports no parser error without cgo: there is no parser.
func ErrorPosition(err error) (msg string, cursor int, ok bool) {
	return "", 0, false
}
