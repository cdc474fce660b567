package account_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// benchEngines runs a benchmark on SQLite and PostgreSQL (the latter is
// skipped by dbtest when no server is reachable).
func benchEngines(b *testing.B, fn func(b *testing.B, s *account.Service, v *vault.Vault, d *db.DB)) {
	for _, eng := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(string(eng), func(b *testing.B) {
			d := dbtest.Open(b, eng)
			v, _, err := vault.Open(d, b.TempDir(), func(string) string { return "" })
			if err != nil {
				b.Fatal(err)
			}
			// Real argon2id parameters (the defaults), real clock.
			fn(b, account.New(d, v, account.Options{}), v, d)
		})
	}
}

func benchRegister(b *testing.B, s *account.Service, email string) *account.User {
	b.Helper()
	in := validInput(email)
	u, _, err := s.Register(context.Background(), in, account.Meta{IP: freshIP()}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return u
}

// BenchmarkLogin is one successful sign-in: blind-index lookup, one
// argon2id verification, a new session with sealed IP and browser.
func BenchmarkLogin(b *testing.B) {
	benchEngines(b, func(b *testing.B, s *account.Service, _ *vault.Vault, _ *db.DB) {
		benchRegister(b, s, "bench@mail.kz")
		ctx := context.Background()
		for b.Loop() {
			if _, _, _, err := s.Login(ctx, "bench@mail.kz", goodPassword, account.Meta{IP: "192.0.2.1", UserAgent: "bench"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRegister is one registration: validation, one argon2id hash,
// a new data key, six sealed fields and a verification token.
func BenchmarkRegister(b *testing.B) {
	benchEngines(b, func(b *testing.B, s *account.Service, _ *vault.Vault, _ *db.DB) {
		i := 0
		for b.Loop() {
			i++
			benchRegister(b, s, fmt.Sprintf("bench%d@mail.kz", i))
		}
	})
}

// BenchmarkProfileDecrypt is Get of a user whose data key is cached: one
// row read and six fields opened.
func BenchmarkProfileDecrypt(b *testing.B) {
	benchEngines(b, func(b *testing.B, s *account.Service, _ *vault.Vault, _ *db.DB) {
		u := benchRegister(b, s, "bench@mail.kz")
		ctx := context.Background()
		for b.Loop() {
			if _, err := s.Get(ctx, u.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkOpenProfileFields is only the decryption part of Get: the six
// personal fields opened with a UserKey, no database.
func BenchmarkOpenProfileFields(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	v, _, err := vault.Open(d, b.TempDir(), func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	id := db.NewID()
	k, err := v.NewUserKey(context.Background(), d, id)
	if err != nil {
		b.Fatal(err)
	}
	in := validInput("bench@mail.kz")
	cols := []string{"email_enc", "full_name_enc", "organization_enc", "position_enc", "region_enc", "phone_enc"}
	vals := []string{in.Email, in.FullName, in.Organization, in.Position, in.Region, in.Phone}
	cts := make([][]byte, len(cols))
	for i, c := range cols {
		cts[i] = k.Seal(vault.Field{Table: "users", Column: c, Row: id}, vals[i])
	}
	for b.Loop() {
		for i, c := range cols {
			if _, err := k.Open(vault.Field{Table: "users", Column: c, Row: id}, cts[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkFindByEmail is a lookup through the blind index among 1000
// users, with decryption of the one found.
func BenchmarkFindByEmail(b *testing.B) {
	benchEngines(b, func(b *testing.B, s *account.Service, v *vault.Vault, d *db.DB) {
		ctx := context.Background()
		// Fill with rows directly (hashing 1000 passwords would dominate
		// the setup); the lookup only reads email_bidx.
		for i := range 1000 {
			id := db.NewID()
			if _, err := d.Exec(ctx, `INSERT INTO users (id, email_bidx, created_at, updated_at) VALUES (?, ?, 1, 1)`,
				id, v.BlindIndex("email", fmt.Sprintf("filler%d@mail.kz", i))); err != nil {
				b.Fatal(err)
			}
		}
		benchRegister(b, s, "Bench@Mail.kz")
		for b.Loop() {
			if _, err := s.FindByEmail(ctx, "bench@mail.kz"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
