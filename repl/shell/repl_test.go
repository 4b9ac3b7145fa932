package shell

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/internal/termtest"
	"github.com/safesql/safesql/repl/meta"

	"github.com/safesql/safesql/repl/render"
)

func TestSetPrintOption(t *testing.T) {
	tests := []struct {
		name, option, value string
		has                 bool
		check               func(render.Options) bool
		wantErr             string
	}{
		{"format prefix", "format", "u", true, func(o render.Options) bool { return o.Format == render.Unaligned }, ""},
		{"format csv", "format", "csv", true, func(o render.Options) bool { return o.Format == render.CSV }, ""},
		{"format ambiguous", "format", "a", true, nil, `ambiguous abbreviation "a"`},
		{"format html", "format", "html", true, func(o render.Options) bool { return o.Format == render.HTML }, ""},
		{"format unknown", "format", "bogus", true, nil, `allowed formats are`},
		{"border", "border", "2", true, func(o render.Options) bool { return o.Border == 2 }, ""},
		{"border not a number is 0, as psql", "border", "x", true, func(o render.Options) bool { return o.Border == 0 }, ""},
		{"border -1 is 65535, as psql", "border", "-1", true, func(o render.Options) bool { return o.Border == 65535 }, ""},
		{"null", "null", "(null)", true, func(o render.Options) bool { return o.Null == "(null)" }, ""},
		{"tuples toggle", "tuples_only", "", false, func(o render.Options) bool { return o.TuplesOnly }, ""},
		{"expanded auto", "expanded", "auto", true, func(o render.Options) bool { return o.Expanded == render.ExpandedAuto }, ""},
		{"expanded bad", "expanded", "sometimes", true, nil, `Boolean or "auto" expected`},
		{"footer off", "footer", "off", true, func(o render.Options) bool { return !o.Footer }, ""},
		{"unknown", "colour", "red", true, nil, "unknown option: colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := render.DefaultOptions()
			err := meta.SetPrintOption(&o, tt.option, tt.value, tt.has)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(o) {
				t.Fatalf("err %v, options %+v", err, o)
			}
		})
	}
}

func TestMetaArgs(t *testing.T) {
	vars := map[string]string{"v": "it's", "n": "42"}
	lookup := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	tests := []struct {
		raw  string
		want []string
	}{
		{`a b  c`, []string{"a", "b", "c"}},
		{`'a b' c`, []string{"a b", "c"}},
		{`'it''s' 'tab\there'`, []string{"it's", "tab\there"}},
		{`"Quoted Ident"`, []string{`"Quoted Ident"`}},
		{`:n x:n`, []string{"42", "x42"}},
		{`:nope :'nope'`, []string{":nope", ":'nope'"}},
		{`:{?n} :{?nope} x:{?v}`, []string{"TRUE", "FALSE", "xTRUE"}},
		{`:'v'`, []string{"'it''s'"}},
		{``, nil},
	}
	for _, tt := range tests {
		if got := metaArgs(tt.raw, lookup); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("metaArgs(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestRefusedMetaLeavesSessionUsable(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	st := s.RunScript(context.Background(), strings.NewReader("\\pset format bogus\nselect 1 as one;\n"), Source{Name: "x.sql"})
	if st != engine.StatusOK {
		t.Fatalf("status %d", st)
	}
	if !strings.Contains(errb.String(), "safesql:x.sql:1: error: \\pset: allowed formats are") {
		t.Errorf("stderr %q", errb.String())
	}
	if !strings.Contains(out.String(), " one \n-----\n   1\n(1 row)\n") {
		t.Errorf("stdout %q", out.String())
	}
}

func TestTimingPrintsPsqlsFormat(t *testing.T) {
	s, out, _ := newTestSession(t, "")
	st := s.RunScript(context.Background(), strings.NewReader("\\timing\nselect 1 as one;\n\\timing off\nselect 2;\n"), Source{Name: "t.sql"})
	if st != engine.StatusOK {
		t.Fatalf("status %d", st)
	}
	want := regexp.MustCompile(`^Timing is on\.\n one \n-----\n   1\n\(1 row\)\n\nTime: \d+\.\d{3} ms\nTiming is off\.\n \?column\? \n----------\n        2\n\(1 row\)\n\n$`)
	if !want.MatchString(out.String()) {
		t.Errorf("stdout %q", out.String())
	}
}

func TestEditRunsWhatTheEditorSaved(t *testing.T) {
	editor := filepath.Join(t.TempDir(), "editor.sh")
	script := "#!/bin/sh\nfor last; do :; done\nprintf '\\nselect 41 + 1 as edited;\\n' >> \"$last\"\n"
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	s, out, errb := newTestSession(t, "")
	streams, _, _ := termtest.Streams("", map[string]string{"EDITOR": editor})
	streams.Out, streams.Err = s.streams.Out, s.streams.Err
	s.streams = streams
	st := s.RunScript(context.Background(), strings.NewReader("select 1 as first;\n\\e\n"), Source{})
	if st != engine.StatusOK || !strings.Contains(out.String(), " edited \n--------\n     42\n") {
		t.Fatalf("status %d, stdout %q, stderr %q", st, out.String(), errb.String())
	}
}
