// Command genwalk writes analyze/walk_gen.go: a reflection-free walker that
// visits every child message of every node type in pg_query's parse tree,
// generated from the struct definitions in pg_query.pb.go, so that a write
// cannot hide in a field the analyzer forgot.
//
// It is run by go generate in analyze; classification rules do not belong
// here.
package main
