package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
)

// startSecondNode starts another serve process on first's PostgreSQL
// database, with a data folder of its own and first's keyring (through
// SMARTUSTAZ_KEYRING, as docs/operations.md tells an operator of several
// nodes), as a second node behind a load balancer would run.
func startSecondNode(t *testing.T, first *testServer, env ...string) *testServer {
	t.Helper()
	kr, err := os.ReadFile(filepath.Join(first.DataDir, "keyring.json"))
	if err != nil {
		t.Fatalf("read the first node's keyring: %v", err)
	}
	return startServerOn(t, db.Postgres, t.TempDir(), first.DSN, nil, append(env, "SMARTUSTAZ_KEYRING="+string(kr))...)
}

// TestE2ETwoNodesPageCache (issue 14 §5): a take-down made through one node
// is gone from the pages another node keeps for anonymous readers at once
// (under a second), not after the cache's TTL, which is an hour here so
// that only the notification between the nodes can explain it.
func TestE2ETwoNodesPageCache(t *testing.T) {
	const ttl = "SMARTUSTAZ_PAGE_CACHE_TTL=1h"
	b := startServer(t, db.Postgres, ttl)
	a := startSecondNode(t, b, ttl)

	// The teacher and the moderator use node A (the last started, whose
	// setup link is the one printed last); readers use node B.
	admin, _ := setupAdmin(t, a)
	teacher := newClientSignedIn(t, a)
	const title = "Екі түйін: Абай жолы сабағы"
	r := teacher.postMultipart("/materials/new", materialForm(title), upload{"абай.pdf", sample(t, "sample.pdf")})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("publish: status %d, errors %s", r.Status, pageErrors(r))
	}
	m := materialPathRe.FindStringSubmatch(r.Location())
	if m == nil {
		t.Fatalf("publish redirects to %q", r.Location())
	}
	id, path := m[1], "/materials/"+m[1]+"-"+m[2]
	wantStatus(t, "approve", admin.post("/admin/moderation/"+id+"/approve", nil), http.StatusSeeOther)

	// Node B keeps the material's page and the catalog listing it.
	visitor := newClient(t, b)
	const catalog = "/materials?sort=new"
	for i := range 2 {
		p := visitor.get(path)
		if p.Status != http.StatusOK || !strings.Contains(p.Text(), title) {
			t.Fatalf("node B, visit %d: status %d, shows the material %v", i+1, p.Status, strings.Contains(p.Text(), title))
		}
		if i == 1 && p.Header.Get("ETag") == "" {
			t.Fatalf("node B did not keep the material page (no ETag on the second visit)")
		}
		if c := visitor.get(catalog); !strings.Contains(c.Text(), title) {
			t.Fatalf("node B's catalog does not list the approved material")
		}
	}

	// Taken down through node A: node B's kept pages follow within a second.
	wantStatus(t, "take down on node A", admin.post("/admin/moderation/"+id+"/takedown", url.Values{"reason": {"not_own_work"}}), http.StatusSeeOther)
	deadline := time.Now().Add(time.Second)
	for {
		p := visitor.get(path)
		c := visitor.get(catalog)
		if p.Status == http.StatusNotFound && !strings.Contains(c.Text(), title) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a second after the take-down on node A, node B still serves it: material page %d, in the catalog %v",
				p.Status, strings.Contains(c.Text(), title))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestE2ETwoNodesDeletion (issues 8 §1 and 14 §5): an account deleted
// through one node goes on the other node's deletion list at once — its
// own copy in its data folder, so a backup restored under that node is
// re-erased too — and a forged notification of a deletion, which anyone
// with access to the database could send, is refused.
func TestE2ETwoNodesDeletion(t *testing.T) {
	b := startServer(t, db.Postgres)
	a := startSecondNode(t, b)
	p := newPerson("twonodes")
	teacher := signup(t, a, p)
	// Signed in on node B as well: B has unwrapped and cached the data key.
	onB := newClient(t, b)
	onB.mustLogin(p.Email, p.Password)
	wantStatus(t, "the account page on node B", onB.get("/account"), http.StatusOK)
	d := openDB(t, a)
	id := teacher.export().Profile.ID
	listB := filepath.Join(b.DataDir, "tombstones")
	listed := func() bool {
		raw, _ := os.ReadFile(listB)
		return strings.Contains("\n"+string(raw), fmt.Sprintf("\n%d ", id))
	}

	// A forged deletion of this very user, sent straight to the channel.
	if _, err := d.Exec(context.Background(), `SELECT pg_notify('smartustaz_changes', ?)`,
		fmt.Sprintf("forger|userkey|%d %064x", id, 7)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if listed() {
		t.Fatalf("node B put the user on its deletion list on a forged notification")
	}
	wantStatus(t, "node B after the forged deletion", onB.get("/account"), http.StatusOK)

	wantStatus(t, "delete through node A", teacher.post("/account/delete", url.Values{"password": {p.Password}}), http.StatusOK)
	deadline := time.Now().Add(time.Second)
	for !listed() {
		if time.Now().After(deadline) {
			t.Fatalf("a second after the deletion on node A, node B's deletion list does not have the user")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if r := onB.get("/account"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login") {
		t.Errorf("node B after the deletion: status %d to %q, want the sign-in page", r.Status, r.Location())
	}
}
