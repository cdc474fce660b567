package blob

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"sort"
	"testing"
)

// Named objects are kept apart from the files: replaced whole, read back
// as written, absent ones reported as ErrNotFound, and names that could
// leave their place refused.
func TestNamed(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		n, ok := b.store.(Named)
		if !ok {
			t.Fatalf("%s does not keep named objects", b.name)
		}
		if _, err := n.GetNamed(ctx, "audit/checkpoint.json"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("absent object: %v, want ErrNotFound", err)
		}
		for _, content := range [][]byte{[]byte(`{"seq":1}`), []byte(`{"seq":12}`), {}} {
			if err := n.PutNamed(ctx, "audit/checkpoint.json", content); err != nil {
				t.Fatal(err)
			}
			got, err := n.GetNamed(ctx, "audit/checkpoint.json")
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("read back %q, %v; want %q", got, err, content)
			}
		}
		if st := b.stored(t); len(st) != 0 {
			t.Errorf("a named object shows among the files: %q", st)
		}
		for _, bad := range []string{"", "../keyring.json", "audit/../../x", "/abs", "a//b", "Audit", ".hidden", "a/.x", "a b", string(make([]byte, 201))} {
			if err := n.PutNamed(ctx, bad, []byte("x")); !errors.Is(err, ErrInvalidName) {
				t.Errorf("PutNamed(%q): %v, want ErrInvalidName", bad, err)
			}
			if _, err := n.GetNamed(ctx, bad); !errors.Is(err, ErrInvalidName) {
				t.Errorf("GetNamed(%q): %v, want ErrInvalidName", bad, err)
			}
		}
		if err := n.PutNamed(ctx, "big", make([]byte, MaxNamedSize+1)); err != nil {
			t.Fatal(err)
		}
		if _, err := n.GetNamed(ctx, "big"); err == nil {
			t.Errorf("an object over MaxNamedSize was read")
		}
	})
}

// A folder of named objects lists exactly its own (the vault's deletion
// list reads every node's entries this way), never the files.
func TestListNamed(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		n := b.store.(Named)
		if got, err := n.ListNamed(ctx, "tombstones/"); err != nil || len(got) != 0 {
			t.Fatalf("an empty folder lists %q, %v", got, err)
		}
		want := []string{"tombstones/1.abc", "tombstones/2.abc", "tombstones/3.abc"}
		for _, name := range append(want, "other/x", "tombstones2/y") {
			if err := n.PutNamed(ctx, name, []byte(name+"\n")); err != nil {
				t.Fatal(err)
			}
		}
		got, err := n.ListNamed(ctx, "tombstones/")
		sort.Strings(got)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("listed %q (%v), want %q", got, err, want)
		}
		if st := b.stored(t); len(st) != 0 {
			t.Errorf("named objects show among the files: %q", st)
		}
		if _, err := n.ListNamed(ctx, "../"); !errors.Is(err, ErrInvalidName) {
			t.Errorf("ListNamed(../): %v, want ErrInvalidName", err)
		}
	})
}
