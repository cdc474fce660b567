// Package vault is the only code in smartustaz that encrypts or decrypts
// (clauses 1.3 and 2.1). Every confidential field is sealed with AES-256-GCM
// under its owner's data key, with associated data that binds the
// ciphertext to its table, column, row and owner, so a ciphertext copied
// into another row or another user's record no longer opens. Data keys are
// wrapped by a master key (envelope encryption); deleting a user's wrapped
// data key makes everything of theirs unreadable everywhere, backups
// included (crypto-shredding). Exact lookups go through blind indexes
// (HMAC-SHA-256 of the normalised value), never through plaintext.
package vault

import (
	"container/list"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/smartustaz/smartustaz/internal/db"
)

// ErrNoKey means the user's data key is gone (the user was deleted and
// their data crypto-shredded) or never existed.
var ErrNoKey = errors.New("vault: no data key for this user")

// ErrDecrypt means a ciphertext failed authentication: it was altered, or
// moved from the table, column or row it was sealed for.
var ErrDecrypt = errors.New("vault: ciphertext does not open (altered or moved)")

// ErrUnknownMasterKey means this node's keyring lacks a master key that
// the database needs: a data key wrapped by it, or the key the database
// makes active for new data keys. The node must get the current key file;
// the error is a *MissingKeyError saying which key and what to do.
var ErrUnknownMasterKey = errors.New("vault: master key not held by this node")

// MissingKeyError names the master key a node lacks and tells the
// operator what to do; it matches ErrUnknownMasterKey.
type MissingKeyError struct {
	ID string
	// Env: the keyring came from SMARTUSTAZ_KEYRING (a restart is needed).
	Env bool
	// Active: the database makes this key active for new data keys.
	Active bool
	// Differs: this node holds a key with that id, but not the same key.
	Differs bool
}

func (e *MissingKeyError) Error() string {
	what := fmt.Sprintf("master key %q is not in this node's keyring", e.ID)
	switch {
	case e.Differs:
		what = fmt.Sprintf("this node's master key %q is not the one the database makes active (a key file that made its own key %s)", e.ID, e.ID)
	case e.Active:
		what = fmt.Sprintf("the database makes master key %q active for new data keys and this node's keyring does not hold it", e.ID)
	}
	todo := "copy the current key file to this node"
	if e.Env {
		todo = "put the current key file into " + KeyringEnv + " on this node and restart it"
	}
	return what + ": " + todo + ` (docs/operations.md, "Rotating the master key")`
}

// Is makes errors.Is(err, ErrUnknownMasterKey) true.
func (e *MissingKeyError) Is(target error) bool { return target == ErrUnknownMasterKey }

const (
	formatV1   = 0x01
	nonceSize  = 12
	cacheLimit = 50000
)

// Vault holds the keyring, the deletion list and a bounded cache of
// unwrapped data keys.
type Vault struct {
	kr *keyring
	db *db.DB

	// mu guards the cache and the deletion list together, so a key is
	// never cached or handed out once its owner is on the list.
	mu    sync.Mutex
	cache map[int64]*list.Element
	lru   *list.List
	dead  map[int64]struct{}

	// tmu serialises writes of the deletion list (file and mirror).
	tmu    sync.Mutex
	tpath  string // DATA/tombstones
	tsize  int64  // bytes of it read so far
	tkey   []byte // MAC key of its entries
	mirror Mirror

	// node is this process's row in vault_nodes (nodes.go).
	node nodeSelf
}

// Open loads (or on first start creates) the keyring and returns a vault
// over d. created is true when a new key file was just written: the
// caller must tell the operator to back it up.
func Open(d *db.DB, dataDir string, getenv func(string) string) (v *Vault, created bool, err error) {
	kr, created, err := loadKeyring(dataDir, getenv)
	if err != nil {
		return nil, false, err
	}
	v = &Vault{kr: kr, db: d, cache: map[int64]*list.Element{}, lru: list.New(), dead: map[int64]struct{}{},
		tpath: filepath.Join(dataDir, TombstoneFile), tkey: tombstoneKey(kr)}
	if err := v.loadTombstones(); err != nil {
		return nil, false, err
	}
	return v, created, nil
}

// KeyFile is the path of the key file, or "" when the keyring came from
// the environment.
func (v *Vault) KeyFile() string { return v.kr.path }

// Field names where a ciphertext lives: it is bound to exactly this place.
type Field struct {
	Table  string
	Column string
	Row    int64
}

