package mail

import (
	"html/template"
	"strings"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// VerifyEmail asks a new user to confirm their address by opening link.
func VerifyEmail(l i18n.Lang, to, link string) Message {
	return compose(l, to, "verify", link)
}

// ResetPassword sends the link that sets a new password.
func ResetPassword(l i18n.Lang, to, link string) Message {
	return compose(l, to, "reset", link)
}

// RegisterAttempt tells the owner of an address that someone tried to
// register with it (the form answered as for a new address, so it
// reveals no one's account); link leads to setting a new password.
func RegisterAttempt(l i18n.Lang, to, link string) Message {
	return compose(l, to, "register_attempt", link)
}

// ConfirmEmailChange asks the owner of a new address to confirm it before
// it replaces the old one.
func ConfirmEmailChange(l i18n.Lang, to, link string) Message {
	return compose(l, to, "email_change", link)
}

// EmailChanged tells the OLD address that the account's address changed,
// so a stolen account does not change hands silently.
func EmailChanged(l i18n.Lang, to string) Message {
	return compose(l, to, "email_changed", "")
}

// PasswordChanged tells the user their password changed.
func PasswordChanged(l i18n.Lang, to string) Message {
	return compose(l, to, "password_changed", "")
}

// AgreementChanged tells the user that a new version of the confidentiality
// agreement or privacy policy is published (link points to it), that they
// will be asked to accept it at their next sign-in, and that they may
// delete their account instead (clause 3.4, clause P.4).
func AgreementChanged(l i18n.Lang, to, link string) Message {
	return compose(l, to, "agreement", link)
}

// AdminInvite invites the owner of to to become an administrator.
func AdminInvite(l i18n.Lang, to, link string) Message {
	return compose(l, to, "admin_invite", link)
}

// page is what the HTML part shows.
type page struct {
	Lang                                  i18n.Lang
	Subject, Greeting, Body, Note, Footer string
	Action, Fallback                      string
	Link                                  string
}

// compose fills the text and HTML parts of one kind of message from the
// i18n keys mail.<kind>.subject/body/note and, with a link, .action.
func compose(l i18n.Lang, to, kind, link string) Message {
	if _, ok := i18n.Parse(string(l)); !ok {
		l = i18n.Default
	}
	t := func(key string) string { return i18n.T(l, key) }
	p := page{
		Lang:     l,
		Subject:  t("mail." + kind + ".subject"),
		Greeting: t("mail.greeting"),
		Body:     t("mail." + kind + ".body"),
		Note:     t("mail." + kind + ".note"),
		Footer:   t("mail.footer"),
		Link:     link,
	}
	if link != "" {
		p.Action, p.Fallback = t("mail."+kind+".action"), t("mail.fallback")
	}

	var text strings.Builder
	text.WriteString(p.Greeting + "\n\n" + p.Body + "\n\n")
	if link != "" {
		text.WriteString(p.Action + ":\n" + link + "\n\n")
	}
	text.WriteString(p.Note + "\n\n-- \n" + p.Footer + "\n")

	var html strings.Builder
	if err := htmlPage.Execute(&html, p); err != nil {
		// Only a broken template fails on string fields: a programming
		// error that the template tests catch.
		panic("mail: html template: " + err.Error())
	}
	return Message{To: to, Subject: p.Subject, Text: text.String(), HTML: html.String(), Lang: l, Kind: kind}
}

// htmlPage is the HTML part: tables and inline styles because many email
// clients ignore <style> and modern layout, no images so nothing is
// fetched from outside. html/template escapes every value and refuses a
// link that is not http(s) or relative.
var htmlPage = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Subject}}</title>
</head>
<body style="margin:0;padding:0;background:#f4f5f7;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f5f7;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border:1px solid #e4e7eb;border-radius:8px;">
<tr><td style="padding:28px 32px 8px;font-family:Arial,Helvetica,sans-serif;font-size:20px;font-weight:bold;color:#0b6e4f;">smartustaz</td></tr>
<tr><td style="padding:8px 32px 24px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f2933;">
<p style="margin:0 0 16px;">{{.Greeting}}</p>
<p style="margin:0 0 16px;">{{.Body}}</p>
{{- if .Link}}
<p style="margin:24px 0;"><a href="{{.Link}}" style="display:inline-block;padding:12px 24px;background:#0b6e4f;color:#ffffff;font-weight:bold;text-decoration:none;border-radius:6px;">{{.Action}}</a></p>
<p style="margin:0 0 16px;font-size:14px;color:#52606d;">{{.Fallback}}<br><a href="{{.Link}}" style="color:#0b6e4f;word-break:break-all;">{{.Link}}</a></p>
{{- end}}
<p style="margin:0 0 16px;">{{.Note}}</p>
</td></tr>
<tr><td style="padding:16px 32px;border-top:1px solid #e4e7eb;font-family:Arial,Helvetica,sans-serif;font-size:12px;line-height:1.5;color:#7b8794;">{{.Footer}}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`))
