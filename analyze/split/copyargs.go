package split

import (
	"errors"
	"fmt"
	"strings"
)

// CopyArgs is a parsed \copy: the COPY the server runs and where the
// client takes the data from or sends it to.
type CopyArgs struct {
	SQL     string // COPY ... FROM STDIN or COPY ... TO STDOUT, with the options
	From    bool
	Target  string // "stdin", "stdout", "pstdin", "pstdout", a file name, or a command
	Program bool   // Target is a shell command
}

// ParseCopy reads psql's \copy syntax:
//
//	\copy { table [ ( column_list ) ] | ( query ) } { from | to }
//	      { 'filename' | program 'command' | stdin | stdout | pstdin | pstdout } [ [ with ] ( option [, ...] ) ]
func ParseCopy(args string) (CopyArgs, error) {
	errParse := func(at string) error {
		if at == "" {
			return errors.New(`\copy: parse error at end of line`)
		}
		return fmt.Errorf(`\copy: parse error at "%s"`, at)
	}
	rest := strings.TrimSpace(args)
	var what string
	if strings.HasPrefix(rest, "(") {
		end := matchParen(rest)
		if end < 0 {
			return CopyArgs{}, errParse("")
		}
		what, rest = rest[:end+1], strings.TrimSpace(rest[end+1:])
	} else {
		// a table name, possibly qualified and quoted, then an optional
		// column list
		i := 0
		for i < len(rest) && rest[i] != ' ' && rest[i] != '\t' && rest[i] != '(' {
			if rest[i] == '"' {
				j := strings.IndexByte(rest[i+1:], '"')
				if j < 0 {
					return CopyArgs{}, errParse("")
				}
				i += j + 1
			}
			i++
		}
		what, rest = rest[:i], strings.TrimSpace(rest[i:])
		if strings.HasPrefix(rest, "(") {
			end := matchParen(rest)
			if end < 0 {
				return CopyArgs{}, errParse("")
			}
			what, rest = what+" "+rest[:end+1], strings.TrimSpace(rest[end+1:])
		}
	}
	if what == "" {
		return CopyArgs{}, errParse("")
	}
	word, rest := nextWord(rest)
	var spec CopyArgs
	switch strings.ToLower(word) {
	case "from":
		spec.From = true
	case "to":
	default:
		return CopyArgs{}, errParse(word)
	}
	word, rest = nextWord(rest)
	switch lw := strings.ToLower(word); {
	case word == "":
		return CopyArgs{}, errParse("")
	case lw == "program":
		word, rest = nextWord(rest)
		if !strings.HasPrefix(word, "'") {
			return CopyArgs{}, errParse(word)
		}
		spec.Program, spec.Target = true, unquoteLiteral(word)
	case lw == "stdin" || lw == "stdout" || lw == "pstdin" || lw == "pstdout":
		spec.Target = lw
	default:
		spec.Target = unquoteLiteral(word)
	}
	dir := " TO STDOUT"
	if spec.From {
		dir = " FROM STDIN"
	}
	spec.SQL = "COPY " + what + dir
	if rest != "" {
		spec.SQL += " " + rest
	}
	return spec, nil
}

func matchParen(s string) int {
	depth, quote := 0, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// nextWord returns the next blank-separated word, keeping a single-quoted
// literal whole.
func nextWord(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ""
	}
	if s[0] == '\'' {
		for i := 1; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				return s[:i+1], strings.TrimSpace(s[i+1:])
			}
		}
		return s, ""
	}
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], strings.TrimSpace(s[i:])
	}
	return s, ""
}

func unquoteLiteral(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	return s
}
