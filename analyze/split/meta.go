package split

import "strings"

// metaInfo is what the splitter needs to know about a backslash command.
type metaInfo struct {
	known  bool // psql 15 has it; unknown commands make psql drop the rest of the line
	whole  bool // its argument is the whole rest of the line, backslashes included
	pipe   bool // an argument starting with '|' takes the rest of the line
	copies bool // sends the query buffer, which may be a COPY ... FROM STDIN
}

// lookupMeta knows psql 15's backslash commands (src/bin/psql/command.c);
// the \d family is dispatched on its first letter, as psql does.
func lookupMeta(name string) metaInfo {
	switch name {
	case "copy", "ef", "ev", "h", "help", "sf", "sf+", "sv", "sv+", "!":
		return metaInfo{known: true, whole: true}
	case "g", "gx":
		return metaInfo{known: true, pipe: true, copies: true}
	case "o", "out", "w", "write":
		return metaInfo{known: true, pipe: true}
	case "a", "c", "connect", "C", "cd", "conninfo", "copyright",
		"crosstabview", "e", "edit", "echo", "elif", "else", "endif",
		"encoding", "errverbose", "f", "gdesc", "gexec", "gset", "getenv",
		"H", "html", "i", "include", "if", "ir", "include_relative",
		"l", "list", "l+", "list+", "lo_export", "lo_import", "lo_list",
		"lo_unlink", "p", "print", "password", "prompt", "pset", "q", "quit",
		"qecho", "r", "reset", "s", "set", "setenv", "t", "T", "timing",
		"unset", "warn", "watch", "x", "z", "?":
		return metaInfo{known: true}
	}
	if len(name) > 0 && name[0] == 'd' {
		return metaInfo{known: true}
	}
	return metaInfo{}
}

// metaSends: commands that send the query buffer to the server.
func metaSends(name string) bool {
	switch name {
	case "g", "gx", "gset", "gdesc", "gexec", "crosstabview", "watch":
		return true
	}
	return false
}

// metaResets: commands after which psql's query buffer is empty (or replaced).
func metaResets(name string) bool {
	switch name {
	case "r", "reset", "e", "edit", "ef", "ev":
		return true
	}
	return metaSends(name)
}

// copyFromStdin reports whether \copy arguments read their data from the
// script: "... from stdin" (pstdin reads psql's own standard input instead).
func copyFromStdin(args string) bool {
	var toks []string
	depth := 0
	i := 0
	for i < len(args) {
		c := args[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\n':
			i++
		case c == '(':
			depth++
			i++
		case c == ')':
			if depth > 0 {
				depth--
			}
			i++
		case c == '\'' || c == '"':
			j := strings.IndexByte(args[i+1:], c)
			if j < 0 {
				return false
			}
			i += j + 2
			if depth == 0 {
				toks = append(toks, "")
			}
		default:
			j := i
			for j < len(args) && !strings.ContainsRune(" \t\r\f\n()'\"", rune(args[j])) {
				j++
			}
			if depth == 0 {
				toks = append(toks, strings.ToLower(strings.TrimRight(args[i:j], ";")))
			}
			i = j
		}
	}
	for k := 0; k+1 < len(toks); k++ {
		if toks[k] == "from" && toks[k+1] == "stdin" {
			return true
		}
	}
	return false
}
