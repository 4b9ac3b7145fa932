package render

// LineStyle is psql's \pset linestyle.
type LineStyle int

// The line styles: psql's default ascii, unicode box drawing (whose lines
// are single or double as Options.UnicodeBorder, UnicodeColumn and
// UnicodeHeader say), and old-ascii, psql's style before 9.0, which marks
// continued lines in the column separators rather than at the end of the
// value and multi-line headers at their left.
const (
	LineASCII LineStyle = iota
	LineUnicode
	LineOldASCII
)

// UnicodeLine is the weight of one kind of unicode line: psql's \pset
// unicode_border_linestyle, unicode_column_linestyle and
// unicode_header_linestyle.
type UnicodeLine int

// The unicode line weights; single is psql's default.
const (
	UnicodeSingle UnicodeLine = iota
	UnicodeDouble
)

// rule is one kind of line: the character that draws it and those at its
// left end, column crossings and right end.
type rule struct{ h, left, mid, right string }

// style is psql's printTextFormat.
type style struct {
	top, middle, bottom, data   rule
	midNL, midWrap, midBlank    string
	headerNLLeft, headerNLRight string
	nlLeft, nlRight             string
	wrapLeft, wrapRight         string
	// old is old-ascii's layout: header marks at the left of each header
	// line (between columns at border 0, where no mark follows a header),
	// and in expanded mode no marks after values below border 2, a column
	// for the header marks instead.
	old bool
}

var asciiStyle = style{
	top:    rule{"-", "+", "+", "+"},
	middle: rule{"-", "+", "+", "+"},
	bottom: rule{"-", "+", "+", "+"},
	data:   rule{"", "|", "|", "|"},
	midNL:  "|", midWrap: "|", midBlank: "|",
	headerNLLeft: " ", headerNLRight: "+",
	nlLeft: " ", nlRight: "+",
	wrapLeft: ".", wrapRight: ".",
}

// oldASCIIStyle is linestyle old-ascii: ':' in the separator before a
// value's next line, ';' before a wrapped value's continuation, '+' before
// a header's next line, blanks for every other mark.
var oldASCIIStyle = style{
	top:    rule{"-", "+", "+", "+"},
	middle: rule{"-", "+", "+", "+"},
	bottom: rule{"-", "+", "+", "+"},
	data:   rule{"", "|", "|", "|"},
	midNL:  ":", midWrap: ";", midBlank: " ",
	headerNLLeft: "+", headerNLRight: " ",
	nlLeft: " ", nlRight: " ",
	wrapLeft: " ", wrapRight: " ",
	old: true,
}

// Box drawing characters by the weight of their horizontal stroke, then of
// their vertical one (0 single, 1 double).
var (
	boxHorizontal = [2]string{"─", "═"}
	boxVertical   = [2]string{"│", "║"}
	boxDownRight  = [2][2]string{{"┌", "╓"}, {"╒", "╔"}}
	boxDownLeft   = [2][2]string{{"┐", "╖"}, {"╕", "╗"}}
	boxUpRight    = [2][2]string{{"└", "╙"}, {"╘", "╚"}}
	boxUpLeft     = [2][2]string{{"┘", "╜"}, {"╛", "╝"}}
	boxDownHoriz  = [2][2]string{{"┬", "╥"}, {"╤", "╦"}}
	boxUpHoriz    = [2][2]string{{"┴", "╨"}, {"╧", "╩"}}
	boxVertRight  = [2][2]string{{"├", "╟"}, {"╞", "╠"}}
	boxVertLeft   = [2][2]string{{"┤", "╢"}, {"╡", "╣"}}
	boxCross      = [2][2]string{{"┼", "╫"}, {"╪", "╬"}}
)

// unicodeStyles are the eight unicode styles, indexed by the border,
// column and header weights. The outer frame and the rules above and below
// the table are border lines; the lines between columns are column lines;
// the rule under the header (and between expanded records) is a header
// line. Where two kinds meet, the character joins their weights.
var unicodeStyles = func() (s [2][2][2]style) {
	for b := range 2 {
		for c := range 2 {
			for h := range 2 {
				s[b][c][h] = style{
					top:    rule{boxHorizontal[b], boxDownRight[b][b], boxDownHoriz[b][c], boxDownLeft[b][b]},
					middle: rule{boxHorizontal[h], boxVertRight[h][b], boxCross[h][c], boxVertLeft[h][b]},
					bottom: rule{boxHorizontal[b], boxUpRight[b][b], boxUpHoriz[b][c], boxUpLeft[b][b]},
					data:   rule{"", boxVertical[b], boxVertical[c], boxVertical[b]},
					midNL:  boxVertical[c], midWrap: boxVertical[c], midBlank: boxVertical[c],
					headerNLLeft: " ", headerNLRight: "↵",
					nlLeft: " ", nlRight: "↵",
					wrapLeft: "…", wrapRight: "…",
				}
			}
		}
	}
	return s
}()

// weight is l as an index of the box tables: anything but double is single.
func (l UnicodeLine) weight() int {
	if l == UnicodeDouble {
		return 1
	}
	return 0
}

func styleOf(o *Options) *style {
	switch o.LineStyle {
	case LineUnicode:
		return &unicodeStyles[o.UnicodeBorder.weight()][o.UnicodeColumn.weight()][o.UnicodeHeader.weight()]
	case LineOldASCII:
		return &oldASCIIStyle
	}
	return &asciiStyle
}
