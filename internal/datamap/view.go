package datamap

import (
	"fmt"
	"strings"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

var categoryNames = map[Category]T{
	Identity:    {KK: "Жеке басы", RU: "Личность", EN: "Identity"},
	Contact:     {KK: "Байланыс деректері", RU: "Контактные данные", EN: "Contact details"},
	Technical:   {KK: "Техникалық ақпарат", RU: "Техническая информация", EN: "Technical information"},
	Content:     {KK: "Мазмұн", RU: "Содержимое", EN: "Content"},
	Preferences: {KK: "Таңдаулар мен қалаулар", RU: "Предпочтения", EN: "Preferences"},
	Consent:     {KK: "Келісімдер", RU: "Согласия", EN: "Consents"},
	Security:    {KK: "Қауіпсіздік", RU: "Безопасность", EN: "Security"},
	Operational: {KK: "Қызметтік деректер", RU: "Служебные данные", EN: "Operational data"},
}

var readerNames = map[Reader]T{
	Owner:     {KK: "сіз", RU: "вы", EN: "you"},
	Admin:     {KK: "әкімші (шифрланғанын — аудитпен ашқанда ғана)", RU: "администратор (зашифрованное — только через раскрытие с аудитом)", EN: "administrators (encrypted values only through the audited reveal)"},
	Moderator: {KK: "модератор", RU: "модератор", EN: "moderators"},
	Public:    {KK: "барлығы", RU: "все", EN: "everyone"},
	System:    {KK: "тек жүйе", RU: "только система", EN: "only the software"},
}

var protectionNames = map[Protection]T{
	Sealed: {KK: "шифрланған (құпия)", RU: "зашифровано (конфиденциально)", EN: "encrypted (confidential)"},
	Hashed: {KK: "хэш (қайтарылмайды)", RU: "хеш (необратимо)", EN: "hashed (cannot be read back)"},
	Plain:  {KK: "ашық", RU: "открыто", EN: "plain"},
}

// Name is the category's name in l.
func (c Category) Name(l i18n.Lang) string { return categoryNames[c].In(l) }

// Name is the protection's name in l.
func (p Protection) Name(l i18n.Lang) string { return protectionNames[p].In(l) }

// Names lists who is in the reader set, in l.
func (r Reader) Names(l i18n.Lang) string {
	var out []string
	for _, one := range Readers {
		if r&one != 0 {
			out = append(out, readerNames[one].In(l))
		}
	}
	return strings.Join(out, ", ")
}

// Text is the retention in l.
func (r Retention) Text(l i18n.Lang) string {
	switch r.Kind {
	case WhileAccountKind:
		return T{KK: "тіркелгі бар болғанша", RU: "пока существует учётная запись", EN: "while the account exists"}.In(l)
	case UntilDeletedKind:
		return T{KK: "авторы немесе әкімші жойғанша", RU: "пока автор или администратор не удалит", EN: "until its author or an administrator removes it"}.In(l)
	case UntilUsedKind:
		return T{KK: "пайдаланылғанша немесе мерзімі біткенше", RU: "до использования или истечения срока", EN: "until used or expired"}.In(l)
	case DaysKind:
		return fmt.Sprintf(T{KK: "%d күн", RU: "%d дн.", EN: "%d days"}.In(l), r.N)
	case AfterAccountKind:
		return fmt.Sprintf(T{KK: "тіркелгі бар болғанша және ол жойылғаннан кейін %d күн", RU: "пока существует учётная запись и %d дн. после её удаления", EN: "while the account exists and %d days after its deletion"}.In(l), r.N)
	case LawKind:
		return fmt.Sprintf(T{KK: "заң бойынша сақталады: %d жыл", RU: "хранится по закону: %d лет", EN: "kept by law: %d years"}.In(l), r.N)
	case PermanentKind:
		return T{KK: "сайт жұмыс істегенше (тіркелгі жойылғанда жеке мәндерсіз қалады)", RU: "пока работает сайт (после удаления учётной записи — без персональных значений)", EN: "for the life of the site (without personal values once the account is deleted)"}.In(l)
	}
	return string(r.Kind)
}

// Row is one line of the public page: what one table holds of one
// category, why, for how long, who can see it.
type Row struct {
	What, Why, HowLong, Who string
	Personal, Confidential  bool
}

// Section is one category of the public page.
type Section struct {
	Category Category
	Name     string
	Rows     []Row
}

// PublicMap builds the public data map in l: one section per category, one
// row per table holding data of that category.
func PublicMap(l i18n.Lang) []Section {
	var out []Section
	for _, cat := range Categories {
		sec := Section{Category: cat, Name: cat.Name(l)}
		for _, tb := range Tables {
			if _, ok := EngineOnly[tb.Name]; ok {
				continue // SQLite's FTS5 copies of material_search, which the page already shows
			}
			var readers Reader
			var hows []string
			personal, sealed, found := false, false, false
			for _, c := range tb.Columns {
				if c.Category != cat {
					continue
				}
				found = true
				readers |= c.Readers
				personal = personal || c.Personal
				sealed = sealed || c.Confidential()
				h := c.Retention.Text(l)
				if !contains(hows, h) {
					hows = append(hows, h)
				}
			}
			if !found {
				continue
			}
			sec.Rows = append(sec.Rows, Row{What: tb.What.In(l), Why: tb.Why.In(l), HowLong: strings.Join(hows, "; "),
				Who: readers.Names(l), Personal: personal, Confidential: sealed})
		}
		if len(sec.Rows) > 0 {
			out = append(out, sec)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// PlainPersonal lists the personal columns stored in plaintext (neither
// sealed nor hashed): ids that link a row to a person, times, and what a
// person chose to make public. The admin view lists them so that what is
// not encrypted is a visible decision, not an accident.
func PlainPersonal() []Declared {
	var out []Declared
	for _, c := range All() {
		if c.Personal && c.Protection == Plain {
			out = append(out, c)
		}
	}
	return out
}
