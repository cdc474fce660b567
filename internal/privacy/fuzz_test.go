package privacy_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/smartustaz/smartustaz/internal/privacy"
)

// FuzzParseReceipt: whatever is pasted into /consent/verify, the parser
// returns a receipt or ErrMalformed, never panics.
func FuzzParseReceipt(f *testing.F) {
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	s, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: priv},
		(&jose.SignerOptions{}).WithType(privacy.ReceiptType).WithHeader("kid", "k1"))
	obj, _ := s.Sign([]byte(`{"version":"KI-CR-v1.1.0","consentReceiptID":"x"}`))
	good, _ := obj.CompactSerialize()
	for _, seed := range []string{good, "", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "eyJhbGciOiJFZERTQSJ9..", good + "x", " " + good + "\n"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := privacy.ParseReceipt(text)
		if err != nil {
			if err != privacy.ErrMalformed {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		if p.KID == "" {
			t.Fatal("parsed without a key id")
		}
		_, _ = privacy.VerifyWithKey(p, priv.Public().(ed25519.PublicKey))
	})
}
