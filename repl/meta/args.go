package meta

import (
	"strings"

	"github.com/safesql/safesql/analyze/lex"
	"github.com/safesql/safesql/analyze/split"
)

// backquoteCommand substitutes variables in a backquoted command as psql
// does: :name as it is, :'name' quoted for the shell.
func backquoteCommand(text string, lookup func(string) (string, bool)) string {
	if lookup == nil {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == ':' {
			if ref, n := variableRef(text[i:]); n > 0 {
				if v, ok := lookup(ref.name); ok {
					if strings.HasPrefix(text[i:], ":'") {
						v = "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
					} else if strings.HasPrefix(text[i:], `:"`) {
						b.WriteString(text[i : i+n])
						i += n - 1
						continue
					}
					b.WriteString(v)
					i += n - 1
					continue
				}
			}
		}
		b.WriteByte(text[i])
	}
	return b.String()
}

// Args splits a backslash command's arguments the way psql's OT_NORMAL
// scanning does for the common cases: whitespace separates, single quotes
// quote (a doubled quote and backslash escapes inside), double quotes are
// kept, and :name, :'name' and :"name" outside quotes are replaced by the
// variable (quoted as a literal or identifier), or left as written when it
// is not set.
func Args(raw string, lookup func(string) (string, bool)) []string {
	return ArgsShell(raw, lookup, nil)
}

// ArgsShell is Args with psql's backquotes: the text between them
// (with :name and :'name' substituted, the latter quoted for the shell)
// runs as a shell command and its output, less one trailing newline,
// takes its place. With shell nil, backquoted text stays as it is (the
// plan made before a run executes nothing).
func ArgsShell(raw string, lookup func(string) (string, bool), shell func(command string) string) []string {
	sc := Scanner{Raw: raw, Lookup: lookup, Shell: shell}
	var args []string
	for {
		arg, _, ok := sc.Next(true)
		if !ok {
			return args
		}
		args = append(args, arg)
	}
}

// Scanner reads a backslash command's arguments one at a time, as
// psql's slash-command lexer hands them to the command that asks for
// them. An argument read without evaluation (an ignored extra argument,
// psql's IFSTATE_IGNORED scanning) expands no variable and runs no
// backquoted command: :name stays as written, :{?name} reads FALSE and
// a backquoted command is left as its text, without the backquotes.
type Scanner struct {
	// Raw is the text after the command's name.
	Raw string
	// Lookup finds a variable; nil leaves :name as written.
	Lookup func(string) (string, bool)
	// Shell runs a backquoted command; nil leaves it as written.
	Shell func(command string) string
	pos   int
}

// Next returns the next argument and whether any of it was quoted; ok is
// false at the end of the arguments.
func (a *Scanner) Next(eval bool) (arg string, quoted, ok bool) {
	raw := a.Raw
	var cur strings.Builder
	in, started := byte(0), false
	lookup, shell := a.Lookup, a.Shell
	if !eval {
		lookup = func(string) (string, bool) { return "", false }
		shell = func(command string) string { return command }
	}
	i := a.pos
	defer func() { a.pos = i }()
	for ; i < len(raw); i++ {
		c := raw[i]
		switch {
		case in == '\'':
			switch {
			case c == '\'' && i+1 < len(raw) && raw[i+1] == '\'':
				cur.WriteByte('\'')
				i++
			case c == '\'':
				in = 0
			case c == '\\' && i+1 < len(raw):
				i += quoteEscape(&cur, raw[i+1:])
			default:
				cur.WriteByte(c)
			}
		case in == '"':
			cur.WriteByte(c)
			if c == '"' {
				in = 0
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if started {
				return cString(cur.String()), quoted, true
			}
		case c == ':' && a.Lookup != nil && strings.HasPrefix(raw[i:], ":{?"):
			if end := strings.IndexByte(raw[i:], '}'); end > 3 {
				if _, ok := lookup(raw[i+3 : i+end]); ok {
					cur.WriteString("TRUE")
				} else {
					cur.WriteString("FALSE")
				}
				started = true
				i += end
				continue
			}
			started = true
			cur.WriteByte(c)
		case c == ':' && a.Lookup != nil:
			if ref, n := variableRef(raw[i:]); n > 0 {
				if v, ok := lookup(ref.name); ok {
					cur.WriteString(split.Interpolate(raw[i:i+n], func(string) (string, bool) { return v, true }))
				} else {
					cur.WriteString(raw[i : i+n])
				}
				started = true
				i += n - 1
				continue
			}
			started = true
			cur.WriteByte(c)
		case c == '\'':
			in, started, quoted = c, true, true
		case c == '"':
			in, started, quoted = c, true, true
			cur.WriteByte(c)
		case c == '`' && a.Shell != nil:
			quoted = true
			end := strings.IndexByte(raw[i+1:], '`')
			if end < 0 {
				cur.WriteString(raw[i:]) // psql: an unterminated quote
				i = len(raw)
				started = true
				continue
			}
			cur.WriteString(shell(backquoteCommand(raw[i+1:i+1+end], lookup)))
			started = true
			i += end + 1
		default:
			started = true
			cur.WriteByte(c)
		}
	}
	return cString(cur.String()), quoted, started
}

// cString cuts an argument at its first NUL byte ('\0' in quotes): psql's
// arguments are C strings.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// quoteEscape writes the character a backslash escape inside single
// quotes stands for, as psql reads it (\n \t \b \r \f, octal \ooo, hex
// \xhh, else the character itself), and returns how many bytes after
// the backslash it took.
func quoteEscape(b *strings.Builder, s string) int {
	switch s[0] {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'b':
		b.WriteByte('\b')
	case 'r':
		b.WriteByte('\r')
	case 'f':
		b.WriteByte('\f')
	case '0', '1', '2', '3', '4', '5', '6', '7':
		n, v := 0, 0
		for n < 3 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
			v = v*8 + int(s[n]-'0')
			n++
		}
		b.WriteByte(byte(v))
		return n
	case 'x':
		n, v := 1, 0
		for n < 3 && n < len(s) && lex.HexValue(s[n]) >= 0 {
			v = v*16 + lex.HexValue(s[n])
			n++
		}
		if n == 1 {
			b.WriteByte('x')
			return 1
		}
		b.WriteByte(byte(v))
		return n
	default:
		b.WriteByte(s[0])
	}
	return 1
}

// Rest returns what is left of the arguments, unread.
func (a *Scanner) Rest() string { return a.Raw[a.pos:] }

type varRef struct{ name string }

// variableRef recognises :name, :'name' and :"name" at the start of s and
// returns its length (0 when s does not start with one).
func variableRef(s string) (varRef, int) {
	if len(s) < 2 || s[0] != ':' {
		return varRef{}, 0
	}
	isName := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
	}
	if q := s[1]; q == '\'' || q == '"' {
		j := 2
		for j < len(s) && isName(s[j]) {
			j++
		}
		if j > 2 && j < len(s) && s[j] == q {
			return varRef{s[2:j]}, j + 1
		}
		return varRef{}, 0
	}
	j := 1
	for j < len(s) && isName(s[j]) {
		j++
	}
	if j == 1 {
		return varRef{}, 0
	}
	return varRef{s[1:j]}, j
}

// Skip leaves nothing to read: the command took its whole line.
func (a *Scanner) Skip() { a.pos = len(a.Raw) }
