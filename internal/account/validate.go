package account

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"golang.org/x/text/unicode/norm"
)

// Form field names used in validation errors (the web layer maps them to
// its inputs).
const (
	FieldEmail        = "email"
	FieldPassword     = "password"
	FieldOldPassword  = "old_password"
	FieldFullName     = "full_name"
	FieldOrganization = "organization"
	FieldPosition     = "position"
	FieldRegion       = "region"
	FieldPhone        = "phone"
	FieldAccept       = "accept"
	FieldLocale       = "locale"
	FieldRole         = "role"
)

// Length limits, in characters (the address in bytes, as RFC 5321 counts).
const (
	maxEmail       = 254
	maxName        = 200 // full name and organisation
	maxShort       = 120 // position and region
	maxPhone       = 32
	minPassword    = 10
	maxPassword    = 128
	minPhoneDigits = 10
	maxPhoneDigits = 15
)

// cleanText trims spaces and NFC-normalises s, so "ә" typed as one code
// point or as "а" plus a combining mark is stored, compared and found alike.
// Invalid UTF-8 is left as is for checkText to refuse.
func cleanText(s string) string {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// badCharset reports invalid UTF-8, control characters (line breaks
// included: every field here is one line) and the bidirectional overrides
// that can make text display differently from what it is.
func badCharset(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unicode.IsControl(r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) {
			return true
		}
	}
	return false
}

// checkText validates one cleaned text field.
func checkText(errs *apperr.Fields, field, v string, required bool, maxLen int) {
	switch {
	case v == "":
		if required {
			*errs = append(*errs, apperr.Field(field, "account.field.required"))
		}
	case badCharset(v):
		*errs = append(*errs, apperr.Field(field, "account.field.charset"))
	case utf8.RuneCountInString(v) > maxLen:
		*errs = append(*errs, apperr.Field(field, "account.field.too_long", maxLen))
	}
}

// checkEmail validates a cleaned address: the bare address only (no
// display name, no angle brackets), with a dotted domain.
func checkEmail(errs *apperr.Fields, field, v string) {
	switch {
	case v == "":
		*errs = append(*errs, apperr.Field(field, "account.field.required"))
		return
	case badCharset(v):
		*errs = append(*errs, apperr.Field(field, "account.field.charset"))
		return
	case len(v) > maxEmail:
		*errs = append(*errs, apperr.Field(field, "account.field.too_long", maxEmail))
		return
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Name != "" || a.Address != v || strings.ContainsAny(v, " \"") {
		*errs = append(*errs, apperr.Field(field, "account.email.invalid"))
		return
	}
	at := strings.LastIndexByte(v, '@')
	domain := v[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		*errs = append(*errs, apperr.Field(field, "account.email.invalid"))
	}
}

// checkPassword validates a new password: 10–128 characters, printable,
// and not the address itself. The password is never trimmed.
func checkPassword(errs *apperr.Fields, field, pw, email string) {
	switch n := utf8.RuneCountInString(pw); {
	case pw == "":
		*errs = append(*errs, apperr.Field(field, "account.field.required"))
	case badCharset(pw):
		*errs = append(*errs, apperr.Field(field, "account.field.charset"))
	case n < minPassword:
		*errs = append(*errs, apperr.Field(field, "account.password.too_short", minPassword))
	case n > maxPassword:
		*errs = append(*errs, apperr.Field(field, "account.password.too_long", maxPassword))
	case email != "" && strings.EqualFold(strings.TrimSpace(norm.NFC.String(pw)), email):
		*errs = append(*errs, apperr.Field(field, "account.password.is_email"))
	}
}

// checkPhone validates an optional phone number: 10–15 digits, with
// "+", brackets, hyphens and spaces allowed between them.
func checkPhone(errs *apperr.Fields, v string) {
	if v == "" {
		return
	}
	if badCharset(v) {
		*errs = append(*errs, apperr.Field(FieldPhone, "account.field.charset"))
		return
	}
	if utf8.RuneCountInString(v) > maxPhone {
		*errs = append(*errs, apperr.Field(FieldPhone, "account.field.too_long", maxPhone))
		return
	}
	digits := 0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == '(' || r == ')' || r == '-' || r == ' ':
		default:
			*errs = append(*errs, apperr.Field(FieldPhone, "account.phone.invalid"))
			return
		}
	}
	if digits < minPhoneDigits || digits > maxPhoneDigits {
		*errs = append(*errs, apperr.Field(FieldPhone, "account.phone.invalid"))
	}
}

// clean returns p with every field trimmed and NFC-normalised.
func (p Profile) clean() Profile {
	return Profile{
		FullName:     cleanText(p.FullName),
		Organization: cleanText(p.Organization),
		Position:     cleanText(p.Position),
		Region:       cleanText(p.Region),
		Phone:        cleanText(p.Phone),
	}
}

// check validates a cleaned profile. Only the full name is required:
// organisation, position, region and phone are optional because the law
// asks to collect no more than the purpose needs (LAW.md L5).
func (p Profile) check(errs *apperr.Fields) {
	checkText(errs, FieldFullName, p.FullName, true, maxName)
	checkText(errs, FieldOrganization, p.Organization, false, maxName)
	checkText(errs, FieldPosition, p.Position, false, maxShort)
	checkText(errs, FieldRegion, p.Region, false, maxShort)
	checkPhone(errs, p.Phone)
}

// values lists the profile in the order of profileColumns[1:].
func (p Profile) values() [5]string {
	return [5]string{p.FullName, p.Organization, p.Position, p.Region, p.Phone}
}

// profileFields are the history names of profileColumns[1:].
var profileFields = [5]string{FieldFullName, FieldOrganization, FieldPosition, FieldRegion, FieldPhone}
