package vault

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// TombstoneFile is the deletion list's name inside the data folder. It
// lives beside the key file, outside the database, so restoring a
// database backup cannot bring a deleted user back (clause P.4): every
// start re-applies it, and the vault refuses the data key of every user
// on it whatever the database holds.
const TombstoneFile = "tombstones"

// mirrorPrefix names the tombstone objects in a Mirror. Each object's
// name is the whole entry (tombstones/ID.MAC), so one listing reads them.
const mirrorPrefix = "tombstones/"

// Mirror keeps a copy of the deletion list off this machine: the S3
// bucket of file storage (blob.Store when it is S3). Several nodes and a
// node restored on a new disk then see every deletion.
type Mirror interface {
	// PutNamed stores data under name, replacing what was there.
	PutNamed(ctx context.Context, name string, data []byte) error
	// ListNamed returns the names of the objects under prefix.
	ListNamed(ctx context.Context, prefix string) ([]string, error)
}

// tombstoneMAC authenticates one entry with a key derived from the
// keyring, so nobody without the keyring can add an entry (and delete an
// account by writing to the data folder or the bucket).
func (v *Vault) tombstoneMAC(owner int64) string {
	m := hmac.New(sha256.New, v.tkey)
	m.Write([]byte("smartustaz/tombstone/v1|" + strconv.FormatInt(owner, 10)))
	return hex.EncodeToString(m.Sum(nil))
}

// tombstoneKey derives the entries' MAC key from the blind-index key,
// which is never rotated: the list must stay readable for as long as the
// keyring exists.
func tombstoneKey(kr *keyring) []byte {
	k, err := hkdf.Key(sha256.New, kr.blindIndex, nil, "smartustaz/tombstones/v1", 32)
	if err != nil {
		panic(err) // only for an impossible length
	}
	return k
}

// parseTombstone reads "ID MAC" (the file) or "ID.MAC" (a mirror name)
// and checks its MAC.
func (v *Vault) parseTombstone(s string, sep byte) (int64, error) {
	i := strings.IndexByte(s, sep)
	if i < 0 {
		return 0, errors.New("not an entry")
	}
	id, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil || id <= 0 {
		return 0, errors.New("not a user id")
	}
	if !hmac.Equal([]byte(s[i+1:]), []byte(v.tombstoneMAC(id))) {
		return 0, errors.New("does not authenticate under this keyring")
	}
	return id, nil
}

// loadTombstones reads the deletion list of the data folder. A last line
// cut short by a crash while it was written is dropped (its deletion did
// not commit); any other line that does not authenticate stops the start:
// skipping it would bring a deleted user back.
func (v *Vault) loadTombstones() error {
	b, err := os.ReadFile(v.tpath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("vault: read %s: %w", v.tpath, err)
	}
	if end := bytes.LastIndexByte(b, '\n') + 1; end < len(b) {
		if err := os.Truncate(v.tpath, int64(end)); err != nil {
			return fmt.Errorf("vault: repair %s: %w", v.tpath, err)
		}
		b = b[:end]
	}
	return v.readTombstones(b, 0)
}

// readTombstones adds the entries in b (the file from offset off) to the
// set, forgetting any cached key of theirs.
func (v *Vault) readTombstones(b []byte, off int64) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	line := 0
	for sc.Scan() {
		line++
		id, err := v.parseTombstone(sc.Text(), ' ')
		if err != nil {
			return fmt.Errorf("vault: %s: entry %d: %v", v.tpath, line, err)
		}
		v.markDead(id)
	}
	v.tsize = off + int64(len(b))
	return nil
}

// markDead puts owner on the in-memory list and drops its cached key, in
// one step under the cache's lock: from then on no reader gets it.
func (v *Vault) markDead(owner int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.dead[owner] = struct{}{}
	if e, ok := v.cache[owner]; ok {
		v.lru.Remove(e)
		delete(v.cache, owner)
	}
}

// Tombstoned reports whether owner is on the deletion list.
func (v *Vault) Tombstoned(owner int64) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	_, ok := v.dead[owner]
	return ok
}

