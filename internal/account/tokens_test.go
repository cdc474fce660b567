package account_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// Each kind of emailed link works once, and not after its lifetime.
func TestTokensSingleUseAndExpiry(t *testing.T) {
	type kind struct {
		name  string
		ttl   time.Duration
		issue func(t *testing.T, e *env, u *account.User, n int) string
		use   func(e *env, tok string, n int) error
	}
	kinds := []kind{
		{"verify_email", 48 * time.Hour,
			func(t *testing.T, e *env, u *account.User, n int) string {
				tok, err := e.s.NewVerification(e.ctx, u.ID)
				if err != nil {
					t.Fatal(err)
				}
				return tok
			},
			func(e *env, tok string, n int) error { _, err := e.s.VerifyEmail(e.ctx, tok); return err },
		},
		{"reset_password", time.Hour,
			func(t *testing.T, e *env, u *account.User, n int) string {
				got, tok, err := e.s.RequestPasswordReset(e.ctx, u.Email.Reveal(), account.Meta{IP: freshIP()})
				if err != nil || got == nil || got.ID != u.ID {
					t.Fatalf("request reset: %v", err)
				}
				return tok
			},
			func(e *env, tok string, n int) error {
				_, err := e.s.ResetPassword(e.ctx, tok, fmt.Sprintf("new password %d!", n), account.Meta{IP: freshIP()})
				return err
			},
		},
		{"change_email", 48 * time.Hour,
			func(t *testing.T, e *env, u *account.User, n int) string {
				tok, err := e.s.RequestEmailChange(e.ctx, u.ID, fmt.Sprintf("new%d@mail.kz", n), goodPassword, account.Meta{IP: freshIP()})
				if err != nil {
					t.Fatalf("request email change: %v", err)
				}
				return tok
			},
			func(e *env, tok string, n int) error {
				_, _, err := e.s.ConfirmEmailChange(e.ctx, tok, account.Meta{})
				return err
			},
		},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			dbtest.Engines(t, func(t *testing.T, d *db.DB) {
				e := newEnv(t, d)
				u, _ := e.register(t, "teacher@mail.kz")

				tok := k.issue(t, e, u, 1)
				e.clk.Add(k.ttl - time.Second)
				if err := k.use(e, tok, 1); err != nil {
					t.Fatalf("first use within the lifetime: %v", err)
				}
				wantErr(t, k.use(e, tok, 2), apperr.Gone, "", "account.token.invalid")

				// A fresh user for the expiry half (the first one is verified now).
				u, _ = e.register(t, "second@mail.kz")
				tok = k.issue(t, e, u, 3)
				e.clk.Add(k.ttl)
				wantErr(t, k.use(e, tok, 3), apperr.Gone, "", "account.token.expired")

				wantErr(t, k.use(e, "made-up-token", 4), apperr.Gone, "", "account.token.invalid")
				wantErr(t, k.use(e, "", 5), apperr.Gone, "", "account.token.invalid")
			})
		})
	}
}

// A link made for one purpose does not work for another.
func TestTokenPurposeBound(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, verify := e.register(t, "teacher@mail.kz")
		_, reset, err := e.s.RequestPasswordReset(e.ctx, "teacher@mail.kz", account.Meta{IP: freshIP()})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.s.ResetPassword(e.ctx, verify, "another password 1", account.Meta{})
		wantErr(t, err, apperr.Gone, "", "account.token.invalid")
		_, err = e.s.VerifyEmail(e.ctx, reset)
		wantErr(t, err, apperr.Gone, "", "account.token.invalid")
		_, _, err = e.s.ConfirmEmailChange(e.ctx, reset, account.Meta{})
		wantErr(t, err, apperr.Gone, "", "account.token.invalid")
		got, err := e.s.VerifyEmail(e.ctx, verify)
		if err != nil || !got.EmailVerified || got.ID != u.ID {
			t.Fatalf("verify: %v", err)
		}
		_, err = e.s.NewVerification(e.ctx, u.ID)
		wantErr(t, err, apperr.Conflict, "", "account.email.already_verified")
		ch, _ := e.s.Changes(e.ctx, u.ID)
		if len(ch) != 1 || ch[0].Field != account.ChangeEmailVerified || ch[0].ActorID != u.ID || ch[0].New.Reveal() != "true" {
			t.Fatalf("verification not recorded as the user's change: %+v", ch)
		}
	})
}

