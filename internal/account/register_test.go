package account_test

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Every bad registration input is refused with the right field and
// message, and nothing at all is written (clause P.3, 1.3).
func TestRegisterRejectsBadInput(t *testing.T) {
	cases := []struct {
		name, field, key string
		edit             func(*account.RegisterInput)
	}{
		{"empty email", "email", "account.field.required", func(in *account.RegisterInput) { in.Email = "  " }},
		{"email too long", "email", "account.field.too_long", func(in *account.RegisterInput) { in.Email = strings.Repeat("a", 250) + "@mail.kz" }},
		{"email without at", "email", "account.email.invalid", func(in *account.RegisterInput) { in.Email = "aigul.mail.kz" }},
		{"email with display name", "email", "account.email.invalid", func(in *account.RegisterInput) { in.Email = "Aigul <aigul@mail.kz>" }},
		{"email in brackets", "email", "account.email.invalid", func(in *account.RegisterInput) { in.Email = "<aigul@mail.kz>" }},
		{"email two addresses", "email", "account.email.invalid", func(in *account.RegisterInput) { in.Email = "a@mail.kz, b@mail.kz" }},
		{"email domain without dot", "email", "account.email.invalid", func(in *account.RegisterInput) { in.Email = "aigul@localhost" }},
		{"email with control character", "email", "account.field.charset", func(in *account.RegisterInput) { in.Email = "aig\x01ul@mail.kz" }},
		{"email invalid utf-8", "email", "account.field.charset", func(in *account.RegisterInput) { in.Email = "aig\xfful@mail.kz" }},
		{"empty name", "full_name", "account.field.required", func(in *account.RegisterInput) { in.FullName = " \t " }},
		{"name too long", "full_name", "account.field.too_long", func(in *account.RegisterInput) { in.FullName = strings.Repeat("ә", 201) }},
		{"name invalid utf-8", "full_name", "account.field.charset", func(in *account.RegisterInput) { in.FullName = "Ай\xfe\xffгүл" }},
		{"name with line break", "full_name", "account.field.charset", func(in *account.RegisterInput) { in.FullName = "Айгүл\nМұратова" }},
		{"name with bidi override", "full_name", "account.field.charset", func(in *account.RegisterInput) { in.FullName = "Айгүл\u202eавотарұМ" }},
		{"organization too long", "organization", "account.field.too_long", func(in *account.RegisterInput) { in.Organization = strings.Repeat("м", 201) }},
		{"organization control character", "organization", "account.field.charset", func(in *account.RegisterInput) { in.Organization = "мектеп\x00" + "12" }},
		{"position too long", "position", "account.field.too_long", func(in *account.RegisterInput) { in.Position = strings.Repeat("п", 121) }},
		{"region too long", "region", "account.field.too_long", func(in *account.RegisterInput) { in.Region = strings.Repeat("о", 121) }},
		{"region invalid utf-8", "region", "account.field.charset", func(in *account.RegisterInput) { in.Region = "\xc3\x28" }},
		{"phone too long", "phone", "account.field.too_long", func(in *account.RegisterInput) { in.Phone = "+7 (701) 123-45-67 " + strings.Repeat("0", 14) }},
		{"phone with letters", "phone", "account.phone.invalid", func(in *account.RegisterInput) { in.Phone = "+7 701 ABC 45 67" }},
		{"phone too few digits", "phone", "account.phone.invalid", func(in *account.RegisterInput) { in.Phone = "+7 701 123 45" }},
		{"phone too many digits", "phone", "account.phone.invalid", func(in *account.RegisterInput) { in.Phone = "+7 701 123 45 67 89 012" }},
		{"empty password", "password", "account.field.required", func(in *account.RegisterInput) { in.Password = "" }},
		{"password too short", "password", "account.password.too_short", func(in *account.RegisterInput) { in.Password = "123456789" }},
		{"password too short in letters", "password", "account.password.too_short", func(in *account.RegisterInput) { in.Password = "әәәәәәәәә" }},
		{"password too long", "password", "account.password.too_long", func(in *account.RegisterInput) { in.Password = strings.Repeat("x", 129) }},
		{"password is the email", "password", "account.password.is_email", func(in *account.RegisterInput) { in.Password = "AIGUL.TEST@MAIL.KZ" }},
		{"password with control character", "password", "account.field.charset", func(in *account.RegisterInput) { in.Password = "correct\x07horse battery" }},
		{"consent not given", "accept", "account.accept.required", func(in *account.RegisterInput) { in.Accept = false }},
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		before := e.counts(t)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := validInput("aigul.test@mail.kz")
				c.edit(&in)
				called := false
				u, tok, err := e.s.Register(e.ctx, in, account.Meta{IP: "203.0.113.5"}, func(context.Context, *db.Tx, *account.User, *vault.UserKey) error {
					called = true
					return nil
				})
				wantErr(t, err, apperr.Invalid, c.field, c.key)
				if u != nil || tok != "" || called {
					t.Fatal("a refused registration returned a user or token, or ran onCreate")
				}
				if after := e.counts(t); !maps.Equal(before, after) {
					t.Fatalf("rows written by a refused registration: before %v after %v", before, after)
				}
			})
		}
	})
}

