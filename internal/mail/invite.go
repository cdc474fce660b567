package mail

import "github.com/smartustaz/smartustaz/internal/i18n"

// ImportInvite tells a user brought over from another site's database
// that their account is here, that their old password works, and gives
// the link (a password-reset link) that sets a new one.
func ImportInvite(l i18n.Lang, to, link string) Message {
	return compose(l, to, "import_invite", link)
}
