package theme

import (
	"image/color"
	"io"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// Tier names, as package envs spells them. An unrecognised tier is drawn as
// production: fail closed.
const (
	Production  = "production"
	Staging     = "staging"
	Development = "development"
	Local       = "local"
)

// palette is one tier's colour at each profile, chosen by hand so that each
// tier stays distinct when degraded (an automatic conversion would turn
// staging's orange into production's red on a 16-colour terminal).
type palette struct {
	truecolor string // "#rrggbb"
	ansi256   string // "0".."255"
	ansi      string // "0".."15"
	tint      string // dark background tint, "" = none
	tintLight string // light background tint
}

var palettes = map[string]palette{
	Production:  {truecolor: "#d70000", ansi256: "160", ansi: "9", tint: "#2b0000", tintLight: "#ffe4e4"},
	Staging:     {truecolor: "#ff8700", ansi256: "208", ansi: "11"},
	Development: {truecolor: "#00af00", ansi256: "34", ansi: "10"},
	Local:       {truecolor: "#8a8a8a", ansi256: "245", ansi: "8"},
}

func paletteOf(tier string) palette {
	if p, ok := palettes[tier]; ok {
		return p
	}
	return palettes[Production]
}

// TierName is the tier in words as the screen shows it: "PRODUCTION".
// Anything unrecognised reads as PRODUCTION, as it is treated.
func TierName(tier string) string {
	if _, ok := palettes[tier]; !ok {
		tier = Production
	}
	return strings.ToUpper(tier)
}

// Theme holds the styles for one colour profile. Build it with Default or
// Plain; the zero value is not usable.
type Theme struct {
	profile colorprofile.Profile
	color   bool

	// Role-named styles that do not depend on the tier.
	Destructive lipgloss.Style // what a statement will destroy: row counts, DROP targets
	Warning     lipgloss.Style // confusion guards, policy notes
	Error       lipgloss.Style // refusals
	Success     lipgloss.Style // committed, matched counts
	Muted       lipgloss.Style // hints, secondary text
	Emphasis    lipgloss.Style // the word to type in a confirmation
}

// Default returns the theme for colour profile p (detect it with Detect or
// colorprofile.Detect). A profile without colours (NO_COLOR, --no-color,
// TERM=dumb, not a terminal) gets Plain: no escape sequence at all.
func Default(p colorprofile.Profile) *Theme {
	if p <= colorprofile.ASCII {
		return Plain()
	}
	t := &Theme{profile: p, color: true}
	c := func(truecolor, c256, c16 string) color.Color { return t.pick(truecolor, c256, c16) }
	t.Destructive = lipgloss.NewStyle().Bold(true).Foreground(c("#ff5f5f", "203", "9"))
	t.Warning = lipgloss.NewStyle().Bold(true).Foreground(c("#ffaf00", "214", "11"))
	t.Error = lipgloss.NewStyle().Bold(true).Foreground(c("#ff5f5f", "203", "9"))
	t.Success = lipgloss.NewStyle().Foreground(c("#5fd75f", "77", "10"))
	t.Muted = lipgloss.NewStyle().Foreground(c("#8a8a8a", "245", "8"))
	t.Emphasis = lipgloss.NewStyle().Bold(true).Underline(true)
	return t
}

// Plain returns the theme that draws no colour and no text attribute: every
// style renders its text unchanged, and the tier is spelt out instead.
func Plain() *Theme {
	s := lipgloss.NewStyle()
	return &Theme{profile: colorprofile.NoTTY, Destructive: s, Warning: s, Error: s, Success: s, Muted: s, Emphasis: s}
}

// Detect returns the colour profile of out given the environment (os.Environ()
// outside tests), honouring NO_COLOR, CLICOLOR, TERM and --no-color (noColor).
// NO_COLOR (set and not empty, as no-color.org says) wins over everything,
// COLORTERM and CLICOLOR_FORCE included, which colorprofile alone does not
// guarantee.
func Detect(out io.Writer, environ []string, noColor bool) colorprofile.Profile {
	if noColor {
		return colorprofile.NoTTY
	}
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, "NO_COLOR="); ok && v != "" {
			return colorprofile.NoTTY
		}
	}
	return colorprofile.Detect(out, environ)
}

// Profile is the colour profile the theme draws for.
func (t *Theme) Profile() colorprofile.Profile { return t.profile }

// Colorful reports whether the theme draws colours; when it does not, the
// prompt and frame say the tier in words.
func (t *Theme) Colorful() bool { return t.color }

// pick chooses the hand-picked colour for the theme's profile.
func (t *Theme) pick(truecolor, c256, c16 string) color.Color {
	switch t.profile {
	case colorprofile.TrueColor:
		return lipgloss.Color(truecolor)
	case colorprofile.ANSI256:
		return lipgloss.Color(c256)
	case colorprofile.ANSI:
		return lipgloss.Color(c16)
	}
	return nil
}

// TierColor is the colour of an environment: its override (a "#rrggbb" or
// "#rgb" hex, or an ANSI number "0".."255"), degraded to the theme's profile,
// or else its tier's colour. nil when the theme has no colours.
func (t *Theme) TierColor(tier, override string) color.Color {
	if !t.color {
		return nil
	}
	if c := parseColor(override); c != nil {
		return t.profile.Convert(c)
	}
	p := paletteOf(tier)
	return t.pick(p.truecolor, p.ansi256, p.ansi)
}

// parseColor accepts what envs accepts; anything else is nil.
func parseColor(s string) color.Color {
	if s == "" {
		return nil
	}
	if _, ok := lipgloss.Color(s).(lipgloss.NoColor); ok {
		return nil
	}
	if !strings.HasPrefix(s, "#") {
		n := 0
		for _, r := range s {
			if r < '0' || r > '9' {
				return nil
			}
			n = n*10 + int(r-'0')
			if n > 255 {
				return nil
			}
		}
	}
	return lipgloss.Color(s)
}

// TierStyles are the role-named styles of one environment.
type TierStyles struct {
	Accent lipgloss.Style // the label in the prompt, the tier's words
	Badge  lipgloss.Style // text on the tier's colour: status line, WRITE
	Border lipgloss.Style // the frame's lines
}

// For returns the styles of an environment of tier with an optional colour
// override. With Plain they are all unstyled.
func (t *Theme) For(tier, override string) TierStyles {
	c := t.TierColor(tier, override)
	if c == nil {
		s := lipgloss.NewStyle()
		return TierStyles{Accent: s, Badge: s, Border: s}
	}
	return TierStyles{
		Accent: lipgloss.NewStyle().Bold(true).Foreground(c),
		Badge:  lipgloss.NewStyle().Bold(true).Foreground(t.contrast(c)).Background(c),
		Border: lipgloss.NewStyle().Foreground(c),
	}
}

// contrast picks black or white text for a background c.
func (t *Theme) contrast(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	lum := (299*r + 587*g + 114*b) / 1000 >> 8
	if lum > 140 {
		return t.pick("#000000", "16", "0")
	}
	return t.pick("#ffffff", "231", "15")
}

// Swatch is a two-cell block of the environment's colour for `safesql
// envs`; with Plain, two spaces, so columns stay aligned.
func (t *Theme) Swatch(tier, override string) string {
	c := t.TierColor(tier, override)
	if c == nil {
		return "  "
	}
	return lipgloss.NewStyle().Foreground(c).Render("██")
}
