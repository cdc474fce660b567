package library_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
)

// FuzzUnsubscribeDigest feeds the digest's unsubscribe link (u and t of
// /digest/unsubscribe, outside data: anyone can send them) to the
// library: whatever arrives, only the genuine token of a user turns that
// user's digest off; anything else is "link does not work" and changes
// nothing.
func FuzzUnsubscribeDigest(f *testing.F) {
	d := dbtest.Open(f, db.SQLite)
	e := newEnv(f, d, library.Options{})
	ctx := context.Background()
	victim := e.user("user")
	if err := e.lib.SetDigestFrequency(ctx, victim, library.DigestDaily); err != nil {
		f.Fatal(err)
	}
	good := e.lib.DigestToken(victim)
	f.Add(strconv.FormatInt(victim, 10), good[:len(good)-1])
	f.Add(strconv.FormatInt(victim, 10), "")
	f.Add("0", good)
	f.Add("-1", "x")
	f.Add("9223372036854775807", good+"=")
	f.Add("１２", "ә")
	f.Fuzz(func(t *testing.T, u, tok string) {
		uid, _ := strconv.ParseInt(u, 10, 64)
		err := e.lib.UnsubscribeDigest(ctx, uid, tok)
		if uid == victim && tok == good {
			return
		}
		if codeOf(err) != apperr.Gone {
			t.Fatalf("a link that is not the user's own: %v", err)
		}
		if f, _ := e.lib.DigestFrequency(ctx, victim); f != library.DigestDaily {
			t.Fatalf("a forged link changed the digest")
		}
	})
}
