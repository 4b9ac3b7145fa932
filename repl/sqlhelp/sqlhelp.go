package sqlhelp

import (
	"fmt"
	"sort"
	"strings"
)

// Version is the PostgreSQL major version the synopses describe; the
// documentation links point at its pages, as psql's point at its own
// version whatever the server's.
const Version = "15"

// Topic is the help for one SQL command.
type Topic struct {
	Name        string // upper case, single spaces: "CREATE TABLE"
	Description string // one line, lower case, no final period
	Page        string // the documentation page, without ".html": "sql-createtable"
	Synopsis    string // the syntax, without leading or trailing newline
}

// URL is the topic's page in the documentation of Version.
func (t Topic) URL() string {
	return fmt.Sprintf("https://www.postgresql.org/docs/%s/%s.html", Version, t.Page)
}

// Text is the topic as \h prints it, ending with a blank line.
func (t Topic) Text() string {
	return fmt.Sprintf("Command:     %s\nDescription: %s\nSyntax:\n%s\n\nURL: %s\n\n", t.Name, t.Description, t.Synopsis, t.URL())
}

// Topics is every topic, sorted by name.
func Topics() []Topic {
	ts := topics()
	sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
	return ts
}

// Help is what `\h ARG` prints: arg is the rest of the command line as
// typed. Trailing blanks and semicolons are ignored. An empty arg lists
// the topics in as many columns as fit in width; "*" shows every topic.
func Help(arg string, width int) string {
	topic := CleanTopic(arg)
	if topic == "" {
		return List(width)
	}
	found := Lookup(topic)
	if len(found) == 0 {
		return NoHelp(topic)
	}
	var b strings.Builder
	for _, t := range found {
		b.WriteString(t.Text())
	}
	return b.String()
}

// CleanTopic drops the blanks around arg and the semicolons at its end.
func CleanTopic(arg string) string {
	return strings.TrimLeft(strings.TrimRight(arg, " \t\n\r\f\v;"), " \t\n\r\f\v")
}

// NoHelp is the message for a topic nothing matches.
func NoHelp(topic string) string {
	return fmt.Sprintf("No help available for \"%s\".\nTry \\h with no arguments to see available help.\n", topic)
}

// Lookup finds the topics for a cleaned topic, in name order; nil when
// nothing matches.
//
// The rules are psql's. Whatever was typed is a case-insensitive prefix
// of the command names ("create tab" finds CREATE TABLE); an exact name
// ends the list there ("select" is SELECT alone). When nothing matches,
// the first two words are tried as a prefix, then the first word alone
// ("create table foo" falls back to "create table", "drop x" to "drop").
// "*" matches everything.
func Lookup(topic string) []Topic {
	all := Topics()
	if topic == "*" {
		return all
	}
	for _, prefix := range prefixes(topic) {
		var found []Topic
		for _, t := range all {
			if !hasPrefixFold(t.Name, prefix) {
				continue
			}
			found = append(found, t)
			if equalFold(t.Name, topic) {
				break
			}
		}
		if len(found) > 0 {
			return found
		}
	}
	return nil
}

// prefixes are the prefixes of topic Lookup tries, in order: the whole
// topic, then its first two words, then its first word, each only when
// shorter than the whole. Words end at a single space, as in psql, so
// "drop  table" (two spaces) tries "drop " second.
func prefixes(topic string) []string {
	out := []string{topic}
	for _, words := range []int{2, 1} {
		if p := firstWords(topic, words); len(p) < len(topic) {
			out = append(out, p)
		}
	}
	return out
}

// firstWords is s up to its n-th space, or all of s.
func firstWords(s string, n int) string {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			n--
			if n == 0 {
				return s[:i]
			}
		}
	}
	return s
}

// hasPrefixFold reports whether name starts with prefix, ASCII letters
// compared without case (psql's comparison).
func hasPrefixFold(name, prefix string) bool {
	return len(prefix) <= len(name) && equalFold(name[:len(prefix)], prefix)
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// List is what `\h` alone prints: "Available help:" and the topic names
// in columns, filled top to bottom, then left to right. Each column is
// one wider than the longest name, and as many fit as width leaves after
// psql's margin of three; 80 is psql's width when output is not a
// terminal.
func List(width int) string {
	var names []string
	for _, t := range Topics() {
		names = append(names, t.Name)
	}
	return columns(names, width)
}

// columns lays names out for List.
func columns(names []string, width int) string {
	longest := 0
	for _, n := range names {
		longest = max(longest, len(n))
	}
	cols := max((width-3)/(longest+1), 1)
	rows := (len(names) + cols - 1) / cols
	name := func(i int) string {
		if i < len(names) {
			return names[i]
		}
		return ""
	}
	var b strings.Builder
	b.WriteString("Available help:\n")
	for r := 0; r < rows; r++ {
		b.WriteString("  ")
		for c := 0; c < cols-1; c++ {
			fmt.Fprintf(&b, "%-*s", longest+1, name(r+c*rows))
		}
		b.WriteString(name(r + (cols-1)*rows))
		b.WriteString("\n")
	}
	return b.String()
}
