package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/argon2"

	"github.com/smartustaz/smartustaz/internal/db"
)

// oldArgon2id is the hash another portal stored for pw: argon2id with
// cheap parameters (m=64 KiB, t=1), below this site's.
func oldArgon2id(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, 1, 64, 1, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=64,t=1,p=1$%s$%s", b64.EncodeToString(salt), b64.EncodeToString(key))
}

// TestBrowserImport (issue 11, clause 1.2 (b)): an administrator uploads a
// CSV at /admin/import, sees the rows mapped, runs the import and reads
// its report; the invitation goes out by email; an imported teacher signs
// in with the password of the old portal, is stopped at the agreement,
// accepts it (recorded as import-first-login) and reaches /account; their
// old hash is replaced by one with this site's parameters.
func TestBrowserImport(t *testing.T) {
	chrome := chromiumPath(t)
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) { browserImport(t, chrome, e) })
	}
}

func browserImport(t *testing.T, chrome string, e db.Engine) {
	const (
		adminEmail    = "admin@example.kz"
		adminPassword = "Әкімші-құпиясөзі-77"
		teacherEmail  = "gulnar.old@example.kz"
		teacherPw     = "Ескі-портал-құпиясөзі-2019"
		teacherName   = "Гүлнар Сәрсенбаева"
	)
	srv := startServer(t, e)
	browser := startBrowser(t, chrome)
	admin := newTab(t, browser, srv.URL, "admin", desktopView)
	teacher := newTab(t, browser, srv.URL, "teacher", phoneView)

	admin.open(srv.SetupURL)
	admin.fill([][2]string{{"f-email", adminEmail}, {"f-full_name", "Мектеп Әкімшісі"},
		{"f-password", adminPassword}, {"f-password_repeat", adminPassword}})
	admin.submit(`form[action="/setup"] button[type=submit]`)
	admin.login(adminEmail, adminPassword)
	admin.acceptConsent()

	// The old portal's export: semicolons, a quoted hash (it has commas),
	// one row without an address.
	csv := "email;full_name;organization;password_hash;registered_at\n" +
		teacherEmail + ";" + teacherName + ";№7 мектеп-лицей;\"" + oldArgon2id(teacherPw) + "\";2019-09-01 08:00:00\n" +
		";Адресі жоқ;;;\n"
	file := filepath.Join(t.TempDir(), "old-portal.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	admin.open("/admin/import")
	admin.do(chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}))
	admin.do(chromedp.SetValue(chromedp.ID("f-source"), "ескі портал"))
	admin.submit(`#import-upload`)
	rows := tabEval[[]string](admin, `[...document.querySelectorAll('#import-preview tbody tr')].map(r => r.innerText)`)
	if len(rows) != 2 || !strings.Contains(rows[0], teacherName) || !strings.Contains(rows[1], kkMsg("import.reason.no_email")) {
		t.Fatalf("the preview shows %d rows, not the teacher and the row without an address explained in Kazakh", len(rows))
	}
	admin.glance(string(e) + "-import-preview-1280")
	admin.submit(`#import-run`)
	waitText(t, admin, ".import-state", kkMsg("import.status.done"))
	if got, want := admin.text(".import-summary"), kkMsg("import.summary", 1, 0, 0, 1); got != want {
		t.Fatalf("the import's result reads %q, want %q", got, want)
	}
	if got := admin.text("#import-report"); !strings.Contains(got, "line 3") || !strings.Contains(got, kkMsg("import.reason.no_email")) {
		t.Errorf("the saved report does not name line 3 and its reason: %q", got)
	}
	admin.glance(string(e) + "-import-done-1280")

	// The invitation, by email, with a link that sets a password.
	seen := len(srv.outbox(t))
	admin.submit(`#import-invite`)
	raw := srv.waitMail(t, seen)
	if m, err := mail.ReadMessage(strings.NewReader(raw)); err != nil {
		t.Fatal(err)
	} else if to, err := mail.ParseAddress(m.Header.Get("To")); err != nil || to.Address != teacherEmail {
		t.Fatalf("the invitation is not addressed to the imported teacher (err %v)", err)
	}
	mailLink(t, raw, srv.URL+"/reset/confirm?token=")
	waitText(t, admin, ".invite-progress", kkMsg("import.invite.progress", 1, 1)+" · "+kkMsg("import.invite.done"))

	// The teacher signs in with the old portal's password and must accept
	// the agreement before going on.
	teacher.login(teacherEmail, teacherPw)
	if p := teacher.path(); !strings.HasPrefix(p, "/account/consent") {
		t.Fatalf("an imported teacher signing in is at %s, not asked to accept the agreement", p)
	}
	teacher.acceptConsent()
	if p := teacher.path(); p != "/account?done=consent" {
		t.Fatalf("after accepting, the imported teacher is at %s, not /account", p)
	}
	if got := teacher.accountProfile(); got[kkMsg("web.field.organization")] != "№7 мектеп-лицей" {
		t.Errorf("the account page does not show the imported school")
	}

	d, err := db.Open(context.Background(), srv.DSN, srv.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var methods []string
	rowsq, err := d.Query(context.Background(), `SELECT a.method FROM acceptances a JOIN import_users i ON i.user_id = a.user_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rowsq.Next() {
		var m string
		rowsq.Scan(&m)
		methods = append(methods, m)
	}
	rowsq.Close()
	if len(methods) != 2 || methods[0] != "import-first-login" || methods[1] != "import-first-login" {
		t.Errorf("the imported teacher's acceptances are recorded as %v, want import-first-login for both documents", methods)
	}
	var hash, consentState string
	if err := d.QueryRow(context.Background(), `SELECT u.password_hash, i.consent FROM users u JOIN import_users i ON i.user_id = u.id`).Scan(&hash, &consentState); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,") || consentState != "accepted" {
		t.Errorf("after the first sign-in the hash is not upgraded to this site's argon2id, or the consent status is %q", consentState)
	}
	var chunks int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM import_chunks`).Scan(&chunks); err != nil || chunks != 0 {
		t.Errorf("the uploaded file is still kept after its import (%d chunks, %v)", chunks, err)
	}

	// Nothing of the imported teacher is stored in plaintext: the
	// database (the SQLite file and WAL read raw, or a pg_dump), the data
	// folder but the outbox (a mail sink), the server's output.
	forms := probeForms([]string{teacherEmail, teacherName, "№7 мектеп-лицей"}, e == db.Postgres)
	var stored []byte
	if e == db.Postgres {
		stored = pgDump(t, srv.DSN)
	} else {
		path := strings.TrimPrefix(srv.DSN, "sqlite:")
		for _, f := range []string{path, path + "-wal"} {
			b, _ := os.ReadFile(f)
			stored = append(stored, b...)
		}
	}
	outbox := filepath.Join(srv.DataDir, "outbox")
	filepath.WalkDir(srv.DataDir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			if p == outbox {
				return filepath.SkipDir
			}
			return nil
		}
		b, _ := os.ReadFile(p)
		stored = append(stored, b...)
		return nil
	})
	noProbes(t, "the database and data folder", stored, forms)
	mustContain(t, "the database and data folder", stored, "ескі портал") // the source name, stored plain on purpose
	noProbes(t, "the server's output", []byte(srv.Output()), probeForms([]string{teacherEmail, teacherName}, false))
}

// waitText waits until the element css of the page reads want: the page
// updates itself (import.js polls the status), it is not reloaded here.
func waitText(t *testing.T, b *tab, css, want string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		got := tabEval[string](b, `(document.querySelector(`+"`"+css+"`"+`) || {}).innerText || ""`)
		if strings.TrimSpace(got) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s reads %q, not %q", css, got, want)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
