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
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/importer"
	"github.com/smartustaz/smartustaz/internal/mail/mailtest"
)

// TestE2EImportInviteBulk: clause 1.2 (b), issue 11 §3. On both engines,
// "invite every imported user" at /admin/import is a paced bulk send of
// the mail queue: its progress shows on /admin/mail; the site stopped in
// the middle of it and started again sends the rest, none twice; pressing
// the button again (before and after the letters went) sends nobody a
// second letter, and the first letter's link still sets a password.
func TestE2EImportInviteBulk(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) { importInviteBulk(t, e) })
	}
}

func importInviteBulk(t *testing.T, e db.Engine) {
	ctx := context.Background()
	smtpSrv := (&mailtest.Server{}).Start(t, mailtest.Plain)
	// One letter every 1.5 s: slow enough to stop the site mid-send.
	env := []string{"SMARTUSTAZ_SMTP=smtp://" + smtpSrv.Addr + "?starttls=none", "SMARTUSTAZ_MAIL_RATE=0.66"}
	dataDir, dsn := t.TempDir(), dbtest.DSN(t, e)
	srv, stop := launchServer(t, e, dataDir, dsn, nil, true, env...)
	admin, ap := setupAdmin(t, srv)

	var addrs []string
	var csv strings.Builder
	csv.WriteString("email;full_name\n")
	for i := range 3 {
		a := fmt.Sprintf("invitee%d.old@example.kz", i)
		addrs = append(addrs, a)
		fmt.Fprintf(&csv, "%s;Шақырылған мұғалім %d\n", a, i)
	}
	file := filepath.Join(t.TempDir(), "old.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := srv.runCmd(t, "", "import", "users", "--source", "ескі портал", file); err != nil || !strings.HasSuffix(strings.TrimSpace(out), "created 3, updated 0, skipped 0, failed 0") {
		t.Fatalf("import: %v", err)
	}
	d := openDB(t, srv)
	var batch int64
	if err := d.QueryRow(ctx, `SELECT id FROM import_batches`).Scan(&batch); err != nil {
		t.Fatal(err)
	}
	invitePath := fmt.Sprintf("/admin/import/%d/invite", batch)
	inviteStatus := func() string {
		var s string
		d.QueryRow(ctx, `SELECT invite_status FROM import_batches WHERE id = ?`, batch).Scan(&s)
		return s
	}
	received := func() map[string]int {
		n := map[string]int{}
		for _, m := range smtpSrv.Received() {
			for _, to := range m.To {
				n[to]++
			}
		}
		return n
	}

	r := admin.post(invitePath, nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("invite: status %d", r.Status)
	}
	eventually(t, "the invitations queued", func() bool { return inviteStatus() == "done" })
	if n := count(t, d, `SELECT COUNT(*) FROM mail_queue WHERE bulk = ? AND kind = 'import_invite'`, importer.InviteBulk(batch)); n != 3 {
		t.Fatalf("%d invitations in the bulk send, want 3", n)
	}
	// Pressed again while the letters are still going: nothing more.
	wantStatus(t, "invite again", admin.post(invitePath, nil), http.StatusSeeOther)
	eventually(t, "the second run done", func() bool { return inviteStatus() == "done" })
	if n := count(t, d, `SELECT COUNT(*) FROM mail_queue WHERE kind = 'import_invite'`); n != 3 {
		t.Fatalf("after a second run %d invitations are queued, want 3", n)
	}

	// The site stops after the first letter and starts again.
	eventually(t, "the first letter", func() bool { return smtpSrv.Count() >= 1 })
	stop()
	if smtpSrv.Count() == 3 {
		t.Fatal("every letter went before the site stopped: the send is not paced")
	}
	srv, _ = launchServer(t, e, dataDir, dsn, nil, false, env...)
	eventually(t, "every letter after the restart", func() bool { return smtpSrv.Count() >= 3 })
	admin = newClient(t, srv)
	admin.mustLogin(ap.Email, ap.Password)
	// Once more after the restart, everything delivered.
	wantStatus(t, "invite a third time", admin.post(invitePath, nil), http.StatusSeeOther)
	eventually(t, "the third run done", func() bool { return inviteStatus() == "done" })
	srv.drainMail(t)
	time.Sleep(500 * time.Millisecond)
	got := received()
	for i, a := range addrs {
		if got[a] != 1 {
			t.Errorf("imported user %d received %d invitations, want 1", i, got[a])
		}
	}
	if len(got) != len(addrs) {
		t.Errorf("letters went to %d addresses, want the %d imported users", len(got), len(addrs))
	}

	// The progress on /admin/mail: the bulk send, named, complete.
	page := admin.get("/admin/mail")
	wantStatus(t, "mail page", page, http.StatusOK)
	wantText(t, "bulk progress", page, i18n.T(i18n.KK, "mailq.bulk.kind.import"))
	wantText(t, "bulk progress", page, i18n.T(i18n.KK, "mailq.bulk.counts", 3, 3, 0, 0))
	wantText(t, "bulk progress", page, i18n.T(i18n.KK, "mailq.bulk.complete"))
	for _, a := range addrs {
		if strings.Contains(page.Body, a) {
			t.Error("the mail page shows an address")
		}
	}
	st := admin.get(fmt.Sprintf("/admin/import/%d", batch))
	wantText(t, "import page", st, i18n.T(i18n.KK, "import.invite.progress", 3, 3))

	// The first (and only) letter's link sets a password.
	var link string
	for _, m := range smtpSrv.Received() {
		if m.To[0] == addrs[0] {
			link = parseMail(t, m.Data).Link
		}
	}
	if !strings.HasPrefix(link, "http") || !strings.Contains(link, "/reset/confirm?token=") {
		t.Fatal("the invitation carries no password link")
	}
	u := newClient(t, srv)
	newPw := "Жаңа-портал-құпиясөзі-5"
	r = u.post("/reset/confirm", url.Values{"token": {tokenOf(t, link)}, "password": {newPw}})
	wantStatus(t, "set a password from the invitation", r, http.StatusOK)
	wantText(t, "set a password from the invitation", r, i18n.T(i18n.KK, "web.reset.done"))
	newClient(t, srv).mustLogin(addrs[0], newPw)
}
