package vault

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// KeyringEnv names the environment variable that may hold the whole
// keyring (the JSON of the key file) instead of the file, for deployments
// that keep secrets in a secret manager.
const KeyringEnv = "SMARTUSTAZ_KEYRING"

// KeyringFile is the key file's name inside the data folder.
const KeyringFile = "keyring.json"

// keyringJSON is the key file's format. Master keys are kept by id so that
// rotation can add a new one while data keys wrapped by an older one are
// still readable; the rest are single long-lived secrets.
type keyringJSON struct {
	Version int `json:"version"`
	// Active is the id of the master key that wraps new data keys.
	Active string `json:"active"`
	// Master holds master keys (key-encryption keys) by id, base64.
	Master map[string]string `json:"master"`
	// BlindIndex is the HMAC key for exact-match lookups.
	BlindIndex string `json:"blind_index"`
	// Audit is the HMAC key of the audit log's hash chain.
	Audit string `json:"audit"`
	// Signing is the Ed25519 seed for receipts and certificates.
	Signing string `json:"signing"`
	// Created records when the file was made, for the operator.
	Created string `json:"created"`
}

// keyring is the decoded key material.
type keyring struct {
	mu         sync.RWMutex
	active     string
	master     map[string][]byte
	blindIndex []byte
	audit      []byte
	signing    ed25519.PrivateKey
	// path is where the keyring was read from; empty when it came from
	// the environment (then it cannot be rotated in place).
	path string
	// modTime and size are the key file's when last read, so a change
	// (a rotation here, a copy from another node) is noticed.
	modTime time.Time
	size    int64
}

