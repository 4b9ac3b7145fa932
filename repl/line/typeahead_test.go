package line

import (
	"io"
	"strings"
	"testing"
)

func TestTypeaheadHandsOneLineAtATime(t *testing.T) {
	ta := newTypeahead(strings.NewReader("delete from t;\rproduction\r"))
	p := make([]byte, 4096)
	n, err := ta.Read(p)
	if err != nil || string(p[:n]) != "delete from t;\r" {
		t.Fatalf("first read %q, %v", p[:n], err)
	}
	if n := ta.hold(); n != len("production\r") {
		t.Fatalf("held %d bytes", n)
	}
	// While held, the editor (the question) reads only what comes next.
	if n, err := ta.Read(p); n != 0 || err != io.EOF {
		t.Fatalf("read while held: %q, %v", p[:n], err)
	}
	ta.release()
	n, err = ta.Read(p)
	if err != nil || string(p[:n]) != "production\r" {
		t.Fatalf("after release %q, %v", p[:n], err)
	}
}
