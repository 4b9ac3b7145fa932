package audit

import (
	"regexp"
	"strings"

	sqllex "github.com/safesql/safesql/analyze/lex"
)

// Redacted replaces every secret Redact takes out.
const Redacted = "[redacted]"

// Function bodies, comments and quoted names are redacted by looking inside
// them; past this depth they are redacted whole instead.
const maxDepth = 6

// Redact returns sql with its secrets replaced by [redacted], the rest kept
// as it was so the audit log stays readable. secrets are values the caller
// knows to be secret (a password typed at a prompt, one from the
// environment's credentials): every occurrence is replaced, whatever its
// place.
//
// The rules, in the order they apply:
//   - whatever follows PASSWORD (CREATE/ALTER ROLE, ENCRYPTED PASSWORD, the
//     password option of CREATE SERVER and CREATE USER MAPPING), or directly
//     follows a name that mentions a secret (sslpassword 'x', SET app.token =
//     'x', api_key := 42), when it is a literal, a number, a quoted name, or
//     in a role statement a bare word;
//   - every literal inside a pgcrypto call (pgp_sym_encrypt, pgp_sym_decrypt,
//     pgp_pub_decrypt, crypt, hmac, encrypt, decrypt, digest, ...);
//   - in a statement that mentions a secret anywhere (a word, a quoted name,
//     a literal or a comment containing password, passwd, passphrase,
//     secret, token, credential, apikey, privkey, bearer, or the words key,
//     keys, pwd, pw, psw, pass, creds; PRIMARY KEY and the like are not
//     mentions), every string literal, except the setting name given to
//     set_config and current_setting, the date after VALID UNTIL, function
//     bodies after AS or DO (redacted inside by these same rules, all their
//     literals and quoted strings included), and libpq connection strings
//     (key=value lists of libpq's own keys, postgres:// URIs), of which only
//     the secret values go;
//   - user:secret@ in URIs, any scheme, and the value after a key naming a
//     secret (password=, PGPASSWORD=, token:) in comments, in backslash
//     lines, and in connection strings;
//   - the arguments of \password, and whatever follows a word that mentions
//     a secret on other backslash lines (\setenv PGPASSWORD x).
//
// Numbers, booleans, identifiers and keywords stay, except where the first
// rule says otherwise: SELECT password_hash and WHERE password_reset = true
// are kept as they are.
//
// When in doubt it redacts: a literal it cannot decode (E'...' or U&'...' with
// backslashes) goes whole. It assumes standard_conforming_strings is on, the
// default since PostgreSQL 9.1.
func Redact(sql string, secrets ...string) string {
	out, _ := redact(sql, secrets)
	return out
}

type redactor struct {
	// removed collects the literals taken out whole, so that they can be
	// scrubbed from the error text of the same entry.
	removed []string
}

func redact(sql string, secrets []string) (string, []string) {
	for _, s := range secrets {
		if s != "" {
			sql = strings.ReplaceAll(sql, s, Redacted)
		}
	}
	r := &redactor{}
	return r.sql(sql, false, 0, true, false), r.removed
}

// sql redacts src. inherited says the enclosing statement mentions a secret;
// prose says src is the text of a comment.
func (r *redactor) sql(src string, inherited bool, depth int, meta, prose bool) string {
	toks := lex(src, meta)
	var b strings.Builder
	b.Grow(len(src))
	seg := 0
	for i, t := range toks {
		switch {
		case t.kind == kMeta:
			b.WriteString(r.segment(src, toks[seg:i], inherited, depth, prose))
			b.WriteString(r.meta(t.text(src)))
			seg = i + 1
		case t.kind == kPunct && src[t.start] == ';':
			b.WriteString(r.segment(src, toks[seg:i+1], inherited, depth, prose))
			seg = i + 1
		}
	}
	b.WriteString(r.segment(src, toks[seg:], inherited, depth, prose))
	return b.String()
}

type segment struct {
	src  string
	toks []token
	sig  []int // indexes in toks of the tokens that are not space or comments
	pos  []int // for each token, its index in sig, or the index of the next one
}

func (s *segment) word(p int) string {
	if p < 0 || p >= len(s.sig) {
		return ""
	}
	t := s.toks[s.sig[p]]
	if t.kind != kWord {
		return ""
	}
	return strings.ToLower(t.text(s.src))
}

