package library_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/blob/blobtest"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// cluster is several library nodes on one database and one store, as
// `serve` processes behind a load balancer: each node has its own
// database connections, its own data folder (the S3 upload spool) and its
// own Service; they share the database, the keyring and the files.
type cluster struct {
	t     *testing.T
	nodes []*library.Service
	clock *movingClock
	temp  []string // each node's folder of uploads in progress
	d     *db.DB   // node 0's connection, for the test's own queries
	v     *vault.Vault
	store blob.Store // node 0's store, to look at what is stored
}

// storages are the two deployments the tests run: SQLite with a local
// folder, PostgreSQL with an S3 bucket (and the other two pairings, which
// cost little more).
func eachDeployment(t *testing.T, fn func(t *testing.T, c *cluster)) {
	s3 := blobtest.Start(t)
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		for _, storage := range []string{"local", "s3"} {
			t.Run(string(e)+"/"+storage, func(t *testing.T) {
				spec := "file://" + filepath.Join(t.TempDir(), "files")
				if storage == "s3" {
					spec = s3.Spec(s3.NewBucket(t))
				}
				fn(t, newCluster(t, e, spec, 2))
			})
		}
	}
}

func newCluster(t *testing.T, e db.Engine, spec string, n int) *cluster {
	t.Helper()
	ctx := context.Background()
	dsn := dbtest.DSN(t, e)
	keys := t.TempDir()
	c := &cluster{t: t, clock: &movingClock{}}
	local := strings.HasPrefix(spec, "file://")
	for i := range n {
		dataDir := t.TempDir()
		d, err := db.Open(ctx, dsn, dataDir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if i == 0 {
			if _, err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
		}
		v, _, err := vault.Open(d, keys, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		store, err := blob.Open(spec, dataDir)
		if err != nil {
			t.Fatal(err)
		}
		lib := library.New(d, v, store, library.Options{Now: c.clock.Now})
		if local {
			c.temp = append(c.temp, filepath.Join(strings.TrimPrefix(spec, "file://"), "tmp"))
		} else {
			c.temp = append(c.temp, filepath.Join(dataDir, "spool"))
		}
		if err := lib.SeedTaxonomy(ctx); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			c.d, c.v, c.store = d, v, store
		}
		c.nodes = append(c.nodes, lib)
	}
	return c
}

// movingClock is the nodes' clock: the real time, moved ahead by the test
// (stored files carry real modification times, which the collector of
// unreferenced files compares with it).
type movingClock struct {
	mu    sync.Mutex
	ahead time.Duration
}

func (m *movingClock) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return time.Now().Add(m.ahead)
}

func (m *movingClock) Add(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ahead += d
}

