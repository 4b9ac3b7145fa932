package engine

import "testing"

func TestIsCopyToStdout(t *testing.T) {
	tests := []struct {
		sql  string
		want bool
	}{
		{"copy t to stdout;", true},
		{"  -- c\n/* a /* nested */ b */ COPY (select 1) TO STDOUT with csv", true},
		{"copy t from stdin;", false},
		{"select 'copy t to stdout'", false},
		{"/* unterminated", false},
		{"copy", false},
		{"copy t to '/tmp/x'", false},
		{"copy t to program 'cat'", false},
		{"copy (select 1) to stdout; select 1", true},
	}
	e := &Engine{}
	for _, tt := range tests {
		if got := e.CopyToClient(tt.sql); got != tt.want {
			t.Errorf("CopyToClient(%q) = %v, want %v", tt.sql, got, tt.want)
		}
	}
}