// name is the word or quoted name at p, in lower case.
func (s *segment) name(p int) string {
	if p >= 0 && p < len(s.sig) && s.toks[s.sig[p]].kind == kQIdent {
		return strings.ToLower(s.toks[s.sig[p]].body(s.src))
	}
	return s.word(p)
}

func (s *segment) punct(p int, c byte) bool {
	if p < 0 || p >= len(s.sig) {
		return false
	}
	t := s.toks[s.sig[p]]
	return t.kind == kPunct && s.src[t.start] == c
}

// names reports whether the significant token at p names a secret.
func (s *segment) names(p int) bool {
	if p < 0 || p >= len(s.sig) {
		return false
	}
	t := s.toks[s.sig[p]]
	switch t.kind {
	case kWord:
		w := strings.ToLower(t.text(s.src))
		if w == "key" && (s.word(p-1) == "primary" || s.word(p-1) == "foreign" || s.word(p-1) == "no" || s.word(p+1) == "share") {
			return false
		}
		return nameMentions(w)
	case kQIdent:
		return nameMentions(t.body(s.src))
	}
	return false
}

func (r *redactor) segment(src string, toks []token, inherited bool, depth int, prose bool) string {
	if len(toks) == 0 {
		return ""
	}
	s := &segment{src: src, toks: toks, pos: make([]int, len(toks))}
	for i, t := range toks {
		s.pos[i] = len(s.sig)
		if t.kind != kSpace && t.kind != kLineCmt && t.kind != kBlockCmt {
			s.sig = append(s.sig, i)
		}
	}

	sensitive := inherited
	// crypto marks what lies inside the parentheses of a pgcrypto call.
	crypto := make([]bool, len(s.sig))
	var opens []bool // for each open parenthesis, whether it opens a pgcrypto call
	inCrypto := 0
	for p, i := range s.sig {
		t := toks[i]
		crypto[p] = inCrypto > 0
		switch t.kind {
		case kWord:
			if cryptoFuncs[strings.ToLower(t.text(src))] {
				sensitive = true
			}
			sensitive = sensitive || s.names(p)
		case kQIdent:
			sensitive = sensitive || cryptoFuncs[strings.ToLower(t.body(src))] || textMentions(t.body(src))
		case kString, kDollar:
			sensitive = sensitive || textMentions(t.body(src))
		case kPunct:
			switch src[t.start] {
			case '(':
				call := cryptoFuncs[s.name(p-1)]
				opens = append(opens, call)
				if call {
					inCrypto++
				}
			case ')':
				if n := len(opens); n > 0 {
					if opens[n-1] {
						inCrypto--
					}
					opens = opens[:n-1]
				}
			}
		}
	}
	if !sensitive {
		for _, t := range toks {
			if (t.kind == kLineCmt || t.kind == kBlockCmt) && textMentions(t.body(src)) {
				sensitive = true
			}
		}
	}
	first, second := s.word(0), s.word(1)
	role := (first == "create" || first == "alter") && (second == "role" || second == "user" || second == "group")

	var b strings.Builder
	for i, t := range toks {
		text := t.text(src)
		if t.kind == kLineCmt || t.kind == kBlockCmt {
			b.WriteString(r.comment(src, t, sensitive, depth))
			continue
		}
		p := s.pos[i]
		// What the token follows: PASSWORD, or a name that mentions a
		// secret, directly or through =, :=, =>, TO.
		afterPassword := s.word(p-1) == "password"
		afterName := s.names(p - 1)
		for q := p - 1; q >= 0 && q >= p-3 && !afterName; q-- {
			if !(s.punct(q, '=') || s.punct(q, ':') || s.punct(q, '>') || s.word(q) == "to") {
				break
			}
			afterName = s.names(q-1) || s.word(q-1) == "password"
		}
		secretPlace := afterPassword || afterName
		switch t.kind {
		case kString, kDollar:
			switch {
			case secretPlace || crypto[p]:
				b.WriteString(r.whole(src, t))
			case sensitive:
				b.WriteString(r.literal(s, t, p, depth))
			default:
				b.WriteString(r.connString(src, t))
			}
		case kQIdent:
			switch {
			case afterPassword,
				sensitive && strings.ContainsRune(t.body(src), '\''),
				sensitive && depth > 0 && !nameMentions(t.body(src)):
				r.remove(t.body(src))
				b.WriteString(`"` + Redacted + `"`)
			default:
				b.WriteString(text)
			}
		case kNumber:
			if secretPlace {
				r.remove(text)
				b.WriteString(Redacted)
			} else {
				b.WriteString(text)
			}
		case kWord:
			w := strings.ToLower(text)
			if (afterPassword && role && w != "null") || (prose && secretPlace && !nameMentions(w)) {
				r.remove(text)
				b.WriteString(Redacted)
			} else {
				b.WriteString(text)
			}
		default:
			b.WriteString(text)
		}
	}
	return b.String()
}