// user inserts an active, verified user with a data key.
func (c *cluster) user(role string) int64 {
	c.t.Helper()
	ctx := context.Background()
	id := db.NewID()
	err := c.d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO users (id, role, status, password_hash, locale, email_verified_at, created_at, updated_at)
			VALUES (?, ?, 'active', '', 'kk', ?, ?, ?)`, id, role, db.Now(), db.Now(), db.Now()); err != nil {
			return err
		}
		_, err := c.v.NewUserKey(ctx, tx, id)
		return err
	})
	if err != nil {
		c.t.Fatal(err)
	}
	return id
}

// download reads a material's first file through node n, as a visitor
// does, and returns its SHA-256.
func (c *cluster) download(n int, id int64) (string, error) {
	ctx := context.Background()
	m, err := c.nodes[n].Get(ctx, id, library.Viewer{})
	if err != nil {
		return "", err
	}
	rc, err := c.nodes[n].OpenFile(ctx, &m.Files[0])
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestFileSurvivesARefusalOnAnotherNode is issue 14's report: node A has
// received file X of a teacher's material (the rest of the form is still
// arriving) when node B refuses another upload of the same X; B's cleanup
// must not delete X, which A then publishes, a moderator approves, and
// every node serves with its SHA-256.
func TestFileSurvivesARefusalOnAnotherNode(t *testing.T) {
	eachDeployment(t, func(t *testing.T, c *cluster) {
		ctx := context.Background()
		a, b := c.nodes[0], c.nodes[1]
		teacher, other, mod := c.user("user"), c.user("user"), c.user("moderator")
		x := docx(t, "Қысқа мерзімді жоспар: бөлшектерді қосу")

		upA := a.NewUpload()
		defer upA.Discard(ctx)
		if err := upA.Add(ctx, "жоспар.docx", bytes.NewReader(x)); err != nil {
			t.Fatal(err)
		}

		// B receives the same file in a form without the author's
		// declaration: refused, and its upload discarded.
		upB := b.NewUpload()
		if err := upB.Add(ctx, "жоспар.docx", bytes.NewReader(x)); err != nil {
			t.Fatal(err)
		}
		refused := validInput()
		refused.AuthorDeclaration = false
		if _, err := b.Publish(ctx, other, refused, upB, library.Meta{}); err == nil {
			t.Fatal("B published a form without the author's declaration")
		}

		m, err := a.Publish(ctx, teacher, validInput(), upA, library.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Approve(ctx, mod, m.ID); err != nil {
			t.Fatal(err)
		}
		for n := range c.nodes {
			got, err := c.download(n, m.ID)
			if err != nil {
				t.Fatalf("node %d: download of the approved material: %v", n, err)
			}
			if got != sha(x) {
				t.Fatalf("node %d served SHA-256 %s, want %s", n, got, sha(x))
			}
		}
	})
}

// TestConcurrentUploadsAcrossNodes: teachers on two nodes upload the same
// files at once; then node B refuses its forms (their cleanup deletes
// what nothing else holds) while node A publishes its own. Every published file
// downloads with its SHA-256, and no hold is left.
func TestConcurrentUploadsAcrossNodes(t *testing.T) {
	eachDeployment(t, func(t *testing.T, c *cluster) {
		ctx := context.Background()
		files := [][]byte{docx(t, "Бірінші сабақ"), docx(t, "Екінші сабақ"), pdf(t, "third lesson")}
		const perNode = 12
		teacher := c.user("user")
		var mu sync.Mutex
		var published []int64
		var wg, added sync.WaitGroup
		added.Add(len(c.nodes) * perNode)
		errs := make(chan error, len(c.nodes)*perNode)
		for n := range c.nodes {
			for i := range perNode {
				wg.Go(func() {
					lib := c.nodes[n]
					up := lib.NewUpload()
					defer up.Discard(ctx)
					body := files[(i+n)%len(files)]
					err := up.Add(ctx, fmt.Sprintf("file-%d.pdf", i), bytes.NewReader(body))
					// Every form has its file before any is refused or
					// published, so each refusal meets the others' files.
					added.Done()
					added.Wait()
					if err != nil {
						errs <- err
						return
					}
					in := validInput()
					in.AuthorDeclaration = n == 0
					m, err := lib.Publish(ctx, teacher, in, up, library.Meta{})
					if n == 1 {
						if err == nil {
							errs <- fmt.Errorf("node %d published a form without the declaration", n)
						}
						return
					}
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					published = append(published, m.ID)
					mu.Unlock()
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		mod := c.user("moderator")
		for i, id := range published {
			if err := c.nodes[i%2].Approve(ctx, mod, id); err != nil {
				t.Fatal(err)
			}
			m, err := c.nodes[0].Get(ctx, id, library.Viewer{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.download(1-i%2, id)
			if err != nil || got != m.Files[0].SHA256 {
				t.Fatalf("material %d: download = %s, %v; want %s", id, got, err, m.Files[0].SHA256)
			}
		}
		var holds int
		if err := c.d.QueryRow(ctx, `SELECT COUNT(*) FROM blob_holds`).Scan(&holds); err != nil {
			t.Fatal(err)
		}
		if holds != 0 {
			t.Errorf("%d holds left after every upload ended", holds)
		}
	})
}

// TestUploadWaitsForADeletionOnAnotherNode: node B has decided to delete
// file X (nothing referred to it) and is deleting it from storage when
// node A receives X again. A's upload waits for the deletion to finish and
// stores X anew, so the material A publishes downloads.
func TestUploadWaitsForADeletionOnAnotherNode(t *testing.T) {
	eachDeployment(t, func(t *testing.T, c *cluster) {
		ctx := context.Background()
		x := docx(t, "Бақылау жұмысы: көбейту кестесі")
		if _, err := c.store.Put(ctx, bytes.NewReader(x), -1); err != nil {
			t.Fatal(err)
		}
		// Node B's deletion mark, as deleteIfUnused writes it.
		if _, err := c.d.Exec(ctx, `INSERT INTO blob_deletions (sha256, expires_at) VALUES (?, ?)`,
			sha(x), c.clock.Now().Add(time.Minute).UnixMilli()); err != nil {
			t.Fatal(err)
		}
		up := c.nodes[0].NewUpload()
		defer up.Discard(ctx)
		added := make(chan error, 1)
		go func() { added <- up.Add(ctx, "жұмыс.docx", bytes.NewReader(x)) }()
		held := waitFor(10*time.Second, func() bool {
			var n int
			c.d.QueryRow(ctx, `SELECT COUNT(*) FROM blob_holds WHERE sha256 = ?`, sha(x)).Scan(&n)
			return n == 1
		})
		if !held {
			t.Fatal("the upload took no hold on its file")
		}
		select {
		case err := <-added:
			t.Fatalf("the upload ended (%v) while another node was deleting its file", err)
		default:
		}
		// Node B's deletion ends.
		if err := c.store.Delete(ctx, sha(x)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.d.Exec(ctx, `DELETE FROM blob_deletions WHERE sha256 = ?`, sha(x)); err != nil {
			t.Fatal(err)
		}
		if err := <-added; err != nil {
			t.Fatal(err)
		}
		in := validInput()
		m, err := c.nodes[0].Publish(ctx, c.user("user"), in, up, library.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.nodes[1].Approve(ctx, c.user("moderator"), m.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := c.download(1, m.ID); err != nil || got != sha(x) {
			t.Fatalf("download = %s, %v; want %s", got, err, sha(x))
		}
	})
}

// TestCollectBlobs: the janitor's pass deletes stored files that nothing
// refers to once they are an hour old (a crash between storing a file and
// writing its row), and keeps material files, page images and the files
// of uploads in progress on any node. An upload whose node died lets its
// files go when its holds expire. Dead uploads' temporary files go too.
func TestCollectBlobs(t *testing.T) {
	eachDeployment(t, func(t *testing.T, c *cluster) {
		ctx := context.Background()
		teacher := c.user("user")
		put := func(b []byte) string {
			t.Helper()
			o, err := c.store.Put(ctx, bytes.NewReader(b), -1)
			if err != nil {
				t.Fatal(err)
			}
			return o.SHA256
		}
		stored := func(sha string) bool {
			t.Helper()
			ok, err := c.store.Exists(ctx, sha)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		published := docx(t, "Жарияланған сабақ")
		up := c.nodes[1].NewUpload()
		if err := up.Add(ctx, "сабақ.docx", bytes.NewReader(published)); err != nil {
			t.Fatal(err)
		}
		m, err := c.nodes[1].Publish(ctx, teacher, validInput(), up, library.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.nodes[1].Approve(ctx, c.user("moderator"), m.ID); err != nil {
			t.Fatal(err)
		}
		page := put([]byte("a page image's bytes"))
		if _, err := c.d.Exec(ctx, `INSERT INTO material_previews (file_id, page, source_sha256, sha256, status, created_at) VALUES (?, 1, ?, ?, 'done', ?)`,
			db.NewID(), sha(published), page, db.Now()); err != nil {
			t.Fatal(err)
		}
		orphan := put([]byte("stored, then the node crashed before the row"))
		inProgress := pdf(t, "still uploading")
		left := c.nodes[1].NewUpload() // never published nor discarded: its node "dies"
		if err := left.Add(ctx, "a.pdf", bytes.NewReader(inProgress)); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(c.temp[0], 0o700); err != nil {
			t.Fatal(err)
		}
		deadTemp := filepath.Join(c.temp[0], "put-crashed")
		if err := os.WriteFile(deadTemp, []byte("half a file"), 0o600); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Hour)
		if err := os.Chtimes(deadTemp, old, old); err != nil {
			t.Fatal(err)
		}

		got, err := c.nodes[0].CollectBlobs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Orphans != 0 || got.Temp != 1 || !stored(orphan) {
			t.Fatalf("first pass %+v: a file just stored must stay, the dead temporary file go", got)
		}
		if _, err := os.Stat(deadTemp); err == nil {
			t.Fatal("the dead upload's temporary file is still there")
		}

		c.clock.Add(90 * time.Minute)
		if got, err = c.nodes[0].CollectBlobs(ctx); err != nil {
			t.Fatal(err)
		}
		if got.Orphans != 1 || stored(orphan) {
			t.Fatalf("after 90 minutes %+v: the unreferenced file is stored: %v", got, stored(orphan))
		}
		for name, s := range map[string]string{"the material's file": sha(published), "the page image": page, "the upload in progress's file": sha(inProgress)} {
			if !stored(s) {
				t.Errorf("%s was deleted", name)
			}
		}

		// The upload's node never came back: its hold expires.
		c.clock.Add(3 * time.Hour)
		if got, err = c.nodes[0].CollectBlobs(ctx); err != nil {
			t.Fatal(err)
		}
		if got.Holds != 1 || got.Orphans != 1 || stored(sha(inProgress)) {
			t.Fatalf("after the hold expired %+v: the dead upload's file is stored: %v", got, stored(sha(inProgress)))
		}
		if !stored(sha(published)) || !stored(page) {
			t.Fatal("a referenced file was deleted")
		}
		if _, err := c.download(0, m.ID); err != nil {
			t.Fatalf("the published material no longer downloads: %v", err)
		}
	})
}

// waitFor polls cond for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// TestHeldImageNotPruned: a page image held on one node (drawn, about to
// get its row) is not deleted when another node prunes the same image;
// once released, it is.
func TestHeldImageNotPruned(t *testing.T) {
	eachDeployment(t, func(t *testing.T, c *cluster) {
		ctx := context.Background()
		img := []byte("the PNG of a first page")
		release, err := c.nodes[0].HoldBlob(ctx, sha(img))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.store.Put(ctx, bytes.NewReader(img), -1); err != nil {
			t.Fatal(err)
		}
		if err := c.nodes[1].ReleaseBlob(ctx, sha(img)); err != nil {
			t.Fatal(err)
		}
		if ok, _ := c.store.Exists(ctx, sha(img)); !ok {
			t.Fatal("another node deleted a held page image")
		}
		release()
		if err := c.nodes[1].ReleaseBlob(ctx, sha(img)); err != nil {
			t.Fatal(err)
		}
		if ok, _ := c.store.Exists(ctx, sha(img)); ok {
			t.Fatal("a released, unreferenced page image is still stored")
		}
	})
}
