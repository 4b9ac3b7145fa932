package app

import "testing"

func TestHighlightSetting(t *testing.T) {
	for v, want := range map[string]bool{"": true, "1": true, "on": true, "0": false, "false": false, " OFF ": false, "no": false} {
		if got := highlightOn(func(k string) string {
			if k == "SAFESQL_HIGHLIGHT" {
				return v
			}
			return ""
		}); got != want {
			t.Errorf("SAFESQL_HIGHLIGHT=%q: %v, want %v", v, got, want)
		}
	}
}
