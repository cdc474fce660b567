package search

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// judged is one pair of testdata/relevance.tsv.
type judged struct {
	lang, source, query, doc string
	want                     bool
}

func readJudged(t *testing.T) []judged {
	t.Helper()
	f, err := os.Open("testdata/relevance.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []judged
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 5 || (c[4] != "0" && c[4] != "1") || (c[0] != "kk" && c[0] != "ru") || (c[1] != "demo" && c[1] != "new") {
			t.Fatalf("testdata/relevance.tsv:%d: want language, source, query, document, 0/1", n)
		}
		out = append(out, judged{c[0], c[1], c[2], c[3], c[4] == "1"})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// score counts a set's outcomes.
type score struct{ tp, fn, fp, tn int }

func (s score) recall() float64    { return float64(s.tp) / float64(max(s.tp+s.fn, 1)) }
func (s score) precision() float64 { return float64(s.tp) / float64(max(s.tp+s.fp, 1)) }

// Floors of the search quality set, as measured when the set was written
// (docs/benchmarks.md): a change to the analysis that loses recall or
// precision on it fails here. Raise them when the analysis improves.
const (
	floorRecall    = 0.975
	floorPrecision = 0.99
)

// TestRelevanceSet measures recall (wanted pairs found) and precision
// (found pairs wanted) on the judged set of at least 300 Kazakh and
// Russian query–document pairs, half of them not drawn from the demo
// data, prints them by language and source, and holds them to the floors.
func TestRelevanceSet(t *testing.T) {
	set := readJudged(t)
	if len(set) < 300 {
		t.Fatalf("the set has %d pairs, fewer than 300", len(set))
	}
	by := map[string]*score{}
	var newPairs int
	var misses []string
	for _, c := range set {
		if c.source == "new" {
			newPairs++
		}
		got := matches(c.query, c.doc)
		for _, k := range []string{"all", c.lang, c.source, c.lang + "/" + c.source} {
			s := by[k]
			if s == nil {
				s = &score{}
				by[k] = s
			}
			switch {
			case c.want && got:
				s.tp++
			case c.want:
				s.fn++
			case got:
				s.fp++
			default:
				s.tn++
			}
		}
		if got != c.want {
			misses = append(misses, fmt.Sprintf("%s %q → %q: found=%v", c.lang, c.query, c.doc, got))
		}
	}
	if newPairs*2 < len(set) {
		t.Errorf("%d of %d pairs are new: fewer than half", newPairs, len(set))
	}
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := by[k]
		t.Logf("%-8s pairs %3d  recall %.3f (%d/%d)  precision %.3f (%d/%d)", k, s.tp+s.fn+s.fp+s.tn,
			s.recall(), s.tp, s.tp+s.fn, s.precision(), s.tp, s.tp+s.fp)
	}
	for _, m := range misses {
		t.Log("miss:", m)
	}
	all := by["all"]
	if all.recall() < floorRecall {
		t.Errorf("recall %.3f is below the floor %.2f", all.recall(), floorRecall)
	}
	if all.precision() < floorPrecision {
		t.Errorf("precision %.3f is below the floor %.2f", all.precision(), floorPrecision)
	}
}
