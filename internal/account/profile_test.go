package account_test

import (
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Each changed field gives one history entry with its old and new value,
// attributed to the user and the session they acted from (clause 2.2).
func TestProfileChangesAttributedToSession(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "teacher@mail.kz")
		_, sess, _ := e.login(t, "teacher@mail.kz", goodPassword)
		m := account.Meta{ActorID: u.ID, SessionID: sess.ID}
		p := account.Profile{
			FullName: u.FullName.Reveal(), Organization: "№45 лицей", Position: u.Position.Reveal(),
			Region: " Ұлытау облысы ", Phone: "",
		}
		if err := e.s.UpdateProfile(e.ctx, u.ID, p, m); err != nil {
			t.Fatal(err)
		}
		got, _ := e.s.Get(e.ctx, u.ID)
		if got.Organization.Reveal() != "№45 лицей" || got.Region.Reveal() != "Ұлытау облысы" || !got.Phone.IsZero() || got.FullName.Reveal() != u.FullName.Reveal() {
			t.Fatal("profile not stored as edited")
		}
		ch, err := e.s.Changes(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]string{
			"organization": {"№12 мектеп-гимназия", "№45 лицей"},
			"region":       {"Алматы облысы", "Ұлытау облысы"},
			"phone":        {"+7 (701) 123-45-67", ""},
		}
		gotCh := map[string][2]string{}
		for _, c := range ch {
			if c.ActorID != u.ID || c.ActorSessionID != sess.ID {
				t.Fatalf("change of %s not attributed to the user's session", c.Field)
			}
			gotCh[c.Field] = [2]string{c.Old.Reveal(), c.New.Reveal()}
		}
		if !maps.Equal(gotCh, want) {
			t.Fatal("history does not hold exactly the changed fields with their old and new values")
		}
		// Saving the same profile again changes nothing and records nothing.
		before := e.counts(t)
		if err := e.s.UpdateProfile(e.ctx, u.ID, p, m); err != nil {
			t.Fatal(err)
		}
		if after := e.counts(t); !maps.Equal(before, after) {
			t.Fatalf("an unchanged profile wrote rows: %v → %v", before, after)
		}
		// An administrator's edit is attributed to the administrator.
		admin, err := e.s.CreateAdmin(e.ctx, "admin@mail.kz", "admin password 1", "Әкімші")
		if err != nil {
			t.Fatal(err)
		}
		e.clk.Add(time.Second)
		p.Position = "Директордың орынбасары"
		if err := e.s.UpdateProfile(e.ctx, u.ID, p, account.Meta{ActorID: admin.ID, SessionID: 42}); err != nil {
			t.Fatal(err)
		}
		ch, _ = e.s.Changes(e.ctx, u.ID)
		if ch[0].Field != "position" || ch[0].ActorID != admin.ID || ch[0].ActorSessionID != 42 {
			t.Fatal("the newest change is not the administrator's position edit")
		}
	})
}

// A bad profile edit is refused per field and writes nothing.
func TestUpdateProfileValidation(t *testing.T) {
	cases := []struct {
		name, field, key string
		p                account.Profile
	}{
		{"empty name", "full_name", "account.field.required", account.Profile{FullName: "  "}},
		{"name control character", "full_name", "account.field.charset", account.Profile{FullName: "Ай\x1bгүл"}},
		{"position too long", "position", "account.field.too_long", account.Profile{FullName: "Айгүл", Position: strings.Repeat("п", 121)}},
		{"bad phone", "phone", "account.phone.invalid", account.Profile{FullName: "Айгүл", Phone: "8-701-12"}},
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "teacher@mail.kz")
		before := e.counts(t)
		for _, c := range cases {
			err := e.s.UpdateProfile(e.ctx, u.ID, c.p, account.Meta{ActorID: u.ID})
			wantErr(t, err, apperr.Invalid, c.field, c.key)
		}
		if after := e.counts(t); !maps.Equal(before, after) {
			t.Fatalf("refused edits wrote rows: %v → %v", before, after)
		}
		got, _ := e.s.Get(e.ctx, u.ID)
		if got.FullName.Reveal() != u.FullName.Reveal() || got.Phone.Reveal() != u.Phone.Reveal() {
			t.Fatal("a refused edit changed the profile")
		}
	})
}

