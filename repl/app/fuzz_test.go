package app

import (
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/internal/termtest"
)

// FuzzParseArgs: no argument vector may panic the parser.
func FuzzParseArgs(f *testing.F) {
	for _, seed := range []string{"-c\x00select 1", "-At\x00-F\x00,", "--set=a=b\x00--csv", "-cselect\x00--", "--single\x00-P\x00x", "-\x00--\x00-1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, joined string) {
		args := strings.Split(joined, "\x00")
		o, err := ParseArgs(args)
		if err == nil && o == nil {
			t.Fatal("no options and no error")
		}
		if err == nil {
			streams, _, _ := termtest.Streams("", nil)
			_, _ = connConfig(o, streams, "")
		}
	})
}
