package theme

import "charm.land/lipgloss/v2"

// SyntaxStyles are the role-named styles of the SQL being typed. They stay
// quiet next to the tier's colour: bold keywords, one colour for literals,
// muted comments. With Plain they are all unstyled.
type SyntaxStyles struct {
	Keyword     lipgloss.Style // SELECT, FROM, WHERE
	String      lipgloss.Style // 'text', E'x', $$body$$
	Comment     lipgloss.Style // -- note, /* note */
	Number      lipgloss.Style // 42, 1.5e3
	QuotedIdent lipgloss.Style // "Name"
	Meta        lipgloss.Style // \d, \set
	Variable    lipgloss.Style // :name, :'name'
}

// Syntax returns the theme's styles for highlighting SQL.
func (t *Theme) Syntax() SyntaxStyles {
	s := lipgloss.NewStyle()
	if !t.color {
		return SyntaxStyles{Keyword: s, String: s, Comment: s, Number: s, QuotedIdent: s, Meta: s, Variable: s}
	}
	fg := func(truecolor, c256, c16 string) lipgloss.Style {
		return s.Foreground(t.pick(truecolor, c256, c16))
	}
	return SyntaxStyles{
		Keyword:     fg("#87afd7", "110", "12").Bold(true),
		String:      fg("#d7af87", "180", "3"),
		Comment:     t.Muted,
		Number:      fg("#af87d7", "140", "5"),
		QuotedIdent: fg("#5fafaf", "73", "6"),
		Meta:        fg("#5fafd7", "74", "14").Bold(true),
		Variable:    fg("#d787af", "175", "13"),
	}
}