// An empty form reports every required field at once, so the teacher can
// fix the whole form in one go.
func TestRegisterReportsAllFields(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, _, err := e.s.Register(e.ctx, account.RegisterInput{}, account.Meta{}, nil)
		var fs apperr.Fields
		if !errors.As(err, &fs) {
			t.Fatalf("want apperr.Fields, got %v", err)
		}
		got := map[string]string{}
		for _, f := range fs {
			got[f.Field] = f.Key
		}
		want := map[string]string{
			"email": "account.field.required", "password": "account.field.required",
			"full_name": "account.field.required", "accept": "account.accept.required",
		}
		if !maps.Equal(got, want) {
			t.Fatalf("got %v want %v", got, want)
		}
		for _, f := range fs {
			if f.Key == "account.field.too_long" && len(f.Args) != 1 {
				t.Fatalf("too_long without its limit: %v", f)
			}
		}
	})
}

// Inputs at the limits are accepted; text is trimmed and NFC-normalised.
func TestRegisterAcceptsLimitsAndNormalises(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		in := account.RegisterInput{
			Email:        "  " + strings.Repeat("a", 244) + "@mail.kz ", // 254 bytes once trimmed
			Password:     strings.Repeat("ә", 128),
			FullName:     "  И\u0306" + strings.Repeat("м", 199) + " ", // Й decomposed: 201 code points, 200 characters after NFC
			Organization: strings.Repeat("о", 200),
			Position:     strings.Repeat("п", 120),
			Region:       strings.Repeat("р", 120),
			Phone:        "+7 (701) 123-45-67-89-01", // 15 digits
			Locale:       "xx",                       // unknown: the default
			Accept:       true,
		}
		u, tok, err := e.s.Register(e.ctx, in, account.Meta{IP: freshIP()}, nil)
		if err != nil {
			t.Fatalf("register at the limits: %v", err)
		}
		if tok == "" {
			t.Fatal("no verification token")
		}
		got, err := e.s.Get(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Email.Reveal() != strings.TrimSpace(in.Email) {
			t.Error("email not trimmed")
		}
		if got.FullName.Reveal() != "\u0419"+strings.Repeat("м", 199) {
			t.Error("name not trimmed and NFC-normalised")
		}
		if got.Role != account.RoleUser || got.Status != account.StatusActive || got.EmailVerified || got.Locale != "kk" {
			t.Errorf("new user: role %s status %s verified %v locale %s", got.Role, got.Status, got.EmailVerified, got.Locale)
		}
		if _, _, _, err := e.s.Login(e.ctx, strings.ToUpper(strings.TrimSpace(in.Email)), in.Password, account.Meta{}); err != nil {
			t.Fatalf("login with the 128-character password and the address in capitals: %v", err)
		}
	})
}

// The same address in another letter case is a conflict on "email"
// (for the web to answer as for a new address and tell the owner), after
// the same hashing work as a new account; the message names no address,
// and nothing is written.
func TestRegisterDuplicateEmailOtherCase(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hashes := account.HashCount(e.s)
		e.register(t, "Aigul.Test@Mail.KZ")
		newWork := account.HashCount(e.s) - hashes
		before := e.counts(t)
		delete(before, "throttle") // the probe itself counts against the IP
		in := validInput("aigul.test@mail.kz")
		hashes = account.HashCount(e.s)
		_, _, err := e.s.Register(e.ctx, in, account.Meta{IP: freshIP()}, nil)
		wantErr(t, err, apperr.Conflict, "email", "account.email.taken")
		if !account.IsEmailTaken(err) {
			t.Errorf("IsEmailTaken does not recognise the answer")
		}
		if n := account.HashCount(e.s) - hashes; n != newWork || n != 1 {
			t.Errorf("a taken address cost %d hashes, a new one %d: the time tells them apart", n, newWork)
		}
		if strings.Contains(strings.ToLower(err.Error()), "aigul") {
			t.Fatal("the error text contains the address")
		}
		after := e.counts(t)
		delete(after, "throttle")
		if !maps.Equal(before, after) {
			t.Fatalf("rows written by a duplicate registration: before %v after %v", before, after)
		}
		u, err := e.s.FindByEmail(e.ctx, " AIGUL.test@mail.kz")
		if err != nil || u.Email.Reveal() != "Aigul.Test@Mail.KZ" {
			t.Fatalf("find by address in another case: %v", err)
		}
	})
}

// onCreate runs in the registration transaction: when it fails, the user
// is not created either.
func TestRegisterOnCreateSharesTransaction(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		boom := errors.New("consent store failed")
		_, _, err := e.s.Register(e.ctx, validInput("a@mail.kz"), account.Meta{IP: freshIP()}, func(ctx context.Context, tx *db.Tx, u *account.User, k *vault.UserKey) error {
			if k.Owner() != u.ID {
				t.Error("onCreate got another user's key")
			}
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = ?`, u.ID).Scan(&n); err != nil || n != 1 {
				t.Errorf("the user is not visible inside the transaction: %v", err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("want the onCreate error, got %v", err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM users`); n != 0 {
			t.Fatalf("%d users stored although onCreate failed", n)
		}
		if _, err := e.s.FindByEmail(e.ctx, "a@mail.kz"); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("want ErrNotFound, got %v", err)
		}
	})
}
