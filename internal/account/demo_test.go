package account_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

const demoPassword = "demo-password-2026"

// kazakhLetters are the Cyrillic letters Kazakh adds to Russian's.
const kazakhLetters = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"

// firstKazakhNamed is the smallest demo number up to max whose full name
// has a Kazakh letter (most have; the test needs one).
func firstKazakhNamed(t *testing.T, max int) int {
	t.Helper()
	for n := 1; n <= max; n++ {
		if strings.ContainsAny(account.DemoTeacher(n).Profile.FullName, kazakhLetters) {
			return n
		}
	}
	t.Fatalf("none of the first %d demo teachers has a Kazakh name", max)
	return 0
}

// Demo users are real users (clause 1.3 applies to them as to anyone):
// found through the blind index, decrypted with their own key, able to
// sign in with the demo password, and stored without plaintext.
func TestCreateDemoUsers(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var progress []int
		n, err := e.s.CreateDemoUsers(e.ctx, 50, demoPassword, func(done int) { progress = append(progress, done) })
		if err != nil {
			t.Fatal(err)
		}
		if n != 50 {
			t.Fatalf("created %d, want 50", n)
		}
		if len(progress) == 0 || progress[len(progress)-1] != 50 {
			t.Fatalf("progress reports %v, want it to end at 50", progress)
		}
		if got := e.count(t, `SELECT COUNT(*) FROM users WHERE status = ? AND role = ? AND email_verified_at > 0`, account.StatusActive, string(account.RoleUser)); got != 50 {
			t.Fatalf("%d active verified users, want 50", got)
		}
		if got := e.count(t, `SELECT COUNT(*) FROM user_keys`); got != 50 {
			t.Fatalf("%d data keys, want one per user (50)", got)
		}

		// #17 by its address, in another letter case.
		u, err := e.s.FindByEmail(e.ctx, strings.ToUpper(account.DemoEmail(17)))
		if err != nil {
			t.Fatalf("find demo 17: %v", err)
		}
		want := account.DemoTeacher(17)
		if u.Email.Reveal() != want.Email || u.FullName.Reveal() != want.Profile.FullName ||
			u.Organization.Reveal() != want.Profile.Organization || u.Region.Reveal() != want.Profile.Region ||
			u.Phone.Reveal() != want.Profile.Phone || u.Locale != want.Locale || !u.EmailVerified {
			t.Fatal("demo 17 does not come back as generated")
		}

		// A Kazakh name decrypts to the same letters.
		k := firstKazakhNamed(t, 50)
		kz, err := e.s.FindByEmail(e.ctx, account.DemoEmail(k))
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Get(e.ctx, kz.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FullName.Reveal() != account.DemoTeacher(k).Profile.FullName || !strings.ContainsAny(got.FullName.Reveal(), kazakhLetters) {
			t.Fatalf("demo %d: the Kazakh name does not decrypt to what was generated", k)
		}

		// The demo password signs in; another one does not.
		if _, _, _, err := e.s.Login(e.ctx, account.DemoEmail(33), demoPassword, account.Meta{IP: freshIP()}); err != nil {
			t.Fatalf("login as demo 33: %v", err)
		}
		_, _, _, err = e.s.Login(e.ctx, account.DemoEmail(33), "not-the-demo-password", account.Meta{IP: freshIP()})
		wantErr(t, err, apperr.Unauthorized, "", "account.login.failed")

		// No plaintext in any cell of users.
		var needles [][]byte
		for i := 1; i <= 50; i++ {
			tc := account.DemoTeacher(i)
			needles = append(needles, []byte(tc.Email), []byte(tc.Profile.FullName), []byte(tc.Profile.Phone))
			for _, part := range strings.Fields(tc.Profile.FullName) {
				needles = append(needles, []byte(part))
			}
		}
		needles = append(needles, []byte("жалпы білім"), []byte("мұғалімі"), []byte("облысы"), []byte("demo.smartustaz.kz"))
		rows, err := d.Query(e.ctx, `SELECT id, role, status, email_bidx, email_enc, full_name_enc, organization_enc,
			position_enc, region_enc, phone_enc, password_hash, locale FROM users`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		seen := 0
		for rows.Next() {
			cells := make([][]byte, 12)
			ptrs := make([]any, len(cells))
			for i := range cells {
				ptrs[i] = &cells[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, c := range cells {
				for _, nd := range needles {
					if bytes.Contains(c, nd) {
						t.Fatal("a personal value of a demo user is stored in plaintext in users") // the value itself is not printed
					}
				}
			}
			seen++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if seen != 50 {
			t.Fatalf("scanned %d rows, want 50", seen)
		}
	})
}

// A second run continues the numbering instead of failing on the first
// address already taken.
func TestCreateDemoUsersContinuesNumbering(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		if c, err := e.s.DemoCount(e.ctx); err != nil || c != 0 {
			t.Fatalf("demo count of an empty database: %d, %v", c, err)
		}
		for _, n := range []int{3, 4} {
			if got, err := e.s.CreateDemoUsers(e.ctx, n, demoPassword, nil); err != nil || got != n {
				t.Fatalf("create %d: got %d, %v", n, got, err)
			}
		}
		for i := 1; i <= 7; i++ {
			u, err := e.s.FindByEmail(e.ctx, account.DemoEmail(i))
			if err != nil {
				t.Fatalf("demo %d: %v", i, err)
			}
			if u.FullName.Reveal() != account.DemoTeacher(i).Profile.FullName {
				t.Fatalf("demo %d has another teacher's name", i)
			}
		}
		if _, err := e.s.FindByEmail(e.ctx, account.DemoEmail(8)); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("demo 8: want not found, got %v", err)
		}
		if c, err := e.s.DemoCount(e.ctx); err != nil || c != 7 {
			t.Fatalf("demo count: %d, %v; want 7", c, err)
		}
	})
}

