package line

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func envFrom(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestHistoryFileIsPrivate(t *testing.T) {
	state := t.TempDir()
	h, err := OpenHistory(envFrom(map[string]string{"XDG_STATE_HOME": state}), "prod/../x")
	if err != nil {
		t.Fatal(err)
	}
	path := h.Path()
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

func TestHistoryFallsBackToHomeAndMemory(t *testing.T) {
	home := t.TempDir()
	h, err := OpenHistory(envFrom(map[string]string{"HOME": home}), "")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, ".local", "state", "safesql", "history", "default"); h.Path() != want {
		t.Errorf("path %s, want %s", h.Path(), want)
	}
	h, err = OpenHistory(envFrom(nil), "prod")
	if err != nil || h.Path() != "" {
		t.Fatalf("no home: path %q, err %v; want memory only", h.Path(), err)
	}
	if err := h.Add("select 1;"); err != nil || len(h.Entries()) != 1 {
		t.Fatalf("memory history: %v, %q", err, h.Entries())
	}
}

func TestHistoryRoundTripsMultiLineEntries(t *testing.T) {
	env := envFrom(map[string]string{"XDG_STATE_HOME": t.TempDir()})
	h, err := OpenHistory(env, "dev")
	if err != nil {
		t.Fatal(err)
	}
	entries := []string{"select 1;", "select\n  2;", `\dt`, `"quoted" starts`, "select 'a\\nb';", "select 1;"}
	for _, e := range entries {
		if err := h.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	// A secret stays out; a repeat of the last entry is not added twice.
	if err := h.Add("alter role app password 'x';"); err != nil {
		t.Fatal(err)
	}
	if err := h.Add("select 1;"); err != nil {
		t.Fatal(err)
	}
	want := entries
	if got := h.Entries(); !reflect.DeepEqual(got, want) {
		t.Errorf("in memory %q, want %q", got, want)
	}
	again, err := OpenHistory(env, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Entries(); !reflect.DeepEqual(got, want) {
		t.Errorf("read back %q, want %q", got, want)
	}
}

func TestOldReadlineHistoryStillReads(t *testing.T) {
	state := t.TempDir()
	dir := filepath.Join(state, "safesql", "history")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "prod"), []byte("select 1;\n\\dt\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := OpenHistory(envFrom(map[string]string{"XDG_STATE_HOME": state}), "prod")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Entries(), []string{"select 1;", `\dt`}; !reflect.DeepEqual(got, want) {
		t.Errorf("entries %q, want %q", got, want)
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
		{`\c postgres://app:hunter2@db/shop`, false},
		{`\connect host=db password=hunter2 dbname=shop`, false},
		{`\c "dbname=shop password=hunter2"`, false},
		{`\c postgres://app@db/shop`, true},
		{"select name from users where id = 'abc';", true},
		{"select password_hash from users;", true},
		{"   ", false},
	}
	for _, tt := range tests {
		if got := Keep(tt.entry); got != tt.keep {
			t.Errorf("Keep(%q) = %v, want %v", tt.entry, got, tt.keep)
		}
	}
}

// TestSecretsInAnOldHistoryFileAreNotRead: entries an older safesql
// wrote with a secret are not read back.
func TestSecretsInAnOldHistoryFileAreNotRead(t *testing.T) {
	state := t.TempDir()
	dir := filepath.Join(state, "safesql", "history")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	old := "select 1;\n\\c postgres://app:hunter2@db/shop\nALTER ROLE app PASSWORD 'hunter2';\n\\dt\n"
	if err := os.WriteFile(filepath.Join(dir, "prod"), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := OpenHistory(envFrom(map[string]string{"XDG_STATE_HOME": state}), "prod")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Entries(), []string{"select 1;", `\dt`}; !reflect.DeepEqual(got, want) {
		t.Errorf("entries %q, want %q", got, want)
	}
}
