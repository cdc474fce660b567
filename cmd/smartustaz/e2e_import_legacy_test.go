package main

import (
	"context"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// legacyUser is a user of an old portal: the address, the password they
// know and the hash the old portal kept of it.
type legacyUser struct {
	format, email, password, hash string
}

// legacyUsers makes one user per hash format the old portals keep: the
// hashes are computed here from the password (bcrypt by the library,
// Django's PBKDF2 and the salted MD5 by their definitions) or taken from
// the format's own test vector (phpass), so nothing is copied from the
// code under test.
func legacyUsers(t *testing.T) []legacyUser {
	t.Helper()
	bc, err := bcrypt.GenerateFromPassword([]byte("Laravel-құпиясөзі-1"), 4)
	if err != nil {
		t.Fatal(err)
	}
	// PHP's password_hash writes $2y$, the same algorithm as $2a$/$2b$.
	bcryptY := "$2y$" + strings.TrimPrefix(string(bc), "$2a$")
	const djangoPw, djangoSalt, djangoIter = "Django-пароль-2", "kzSaltSalt12", 1000
	key, err := pbkdf2.Key(sha256.New, djangoPw, []byte(djangoSalt), djangoIter, 32)
	if err != nil {
		t.Fatal(err)
	}
	django := "pbkdf2_sha256$1000$" + djangoSalt + "$" + base64.StdEncoding.EncodeToString(key)
	// passhash's convention for a salted digest: md5:sp:<salt>:<hex> is
	// MD5(salt ‖ password).
	const md5Pw, md5Salt = "ескі-md5-пароль", "a1:b2"
	sum := md5.Sum([]byte(md5Salt + md5Pw))
	saltedMD5 := "md5:sp:" + md5Salt + ":" + hex.EncodeToString(sum[:])
	return []legacyUser{
		{"bcrypt $2y$", "legacy.bcrypt@example.kz", "Laravel-құпиясөзі-1", bcryptY},
		// phpass's own test vector: "test12345".
		{"phpass $P$", "legacy.wp@example.kz", "test12345", "$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0"},
		{"pbkdf2_sha256", "legacy.django@example.kz", djangoPw, django},
		{"salted md5", "legacy.md5@example.kz", md5Pw, saltedMD5},
	}
}

// TestE2EImportLegacyHashes: clause 1.2 (b), users brought over from
// another site's database keep their password. On both engines, an
// operator imports a CSV with `smartustaz import users` whose hashes are
// bcrypt ($2y$), phpass ($P$), Django's pbkdf2_sha256 and salted MD5;
// the row with a hash of no accepted format is reported failed by its
// line. Each imported user signs in over HTTP with the old password, is
// stopped at the agreement and accepts it (recorded as
// import-first-login); their stored hash is then argon2id, and a wrong
// password fails before and after.
func TestE2EImportLegacyHashes(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		users := legacyUsers(t)
		var csv strings.Builder
		csv.WriteString("email,full_name,password_hash\n")
		for i, u := range users {
			csv.WriteString(u.email + ",Мұғалім " + string(rune('А'+i)) + ",\"" + u.hash + "\"\n")
		}
		// Line 6: DES crypt, a format no accepted list has.
		csv.WriteString("legacy.des@example.kz,Белгісіз хэш,rl.3StKT.4T8M\n")
		file := filepath.Join(t.TempDir(), "legacy.csv")
		if err := os.WriteFile(file, []byte(csv.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := srv.runCmd(t, "", "import", "users", "--source", "ескі портал", file)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if err != nil || lines[len(lines)-1] != "created 4, updated 0, skipped 0, failed 1" {
			t.Fatalf("import: err %v, last line %q", err, lines[len(lines)-1])
		}
		if !strings.Contains(out, "line 6: password_hash: unknown password hash format") {
			t.Errorf("the report does not name line 6 and its unknown hash format")
		}
		if strings.Contains(out, "legacy.") || strings.Contains(out, "rl.3StKT") {
			t.Errorf("the report quotes an address or a hash")
		}
		if r := newClient(t, srv).login("legacy.des@example.kz", "test"); r.Status == http.StatusSeeOther {
			t.Errorf("the row with the unknown hash was imported after all")
		}

		d := openDB(t, srv)
		var batch int64
		if err := d.QueryRow(context.Background(), `SELECT id FROM import_batches`).Scan(&batch); err != nil {
			t.Fatal(err)
		}
		stored := func(id int64) string {
			var h string
			if err := d.QueryRow(context.Background(), `SELECT password_hash FROM users WHERE id = ?`, id).Scan(&h); err != nil {
				t.Fatal(err)
			}
			return h
		}
		t.Run("registered here: no import record", func(t *testing.T) {
			if rec := importRecord(t, signup(t, srv, newPerson("native"))); rec != nil {
				t.Errorf("the export of a user who registered here has an import record")
			}
		})
		for _, u := range users {
			t.Run(u.format, func(t *testing.T) {
				wantStatus(t, "wrong password, old hash", newClient(t, srv).login(u.email, u.password+"x"), http.StatusUnauthorized)
				c := newClient(t, srv)
				c.mustLogin(u.email, u.password)
				r := c.get("/account")
				if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/account/consent") {
					t.Fatalf("an imported user signed in reaches /account (%d %q) without accepting the agreement", r.Status, r.Location())
				}
				x := c.export()
				before := importRecord(t, c)
				if before == nil || before.Source != "ескі портал" || before.BatchID != batch || before.ImportedAt.IsZero() ||
					before.Consent != "none" || before.ConsentAt != nil {
					t.Errorf("the export's import record before accepting is %+v, want source, batch %d, time and consent none", before, batch)
				}
				if h := stored(x.Profile.ID); !strings.HasPrefix(h, "$argon2id$v=19$") {
					t.Errorf("after the first sign-in the stored hash is not argon2id (%.8s…)", h)
				}
				if n := acceptPending(t, c); n != 2 {
					t.Errorf("the imported user was asked to accept %d documents, want 2", n)
				}
				wantStatus(t, "account after accepting", c.get("/account"), http.StatusOK)
				if after := importRecord(t, c); after == nil || after.Consent != "accepted" || after.ConsentAt == nil || after.BatchID != batch {
					t.Errorf("the export's import record after accepting is %+v, want consent accepted with its time", after)
				}
				methods := map[string]string{}
				for _, a := range c.export().Consents {
					methods[a.Document] = a.Method
				}
				if methods["agreement"] != "import-first-login" || methods["privacy"] != "import-first-login" {
					t.Errorf("the acceptances are recorded as %v, want import-first-login", methods)
				}
				wantStatus(t, "wrong password, new hash", newClient(t, srv).login(u.email, u.password+"x"), http.StatusUnauthorized)
				newClient(t, srv).mustLogin(u.email, u.password)
			})
		}
	})
}

// importRec is the "import" part of /account/export.json.
type importRec struct {
	Source     string     `json:"source"`
	BatchID    int64      `json:"batch_id"`
	ImportedAt time.Time  `json:"imported_at"`
	Consent    string     `json:"consent"`
	ConsentAt  *time.Time `json:"consent_at"`
}

// importRecord is the signed-in user's import record in their export,
// nil when it has none.
func importRecord(t *testing.T, c *client) *importRec {
	t.Helper()
	r := c.get("/account/export.json")
	if r.Status != http.StatusOK {
		t.Fatalf("export.json: status %d", r.Status)
	}
	var x struct {
		Import *importRec `json:"import"`
	}
	if err := json.Unmarshal([]byte(r.Body), &x); err != nil {
		t.Fatalf("export.json does not decode: %v", err)
	}
	return x.Import
}
