package term

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"time"

	"golang.org/x/term"
)

var (
	osc11Reply = regexp.MustCompile(`\x1b\]11;rgb:([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})`)
	da1Reply   = regexp.MustCompile(`\x1b\[\?[0-9;]*c`)
)

// DarkBackground asks the terminal for its background colour (OSC 11),
// with a primary device attributes request (DA1) behind it so that a
// terminal that does not know OSC 11 still answers at once. ok is false when
// the terminal did not answer within timeout or is not a terminal: then
// nothing that depends on the background should be done.
func DarkBackground(in, out *os.File, timeout time.Duration) (dark, ok bool) {
	fd := int(in.Fd())
	if !term.IsTerminal(fd) || !term.IsTerminal(int(out.Fd())) {
		return false, false
	}
	state, err := term.MakeRaw(fd)
	if err != nil {
		return false, false
	}
	defer term.Restore(fd, state) //nolint:errcheck
	if _, err := fmt.Fprint(out, "\x1b]11;?\x07\x1b[c"); err != nil {
		return false, false
	}
	_ = in.SetReadDeadline(time.Now().Add(timeout))
	defer in.SetReadDeadline(time.Time{}) //nolint:errcheck
	var got bytes.Buffer
	buf := make([]byte, 256)
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) && !da1Reply.Match(got.Bytes()) {
		if !readable(fd, time.Until(deadline)) {
			break
		}
		n, err := in.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			break
		}
	}
	m := osc11Reply.FindSubmatch(got.Bytes())
	if m == nil {
		return false, false
	}
	level := func(hex []byte) float64 {
		v, _ := strconv.ParseUint(string(hex), 16, 32)
		return float64(v) / float64(uint64(1)<<(4*len(hex))-1)
	}
	luma := 0.299*level(m[1]) + 0.587*level(m[2]) + 0.114*level(m[3])
	return luma < 0.5, true
}
