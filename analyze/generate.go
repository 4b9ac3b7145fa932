package analyze

//go:generate go run ./internal/genbuiltins
