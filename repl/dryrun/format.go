package dryrun

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Format renders an Impact as plain lines for people; the front end
// colours them. Values from the database (sample rows, queries of other
// sessions) have their control characters escaped, so a row cannot drive
// the terminal.
func Format(i Impact) []string {
	var out []string
	target := i.Target
	if target == "" {
		target = "its target"
	}
	switch {
	case i.Exact && i.Target == "":
		// CALL, DO: no command tag count, no named target.
		var n int64
		for _, t := range i.Tables {
			n += t.Inserted + t.Updated + t.Deleted
		}
		tables := fmt.Sprintf("%d tables", len(i.Tables))
		if len(i.Tables) == 1 {
			tables = "1 table"
		}
		out = append(out, fmt.Sprintf("%s would write %s in %s", i.Command, rows(n), tables))
	case i.Exact:
		out = append(out, fmt.Sprintf("%s would %s %s of %s", i.Command, verb(i.Command), rows(i.Rows), target))
	case i.Estimate && len(i.Relations) == 0 && i.Rows >= 0:
		out = append(out, fmt.Sprintf("estimate (%s): about %s of %s", i.Why, approxRows(i.Rows), target))
	case i.Why != "":
		out = append(out, i.Why)
	}
	for _, t := range i.Tables {
		if t.Via == "" {
			continue
		}
		label := "cascades"
		switch t.Via {
		case "trigger":
			label = "trigger writes"
		case "other":
			label = "also writes"
		}
		out = append(out, fmt.Sprintf("%s: %s.%s %s", label, t.Schema, t.Name, counts(t)))
	}
	if len(i.Sample) > 0 {
		what := "rows as it leaves them"
		if i.Command == "DELETE" {
			what = "rows it would remove"
		}
		out = append(out, fmt.Sprintf("first %d of the %s:", len(i.Sample), what))
		out = append(out, table(i.Columns, i.Sample)...)
	}
	for _, r := range i.Relations {
		if r.Kind == "view" {
			out = append(out, fmt.Sprintf("view %s.%s", r.Schema, r.Name))
			continue
		}
		est := "never analysed"
		if r.EstRows >= 0 {
			est = "about " + approxRows(r.EstRows)
		}
		out = append(out, fmt.Sprintf("%s %s.%s: %s, %s", r.Kind, r.Schema, r.Name, est, r.Size))
	}
	if i.Lock != "" && (lockLevels[i.Lock] > lockLevels["ROW EXCLUSIVE"] || len(i.Blockers) > 0) {
		line := fmt.Sprintf("takes an %s lock on %s", i.Lock, target)
		if i.Lock != "ACCESS EXCLUSIVE" && i.Lock != "EXCLUSIVE" {
			line = fmt.Sprintf("takes a %s lock on %s", i.Lock, target)
		}
		if len(i.Blockers) > 0 {
			n := distinctPIDs(i.Blockers)
			sessions := "1 session holds a lock"
			if n > 1 {
				sessions = fmt.Sprintf("%d sessions hold locks", n)
			}
			line += fmt.Sprintf("; %s on it now: %s", sessions, blockers(i.Blockers))
		}
		out = append(out, line)
		if len(i.Blockers) > 0 && lockLevels[i.Lock] > lockLevels["ROW EXCLUSIVE"] {
			out = append(out, fmt.Sprintf("while it waits for them, every later query on %s waits too", target))
		}
	}
	if i.Rewrites {
		out = append(out, fmt.Sprintf("rewrites every row of %s", target))
	}
	if len(i.Dependents) > 0 {
		parts := make([]string, len(i.Dependents))
		for k, d := range i.Dependents {
			parts[k] = d.Kind + " " + d.Name
			if d.Detail != "" {
				parts[k] += " (" + d.Detail + ")"
			}
		}
		out = append(out, "dependents: "+strings.Join(parts, ", "))
	}
	return out
}

func verb(cmd string) string {
	switch cmd {
	case "DELETE":
		return "remove"
	case "UPDATE":
		return "change"
	case "INSERT":
		return "insert"
	case "INSERT ... ON CONFLICT DO UPDATE":
		return "insert or update"
	}
	return "affect"
}

func rows(n int64) string {
	if n == 1 {
		return "1 row"
	}
	return Thousands(n) + " rows"
}

func counts(t TableEffect) string {
	var parts []string
	if t.Deleted != 0 {
		parts = append(parts, Thousands(t.Deleted)+" deleted")
	}
	if t.Updated != 0 {
		parts = append(parts, Thousands(t.Updated)+" updated")
	}
	if t.Inserted != 0 {
		parts = append(parts, Thousands(t.Inserted)+" inserted")
	}
	return strings.Join(parts, ", ")
}

// Thousands writes 1204 as 1,204 (and -1204 as -1,204).
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for k, c := range s {
		if k > 0 && (len(s)-k)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// approxRows writes an estimate: exact below 10,000, then 12k, 2.1M, 3.4G.
func approxRows(n int64) string {
	unit := " rows"
	if n == 1 {
		unit = " row"
	}
	f := float64(n)
	switch {
	case n < 10_000:
		return Thousands(n) + unit
	case n < 1_000_000:
		return trim(f/1e3) + "k" + unit
	case n < 1_000_000_000:
		return trim(f/1e6) + "M" + unit
	}
	return trim(f/1e9) + "G" + unit
}

func trim(f float64) string {
	if f >= 100 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0")
}

func distinctPIDs(bs []Blocker) int {
	seen := map[int]bool{}
	for _, b := range bs {
		seen[b.PID] = true
	}
	return len(seen)
}

func blockers(bs []Blocker) string {
	var parts []string
	seen := map[int]bool{}
	for _, b := range bs {
		if seen[b.PID] {
			continue
		}
		seen[b.PID] = true
		who := b.User
		if b.App != "" {
			who += ", " + b.App
		}
		state := b.State
		if !b.Granted {
			state = "waiting"
		}
		p := fmt.Sprintf("pid %d (%s, %s %s)", b.PID, clean(who), state, since(b.Since))
		if q := oneLine(b.Query); q != "" {
			p += ": " + q
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// since writes 3m12s, 45s, 2h5m.
func since(d time.Duration) string {
	d = d.Round(time.Second)
	if d >= time.Hour {
		d = d.Round(time.Minute)
	}
	s := d.String()
	if d >= time.Minute {
		s = strings.TrimSuffix(s, "0s")
		if strings.HasSuffix(s, "h0m") {
			s = strings.TrimSuffix(s, "0m")
		}
	}
	return s
}

func oneLine(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if r := []rune(q); len(r) > 60 {
		q = string(r[:59]) + "…"
	}
	return clean(q)
}

// clean escapes control characters.
func clean(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// table aligns the sample like psql's aligned format, indented.
func table(cols []string, rows [][]string) []string {
	w := make([]int, len(cols))
	cell := func(s string) string { return clean(s) }
	for k, c := range cols {
		w[k] = len([]rune(cell(c)))
	}
	for _, r := range rows {
		for k := range r {
			if k < len(w) {
				if n := len([]rune(cell(r[k]))); n > w[k] {
					w[k] = n
				}
			}
		}
	}
	line := func(vals []string) string {
		parts := make([]string, len(vals))
		for k, v := range vals {
			v = cell(v)
			if k < len(w) {
				v += strings.Repeat(" ", w[k]-len([]rune(v)))
			}
			parts[k] = v
		}
		return strings.TrimRight("  "+strings.Join(parts, " | "), " ")
	}
	out := []string{line(cols)}
	for _, r := range rows {
		out = append(out, line(r))
	}
	return out
}
