package i18n

import (
	"regexp"
	"strings"
	"testing"
)

// Issue 13 §4: the teacher's interface names no paragraph numbers of the
// agreement or the law ("пункт 1.4", "1.4-тармақ", "clause 1.4"); only
// the staff's pages (the report register, administration) may.
func TestNoParagraphNumbersForTeachers(t *testing.T) {
	numbered := regexp.MustCompile(`(?i)(пункт|clause|тармақ|бап|стать|article)[^.]{0,3}\d+\.\d|\d+\.\d+-(тармақ|бап)`)
	staff := []string{"web.admin.", "library.page.reports", "audit.", "jobs.", "preview.admin", "corr.admin."}
	for _, k := range Keys() {
		skip := false
		for _, p := range staff {
			skip = skip || strings.HasPrefix(k, p)
		}
		if skip {
			continue
		}
		e := loaded.entries[k]
		for _, l := range Langs {
			for _, s := range e.texts(l) {
				if numbered.MatchString(s) {
					t.Errorf("%s:%d: %s names a paragraph number: %q", e.file, e.line, k, numbered.FindString(s))
				}
			}
		}
	}
}
