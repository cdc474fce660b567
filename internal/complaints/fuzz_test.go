package complaints_test

import (
	"testing"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/complaints"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// FuzzValidate feeds the form's fields (outside input) to Validate: it
// never panics, and what it accepts is clean, bounded UTF-8.
func FuzzValidate(f *testing.F) {
	f.Add("complaint", "Әлия", "a@example.kz", "", "Тақырып", "Мәтін", "2026-03-19", "", true, false)
	f.Add("official", "Министрлік", "", "", "s", "t", "2026-13-40", "2026-03-01", true, true)
	f.Add("x", "", "not@", "p", "\r\n", "\xff", "", "", false, true)
	f.Fuzz(func(t *testing.T, kind, sender, contact, parties, subject, text, letter, due string, letterForm, visitor bool) {
		in := complaints.Input{Kind: privacy.RequestType(kind), Sender: sender, Contact: contact, Parties: parties, Subject: subject,
			Text: text, LetterDate: letter, DueDate: due}
		if err := in.Validate(letterForm, visitor, "2026-03-20"); err != nil {
			return
		}
		if in.Subject == "" || in.Text == "" || !utf8.ValidString(in.Subject+in.Text+in.Sender+in.Parties) ||
			utf8.RuneCountInString(in.Subject) > complaints.MaxLine || utf8.RuneCountInString(in.Text) > complaints.MaxText {
			t.Fatalf("accepted an unclean input")
		}
		if visitor && !complaints.ValidEmail(in.Contact) {
			t.Fatalf("accepted a visitor without an address")
		}
	})
}
