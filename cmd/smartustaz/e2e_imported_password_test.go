package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// TestE2EImportedPassword: clause 1.2 (b), users brought over from another
// site's database. Through the real server on both engines: a user whose
// stored hash is the old site's (phpass, as WordPress keeps it) signs in
// with their old password and the hash becomes argon2id; a wrong password
// gets the very page an ordinary account gets; a user imported without a
// password cannot sign in and sets one through /reset; an unknown format
// is refused and logged by user id only.
func TestE2EImportedPassword(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		ctx := context.Background()
		d := openDB(t, srv)
		// imported makes a user and then gives them the stored hash h, as
		// the importer writes it.
		imported := func(tag, h string) (person, int64) {
			p := newPerson(tag)
			id := signup(t, srv, p).export().Profile.ID
			if _, err := d.Exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, h, id); err != nil {
				t.Fatal(err)
			}
			return p, id
		}
		stored := func(id int64) string {
			var h string
			if err := d.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, id).Scan(&h); err != nil {
				t.Fatal(err)
			}
			return h
		}

		t.Run("old password signs in and is rehashed", func(t *testing.T) {
			const wp = "$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0" // phpass("test12345"), phpass's own test vector
			p, id := imported("wordpress", wp)
			ordinary := newPerson("ordinary")
			signup(t, srv, ordinary)
			wrongOrdinary := newClient(t, srv).login(ordinary.Email, "Қате-құпиясөз-1")
			wrong := newClient(t, srv).login(p.Email, "Қате-құпиясөз-1")
			wantStatus(t, "wrong password, imported hash", wrong, http.StatusUnauthorized)
			if got, want := pageError(wrong), i18n.T(i18n.KK, "account.login.failed"); got != want {
				t.Errorf("wrong password: page says %q, want %q", got, want)
			}
			if a, b := strings.ReplaceAll(wrong.Body, p.Email, "ADDRESS"), strings.ReplaceAll(wrongOrdinary.Body, ordinary.Email, "ADDRESS"); a != b {
				t.Errorf("a wrong password against an imported hash gets another page than against an ordinary one")
			}
			if stored(id) != wp {
				t.Fatal("a failed login changed the stored hash")
			}
			c := newClient(t, srv)
			c.mustLogin(p.Email, "test12345")
			if !signedIn(t, c) {
				t.Fatal("not signed in with the old password")
			}
			if h := stored(id); !strings.HasPrefix(h, "$argon2id$v=19$") {
				t.Fatalf("the stored hash is not argon2id after the first login (%.10s…)", h)
			}
			newClient(t, srv).mustLogin(p.Email, "test12345")
			wantStatus(t, "wrong password after the upgrade", newClient(t, srv).login(p.Email, "test1234"), http.StatusUnauthorized)
		})

		t.Run("no password: reset link sets one", func(t *testing.T) {
			p, id := imported("nopass", "")
			wantStatus(t, "their registration password", newClient(t, srv).login(p.Email, p.Password), http.StatusUnauthorized)
			wantStatus(t, "empty password", newClient(t, srv).login(p.Email, ""), http.StatusUnauthorized)
			c := newClient(t, srv)
			mails := len(mailsTo(t, srv, p.Email))
			wantStatus(t, "reset request", c.post("/reset", url.Values{"email": {p.Email}}), http.StatusOK)
			tok := tokenOf(t, waitMailTo(t, srv, p.Email, mails+1).Link)
			newPw := "Жаңа-құпиясөз-импорт-1"
			r := c.post("/reset/confirm", url.Values{"token": {tok}, "password": {newPw}})
			wantStatus(t, "reset", r, http.StatusOK)
			wantText(t, "reset", r, i18n.T(i18n.KK, "web.reset.done"))
			if !strings.HasPrefix(stored(id), "$argon2id$") {
				t.Fatal("the reset stored no argon2id hash")
			}
			newClient(t, srv).mustLogin(p.Email, newPw)
		})

		t.Run("unknown format refused and logged without personal data", func(t *testing.T) {
			const des = "rl.3StKT.4T8M" // DES crypt: not accepted
			p, id := imported("des", des)
			r := newClient(t, srv).login(p.Email, "test")
			wantStatus(t, "unknown format", r, http.StatusUnauthorized)
			if got, want := pageError(r), i18n.T(i18n.KK, "account.login.failed"); got != want {
				t.Errorf("unknown format: page says %q, want %q", got, want)
			}
			out := srv.Output()
			if !strings.Contains(out, "no accepted format") || !strings.Contains(out, fmt.Sprintf(`"user_id":%d`, id)) {
				t.Error("the refusal is not in the server's log with the user's id")
			}
			if strings.Contains(out, p.Email) || strings.Contains(out, des) {
				t.Error("the server's log quotes the address or the hash")
			}
		})
	})
}
