package sqlhelp

import (
	"regexp"
	"strings"
	"testing"
)

func names(ts []Topic) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return out
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name  string
		topic string
		want  []string
	}{
		{"exact", "DELETE", []string{"DELETE"}},
		{"lower case", "delete", []string{"DELETE"}},
		{"mixed case", "SeLeCt", []string{"SELECT"}},
		{"multi-word exact", "create table", []string{"CREATE TABLE"}},
		{"exact stops the list", "rollback", []string{"ROLLBACK"}},
		{"prefix of a word", "CREATE TAB", []string{"CREATE TABLE"}},
		{"prefix of several", "create s", []string{"CREATE SCHEMA", "CREATE SEQUENCE"}},
		{"prefix of the first word", "cr", []string{"CREATE EXTENSION", "CREATE FUNCTION", "CREATE INDEX", "CREATE ROLE", "CREATE SCHEMA", "CREATE SEQUENCE", "CREATE TABLE", "CREATE VIEW"}},
		{"prefix of a longer name", "rollback to", []string{"ROLLBACK TO SAVEPOINT"}},
		{"three words", "refresh materialized view", []string{"REFRESH MATERIALIZED VIEW"}},
		{"first word of two", "start", []string{"START TRANSACTION"}},
		{"falls back to two words", "create table foo", []string{"CREATE TABLE"}},
		{"falls back to two words, no exact stop", "rollback to x", []string{"ROLLBACK TO SAVEPOINT"}},
		{"falls back to one word", "drop nosuch", []string{"DROP FUNCTION", "DROP INDEX", "DROP ROLE", "DROP TABLE"}},
		{"falls back to one word from a bad second", "alter tablex", []string{"ALTER ROLE", "ALTER SEQUENCE", "ALTER TABLE"}},
		{"two spaces: first two words end early", "drop  table", []string{"DROP FUNCTION", "DROP INDEX", "DROP ROLE", "DROP TABLE"}},
		{"no match", "nosuch", nil},
		{"no match, several words", "xx yy zz", nil},
		{"longer than any name", "selectx", nil},
		{"star is everything", "*", names(Topics())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := names(Lookup(tt.topic))
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Lookup(%q) = %q, want %q", tt.topic, got, tt.want)
			}
		})
	}
}

func TestHelpFrame(t *testing.T) {
	want := "Command:     DELETE\n" +
		"Description: remove rows from a table\n" +
		"Syntax:\n" +
		"[ WITH [ RECURSIVE ] cte [, ...] ]\n" +
		"DELETE FROM [ ONLY ] table [ * ] [ [ AS ] alias ]\n" +
		"  [ USING source [, ...] ]\n" +
		"  [ WHERE condition | WHERE CURRENT OF cursor ]\n" +
		"  [ RETURNING { * | expr [ [ AS ] name ] } [, ...] ]\n" +
		"\n" +
		"URL: https://www.postgresql.org/docs/15/sql-delete.html\n" +
		"\n"
	for _, arg := range []string{"DELETE", "delete", " delete ", "delete;", "delete ; ;  "} {
		if got := Help(arg, 80); got != want {
			t.Errorf("Help(%q) =\n%s\nwant\n%s", arg, got, want)
		}
	}
}

func TestHelpSeveralTopics(t *testing.T) {
	got := Help("create s", 80)
	want := mustTopic(t, "CREATE SCHEMA").Text() + mustTopic(t, "CREATE SEQUENCE").Text()
	if got != want {
		t.Errorf("Help(create s) =\n%s\nwant\n%s", got, want)
	}
}

func TestNoHelp(t *testing.T) {
	tests := []struct{ arg, want string }{
		{"nosuch", "No help available for \"nosuch\".\nTry \\h with no arguments to see available help.\n"},
		{"nosuch ;", "No help available for \"nosuch\".\nTry \\h with no arguments to see available help.\n"},
		{"NoSuch  x", "No help available for \"NoSuch  x\".\nTry \\h with no arguments to see available help.\n"},
	}
	for _, tt := range tests {
		if got := Help(tt.arg, 80); got != tt.want {
			t.Errorf("Help(%q) = %q, want %q", tt.arg, got, tt.want)
		}
	}
}

