// Package e2e holds tests that build the safesql binary and run it the way
// people do: arguments, pipes and files, side by side with the real psql on
// the same database. Unit tests of single packages do not belong here.
package e2e
