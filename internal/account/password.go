package account

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/smartustaz/smartustaz/internal/passhash"
	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Minimum argon2id parameters (OWASP's recommended floor for argon2id);
// Options below them are raised, so a configuration cannot weaken the
// stored hashes (clause 2.1).
const (
	minMemory  = 19456 // KiB
	minTime    = 2
	minThreads = 1
	saltLen    = 16
	keyLen     = 32
)

// errBadHash means a stored password hash cannot be parsed; it is treated
// as a wrong password, never as a match.
var errBadHash = errors.New("account: stored password hash is malformed")

// hashParams are the argon2id cost parameters of one hash.
type hashParams struct {
	memory  uint32
	time    uint32
	threads uint8
}

// hasher hashes and verifies passwords with argon2id, and verifies the
// hashes of other systems that imported users bring (package passhash).
// A buffered channel bounds how many hashes run at once, because each one
// takes `memory` KiB (or, for bcrypt and the like, a core for a while) and
// a burst of logins must not exhaust the server.
type hasher struct {
	p   hashParams
	sem chan struct{}
	// count is incremented for every argon2 computation; tests read it to
	// prove that a throttled attempt never reaches the hash.
	count func()
	// dummy is a well-formed argon2id hash with these parameters and a
	// random salt and key, which no password matches.
	dummy string
}

func newHasher(p hashParams, concurrent int, count func()) *hasher {
	salt, key := make([]byte, saltLen), make([]byte, keyLen)
	rand.Read(salt)
	rand.Read(key)
	return &hasher{p: p, sem: make(chan struct{}, concurrent), count: count, dummy: encodeHash(p, salt, key)}
}

// acquire waits for a hashing slot, or for ctx to end.
func (h *hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("account: wait for password hashing: %w", ctx.Err())
	}
}

func (h *hasher) release() { <-h.sem }

// preparePassword is the byte string that is hashed: Unicode NFC, so the
// same password typed on different keyboards (composed or decomposed
// letters such as ә) gives the same hash. Never trimmed: spaces count.
func preparePassword(pw string) []byte { return []byte(norm.NFC.String(pw)) }

// hash returns the PHC-style encoding
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key> (unpadded standard base64).
func (h *hasher) hash(ctx context.Context, pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("account: salt: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	h.count()
	key := argon2.IDKey(preparePassword(pw), salt, h.p.time, h.p.memory, h.p.threads, keyLen)
	return encodeHash(h.p, salt, key), nil
}

func encodeHash(p hashParams, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decodeHash parses a PHC-style argon2id string; the parameters come from
// the string itself, so hashes made with older (lower) costs still verify
// after the configuration is raised.
func decodeHash(s string) (hashParams, []byte, []byte, error) {
	var p hashParams
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, nil, nil, errBadHash
	}
	// Refuse absurd parameters from a tampered row rather than let one
	// verification allocate gigabytes or spin for minutes.
	if p.memory < 8 || p.memory > 4<<20 || p.time < 1 || p.time > 64 || p.threads < 1 {
		return p, nil, nil, errBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, errBadHash
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// verify reports whether pw matches encoded, comparing in constant time.
// needsRehash is true when the stored hash is weaker than the current
// parameters, or is not argon2id at all (a hash imported from another
// system), so a successful login can replace it.
//
// A wrong password costs one argon2 computation whatever the stored
// format: after a failed check of an imported hash (MD5 takes
// microseconds) the dummy hash is verified too, so the time of a failure
// does not tell an imported account from any other. An empty hash (a user
// imported without a password, who sets one through the reset link) and a
// hash of no accepted format are errBadHash, before any work: the caller
// does the dummy verification.
func (h *hasher) verify(ctx context.Context, pw, encoded string) (ok, needsRehash bool, err error) {
	imported := !strings.HasPrefix(encoded, "$argon2id$")
	if encoded == "" || (imported && !passhash.Known(encoded)) {
		return false, false, errBadHash
	}
	argonHash := encoded
	if imported {
		argonHash = h.dummy
	}
	p, salt, want, err := decodeHash(argonHash)
	if err != nil {
		return false, false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	if imported {
		// The old system hashed the bytes it received, most likely as
		// typed; NFC (this site's form) is tried next in case it
		// normalised them.
		ok, _ = passhash.Verify(pw, encoded)
		if nfc := string(preparePassword(pw)); !ok && nfc != pw {
			ok, _ = passhash.Verify(nfc, encoded)
		}
		if ok {
			return true, true, nil
		}
	}
	h.count()
	got := argon2.IDKey(preparePassword(pw), salt, p.time, p.memory, p.threads, uint32(len(want)))
	ok = !imported && subtle.ConstantTimeCompare(got, want) == 1
	needsRehash = p.memory < h.p.memory || p.time < h.p.time || p.threads < h.p.threads || len(want) < keyLen
	return ok, needsRehash, nil
}
