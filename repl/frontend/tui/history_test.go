package tui

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/frontend/line"
)

// TestTUIHistoryKeepsNoSecret: the TUI keeps what the line editor keeps;
// an entry with a password in it is left out whole.
func TestTUIHistoryKeepsNoSecret(t *testing.T) {
	hist := line.NewHistory()
	ui, err := New(Config{In: strings.NewReader(""), Out: &bytes.Buffer{}, History: hist})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []string{"select 1;", `\c postgres://app:hunter2@db/shop`, "ALTER ROLE app PASSWORD 'hunter2';", `\dt`} {
		if err := ui.AddHistory(e); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := hist.Entries(), []string{"select 1;", `\dt`}; !reflect.DeepEqual(got, want) {
		t.Errorf("history %q, want %q", got, want)
	}
}
