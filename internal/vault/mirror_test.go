package vault_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/blob/blobtest"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// With S3 storage the deletion list is also in the bucket (a real S3
// server): a node whose data folder was lost, rebuilt with only the key
// file, learns every deletion from the bucket at its first sync and
// refuses the keys; an entry in the bucket that the keyring did not
// authenticate stops the sync.
func TestTombstonesInBucket(t *testing.T) {
	s3 := blobtest.Start(t)
	bucket := s3.NewBucket(t)
	spec := s3.Spec(bucket)
	d := dbtest.Open(t, db.SQLite)
	ctx := context.Background()
	mirror := func(dir string) vault.Mirror {
		st, err := blob.Open(spec, dir)
		if err != nil {
			t.Fatal(err)
		}
		return st.(blob.Named)
	}

	dir := t.TempDir()
	a := open(t, d, dir)
	a.UseMirror(mirror(dir))
	u := db.NewID()
	if _, err := a.NewUserKey(ctx, d, u); err != nil {
		t.Fatal(err)
	}
	if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Shred(ctx, tx, u) }); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SyncTombstones(ctx); err != nil {
		t.Fatal(err)
	}
	var names []string
	for o := range s3.Client.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: "named/tombstones/", Recursive: true}) {
		names = append(names, o.Key)
	}
	if len(names) != 1 || !strings.HasPrefix(names[0], "named/tombstones/"+strconv.FormatInt(u, 10)+".") {
		t.Fatalf("bucket holds %v, want one tombstone for the user", names)
	}

	// A node rebuilt on a new disk: the key file only.
	rebuilt := t.TempDir()
	kf, _ := os.ReadFile(filepath.Join(dir, vault.KeyringFile))
	if err := os.WriteFile(filepath.Join(rebuilt, vault.KeyringFile), kf, 0o600); err != nil {
		t.Fatal(err)
	}
	// The wrapped key is back too (a backup from before the deletion).
	b := open(t, d, rebuilt)
	if b.Tombstoned(u) {
		t.Fatal("control: the rebuilt node knows the deletion before reading the bucket")
	}
	b.UseMirror(mirror(rebuilt))
	fresh, err := b.SyncTombstones(ctx)
	if err != nil || len(fresh) != 1 || fresh[0] != u {
		t.Fatalf("the rebuilt node learned %v (%v), want [%d]", fresh, err, u)
	}
	if _, err := b.UserKey(ctx, d, u); !errors.Is(err, vault.ErrNoKey) {
		t.Fatalf("the rebuilt node gives the deleted user's key: %v", err)
	}
	if local, _ := os.ReadFile(filepath.Join(rebuilt, vault.TombstoneFile)); !bytes.HasPrefix(local, []byte(strconv.FormatInt(u, 10)+" ")) {
		t.Fatal("the rebuilt node did not write the deletion into its data folder")
	}

	// A name in the bucket that no keyring holder wrote.
	forged := "named/tombstones/777." + strings.Repeat("0", 64)
	if _, err := s3.Client.PutObject(ctx, bucket, forged, strings.NewReader(""), 0, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SyncTombstones(ctx); err == nil || b.Tombstoned(777) {
		t.Fatalf("a forged tombstone in the bucket was accepted (%v)", err)
	}
}
