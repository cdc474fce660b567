package vault_test

import (
	"context"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

var profile = []struct{ col, val string }{
	{"email", "aigerim.satbayeva@mektep12.edu.kz"}, {"full_name", "Айгерім Сәтбаева Нұрланқызы"},
	{"organization", "№12 жалпы білім беретін мектеп, Шымкент"}, {"position", "математика пәнінің мұғалімі"},
	{"region", "Түркістан облысы"}, {"phone", "+7 701 555 19 77"},
}

func benchKey(b *testing.B) (*vault.UserKey, int64) {
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
	return k, id
}

// BenchmarkSealProfile encrypts the six confidential fields of a profile.
func BenchmarkSealProfile(b *testing.B) {
	k, id := benchKey(b)
	for b.Loop() {
		for _, f := range profile {
			k.Seal(vault.Field{Table: "users", Column: f.col, Row: id}, f.val)
		}
	}
}

// BenchmarkOpenProfile decrypts the six fields with the data key in
// memory (the target: under 5 µs).
func BenchmarkOpenProfile(b *testing.B) {
	k, id := benchKey(b)
	cts := make([][]byte, len(profile))
	for i, f := range profile {
		cts[i] = k.Seal(vault.Field{Table: "users", Column: f.col, Row: id}, f.val)
	}
	for b.Loop() {
		for i, f := range profile {
			if _, err := k.Open(vault.Field{Table: "users", Column: f.col, Row: id}, cts[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkUnwrapUserKey is the cost of a data key not in the cache:
// read the wrapped key and unwrap it under the master key. It includes
// opening a fresh vault (reading the key file) each time, so it is an
// upper bound on a cache miss.
func BenchmarkUnwrapUserKey(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	dir := b.TempDir()
	v, _, _ := vault.Open(d, dir, func(string) string { return "" })
	ids := make([]int64, 1000)
	for i := range ids {
		ids[i] = db.NewID()
		v.NewUserKey(context.Background(), d, ids[i])
	}
	i := 0
	for b.Loop() {
		fresh, _, _ := vault.Open(d, dir, func(string) string { return "" }) // empty cache
		if _, err := fresh.UserKey(context.Background(), d, ids[i%len(ids)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkBlindIndex is the keyed hash of one normalised address.
func BenchmarkBlindIndex(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	v, _, _ := vault.Open(d, b.TempDir(), func(string) string { return "" })
	for b.Loop() {
		v.BlindIndex("email", vault.NormalizeEmail("Aigerim.Satbayeva@Mektep12.edu.kz"))
	}
}
