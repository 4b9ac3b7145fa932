package render_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/safesql/safesql/repl/internal/pgtest"
	"github.com/safesql/safesql/repl/meta"
	"github.com/safesql/safesql/repl/render"
)

// This file tests repl's \pset code (repl/shell/pset.go) for the line styles
// against psql: the messages, the errors, the listing, and the
// output of -P settings, which go through the same code.

// psqlRecorder answers psqlOut from testdata/TEST.golden, or with
// -update, from psql over a fresh database, recording its outputs.
type psqlRecorder struct {
	g *pgtest.Golden
	p pgtest.Params
}

func openPsql(t *testing.T) *psqlRecorder {
	t.Helper()
	update := flag.Lookup("update").Value.String() == "true" // golden_test.go's -update
	r := &psqlRecorder{g: pgtest.OpenGolden(t, t.Name(), update)}
	if update {
		r.p = pgtest.DB(t)
	}
	return r
}

// psqlOut runs psql with args and returns its stdout and stderr.
func psqlOut(t *testing.T, r *psqlRecorder, args ...string) (string, string) {
	t.Helper()
	key := fmt.Sprintf("%q", args)
	var e bytes.Buffer
	out := r.g.Bytes(t, "psql "+key, func() []byte {
		cmd := exec.Command(pgtest.Psql(t), append([]string{"-X"}, args...)...)
		cmd.Env = append(append(os.Environ(), r.p.Env()...), "LC_ALL=C.UTF-8", "PGCLIENTENCODING=UTF8", "PSQLRC=/nonexistent", "PAGER=", "PSQL_PAGER=", "COLUMNS=")
		var o bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		if err := cmd.Run(); err != nil {
			if _, ok := err.(*exec.ExitError); !ok {
				t.Fatalf("psql: %v", err)
			}
		}
		return o.Bytes()
	})
	errOut := r.g.Bytes(t, "psql stderr "+key, func() []byte { return e.Bytes() })
	return string(out), string(errOut)
}

// pset is one \pset NAME [VALUE].
type pset struct {
	name, value string
	has         bool
}

// applyPsets does what a session does for each \pset: set the option, then
// print the message or the error.
func applyPsets(o *render.Options, ps []pset) (stdout, stderr string) {
	var out, errs strings.Builder
	for _, p := range ps {
		if err := meta.SetPrintOption(o, p.name, p.value, p.has); err != nil {
			errs.WriteString(err.Error() + "\n")
			continue
		}
		if msg := meta.PrintOptionInfo(*o, p.name); msg != "" {
			out.WriteString(msg + "\n")
		}
	}
	return out.String(), errs.String()
}

func psetArgs(ps []pset) []string {
	var args []string
	for _, p := range ps {
		c := `\pset ` + p.name
		if p.has {
			c += " '" + p.value + "'"
		}
		args = append(args, "-c", c)
	}
	return args
}

