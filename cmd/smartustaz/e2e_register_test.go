package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// personalTables are the tables a registration writes to; a refused
// registration must leave every one of them as it was.
var personalTables = []string{"users", "user_keys", "sessions", "tokens", "profile_changes", "acceptances"}

func rowCounts(t *testing.T, srv *testServer) map[string]int {
	t.Helper()
	d := openDB(t, srv)
	out := map[string]int{}
	for _, tb := range personalTables {
		out[tb] = count(t, d, "SELECT COUNT(*) FROM "+tb)
	}
	return out
}

// TestE2ERegisterRefusals sends every kind of bad registration in each of
// the three languages and checks what the teacher sees — the status and
// the error next to the right field, in the language of the request — and
// that nothing was stored and no email sent (clause 2.2: the data a user
// gives is checked; clause 1.3: nothing half-stored).
func TestE2ERegisterRefusals(t *testing.T) {
	type tc struct {
		name   string
		edit   func(f url.Values)
		field  string
		key    string
		args   []any
		status int
	}
	set := func(k, v string) func(url.Values) { return func(f url.Values) { f.Set(k, v) } }
	cases := []tc{
		{"empty email", set("email", ""), "email", "account.field.required", nil, 422},
		{"blank email", set("email", "   "), "email", "account.field.required", nil, 422},
		{"empty password", set("password", ""), "password", "account.field.required", nil, 422},
		{"empty full name", set("full_name", ""), "full_name", "account.field.required", nil, 422},
		{"missing accept", func(f url.Values) { f.Del("accept") }, "accept", "account.accept.required", nil, 422},
		{"email 255 bytes", set("email", strings.Repeat("a", 243)+"@example.com"), "email", "account.field.too_long", []any{254}, 422},
		{"full name 201 characters", set("full_name", strings.Repeat("ә", 201)), "full_name", "account.field.too_long", []any{200}, 422},
		{"organization 201 characters", set("organization", strings.Repeat("Ұ", 201)), "organization", "account.field.too_long", []any{200}, 422},
		{"position 121 characters", set("position", strings.Repeat("ө", 121)), "position", "account.field.too_long", []any{120}, 422},
		{"region 121 characters", set("region", strings.Repeat("қ", 121)), "region", "account.field.too_long", []any{120}, 422},
		{"email without @", set("email", "aigerim.mektep.kz"), "email", "account.email.invalid", nil, 422},
		{"email without dotted domain", set("email", "aigerim@mektep"), "email", "account.email.invalid", nil, 422},
		{"email with display name", set("email", "Aigerim <aigerim@mektep.kz>"), "email", "account.email.invalid", nil, 422},
		{"email with two @", set("email", "a@b@mektep.kz"), "email", "account.email.invalid", nil, 422},
		{"invalid UTF-8 in full name", set("full_name", "Айгер\xffім"), "full_name", "account.field.charset", nil, 422},
		{"invalid UTF-8 in email", set("email", "aig\xfe\xffrim@mektep.kz"), "email", "account.field.charset", nil, 422},
		{"NUL in organization", set("organization", "Мектеп\x00№5"), "organization", "account.field.charset", nil, 422},
		{"line break in full name", set("full_name", "Айгерім\nСәтбаева"), "full_name", "account.field.charset", nil, 422},
		{"bell in region", set("region", "Алматы\aоблысы"), "region", "account.field.charset", nil, 422},
		{"bidi override in position", set("position", "мұғалім\u202eтік"), "position", "account.field.charset", nil, 422},
		{"password too short", set("password", "Қысқа-1"), "password", "account.password.too_short", []any{10}, 422},
		{"password is the email", func(f url.Values) { f.Set("password", strings.ToUpper(f.Get("email"))) }, "password", "account.password.is_email", nil, 422},
		{"phone with letters", set("phone", "+7 701 ABC 19 77"), "phone", "account.phone.invalid", nil, 422},
		{"phone too few digits", set("phone", "12-34-56"), "phone", "account.phone.invalid", nil, 422},
		{"phone 33 characters", set("phone", strings.Repeat("1", 33)), "phone", "account.field.too_long", []any{32}, 422},
	}
	eachEngine(t, func(t *testing.T, srv *testServer) {
		// An address that already has an account is not refused: see
		// TestE2ERegisterExistingAddress.
		before := rowCounts(t, srv)
		mails := len(srv.outbox(t))
		for _, c := range cases {
			for _, lang := range i18n.Langs {
				t.Run(c.name+"/"+string(lang), func(t *testing.T) {
					p := newPerson("bad")
					f := p.form()
					c.edit(f)
					cl := newClient(t, srv)
					cl.Lang = string(lang)
					r := cl.post("/register", f)
					wantStatus(t, "register", r, c.status)
					want := i18n.T(lang, c.key, c.args...)
					if got := fieldErrors(r)[c.field]; got != want {
						t.Errorf("error next to %q = %q, want %q", c.field, got, want)
					}
					if got, want := pageError(r), i18n.T(lang, "web.form.fix"); got != want {
						t.Errorf("page error = %q, want %q", got, want)
					}
					if !strings.Contains(r.Body, `<html lang="`+string(lang)+`">`) {
						t.Errorf("page is not marked as language %s", lang)
					}
					// The form comes back filled in, but never with the password.
					if strings.Contains(r.Body, p.Password) {
						t.Errorf("the refused form echoes the password back")
					}
				})
			}
		}
		if after := rowCounts(t, srv); !equalCounts(before, after) {
			t.Errorf("refused registrations wrote rows: before %v, after %v", before, after)
		}
		if n := len(srv.outbox(t)); n != mails {
			t.Errorf("refused registrations sent %d emails", n-mails)
		}
	})
}

func equalCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

// TestE2ERegisterValid registers one teacher per language: 201, a page
// in that language, one verification email whose decoded subject is in
// that language (Kazakh by default), one user row with a data key, and
// the acceptance of both documents recorded with the account (clause P.3).
func TestE2ERegisterValid(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		d := openDB(t, srv)
		for _, lang := range i18n.Langs {
			t.Run(string(lang), func(t *testing.T) {
				users := count(t, d, "SELECT COUNT(*) FROM users")
				mails := len(srv.outbox(t))
				p := newPerson("valid")
				c := newClient(t, srv)
				c.Lang = string(lang)
				r := c.register(p)
				wantStatus(t, "register", r, http.StatusCreated)
				wantText(t, "register", r, i18n.T(lang, "web.register.done"))
				if n := count(t, d, "SELECT COUNT(*) FROM users"); n != users+1 {
					t.Errorf("users: %d rows, want %d", n, users+1)
				}
				if n := len(srv.outbox(t)); n != mails+1 {
					t.Fatalf("outbox: %d new messages, want 1", n-mails)
				}
				ms := mailsTo(t, srv, p.Email)
				if len(ms) != 1 {
					t.Fatalf("%d messages to the new user, want 1", len(ms))
				}
				m := ms[0]
				if want := i18n.T(lang, "mail.verify.subject"); m.Subject != want {
					t.Errorf("decoded subject = %q, want %q", m.Subject, want)
				}
				if m.Lang != string(lang) {
					t.Errorf("Content-Language = %q, want %q", m.Lang, lang)
				}
				if !strings.Contains(m.Text, i18n.T(lang, "mail.verify.body")) {
					t.Errorf("text part does not carry the %s body", lang)
				}
				if !strings.HasPrefix(m.Link, srv.URL+"/verify?token=") {
					t.Errorf("the link does not lead to /verify on this site")
				}
				// The account keeps the language it was made in (its email
				// language), and both documents are accepted.
				c.mustLogin(p.Email, p.Password)
				x := c.export()
				if x.Profile.Language != string(lang) {
					t.Errorf("account language = %q, want %q", x.Profile.Language, lang)
				}
				if len(x.Consents) != 2 {
					t.Errorf("%d acceptances recorded at registration, want 2", len(x.Consents))
				}
			})
		}
	})
}
