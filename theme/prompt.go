package theme

import "strings"

// Tx is the transaction state psql shows with %x.
type Tx int

const (
	TxIdle    Tx = iota // no transaction: nothing shown
	TxOpen              // in a transaction block: "*"
	TxFailed            // in a failed transaction: "!"
	TxUnknown           // connection state unknown (lost): "?"
)

func (x Tx) marker() string {
	switch x {
	case TxOpen:
		return "*"
	case TxFailed:
		return "!"
	case TxUnknown:
		return "?"
	}
	return ""
}

// Info is where the session is and what state it is in: everything the
// prompt, frame, status line and title show.
type Info struct {
	Label string // environment label, "PROD"
	Tier  string // "production", "staging", "development", "local"
	Color string // the environment's colour override, "" = the tier's

	User, Host, Database string

	Tx        Tx
	Write     bool // writes enabled (\write) where the session is read-only by default
	ReadWrite bool // the session is not read-only at all (not production, or read_only = false)
	Superuser bool // '#' instead of '>', as psql
}

// Prompt renders the psql-style prompt `PROD app@orders=> ` (PROMPT1, cont
// 0) or its continuation `PROD app@orders-> ` (PROMPT2: cont is what psql's
// %R shows: '-', or the open quote or parenthesis: '\”, '"', '$', '(').
// The transaction marker follows psql's %x: `=*>` in a transaction, `=!>`
// after an error. Write mode adds ` WRITE` after the label. Without colours
// the tier leads in words: `[PRODUCTION] PROD app@orders=> `.
func (t *Theme) Prompt(i Info, cont rune) string {
	st := t.For(i.Tier, i.Color)
	var b strings.Builder
	if !t.color {
		b.WriteString("[" + TierName(i.Tier) + "] ")
	}
	if i.Label != "" {
		b.WriteString(st.Accent.Render(i.Label))
		b.WriteByte(' ')
	}
	if i.Write {
		if t.color {
			b.WriteString(st.Badge.Render("WRITE"))
		} else {
			b.WriteString("WRITE")
		}
		b.WriteByte(' ')
	}
	if i.User != "" {
		b.WriteString(i.User + "@")
	}
	b.WriteString(i.Database)
	r := "="
	if cont != 0 {
		r = string(cont)
	}
	b.WriteString(r)
	if m := i.Tx.marker(); m != "" {
		if i.Tx == TxOpen {
			b.WriteString(st.Accent.Render(m))
		} else {
			b.WriteString(t.Error.Render(m))
		}
	}
	if i.Superuser {
		b.WriteString("# ")
	} else {
		b.WriteString("> ")
	}
	return b.String()
}
