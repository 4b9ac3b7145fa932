package syntax

import (
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"

	"github.com/safesql/safesql/theme"
)

// Painter draws SQL in a theme's syntax styles. A disabled painter (the
// setting is off, or the theme has no colours) draws text unchanged.
type Painter struct {
	on          bool
	opt         Options
	open, close [numKinds]string
}

// NewPainter returns the painter for th; on is the user's setting.
func NewPainter(th *theme.Theme, on bool, opt Options) *Painter {
	p := &Painter{opt: opt}
	if th == nil || !on || !th.Colorful() {
		return p
	}
	ss := th.Syntax()
	styles := [numKinds]lipgloss.Style{
		Keyword: ss.Keyword, String: ss.String, Comment: ss.Comment, Number: ss.Number,
		QuotedIdent: ss.QuotedIdent, Meta: ss.Meta, Variable: ss.Variable,
	}
	for k := Keyword; k < numKinds; k++ {
		// The style's sequences around one letter, so that a token costs
		// two string writes rather than a Render.
		open, close, ok := strings.Cut(styles[k].Render("X"), "X")
		if ok && open != "" {
			p.open[k], p.close[k] = open, close
			p.on = true
		}
	}
	return p
}

// Enabled reports whether the painter draws anything.
func (p *Painter) Enabled() bool { return p != nil && p.on }

// Tokens are src's tokens with the painter's options.
func (p *Painter) Tokens(src string) []Token { return Tokenize(src, p.opt) }

// Paint returns src with its tokens styled; src itself when disabled.
func (p *Painter) Paint(src string) string {
	if !p.Enabled() || src == "" {
		return src
	}
	var b strings.Builder
	b.Grow(len(src) * 2)
	for _, t := range p.Tokens(src) {
		p.Write(&b, t.Kind, src[t.Start:t.End])
	}
	return b.String()
}

// Write writes s drawn as k. A style is closed before each newline and
// opened again after it, so that every line stands on its own.
func (p *Painter) Write(b *strings.Builder, k Kind, s string) {
	if s == "" {
		return
	}
	if !p.Enabled() || p.open[k] == "" {
		b.WriteString(s)
		return
	}
	for {
		line, rest, nl := strings.Cut(s, "\n")
		if line != "" {
			b.WriteString(p.open[k])
			b.WriteString(line)
			b.WriteString(p.close[k])
		}
		if !nl {
			return
		}
		b.WriteByte('\n')
		s = rest
	}
}

// RuneKinds is the kind of each rune of src, in order.
func (p *Painter) RuneKinds(src string) []Kind {
	kinds := make([]Kind, 0, utf8.RuneCountInString(src))
	for _, t := range p.Tokens(src) {
		for range src[t.Start:t.End] {
			kinds = append(kinds, t.Kind)
		}
	}
	return kinds
}