// Password reset: an unknown address answers like a known one (no user,
// no token, no error); a new link supersedes the old one; a form mistake
// does not use up the link; the reset ends every session and verifies the
// address.
func TestPasswordReset(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "teacher@mail.kz")
		_, _, session := e.login(t, "teacher@mail.kz", goodPassword)

		nu, ntok, err := e.s.RequestPasswordReset(e.ctx, "nobody@mail.kz", account.Meta{IP: freshIP()})
		if err != nil || nu != nil || ntok != "" {
			t.Fatalf("unknown address: user %v token %v err %v", nu != nil, ntok != "", err)
		}
		_, old, err := e.s.RequestPasswordReset(e.ctx, "TEACHER@mail.kz", account.Meta{IP: freshIP()})
		if err != nil {
			t.Fatal(err)
		}
		_, tok, err := e.s.RequestPasswordReset(e.ctx, "teacher@mail.kz", account.Meta{IP: freshIP()})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.s.ResetPassword(e.ctx, old, "brand new password", account.Meta{})
		wantErr(t, err, apperr.Gone, "", "account.token.invalid")

		_, err = e.s.ResetPassword(e.ctx, tok, "short", account.Meta{})
		wantErr(t, err, apperr.Invalid, "password", "account.password.too_short")
		_, err = e.s.ResetPassword(e.ctx, tok, "Teacher@Mail.kz", account.Meta{})
		wantErr(t, err, apperr.Invalid, "password", "account.password.is_email")
		got, err := e.s.ResetPassword(e.ctx, tok, "brand new password", account.Meta{IP: freshIP()})
		if err != nil {
			t.Fatalf("reset after a form mistake: %v", err)
		}
		if !got.EmailVerified {
			t.Fatal("the reset link reached the mailbox but the address is not verified")
		}
		_, _, err = e.s.Authenticate(e.ctx, session)
		wantErr(t, err, apperr.Unauthorized, "", "account.session.invalid")
		_, _, _, err = e.s.Login(e.ctx, "teacher@mail.kz", goodPassword, account.Meta{IP: freshIP()})
		wantErr(t, err, apperr.Unauthorized, "", "account.login.failed")
		e.login(t, "teacher@mail.kz", "brand new password")

		ch, _ := e.s.Changes(e.ctx, u.ID)
		fields := map[string]account.Change{}
		for _, c := range ch {
			fields[c.Field] = c
		}
		pw, ok := fields[account.ChangePassword]
		if !ok || pw.ActorID != u.ID || !pw.Old.IsZero() || !pw.New.IsZero() {
			t.Fatalf("password change not recorded for the user without values: %+v", ch)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM profile_changes WHERE field = ? AND (old_enc IS NOT NULL OR new_enc IS NOT NULL)`, account.ChangePassword); n != 0 {
			t.Fatal("a password change stored values")
		}
	})
}

// Reset requests are throttled per IP (and per address) after five.
func TestPasswordResetThrottled(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.register(t, "teacher@mail.kz")
		const ip = "203.0.113.40"
		for i := range 6 {
			if _, _, err := e.s.RequestPasswordReset(e.ctx, fmt.Sprintf("t%d@mail.kz", i), account.Meta{IP: ip}); err != nil {
				t.Fatalf("request %d: %v", i+1, err)
			}
		}
		_, _, err := e.s.RequestPasswordReset(e.ctx, "teacher@mail.kz", account.Meta{IP: ip})
		wantErr(t, err, apperr.TooMany, "", "account.throttled")
		e.clk.Add(2 * time.Second)
		if _, tok, err := e.s.RequestPasswordReset(e.ctx, "teacher@mail.kz", account.Meta{IP: ip}); err != nil || tok == "" {
			t.Fatalf("after the block: %v", err)
		}
	})
}

// Registration attempts are throttled per IP.
func TestRegisterThrottled(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		const ip = "203.0.113.41"
		// A staff room behind one school address registers freely…
		for i := range account.RegisterFreePerIP + 1 {
			if _, _, err := e.s.Register(e.ctx, validInput(fmt.Sprintf("t%d@mail.kz", i)), account.Meta{IP: ip}, nil); err != nil {
				t.Fatalf("registration %d: %v", i+1, err)
			}
		}
		// …but the next beyond the allowance waits.
		before := account.HashCount(e.s)
		_, _, err := e.s.Register(e.ctx, validInput("one-more@mail.kz"), account.Meta{IP: ip}, nil)
		wantErr(t, err, apperr.TooMany, "", "account.throttled")
		if account.HashCount(e.s) != before {
			t.Fatal("a throttled registration hashed its password")
		}
		e.clk.Add(2 * time.Second)
		if _, _, err := e.s.Register(e.ctx, validInput("one-more@mail.kz"), account.Meta{IP: ip}, nil); err != nil {
			t.Fatalf("after the block: %v", err)
		}
	})
}