func random(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

func newKeyringJSON() keyringJSON {
	return keyringJSON{
		Version:    1,
		Active:     "1",
		Master:     map[string]string{"1": base64.StdEncoding.EncodeToString(random(32))},
		BlindIndex: base64.StdEncoding.EncodeToString(random(32)),
		Audit:      base64.StdEncoding.EncodeToString(random(32)),
		Signing:    base64.StdEncoding.EncodeToString(random(ed25519.SeedSize)),
		Created:    time.Now().UTC().Format(time.RFC3339),
	}
}

// loadKeyring reads the keyring from the environment or the data folder,
// creating the file on first start. created reports that it was just made,
// so the caller can warn the operator loudly to back it up.
func loadKeyring(dataDir string, getenv func(string) string) (kr *keyring, created bool, err error) {
	if s := getenv(KeyringEnv); s != "" {
		var j keyringJSON
		if err := json.Unmarshal([]byte(s), &j); err != nil {
			return nil, false, fmt.Errorf("vault: %s is not a valid keyring: %w", KeyringEnv, err)
		}
		kr, err := decodeKeyring(j)
		return kr, false, err
	}
	path := filepath.Join(dataDir, KeyringFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, false, fmt.Errorf("vault: create data folder: %w", err)
		}
		j := newKeyringJSON()
		if err := writeKeyringFile(path, j, true); err != nil {
			return nil, false, err
		}
		kr, err := decodeKeyring(j)
		if kr != nil {
			kr.path = path
			if fi, err := os.Stat(path); err == nil {
				kr.modTime, kr.size = fi.ModTime(), fi.Size()
			}
		}
		return kr, true, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("vault: read key file: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, false, fmt.Errorf("vault: key file %s is readable by others (mode %o); run: chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	var j keyringJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, false, fmt.Errorf("vault: key file %s is damaged: %w", path, err)
	}
	kr, err = decodeKeyring(j)
	if kr != nil {
		kr.path = path
		if fi, err := os.Stat(path); err == nil {
			kr.modTime, kr.size = fi.ModTime(), fi.Size()
		}
	}
	return kr, false, err
}

func decodeKeyring(j keyringJSON) (*keyring, error) {
	dec := func(name, s string, n int) ([]byte, error) {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != n {
			return nil, fmt.Errorf("vault: keyring: %s must be %d bytes of base64", name, n)
		}
		return b, nil
	}
	kr := &keyring{active: j.Active, master: map[string][]byte{}}
	for id, s := range j.Master {
		k, err := dec("master key "+id, s, 32)
		if err != nil {
			return nil, err
		}
		kr.master[id] = k
	}
	if _, ok := kr.master[j.Active]; !ok {
		return nil, fmt.Errorf("vault: keyring: active master key %q is missing", j.Active)
	}
	var err error
	if kr.blindIndex, err = dec("blind_index", j.BlindIndex, 32); err != nil {
		return nil, err
	}
	if kr.audit, err = dec("audit", j.Audit, 32); err != nil {
		return nil, err
	}
	seed, err := dec("signing", j.Signing, ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	kr.signing = ed25519.NewKeyFromSeed(seed)
	return kr, nil
}

func (kr *keyring) toJSON() keyringJSON {
	j := keyringJSON{
		Version:    1,
		Active:     kr.active,
		Master:     map[string]string{},
		BlindIndex: base64.StdEncoding.EncodeToString(kr.blindIndex),
		Audit:      base64.StdEncoding.EncodeToString(kr.audit),
		Signing:    base64.StdEncoding.EncodeToString(kr.signing.Seed()),
		Created:    time.Now().UTC().Format(time.RFC3339),
	}
	for id, k := range kr.master {
		j.Master[id] = base64.StdEncoding.EncodeToString(k)
	}
	return j
}

// writeKeyringFile writes atomically (temp file + rename) with mode 0600.
// exclusive refuses to replace an existing file, so two processes starting
// at once cannot each make a different first key.
func writeKeyringFile(path string, j keyringJSON, exclusive bool) error {
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return fmt.Errorf("vault: encode keyring: %w", err)
	}
	if exclusive {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("vault: create key file: %w", err)
		}
		if _, err := f.Write(b); err != nil {
			f.Close()
			return fmt.Errorf("vault: write key file: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return fmt.Errorf("vault: write key file: %w", err)
		}
		return f.Close()
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("vault: write key file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("vault: replace key file: %w", err)
	}
	return nil
}

// masterKey returns the master key with id, re-reading the key file once
// when the id is unknown: the operator may have copied a newer key file
// here while this process was serving. A key this node still lacks is a
// *MissingKeyError (ErrUnknownMasterKey).
func (kr *keyring) masterKey(id string) ([]byte, error) {
	if k, ok := kr.key(id); ok {
		return k, nil
	}
	// A file that does not read (caught half-copied) counts as not
	// holding the key: the serving loop logs why and retries.
	if kr.path != "" && kr.reload() == nil {
		if k, ok := kr.key(id); ok {
			return k, nil
		}
	}
	return nil, fmt.Errorf("vault: %w", &MissingKeyError{ID: id, Env: kr.path == ""})
}

// key looks id up in memory only.
func (kr *keyring) key(id string) ([]byte, bool) {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	k, ok := kr.master[id]
	return k, ok
}

// activeKey returns the key file's active master key. It first re-reads
// the key file if it changed (`keys rotate` here, or a copy from another
// node), so a process never wraps with a key the file has replaced.
func (kr *keyring) activeKey() (string, []byte) {
	kr.refresh() // on error the keys in memory stay valid
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	return kr.active, kr.master[kr.active]
}

// refresh re-reads the key file when its modification time or size
// changed since it was last read, and reports whether it did.
func (kr *keyring) refresh() (bool, error) {
	if kr.path == "" {
		return false, nil
	}
	fi, err := os.Stat(kr.path)
	if err != nil {
		return false, fmt.Errorf("vault: key file: %w", err)
	}
	kr.mu.RLock()
	changed := !fi.ModTime().Equal(kr.modTime) || fi.Size() != kr.size
	kr.mu.RUnlock()
	if !changed {
		return false, nil
	}
	return true, kr.reload()
}

func (kr *keyring) reload() error {
	fi, err := os.Stat(kr.path)
	if err != nil {
		return fmt.Errorf("vault: reload key file: %w", err)
	}
	b, err := os.ReadFile(kr.path)
	if err != nil {
		return fmt.Errorf("vault: reload key file: %w", err)
	}
	var j keyringJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("vault: reload key file: %w", err)
	}
	fresh, err := decodeKeyring(j)
	if err != nil {
		return err
	}
	kr.mu.Lock()
	kr.master, kr.active, kr.modTime, kr.size = fresh.master, fresh.active, fi.ModTime(), fi.Size()
	kr.mu.Unlock()
	return nil
}

// save writes the keyring to its file; the caller holds kr.mu.
func (kr *keyring) save() error {
	if err := writeKeyringFile(kr.path, kr.toJSON(), false); err != nil {
		return err
	}
	if fi, err := os.Stat(kr.path); err == nil {
		kr.modTime, kr.size = fi.ModTime(), fi.Size()
	}
	return nil
}

// addMasterKey adds a new master key to the key file under the next id,
// not active: `keys add` (and `keys rotate` on a single node) makes it,
// every node must hold it before rotation makes it active.
func (kr *keyring) addMasterKey() (string, error) {
	if kr.path == "" {
		return "", fmt.Errorf("vault: the keyring comes from %s: add and rotate keys with a key file (docs/operations.md, \"Rotating the master key\")", KeyringEnv)
	}
	if err := kr.reload(); err != nil {
		return "", err
	}
	kr.mu.Lock()
	defer kr.mu.Unlock()
	next := 1
	for id := range kr.master {
		if n, err := strconv.Atoi(id); err == nil && n >= next {
			next = n + 1
		}
	}
	id := strconv.Itoa(next)
	kr.master[id] = random(32)
	if err := kr.save(); err != nil {
		delete(kr.master, id)
		return "", err
	}
	return id, nil
}

// pendingAfter returns the newest master key of the file whose id is
// above current (the active one): a key added and not yet made active.
func (kr *keyring) pendingAfter(current string) (string, bool) {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	cur, _ := strconv.Atoi(current)
	best := 0
	for id := range kr.master {
		if n, err := strconv.Atoi(id); err == nil && n > cur && n > best {
			best = n
		}
	}
	if best == 0 {
		return "", false
	}
	return strconv.Itoa(best), true
}

// activate makes id the key file's active master key.
func (kr *keyring) activate(id string) error {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	if _, ok := kr.master[id]; !ok {
		return fmt.Errorf("vault: activate: %w", &MissingKeyError{ID: id})
	}
	before := kr.active
	kr.active = id
	if err := kr.save(); err != nil {
		kr.active = before
		return err
	}
	return nil
}

// holdings lists the master keys held, id → fingerprint.
func (kr *keyring) holdings() map[string]string {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	out := make(map[string]string, len(kr.master))
	for id, k := range kr.master {
		out[id] = fingerprint(k)
	}
	return out
}

// source says where the keyring comes from, for the operator.
func (kr *keyring) source() string {
	if kr.path == "" {
		return KeyringEnv
	}
	return kr.path
}

// fingerprint names a master key without revealing it (a truncated
// SHA-256 under a label of its own): two key files that each made a key
// with the same id are told apart.
func fingerprint(k []byte) string {
	h := sha256.Sum256(append([]byte("smartustaz/master-key-fingerprint/v1|"), k...))
	return hex.EncodeToString(h[:8])
}

// retireMasterKeys removes from the file every master key that is neither
// active nor in keep (called with the keys still in use, and the one
// active before the rotation: a process that has not yet noticed the
// rotation may still wrap a new user's key with it).
func (kr *keyring) retireMasterKeys(keep map[string]bool) ([]string, error) {
	if kr.path == "" {
		return nil, nil
	}
	kr.mu.Lock()
	defer kr.mu.Unlock()
	var gone []string
	for id := range kr.master {
		if id != kr.active && !keep[id] {
			gone = append(gone, id)
		}
	}
	if len(gone) == 0 {
		return nil, nil
	}
	saved := map[string][]byte{}
	for _, id := range gone {
		saved[id] = kr.master[id]
		delete(kr.master, id)
	}
	if err := kr.save(); err != nil {
		for id, k := range saved {
			kr.master[id] = k
		}
		return nil, err
	}
	sort.Strings(gone)
	return gone, nil
}

// ids lists master key ids, for status output.
func (kr *keyring) ids() string {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	var ids []string
	for id := range kr.master {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}
