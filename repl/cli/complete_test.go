package cli

import (
	"reflect"
	"testing"
)

func TestCompleteKeywordsAndBackslashCommands(t *testing.T) {
	c := &completer{metas: []string{`\dt`, `\di`, `\q`}}
	c.once.Do(func() { c.names = []string{"orders", "order_items", "customers"} })
	tests := []struct {
		line string
		want []string
		n    int
	}{
		{"sel", []string{"ect"}, 3},
		{"SEL", []string{"ECT"}, 3},
		{"select * from ord", []string{"er", "er_items", "ers"}, 3},
		{`\d`, []string{"i", "t"}, 2},
		{"select ", nil, 0},
	}
	for _, tt := range tests {
		got, n := c.Do([]rune(tt.line), len([]rune(tt.line)))
		var strs []string
		for _, g := range got {
			strs = append(strs, string(g))
		}
		if !reflect.DeepEqual(strs, tt.want) || n != tt.n {
			t.Errorf("Do(%q) = %q, %d; want %q, %d", tt.line, strs, n, tt.want, tt.n)
		}
	}
}