// Tombstones lists every user on the deletion list, in increasing order.
func (v *Vault) Tombstones() []int64 {
	v.mu.Lock()
	out := make([]int64, 0, len(v.dead))
	for id := range v.dead {
		out = append(out, id)
	}
	v.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// TombstoneEntry is owner's entry of the deletion list as text ("id mac"),
// for telling the other nodes of a deletion (internal/cluster): a node
// takes it only if it authenticates under its own keyring (AcceptTombstone).
func (v *Vault) TombstoneEntry(owner int64) string {
	return strconv.FormatInt(owner, 10) + " " + v.tombstoneMAC(owner)
}

// AcceptTombstone puts the user of a deletion-list entry made by another
// node (TombstoneEntry) on this node's list, file included, and drops
// their cached key. An entry that does not authenticate under this
// keyring is refused: putting someone on the list cannot be undone, so a
// forged notification must not do it.
func (v *Vault) AcceptTombstone(entry string) (int64, error) {
	id, err := v.parseTombstone(entry, ' ')
	if err != nil {
		return 0, fmt.Errorf("vault: deletion from another node: %w", err)
	}
	return id, v.Tombstone(id)
}

// Tombstone puts owner on the deletion list for good: appended to the
// file (synced to disk before it returns) and refused by this vault from
// now on. It does not touch the database (Shred does) nor the mirror
// (SyncTombstones does, outside any transaction, since it is a network
// call).
func (v *Vault) Tombstone(owner int64) error {
	if owner <= 0 {
		return fmt.Errorf("vault: tombstone: bad user id %d", owner)
	}
	v.tmu.Lock()
	defer v.tmu.Unlock()
	if v.Tombstoned(owner) {
		return nil
	}
	if err := v.appendTombstones([]int64{owner}); err != nil {
		return err
	}
	v.markDead(owner)
	return nil
}

// appendTombstones writes entries to the file and syncs it (tmu held).
func (v *Vault) appendTombstones(ids []int64) error {
	var buf bytes.Buffer
	for _, id := range ids {
		fmt.Fprintf(&buf, "%d %s\n", id, v.tombstoneMAC(id))
	}
	_, statErr := os.Stat(v.tpath)
	f, err := os.OpenFile(v.tpath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("vault: tombstone: %w", err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("vault: tombstone: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("vault: tombstone: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("vault: tombstone: %w", err)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		syncDir(filepath.Dir(v.tpath)) // the new file's name survives a crash too
	}
	v.tsize += int64(buf.Len())
	return nil
}

// UseMirror makes the vault keep a copy of the deletion list in m (and
// read other nodes' deletions from it); SyncTombstones does the work.
func (v *Vault) UseMirror(m Mirror) {
	v.tmu.Lock()
	v.mirror = m
	v.tmu.Unlock()
}

// SyncTombstones brings the deletion list up to date with what other
// processes wrote: entries appended to the file since it was read (a
// command run beside the server, another node on a shared folder) and,
// with a mirror, entries in the mirror; and it writes to the mirror
// every entry it lacks. Run at every start before serving and
// periodically after. It returns the users that were new to this vault.
func (v *Vault) SyncTombstones(ctx context.Context) ([]int64, error) {
	v.tmu.Lock()
	defer v.tmu.Unlock()
	before := v.Tombstones()
	known := make(map[int64]bool, len(before))
	for _, id := range before {
		known[id] = true
	}
	if err := v.readNewTombstones(); err != nil {
		return nil, err
	}
	if v.mirror != nil {
		names, err := v.mirror.ListNamed(ctx, mirrorPrefix)
		if err != nil {
			return nil, fmt.Errorf("vault: read tombstones from storage: %w", err)
		}
		inMirror := map[int64]bool{}
		var add []int64
		for _, n := range names {
			id, err := v.parseTombstone(strings.TrimPrefix(n, mirrorPrefix), '.')
			if err != nil {
				return nil, fmt.Errorf("vault: tombstone %q in storage: %v", n, err)
			}
			inMirror[id] = true
			if !v.Tombstoned(id) {
				add = append(add, id)
			}
		}
		if len(add) > 0 {
			if err := v.appendTombstones(add); err != nil {
				return nil, err
			}
			for _, id := range add {
				v.markDead(id)
			}
		}
		for _, id := range v.Tombstones() {
			if inMirror[id] {
				continue
			}
			name := fmt.Sprintf("%s%d.%s", mirrorPrefix, id, v.tombstoneMAC(id))
			if err := v.mirror.PutNamed(ctx, name, []byte(name+"\n")); err != nil {
				return nil, fmt.Errorf("vault: write tombstone to storage: %w", err)
			}
		}
	}
	var fresh []int64
	for _, id := range v.Tombstones() {
		if !known[id] {
			fresh = append(fresh, id)
		}
	}
	return fresh, nil
}

// readNewTombstones reads what was appended to the file since it was
// last read (tmu held).
func (v *Vault) readNewTombstones() error {
	f, err := os.Open(v.tpath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("vault: read %s: %w", v.tpath, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("vault: read %s: %w", v.tpath, err)
	}
	if fi.Size() < v.tsize {
		// The file was replaced by a shorter one (an old copy restored
		// over it): what was read stays on the list, and the entries it
		// lacks are written back, so the file is whole again.
		b, err := io.ReadAll(f)
		if err != nil {
			return fmt.Errorf("vault: read %s: %w", v.tpath, err)
		}
		old := v.Tombstones()
		v.tsize = 0
		if err := v.readTombstones(b[:bytes.LastIndexByte(b, '\n')+1], 0); err != nil {
			return err
		}
		return v.rewriteMissing(b, old)
	}
	if fi.Size() == v.tsize {
		return nil
	}
	b := make([]byte, fi.Size()-v.tsize)
	if _, err := f.ReadAt(b, v.tsize); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("vault: read %s: %w", v.tpath, err)
	}
	// An entry being written by another process right now is read next time.
	b = b[:bytes.LastIndexByte(b, '\n')+1]
	return v.readTombstones(b, v.tsize)
}

// rewriteMissing appends to the file the ids in want that its content b
// does not hold.
func (v *Vault) rewriteMissing(b []byte, want []int64) error {
	have := map[int64]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if id, err := v.parseTombstone(sc.Text(), ' '); err == nil {
			have[id] = true
		}
	}
	var missing []int64
	for _, id := range want {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return v.appendTombstones(missing)
}

// syncDir makes a directory entry durable (a new file's name).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
