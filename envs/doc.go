// Package envs turns safesql's TOML config files into named environments:
// their tier, connection, safety settings, policy floors from the system
// file, credentials, and the address matching that recognises a connection
// made without naming its environment.
//
// Nothing here connects to a database, draws on a terminal or reads flags:
// the CLI resolves flags and conninfo, the session enforces the settings, and
// package theme renders what an environment looks like.
//
// It imports nothing of safesql: it must not know the shell, the engine
// or the theme.
package envs
