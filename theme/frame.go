package theme

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// where is "user@host/database", the parts that are known.
func (i Info) where() string {
	var b strings.Builder
	if i.User != "" {
		b.WriteString(i.User + "@")
	}
	b.WriteString(i.Host)
	if i.Database != "" {
		b.WriteString("/" + i.Database)
	}
	return b.String()
}

// mode is the session state in words: "read-only", "in transaction".
func (i Info) mode() string {
	parts := []string{"read-only"}
	switch {
	case i.Write:
		parts[0] = "WRITE"
	case i.ReadWrite:
		parts[0] = "read-write"
	}
	switch i.Tx {
	case TxOpen:
		parts = append(parts, "in transaction")
	case TxFailed:
		parts = append(parts, "transaction failed")
	case TxUnknown:
		parts = append(parts, "connection lost")
	}
	return strings.Join(parts, " · ")
}

// title is what heads the frame: "PROD · PRODUCTION", or with no colour
// "[PRODUCTION] PROD".
func (t *Theme) title(i Info) string {
	if !t.color {
		s := "[" + TierName(i.Tier) + "]"
		if i.Label != "" {
			s += " " + i.Label
		}
		return s
	}
	if i.Label == "" {
		return TierName(i.Tier)
	}
	return i.Label + " · " + TierName(i.Tier)
}

// truncate shortens plain text to width cells, marking the cut with "…".
func truncate(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	if width <= 0 {
		return ""
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// Frame draws body (the TUI's input area; it may hold escape sequences) in a
// rounded box width cells wide, in the tier's colour: the label and the
// tier in words on the top edge, user@host/database on the top right, the
// mode (read-only or WRITE, transaction state) on the bottom edge.
//
//	╭─ PROD · PRODUCTION ──────── app@db.internal/orders ─╮
//	│ SELECT 1;                                           │
//	╰─ read-only · in transaction ────────────────────────╯
func (t *Theme) Frame(i Info, body string, width int) string {
	width = max(width, 12)
	st := t.For(i.Tier, i.Color)
	inner := width - 4 // "│ " and " │"
	line := func(s string) string { return st.Border.Render(s) }

	// Top: "╭─ " title " " fill [" " where " ─"] "╮", fill at least one
	// "─". A narrow frame drops where, then the label, never the tier.
	title := t.title(i)
	if lipgloss.Width(title) > width-6 {
		title = t.tierWords(i.Tier, width-6)
	}
	tw := lipgloss.Width(title)
	where := i.where()
	if room := width - 9 - tw; lipgloss.Width(where) > room {
		where = truncate(where, room)
		if room < 8 {
			where = ""
		}
	}
	fill := width - 5 - tw
	if where != "" {
		fill -= lipgloss.Width(where) + 3
	}
	var top strings.Builder
	top.WriteString(line("╭─ "))
	top.WriteString(st.Accent.Render(title))
	top.WriteString(line(" " + strings.Repeat("─", fill)))
	if where != "" {
		top.WriteString(" " + where + line(" ─"))
	}
	top.WriteString(line("╮"))

	out := []string{top.String()}
	fit := lipgloss.NewStyle().MaxWidth(inner)
	for _, l := range strings.Split(body, "\n") {
		l = fit.Render(l)
		pad := inner - lipgloss.Width(l)
		out = append(out, line("│")+" "+l+strings.Repeat(" ", max(pad, 0))+" "+line("│"))
	}

	// Bottom: "╰─ " mode " " fill "╯".
	mode := truncate(i.mode(), width-6)
	var bottom strings.Builder
	bottom.WriteString(line("╰─ "))
	if i.Write {
		bottom.WriteString(st.Accent.Render(mode))
	} else {
		bottom.WriteString(mode)
	}
	bottom.WriteString(line(" " + strings.Repeat("─", width-5-lipgloss.Width(mode)) + "╯"))
	out = append(out, bottom.String())
	return strings.Join(out, "\n")
}

// tierWords is the tier alone, as the title falls back to it.
func (t *Theme) tierWords(tier string, width int) string {
	if !t.color && len(TierName(tier))+2 <= width {
		return "[" + TierName(tier) + "]"
	}
	return truncate(TierName(tier), width)
}

// StatusLine is a one-line summary width cells wide for front ends without
// a frame: " PROD · PRODUCTION  app@db/orders  read-only " on the tier's
// colour, or "[PRODUCTION] PROD  app@db/orders  read-only" without colours.
func (t *Theme) StatusLine(i Info, width int) string {
	head, where, mode := t.title(i), i.where(), i.mode()
	if lipgloss.Width(head)+2 > width {
		head = t.tierWords(i.Tier, width-2)
	}
	room := width - lipgloss.Width(head) - lipgloss.Width(mode) - 6
	if lipgloss.Width(where) > room {
		where = truncate(where, room)
		if room < 8 {
			where = ""
		}
	}
	text := " " + head + "  " + mode + " "
	if where != "" {
		text = " " + head + "  " + where + "  " + mode + " "
	}
	text = truncate(text, width)
	if !t.color {
		return strings.TrimSpace(text)
	}
	if pad := width - lipgloss.Width(text); pad > 0 {
		text += strings.Repeat(" ", pad)
	}
	return t.For(i.Tier, i.Color).Badge.Render(text)
}
