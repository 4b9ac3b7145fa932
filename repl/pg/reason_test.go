package pg

import (
	"encoding/binary"
	"testing"
)

func message(typ byte, body string) []byte {
	b := []byte{typ, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(b[1:], uint32(4+len(body)))
	return append(b, body...)
}

func TestFatalInFindsTheServersReason(t *testing.T) {
	notice := message('N', "SNOTICE\x00Mhello\x00\x00")
	fatal := message('E', "SFATAL\x00VFATAL\x00C25P03\x00Mterminating connection due to idle-in-transaction timeout\x00\x00")
	e := fatalIn(append(notice, fatal...))
	if e == nil || e.Code != "25P03" || e.Message != "terminating connection due to idle-in-transaction timeout" || e.Severity != "FATAL" {
		t.Fatalf("got %+v", e)
	}
	for name, b := range map[string][]byte{
		"an ERROR":      message('E', "SERROR\x00Mno\x00\x00"),
		"a cut message": fatal[:len(fatal)-3],
		"a TLS record":  {0x17, 0x03, 0x03, 0x00, 0x20, 1, 2, 3},
		"nothing":       nil,
		"a bad length":  {'E', 0, 0, 0, 1},
	} {
		if e := fatalIn(b); e != nil {
			t.Errorf("%s: got %+v, want none", name, e)
		}
	}
}
