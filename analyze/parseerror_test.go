//go:build cgo

package analyze

import (
	"strings"
	"testing"
)

func TestParseError(t *testing.T) {
	cases := []struct {
		sql    string
		msg    string
		cursor int
		off    bool // standard_conforming_strings off
	}{
		{"selct 1", `syntax error at or near "selct"`, 1, false},
		{"select 1 frm t", `syntax error at or near "t"`, 14, false},
		{"select 'é' frm t", `syntax error at or near "t"`, 16, false},
		{"select 1;\nselct 2", `syntax error at or near "selct"`, 11, false},
		{"select 'unterminated", "unterminated quoted string at or near \"'unterminated\"", 8, false},
		{`select 'a\'b', 'c' frm t`, `syntax error at or near "t"`, 24, true},
		{`select 'é\'', 'c' frm t`, `syntax error at or near "t"`, 23, true},
	}
	for _, c := range cases {
		a := NewAnalyzer().WithStandardStrings(!c.off)
		v := a.Classify(c.sql)
		if !v.Has(FlagUnparsed) || v.ParseError == nil {
			t.Errorf("%q: %v %+v", c.sql, v.Flags, v.ParseError)
			continue
		}
		if v.ParseError.Message != c.msg || v.ParseError.Cursor != c.cursor {
			t.Errorf("%q: got %q at %d, want %q at %d", c.sql, v.ParseError.Message, v.ParseError.Cursor, c.msg, c.cursor)
		}
	}
	if v := Classify("select 1"); v.ParseError != nil {
		t.Errorf("parsed text has a ParseError: %+v", v.ParseError)
	}
	v := Classify("select 1" + strings.Repeat("+1", 30000))
	if v.ParseError == nil || !strings.Contains(v.ParseError.Message, "too deeply nested") {
		t.Errorf("too deep: %+v", v.ParseError)
	}
}
