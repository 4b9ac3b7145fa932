package tui

import (
	"strings"
	"testing"
)

func TestReflowRowsCountsWhatANarrowerWindowAdds(t *testing.T) {
	// A 120-column frame, the cursor on its second line at column 11.
	f := drawnAt([]string{strings.Repeat("─", 120), strings.Repeat(" ", 120)}, 11, 1)
	for _, tt := range []struct{ width, want int }{
		{120, 0}, {130, 0}, {107, 1}, {60, 1}, {59, 2}, {10, 12},
	} {
		if got := f.reflowRows(tt.width); got != tt.want {
			t.Errorf("at %d columns: %d rows more, want %d", tt.width, got, tt.want)
		}
	}
}

func TestReflowsButForTerminalsThatCutLines(t *testing.T) {
	for env, want := range map[string]bool{
		"TERM=xterm-256color":                              true,
		"TERM=xterm-256color XTERM_VERSION=XTerm(390)":     false,
		"TERM=screen XTERM_VERSION=XTerm(390) TMUX=/tmp/x": true,
		"TERM=linux":                 false,
		"TERM=rxvt-unicode-256color": false,
		"TERM=xterm-kitty":           true,
	} {
		if got := reflows(strings.Fields(env)); got != want {
			t.Errorf("%s: reflows %v, want %v", env, got, want)
		}
	}
}
