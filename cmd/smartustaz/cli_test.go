package main

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

var activeKeyRe = regexp.MustCompile(`(?m)^active: (\S+)$`)

// activeKey is the active master key id that `keys status` prints.
func activeKey(t *testing.T, srv *testServer) string {
	t.Helper()
	out, err := srv.runCmd(t, "", "keys", "status")
	if err != nil {
		t.Fatalf("keys status: %v", err)
	}
	m := activeKeyRe.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("keys status printed no active key: %q", out)
	}
	return m[1]
}

// TestCLI runs the maintenance subcommands against a serving site's data
// folder and database, as an operator would on the same machine.
func TestCLI(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		t.Run("audit verify on an empty log", func(t *testing.T) {
			out, err := srv.runCmd(t, "", "audit", "verify")
			if err != nil || !strings.Contains(out, "intact, 0 entries") {
				t.Errorf("audit verify: err %v, output %q", err, out)
			}
		})

		t.Run("migrate twice", func(t *testing.T) {
			for i := 0; i < 2; i++ {
				out, err := srv.runCmd(t, "", "migrate")
				if err != nil || !strings.Contains(out, "up to date") {
					t.Errorf("migrate #%d: err %v, output %q", i+1, err, out)
				}
			}
			wantStatus(t, "site after migrate", newClient(t, srv).get("/"), http.StatusOK)
		})

		t.Run("admin create", func(t *testing.T) {
			d := openDB(t, srv)
			admins := func() int { return count(t, d, "SELECT COUNT(*) FROM users WHERE role = 'admin'") }
			p := newPerson("cli-admin")

			_, err := srv.runCmd(t, p.Password+"\n", "admin", "create")
			if err == nil || !strings.Contains(err.Error(), "--email") {
				t.Errorf("admin create without --email: err %v, want one naming --email", err)
			}
			_, err = srv.runCmd(t, "қысқа\n", "admin", "create", "--email", p.Email)
			if want := i18n.T(i18n.EN, "account.password.too_short", 10); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("admin create with a short password: err %v, want it to say %q", err, want)
			}
			_, err = srv.runCmd(t, "\n", "admin", "create", "--email", p.Email)
			if err == nil {
				t.Errorf("admin create with an empty password succeeded")
			}
			if n := admins(); n != 0 {
				t.Fatalf("refused admin create made %d administrators", n)
			}

			out, err := srv.runCmd(t, p.Password+"\n", "admin", "create", "--email", p.Email, "--name", p.FullName)
			if err != nil || !strings.Contains(out, "administrator #") {
				t.Fatalf("admin create: err %v, output %q", err, out)
			}
			if strings.Contains(out, p.Password) || strings.Contains(out, p.Email) {
				t.Errorf("admin create printed the password or the address")
			}
			if n := admins(); n != 1 {
				t.Errorf("%d administrators after admin create, want 1", n)
			}
			c := newClient(t, srv)
			c.mustLogin(strings.ToUpper(p.Email), p.Password)
			acceptPending(t, c)
			wantStatus(t, "new admin /admin/users", c.get("/admin/users"), http.StatusOK)

			// An address already registered is promoted, with the new password.
			u := newPerson("cli-promote")
			uc := signup(t, srv, u)
			newPw := "Әкімші-жаңа-құпиясөз-7"
			if out, err := srv.runCmd(t, newPw+"\r\n", "admin", "create", "--email", strings.ToUpper(u.Email)); err != nil {
				t.Fatalf("admin create for a registered address: %v, %q", err, out)
			}
			if uc.export().Profile.Role != "admin" {
				t.Errorf("the registered user was not promoted")
			}
			wantStatus(t, "promoted user, old password", newClient(t, srv).login(u.Email, u.Password), http.StatusUnauthorized)
			wantStatus(t, "promoted user, new password", newClient(t, srv).login(u.Email, newPw), http.StatusSeeOther)

			out, err = srv.runCmd(t, "", "audit", "verify")
			// Two admin creates, and the promoted user's copy of their data
			// (uc.export: a data_export entry).
			if err != nil || !strings.Contains(out, "intact, 3 entries") {
				t.Errorf("audit verify after two admin creates and one export: err %v, output %q", err, out)
			}
		})

		t.Run("keys status", func(t *testing.T) {
			out, err := srv.runCmd(t, "", "keys", "status")
			if err != nil {
				t.Fatalf("keys status: %v", err)
			}
			file := filepath.Join(srv.DataDir, "keyring.json")
			if !strings.Contains(out, "key file: "+file) {
				t.Errorf("keys status does not name the key file: %q", out)
			}
			fi, err := os.Stat(file)
			if err != nil {
				t.Fatalf("key file: %v", err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("key file mode %o, want 600", fi.Mode().Perm())
			}
		})

		t.Run("keys rotate while serving", func(t *testing.T) {
			p := newPerson("rotate")
			c := signup(t, srv, p)
			before := activeKey(t, srv)
			out, err := srv.runCmd(t, "", "keys", "rotate")
			if err != nil {
				t.Fatalf("keys rotate: %v, %q", err, out)
			}
			after := activeKey(t, srv)
			if after == before {
				t.Fatalf("keys rotate left master key %s active", before)
			}
			// The same session keeps working and shows the decrypted name.
			r := c.get("/account")
			wantStatus(t, "same session after rotate", r, http.StatusOK)
			wantText(t, "same session after rotate", r, p.FullName)
			// A new sign-in works (the address index survives rotation).
			n := newClient(t, srv)
			n.mustLogin(p.Email, p.Password)
			wantText(t, "new login after rotate", n.get("/account"), p.FullName)

			// A teacher who registers after the rotation, on the server
			// that was running during it, must stay readable by every
			// other process: the next rotation re-wraps their data key.
			q := newPerson("after-rotate")
			qc := signup(t, srv, q)
			wantText(t, "user made after rotate", qc.get("/account"), q.FullName)
			if out, err := srv.runCmd(t, "", "keys", "rotate"); err != nil {
				t.Errorf("second keys rotate: %v (%q): a data key made by the serving process after the first rotation cannot be unwrapped from the key file", err, out)
			}
			wantText(t, "user made after rotate, after second rotate", qc.get("/account"), q.FullName)

			out, err = srv.runCmd(t, "", "audit", "verify")
			if err != nil || !strings.Contains(out, "intact") {
				t.Errorf("audit verify after rotation: err %v, output %q", err, out)
			}
		})

		t.Run("usage errors", func(t *testing.T) {
			for _, args := range [][]string{{"frobnicate"}, {"keys"}, {"keys", "shred"}, {"audit"}, {"admin", "delete"}} {
				if _, err := srv.runCmd(t, "", args...); err == nil {
					t.Errorf("smartustaz %s: no error", strings.Join(args, " "))
				}
			}
			if out, err := srv.runCmd(t, "", "help"); err != nil || !strings.Contains(out, "keys rotate") {
				t.Errorf("help: err %v", err)
			}
		})
	})
}