func TestList(t *testing.T) {
	ts := Topics()
	longest := 0
	for _, tp := range ts {
		longest = max(longest, len(tp.Name))
	}
	tests := []struct {
		name  string
		arg   string
		width int
		cols  int
	}{
		{"empty argument, 80 columns", "", 80, (80 - 3) / (longest + 1)},
		{"only semicolons", " ; ", 80, (80 - 3) / (longest + 1)},
		{"wide terminal", "", 200, (200 - 3) / (longest + 1)},
		{"narrow terminal is one column", "", 10, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Help(tt.arg, tt.width)
			lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			if lines[0] != "Available help:" {
				t.Fatalf("first line %q", lines[0])
			}
			rows := (len(ts) + tt.cols - 1) / tt.cols
			if len(lines)-1 != rows {
				t.Fatalf("%d rows, want %d:\n%s", len(lines)-1, rows, got)
			}
			// Read the names back column by column: top to bottom, then
			// left to right, each column longest+1 wide after "  ".
			var read []string
			for c := 0; c < tt.cols; c++ {
				for _, line := range lines[1:] {
					start := 2 + c*(longest+1)
					if start >= len(line) {
						continue
					}
					end := min(start+longest+1, len(line))
					if c == tt.cols-1 {
						end = len(line)
					}
					if n := strings.TrimSpace(line[start:end]); n != "" {
						read = append(read, n)
					}
				}
			}
			if strings.Join(read, "|") != strings.Join(names(ts), "|") {
				t.Errorf("names read back %q, want %q", read, names(ts))
			}
			for _, line := range lines[1:] {
				// psql pads every column but the last, so a row whose
				// last column is empty keeps its padding.
				if !strings.HasPrefix(line, "  ") {
					t.Errorf("line %q: want two leading spaces", line)
				}
			}
		})
	}
}

func TestTable(t *testing.T) {
	page := regexp.MustCompile(`^sql-[a-z]+(-[a-z]+)*$`)
	name := regexp.MustCompile(`^[A-Z]+( [A-Z]+)*$`)
	seenName, seenPage := map[string]bool{}, map[string]bool{}
	for _, tp := range topics() {
		t.Run(tp.Name, func(t *testing.T) {
			if !name.MatchString(tp.Name) {
				t.Errorf("name %q: want upper-case words and single spaces", tp.Name)
			}
			if seenName[tp.Name] || seenPage[tp.Page] {
				t.Errorf("name %q or page %q twice", tp.Name, tp.Page)
			}
			seenName[tp.Name], seenPage[tp.Page] = true, true
			if !page.MatchString(tp.Page) {
				t.Errorf("page %q is not a documentation page name", tp.Page)
			}
			if want := "https://www.postgresql.org/docs/15/" + tp.Page + ".html"; tp.URL() != want {
				t.Errorf("URL %q, want %q", tp.URL(), want)
			}
			d := tp.Description
			if d == "" || strings.Contains(d, "\n") || strings.HasSuffix(d, ".") || d != strings.TrimSpace(d) {
				t.Errorf("description %q: want one line, trimmed, no final period", d)
			}
			s := tp.Synopsis
			if strings.TrimSpace(s) == "" || s != strings.Trim(s, "\n") {
				t.Fatalf("synopsis empty or with blank lines around it: %q", s)
			}
			for _, line := range strings.Split(s, "\n") {
				if strings.HasSuffix(line, " ") || strings.Contains(line, "\t") {
					t.Errorf("line %q: trailing blank or tab", line)
				}
			}
			// The statement is spelt out in its own synopsis.
			for _, w := range strings.Fields(tp.Name) {
				if !strings.Contains(s, w) {
					t.Errorf("synopsis does not mention %q", w)
				}
			}
			if strings.Count(s, "[") != strings.Count(s, "]") || strings.Count(s, "{") != strings.Count(s, "}") || strings.Count(s, "(") != strings.Count(s, ")") {
				t.Errorf("unbalanced brackets in synopsis:\n%s", s)
			}
			if got := Lookup(tp.Name); len(got) != 1 || got[0].Name != tp.Name {
				t.Errorf("Lookup(%q) = %q, want that topic alone", tp.Name, names(got))
			}
		})
	}
}

func TestCovers(t *testing.T) {
	for _, n := range []string{
		"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE",
		"CREATE TABLE", "ALTER TABLE", "DROP TABLE", "CREATE INDEX", "DROP INDEX",
		"CREATE VIEW", "CREATE SCHEMA", "BEGIN", "START TRANSACTION", "COMMIT",
		"ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT",
		"SET", "SHOW", "RESET", "EXPLAIN", "COPY", "VACUUM", "ANALYZE", "GRANT",
		"REVOKE", "CREATE ROLE", "ALTER ROLE", "DROP ROLE", "CREATE FUNCTION",
		"DROP FUNCTION", "CALL", "DO", "LOCK", "REINDEX", "REFRESH MATERIALIZED VIEW",
		"COMMENT", "CREATE EXTENSION", "CREATE SEQUENCE", "ALTER SEQUENCE",
		"PREPARE", "EXECUTE", "DEALLOCATE", "LISTEN", "NOTIFY",
	} {
		mustTopic(t, n)
	}
}

func mustTopic(t *testing.T, name string) Topic {
	t.Helper()
	for _, tp := range Topics() {
		if tp.Name == name {
			return tp
		}
	}
	t.Fatalf("no topic %q", name)
	return Topic{}
}
