// Command genwalk writes two files from the struct and enum definitions in
// pg_query_go's pg_query.pb.go, parsed once:
//
//   - analyze/walk_gen.go: a reflection-free walker that visits every child
//     message of every node type in pg_query's parse tree, so that a write
//     cannot hide in a field the analyzer forgot;
//   - analyze/pgparse/aliases_gen.go: a type alias for every exported type
//     and enum constant of the tree, so that package analyze can walk it
//     while importing only pgparse.
//
// It is run by `go generate ./...` (the directive is in analyze); its test
// fails when a committed file is not what it generates. Classification
// rules do not belong here.
package main
