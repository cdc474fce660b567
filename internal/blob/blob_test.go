package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
)

// backend is one Store under test with a view of what it holds, taken
// from outside the Store (the folder, the bucket), so the suite can check
// what was really written.
type backend struct {
	name  string
	store Store
	// stored lists the stored objects' places (ab/cd/abcd…).
	stored func(t *testing.T) []string
	// leftovers lists anything else: temporary files, spooled uploads,
	// unfinished multipart uploads, stray keys.
	leftovers func(t *testing.T) []string
	// temp is the folder of uploads in progress.
	temp string
}

var layout = regexp.MustCompile(`^([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$`)

// inLayout reports whether p is where a hash belongs: ab/cd/abcd….
func inLayout(p string) bool {
	m := layout.FindStringSubmatch(p)
	return m != nil && m[3][:2] == m[1] && m[3][2:4] == m[2]
}

// walkFiles lists the regular files under dir, slash-separated and
// relative to it.
func walkFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func split(paths []string) (stored, other []string) {
	for _, p := range paths {
		if inLayout(p) {
			stored = append(stored, p)
		} else {
			other = append(other, p)
		}
	}
	return stored, other
}

func localBackend(t *testing.T) backend {
	dataDir := t.TempDir()
	s, err := Open("", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(dataDir, "files")
	return backend{
		name:  "local",
		store: s,
		temp:  filepath.Join(dir, "tmp"),
		stored: func(t *testing.T) []string {
			st, _ := split(walkFiles(t, dir))
			return st
		},
		leftovers: func(t *testing.T) []string {
			_, other := split(walkFiles(t, dir))
			return other
		},
	}
}

// s3Backend opens a Store on a fresh bucket of srv, credentials from the
// AWS_* environment.
func s3Backend(t *testing.T, srv *s3Server) backend {
	bucket := srv.NewBucket(t)
	dataDir := t.TempDir()
	s, err := OpenEnv("s3://"+bucket+"?endpoint="+srv.Endpoint+"&region=us-east-1&secure=false", dataDir, srv.Env)
	if err != nil {
		t.Fatal(err)
	}
	keys := func(t *testing.T) []string {
		t.Helper()
		var out []string
		for o := range srv.Client.ListObjects(context.Background(), bucket, minio.ListObjectsOptions{Recursive: true}) {
			if o.Err != nil {
				t.Fatal(o.Err)
			}
			out = append(out, o.Key)
		}
		sort.Strings(out)
		return out
	}
	return backend{
		name:  "s3",
		store: s,
		temp:  filepath.Join(dataDir, "spool"),
		stored: func(t *testing.T) []string {
			st, _ := split(keys(t))
			return st
		},
		leftovers: func(t *testing.T) []string {
			_, other := split(keys(t))
			for u := range srv.Client.ListIncompleteUploads(context.Background(), bucket, "", true) {
				if u.Err != nil {
					t.Fatal(u.Err)
				}
				other = append(other, "multipart upload of "+u.Key)
			}
			for _, f := range walkFiles(t, filepath.Join(dataDir, "spool")) {
				other = append(other, "spooled "+f)
			}
			return other
		},
	}
}

// eachBackend runs f on a fresh local folder and on a fresh bucket of a
// real S3 server.
func eachBackend(t *testing.T, f func(t *testing.T, b backend)) {
	t.Run("local", func(t *testing.T) { f(t, localBackend(t)) })
	t.Run("s3", func(t *testing.T) {
		srv := startS3(t)
		f(t, s3Backend(t, srv))
	})
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func readAll(t *testing.T, s Store, sha string) []byte {
	t.Helper()
	r, obj, err := s.Open(context.Background(), sha)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if obj.Size != int64(len(got)) || obj.SHA256 != sha {
		t.Fatalf("Open said %+v, read %d bytes", obj, len(got))
	}
	return got
}

func mustPut(t *testing.T, s Store, content []byte) Object {
	t.Helper()
	obj, err := s.Put(context.Background(), bytes.NewReader(content), int64(len(content)))
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return obj
}

func noLeftovers(t *testing.T, b backend) {
	t.Helper()
	if l := b.leftovers(t); len(l) > 0 {
		t.Errorf("left behind: %q", l)
	}
}

// lessonPlan is a realistic upload: a Kazakh short-term lesson plan.
var lessonPlan = bytes.Repeat([]byte("Қысқа мерзімді жоспар. Сабақтың тақырыбы: Әліпби және дыбыстар. Оқу мақсаты: сөздегі ғ, қ, ң, ө, ұ, ү, һ, і әріптерін ажырату.\n"), 500)

// TestConformance runs one suite on both backends: whatever the storage,
// the library sees the same behaviour.
func TestConformance(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()

		t.Run("put_open_exists_delete", func(t *testing.T) {
			obj := mustPut(t, b.store, lessonPlan)
			if want := (Object{SHA256: sum(lessonPlan), Size: int64(len(lessonPlan))}); obj != want {
				t.Fatalf("Put = %+v, want %+v", obj, want)
			}
			if ok, err := b.store.Exists(ctx, obj.SHA256); err != nil || !ok {
				t.Fatalf("Exists after Put = %v, %v", ok, err)
			}
			if got := readAll(t, b.store, obj.SHA256); !bytes.Equal(got, lessonPlan) {
				t.Fatal("content read back differs from content put")
			}

			// A download resumes at an offset (range requests), and the
			// text extractor reads at offsets.
			r, _, err := b.store.Open(ctx, obj.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Seek(1000, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			part := make([]byte, 64)
			if _, err := io.ReadFull(r, part); err != nil || !bytes.Equal(part, lessonPlan[1000:1064]) {
				t.Fatalf("read after Seek = %v, bytes equal %v", err, bytes.Equal(part, lessonPlan[1000:1064]))
			}
			ra, ok := r.(io.ReaderAt)
			if !ok {
				t.Fatalf("Open returned %T, which is not an io.ReaderAt", r)
			}
			if _, err := ra.ReadAt(part, 5000); err != nil || !bytes.Equal(part, lessonPlan[5000:5064]) {
				t.Fatalf("ReadAt = %v", err)
			}
			r.Close()

			if got := b.stored(t); len(got) != 1 || got[0] != objectPath(obj.SHA256) {
				t.Fatalf("stored %q, want only %q", got, objectPath(obj.SHA256))
			}
			if err := b.store.Delete(ctx, obj.SHA256); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if ok, err := b.store.Exists(ctx, obj.SHA256); err != nil || ok {
				t.Fatalf("Exists after Delete = %v, %v", ok, err)
			}
			if _, _, err := b.store.Open(ctx, obj.SHA256); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Open after Delete = %v, want ErrNotFound", err)
			}
			if err := b.store.Delete(ctx, obj.SHA256); err != nil {
				t.Fatalf("second Delete = %v, want nil (idempotent)", err)
			}
			if got := b.stored(t); len(got) != 0 {
				t.Fatalf("after Delete still stored: %q", got)
			}
			noLeftovers(t, b)
		})

		t.Run("identical_content_stored_once", func(t *testing.T) {
			first := mustPut(t, b.store, lessonPlan)
			second := mustPut(t, b.store, bytes.Clone(lessonPlan))
			other := mustPut(t, b.store, []byte("Презентация: Абай Құнанбайұлы"))
			if first != second {
				t.Fatalf("same content gave %+v and %+v", first, second)
			}
			if first.SHA256 == other.SHA256 {
				t.Fatal("different content gave the same hash")
			}
			want := []string{objectPath(first.SHA256), objectPath(other.SHA256)}
			sort.Strings(want)
			if got := b.stored(t); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("stored %q, want %q (one copy each)", got, want)
			}
			noLeftovers(t, b)
		})

		t.Run("limit", func(t *testing.T) {
			for _, c := range []struct {
				name  string
				size  int
				limit int64
				ok    bool
			}{
				{"under", 99, 100, true},
				{"exactly", 100, 100, true},
				{"one_byte_over", 101, 100, false},
				{"far_over", 3 << 20, 1 << 20, false},
				{"empty_at_zero", 0, 0, true},
				{"one_byte_at_zero", 1, 0, false},
				{"no_limit", 2 << 20, -1, true},
			} {
				t.Run(c.name, func(t *testing.T) {
					// Distinct per case, so one case's object is not another's.
					content := []byte(strings.Repeat(c.name, c.size/len(c.name)+1))[:c.size]
					before := b.stored(t)
					obj, err := b.store.Put(ctx, bytes.NewReader(content), c.limit)
					if !c.ok {
						if !errors.Is(err, ErrTooLarge) {
							t.Fatalf("Put of %d bytes, limit %d = %v, want ErrTooLarge", c.size, c.limit, err)
						}
						if ok, _ := b.store.Exists(ctx, sum(content)); ok {
							t.Fatal("the refused file is stored")
						}
						if after := b.stored(t); len(after) != len(before) {
							t.Fatalf("stored %d objects before, %d after a refused Put", len(before), len(after))
						}
						noLeftovers(t, b)
						return
					}
					if err != nil || obj.Size != int64(c.size) || obj.SHA256 != sum(content) {
						t.Fatalf("Put = %+v, %v", obj, err)
					}
					if got := readAll(t, b.store, obj.SHA256); !bytes.Equal(got, content) {
						t.Fatal("content differs")
					}
					noLeftovers(t, b)
				})
			}
		})

		t.Run("not_found", func(t *testing.T) {
			never := sum([]byte("never stored"))
			if _, _, err := b.store.Open(ctx, never); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Open = %v, want ErrNotFound", err)
			}
			if ok, err := b.store.Exists(ctx, never); err != nil || ok {
				t.Fatalf("Exists = %v, %v, want false, nil", ok, err)
			}
			if err := b.store.Delete(ctx, never); err != nil {
				t.Fatalf("Delete = %v, want nil", err)
			}
		})

		t.Run("bad_sha_refused", func(t *testing.T) {
			// Something a refused name could reach if it were used as a path.
			victim := mustPut(t, b.store, []byte("victim"))
			good := victim.SHA256
			for _, c := range []struct{ name, sha string }{
				{"empty", ""},
				{"parent_path", "../../../../etc/passwd"},
				{"path_of_object", objectPath(good)},
				{"uppercase", strings.ToUpper(good)},
				{"short", good[:63]},
				{"long", good + "0"},
				{"dot_dot_padded", "../" + good[3:]},
				{"slash", good[:10] + "/" + good[11:]},
				{"nul", good[:63] + "\x00"},
				{"not_hex", good[:63] + "g"},
				{"cyrillic", good[:62] + "ә"},
				{"spaces", " " + good[1:]},
			} {
				t.Run(c.name, func(t *testing.T) {
					if _, _, err := b.store.Open(ctx, c.sha); !errors.Is(err, ErrInvalidSHA) {
						t.Errorf("Open = %v, want ErrInvalidSHA", err)
					}
					if _, err := b.store.Exists(ctx, c.sha); !errors.Is(err, ErrInvalidSHA) {
						t.Errorf("Exists = %v, want ErrInvalidSHA", err)
					}
					if err := b.store.Delete(ctx, c.sha); !errors.Is(err, ErrInvalidSHA) {
						t.Errorf("Delete = %v, want ErrInvalidSHA", err)
					}
				})
			}
			if ok, err := b.store.Exists(ctx, good); !ok || err != nil {
				t.Fatalf("a refused Delete removed a stored object: %v, %v", ok, err)
			}
		})

		t.Run("concurrent_puts_of_same_content", func(t *testing.T) {
			content := bytes.Repeat([]byte("ТЖБ 7 сынып, 2-тоқсан. "), 50000) // about 1.3 MB
			const n = 8
			objs := make([]Object, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					objs[i], errs[i] = b.store.Put(ctx, bytes.NewReader(content), 10<<20)
				})
			}
			wg.Wait()
			for i := range n {
				if errs[i] != nil || objs[i].SHA256 != sum(content) || objs[i].Size != int64(len(content)) {
					t.Fatalf("Put %d = %+v, %v", i, objs[i], errs[i])
				}
			}
			stored := 0
			for _, p := range b.stored(t) {
				if p == objectPath(sum(content)) {
					stored++
				}
			}
			if stored != 1 {
				t.Fatalf("stored %d copies, want 1", stored)
			}
			if got := readAll(t, b.store, sum(content)); !bytes.Equal(got, content) {
				t.Fatal("content differs after concurrent puts")
			}
			noLeftovers(t, b)
		})

		t.Run("empty_file", func(t *testing.T) {
			obj := mustPut(t, b.store, nil)
			const emptySHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
			if obj != (Object{SHA256: emptySHA, Size: 0}) {
				t.Fatalf("Put of nothing = %+v", obj)
			}
			if ok, err := b.store.Exists(ctx, emptySHA); !ok || err != nil {
				t.Fatalf("Exists = %v, %v", ok, err)
			}
			if got := readAll(t, b.store, emptySHA); len(got) != 0 {
				t.Fatalf("read %d bytes from an empty file", len(got))
			}
		})

		t.Run("file_name_is_irrelevant", func(t *testing.T) {
			// Two teachers upload the same bytes under different Kazakh
			// names: one object, named by its hash, and no trace of either
			// name in storage.
			content := []byte("Ашық сабақ: «Менің Отаным — Қазақстан»")
			uploads := map[string][]byte{
				"Сабақ жоспары (ҚМЖ) 5-сынып.docx": content,
				"ашық_сабақ_Өскемен.docx":          bytes.Clone(content),
			}
			var got []Object
			for _, c := range uploads {
				got = append(got, mustPut(t, b.store, c))
			}
			if got[0] != got[1] {
				t.Fatalf("same bytes, different names: %+v vs %+v", got[0], got[1])
			}
			for _, p := range append(b.stored(t), b.leftovers(t)...) {
				if !inLayout(p) {
					t.Errorf("stored under %q, not under a hash", p)
				}
			}
		})

		t.Run("cancelled_upload_leaves_nothing", func(t *testing.T) {
			cctx, cancel := context.WithCancel(ctx)
			r := &cancelAfter{r: bytes.NewReader(bytes.Repeat([]byte("ФО "), 1<<20)), n: 64 << 10, cancel: cancel}
			if _, err := b.store.Put(cctx, r, 10<<20); !errors.Is(err, context.Canceled) {
				t.Fatalf("Put with a cancelled request = %v, want context.Canceled", err)
			}
			noLeftovers(t, b)
		})

		t.Run("broken_upload_leaves_nothing", func(t *testing.T) {
			broken := errors.New("connection reset by the client")
			r := io.MultiReader(bytes.NewReader(lessonPlan[:40000]), errReader{broken})
			if _, err := b.store.Put(ctx, r, 10<<20); !errors.Is(err, broken) {
				t.Fatalf("Put of a broken upload = %v, want the reader's error", err)
			}
			if ok, _ := b.store.Exists(ctx, sum(lessonPlan[:40000])); ok {
				t.Fatal("half an upload is stored")
			}
			noLeftovers(t, b)
		})
	})
}

