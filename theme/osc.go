package theme

import (
	"fmt"
	"image/color"
	"strings"
	"unicode/utf8"
)

// The terminal sequences below are returned, never written: the front end
// decides when (and remembers to undo them on every exit path, signals
// included).

// SetTitle is OSC 0: set the window and icon title. Control characters are
// dropped, so a host or database name cannot smuggle in escape sequences.
func SetTitle(title string) string {
	return "\x1b]0;" + sanitize(title) + "\a"
}

// PushTitle and PopTitle save and restore the terminal's title (xterm's
// CSI 22;0t and CSI 23;0t), so the title can be put back on exit.
const (
	PushTitle = "\x1b[22;0t"
	PopTitle  = "\x1b[23;0t"
)

// TitleText is the title for a session: "[PRODUCTION] PROD app@db/orders".
func TitleText(i Info) string {
	s := "[" + TierName(i.Tier) + "]"
	if i.Label != "" {
		s += " " + i.Label
	}
	if w := i.where(); w != "" {
		s += " " + w
	}
	return s
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
}

// Tint is OSC 11: set the terminal's background to a faint wash of the
// tier's colour, darker on a dark background (dark) and lighter on a light
// one. Only production is tinted; for other tiers it returns "". override is
// the environment's colour, as for Theme.TierColor. Undo it with ResetTint.
func Tint(tier, override string, dark bool) string {
	if _, known := palettes[tier]; known && tier != Production {
		return "" // an unknown tier is production: fail closed
	}
	p := palettes[Production]
	hex := p.tint
	if !dark {
		hex = p.tintLight
	}
	if c := parseColor(override); c != nil {
		hex = wash(c, dark)
	}
	return "\x1b]11;" + xcolor(hex) + "\a"
}

// ResetTint is OSC 111: restore the terminal's default background.
const ResetTint = "\x1b]111\a"

// wash mixes c with black (dark) or white (light): 20% or 12% of the colour.
func wash(c color.Color, dark bool) string {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint32 {
		v >>= 8
		if dark {
			return v * 20 / 100
		}
		return 255 - (255-v)*12/100
	}
	return fmt.Sprintf("#%02x%02x%02x", mix(r), mix(g), mix(b))
}

// xcolor writes "#rrggbb" as the X11 "rgb:rr/gg/bb" that OSC 11 expects.
func xcolor(hex string) string {
	h := strings.TrimPrefix(hex, "#")
	return "rgb:" + h[0:2] + "/" + h[2:4] + "/" + h[4:6]
}
