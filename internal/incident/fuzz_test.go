package incident_test

import (
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/incident"
)

// FuzzParseUsers: the pasted list of users and the typed times never
// panic; items are non-empty, hold no separator and are not repeated;
// ids are positive.
func FuzzParseUsers(f *testing.F) {
	for _, s := range []string{"1 2 3", "a@b.kz, c@d.kz;\n e@f.kz", "", ",,;;\n", "12 12 -4", "2026-12-03T10:00", "9999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items := incident.SplitUsers(s)
		seen := map[string]bool{}
		for _, x := range items {
			if x == "" || strings.ContainsAny(x, ",; \t\r\n") || seen[strings.ToLower(x)] {
				t.Fatalf("item %q of %q", x, s)
			}
			seen[strings.ToLower(x)] = true
		}
		ids, bad := incident.ParseIDs(items)
		for _, id := range ids {
			if id <= 0 {
				t.Fatalf("id %d from %q", id, s)
			}
		}
		if bad == "" && len(ids) != len(items) {
			t.Fatalf("%d ids from %d items", len(ids), len(items))
		}
		if tm, ok := incident.ParseTime(s); ok && (tm.Year() < 2000 || tm.Year() > 2100) {
			t.Fatalf("time %v from %q", tm, s)
		}
	})
}