// aad is the associated data that binds a ciphertext to its place. It is
// appended into buf (a caller's stack array) to keep decryption of a whole
// profile free of needless allocations.
func (f Field) aad(buf []byte, owner int64) []byte {
	b := append(buf[:0], "smartustaz/v1|"...)
	b = append(b, f.Table...)
	b = append(b, '|')
	b = append(b, f.Column...)
	b = append(b, '|')
	b = strconv.AppendInt(b, f.Row, 10)
	b = append(b, '|')
	return strconv.AppendInt(b, owner, 10)
}

// UserKey is one user's unwrapped data key, ready to seal and open.
type UserKey struct {
	owner int64
	aead  cipher.AEAD
}

// Owner is the user the key belongs to.
func (k *UserKey) Owner() int64 { return k.owner }

// Seal encrypts plaintext for field f. An empty plaintext seals to nil, so
// absent optional fields stay absent rather than becoming ciphertexts of "".
func (k *UserKey) Seal(f Field, plaintext string) []byte {
	if plaintext == "" {
		return nil
	}
	out := make([]byte, 1+nonceSize, 1+nonceSize+len(plaintext)+k.aead.Overhead())
	out[0] = formatV1
	copy(out[1:], random(nonceSize))
	var buf [128]byte
	return k.aead.Seal(out, out[1:1+nonceSize], []byte(plaintext), f.aad(buf[:], k.owner))
}

// Open decrypts a ciphertext sealed for field f. nil opens to an empty
// Secret, and so does everything under the nil key that ReadKey gives for
// a deleted user.
func (k *UserKey) Open(f Field, ciphertext []byte) (Secret, error) {
	if len(ciphertext) == 0 || k == nil {
		return Secret{}, nil
	}
	if len(ciphertext) < 1+nonceSize+k.aead.Overhead() || ciphertext[0] != formatV1 {
		return Secret{}, ErrDecrypt
	}
	var buf [128]byte
	pt, err := k.aead.Open(nil, ciphertext[1:1+nonceSize], ciphertext[1+nonceSize:], f.aad(buf[:], k.owner))
	if err != nil {
		return Secret{}, ErrDecrypt
	}
	return Secret{s: string(pt)}, nil
}

func newAEAD(key []byte) cipher.AEAD {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // only for a wrong key length, which cannot happen here
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}

func wrapAAD(owner int64, kekID string) []byte {
	return []byte("smartustaz/dek/v1|" + strconv.FormatInt(owner, 10) + "|" + kekID)
}

func wrap(kek []byte, kekID string, owner int64, dek []byte) []byte {
	out := make([]byte, 1+nonceSize, 1+nonceSize+len(dek)+16)
	out[0] = formatV1
	copy(out[1:], random(nonceSize))
	return newAEAD(kek).Seal(out, out[1:1+nonceSize], dek, wrapAAD(owner, kekID))
}

func unwrap(kek []byte, kekID string, owner int64, wrapped []byte) ([]byte, error) {
	if len(wrapped) < 1+nonceSize+16 || wrapped[0] != formatV1 {
		return nil, fmt.Errorf("vault: wrapped key of user is malformed")
	}
	dek, err := newAEAD(kek).Open(nil, wrapped[1:1+nonceSize], wrapped[1+nonceSize:], wrapAAD(owner, kekID))
	if err != nil {
		return nil, fmt.Errorf("vault: wrapped key does not open under master key %s", kekID)
	}
	return dek, nil
}

// NewUserKey makes a data key for a new user, stores it wrapped by the
// active master key inside tx, and returns it ready to use. The active
// key is the database's (activeForNew), so every node wraps under the
// same one; a node that lacks it refuses (ErrUnknownMasterKey).
func (v *Vault) NewUserKey(ctx context.Context, tx db.Querier, owner int64) (*UserKey, error) {
	if v.Tombstoned(owner) {
		return nil, fmt.Errorf("vault: user %d was deleted: no new data key", owner)
	}
	kekID, kek, err := v.activeForNew(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("vault: new data key: %w", err)
	}
	dek := random(32)
	_, err = tx.Exec(ctx, `INSERT INTO user_keys (user_id, kek_id, wrapped_key, created_at) VALUES (?, ?, ?, ?)`,
		owner, kekID, wrap(kek, kekID, owner, dek), db.Now())
	if err != nil {
		return nil, fmt.Errorf("vault: store data key: %w", err)
	}
	k := &UserKey{owner: owner, aead: newAEAD(dek)}
	v.remember(k)
	return k, nil
}

