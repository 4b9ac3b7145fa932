package analyze

import (
	"slices"
	"testing"
)

func TestSampling(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"DELETE FROM t WHERE id = 1", "WITH \"s\" AS (\nDELETE FROM t WHERE id = 1\nRETURNING \"t\".*\n)\nSELECT (SELECT count(*) FROM \"s\"), * FROM \"s\" LIMIT 5"},
		{"update public.t set a = 1", "WITH \"s\" AS (\nupdate public.t set a = 1\nRETURNING \"public\".\"t\".*\n)\nSELECT (SELECT count(*) FROM \"s\"), * FROM \"s\" LIMIT 5"},
		{"delete from t x where x.a = 1 returning a", "WITH \"s\" AS (\ndelete from t x where x.a = 1 returning a\n)\nSELECT (SELECT count(*) FROM \"s\"), * FROM \"s\" LIMIT 5"},
		{"with a as (select 1) delete from t", ""},
		{"select 1", ""},
		{"delete from", ""},
		{"delete from t; delete from u", ""},
	}
	for _, tt := range tests {
		if got := Sampling(tt.sql, "s", 5); got != tt.want {
			t.Errorf("Sampling(%q)\n got %q\nwant %q", tt.sql, got, tt.want)
		}
	}
}

func TestAlteredColumns(t *testing.T) {
	tests := []struct {
		sql  string
		want []string
	}{
		{"ALTER TABLE t DROP COLUMN a, ALTER COLUMN b TYPE bigint, ADD COLUMN c int", []string{"a", "b"}},
		{"ALTER TABLE t RENAME COLUMN x TO y", []string{"x"}},
		{"ALTER TABLE t RENAME TO u", nil},
		{"DROP TABLE t", nil},
		{"ALTER TABLE", nil},
	}
	for _, tt := range tests {
		if got := AlteredColumns(tt.sql); !slices.Equal(got, tt.want) {
			t.Errorf("AlteredColumns(%q) = %q, want %q", tt.sql, got, tt.want)
		}
	}
}
