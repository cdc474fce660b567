package blob

import (
	"bytes"
	"context"
	"errors"
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
