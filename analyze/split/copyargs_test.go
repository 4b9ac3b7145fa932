package split

import "testing"

func TestParseCopy(t *testing.T) {
	tests := []struct {
		args    string
		want    CopyArgs
		wantErr string
	}{
		{`t from 'in.tsv'`, CopyArgs{SQL: "COPY t FROM STDIN", From: true, Target: "in.tsv"}, ""},
		{`t from in.tsv`, CopyArgs{SQL: "COPY t FROM STDIN", From: true, Target: "in.tsv"}, ""},
		{`"My T" (a, b) from stdin with (format csv)`, CopyArgs{SQL: `COPY "My T" (a, b) FROM STDIN with (format csv)`, From: true, Target: "stdin"}, ""},
		{`(select ')' from t) to stdout`, CopyArgs{SQL: "COPY (select ')' from t) TO STDOUT", Target: "stdout"}, ""},
		{`t to program 'gzip > it''s.gz'`, CopyArgs{SQL: "COPY t TO STDOUT", Target: "gzip > it's.gz", Program: true}, ""},
		{`t from PSTDIN`, CopyArgs{SQL: "COPY t FROM STDIN", From: true, Target: "pstdin"}, ""},
		{`t`, CopyArgs{}, `\copy: parse error at end of line`},
		{`t sideways stdin`, CopyArgs{}, `\copy: parse error at "sideways"`},
		{`(select 1 to stdout`, CopyArgs{}, `\copy: parse error at end of line`},
		{`t to program gzip`, CopyArgs{}, `\copy: parse error at "gzip"`},
	}
	for _, tt := range tests {
		got, err := ParseCopy(tt.args)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseCopy(%q) error %v, want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseCopy(%q) = %+v, %v; want %+v", tt.args, got, err, tt.want)
		}
	}
}
