// Command safesql is a psql-compatible PostgreSQL shell that makes
// production access safe by default.
package main

import (
	"context"
	"os"

	"github.com/safesql/safesql/repl/cli"
	"github.com/safesql/safesql/repl/term"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], term.System()))
}
