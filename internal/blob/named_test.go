package blob

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/minio/minio-go/v7"
)

// Named objects on S3: stored under their own name beside the content,
// listed by folder, refused with a
// name that could fall among the content's folders or leave the bucket's
// layout. A local folder does not offer them.
func TestNamedObjects(t *testing.T) {
	srv := startS3(t)
	bucket := srv.NewBucket(t)
	st, err := Open(srv.Spec(bucket), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	n, ok := st.(Named)
	if !ok {
		t.Fatal("the S3 store does not offer named objects")
	}
	ctx := context.Background()
	var want []string
	for i := 0; i < 3; i++ {
		name := fmt.Sprintf("tombstones/%d.abc", i)
		if err := n.PutNamed(ctx, name, []byte(name+"\n")); err != nil {
			t.Fatal(err)
		}
		want = append(want, name)
	}
	if err := n.PutNamed(ctx, "other/x", []byte("y")); err != nil {
		t.Fatal(err)
	}
	got, err := n.ListNamed(ctx, "tombstones/")
	sort.Strings(got)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("listed %v (%v), want %v", got, err, want)
	}
	obj, err := srv.Client.GetObject(ctx, bucket, "tombstones/1.abc", minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 64)
	k, _ := obj.Read(b)
	obj.Close()
	if string(b[:k]) != "tombstones/1.abc\n" {
		t.Fatalf("object holds %q", b[:k])
	}
	for _, bad := range []string{"ab/cd", "../x", "tombstones/../x", "tombstones/", "x", "TOMB/x", "tombstones/a b", "tombstones/a/b"} {
		if err := n.PutNamed(ctx, bad, nil); !errors.Is(err, ErrInvalidName) {
			t.Errorf("PutNamed(%q): %v, want ErrInvalidName", bad, err)
		}
	}
	local, err := Open("", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := local.(Named); ok {
		t.Error("the local store offers named objects; the data folder already holds them")
	}
}
