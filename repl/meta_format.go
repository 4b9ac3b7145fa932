package repl

// formatMetaCommands are the commands of psql's other output formats
// (\H, \T).
func formatMetaCommands() []metaCommand { return nil }
