package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/safesql/safesql/theme"
)

// pasted is n bytes of SQL as a paste without bracketed paste sends it:
// one statement of many lines ("\r" is Enter), ending in ';'.
func pasted(n int, lineLen int) string {
	var b strings.Builder
	b.WriteString("select 1")
	for i := 0; b.Len() < n-1; i++ {
		if lineLen > 0 && i%((lineLen+15)/16) == 0 {
			b.WriteString("\r")
		}
		fmt.Fprintf(&b, " + %d /*x*/ 'a'", i%100)
	}
	s := b.String()
	if len(s) > n-1 {
		s = s[:n-1]
	}
	return s + ";"
}

// typeAll sends each rune of s as a key press and draws the view after
// each one, as a Bubble Tea program does.
func typeAll(e *editor, s string) {
	for _, r := range s {
		if r == '\r' {
			e.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
		} else {
			e.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		_ = e.View()
	}
}

func BenchmarkTyping(b *testing.B) {
	th := theme.Default(colorprofile.TrueColor)
	for _, shape := range []struct {
		name    string
		lineLen int
	}{{"lines", 80}, {"oneline", 0}} {
		for _, n := range []int{1 << 10, 4 << 10, 16 << 10, 100 << 10} {
			b.Run(fmt.Sprintf("%s/%dKB", shape.name, n>>10), func(b *testing.B) {
				s := pasted(n, shape.lineLen)
				b.SetBytes(int64(len(s)))
				for b.Loop() {
					e := newHighlightEditor(b, th, true, 100, 40)
					typeAll(e, s)
				}
			})
		}
	}
}
