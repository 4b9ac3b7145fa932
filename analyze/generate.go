package analyze

// `go generate ./...` from the module's root regenerates every generated
// file. genwalk needs only the module cache; genbuiltins starts a
// throwaway PostgreSQL 15 cluster (see internal/genbuiltins), so it runs
// last.
//go:generate go run ./internal/genwalk
//go:generate go run ./internal/genbuiltins
