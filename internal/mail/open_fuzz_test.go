package mail

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzOpen: the SMTP address comes from the operator's configuration.
// Whatever it holds, Open never panics and its error never repeats the
// password it was given.
func FuzzOpen(f *testing.F) {
	f.Add("smtp://user:Sekr3tPass@mail.example.kz:587", "Sekr3tPass")
	f.Add("smtps://u:p%40ss@host:465?starttls=required", "p@ss")
	f.Add("smtp://u:Sekr3tPass@[::1", "Sekr3tPass")
	f.Add("ftp://u:Sekr3tPass@host", "Sekr3tPass")
	f.Fuzz(func(t *testing.T, u, secret string) {
		_, err := Open(u, t.TempDir(), "")
		if err == nil || len(secret) < 6 {
			return
		}
		// The password is the secret when the address parses with it as
		// its password, or when it sits between ':' and '@' of the text.
		isPassword := false
		if pu, perr := url.Parse(u); perr == nil && pu.User != nil {
			pw, _ := pu.User.Password()
			isPassword = pw == secret
		}
		if strings.Contains(u, ":"+secret+"@") {
			isPassword = true
		}
		if isPassword && strings.Contains(err.Error(), secret) {
			t.Fatalf("the error repeats the password")
		}
	})
}
