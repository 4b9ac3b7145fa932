// Command safesql is a psql-compatible PostgreSQL shell that makes
// production access safe by default.
package main

import (
	"context"
	"os"

	"github.com/safesql/safesql/repl/app"
	"github.com/safesql/safesql/repl/term"
)

func main() {
	os.Exit(app.Main(context.Background(), os.Args[1:], term.System()))
}
