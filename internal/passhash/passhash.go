// Package passhash identifies and verifies password hashes made by other
// systems, so that users brought over from another site's database keep
// the password they already have (clause 1.2 (b)). The account package
// verifies such a hash once, at the user's first successful login, and at
// once replaces it with its own argon2id hash; this package never makes a
// hash, it only checks one.
//
// # Accepted formats
//
// The importer stores the hash exactly as the old system kept it, in
// users.password_hash. Identify recognises:
//
//   - bcrypt: $2a$, $2b$, $2y$ (PHP password_hash, Laravel, Devise…), cost 4–14.
//   - argon2id and argon2i PHC strings, version 19:
//     $argon2i$v=19$m=65536,t=4,p=1$<salt>$<key> (unpadded base64),
//     memory ≤ 256 MiB, passes ≤ 32, memory × passes ≤ 1 GiB (PHP's and
//     Django's defaults and libsodium's "moderate" pass; its "sensitive",
//     1 GiB, does not).
//   - Django PBKDF2: pbkdf2_sha256$<iterations>$<salt>$<base64 key> and
//     pbkdf2_sha1$…, iterations ≤ 3,000,000.
//   - phpass portable hashes: $P$ (WordPress, Drupal 7's imported users)
//     and $H$ (phpBB 3), 2^7–2^20 rounds of MD5.
//   - MD5-crypt $1$<salt>$<hash> (Linux shadow, Cisco, old PHP crypt()).
//   - SHA-256-crypt and SHA-512-crypt $5$ and $6$, with or without
//     rounds=N, N ≤ 1,000,000 (Ulrich Drepper's specification).
//   - As a last resort, unsalted or salted hex digests of MD5, SHA-1 or
//     SHA-256, upper or lower case, in the forms below ("Hex digests").
//   - The empty string: a user imported without a password. It is
//     "known" (Known is true, the importer keeps the row) but verifies no
//     password; the user sets one through the reset link.
//
// # Hex digests
//
// The digest's length names the algorithm (32 hex digits MD5, 40 SHA-1, 64
// SHA-256). Salted digests have no standard form, so this is the
// convention an importer writes; the salt is any text up to 255 bytes,
// colons included (the digest is after the last colon):
//
//	<hex>                    digest of the password alone
//	md5:<hex>                the same, the algorithm named (sha1:, sha256: alike)
//	md5:sp:<salt>:<hex>      MD5(salt ‖ password)   "sp": salt first
//	md5:ps:<salt>:<hex>      MD5(password ‖ salt)   "ps": password first
//	sha1:sp:…, sha256:ps:…   the same with SHA-1, SHA-256
//	<hex>:<salt>             the raw form many PHP portals keep, accepted as
//	                         it comes: osCommerce puts the salt first, Joomla
//	                         1.x the password, so both orders are tried
//
// An importer that knows the order should write the explicit sp/ps form.
//
// Anything else — DES crypt, $2x$, argon2 version 16, costs above the
// limits — is Unknown: Known is false and the importer rejects the row.
//
// # Limits
//
// The cost of verifying a hash is written in the hash itself, so a
// crafted row could make one login spin for minutes (bcrypt cost 31,
// rounds=999999999). Every cost parameter is capped above (the caps are
// the constants below, each well above what the systems above use by
// default, so real hashes pass), and a hash over a cap is Unknown. At the
// caps one verification takes at most a few seconds on the 2-core
// reference machine (BenchmarkVerify, docs/benchmarks.md), and the
// account package runs at most a few verifications at once.
//
// All comparisons of computed and stored digests are in constant time.
// The functions never panic, whatever the input (FuzzIdentify, FuzzVerify).
package passhash

import (
	"crypto/subtle"
	"errors"
	"fmt"
)

// Format names a recognised kind of hash.
type Format string

// The recognised formats.
const (
	Unknown      Format = ""
	None         Format = "none" // empty: no password set
	Bcrypt       Format = "bcrypt"
	Argon2id     Format = "argon2id"
	Argon2i      Format = "argon2i"
	PBKDF2SHA256 Format = "pbkdf2-sha256"
	PBKDF2SHA1   Format = "pbkdf2-sha1"
	Phpass       Format = "phpass"
	MD5Crypt     Format = "md5-crypt"
	SHA256Crypt  Format = "sha256-crypt"
	SHA512Crypt  Format = "sha512-crypt"
	MD5          Format = "md5"
	SHA1         Format = "sha1"
	SHA256       Format = "sha256"
)

// Caps on the cost a stored hash may ask for (see "Limits" above).
const (
	MaxBcryptCost       = 14
	MaxArgon2Memory     = 256 << 10 // KiB (256 MiB)
	MaxArgon2Time       = 32
	MaxArgon2Work       = 1 << 20 // memory (KiB) × passes: 1 GiB·passes
	MaxPBKDF2Iterations = 3_000_000
	MaxPhpassLog2       = 20
	MaxSHACryptRounds   = 1_000_000
	// MaxLen bounds a stored hash: every accepted format is far shorter.
	MaxLen = 1024
)

// ErrUnknown is the error for a hash of no accepted format, malformed, or
// over a cost cap. Its message never quotes the hash.
var ErrUnknown = errors.New("passhash: unknown or malformed password hash")

// verifier checks a password against one parsed hash.
type verifier interface {
	verify(password []byte) bool
}

// Identify returns the format of s, or Unknown when s is of no accepted
// format, malformed, or over a cost cap.
func Identify(s string) Format {
	f, _, err := parse(s)
	if err != nil {
		return Unknown
	}
	return f
}

// Known reports whether s may be stored as an imported user's password
// hash: a hash of an accepted format within the caps, or the empty string
// (no password yet).
func Known(s string) bool { return Identify(s) != Unknown }

// Check is Known with a reason, for the importer's report: nil, or an
// error wrapping ErrUnknown that says what is wrong without quoting s.
func Check(s string) error {
	_, _, err := parse(s)
	return err
}

// Verify reports whether password matches the stored hash. The password
// is used byte for byte, as the old system received it. An empty stored
// hash matches nothing (false, nil); a hash of no accepted format is
// (false, ErrUnknown).
func Verify(password, stored string) (bool, error) {
	_, v, err := parse(stored)
	if err != nil {
		return false, err
	}
	if v == nil { // None
		return false, nil
	}
	return v.verify([]byte(password)), nil
}

// parse identifies s and returns a verifier for it (nil for None).
func parse(s string) (Format, verifier, error) {
	if s == "" {
		return None, nil, nil
	}
	if len(s) > MaxLen {
		return Unknown, nil, fmt.Errorf("%w: longer than %d bytes", ErrUnknown, MaxLen)
	}
	for _, p := range parsers {
		if f, v, ok, err := p(s); ok {
			if err != nil {
				return Unknown, nil, fmt.Errorf("%w: %s: %w", ErrUnknown, f, err)
			}
			return f, v, nil
		}
	}
	return Unknown, nil, ErrUnknown
}

// A parser claims s by its shape (ok) and then parses it, failing with
// the reason when a claimed string is malformed or over a cap.
type parser func(s string) (f Format, v verifier, ok bool, err error)

var parsers = []parser{parseBcrypt, parseArgon2, parsePBKDF2, parsePhpass, parseMD5Crypt, parseSHACrypt, parseHex}

// equal compares two digests in constant time (for equal lengths).
func equal(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }
