package certificate

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// sample is a certificate with Kazakh letters in every text field.
func sample() Fields {
	return Fields{
		Number:      "SU-2026-7K4M-9QXD",
		AuthorName:  "Әлия Қанатқызы Нұрғалиева",
		Title:       "Қазақ тілі: әріптер мен дыбыстар (1-сынып)",
		MaterialURL: "https://smartustaz.kz/materials/4242-qazaq-tili",
		VerifyURL:   "https://smartustaz.kz/verify/SU-2026-7K4M-9QXD",
		IssuedAt:    time.Date(2026, 3, 15, 18, 30, 5, 0, time.UTC),
		Lang:        i18n.KK,
	}
}

// mutations change one signed field each.
var mutations = []struct {
	name string
	edit func(*Fields)
}{
	{"number", func(f *Fields) { f.Number = "SU-2026-7K4M-9QXE" }},
	{"author name", func(f *Fields) { f.AuthorName = "Әлия Қанатқызы Нұрғалиев" }},
	{"title", func(f *Fields) {
		f.Title = "Қазақ тілі: әріптер мен дыбыстар (2-сынып)"
	}},
	{"material URL", func(f *Fields) { f.MaterialURL = "https://smartustaz.kz/materials/4243-qazaq-tili" }},
	{"issued a second later", func(f *Fields) { f.IssuedAt = f.IssuedAt.Add(time.Second) }},
	{"issued a year later", func(f *Fields) { f.IssuedAt = f.IssuedAt.AddDate(1, 0, 0) }},
	{"language", func(f *Fields) { f.Lang = i18n.RU }},
	// Without length prefixes these two would encode alike.
	{"text moved from title to name", func(f *Fields) {
		f.AuthorName += "Қазақ"
		f.Title = strings.TrimPrefix(f.Title, "Қазақ")
	}},
}

// splitPayload reads the length-prefixed parts back, as a second
// implementation of the documented format would.
func splitPayload(t *testing.T, b []byte) []string {
	t.Helper()
	var parts []string
	for len(b) > 0 {
		if len(b) < 8 {
			t.Fatalf("payload: %d stray bytes at the end", len(b))
		}
		n := binary.BigEndian.Uint64(b)
		b = b[8:]
		if uint64(len(b)) < n {
			t.Fatalf("payload: part of %d bytes, only %d left", n, len(b))
		}
		parts = append(parts, string(b[:n]))
		b = b[n:]
	}
	return parts
}

func TestPayloadFormat(t *testing.T) {
	f := sample()
	f.IssuedAt = time.Date(2026, 3, 16, 0, 30, 5, 999_000_000, time.FixedZone("Almaty", 6*3600))
	got := splitPayload(t, Payload(f))
	want := []string{
		"smartustaz-cert-v1",
		f.Number, f.AuthorName, f.Title, f.MaterialURL,
		"2026-03-15T18:30:05Z", // UTC, fraction dropped
		"kk",
	}
	if len(got) != len(want) {
		t.Fatalf("payload has %d parts, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("part %d differs from the documented format", i)
		}
	}
}

func TestPayloadDeterministic(t *testing.T) {
	a, b := sample(), sample()
	if !bytes.Equal(Payload(a), Payload(b)) {
		t.Fatal("equal fields give different payloads")
	}
	// The same instant in another zone or with a fraction of a second is
	// the same certificate: the store keeps milliseconds, the payload seconds.
	b.IssuedAt = a.IssuedAt.In(time.FixedZone("UTC+5", 5*3600)).Add(400 * time.Millisecond)
	if !bytes.Equal(Payload(a), Payload(b)) {
		t.Error("zone or sub-second part of IssuedAt changes the payload")
	}
	// VerifyURL is derived from the number and not signed.
	b = sample()
	b.VerifyURL = "https://example.org/verify/x"
	if !bytes.Equal(Payload(a), Payload(b)) {
		t.Error("VerifyURL changes the payload")
	}
}

func TestPayloadChangesWithEveryField(t *testing.T) {
	base := Payload(sample())
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			f := sample()
			m.edit(&f)
			if bytes.Equal(Payload(f), base) {
				t.Error("payload unchanged")
			}
		})
	}
}

func TestVerify(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	otherPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	f := sample()
	sig := ed25519.Sign(priv, Payload(f))
	if !Verify(pub, f, sig) {
		t.Fatal("a genuine signature does not verify")
	}
	for _, m := range mutations {
		t.Run("altered "+m.name, func(t *testing.T) {
			g := sample()
			m.edit(&g)
			if Verify(pub, g, sig) {
				t.Error("verifies after the field was altered")
			}
		})
	}
	flipped := bytes.Clone(sig)
	flipped[10] ^= 0x01
	bad := []struct {
		name string
		pub  ed25519.PublicKey
		sig  []byte
	}{
		{"signature bit flipped", pub, flipped},
		{"signature cut short", pub, sig[:63]},
		{"signature empty", pub, nil},
		{"signature too long", pub, append(bytes.Clone(sig), 0)},
		{"another key", otherPub, sig},
		{"no key", nil, sig},
		{"short key", pub[:31], sig},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			if Verify(c.pub, f, c.sig) {
				t.Error("verifies")
			}
		})
	}
}

