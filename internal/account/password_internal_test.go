package account

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Hashes are argon2id in PHC form with at least the OWASP parameters, a
// 16-byte salt and a 32-byte key (clause 2.1); weaker options are raised.
func TestHashFormat(t *testing.T) {
	h := newHasher(hashParams{memory: minMemory, time: minTime, threads: 1}, 1, func() {})
	enc, err := h.hash(context.Background(), "Alma-Ata 1854 spring")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected prefix in %s", strings.Join(strings.Split(enc, "$")[:4], "$"))
	}
	parts := strings.Split(enc, "$")
	salt, _ := base64.RawStdEncoding.DecodeString(parts[4])
	key, _ := base64.RawStdEncoding.DecodeString(parts[5])
	if len(salt) != 16 || len(key) != 32 {
		t.Fatalf("salt %d bytes, key %d bytes", len(salt), len(key))
	}
	again, _ := h.hash(context.Background(), "Alma-Ata 1854 spring")
	if again == enc {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, c := range []struct {
		pw   string
		want bool
	}{{"Alma-Ata 1854 spring", true}, {"alma-ata 1854 spring", false}, {"Alma-Ata 1854 spring ", false}, {"", false}} {
		ok, rehash, err := h.verify(context.Background(), c.pw, enc)
		if err != nil || ok != c.want || rehash {
			t.Fatalf("verify: ok %v want %v, rehash %v, err %v", ok, c.want, rehash, err)
		}
	}
	// Composed and decomposed letters are the same password.
	enc2, _ := h.hash(context.Background(), "\u0439 password 1")                          // й as one code point
	if ok, _, _ := h.verify(context.Background(), "\u0438\u0306 password 1", enc2); !ok { // и + combining breve
		t.Fatal("the same password typed with a decomposed letter does not verify")
	}
	s := New(nil, nil, Options{Memory: 1024, Time: 1})
	if s.pw.p.memory != minMemory || s.pw.p.time != minTime || s.pw.p.threads != 1 {
		t.Fatalf("weak options were not raised: %+v", s.pw.p)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5"} {
		if ok, _, err := h.verify(context.Background(), "x", bad); ok || !errors.Is(err, errBadHash) {
			t.Fatalf("malformed hash accepted: ok %v err %v", ok, err)
		}
	}
}

// A hash made with lower parameters still verifies (they are read from
// the stored string), and a successful login upgrades it.
func TestLoginUpgradesWeakHash(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		s := New(d, v, Options{})
		u, _, err := s.Register(ctx, RegisterInput{Email: "t@mail.kz", Password: "old weak hash 1", FullName: "Айгүл", Accept: true}, Meta{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		weak := newHasher(hashParams{memory: 4096, time: 1, threads: 1}, 1, func() {})
		enc, _ := weak.hash(ctx, "old weak hash 1")
		if _, err := d.Exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, enc, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := s.Login(ctx, "t@mail.kz", "old weak hash 1", Meta{}); err != nil {
			t.Fatalf("login with a weaker stored hash: %v", err)
		}
		var stored string
		d.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&stored)
		if !strings.HasPrefix(stored, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Fatal("weak hash not upgraded after login")
		}
		if _, _, _, err := s.Login(ctx, "t@mail.kz", "old weak hash 1", Meta{}); err != nil {
			t.Fatalf("login after the upgrade: %v", err)
		}
	})
}

// Waiting for a hashing slot gives up when the request is cancelled.
func TestHashSlotsBounded(t *testing.T) {
	h := newHasher(hashParams{memory: minMemory, time: minTime, threads: 1}, 1, func() {})
	if err := h.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.hash(ctx, "any password 1"); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled while all slots are busy, got %v", err)
	}
	h.release()
	if _, err := h.hash(context.Background(), "any password 1"); err != nil {
		t.Fatal(err)
	}
}

// The block after the n-th failure: none for the first five, then
// doubling from 2 seconds, never more than 15 minutes.
func TestBlockFor(t *testing.T) {
	for n, want := range map[int]time.Duration{
		1: 0, 5: 0, 6: 2 * time.Second, 7: 4 * time.Second, 10: 32 * time.Second,
		14: 512 * time.Second, 15: 15 * time.Minute, 16: 15 * time.Minute, 1000: 15 * time.Minute,
	} {
		if got := blockFor(n, freeFailures); got != want {
			t.Errorf("blockFor(%d) = %s, want %s", n, got, want)
		}
	}
}