func TestUnicodeLinestylePsetAgainstPsql(t *testing.T) {
	p := openPsql(t)
	names := []string{"unicode_border_linestyle", "unicode_column_linestyle", "unicode_header_linestyle"}
	values := []string{"double", "d", "DOU", "Double", "single", "s", "SINGLE", "sin", "", "x", "doublex", "single ", "ds"}

	t.Run("messages", func(t *testing.T) {
		for _, name := range names {
			var cases [][]pset
			for _, v := range values {
				// from the default, and after double
				cases = append(cases, []pset{{name, v, true}, {name, "", false}})
				cases = append(cases, []pset{{name, "double", true}, {name, v, true}, {name, "", false}})
			}
			cases = append(cases, []pset{{name, "", false}})
			for _, ps := range cases {
				wantOut, wantErr := psqlOut(t, p, psetArgs(ps)...)
				o := render.DefaultOptions()
				gotOut, gotErr := applyPsets(&o, ps)
				if gotOut != wantOut || gotErr != wantErr {
					t.Errorf("%q\npsql stdout %q stderr %q\nours stdout %q stderr %q", psetArgs(ps), wantOut, wantErr, gotOut, gotErr)
				}
			}
		}
	})

	t.Run("listing", func(t *testing.T) {
		for _, ps := range [][]pset{
			nil,
			{{"linestyle", "unicode", true}, {"unicode_border_linestyle", "d", true}},
			{{"unicode_column_linestyle", "double", true}},
			{{"unicode_header_linestyle", "D", true}, {"unicode_border_linestyle", "double", true}, {"unicode_column_linestyle", "do", true}},
			{{"unicode_header_linestyle", "double", true}, {"unicode_header_linestyle", "s", true}},
		} {
			samePsetListing(t, p, ps)
		}
	})

	// -P NAME=VALUE, as psql's command line and ours take it.
	t.Run("command line", func(t *testing.T) {
		cols := []render.Column{{Name: "a", TypeOID: 23}, {Name: "b\nbb", TypeOID: 25}, {Name: "c", TypeOID: 25}}
		rows := [][][]byte{{[]byte("1"), []byte("x\ny"), []byte("a fairly long value to wrap")}, {[]byte("22"), nil, []byte("")}}
		sql := "SELECT 1 AS a, E'x\\ny' AS \"b\nbb\", 'a fairly long value to wrap' AS c UNION ALL SELECT 22, NULL, ''"
		for _, ps := range [][]string{
			{"unicode_border_linestyle=D", "unicode_column_linestyle=dou", "unicode_header_linestyle=S"},
			{"unicode_border_linestyle=s", "unicode_column_linestyle=Double", "unicode_header_linestyle=d"},
			{"unicode_border_linestyle=double", "unicode_column_linestyle=", "unicode_header_linestyle=doub"},
		} {
			for _, layout := range [][]string{
				{"border=0"}, {"border=1"}, {"border=2"}, {"border=3", "title=T"},
				{"expanded=on", "border=1"}, {"expanded=on", "border=2"},
				{"format=wrapped", "columns=20", "border=2"}, {"format=wrapped", "expanded=on", "columns=20", "border=2"},
			} {
				all := append(append([]string{"linestyle=unicode"}, ps...), layout...)
				samePsetOutput(t, p, sql, cols, rows, all)
			}
		}
		// A bad value is refused with psql's words.
		for _, name := range names {
			_, stderr := psqlOut(t, p, "-P", name+"=bold", "-c", "SELECT 1")
			o := render.DefaultOptions()
			err := meta.SetPrintOption(&o, name, "bold", true)
			want := strings.SplitN(stderr, "\n", 2)[0]
			if err == nil || "psql: error: "+err.Error() != want {
				t.Errorf("-P %s=bold: psql %q, ours %v", name, want, err)
			}
			if o.UnicodeBorder != render.UnicodeSingle || o.UnicodeColumn != render.UnicodeSingle || o.UnicodeHeader != render.UnicodeSingle {
				t.Errorf("-P %s=bold changed the options", name)
			}
		}
	})
}