// The address changes only when the link mailed to the new address is
// followed; the new address is then verified, the old one no longer
// signs in, and the history keeps both.
func TestEmailChange(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, oldVerify := e.register(t, "old@mail.kz")
		e.register(t, "taken@mail.kz")
		_, sess, _ := e.login(t, "old@mail.kz", goodPassword)
		m := account.Meta{ActorID: u.ID, SessionID: sess.ID, IP: freshIP()}

		_, err := e.s.RequestEmailChange(e.ctx, u.ID, "Taken@Mail.kz", goodPassword, m)
		wantErr(t, err, apperr.Conflict, "email", "account.email.taken")
		_, err = e.s.RequestEmailChange(e.ctx, u.ID, "OLD@mail.kz", goodPassword, m)
		wantErr(t, err, apperr.Invalid, "email", "account.email.same")
		_, err = e.s.RequestEmailChange(e.ctx, u.ID, "new@mail", goodPassword, m)
		wantErr(t, err, apperr.Invalid, "email", "account.email.invalid")
		_, err = e.s.RequestEmailChange(e.ctx, u.ID, "new@mail.kz", "not my password", m)
		wantErr(t, err, apperr.Invalid, "password", "account.password.wrong")

		tok, err := e.s.RequestEmailChange(e.ctx, u.ID, "New@Mail.kz", goodPassword, m)
		if err != nil {
			t.Fatal(err)
		}
		// Nothing changes before the new address is confirmed.
		if got, _ := e.s.Get(e.ctx, u.ID); got.Email.Reveal() != "old@mail.kz" {
			t.Fatal("the address changed before confirmation")
		}
		_, _, _, err = e.s.Login(e.ctx, "new@mail.kz", goodPassword, account.Meta{IP: freshIP()})
		wantErr(t, err, apperr.Unauthorized, "", "account.login.failed")

		got, _, err := e.s.ConfirmEmailChange(e.ctx, tok, m)
		if err != nil {
			t.Fatal(err)
		}
		if got.Email.Reveal() != "New@Mail.kz" || !got.EmailVerified {
			t.Fatal("confirmed address not stored or not verified")
		}
		if f, err := e.s.FindByEmail(e.ctx, "new@mail.kz"); err != nil || f.ID != u.ID {
			t.Fatalf("new address not found: %v", err)
		}
		if _, err := e.s.FindByEmail(e.ctx, "old@mail.kz"); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("old address still found: %v", err)
		}
		e.login(t, "new@mail.kz", goodPassword)
		_, _, _, err = e.s.Login(e.ctx, "old@mail.kz", goodPassword, account.Meta{IP: freshIP()})
		wantErr(t, err, apperr.Unauthorized, "", "account.login.failed")
		// The link mailed to the old address at registration is void.
		_, err = e.s.VerifyEmail(e.ctx, oldVerify)
		wantErr(t, err, apperr.Gone, "", "account.token.invalid")

		ch, _ := e.s.Changes(e.ctx, u.ID)
		var email *account.Change
		for i := range ch {
			if ch[i].Field == account.ChangeEmail {
				email = &ch[i]
			}
		}
		if email == nil || email.Old.Reveal() != "old@mail.kz" || email.New.Reveal() != "New@Mail.kz" || email.ActorSessionID != sess.ID {
			t.Fatal("address change not in the history with both values and the session")
		}
		// Someone registered the pending address meanwhile: the link fails.
		tok2, err := e.s.RequestEmailChange(e.ctx, u.ID, "race@mail.kz", goodPassword, m)
		if err != nil {
			t.Fatal(err)
		}
		e.register(t, "RACE@mail.kz")
		_, _, err = e.s.ConfirmEmailChange(e.ctx, tok2, m)
		wantErr(t, err, apperr.Conflict, "email", "account.email.taken")
	})
}

