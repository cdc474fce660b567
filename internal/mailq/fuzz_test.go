package mailq_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/mailq"
)

// FuzzReason: whatever a mail server or a sender's error says, the reason
// kept for the administrator holds neither the recipient nor anything
// shaped like an address, is valid UTF-8 when the input is, and is short.
func FuzzReason(f *testing.F) {
	f.Add("mail: smtp: RCPT TO failed: server replied 550 5.1.1", "a@b.kz")
	f.Add("<мұғалім@мектеп.kz>: Recipient address rejected", "мұғалім@мектеп.kz")
	f.Add("550 user x@y.z unknown; also X@Y.Z", "x@y.z")
	f.Add(strings.Repeat("ә", 400), "")
	f.Fuzz(func(t *testing.T, msg, to string) {
		r := mailq.Reason(errors.New(msg), to)
		if len(r) > 300 {
			t.Fatalf("reason of %d bytes", len(r))
		}
		if strings.Contains(to, "@") && strings.Contains(r, to) {
			t.Fatal("the reason holds the recipient")
		}
		if utf8.ValidString(msg) && !utf8.ValidString(r) {
			t.Fatal("the reason is not valid UTF-8")
		}
		if i := strings.IndexByte(r, '@'); i > 0 && i < len(r)-1 && !strings.ContainsAny(r[i-1:i+2], " \t\r\n<>\"'(),;:[]") {
			t.Fatalf("an address-like text stays in the reason")
		}
	})
}