// literal decides about a string in a statement that mentions a secret.
func (r *redactor) literal(s *segment, t token, p, depth int) string {
	src := s.src
	body := t.body(src)
	switch {
	case (s.word(p-2) == "set_config" || s.word(p-2) == "current_setting") && s.punct(p-1, '(') && settingName.MatchString(body):
		return t.text(src)
	case s.word(p-1) == "until" && s.word(p-2) == "valid" && !strings.ContainsAny(body, `\'`):
		return t.text(src)
	case t.kind == kDollar && depth < maxDepth && (s.word(p-1) == "as" || s.word(p-1) == "do" || s.word(p-2) == "language" && s.word(p-3) == "do"):
		return src[t.start:t.bodyStart] + r.sql(body, true, depth+1, false, false) + src[t.bodyEnd:t.end]
	}
	text, ok := decode(t, src)
	if ok && connInfo(text) {
		return encode(t, src, redactText(text))
	}
	return r.whole(src, t)
}

// connInfo reports that s is a libpq connection string, key=value or URI,
// whose only secrets are where redactText finds them. Anything else in a
// statement that mentions a secret goes whole: 'a=hunter2' is no
// connection string.
func connInfo(s string) bool {
	if pgURI.MatchString(s) {
		return true
	}
	if !kvForm.MatchString(s) {
		return false
	}
	for _, m := range kvKey.FindAllStringSubmatch(s, -1) {
		if !libpqKeys[strings.ToLower(m[1])] {
			return false
		}
	}
	return true
}

// libpq's connection parameters (PostgreSQL 18); read only.
var libpqKeys = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true,
	"password": true, "passfile": true, "require_auth": true, "channel_binding": true,
	"connect_timeout": true, "client_encoding": true, "options": true,
	"application_name": true, "fallback_application_name": true, "keepalives": true,
	"keepalives_idle": true, "keepalives_interval": true, "keepalives_count": true,
	"tcp_user_timeout": true, "replication": true, "gssencmode": true, "sslmode": true,
	"sslnegotiation": true, "requiressl": true, "sslcompression": true, "sslcert": true,
	"sslkey": true, "sslkeylogfile": true, "sslpassword": true, "sslcertmode": true,
	"sslrootcert": true, "sslcrl": true, "sslcrldir": true, "sslsni": true,
	"requirepeer": true, "ssl_min_protocol_version": true, "ssl_max_protocol_version": true,
	"min_protocol_version": true, "max_protocol_version": true, "krbsrvname": true,
	"gsslib": true, "gssdelegation": true, "service": true, "target_session_attrs": true,
	"load_balance_hosts": true, "oauth_issuer": true, "oauth_client_id": true,
	"oauth_client_secret": true, "oauth_scope": true,
}

// connString redacts URIs in a literal of a statement that mentions no
// secret (a key=value password would have made it mention one).
func (r *redactor) connString(src string, t token) string {
	body := t.body(src)
	if !strings.Contains(body, "://") {
		return t.text(src)
	}
	text, ok := decode(t, src)
	if !ok {
		return r.whole(src, t)
	}
	return encode(t, src, redactText(text))
}

func (r *redactor) comment(src string, t token, sensitive bool, depth int) string {
	body := redactText(t.body(src))
	switch {
	case !sensitive && quiet(body):
		// Nothing a rule could take: spare the work.
	case depth < maxDepth:
		body = r.sql(body, sensitive, depth+1, false, true)
	case sensitive && strings.TrimSpace(body) != "":
		body = " " + Redacted + " "
	}
	return src[t.start:t.bodyStart] + body + src[t.bodyEnd:t.end]
}

func (r *redactor) whole(src string, t token) string {
	r.remove(t.body(src))
	return "'" + Redacted + "'"
}

func (r *redactor) remove(s string) {
	if len(s) >= minScrub {
		r.removed = append(r.removed, s)
	}
}

// Shorter values taken out of a statement are not scrubbed from its error
// text: replacing every "ab" would leave the error unreadable.
const minScrub = 3