// Changing the password checks the current one, ends the other sessions,
// keeps this one, and records the change without values.
func TestChangePassword(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "teacher@mail.kz")
		_, here, hereTok := e.login(t, "teacher@mail.kz", goodPassword)
		_, _, elsewhere := e.login(t, "teacher@mail.kz", goodPassword)
		m := account.Meta{ActorID: u.ID, SessionID: here.ID, IP: freshIP()}

		wantErr(t, e.s.ChangePassword(e.ctx, u.ID, "wrong password", "another password", m), apperr.Invalid, "old_password", "account.password.wrong")
		wantErr(t, e.s.ChangePassword(e.ctx, u.ID, "", "another password", m), apperr.Invalid, "old_password", "account.field.required")
		wantErr(t, e.s.ChangePassword(e.ctx, u.ID, goodPassword, "short", m), apperr.Invalid, "password", "account.password.too_short")
		if err := e.s.ChangePassword(e.ctx, u.ID, goodPassword, "another password", m); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.s.Authenticate(e.ctx, hereTok); err != nil {
			t.Fatalf("the session that changed the password was ended: %v", err)
		}
		_, _, err := e.s.Authenticate(e.ctx, elsewhere)
		wantErr(t, err, apperr.Unauthorized, "", "account.session.invalid")
		e.login(t, "teacher@mail.kz", "another password")
		ch, _ := e.s.Changes(e.ctx, u.ID)
		if len(ch) != 1 || ch[0].Field != "password" || ch[0].ActorSessionID != here.ID || !ch[0].Old.IsZero() || !ch[0].New.IsZero() {
			t.Fatal("password change not recorded once, for this session, without values")
		}
	})
}

// Deletion crypto-shreds: the vault has no key, every sealed column and
// the address index are empty, sessions and tokens are gone, and the
// address can register again.
func TestDelete(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "teacher@mail.kz")
		e.login(t, "teacher@mail.kz", goodPassword)
		if _, _, err := e.s.RequestPasswordReset(e.ctx, "teacher@mail.kz", account.Meta{IP: freshIP()}); err != nil {
			t.Fatal(err)
		}
		if err := e.s.UpdateProfile(e.ctx, u.ID, account.Profile{FullName: "Айгүл Мұратова"}, account.Meta{ActorID: u.ID}); err != nil {
			t.Fatal(err)
		}
		e.clk.Add(time.Second)
		if err := e.s.Delete(e.ctx, u.ID, account.Meta{ActorID: u.ID, SessionID: 7}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.v.UserKey(e.ctx, d, u.ID); !errors.Is(err, vault.ErrNoKey) {
			t.Fatalf("vault still has the key: %v", err)
		}
		got, err := e.s.Get(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []vault.Secret{got.Email, got.FullName, got.Organization, got.Position, got.Region, got.Phone} {
			if !f.IsZero() {
				t.Fatal("Get shows personal data of a deleted user")
			}
		}
		if got.Status != account.StatusDeleted {
			t.Fatalf("status %s", got.Status)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM users WHERE id = ? AND email_bidx IS NULL AND email_enc IS NULL AND full_name_enc IS NULL
			AND organization_enc IS NULL AND position_enc IS NULL AND region_enc IS NULL AND phone_enc IS NULL AND password_hash = ''`, u.ID); n != 1 {
			t.Fatal("a sealed column, the address index or the password hash survived deletion")
		}
		for _, q := range []string{
			`SELECT COUNT(*) FROM sessions WHERE user_id = ?`,
			`SELECT COUNT(*) FROM tokens WHERE user_id = ?`,
			`SELECT COUNT(*) FROM profile_changes WHERE user_id = ? AND (old_enc IS NOT NULL OR new_enc IS NOT NULL)`,
		} {
			if n := e.count(t, q, u.ID); n != 0 {
				t.Fatalf("%d rows left: %s", n, q)
			}
		}
		ch, err := e.s.Changes(e.ctx, u.ID)
		if err != nil || len(ch) == 0 || ch[0].Field != account.ChangeDeleted || ch[0].ActorSessionID != 7 {
			t.Fatalf("deletion not recorded: %v", err)
		}
		if _, err := e.s.FindByEmail(e.ctx, "teacher@mail.kz"); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("deleted user found by address: %v", err)
		}
		if err := e.s.Delete(e.ctx, u.ID, account.Meta{}); err != nil {
			t.Fatalf("deleting twice: %v", err)
		}
		if err := e.s.UpdateProfile(e.ctx, u.ID, account.Profile{FullName: "Кто-то"}, account.Meta{}); apperr.CodeOf(err) != apperr.Gone {
			t.Fatalf("a deleted profile was edited: %v", err)
		}
		again, _ := e.register(t, "teacher@mail.kz")
		if again.ID == u.ID {
			t.Fatal("re-registration reused the id")
		}
		if _, err := e.s.Get(e.ctx, 12345); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("missing user: want ErrNotFound, got %v", err)
		}
	})
}
