package analyze

import "testing"

func TestSubstitutePsqlVars(t *testing.T) {
	cases := []struct {
		in, want string
		changed  bool
	}{
		{"select 1", "select 1", false},
		{"update t set a = :v where id = :id", `update t set a = ":v" where id = ":id"`, true},
		{"select :'name', :\"col\" from t", `select 'name', "col" from t`, true},
		{`\if :{?flag}`, `\if true`, true},
		{"select a::int, b := 1, arr[1:2]", "select a::int, b := 1, arr[1:2]", false},
		{"select ':x', \":y\" -- :z", "select ':x', \":y\" -- :z", false},
		{"select /* :a /* :b */ :c */ 1", "select /* :a /* :b */ :c */ 1", false},
		{"select $$ :x $$, $f$ :'y' $f$", "select $$ :x $$, $f$ :'y' $f$", false},
		{`select E'it\'s :x', :x`, `select E'it\'s :x', ":x"`, true},
		{"select :'a b'", "select :'a b'", false},
		{"select ':", "select ':", false},
	}
	for _, c := range cases {
		got, changed := substitutePsqlVars(c.in)
		if got != c.want || changed != c.changed {
			t.Errorf("substitutePsqlVars(%q) = %q, %v; want %q, %v", c.in, got, changed, c.want, c.changed)
		}
	}
}
