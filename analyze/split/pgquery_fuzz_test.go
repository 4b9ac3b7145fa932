//go:build cgo

package split

import (
	"regexp"
	"strings"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/safesql/safesql/analyze/lex"
)

// quoteContinuation finds a string literal continued after a newline, which
// the backend joins and psql (lexing line by line) does not.
var quoteContinuation = regexp.MustCompile(`'(?:[ \t\f\r]|--[^\n\r]*)*\n(?:[ \t\f\r\n]|--[^\n\r]*)*'`)

// hasPsqlVariable finds what psql lexes as a variable reference (":name",
// whose name stops before '$', unlike an identifier).
func hasPsqlVariable(in string) bool {
	for i := 0; i+1 < len(in); i++ {
		if in[i] == ':' && (i == 0 || in[i-1] != ':') && lex.IsVarChar(in[i+1]) {
			return true
		}
	}
	return false
}

// FuzzSplitPgQuery compares the statements Split finds with
// pg_query.SplitWithScanner (the backend's lexer) on inputs where psql and
// the backend agree by construction: no backslashes (psql commands), no
// COPY (data), no BEGIN (psql's BEGIN ATOMIC tracking), balanced
// parentheses, no NUL, no string continued across a newline, no psql
// variable reference.
func FuzzSplitPgQuery(f *testing.F) {
	for _, c := range splitCases {
		f.Add(c.in)
	}
	f.Add("select 1; select 2;\ninsert into t values (1, 'a;b', $$c;d$$); -- x\n/* y */ update t set a = 1")
	f.Fuzz(func(t *testing.T, in string) {
		lower := strings.ToLower(in)
		if strings.ContainsAny(in, "\\\x00") || strings.Contains(lower, "copy") || strings.Contains(lower, "begin") ||
			quoteContinuation.MatchString(in) || hasPsqlVariable(in) {
			t.Skip()
		}
		scan, err := pg_query.Scan(in)
		if err != nil {
			t.Skip()
		}
		depth := 0
		for _, tok := range scan.Tokens {
			switch tok.Token {
			case pg_query.Token_ASCII_40:
				depth++
			case pg_query.Token_ASCII_41:
				if depth == 0 {
					t.Skip() // pg_query's unsigned counter wraps
				}
				depth--
			}
		}
		if depth != 0 || strings.HasPrefix(in, "\xef\xbb\xbf") {
			t.Skip() // pg_query never splits inside parens; psql drops a BOM
		}
		want, err := pg_query.SplitWithScanner(in, true)
		if err != nil {
			t.Skip()
		}
		var got []string
		for _, it := range Split(in) {
			if it.Kind != Statement || it.SQL == "" {
				continue
			}
			// pg_query drops statements without a keyword.
			sc, err := pg_query.Scan(it.SQL)
			if err != nil {
				t.Fatalf("pg_query cannot scan Split's statement %q of %q: %v", it.SQL, in, err)
			}
			kw := false
			for _, tok := range sc.Tokens {
				if tok.KeywordKind != pg_query.KeywordKind_NO_KEYWORD {
					kw = true
				}
			}
			if !kw {
				continue
			}
			sql := it.SQL
			if it.Terminator == ";" {
				sql = strings.TrimSuffix(sql, ";")
			}
			got = append(got, normalize(sql))
		}
		for i := range want {
			want[i] = normalize(want[i])
		}
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			t.Fatalf("input %q\nSplit:    %q\npg_query: %q", in, got, want)
		}
	})
}

// normalize removes what psql drops and the backend keeps: leading
// whitespace and "--" comments, empty lines; then trims.
func normalize(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\n\r\f")
		if !strings.HasPrefix(s, "--") {
			break
		}
		i := strings.IndexAny(s, "\n\r")
		if i < 0 {
			return ""
		}
		s = s[i:]
	}
	for strings.Contains(s, "\n\n") {
		s = strings.ReplaceAll(s, "\n\n", "\n")
	}
	return strings.TrimSpace(s)
}
