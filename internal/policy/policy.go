// Package policy writes the Privacy Policy's sections on what is
// collected, why, for how long (from internal/datamap's declarations) and
// who receives it, and where (from internal/privacy's register of
// processors), in kk, ru and en, so the published text says what the
// site does (issue 12 §6; law L7, L8, L18). The generated sections are
// whole numbered sections of the Policy found by their headings; the rest
// of the text is written by people. A new text is published through
// internal/consent's versioning, so users accept it again.
package policy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/datamap"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

type t = datamap.T

// The headings of the generated sections. A heading is how a section is
// found in a published text: change one only together with the texts.
var (
	headCollected  = t{KK: "4. Қандай деректер жиналады, не үшін және қанша уақыт сақталады", RU: "4. Какие данные собираются, зачем и как долго хранятся", EN: "4. What data is collected, why and for how long"}
	headRecipients = t{KK: "7. Деректерді кім алады және олар қай жерде сақталады", RU: "7. Кто получает данные и где они хранятся", EN: "7. Who receives the data and where it is kept"}
)

// ErrNoSection is returned when a text lacks a generated section's
// heading, so the generated text has nowhere to go.
var ErrNoSection = errors.New("policy: a generated section's heading is missing")

// Sections returns the generated sections in l, each starting with its
// heading line, in the order they appear.
func Sections(l i18n.Lang, ps []privacy.Processor) []string {
	return []string{collected(l), recipients(l, ps)}
}

func collected(l i18n.Lang) string {
	var b strings.Builder
	b.WriteString(headCollected.In(l))
	b.WriteString("\n\n4.1. ")
	b.WriteString(t{
		KK: "Төменде Сайт сақтайтын дербес деректер санаттар бойынша келтірілген: не сақталады, не үшін және қанша уақыт. Бұл тізім Сайттың бағдарламалық кодындағы деректер сипаттамасынан жасалады; толық кесте «Деректер картасы» бетінде берілген (/privacy/data-map).",
		RU: "Ниже по категориям перечислены персональные данные, которые хранит Сайт: что хранится, зачем и как долго. Этот перечень составлен из описания данных в программном коде Сайта; полная таблица приведена на странице «Карта данных» (/privacy/data-map).",
		EN: "Below are the personal data the Site keeps, by category: what is kept, why and for how long. This list is produced from the description of the data in the Site's code; the full table is on the Data map page (/privacy/data-map).",
	}.In(l))
	// Each table that holds personal data once, under the category of
	// its first personal column, with the periods of its personal columns.
	type entry struct{ what, why, how string }
	byCat := map[datamap.Category][]entry{}
	for _, tb := range datamap.Tables {
		if _, ok := datamap.EngineOnly[tb.Name]; ok {
			continue
		}
		var cat datamap.Category
		var hows []string
		for _, c := range tb.Columns {
			if !c.Personal {
				continue
			}
			if cat == "" {
				cat = c.Category
			}
			if h := c.Retention.Text(l); !slices.Contains(hows, h) {
				hows = append(hows, h)
			}
		}
		if cat != "" {
			byCat[cat] = append(byCat[cat], entry{tb.What.In(l), tb.Why.In(l), strings.Join(hows, "; ")})
		}
	}
	n := 1
	for _, cat := range datamap.Categories {
		if len(byCat[cat]) == 0 {
			continue
		}
		n++
		fmt.Fprintf(&b, "\n\n4.%d. %s:", n, cat.Name(l))
		for _, e := range byCat[cat] {
			fmt.Fprintf(&b, "\n\n%s. %s: %s. %s: %s.", e.what,
				t{KK: "Мақсаты", RU: "Цель", EN: "Purpose"}.In(l), e.why,
				t{KK: "Сақталу мерзімі", RU: "Срок хранения", EN: "Kept"}.In(l), e.how)
		}
	}
	for _, p := range []t{
		{KK: "Басқа дерекқордан көшірілген пайдаланушылар (Келісімнің 1.2-тармағы): есептік жазбамен бірге берілген деректер. Мұндай пайдаланушыға алғаш кірген кезде осы Саясат пен Келісімді қабылдау ұсынылады.",
			RU: "Пользователи, перенесённые из другой базы данных (пункт 1.2 Соглашения): данные, переданные вместе с учётной записью. Такому пользователю при первом входе предлагается принять эту Политику и Соглашение.",
			EN: "Users brought over from another database (clause 1.2 of the Agreement): the data transferred with the account. Such a user is asked to accept this Policy and the Agreement at the first sign-in."},
		{KK: "Жеке басты куәландыратын құжаттардың (жеке куәлік, паспорт) көшірмелері жиналмайды; оларды Сайтқа жүктемеуіңізді сұраймыз. Мұндай файл табылса, ол жойылады.",
			RU: "Копии документов, удостоверяющих личность (удостоверение личности, паспорт), не собираются; просим не загружать их на Сайт. Если такой файл будет обнаружен, он удаляется.",
			EN: "Copies of identity documents (identity card, passport) are not collected; please do not upload them to the Site. If such a file is found, it is removed."},
	} {
		n++
		fmt.Fprintf(&b, "\n\n4.%d. %s", n, p.In(l))
	}
	return b.String()
}

