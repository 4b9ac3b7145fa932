package shell

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestPagerWriter(t *testing.T) {
	for _, tt := range []struct {
		name  string
		rows  int
		lines int
		paged bool
	}{
		{"fits the screen", 10, 9, false},
		{"taller than the screen", 10, 25, true},
		{"always", 0, 1, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			w := &pagerWriter{out: &out, errOut: &errb, command: "sed 's/^/paged: /'", rows: tt.rows}
			var want strings.Builder
			for i := 0; i < tt.lines; i++ {
				fmt.Fprintf(w, "line %d\n", i)
				if tt.paged {
					fmt.Fprintf(&want, "paged: line %d\n", i)
				} else {
					fmt.Fprintf(&want, "line %d\n", i)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if out.String() != want.String() {
				t.Fatalf("output %q, want %q (stderr %q)", out.String(), want.String(), errb.String())
			}
		})
	}
}

func TestPagerThatQuitsEarlyIsNotAnError(t *testing.T) {
	var out bytes.Buffer
	w := &pagerWriter{out: &out, errOut: &out, command: "head -n 1", rows: 1}
	for i := 0; i < 100000; i++ {
		if _, err := fmt.Fprintf(w, "line %d\n", i); err != nil {
			t.Fatalf("write after the pager quit: %v", err)
		}
	}
	if err := w.Close(); err != nil || out.String() != "line 0\n" {
		t.Fatalf("close %v, output %q", err, out.String())
	}
}

func TestPagerCommand(t *testing.T) {
	env := map[string]string{}
	get := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	if got := pagerCommand(get); got != "less -SFX" {
		t.Errorf("default %q", got)
	}
	env["PAGER"] = "more"
	if got := pagerCommand(get); got != "more" {
		t.Errorf("PAGER: %q", got)
	}
	env["PSQL_PAGER"] = "pspg"
	if got := pagerCommand(get); got != "pspg" {
		t.Errorf("PSQL_PAGER: %q", got)
	}
	// psql: a pager variable set to blanks turns paging off, and the
	// first one set wins
	env["PSQL_PAGER"] = " "
	if got := pagerCommand(get); got != "" {
		t.Errorf("PSQL_PAGER set to a blank: %q, want no pager", got)
	}
	delete(env, "PSQL_PAGER")
	env["PAGER"] = ""
	if got := pagerCommand(get); got != "" {
		t.Errorf("PAGER set to \"\": %q, want no pager", got)
	}
}