// cancelAfter cancels its context once n bytes have been read, as a
// client that goes away mid-upload.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n -= n
	if c.n <= 0 {
		c.cancel()
	}
	return n, err
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// TestLocalPermissions: uploaded files are readable by the server's user
// only (clause 2.1) — 0600 files in 0700 folders.
func TestLocalPermissions(t *testing.T) {
	dataDir := t.TempDir()
	s, err := Open("", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	obj := mustPut(t, s, lessonPlan)
	file := filepath.Join(dataDir, "files", filepath.FromSlash(objectPath(obj.SHA256)))
	checks := []struct {
		path string
		want os.FileMode
	}{
		{file, 0o600},
		{filepath.Dir(file), 0o700},
		{filepath.Dir(filepath.Dir(file)), 0o700},
		{filepath.Join(dataDir, "files"), 0o700},
		{filepath.Join(dataDir, "files", "tmp"), 0o700},
	}
	for _, c := range checks {
		st, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != c.want {
			rel, _ := filepath.Rel(dataDir, c.path)
			t.Errorf("%s has mode %o, want %o", rel, got, c.want)
		}
	}
}

// TestOpenS3 opens the S3 store through the spec a deployment writes, and
// checks that a wrong secret, a missing bucket or a missing server are
// refused at start, without the secret in the message.
func TestOpenS3(t *testing.T) {
	srv := startS3(t)
	bucket := srv.NewBucket(t)
	noEnv := func(string) string { return "" }

	s, err := OpenEnv(srv.Spec(bucket), t.TempDir(), noEnv)
	if err != nil {
		t.Fatalf("open with credentials in the URL: %v", err)
	}
	obj := mustPut(t, s, lessonPlan)
	if got := readAll(t, s, obj.SHA256); !bytes.Equal(got, lessonPlan) {
		t.Fatal("content differs")
	}
	if str := s.(interface{ String() string }).String(); strings.Contains(str, srv.Secret) || !strings.Contains(str, bucket) {
		t.Errorf("String() = %q: must name the bucket and not the secret", str)
	}

	wrongSecret := randomHex(t, 20)
	for _, c := range []struct {
		name string
		spec string
	}{
		{"wrong_secret", strings.Replace(srv.Spec(bucket), srv.Secret, wrongSecret, 1)},
		{"missing_bucket", srv.Spec("no-such-bucket")},
		{"no_server", strings.Replace(srv.Spec(bucket), srv.Endpoint, "127.0.0.1:1", 1)},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := OpenEnv(c.spec, t.TempDir(), noEnv)
			if err == nil {
				t.Fatal("opened")
			}
			if msg := err.Error(); strings.Contains(msg, srv.Secret) || strings.Contains(msg, wrongSecret) {
				t.Fatal("the error message contains the secret key")
			}
		})
	}
}

