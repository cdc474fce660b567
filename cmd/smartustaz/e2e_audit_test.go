package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// Issue 8 §2: an operator's `audit verify` refuses a log that was emptied
// or cut back to an older genuine head, because a signed checkpoint kept
// in the data folder records how far it went; the audit page says so too.
func TestE2EAuditCheckpoint(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		ctx := context.Background()
		admin, _ := setupAdmin(t, srv)
		d := openDB(t, srv)
		adminCreate := func(tag string) {
			t.Helper()
			p := newPerson(tag)
			if out, err := srv.runCmd(t, p.Password+"\n", "admin", "create", "--email", p.Email); err != nil {
				t.Fatalf("admin create: %v %q", err, out)
			}
		}
		verify := func() (string, error) {
			t.Helper()
			return srv.runCmd(t, "", "audit", "verify")
		}

		adminCreate("cp-1") // entry 2, anchored by the command
		out, err := verify()
		if err != nil || !strings.Contains(out, "intact, 2 entries") || !strings.Contains(out, "up to entry 2") {
			t.Fatalf("audit verify of an anchored log: %v %q", err, out)
		}
		if _, err := os.Stat(filepath.Join(srv.DataDir, "audit-checkpoint.json")); err != nil {
			t.Fatalf("no checkpoint in the data folder: %v", err)
		}

		// Someone with the database keeps the genuine head row of entry 2…
		var seq int64
		var hash, mac []byte
		if err := d.QueryRow(ctx, `SELECT seq, hash, mac FROM audit_head`).Scan(&seq, &hash, &mac); err != nil || seq != 2 {
			t.Fatalf("head: %d %v", seq, err)
		}
		adminCreate("cp-2")
		adminCreate("cp-3") // entry 4, anchored
		// …and later cuts the log back to it.
		if _, err := d.Exec(ctx, `DELETE FROM audit_log WHERE seq > 2`); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE audit_head SET seq = ?, hash = ?, mac = ?`, seq, hash, mac); err != nil {
			t.Fatal(err)
		}
		out, err = verify()
		if want := i18n.T(i18n.EN, "audit.verify.behind_checkpoint", 3); err == nil || !strings.Contains(out, "NOT intact") || !strings.Contains(out, want) {
			t.Errorf("audit verify of a cut-back log: err %v, output %q; want exit 1 and %q", err, out, want)
		}
		r := admin.get("/admin/audit")
		wantStatus(t, "audit page", r, http.StatusOK)
		if got, want := pageError(r), i18n.T(i18n.KK, "audit.verify.behind_checkpoint", 3); got != want {
			t.Errorf("the audit page says %q, want %q", got, want)
		}

		// Emptied: no entry and no head left.
		for _, q := range []string{`DELETE FROM audit_log`, `DELETE FROM audit_head`} {
			if _, err := d.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		out, err = verify()
		if want := i18n.T(i18n.EN, "audit.verify.behind_checkpoint", 1); err == nil || strings.Contains(out, "intact, 0 entries") || !strings.Contains(out, want) {
			t.Errorf("audit verify of an emptied log: err %v, output %q; want exit 1 and %q", err, out, want)
		}

		// Had that been a deliberate restore, the operator records it and
		// the log is anchored anew, with the old checkpoint on the record.
		if _, err := srv.runCmd(t, "", "audit", "reanchor"); err == nil {
			t.Errorf("audit reanchor without --reason succeeded")
		}
		if out, err := srv.runCmd(t, "", "audit", "reanchor", "--reason", "restored an older backup"); err != nil {
			t.Fatalf("audit reanchor: %v %q", err, out)
		}
		if out, err = verify(); err != nil || !strings.Contains(out, "intact, 1 entries") {
			t.Errorf("audit verify after reanchor: %v %q", err, out)
		}
		var detail string
		if err := d.QueryRow(ctx, `SELECT detail FROM audit_log WHERE action = 'audit_reanchor'`).Scan(&detail); err != nil || !strings.Contains(detail, "held entry 4") {
			t.Errorf("the reanchor entry does not name the replaced checkpoint: %q %v", detail, err)
		}
	})
}

// Issue 8 §2: an audited change and its entry are one transaction. With
// the audit log unable to take an entry, the role change, the publication,
// the reveal and the deletion are refused and change nothing.
func TestE2EAuditedChangesAtomic(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		ctx := context.Background()
		admin, _ := setupAdmin(t, srv)
		u := newPerson("atomic")
		uc := signup(t, srv, u)
		uid := uc.export().Profile.ID
		userPage := "/admin/users/" + strconv.FormatInt(uid, 10)
		d := openDB(t, srv)
		docs := count(t, d, `SELECT COUNT(*) FROM documents`)
		entries := count(t, d, `SELECT COUNT(*) FROM audit_log`)

		// A head row that fails its MAC makes every append fail.
		var mac []byte
		if err := d.QueryRow(ctx, `SELECT mac FROM audit_head`).Scan(&mac); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE audit_head SET mac = ?`, []byte("broken")); err != nil {
			t.Fatal(err)
		}
		failed := func(what string, r *response) {
			t.Helper()
			if r.Status < 400 {
				t.Errorf("%s succeeded (status %d) without its audit entry", what, r.Status)
			}
		}
		failed("role change", admin.post(userPage+"/role", url.Values{"role": {"moderator"}}))
		if n := count(t, d, `SELECT COUNT(*) FROM users WHERE id = ? AND role = 'user'`, uid); n != 1 {
			t.Errorf("the role changed without an audit entry")
		}
		failed("publication", publish(t, admin, "agreement", "Аудитсіз жарияланбайды."))
		if n := count(t, d, `SELECT COUNT(*) FROM documents`); n != docs {
			t.Errorf("a document version was published without an audit entry")
		}
		r := admin.post(userPage+"/reveal", url.Values{"purpose": {"Мұғалімнің өтініші бойынша тексеру"}})
		failed("reveal", r)
		if n := shown(r, personalValues(u)); n != 0 {
			t.Errorf("a reveal without an audit entry showed %d confidential values", n)
		}
		failed("account deletion", uc.post("/account/delete", url.Values{"password": {u.Password}}))
		if n := count(t, d, `SELECT COUNT(*) FROM users WHERE id = ? AND status = 'active'`, uid); n != 1 {
			t.Errorf("the account was deleted without an audit entry")
		}
		if _, err := d.Exec(ctx, `UPDATE audit_head SET mac = ?`, mac); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log`); n != entries {
			t.Errorf("%d audit entries after refused changes, want %d", n, entries)
		}

		// With the log working, each change brings its entry.
		wantStatus(t, "role change", admin.post(userPage+"/role", url.Values{"role": {"moderator"}}), http.StatusSeeOther)
		wantStatus(t, "account deletion", uc.post("/account/delete", url.Values{"password": {u.Password}}), http.StatusOK)
		for _, action := range []string{"role_change", "user_delete"} {
			if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND target_user_id = ?`, action, uid); n != 1 {
				t.Errorf("%d %s entries for the user, want 1", n, action)
			}
		}
		if out, err := srv.runCmd(t, "", "audit", "verify"); err != nil {
			t.Errorf("audit verify: %v %q", err, out)
		}
	})
}

