package mail

import "github.com/smartustaz/smartustaz/internal/i18n"

// The import's invitation is checked by TestEveryTemplateInEveryLanguage
// with the others (its own file, so the list in templates_test.go stays
// as it is).
func init() {
	templates = append(templates, struct {
		name string
		make func(l i18n.Lang, to, link string) Message
		link bool
	}{"ImportInvite", ImportInvite, true})
}