// TestLinestylePsetAgainstPsql: \pset linestyle with every abbreviation
// psql takes (old-ascii included), and those it refuses, from each style;
// the listing; -P linestyle=old-ascii and its abbreviations.
func TestLinestylePsetAgainstPsql(t *testing.T) {
	p := openPsql(t)
	values := []string{"old-ascii", "o", "ol", "old", "old-", "OLD-A", "Old-Ascii", "old-asciix", "old ", "olda",
		"ascii", "a", "ASC", "", "unicode", "u", "Uni", "x", "asciio", "-", "ascii-old"}

	t.Run("messages", func(t *testing.T) {
		var cases [][]pset
		for _, v := range values {
			for _, from := range []string{"ascii", "old-ascii", "unicode"} {
				cases = append(cases, []pset{{"linestyle", from, true}, {"linestyle", v, true}, {"linestyle", "", false}})
			}
		}
		cases = append(cases, []pset{{"linestyle", "", false}}, []pset{{"linestyle", "o", true}, {"linestyle", "", false}})
		for _, ps := range cases {
			wantOut, wantErr := psqlOut(t, p, psetArgs(ps)...)
			o := render.DefaultOptions()
			gotOut, gotErr := applyPsets(&o, ps)
			if gotOut != wantOut || gotErr != wantErr {
				t.Errorf("%q\npsql stdout %q stderr %q\nours stdout %q stderr %q", psetArgs(ps), wantOut, wantErr, gotOut, gotErr)
			}
		}
	})

	t.Run("listing", func(t *testing.T) {
		for _, ps := range [][]pset{
			{{"linestyle", "old-ascii", true}},
			{{"linestyle", "o", true}, {"border", "2", true}},
			{{"linestyle", "unicode", true}, {"linestyle", "old-", true}},
			{{"linestyle", "old", true}, {"linestyle", "a", true}},
		} {
			samePsetListing(t, p, ps)
		}
	})

	t.Run("command line", func(t *testing.T) {
		cols := []render.Column{{Name: "a", TypeOID: 23}, {Name: "b\nbb", TypeOID: 25}, {Name: "c", TypeOID: 25}}
		rows := [][][]byte{{[]byte("1"), []byte("x\ny"), []byte("a fairly long value to wrap")}, {[]byte("22"), nil, []byte("")}}
		sql := "SELECT 1 AS a, E'x\\ny' AS \"b\nbb\", 'a fairly long value to wrap' AS c UNION ALL SELECT 22, NULL, ''"
		for _, style := range []string{"old-ascii", "o", "OLD", "old-"} {
			for _, layout := range [][]string{
				{"border=0"}, {"border=1"}, {"border=2"}, {"border=3", "title=T"},
				{"expanded=on", "border=0"}, {"expanded=on", "border=1"}, {"expanded=on", "border=2"},
				{"format=wrapped", "columns=20", "border=0"}, {"format=wrapped", "columns=20", "border=2"},
				{"format=wrapped", "expanded=on", "columns=20", "border=1"},
			} {
				all := append([]string{"linestyle=" + style}, layout...)
				samePsetOutput(t, p, sql, cols, rows, all)
			}
		}
		// A bad value is refused with psql's words.
		for _, v := range []string{"old-asciix", "bold"} {
			_, stderr := psqlOut(t, p, "-P", "linestyle="+v, "-c", "SELECT 1")
			o := render.DefaultOptions()
			err := meta.SetPrintOption(&o, "linestyle", v, true)
			want := strings.SplitN(stderr, "\n", 2)[0]
			if err == nil || "psql: error: "+err.Error() != want {
				t.Errorf("-P linestyle=%s: psql %q, ours %v", v, want, err)
			}
			if o.LineStyle != render.LineASCII {
				t.Errorf("-P linestyle=%s changed the options", v)
			}
		}
	})
}

// samePsetOutput renders rows with the -P settings all, through
// shell.SetPrintOption, and requires psql's output for sql with them.
func samePsetOutput(t *testing.T, p *psqlRecorder, sql string, cols []render.Column, rows [][][]byte, all []string) {
	t.Helper()
	var args []string
	o := render.DefaultOptions()
	for _, a := range all {
		args = append(args, "-P", a)
		k, v, _ := strings.Cut(a, "=")
		if err := meta.SetPrintOption(&o, k, v, true); err != nil {
			t.Fatalf("-P %s: %v", a, err)
		}
	}
	want, stderr := psqlOut(t, p, append(append([]string{"-q"}, args...), "-c", sql)...)
	if stderr != "" {
		t.Fatalf("psql: %s", stderr)
	}
	var got bytes.Buffer
	tab := render.NewTable(&got, o, cols)
	for _, r := range rows {
		if err := tab.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := tab.Close(); err != nil {
		t.Fatal(err)
	}
	if got.String() != want {
		t.Errorf("psql %s\n--- psql:\n%s--- ours:\n%s", strings.Join(args, " "), want, got.String())
	}
}

// samePsetListing requires \pset's listing after ps to be psql's.
func samePsetListing(t *testing.T, p *psqlRecorder, ps []pset) {
	t.Helper()
	want, stderr := psqlOut(t, p, append(append([]string{"-q"}, psetArgs(ps)...), "-c", `\pset`)...)
	o := render.DefaultOptions()
	if _, errs := applyPsets(&o, ps); errs != "" || stderr != "" {
		t.Fatalf("%q: psql %q, ours %q", psetArgs(ps), stderr, errs)
	}
	if got := meta.PrintOptionsListing(o); got != want {
		t.Errorf("%q\npsql:\n%s\nours:\n%s", psetArgs(ps), want, got)
	}
}