var processorNames = map[privacy.ProcessorKind]t{
	privacy.ProcessorServer:   {KK: "Сайттың өз сервері (дерекқор, файлдар, шығыс хаттар)", RU: "собственный сервер Сайта (база данных, файлы, исходящие письма)", EN: "the Site's own server (database, files, outgoing mail)"},
	privacy.ProcessorDatabase: {KK: "PostgreSQL дерекқор сервері", RU: "сервер базы данных PostgreSQL", EN: "the PostgreSQL database server"},
	privacy.ProcessorStorage:  {KK: "файл қоймасы (S3)", RU: "файловое хранилище (S3)", EN: "the file storage (S3)"},
	privacy.ProcessorSMTP:     {KK: "хат жіберу сервері (SMTP)", RU: "сервер отправки почты (SMTP)", EN: "the mail relay (SMTP)"},
}

func country(l i18n.Lang, p privacy.Processor) string {
	switch {
	case p.Domestic():
		return t{KK: "Қазақстан Республикасы", RU: "Республика Казахстан", EN: "the Republic of Kazakhstan"}.In(l)
	case p.Country == "":
		return t{KK: "елі әлі расталмаған", RU: "страна ещё не подтверждена", EN: "country not yet confirmed"}.In(l)
	}
	return t{KK: "шетел", RU: "за рубежом", EN: "abroad"}.In(l) + ": " + p.Country
}

func recipients(l i18n.Lang, ps []privacy.Processor) string {
	var b strings.Builder
	b.WriteString(headRecipients.In(l))
	b.WriteString("\n\n7.1. ")
	b.WriteString(t{
		KK: "Сайт үшін дербес деректерді мына қызметтер сақтайды немесе өңдейді (тізім Сайттың өз баптауларынан жасалады):",
		RU: "Персональные данные для Сайта хранят или обрабатывают следующие службы (перечень составлен из собственных настроек Сайта):",
		EN: "The following services keep or process personal data for the Site (the list is produced from the Site's own configuration):",
	}.In(l))
	abroad, unknown := false, false
	for _, p := range ps {
		name := processorNames[p.Kind].In(l)
		if name == "" {
			name = string(p.Kind)
		}
		fmt.Fprintf(&b, "\n\n%s — %s;", name, country(l, p))
		abroad = abroad || (p.Country != "" && !p.Domestic())
		unknown = unknown || p.Country == ""
	}
	var where []string
	if !abroad && !unknown {
		where = append(where, t{KK: "Дербес деректер Қазақстан Республикасының аумағында сақталады және шетелге берілмейді.",
			RU: "Персональные данные хранятся на территории Республики Казахстан и за рубеж не передаются.",
			EN: "Personal data is kept in the Republic of Kazakhstan and is not transferred abroad."}.In(l))
	}
	if abroad {
		where = append(where, t{KK: "Жоғарыда шетелде деп көрсетілген қызметтерге дербес деректер шетелге беріледі (трансшекаралық беру).",
			RU: "Службам, указанным выше как находящиеся за рубежом, персональные данные передаются за рубеж (трансграничная передача).",
			EN: "Personal data is transferred abroad to the services listed above as abroad (cross-border transfer)."}.In(l))
	}
	if unknown {
		where = append(where, t{KK: "Елі әлі расталмаған қызметтің қай жерде орналасқанын оператор тексереді; ол расталғанда осы Саясаттың жаңа нұсқасы жарияланады.",
			RU: "Местонахождение службы, страна которой ещё не подтверждена, проверяет оператор; когда оно будет подтверждено, будет опубликована новая редакция этой Политики.",
			EN: "The operator is checking where a service whose country is not yet confirmed stands; once it is confirmed, a new version of this Policy is published."}.In(l))
	}
	fmt.Fprintf(&b, "\n\n7.2. %s", strings.Join(where, " "))
	for i, p := range []t{
		{KK: "Қазақстан Республикасының заңнамасында талап етілетін жағдайларды (мысалы, уәкілетті мемлекеттік органның сұрауы бойынша) қоспағанда, дербес деректер жоғарыда аталғандардан басқа үшінші тұлғаларға пайдаланушының келісімінсіз берілмейді.",
			RU: "За исключением случаев, предусмотренных законодательством Республики Казахстан (например, по запросу уполномоченного государственного органа), персональные данные не передаются третьим лицам, кроме названных выше, без согласия пользователя.",
			EN: "Except where the law of the Republic of Kazakhstan requires it (for example, at the request of an authorised state body), personal data is not transferred to third parties other than those listed above without the user's consent."},
		{KK: "Егер операторға деректерді басқа үшінші тұлғаларға немесе шетелге беру қажет болса, ол осы Саясаттың жаңа нұсқасын жариялайды және беруді бастамас бұрын пайдаланушының келісімін сұрайды.",
			RU: "Если оператору понадобится передать данные другим третьим лицам или за рубеж, он опубликует новую редакцию этой Политики и запросит согласие пользователя до начала передачи.",
			EN: "If the operator ever needs to transfer data to other third parties or abroad, it will publish a new version of this Policy and ask for the user's consent before doing so."},
	} {
		fmt.Fprintf(&b, "\n\n7.%d. %s", i+3, p.In(l))
	}
	return b.String()
}

