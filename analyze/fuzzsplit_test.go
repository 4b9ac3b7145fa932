package analyze

import "strings"

// fuzzSplit splits naively on ';' until the psql splitter is available.
func fuzzSplit(s string) []string { return strings.Split(s, ";") }
