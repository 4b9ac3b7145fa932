package cli

import (
	"os"
	"path/filepath"
	"testing"

	sterm "github.com/safesql/safesql/repl/term"
)

func TestHistoryFileIsPrivate(t *testing.T) {
	state := t.TempDir()
	streams, _, _ := sterm.Test("", map[string]string{"XDG_STATE_HOME": state})
	path, err := historyFile(streams, "prod/../x")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(state, "safesql", "history", "prod_.._x"); path != want {
		t.Errorf("path %s, want %s", path, want)
	}
	for p, mode := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s has mode %v, want %v", p, fi.Mode().Perm(), mode)
		}
	}
}

func TestSecretsStayOutOfHistory(t *testing.T) {
	tests := []struct {
		entry string
		keep  bool
	}{
		{"select * from orders;", true},
		{"ALTER ROLE app PASSWORD 'hunter2';", false},
		{"create user bob with encrypted password 'x';", false},
		{`\password bob`, false},
		{"select pgp_sym_decrypt(data, 'key') from t;", false},
		{"CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'a', password 'b');", false},
		{"   ", false},
	}
	for _, tt := range tests {
		if got := keepInHistory(tt.entry); got != tt.keep {
			t.Errorf("keepInHistory(%q) = %v, want %v", tt.entry, got, tt.keep)
		}
	}
}