// isHeading reports whether a line opens a numbered section ("4. …",
// not "4.1. …").
func isHeading(line string) bool {
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	return i > 0 && strings.HasPrefix(line[i:], ". ")
}

// Apply returns body with each generated section replaced by what the
// declarations and processors ps say now. The text of each section runs
// from its heading to the next numbered section's heading.
func Apply(body string, l i18n.Lang, ps []privacy.Processor) (string, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	for _, sec := range Sections(l, ps) {
		head, _, _ := strings.Cut(sec, "\n")
		lines := strings.Split(body, "\n")
		start := -1
		for i, ln := range lines {
			if strings.TrimSpace(ln) == head {
				start = i
				break
			}
		}
		if start < 0 {
			return "", fmt.Errorf("%w: %q (%s)", ErrNoSection, head, l)
		}
		end := len(lines)
		for i := start + 1; i < len(lines); i++ {
			if isHeading(lines[i]) {
				end = i
				break
			}
		}
		var out []string
		out = append(out, lines[:start]...)
		out = append(out, strings.Split(sec, "\n")...)
		if end < len(lines) {
			out = append(out, "")
			out = append(out, lines[end:]...)
		}
		body = strings.Join(out, "\n")
	}
	return body, nil
}

// Regenerated is doc's text with its generated sections as the code
// would write them today, in every language; same reports whether
// nothing changed.
func Regenerated(doc *consent.Document, ps []privacy.Processor) (body map[i18n.Lang]string, same bool, err error) {
	body = map[i18n.Lang]string{}
	same = true
	for _, l := range i18n.Langs {
		b, err := Apply(doc.BodyIn(l), l, ps)
		if err != nil {
			return nil, false, err
		}
		body[l] = b
		same = same && b == strings.TrimSpace(doc.BodyIn(l))
	}
	return body, same, nil
}

// Status says whether the Policy in force says what the code would
// generate now.
type Status struct {
	Current *consent.Document
	Differs bool
	// Missing: the text in force lacks a generated section's heading
	// (an administrator published it by hand); publishing cannot help.
	Missing bool
}

// Check compares the Policy in force with what the declarations and the
// register generate.
func Check(ctx context.Context, c *consent.Service, reg *privacy.Registry) (Status, error) {
	_, doc, err := c.Current(ctx)
	if err != nil {
		return Status{}, fmt.Errorf("policy: check: %w", err)
	}
	ps, err := reg.List(ctx)
	if err != nil {
		return Status{}, fmt.Errorf("policy: check: %w", err)
	}
	_, same, err := Regenerated(doc, ps)
	if errors.Is(err, ErrNoSection) {
		return Status{Current: doc, Differs: true, Missing: true}, nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("policy: check: %w", err)
	}
	return Status{Current: doc, Differs: !same}, nil
}

// Publish publishes, through consent's versioning (audited, announced,
// accepted again by every user), the Policy in force with its generated
// sections brought up to date.
func Publish(ctx context.Context, c *consent.Service, reg *privacy.Registry, by, session int64) (*consent.Document, error) {
	_, doc, err := c.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("policy: publish: %w", err)
	}
	ps, err := reg.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("policy: publish: %w", err)
	}
	body, _, err := Regenerated(doc, ps)
	if errors.Is(err, ErrNoSection) {
		return nil, &apperr.Error{Code: apperr.Invalid, Key: "policy.missing", Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("policy: publish: %w", err)
	}
	return c.Publish(ctx, consent.KindPrivacy, doc.Title, body, by, session)
}

// SeedProcessors is the register the embedded version 1 is generated
// for: the site's own server, its country not yet set.
func SeedProcessors() []privacy.Processor { return privacy.ProcessorsFromConfig("", "", "") }
