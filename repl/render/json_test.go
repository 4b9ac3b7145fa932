package render

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestJSONFromServer renders every type of the schema as JSON lines and
// checks each line decodes, keys come in column order, and values have the
// JSON types the format promises.
func TestJSONFromServer(t *testing.T) {
	fx := setup(t)
	opts := DefaultOptions()
	opts.Format = JSON
	out := render(t, fx, `SELECT * FROM t ORDER BY id`, opts)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 12 {
		t.Fatalf("%d lines, want 12:\n%s", len(lines), out)
	}
	wantKeys := []string{"id", "i2", "i8", "n", "f4", "f8", "txt", "b", "ok", "d", "tm", "ts", "iv", "u", "j", "jb", "arr", "tarr", "m", "p", "cash", "vc", "ch", "o"}
	rows := make([]map[string]any, len(lines))
	for i, l := range lines {
		dec := json.NewDecoder(strings.NewReader(l))
		dec.UseNumber()
		var keys []string
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			t.Fatalf("line %d: %v %v", i+1, tok, err)
		}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				t.Fatalf("line %d: %v", i+1, err)
			}
			keys = append(keys, k.(string))
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("line %d: %v", i+1, err)
			}
		}
		if !reflect.DeepEqual(keys, wantKeys) {
			t.Errorf("line %d keys %v", i+1, keys)
		}
		d := json.NewDecoder(strings.NewReader(l))
		d.UseNumber()
		if err := d.Decode(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		row  int
		key  string
		want any
	}{
		{0, "id", json.Number("1")},
		{0, "i8", json.Number("10000000000")},
		{0, "n", json.Number("3.14159")},
		{0, "f4", json.Number("1.5")},
		{0, "ok", true},
		{0, "b", `\xdeadbeef`},
		{0, "j", map[string]any{"a": json.Number("1"), "b": []any{json.Number("1"), json.Number("2")}}},
		{0, "jb", map[string]any{"a": "x", "b": []any{json.Number("1"), json.Number("2")}}},
		{0, "arr", "{1,2,3}"},
		{0, "m", "happy"},
		{0, "p", json.Number("5")}, // a domain column is described by its base type
		{0, "cash", "$12.34"},
		{0, "o", json.Number("42")},
		{0, "ts", "2024-02-29 12:34:56.789+00"},
		{1, "f4", json.Number("-0")},
		{1, "i8", json.Number("-9223372036854775808")},
		{1, "ok", false},
		{1, "d", "infinity"},
		{1, "j", nil}, // the JSON null value
		{1, "txt", "two\nlines\nhere"},
		{2, "n", "NaN"},
		{2, "f4", "NaN"},
		{2, "f8", "Infinity"},
		{2, "ok", nil},
		{2, "jb", "ü"},
		{3, "f8", "-Infinity"},
		{3, "i2", nil},
		{4, "n", json.Number("10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000")},
		{4, "f4", json.Number("1e-30")},
		{4, "txt", "emoji 😀🎉 and e\u0301 combining"},
		{5, "txt", "cr\r\nlf and \x01 ctl and \x7f del and \u0085 c1"},
	}
	for _, tc := range tests {
		if got := rows[tc.row][tc.key]; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("row %d %s = %#v, want %#v", tc.row+1, tc.key, got, tc.want)
		}
	}
	// json text with line breaks is compacted; without, kept as it is.
	if !bytes.Contains(out, []byte(`"j":{"a":1,"b":[1,2]},"jb":{"a": "x", "b": [1, 2]}`)) {
		t.Errorf("json with a newline not kept on one line: %s", lines[0])
	}
}
