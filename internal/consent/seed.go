package consent

import (
	"context"
	"embed"
	"fmt"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// texts holds version 1 of both documents. agreement.kk.txt is the
// original text of the agreement, byte for byte; the other files are
// translations of it and the Privacy Policy written for this portal.
//
//go:embed texts/*.txt
var texts embed.FS

// seedTitles are the titles of version 1; the files hold only the texts.
var seedTitles = map[Kind]map[i18n.Lang]string{
	KindAgreement: {
		i18n.KK: "Сайт пайдаланушысының жеке деректерін пайдаланудың құпиялылығы туралы келісім",
		i18n.RU: "Соглашение о конфиденциальности использования персональных данных пользователя сайта",
		i18n.EN: "Agreement on the Confidentiality of the Use of Site Users' Personal Data",
	},
	KindPrivacy: {
		i18n.KK: "Дербес деректердің құпиялылық саясаты",
		i18n.RU: "Политика конфиденциальности персональных данных",
		i18n.EN: "Personal Data Privacy Policy",
	},
}

// SeedText returns the embedded version-1 text of kind in l.
func SeedText(kind Kind, l i18n.Lang) (string, error) {
	b, err := texts.ReadFile("texts/" + string(kind) + "." + string(l) + ".txt")
	if err != nil {
		return "", fmt.Errorf("consent: seed text: %w", err)
	}
	return string(b), nil
}

// Seed publishes version 1 of both documents from the embedded texts when
// the database has none yet (first start). It is idempotent and safe to
// run from several processes at once: a version 1 already there is left
// alone, whatever its text, because later texts arrive through Publish.
func (s *Service) Seed(ctx context.Context) error {
	for _, kind := range Kinds {
		body := map[i18n.Lang]string{}
		for _, l := range i18n.Langs {
			t, err := SeedText(kind, l)
			if err != nil {
				return err
			}
			body[l] = t
		}
		title, body, err := validateTexts(seedTitles[kind], body)
		if err != nil {
			return fmt.Errorf("consent: seed %s: embedded text invalid: %w", kind, err)
		}
		_, err = s.db.Exec(ctx, `INSERT INTO documents (`+docColumns+`) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 0)
			ON CONFLICT (kind, version) DO NOTHING`,
			db.NewID(), string(kind), DocumentHash(kind, title, body),
			title[i18n.KK], title[i18n.RU], title[i18n.EN],
			body[i18n.KK], body[i18n.RU], body[i18n.EN], db.Now())
		if err != nil {
			return fmt.Errorf("consent: seed %s: %w", kind, err)
		}
	}
	return nil
}