// UserKey returns the owner's data key, from the cache or unwrapped from
// q; ErrNoKey when the owner is on the deletion list, even if q (a
// restored backup) still holds the wrapped key.
func (v *Vault) UserKey(ctx context.Context, q db.Querier, owner int64) (*UserKey, error) {
	k, dead := v.cached(owner)
	if dead {
		return nil, ErrNoKey
	}
	if k != nil {
		return k, nil
	}
	var kekID string
	var wrapped []byte
	err := q.QueryRow(ctx, `SELECT kek_id, wrapped_key FROM user_keys WHERE user_id = ?`, owner).Scan(&kekID, &wrapped)
	if err != nil {
		if errors.Is(err, errNoRows) {
			return nil, ErrNoKey
		}
		return nil, fmt.Errorf("vault: load data key: %w", err)
	}
	kek, err := v.kr.masterKey(kekID)
	if err != nil {
		return nil, err
	}
	dek, err := unwrap(kek, kekID, owner, wrapped)
	if err != nil {
		return nil, err
	}
	k = &UserKey{owner: owner, aead: newAEAD(dek)}
	if !v.remember(k) {
		return nil, ErrNoKey // deleted while it was being unwrapped
	}
	return k, nil
}

// ReadKey is UserKey for code that shows what is stored: for a deleted
// user (on the deletion list, or whose key is gone) it returns a nil key
// and no error, and a nil key opens every ciphertext to an empty Secret.
// Rows of a deleted user that stay behind then read as nothing, never as
// an error page. Code that writes, or must tell "deleted" apart, uses
// UserKey.
func (v *Vault) ReadKey(ctx context.Context, q db.Querier, owner int64) (*UserKey, error) {
	k, err := v.UserKey(ctx, q, owner)
	if errors.Is(err, ErrNoKey) {
		return nil, nil
	}
	return k, err
}

// Shred deletes the owner's data key inside tx, after putting them on
// the deletion list (Tombstone): from that moment no reader of this
// vault gets the key, not even one that read the row before tx commits,
// and no restored backup gives it back. A tx that then fails leaves the
// owner on the list; the next start (or periodic re-apply) finishes the
// deletion.
func (v *Vault) Shred(ctx context.Context, tx db.Querier, owner int64) error {
	if err := v.Tombstone(owner); err != nil {
		return fmt.Errorf("vault: shred: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM user_keys WHERE user_id = ?`, owner); err != nil {
		return fmt.Errorf("vault: shred: %w", err)
	}
	return nil
}

// cached returns the owner's cached key, or dead when the owner is on the
// deletion list (then nothing is returned, cached or not).
func (v *Vault) cached(owner int64) (k *UserKey, dead bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if _, ok := v.dead[owner]; ok {
		return nil, true
	}
	if e, ok := v.cache[owner]; ok {
		v.lru.MoveToFront(e)
		return e.Value.(*UserKey), false
	}
	return nil, false
}

// remember caches k unless its owner is on the deletion list (reported
// as false): a reader that unwrapped the key just before the deletion
// cannot put it back into the cache after.
func (v *Vault) remember(k *UserKey) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if _, ok := v.dead[k.owner]; ok {
		return false
	}
	if e, ok := v.cache[k.owner]; ok {
		e.Value = k
		v.lru.MoveToFront(e)
		return true
	}
	v.cache[k.owner] = v.lru.PushFront(k)
	if v.lru.Len() > cacheLimit {
		last := v.lru.Back()
		v.lru.Remove(last)
		delete(v.cache, last.Value.(*UserKey).owner)
	}
	return true
}

// BlindIndex is the keyed hash used to find a row by an exact value
// without storing the value: HMAC-SHA-256 over purpose and the value the
// caller has already normalised (see NormalizeEmail).
func (v *Vault) BlindIndex(purpose, normalized string) []byte {
	m := hmac.New(sha256.New, v.kr.blindIndex)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(normalized))
	return m.Sum(nil)
}

// AuditMAC is the keyed hash of the audit log's chain: without the key
// nobody can recompute a chain after altering an entry.
func (v *Vault) AuditMAC(parts ...[]byte) []byte {
	m := hmac.New(sha256.New, v.kr.audit)
	for _, p := range parts {
		var l [8]byte
		n := len(p)
		for i := 7; i >= 0; i-- {
			l[i] = byte(n)
			n >>= 8
		}
		m.Write(l[:]) // length-prefixed, so parts cannot be shifted across boundaries
		m.Write(p)
	}
	return m.Sum(nil)
}

// Sign signs msg with the site's Ed25519 key (consent receipts, later
// certificates); PublicKey verifies it.
func (v *Vault) Sign(msg []byte) []byte { return ed25519.Sign(v.kr.signing, msg) }

// PublicKey is the public half of the signing key, safe to publish.
func (v *Vault) PublicKey() ed25519.PublicKey { return v.kr.signing.Public().(ed25519.PublicKey) }

// TokenHash is how single-use secrets (session tokens, emailed links) are
// stored: SHA-256 of a 256-bit random token, which needs no key because
// the token cannot be guessed.
func TokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