// decode returns the value of a string literal, when it can be had without
// interpreting escapes.
func decode(t token, src string) (string, bool) {
	body := t.body(src)
	switch {
	case t.kind == kDollar:
		return body, true
	case (t.escapes || t.unicode) && strings.ContainsRune(body, '\\'):
		return "", false
	}
	return strings.ReplaceAll(body, "''", "'"), true
}

func encode(t token, src, value string) string {
	if t.kind == kString {
		value = strings.ReplaceAll(value, "'", "''")
	}
	return src[t.start:t.bodyStart] + value + src[t.bodyEnd:t.end]
}

// The meta command's own name is kept; its arguments go when it is
// \password, and after any word that mentions a secret otherwise.
func (r *redactor) meta(line string) string {
	j := 1
	for j < len(line) && !isSpace(line[j]) && line[j] != '\\' {
		j++
	}
	cmd, rest := line[:j], line[j:]
	if strings.HasPrefix(strings.ToLower(cmd), `\password`) {
		if len(cmd) > len(`\password`) || strings.TrimSpace(rest) != "" {
			r.remove(strings.TrimSpace(line[len(`\password`):]))
			return line[:len(`\password`)] + " " + Redacted
		}
		return line
	}
	rest = redactText(rest)
	k := 0
	for k < len(rest) {
		for k < len(rest) && isSpace(rest[k]) {
			k++
		}
		e := k
		for e < len(rest) && !isSpace(rest[e]) {
			e++
		}
		if e > k && textMentions(rest[k:e]) && !strings.Contains(rest[k:e], Redacted) && strings.TrimSpace(rest[e:]) != "" {
			r.remove(strings.TrimSpace(rest[e:]))
			return cmd + rest[:e] + " " + Redacted
		}
		k = e
	}
	return cmd + rest
}

