package envs

import (
	"reflect"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// decodeDocs are TOML documents, valid and not, that decodeFast must either
// decode exactly as go-toml does or leave to go-toml.
var decodeDocs = []string{
	"",
	"# only a comment\n",
	"a = 1\nb = \"x\"\nc = true\nd = [1, \"two\", false, [3]]\ne = { x = 1, y = { z = \"w\" } }\n",
	"a.b.c = 1\na.b.d = 2\n",
	"[envs.prod]\ndsn = \"service=prod\" # comment\ntier = \"production\"\naudit = { enabled = true, path = \"/x\" }\n\n[envs.dev]\ndsn = 'dbname=dev'\n",
	"[a.b]\nx = 1\n[a]\ny = 2\n",
	"[a]\n[a.b]\n[a.b.c]\nk = 1\n",
	"[\"quoted key\".'lit']\n\"k k\" = \"v\\u00e9\\n\"\n",
	"s = \"\"\"\nmulti\nline\"\"\"\nt = '''\nraw\\n'''\n",
	"i = +1_000\nj = -0\nk = 0\n",
	"[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true\n",
	"crlf = 1\r\nx = 2\r\n",
	// rejected by go-toml
	"a = 1\na = 2\n",
	"[a]\n[a]\n",
	"[a]\nb = 1\n[a.b]\n",
	"a.b = 1\n[a]\n",
	"a.b = 1\n[a.b]\n",
	"[a.b]\n[a]\nb = 1\n",
	"a = { x = 1, x = 2 }\n",
	"a = { x = 1 }\n[a.y]\n",
	"a = { x = 1 }\na.y = 2\n",
	"a = 1\n[a.b]\n",
	"[a]\nb.c = 1\n[a]\n",
	"i = 01\n",
	"i = 1__0\n",
	"i = 99999999999999999999\n",
	"s = \"unterminated\n",
	"[envs.prod]\ndsn = \"a\"\ndsn = \"b\"\n",
	"x = \"\\q\"\n",
	// valid, left to go-toml
	"f = 1.5\n",
	"h = 0xff\n",
	"d = 1979-05-27\n",
	"[[arr]]\nx = 1\n[[arr]]\nx = 2\n",
	"t = { a.b = 1 }\n",
}

func TestDecodeFastAgreesWithGoToml(t *testing.T) {
	for _, doc := range decodeDocs {
		checkDecodeFast(t, doc)
	}
}

func checkDecodeFast(t *testing.T, doc string) {
	t.Helper()
	var want map[string]any
	werr := toml.Unmarshal([]byte(doc), &want)
	got, ok := decodeFast([]byte(doc))
	switch {
	case werr != nil && ok:
		t.Errorf("decodeFast accepts %q, which go-toml rejects: %v", doc, werr)
	case ok && !reflect.DeepEqual(got, want):
		t.Errorf("decodeFast(%q) = %#v, go-toml: %#v", doc, got, want)
	}
}

// The fast path must be the one a real config takes: if it gave up on
// these, loading would be quadratic again.
func TestDecodeFastTakesConfigs(t *testing.T) {
	docs := []string{
		string(Demo("/tmp", 5432, "me")),
		"unknown_tier = \"staging\"\nproduction_markers = [\"live\", \"prd\"]\n\n[theme]\ntint = false\n\n" +
			"[policy.production]\nread_only = true\nstatement_timeout = \"30s\"\n\n" +
			"[envs.prod]\ndsn = \"postgres://app@db.internal:5432/app\"\npassword_command = [\"op\", \"read\", \"x\"]\n" +
			"audit = { enabled = true, path = \"/var/log/safesql.log\", syslog = false }\ncolor = 196\n",
	}
	for _, doc := range docs {
		if _, ok := decodeFast([]byte(doc)); !ok {
			t.Errorf("decodeFast gave up on a plain config:\n%s", doc)
		}
		checkDecodeFast(t, doc)
	}
}

func FuzzDecodeFast(f *testing.F) {
	for _, doc := range decodeDocs {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		checkDecodeFast(t, doc)
	})
}