// Issue 14 item 6 and issue 8 §3: two nodes started on one database each
// print a link, both work until an administrator exists, and requests at
// the same moment through either make exactly one.
func TestE2ESetupLinkEveryNode(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			a := startServer(t, e)
			// The second node shares the database and the key file.
			dirB := t.TempDir()
			key, err := os.ReadFile(filepath.Join(a.DataDir, "keyring.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dirB, "keyring.json"), key, 0o600); err != nil {
				t.Fatal(err)
			}
			b := startServerOn(t, e, dirB, a.DSN, nil)
			nodes := []*testServer{a, b}
			for i, n := range nodes {
				r := newClient(t, n).get(strings.TrimPrefix(n.SetupURL, n.URL))
				wantStatus(t, fmt.Sprintf("link of node %d", i+1), r, http.StatusOK)
			}

			const requests = 6
			status := make([]int, requests)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range requests {
				wg.Add(1)
				go func() {
					defer wg.Done()
					link, via := nodes[i%2].SetupURL, nodes[(i/2)%2]
					p := newPerson(fmt.Sprintf("setup-%d", i))
					c := newClient(t, via)
					<-start
					r := c.post("/setup", url.Values{"token": {tokenOf(t, link)}, "email": {p.Email}, "full_name": {p.FullName},
						"password": {p.Password}, "password_repeat": {p.Password}})
					status[i] = r.Status
				}()
			}
			close(start)
			wg.Wait()
			ok := 0
			for i, s := range status {
				switch s {
				case http.StatusOK:
					ok++
				case http.StatusGone:
				default:
					t.Errorf("request %d: status %d, want 200 or 410", i, s)
				}
			}
			if ok != 1 {
				t.Errorf("%d requests made an administrator, want 1 (statuses %v)", ok, status)
			}
			if n := count(t, openDB(t, a), `SELECT COUNT(*) FROM users WHERE role = 'admin'`); n != 1 {
				t.Errorf("%d administrators, want 1", n)
			}
			for i, n := range nodes {
				r := newClient(t, n).get(strings.TrimPrefix(n.SetupURL, n.URL))
				wantStatus(t, fmt.Sprintf("link of node %d after setup", i+1), r, http.StatusGone)
			}
		})
	}
}
