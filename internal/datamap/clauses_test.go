package datamap

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The clauses of the agreement (shared/agreement/AGREEMENT.md) that
// docs/clauses.md must prove, each with at least one test.
var agreementClauses = []string{"P.1", "P.2", "P.3", "P.4", "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4"}

var (
	clauseID = regexp.MustCompile(`\b(P\.\d|\d\.\d)\b`)
	// A backticked reference: an optional package prefix ("mail/ ",
	// "cmd/ ") and a test, fuzz target or benchmark, optionally with a
	// subtest path.
	testRef = regexp.MustCompile("`(?:([a-z][a-z0-9_/]*)/ )?((?:Test|Fuzz|Benchmark)[A-Z0-9_][A-Za-z0-9_]*)(?:/[^`]*)?`")
	testDef = regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]*)\(`)
)

// TestClausesProven reads docs/clauses.md and fails when a clause of the
// agreement has no row naming at least one test, or when a row names a
// test that no *_test.go of the named package defines (§7: each clause,
// proven; the list cannot name tests that are gone).
func TestClausesProven(t *testing.T) {
	root := filepath.Join("..", "..")
	defs := testFunctions(t, root)
	f, err := os.Open(filepath.Join(root, "docs", "clauses.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	proven := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		cells := strings.Split(text, "|")
		refs := testRef.FindAllStringSubmatch(text, -1)
		pkg := ""
		found := 0
		for _, m := range refs {
			if m[1] != "" {
				pkg = m[1]
			}
			name := m[2]
			dir := packageDir(pkg)
			if pkg == "" {
				dir = "" // no prefix yet in this row: anywhere in the repository
			}
			if !defs[dir][name] {
				where := "the repository"
				if dir != "" {
					where = dir
				}
				t.Errorf("docs/clauses.md line %d names `%s` but no *_test.go in %s defines it", line, strings.TrimPrefix(pkg+"/ "+name, "/ "), where)
				continue
			}
			found++
		}
		if len(cells) > 3 && found > 0 {
			for _, id := range clauseID.FindAllString(cells[1], -1) {
				proven[id] = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, c := range agreementClauses {
		if !proven[c] {
			t.Errorf("clause %s of the agreement has no row in docs/clauses.md with a test that exists", c)
		}
	}
}

// packageDir maps the prefixes docs/clauses.md uses to directories:
// "cmd/" is cmd/smartustaz, anything else a package under internal/.
func packageDir(prefix string) string {
	if prefix == "cmd" {
		return "cmd/smartustaz"
	}
	return "internal/" + prefix
}

// testFunctions maps each directory (and "" for the whole repository) to
// the Test, Fuzz and Benchmark functions its *_test.go files define.
func testFunctions(t *testing.T, root string) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{"": {}}
	err := filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && (e.Name() == ".git" || e.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if e.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		rel = filepath.ToSlash(rel)
		if out[rel] == nil {
			out[rel] = map[string]bool{}
		}
		for _, m := range testDef.FindAllSubmatch(b, -1) {
			out[rel][string(m[1])] = true
			out[""][string(m[1])] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
