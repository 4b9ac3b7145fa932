package render

// LineStyle is psql's \pset linestyle.
type LineStyle int

// The line styles: psql's default ascii, and unicode box drawing (with
// psql's default single lines for border, column and header).
const (
	LineASCII LineStyle = iota
	LineUnicode
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

var unicodeStyle = style{
	top:    rule{"─", "┌", "┬", "┐"},
	middle: rule{"─", "├", "┼", "┤"},
	bottom: rule{"─", "└", "┴", "┘"},
	data:   rule{"", "│", "│", "│"},
	midNL:  "│", midWrap: "│", midBlank: "│",
	headerNLLeft: " ", headerNLRight: "↵",
	nlLeft: " ", nlRight: "↵",
	wrapLeft: "…", wrapRight: "…",
}

func styleOf(ls LineStyle) *style {
	if ls == LineUnicode {
		return &unicodeStyle
	}
	return &asciiStyle
}