func TestNewNumber(t *testing.T) {
	year := time.Now().UTC().Year()
	seen := map[string]bool{}
	used := map[rune]bool{}
	for range 5000 {
		n := NewNumber()
		if seen[n] {
			t.Fatalf("number repeated after %d draws", len(seen))
		}
		seen[n] = true
		parts := strings.Split(n, "-")
		if len(parts) != 4 || parts[0] != "SU" || parts[1] != strconv.Itoa(year) || len(parts[2]) != 4 || len(parts[3]) != 4 {
			t.Fatalf("number %q is not SU-YYYY-XXXX-XXXX for this year", n)
		}
		for _, c := range parts[2] + parts[3] {
			if !strings.ContainsRune(numberAlphabet, c) {
				t.Fatalf("number %q has %q, outside the alphabet", n, c)
			}
			used[c] = true
		}
		if norm, ok := NormalizeNumber(n); !ok || norm != n {
			t.Fatalf("NormalizeNumber(%q) = %q, %v", n, norm, ok)
		}
	}
	// 40,000 draws leave no character of 30 unused unless the drawing is broken.
	if len(used) != len(numberAlphabet) {
		t.Errorf("only %d of %d alphabet characters were ever drawn", len(used), len(numberAlphabet))
	}
	for _, c := range "01ILOU" {
		if strings.ContainsRune(numberAlphabet, c) {
			t.Errorf("alphabet has the ambiguous %q", c)
		}
	}
}

func TestNewNumberRandomnessFails(t *testing.T) {
	boom := errors.New("no entropy")
	if _, err := newNumber(2026, iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Fatalf("error %v, want the reader's", err)
	}
	// Bytes at or above the rejection limit are skipped, not folded in.
	r := bytes.NewReader(append(bytes.Repeat([]byte{255}, 16), bytes.Repeat([]byte{0, 29}, 8)...))
	n, err := newNumber(2026, r)
	if err != nil {
		t.Fatal(err)
	}
	if n != "SU-2026-2Z2Z-2Z2Z" {
		t.Errorf("got %q from bytes 0 and 29 after rejected 255s", n)
	}
}

func TestNormalizeNumber(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"SU-2026-7K4M-9QXD", "SU-2026-7K4M-9QXD", true},
		{"  su-2026-7k4m-9qxd ", "SU-2026-7K4M-9QXD", true},
		{"SU20267K4M9QXD", "SU-2026-7K4M-9QXD", true},
		{"SU 2026 7K4M 9QXD", "SU-2026-7K4M-9QXD", true},
		{"SU–2026–7K4M–9QXD", "SU-2026-7K4M-9QXD", true},
		// Cyrillic С, К, М, Х typed on a Kazakh layout.
		{"SU-2026-7К4М-9QХD", "SU-2026-7K4M-9QXD", true},
		{"sU-2026-СССС-НННН", "SU-2026-CCCC-HHHH", true},
		{"SU-2026-7K4M-9QX", "", false},
		{"SU-2026-7K4M-9QXDD", "", false},
		{"SU-20X6-7K4M-9QXD", "", false},
		{"SU-2026-7K4M-9QX0", "", false},
		{"SU-2026-7K4M-9QXO", "", false},
		{"XX-2026-7K4M-9QXD", "", false},
		{"", "", false},
		{"../../etc/passwd", "", false},
	}
	for _, c := range cases {
		got, ok := NormalizeNumber(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("NormalizeNumber(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestFingerPrint(t *testing.T) {
	a, _, _ := ed25519.GenerateKey(rand.Reader)
	b, _, _ := ed25519.GenerateKey(rand.Reader)
	fa, fb := FingerPrint(a), FingerPrint(b)
	if fa == fb {
		t.Error("two keys share a fingerprint")
	}
	if fa != FingerPrint(bytes.Clone(a)) {
		t.Error("fingerprint of the same key differs")
	}
	for _, fp := range []string{fa, SignatureFingerprint(bytes.Repeat([]byte{0xab}, 64))} {
		groups := strings.Split(fp, " ")
		if len(groups) != 4 {
			t.Errorf("%q: want 4 groups", fp)
		}
		for _, g := range groups {
			if len(g) != 4 || strings.Trim(g, "0123456789ABCDEF") != "" {
				t.Errorf("%q: group %q is not 4 hex digits", fp, g)
			}
		}
	}
	if got := SignatureFingerprint(bytes.Repeat([]byte{0xab}, 64)); got != "ABAB ABAB ABAB ABAB" {
		t.Errorf("signature fingerprint %q does not show the signature's first bytes", got)
	}
	if SignatureFingerprint(nil) != "" {
		t.Error("no signature, yet a fingerprint")
	}
	if key := PublicKeyText(a); len(key) != 44 {
		t.Errorf("base64 of a 32-byte key has %d characters, want 44", len(key))
	}
}