// A password the registration form would refuse is refused here too, and
// nothing is written.
func TestCreateDemoUsersRefusesWeakPassword(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		n, err := e.s.CreateDemoUsers(e.ctx, 5, "short", nil)
		if n != 0 {
			t.Fatalf("created %d users with a refused password", n)
		}
		wantErr(t, err, apperr.Invalid, account.FieldPassword, "account.password.too_short")
		if got := e.count(t, `SELECT COUNT(*) FROM users`); got != 0 {
			t.Fatalf("%d users written", got)
		}
	})
}

// The generated data looks like what teachers type: valid for the profile
// form, Kazakh-language profiles in Kazakh letters, every region used.
func TestDemoTeacherData(t *testing.T) {
	const n = 2000
	regions := map[string]bool{}
	kk, ru, kkLetters := 0, 0, 0
	for i := 1; i <= n; i++ {
		tc := account.DemoTeacher(i)
		if tc != account.DemoTeacher(i) {
			t.Fatalf("demo %d differs between two calls", i)
		}
		if !strings.HasPrefix(tc.Profile.Phone, "+7 (7") || len(tc.Profile.Phone) != len("+7 (701) 123-45-67") {
			t.Fatalf("demo %d: phone is not a Kazakh mobile number in the form +7 (7xx) xxx-xx-xx", i)
		}
		if len(strings.Fields(tc.Profile.FullName)) != 3 {
			t.Fatalf("demo %d: want surname, given name and patronymic", i)
		}
		// Latin look-alikes (i, ə) in Kazakh text are a classic typo.
		if strings.ContainsAny(tc.Profile.FullName+tc.Profile.Organization+tc.Profile.Position+tc.Profile.Region, "ijəIJƏ") {
			t.Fatalf("demo %d: Latin letters in Cyrillic text", i)
		}
		text := strings.ToLower(tc.Profile.Organization + " " + tc.Profile.Position + " " + tc.Profile.Region)
		switch tc.Locale {
		case "kk":
			kk++
			if strings.ContainsAny(text, kazakhLetters) {
				kkLetters++
			}
			if strings.Contains(text, "учитель") || strings.Contains(text, "школа") || strings.Contains(text, "область") {
				t.Fatalf("demo %d: Russian words in a Kazakh-language profile", i)
			}
		case "ru":
			ru++
			if strings.Contains(text, "мұғалім") || strings.Contains(text, "мектеп") || strings.Contains(text, "облысы") {
				t.Fatalf("demo %d: Kazakh words in a Russian-language profile", i)
			}
		default:
			t.Fatalf("demo %d: locale %q", i, tc.Locale)
		}
		regions[tc.Profile.Region] = true
	}
	if kkLetters < kk*9/10 {
		t.Fatalf("only %d of %d Kazakh-language profiles have a Kazakh letter", kkLetters, kk)
	}
	if kk < n/2 || ru < n/10 {
		t.Fatalf("kk %d, ru %d of %d: want mostly Kazakh with a good share of Russian", kk, ru, n)
	}
	if len(regions) != 40 { // 17 regions and 3 cities, in Kazakh and in Russian
		t.Fatalf("%d distinct regions used, want 40", len(regions))
	}
}

// An address already taken by a real user (here demo-5, registered by hand
// before any demo user exists) stops the run with Conflict after the
// retries meant for id collisions, and its batch is not written.
func TestCreateDemoUsersTakenAddress(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.register(t, account.DemoEmail(5))
		n, err := e.s.CreateDemoUsers(e.ctx, 10, demoPassword, nil)
		if n != 0 || apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("created %d, err %v; want 0 and Conflict", n, err)
		}
		if got := e.count(t, `SELECT COUNT(*) FROM users`); got != 1 {
			t.Fatalf("%d users, want only the registered one", got)
		}
	})
}
