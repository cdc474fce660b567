package library

import (
	"context"
	"html"
	"strings"

	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
)

// notify tells a material's author about a moderation decision, in their
// language. A failure is logged without the address and does not undo
// the decision: the author also sees it on their materials page.
func (s *Service) notify(ctx context.Context, m *Material, kind, reason, note string) {
	if s.o.Mail == nil || s.o.Contacts == nil {
		return
	}
	to, lang, err := s.o.Contacts(ctx, m.AuthorID)
	if err != nil || to == "" {
		return
	}
	msg := composeDecision(lang, to, kind, m.Title, s.o.BaseURL+m.Path(), reason, note)
	if err := s.o.Mail.Send(context.WithoutCancel(ctx), msg); err != nil {
		s.o.Log.Warn("library: decision email not sent", "material", m.ID, "err", err)
	}
}

// composeDecision writes the email for a decision kind ("approved",
// "rejected", "taken_down") in lang.
func composeDecision(lang i18n.Lang, to, kind, title, link, reason, note string) mail.Message {
	subject := i18n.T(lang, "library.mail."+kind+".subject")
	body := i18n.T(lang, "library.mail."+kind+".text", title)
	var lines []string
	lines = append(lines, i18n.T(lang, "library.mail.hello"), "", body)
	if reason != "" {
		lines = append(lines, "", i18n.T(lang, "library.mail.reason")+": "+i18n.T(lang, "library.reason."+reason))
	}
	if note != "" {
		lines = append(lines, i18n.T(lang, "library.mail.note")+": "+note)
	}
	lines = append(lines, "", link, "", i18n.T(lang, "library.mail.signature"))
	var h strings.Builder
	h.WriteString(`<!doctype html><html lang="` + string(lang) + `"><body>`)
	for _, l := range lines {
		if l == "" {
			continue
		}
		if l == link {
			h.WriteString(`<p><a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + `</a></p>`)
			continue
		}
		h.WriteString("<p>" + html.EscapeString(l) + "</p>")
	}
	h.WriteString("</body></html>")
	return mail.Message{To: to, Subject: subject, Text: strings.Join(lines, "\n"), HTML: h.String(), Lang: lang, Kind: "library." + kind}
}
