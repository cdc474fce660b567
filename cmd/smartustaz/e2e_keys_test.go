package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// startNodeWithKeyFile starts another serve process on first's PostgreSQL
// database with a data folder of its own holding keyring as its key file,
// as an operator sets up a node that gets the key file copied to it.
func startNodeWithKeyFile(t *testing.T, first *testServer, keyring []byte) *testServer {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keyring.json"), keyring, 0o600); err != nil {
		t.Fatal(err)
	}
	return startServerOn(t, db.Postgres, dir, first.DSN, nil)
}

// copyKeyFileTo copies from's key file into to's data folder, as the
// operator does (the copy lands under a temporary name and is renamed,
// so the node never reads half a file).
func copyKeyFileTo(t *testing.T, from, to *testServer) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(from.DataDir, "keyring.json"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(to.DataDir, "keyring.json.new")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(to.DataDir, "keyring.json")); err != nil {
		t.Fatal(err)
	}
}

// waitNodeHolds waits until `keys status` lists node as holding exactly
// the master keys ids (it re-reads a changed key file within seconds).
func waitNodeHolds(t *testing.T, cli, node *testServer, ids string) string {
	t.Helper()
	want := "(key file " + filepath.Join(node.DataDir, "keyring.json") + "): master keys " + ids + ","
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := cli.runCmd(t, "", "keys", "status")
		if err != nil {
			t.Fatalf("keys status: %v", err)
		}
		if strings.Contains(out, want) {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("10 s on, keys status does not show the node holding master keys %s:\n%s", ids, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// on is the same browser (same cookies) talking to another node, as a
// load balancer sends it.
func (c *client) on(srv *testServer) *client {
	d := *c
	d.base = srv.URL
	return &d
}

// TestE2ETwoNodesKeyRotation (issue 14 §2): the master key is rotated on
// two serving nodes, each with its own copy of the key file, with the
// commands and in the order docs/operations.md gives: keys add, copy the
// file, keys rotate. Registrations, sign-ins and sessions keep working on
// both nodes throughout; rotating before the copy is refused with a
// message naming the node; a node started later with the old key file
// answers its users "try again later" (503, still signed in) and serves
// everyone else, until it gets the current file.
func TestE2ETwoNodesKeyRotation(t *testing.T) {
	a := startServer(t, db.Postgres)
	oldKeyring, err := os.ReadFile(filepath.Join(a.DataDir, "keyring.json"))
	if err != nil {
		t.Fatal(err)
	}
	b := startNodeWithKeyFile(t, a, oldKeyring)
	d := openDB(t, a)
	ctx := context.Background()
	kekOf := func(c *client) string {
		t.Helper()
		var kek string
		if err := d.QueryRow(ctx, `SELECT kek_id FROM user_keys WHERE user_id = ?`, c.export().Profile.ID).Scan(&kek); err != nil {
			t.Fatal(err)
		}
		return kek
	}
	// Every step: a new teacher registers and signs in on each node, and
	// the sessions opened so far still show their owner's name there.
	type signedIn struct {
		c *client
		p person
	}
	var sessions []signedIn
	works := func(step string) {
		t.Helper()
		for _, n := range []*testServer{a, b} {
			p := newPerson("rot")
			sessions = append(sessions, signedIn{signup(t, n, p), p})
		}
		for _, s := range sessions {
			wantText(t, step+": a session opened earlier", s.c.get("/account"), s.p.FullName)
		}
	}
	works("before")
	// A teacher known only to node A so far: B first unwraps their data
	// key after the rotation re-wrapped it.
	onlyA := newPerson("only-a")
	signup(t, a, onlyA)

	out, err := a.runCmd(t, "", "keys", "add")
	if err != nil || !strings.Contains(out, "master key 2 added") || !strings.Contains(out, "Copy "+filepath.Join(a.DataDir, "keyring.json")) {
		t.Fatalf("keys add: %v\n%s", err, out)
	}
	works("after keys add")
	waitNodeHolds(t, a, a, "1,2")

	// The wrong order: rotate before node B has the key.
	out, err = a.runCmd(t, "", "keys", "rotate", "--wait", "1s")
	if err == nil {
		t.Fatalf("keys rotate before the key file reached node B succeeded:\n%s", out)
	}
	for _, want := range []string{"rotate refused: 1 of 2 live nodes do not hold master key 2",
		"(key file " + filepath.Join(b.DataDir, "keyring.json") + ") holds 1"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("keys rotate refused without saying %q:\n%v", want, err)
		}
	}
	if kek := kekOf(sessions[0].c); kek != "1" {
		t.Fatalf("a refused rotation re-wrapped a data key (master key %s)", kek)
	}
	works("after the refused rotation")

	// The right order: the file reaches node B, which re-reads it.
	copyKeyFileTo(t, a, b)
	waitNodeHolds(t, a, b, "1,2")
	out, err = a.runCmd(t, "", "keys", "rotate")
	if err != nil || !strings.Contains(out, "master key 2 is active (held by all 2 live nodes)") {
		t.Fatalf("keys rotate once both nodes hold the key: %v\n%s", err, out)
	}
	if kek := kekOf(sessions[0].c); kek != "2" {
		t.Fatalf("after the rotation a data key is wrapped by master key %s, want 2", kek)
	}
	works("after the rotation")
	if kek := kekOf(sessions[len(sessions)-1].c); kek != "2" {
		t.Fatalf("node B wrapped a new data key with master key %s after the rotation to 2", kek)
	}
	onB := newClient(t, b)
	onB.mustLogin(onlyA.Email, onlyA.Password)
	wantText(t, "node B reads a re-wrapped data key", onB.get("/account"), onlyA.FullName)

	// A node started with the key file from before: it serves what needs
	// no missing key, and says "try again later" for the rest.
	c := startNodeWithKeyFile(t, a, oldKeyring)
	wantStatus(t, "home page on the stale node", newClient(t, c).get("/"), http.StatusOK)
	stale := newClient(t, c)
	stale.Lang = "kk"
	r := stale.login(onlyA.Email, onlyA.Password)
	wantStatus(t, "sign-in on the stale node", r, http.StatusServiceUnavailable)
	wantText(t, "sign-in on the stale node", r, i18n.T(i18n.KK, "web.error.unavailable"))
	signedA := sessions[0]
	r = signedA.c.on(c).get("/account")
	wantStatus(t, "a session on the stale node", r, http.StatusServiceUnavailable)
	wantText(t, "a session on the stale node", signedA.c.get("/account"), signedA.p.FullName) // still signed in on A
	wantStatus(t, "registration on the stale node", newClient(t, c).register(newPerson("stale")), http.StatusServiceUnavailable)
	if log := c.Output(); !strings.Contains(log, `master key \"2\" is not in this node's keyring: copy the current key file to this node`) {
		t.Errorf("the stale node's log does not say which key it lacks and what to do:\n%s", log)
	}
	out, err = a.runCmd(t, "", "keys", "status")
	if err != nil || !strings.Contains(out, "WARNING: ") || !strings.Contains(out, "(key file "+filepath.Join(c.DataDir, "keyring.json")+") does not hold the active master key 2") {
		t.Errorf("keys status does not warn about the stale node: %v\n%s", err, out)
	}

	// The current file reaches it: everything works there too.
	copyKeyFileTo(t, a, c)
	waitNodeHolds(t, a, c, "1,2")
	wantText(t, "a session on the node that got the current key file", signedA.c.on(c).get("/account"), signedA.p.FullName)
	signup(t, c, newPerson("fixed"))
	if out, err := a.runCmd(t, "", "audit", "verify"); err != nil || !strings.Contains(out, "intact") {
		t.Errorf("audit verify after keys add and keys rotate: %v\n%s", err, out)
	}
}
