package analyze

// genwalk needs only the module cache; genbuiltins needs a PostgreSQL 15
// server with contrib (see internal/genbuiltins), so it runs last.
//go:generate go run ./internal/genwalk
//go:generate go run ./internal/genbuiltins
