package audit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A disk that fills up in the middle of a line: the kernel takes part of
// it; the log cuts the file back so that it holds whole lines only, and the
// next line, once there is room, follows the last whole one.
func TestWriteOnAFullDiskLeavesWholeLines(t *testing.T) {
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size=64k,mode=0700"); err != nil {
		skipUnlessRequired(t, fmt.Sprintf("cannot mount a 64k tmpfs to fill (%v): run the tests as root where mounting is allowed", err))
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	path := filepath.Join(dir, "audit.jsonl")
	l, err := Open(path, env(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	if err := l.Write(Entry{Decision: Ran, Statement: "SELECT 1"}); err != nil {
		t.Fatal(err)
	}
	filler, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	for err == nil {
		_, err = filler.Write(make([]byte, 4096))
	}
	filler.Close()
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("filling the tmpfs: %v", err)
	}
	before, _ := os.ReadFile(path)
	big := Entry{Decision: Ran, Statement: "INSERT INTO t VALUES ('" + strings.Repeat("x", 10000) + "')"}

	// Without the cut, half a line would stay: the file system takes part
	// of this one.
	raw, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	n, err := raw.Write(big.Line())
	if n == 0 || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("the full tmpfs took %d bytes (%v): the test needs one that takes part of a line", n, err)
	}
	raw.Truncate(int64(len(before)))
	raw.Close()

	err = l.Write(big)
	want := "audit log " + path + ": write: no space left on device: free space on its file system, or set another audit log path"
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("the file changed from %q to %.200q...", before, after)
	}

	os.Remove(filepath.Join(dir, "filler"))
	if err := l.Write(Entry{Decision: Ran, Statement: "SELECT 2"}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	wantFile := `{"time":"2026-01-02T03:04:05.000Z","statement":"SELECT 1","decision":"ran"}` + "\n" +
		`{"time":"2026-01-02T03:04:05.000Z","statement":"SELECT 2","decision":"ran"}` + "\n"
	if string(b) != wantFile {
		t.Errorf("file\n got %q\nwant %q", b, wantFile)
	}
}