var (
	// A key=value connection string, as libpq reads it.
	kvForm = regexp.MustCompile(`^\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s'=]+)\s*)+$`)
	kvKey  = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s'=]+)`)
	// A connection URI: postgresql://user:secret@host/db?password=...
	pgURI = regexp.MustCompile(`^\s*postgres(?:ql)?://\S*\s*$`)
	// The name of a setting, for set_config and current_setting.
	settingName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)*$`)
)

// redactText redacts secrets in free text: user:secret@ in URIs, and the
// value of a key that names a secret (password=..., PGPASSWORD=...).
func redactText(s string) string {
	return redactKeys(redactURIs(s))
}

func redactURIs(s string) string {
	var b strings.Builder
	i := 0
	for {
		k := strings.Index(s[i:], "://")
		if k < 0 {
			b.WriteString(s[i:])
			return b.String()
		}
		start := i + k + 3
		end := start
		for end < len(s) && !isSpace(s[end]) {
			end++
		}
		auth := s[start:end]
		b.WriteString(s[i:start])
		i = start
		at := strings.LastIndexByte(auth, '@')
		if at < 0 {
			// No user information up to the next space, whatever other
			// URIs there are: skip them all.
			b.WriteString(auth)
			i = end
			continue
		}
		c := strings.IndexByte(auth[:at], ':')
		if c < 0 || auth[c+1:at] == Redacted {
			b.WriteString(auth[:at])
			i = start + at
			continue
		}
		b.WriteString(auth[:c+1] + Redacted)
		i = start + at
	}
}

// Stems of keys whose values redactKeys takes.
var keyStems = []string{"password", "passwd", "passphrase", "pwd", "secret", "token", "apikey", "api_key", "credential"}

func isKeyByte(c byte) bool {
	return c == '_' || sqllex.IsDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// redactKeys replaces the value after a key that contains a stem and is
// followed by = or : (password=x, PGPASSWORD = 'x y', api_token: x). It
// runs in linear time: regular expressions were too slow for long texts.
func redactKeys(s string) string {
	lower := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	l := string(lower)
	next := make([]int, len(keyStems)) // next occurrence of each stem at or after cur, -1 for none
	for k := range next {
		next[k] = -2
	}
	var b strings.Builder
	done, cur := 0, 0 // written up to done; looking from cur
	for {
		at, stem := -1, 0
		for k, st := range keyStems {
			if next[k] == -2 || (next[k] >= 0 && next[k] < cur) {
				next[k] = indexFrom(l, st, cur)
			}
			if next[k] >= 0 && (at < 0 || next[k] < at) {
				at, stem = next[k], k
			}
		}
		if at < 0 {
			break
		}
		keyStart := at
		for keyStart > cur && isKeyByte(s[keyStart-1]) {
			keyStart--
		}
		j := at + len(keyStems[stem])
		for j < len(s) && isKeyByte(s[j]) {
			j++
		}
		cur = j
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) || (s[j] != '=' && s[j] != ':') {
			continue
		}
		j++
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		vs, ve := j, j
		if ve < len(s) {
			switch q := s[vs]; q {
			case '\'', '"':
				ve = vs + 1
				for ve < len(s) && s[ve] != q {
					if s[ve] == '\\' {
						ve++
					}
					ve++
				}
				ve = min(ve+1, len(s))
			default:
				query := keyStart > 0 && (s[keyStart-1] == '?' || s[keyStart-1] == '&')
				for ve < len(s) && !isSpace(s[ve]) && !(query && (s[ve] == '&' || s[ve] == '#')) {
					ve++
				}
			}
		}
		if ve > vs {
			b.WriteString(s[done:vs])
			b.WriteString(Redacted)
			done = ve
		}
		cur = max(cur, ve)
	}
	b.WriteString(s[done:])
	return b.String()
}

var cryptoFuncs = map[string]bool{
	"pgp_sym_encrypt": true, "pgp_sym_encrypt_bytea": true,
	"pgp_sym_decrypt": true, "pgp_sym_decrypt_bytea": true,
	"pgp_pub_encrypt": true, "pgp_pub_encrypt_bytea": true,
	"pgp_pub_decrypt": true, "pgp_pub_decrypt_bytea": true,
	"crypt": true, "hmac": true, "digest": true,
	"encrypt": true, "decrypt": true, "encrypt_iv": true, "decrypt_iv": true,
	"dearmor": true, "armor": true,
}

// Stems that mark a secret wherever they appear in a name or a text, and
// words that do only on their own (so that monkey and users_pkey don't).
var (
	secretStems = []string{"password", "passwd", "passphrase", "secret", "token", "credential", "apikey", "privkey", "bearer"}
	secretWords = map[string]bool{"key": true, "keys": true, "pwd": true, "pw": true, "psw": true, "pass": true, "creds": true}
	// Names that mention a secret but hold none.
	notSecret = map[string]bool{"password_encryption": true}
)

// quiet reports that no rule could find anything in s.
func quiet(s string) bool {
	if textMentions(s) || strings.Contains(s, "://") {
		return false
	}
	l := strings.ToLower(s)
	for _, w := range []string{"crypt", "hmac", "digest", "pgp_", "armor"} {
		if strings.Contains(l, w) {
			return false
		}
	}
	return true
}

func nameMentions(name string) bool {
	if notSecret[strings.ToLower(name)] {
		return false
	}
	return textMentions(name)
}

func textMentions(s string) bool {
	l := strings.ToLower(s)
	for _, st := range secretStems {
		if strings.Contains(l, st) {
			return true
		}
	}
	// Words: runs of letters and digits, split again where camelCase turns
	// from lower to upper case (apiKey).
	start := -1
	for i := 0; i <= len(s); i++ {
		alnum := i < len(s) && (sqllex.IsDigit(s[i]) || (s[i]|0x20 >= 'a' && s[i]|0x20 <= 'z'))
		hump := alnum && start >= 0 && s[i] >= 'A' && s[i] <= 'Z' && s[i-1] >= 'a' && s[i-1] <= 'z'
		if (!alnum || hump) && start >= 0 {
			if secretWords[l[start:i]] {
				return true
			}
			start = -1
		}
		if alnum && start < 0 {
			start = i
		}
	}
	return false
}

// RedactText redacts secrets in free text (an error message, a connection
// string): user:secret@ in URIs, and the value after a key that names a
// secret (password=..., PGPASSWORD=...).
func RedactText(s string) string { return redactText(s) }

// RedactStatement is Redact, and a scrub that takes the same secrets out
// of text about the statement: the server quotes a statement back in its
// errors ("syntax error at or near ...").
func RedactStatement(sql string, secrets ...string) (string, func(string) string) {
	out, removed := redact(sql, secrets)
	return out, func(msg string) string { return scrub(msg, secrets, removed) }
}

func indexFrom(s, sub string, from int) int {
	if k := strings.Index(s[from:], sub); k >= 0 {
		return from + k
	}
	return -1
}
