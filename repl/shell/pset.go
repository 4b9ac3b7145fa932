package shell

import (
	"github.com/safesql/safesql/repl/meta"
	"github.com/safesql/safesql/repl/render"
)

// SetPrintOption sets a \pset option by name as psql does (see
// meta.SetPrintOption); the command line's --pset uses it.
func SetPrintOption(opts *render.Options, name, value string, hasValue bool) error {
	return meta.SetPrintOption(opts, name, value, hasValue)
}

// PrintOptionInfo is psql's message after a print option changed.
func PrintOptionInfo(opts render.Options, name string) string {
	return meta.PrintOptionInfo(opts, name)
}

// PrintOptionsListing is \pset without arguments: every option and its value.
func PrintOptionsListing(o render.Options) string { return meta.PrintOptionsListing(o) }
