package repl

// crosstabMetaCommands is psql's \crosstabview.
func crosstabMetaCommands() []metaCommand { return nil }
