package account_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// No personal value is stored in plaintext (clause 1.3): after a user with
// distinctive values registers, signs in, edits the profile and asks for
// an address change and a password reset, no text or binary cell of any
// row of the account tables contains any of those values.
func TestNoPlaintextInDatabase(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		in := account.RegisterInput{
			Email: "Zhanar.Distinct7731@Example.kz", Password: "Qyzyl-Orda 7731 secret",
			FullName: "Жанар Ерекшеқызы", Organization: "Гимназия-7731 Ерекше", Position: "Физика-7731 оқытушысы",
			Region: "Ерекше-7731 ауданы", Phone: "+7 (777) 773-17-31", Accept: true,
		}
		u, _, err := e.s.Register(e.ctx, in, account.Meta{IP: "192.0.2.173"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		const ip, ua, newEmail = "192.0.2.177", "DistinctBrowser/7731 (Ерекше)", "Zhanar.Renamed7731@Example.kz"
		_, sess, _, err := e.s.Login(e.ctx, in.Email, in.Password, account.Meta{IP: ip, UserAgent: ua})
		if err != nil {
			t.Fatal(err)
		}
		m := account.Meta{ActorID: u.ID, SessionID: sess.ID, IP: ip, UserAgent: ua}
		p := account.Profile{FullName: "Жанар Өзгертілгенқызы", Organization: in.Organization, Position: in.Position, Region: in.Region, Phone: "+7 (700) 773-99-31"}
		if err := e.s.UpdateProfile(e.ctx, u.ID, p, m); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.RequestEmailChange(e.ctx, u.ID, newEmail, in.Password, m); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.s.RequestPasswordReset(e.ctx, in.Email, m); err != nil {
			t.Fatal(err)
		}
		_, _, _, _ = e.s.Login(e.ctx, in.Email, "wrong password 7731", account.Meta{IP: ip}) // a throttle row

		secrets := []string{in.Email, strings.ToLower(in.Email), newEmail, strings.ToLower(newEmail), in.Password,
			in.FullName, in.Organization, in.Position, in.Region, in.Phone, "77777317731", p.FullName, p.Phone,
			ip, "192.0.2.173", ua, "Ерекше", "Distinct7731", "7731"}
		rowsSeen := 0
		for _, table := range ownTables {
			rows, err := d.Query(e.ctx, "SELECT * FROM "+table)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				rowsSeen++
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					var cell []byte
					switch x := v.(type) {
					case []byte:
						cell = x
					case string:
						cell = []byte(x)
					default:
						continue // numbers: ids, times and counters are not personal
					}
					for j, s := range secrets {
						if bytes.Contains(bytes.ToLower(cell), bytes.ToLower([]byte(s))) {
							// Name the place and the secret's index, never the value.
							t.Errorf("%s.%s holds personal value #%d in plaintext", table, cols[i], j)
						}
					}
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			rows.Close()
		}
		if rowsSeen < 10 {
			t.Fatalf("only %d rows scanned: the scenario did not write what it should", rowsSeen)
		}
		for _, table := range []string{"users", "sessions", "tokens", "profile_changes", "throttle"} {
			if e.count(t, "SELECT COUNT(*) FROM "+table) == 0 {
				t.Fatalf("table %s is empty: the scan would prove nothing", table)
			}
		}
	})
}
