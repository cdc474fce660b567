package passhash

import (
	"errors"
	"strings"
	"testing"
)

func seeds(f *testing.F) {
	for _, v := range vectors {
		f.Add(v.hash, v.password)
	}
	for _, s := range []string{"", "$", "$2y$99$", "$argon2id$v=19$m=0,t=0,p=0$$", "$5$rounds=0$$", "$P$\x00", "md5:sp:::", "pbkdf2_sha1$1$s$"} {
		f.Add(s, "x")
	}
}

// FuzzIdentify: any string (an imported row's hash column) is classified
// without panicking, and Identify, Known and Check agree.
func FuzzIdentify(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s, _ string) {
		fm := Identify(s)
		err := Check(s)
		if Known(s) != (fm != Unknown) || (err == nil) != (fm != Unknown) {
			t.Fatalf("Identify %q, Known %v, Check %v disagree", fm, Known(s), err)
		}
		if err != nil && !errors.Is(err, ErrUnknown) {
			t.Fatalf("Check's error does not wrap ErrUnknown: %v", err)
		}
	})
}

// FuzzVerify: any stored string and password verify without panicking; an
// unknown hash never matches, and neither does the empty one.
func FuzzVerify(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s, pw string) {
		// Keep each run cheap: the costs written in a valid hash are real.
		if strings.Contains(s, "rounds=") || strings.HasPrefix(s, "pbkdf2") || strings.Contains(s, "argon2") || strings.HasPrefix(s, "$2") || strings.Contains(s, "bcrypt") {
			if Identify(s) != Unknown && !cheap(s) {
				return
			}
		}
		ok, err := Verify(pw, s)
		if Identify(s) == Unknown && (ok || !errors.Is(err, ErrUnknown)) {
			t.Fatalf("an unknown hash: ok %v err %v", ok, err)
		}
		if s == "" && ok {
			t.Fatal("the empty hash matched")
		}
	})
}

// cheap reports whether verifying s takes well under a second.
func cheap(s string) bool {
	for _, v := range vectors {
		if v.hash == s {
			return true
		}
	}
	return false
}
