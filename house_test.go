package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/safesql/safesql/"

// The arrows of ../shared/design.md ("The house"): which rooms a package
// may not reach, directly or through another package of ours. A package
// is named by its path in the module; a rule applies to the package and
// everything under it.
var houseRules = []struct {
	from   string
	not    []string
	reason string
}{
	{"analyze", []string{"envs", "theme", "repl"}, "analyze is pure: it imports nothing of safesql"},
	{"envs", []string{"repl", "theme"}, "environments know nothing of the shell"},
	{"theme", []string{"repl", "envs", "analyze"}, "the theme is colours and shapes only"},
	{"repl/policy", []string{"repl/engine", "repl/pg", "repl/shell", "repl/dryrun", "envs"}, "policy is pure: verdict in, decision out"},
	{"repl/frontend", []string{"repl/engine", "repl/pg", "repl/shell", "repl/dryrun", "repl/meta", "repl/app"}, "front ends (frontend, frontend/tui, frontend/line, frontend/syntax) never import engine or pg"},
	{"repl/meta", []string{"repl/engine", "repl/shell"}, "backslash commands see the session through their own interface"},
	{"repl/engine", []string{"repl/shell", "repl/app", "repl/meta", "repl/frontend/tui", "repl/frontend/line", "repl/frontend/syntax"}, "the engine runs statements; it does not know who typed them"},
	{"repl/pg", []string{"repl/engine", "repl/shell", "repl/app", "repl/meta", "repl/frontend"}, "the connection knows nothing above it"},
	{"repl/render", []string{"repl/engine", "repl/pg", "repl/shell"}, "rendering is pure formatting"},
	{"repl/describe", []string{"repl/engine", "repl/shell"}, "describe queries through its own interface"},
	{"repl/audit", []string{"repl/engine", "repl/shell", "repl/pg"}, "the audit log records; it decides nothing"},
}

// TestTheHouseKeepsItsArrows reads every package's imports (tests left
// out) and fails when a package reaches a room the design keeps it from.
func TestTheHouseKeepsItsArrows(t *testing.T) {
	imports := map[string][]string{} // package -> packages of ours it imports
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			if strings.HasPrefix(p, module) {
				imports[pkg] = append(imports[pkg], strings.TrimPrefix(p, module))
			}
		}
		if _, ok := imports[pkg]; !ok {
			imports[pkg] = nil
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read the module's imports: %v", err)
	}
	if len(imports) < 20 {
		t.Fatalf("found %d packages: is the test running at the module's root?", len(imports))
	}
	under := func(pkg, room string) bool { return pkg == room || strings.HasPrefix(pkg, room+"/") }
	pkgs := make([]string, 0, len(imports))
	for p := range imports {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, pkg := range pkgs {
		// every package reached from pkg, with the way it is reached
		via := map[string]string{}
		queue := []string{pkg}
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			for _, q := range imports[p] {
				if _, seen := via[q]; !seen {
					via[q] = p
					queue = append(queue, q)
				}
			}
		}
		for _, rule := range houseRules {
			if !under(pkg, rule.from) {
				continue
			}
			for reached := range via {
				for _, room := range rule.not {
					if under(reached, room) && !under(reached, rule.from) {
						path := []string{reached}
						for p := via[reached]; p != pkg; p = via[p] {
							path = append([]string{p}, path...)
						}
						t.Errorf("%s reaches %s (%s -> %s): %s", pkg, room, pkg, strings.Join(path, " -> "), rule.reason)
					}
				}
			}
		}
	}
}

// TestEveryPackageSaysWhatItOwns: each package has a doc.go whose package
// comment a newcomer reads first.
func TestEveryPackageSaysWhatItOwns(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "bench") {
			return filepath.SkipDir
		}
		entries, err := os.ReadDir(path)
		if err != nil {
			return err
		}
		hasGo := false
		for _, e := range entries {
			if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
				hasGo = true
			}
		}
		if !hasGo || path == "." {
			return nil
		}
		doc := filepath.Join(path, "doc.go")
		f, err := parser.ParseFile(token.NewFileSet(), doc, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Errorf("%s: no doc.go saying what the package owns and what it must not import (%v)", path, err)
			return nil
		}
		if f.Doc == nil || !strings.HasPrefix(f.Doc.Text(), "Package "+f.Name.Name) && !strings.HasPrefix(f.Doc.Text(), "Command ") {
			t.Errorf("%s: doc.go has no package comment starting \"Package %s\"", doc, f.Name.Name)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk the module: %v", err)
	}
}
