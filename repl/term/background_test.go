package term

import (
	"io"
	"testing"
	"time"

	"github.com/creack/pty"
)

func TestDarkBackground(t *testing.T) {
	tests := []struct {
		name           string
		reply          string // what the terminal answers; "" = nothing
		wantDark, want bool
	}{
		{"dark xterm", "\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;22c", true, true},
		{"light, two-digit channels", "\x1b]11;rgb:ff/ff/ee\x1b\\\x1b[?1;2c", false, true},
		{"ignores OSC 11, answers DA1", "\x1b[?1;2c", false, false},
		{"says nothing", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			master, tty, err := pty.Open()
			if err != nil {
				t.Skipf("no pty: %v", err)
			}
			defer master.Close()
			defer tty.Close()
			go func() {
				buf := make([]byte, 64)
				var seen []byte
				for len(seen) < len("\x1b]11;?\x07\x1b[c") {
					n, err := master.Read(buf)
					if err != nil {
						return
					}
					seen = append(seen, buf[:n]...)
				}
				if tt.reply != "" {
					_, _ = io.WriteString(master, tt.reply)
				}
			}()
			start := time.Now()
			dark, ok := DarkBackground(tty, tty, 3*time.Second)
			if dark != tt.wantDark || ok != tt.want {
				t.Errorf("DarkBackground = %v, %v; want %v, %v", dark, ok, tt.wantDark, tt.want)
			}
			if tt.reply != "" && time.Since(start) > 2*time.Second { // answered: no waiting for the 3 s ceiling
				t.Errorf("took %v although the terminal answered", time.Since(start))
			}
		})
	}
}
