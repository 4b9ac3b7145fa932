package split

import (
	"encoding/json"
	"os"
	"testing"
)

// psqlCase is a script that repl/e2e's TestSplitSendsWhatPsqlSends runs
// through the real psql (analyze/ imports nothing of safesql, so it cannot
// start a server here): what psql sends must be what Split says it sends,
// and psql's "psql:FILE:LINE:" error prefix the failing statement's
// EndLine (every "1/0" fails).
type psqlCase struct {
	Name    string            `json:"name"`
	Script  string            `json:"script"`
	LastOut string            `json:"last_out,omitempty"` // the last line psql prints, when not empty
	Vars    map[string]string `json:"vars,omitempty"`     // psql -v name=value, expanded with Interpolate
}

// loadPsqlCases reads testdata/psql_cases.json, which repl/e2e reads too.
func loadPsqlCases(t testing.TB) []psqlCase {
	t.Helper()
	b, err := os.ReadFile("testdata/psql_cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []psqlCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("testdata/psql_cases.json: %v", err)
	}
	return cases
}

// TestPsqlCases holds Split's invariants on the scripts compared with
// psql.
func TestPsqlCases(t *testing.T) {
	cases := loadPsqlCases(t)
	if len(cases) < 20 {
		t.Fatalf("%d cases in testdata/psql_cases.json", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			checkInvariants(t, c.Script, Split(c.Script))
		})
	}
}
