// Package certificate makes the certificates of publication that an author
// downloads for a published material: the canonical bytes that the site
// signs, the check of that signature, the certificate number, and the
// printed PDF with a QR code to the verify page.
//
// Signing itself is the vault's (every byte of cryptography lives there):
// the caller passes Payload(f) to vault.Sign and hands the signature to
// PDF; this package only verifies, with crypto/ed25519 and the published
// public key.
package certificate

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// Fields are what a certificate states and what its signature covers
// (VerifyURL excepted: it is derived from Number and only printed).
type Fields struct {
	// Number is the certificate number, as made by NewNumber.
	Number string
	// AuthorName is the name as the author confirmed it for the certificate.
	AuthorName string
	// Title is the material's title.
	Title string
	// MaterialURL is the absolute address of the material's page.
	MaterialURL string
	// VerifyURL is the absolute address of /verify/{Number}; the QR code
	// leads there.
	VerifyURL string
	// IssuedAt is when the certificate was issued; it is signed in UTC to
	// the second.
	IssuedAt time.Time
	// Lang is the language the certificate is printed in.
	Lang i18n.Lang
}

// payloadVersion names the encoding; a change of fields or order is a new
// version, so old signatures never verify against a different reading.
const payloadVersion = "smartustaz-cert-v1"

// Payload is the canonical encoding of f that the site signs: the version
// and then number, author name, title, material address, issue time (UTC,
// RFC 3339 to the second) and language, each prefixed with its length in
// 8 bytes, so that no two different certificates encode alike (moving
// text from the title into the name changes the bytes).
func Payload(f Fields) []byte {
	parts := []string{
		payloadVersion,
		f.Number,
		f.AuthorName,
		f.Title,
		f.MaterialURL,
		f.IssuedAt.UTC().Truncate(time.Second).Format(time.RFC3339),
		string(f.Lang),
	}
	n := 0
	for _, p := range parts {
		n += 8 + len(p)
	}
	b := make([]byte, 0, n)
	for _, p := range parts {
		b = binary.BigEndian.AppendUint64(b, uint64(len(p)))
		b = append(b, p...)
	}
	return b
}

// Verify reports whether sig is pub's Ed25519 signature over Payload(f).
// A key or signature of the wrong length is simply not valid.
func Verify(pub ed25519.PublicKey, f Fields, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
		return false // ed25519.Verify panics on a short key
	}
	return ed25519.Verify(pub, Payload(f), sig)
}

// numberAlphabet has no letters or digits that read alike (0 O, 1 I L,
// U V), so a number read off paper and typed in is typed right.
const numberAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// numberPrefix starts every certificate number.
const numberPrefix = "SU"

// NewNumber returns a new certificate number such as "SU-2026-7K4M-9QXD":
// the year of issue and 8 random characters from an unambiguous alphabet
// (about 39 bits: the store's unique index catches the rare collision and
// the caller draws again).
func NewNumber() string {
	n, err := newNumber(time.Now().UTC().Year(), rand.Reader)
	if err != nil {
		// crypto/rand does not fail on supported systems (Go 1.24+ crashes
		// the program itself if it would).
		panic(fmt.Sprintf("certificate: new number: %v", err))
	}
	return n
}

// newNumber draws from r by rejection, so every character is equally likely.
func newNumber(year int, r io.Reader) (string, error) {
	const limit = 256 - 256%len(numberAlphabet)
	var code [8]byte
	var buf [16]byte
	for i := 0; i < len(code); {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			return "", fmt.Errorf("certificate: new number: %w", err)
		}
		for _, c := range buf {
			if i == len(code) {
				break
			}
			if int(c) < limit {
				code[i] = numberAlphabet[int(c)%len(numberAlphabet)]
				i++
			}
		}
	}
	return fmt.Sprintf("%s-%04d-%s-%s", numberPrefix, year, code[:4], code[4:]), nil
}

// lookAlikes maps what people type for the number's characters on a
// Kazakh or Russian keyboard layout (Cyrillic letters that look Latin).
var lookAlikes = strings.NewReplacer(
	"А", "A", "В", "B", "Е", "E", "К", "K", "М", "M", "Н", "H",
	"Р", "P", "С", "C", "Т", "T", "Х", "X", "У", "Y", "З", "3",
	" ", "", "\t", "", "–", "-", "—", "-",
)

// NormalizeNumber turns a number as a person typed it (lower case,
// Cyrillic look-alikes, spaces, missing dashes) into the form NewNumber
// makes, or reports false when it cannot be a certificate number.
func NormalizeNumber(s string) (string, bool) {
	s = lookAlikes.Replace(strings.ToUpper(strings.TrimSpace(s)))
	s = strings.ReplaceAll(s, "-", "")
	// SU + 4-digit year + 8 code characters.
	if len(s) != len(numberPrefix)+4+8 || !strings.HasPrefix(s, numberPrefix) {
		return "", false
	}
	year, code := s[2:6], s[6:]
	for _, c := range year {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	for _, c := range code {
		if !strings.ContainsRune(numberAlphabet, c) {
			return "", false
		}
	}
	return numberPrefix + "-" + year + "-" + code[:4] + "-" + code[4:], true
}

// FingerPrint is a short, readable fingerprint of a public key (the
// first 8 bytes of its SHA-256, in groups of four hex digits), to print
// beside the key on the site so people can compare keys at a glance.
func FingerPrint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return groups(sum[:8])
}

// PublicKeyText is the whole public key in standard base64, to publish.
func PublicKeyText(pub ed25519.PublicKey) string {
	return base64.StdEncoding.EncodeToString(pub)
}

// SignatureFingerprint is the short form of a signature printed on the
// certificate (its first 8 bytes, grouped like FingerPrint), so the
// verify page can show the same string beside its verdict.
func SignatureFingerprint(sig []byte) string {
	return groups(sig[:min(8, len(sig))])
}

// groups writes b in upper-case hex in groups of four digits.
func groups(b []byte) string {
	h := strings.ToUpper(hex.EncodeToString(b))
	var out strings.Builder
	for i := 0; i < len(h); i += 4 {
		if i > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(h[i:min(i+4, len(h))])
	}
	return out.String()
}
