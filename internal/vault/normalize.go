package vault

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// NormalizeEmail is the form of an address that the blind index hashes:
// trimmed, Unicode NFC, lower-cased, so "Aigul@Mail.kz" and "aigul@mail.kz"
// are the same account.
func NormalizeEmail(s string) string {
	return strings.ToLower(norm.NFC.String(strings.TrimSpace(s)))
}
