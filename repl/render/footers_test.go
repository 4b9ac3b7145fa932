package render

import "testing"

// Footers as psql's describing commands print them (printTableAddFooter);
// repl/describe compares the same cases with psql itself.
func TestFooters(t *testing.T) {
	ab := []Column{{Name: "a", TypeOID: 23}, {Name: "b", TypeOID: 25}}
	with := func(f func(*Options)) Options {
		o := DefaultOptions()
		o.Footers = []string{"Indexes:", "    \"x\" btree (a)"}
		f(&o)
		return o
	}
	tests := []struct {
		name string
		opts Options
		rows [][][]byte
		want string
	}{
		{"aligned", with(func(*Options) {}), rows("1,x"), " a | b \n---+---\n 1 | x\nIndexes:\n    \"x\" btree (a)\n\n"},
		{"aligned no rows", with(func(*Options) {}), nil, " a | b \n---+---\nIndexes:\n    \"x\" btree (a)\n\n"},
		{"footer off keeps them", with(func(o *Options) { o.Footer = false }), rows("1,x"), " a | b \n---+---\n 1 | x\nIndexes:\n    \"x\" btree (a)\n\n"},
		{"tuples only hides them", with(func(o *Options) { o.TuplesOnly = true }), rows("1,x"), " 1 | x\n\n"},
		{"expanded", with(func(o *Options) { o.Expanded = ExpandedOn }), rows("1,x"), "-[ RECORD 1 ]\na | 1\nb | x\n\nIndexes:\n    \"x\" btree (a)\n\n"},
		{"expanded border 2", with(func(o *Options) { o.Expanded = ExpandedOn; o.Border = 2 }), rows("1,x"), "+-[ RECORD 1 ]-+\n| a | 1 |\n| b | x |\n+---+---+\nIndexes:\n    \"x\" btree (a)\n\n"},
		{"expanded no rows", with(func(o *Options) { o.Expanded = ExpandedOn }), nil, "Indexes:\n    \"x\" btree (a)\n\n"},
		{"unaligned", with(func(o *Options) { o.Format = Unaligned }), rows("1,x"), "a|b\n1|x\nIndexes:\n    \"x\" btree (a)\n"},
		{"unaligned expanded", with(func(o *Options) { o.Format = Unaligned; o.Expanded = ExpandedOn }), rows("1,x"), "a|1\nb|x\n\nIndexes:\n    \"x\" btree (a)\n"},
		// as psql's \d with linestyle unicode, double border and header lines
		{"unicode double", with(func(o *Options) {
			o.Border, o.LineStyle, o.UnicodeBorder, o.UnicodeHeader = 2, LineUnicode, UnicodeDouble, UnicodeDouble
		}), rows("1,x"), "╔═══╤═══╗\n║ a │ b ║\n╠═══╪═══╣\n║ 1 │ x ║\n╚═══╧═══╝\nIndexes:\n    \"x\" btree (a)\n\n"},
		{"unicode double expanded", with(func(o *Options) {
			o.Border, o.Expanded, o.LineStyle, o.UnicodeBorder, o.UnicodeColumn = 2, ExpandedOn, LineUnicode, UnicodeDouble, UnicodeDouble
		}), rows("1,x"), "╔═[ RECORD 1 ]═╗\n║ a ║ 1 ║\n║ b ║ x ║\n╚═══╩═══╝\nIndexes:\n    \"x\" btree (a)\n\n"},
		{"csv ignores them", with(func(o *Options) { o.Format = CSV }), rows("1,x"), "a,b\n1,x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := print(t, tt.opts, ab, tt.rows); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}
