package app

import "testing"

func TestChangesCatalog(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"create table t (a int)", true},
		{"begin; create table t (a int);", true},
		{"select * into t2 from t", true},
		{"do $$ begin execute 'create table y ()'; end $$", true},
		{"alter table t rename to u", true},
		{"rollback", true},
		{`\c other`, true},
		{`\i schema.sql`, true},
		{"select * from t", false},
		{"insert into t values (1)", false},
		{"update t set a = 1", false},
		{`\dt`, false},
	} {
		if got := changesCatalog(tt.text); got != tt.want {
			t.Errorf("changesCatalog(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