// TestStaleUploadsRemovedAtOpen: the temporary file of an upload that a
// crash interrupted is removed when storage is next opened, once it is a
// day old; a fresh one, which another process may still be writing, stays.
func TestStaleUploadsRemovedAtOpen(t *testing.T) {
	for _, c := range []struct {
		name string
		dir  func(dataDir string) string // where unfinished uploads live
		open func(t *testing.T, dataDir string) error
	}{
		{"local", func(d string) string { return filepath.Join(d, "files", "tmp") }, func(t *testing.T, d string) error {
			_, err := Open("", d)
			return err
		}},
		{"s3", func(d string) string { return filepath.Join(d, "spool") }, func(t *testing.T, d string) error {
			srv := startS3(t)
			_, err := OpenEnv(srv.Spec(srv.NewBucket(t)), d, func(string) string { return "" })
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dataDir := t.TempDir()
			dir := c.dir(dataDir)
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			old, fresh := filepath.Join(dir, "put-crashed"), filepath.Join(dir, "put-in-progress")
			for _, p := range []string{old, fresh} {
				if err := os.WriteFile(p, []byte("half an upload"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			twoDaysAgo := time.Now().Add(-48 * time.Hour)
			if err := os.Chtimes(old, twoDaysAgo, twoDaysAgo); err != nil {
				t.Fatal(err)
			}
			if err := c.open(t, dataDir); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(old); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a two-day-old unfinished upload is still there (%v)", err)
			}
			if _, err := os.Stat(fresh); err != nil {
				t.Errorf("a fresh upload in progress was removed: %v", err)
			}
		})
	}
}
