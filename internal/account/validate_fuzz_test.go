package account

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
)

// FuzzRegistrationFields feeds arbitrary form values through the same
// cleaning and checks Register uses. Whatever comes in, validation must
// not panic, and anything it accepts must be storable as one clean line:
// valid UTF-8, no control characters, within the length limits.
func FuzzRegistrationFields(f *testing.F) {
	for _, s := range []string{"", "aigul@mail.kz", "Әсел Құрманғазықызы", "a\x00b", "\xff\xfe", "x@y", "+7 (701) 123-45-67", " \u202e evil ", strings.Repeat("ә", 300)} {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, email, name, phone string) {
		var errs apperr.Fields
		e := cleanText(email)
		checkEmail(&errs, FieldEmail, e)
		p := Profile{FullName: name, Phone: phone}.clean()
		p.check(&errs)
		checkPassword(&errs, FieldPassword, name, e)
		bad := map[string]bool{}
		for _, x := range errs {
			if x.Field == "" || x.Key == "" {
				t.Fatalf("an error without field or message key: %+v", x)
			}
			bad[x.Field] = true
		}
		ok := func(field, v string, max int) {
			if bad[field] || v == "" {
				return
			}
			if !utf8.ValidString(v) || badCharset(v) || utf8.RuneCountInString(v) > max {
				t.Fatalf("%s accepted a value that is not one clean line within %d characters", field, max)
			}
		}
		ok(FieldEmail, e, maxEmail)
		ok(FieldFullName, p.FullName, maxName)
		ok(FieldPhone, p.Phone, maxPhone)
		if !bad[FieldEmail] && strings.Count(e, "@") < 1 {
			t.Fatalf("an address without @ was accepted")
		}
	})
}
