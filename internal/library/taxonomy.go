package library

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// Kind of a taxonomy term.
type TermKind string

// The three taxonomies a material is filed under.
const (
	KindSubject TermKind = "subject"
	KindGrade   TermKind = "grade"
	KindType    TermKind = "type"
)

// Valid reports whether k is one of the known kinds.
func (k TermKind) Valid() bool { return k == KindSubject || k == KindGrade || k == KindType }

// Term is one subject, grade or material type, named in the three
// languages, with the abbreviations teachers type into search (ҚМЖ, КСП).
type Term struct {
	ID     int64
	Kind   TermKind
	Code   string // stable, used in URLs and stored on materials
	Name   [3]string
	Abbr   [3]string
	Sort   int
	Active bool
}

func langIndex(l i18n.Lang) int {
	switch l {
	case i18n.RU:
		return 1
	case i18n.EN:
		return 2
	}
	return 0
}

// NameIn is the term's name in l.
func (t Term) NameIn(l i18n.Lang) string { return t.Name[langIndex(l)] }

// AbbrIn is the term's abbreviation in l ("" when it has none).
func (t Term) AbbrIn(l i18n.Lang) string { return t.Abbr[langIndex(l)] }

// LabelIn is "ABBR — name" when the term has an abbreviation in l, else the name.
func (t Term) LabelIn(l i18n.Lang) string {
	if a := t.AbbrIn(l); a != "" {
		return a + " — " + t.NameIn(l)
	}
	return t.NameIn(l)
}

// Taxonomy is every term, grouped by kind in display order.
type Taxonomy struct {
	Subjects, Grades, Types []Term
	byCode                  map[TermKind]map[string]Term
}

// Lookup finds a term by kind and code.
func (t *Taxonomy) Lookup(k TermKind, code string) (Term, bool) {
	term, ok := t.byCode[k][code]
	return term, ok
}

// Name is the name of the term (code itself if unknown, so a page never breaks).
func (t *Taxonomy) Name(k TermKind, code string, l i18n.Lang) string {
	if term, ok := t.Lookup(k, code); ok {
		return term.NameIn(l)
	}
	return code
}

// seedTerm is one row of the starting taxonomy.
type seedTerm struct {
	code       string
	kk, ru, en string
	ak, ar     string // abbreviations in kk and ru
}

// seedTypes, seedSubjects and seedGrades are the starting taxonomy of
// /work/shared/data/taxonomy.md: the material types, subjects and grades of
// the Kazakh school curriculum. Administrators edit them afterwards.
var seedTypes = []seedTerm{
	{"short-term-plan", "Қысқа мерзімді жоспар", "Краткосрочный план", "Short-term lesson plan", "ҚМЖ", "КСП"},
	{"medium-term-plan", "Орта мерзімді жоспар", "Среднесрочный план", "Medium-term plan", "ОМЖ", "ССП"},
	{"calendar-plan", "Күнтізбелік-тақырыптық жоспар", "Календарно-тематическое планирование", "Calendar-thematic plan", "КТЖ", "КТП"},
	{"unit-summative", "Бөлім бойынша жиынтық бағалау", "Суммативное оценивание за раздел", "Summative assessment for a unit", "БЖБ", "СОР"},
	{"term-summative", "Тоқсан бойынша жиынтық бағалау", "Суммативное оценивание за четверть", "Summative assessment for a term", "ТЖБ", "СОЧ"},
	{"formative", "Формативті бағалау", "Формативное оценивание", "Formative assessment", "ФО", "ФО"},
	{"presentation", "Презентация", "Презентация", "Presentation", "", ""},
	{"test", "Тест", "Тест", "Test", "", ""},
	{"worksheet", "Жұмыс парағы", "Рабочий лист", "Worksheet", "", ""},
	{"class-hour", "Тәрбие сағаты", "Классный час", "Class hour (upbringing)", "", ""},
	{"open-lesson", "Ашық сабақ", "Открытый урок", "Open lesson", "", ""},
	{"extracurricular", "Сыныптан тыс іс-шара", "Внеклассное мероприятие", "Extracurricular event", "", ""},
	{"methodological-guide", "Әдістемелік құрал", "Методическое пособие", "Methodological guide", "", ""},
	{"report", "Баяндама", "Доклад", "Report / talk", "", ""},
	{"article", "Мақала", "Статья", "Article", "", ""},
	{"research-project", "Ғылыми жоба", "Научный проект", "Research project", "", ""},
	{"olympiad", "Олимпиада тапсырмалары", "Олимпиадные задания", "Olympiad tasks", "", ""},
	{"exam-preparation", "ҰБТ-ға дайындық", "Подготовка к ЕНТ", "National exam (ҰБТ / ЕНТ) preparation", "ҰБТ", "ЕНТ"},
	{"programme", "Бағдарлама", "Программа", "Programme / syllabus", "", ""},
}

var seedSubjects = []seedTerm{
	{"kazakh-language", "Қазақ тілі", "Казахский язык", "Kazakh language", "", ""},
	{"kazakh-literature", "Қазақ әдебиеті", "Казахская литература", "Kazakh literature", "", ""},
	{"russian-language", "Орыс тілі", "Русский язык", "Russian language", "", ""},
	{"russian-literature", "Орыс әдебиеті", "Русская литература", "Russian literature", "", ""},
	{"english", "Ағылшын тілі", "Английский язык", "English", "", ""},
	{"literacy", "Сауат ашу", "Обучение грамоте", "Literacy (grade 1)", "", ""},
	{"literary-reading", "Әдебиеттік оқу", "Литературное чтение", "Literary reading", "", ""},
	{"mathematics", "Математика", "Математика", "Mathematics", "", ""},
	{"algebra", "Алгебра", "Алгебра", "Algebra", "", ""},
	{"geometry", "Геометрия", "Геометрия", "Geometry", "", ""},
	{"computer-science", "Информатика", "Информатика", "Computer science", "", ""},
	{"digital-literacy", "Цифрлық сауаттылық", "Цифровая грамотность", "Digital literacy", "", ""},
	{"natural-science", "Жаратылыстану", "Естествознание", "Natural science", "", ""},
	{"physics", "Физика", "Физика", "Physics", "", ""},
	{"chemistry", "Химия", "Химия", "Chemistry", "", ""},
	{"biology", "Биология", "Биология", "Biology", "", ""},
	{"geography", "География", "География", "Geography", "", ""},
	{"knowledge-of-world", "Дүниетану", "Познание мира", "Knowledge of the world", "", ""},
	{"history-of-kazakhstan", "Қазақстан тарихы", "История Казахстана", "History of Kazakhstan", "", ""},
	{"world-history", "Дүниежүзі тарихы", "Всемирная история", "World history", "", ""},
	{"law", "Құқық негіздері", "Основы права", "Foundations of law", "", ""},
	{"self-knowledge", "Өзін-өзі тану", "Самопознание", "Self-knowledge", "", ""},
	{"music", "Музыка", "Музыка", "Music", "", ""},
	{"art-and-crafts", "Көркем еңбек", "Художественный труд", "Art and crafts", "", ""},
	{"graphics-and-design", "Графика және жобалау", "Графика и проектирование", "Graphics and design", "", ""},
	{"physical-education", "Дене шынықтыру", "Физическая культура", "Physical education", "", ""},
	{"military-training", "Алғашқы әскери және технологиялық дайындық", "Начальная военная и технологическая подготовка", "Basic military and technological training", "АӘТД", "НВТП"},
	{"primary-school", "Бастауыш сынып", "Начальные классы", "Primary school", "", ""},
	{"preschool-education", "Мектепке дейінгі тәрбие", "Дошкольное воспитание", "Preschool education", "", ""},
	{"upbringing", "Тәрбие жұмысы", "Воспитательная работа", "Upbringing / class teacher", "", ""},
	{"psychology", "Психология", "Психология", "School psychology", "", ""},
}

func seedGrades() []seedTerm {
	g := []seedTerm{
		{"preschool", "Мектепке дейінгі", "Дошкольное", "Preschool", "", ""},
		{"0", "0 (даярлық сынып)", "0 (предшкольный класс)", "Grade 0 (pre-school class)", "", ""},
	}
	for n := 1; n <= 11; n++ {
		g = append(g, seedTerm{fmt.Sprint(n), fmt.Sprintf("%d-сынып", n), fmt.Sprintf("%d класс", n), fmt.Sprintf("Grade %d", n), "", ""})
	}
	return append(g, seedTerm{"college", "Колледж", "Колледж", "College", "", ""})
}

// SeedTaxonomy adds the starting terms that are missing. It is
// idempotent and never overwrites an administrator's edits: a term that
// exists (by kind and code) is left as it is.
func (s *Service) SeedTaxonomy(ctx context.Context) error {
	now := s.nowMS()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, set := range []struct {
			kind  TermKind
			terms []seedTerm
		}{{KindSubject, seedSubjects}, {KindGrade, seedGrades()}, {KindType, seedTypes}} {
			for i, t := range set.terms {
				if _, err := tx.Exec(ctx, `INSERT INTO taxonomy (id, kind, code, name_kk, name_ru, name_en, abbr_kk, abbr_ru, abbr_en, sort_order, active, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, 1, ?) ON CONFLICT (kind, code) DO NOTHING`,
					db.NewID(), string(set.kind), t.code, t.kk, t.ru, t.en, t.ak, t.ar, (i+1)*10, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("library: seed taxonomy: %w", err)
	}
	s.tax.Store(nil)
	return nil
}

// Taxonomy returns every term (active and not), cached until an edit.
func (s *Service) Taxonomy(ctx context.Context) (*Taxonomy, error) {
	if t := s.tax.Load(); t != nil && time.Since(time.UnixMilli(s.taxAt.Load())) < taxonomyTTL {
		return t, nil
	}
	rows, err := s.db.Query(ctx, `SELECT id, kind, code, name_kk, name_ru, name_en, abbr_kk, abbr_ru, abbr_en, sort_order, active
		FROM taxonomy ORDER BY kind, sort_order, id`)
	if err != nil {
		return nil, fmt.Errorf("library: taxonomy: %w", err)
	}
	defer rows.Close()
	t := &Taxonomy{byCode: map[TermKind]map[string]Term{KindSubject: {}, KindGrade: {}, KindType: {}}}
	for rows.Next() {
		var term Term
		var kind string
		var active int
		if err := rows.Scan(&term.ID, &kind, &term.Code, &term.Name[0], &term.Name[1], &term.Name[2],
			&term.Abbr[0], &term.Abbr[1], &term.Abbr[2], &term.Sort, &active); err != nil {
			return nil, fmt.Errorf("library: taxonomy: %w", err)
		}
		term.Kind, term.Active = TermKind(kind), active == 1
		switch term.Kind {
		case KindSubject:
			t.Subjects = append(t.Subjects, term)
		case KindGrade:
			t.Grades = append(t.Grades, term)
		case KindType:
			t.Types = append(t.Types, term)
		default:
			continue
		}
		t.byCode[term.Kind][term.Code] = term
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("library: taxonomy: %w", err)
	}
	s.tax.Store(t)
	s.taxAt.Store(time.Now().UnixMilli())
	return t, nil
}

// TermInput is an administrator's edit of a term.
type TermInput struct {
	Kind   TermKind
	Code   string
	Name   [3]string
	Abbr   [3]string
	Sort   int
	Active bool
}

// maxTermName bounds names and abbreviations in the taxonomy editor.
const (
	maxTermName = 120
	maxTermAbbr = 16
	maxTermCode = 40
)

func validCode(c string) bool {
	if c == "" || len(c) > maxTermCode {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// SaveTerm creates a term or, when one with the same kind and code exists,
// changes its names, abbreviations, order and whether it is offered for
// new materials. Codes never change (materials and URLs refer to them).
func (s *Service) SaveTerm(ctx context.Context, in TermInput) error {
	var errs apperr.Fields
	if !in.Kind.Valid() {
		errs = append(errs, apperr.Field("kind", "library.taxonomy.kind"))
	}
	if !validCode(in.Code) {
		errs = append(errs, apperr.Field("code", "library.taxonomy.code", maxTermCode))
	}
	for i, l := range i18n.Langs {
		in.Name[i] = strings.TrimSpace(in.Name[i])
		in.Abbr[i] = strings.TrimSpace(in.Abbr[i])
		if in.Name[i] == "" || utf8.RuneCountInString(in.Name[i]) > maxTermName || !utf8.ValidString(in.Name[i]) {
			errs = append(errs, apperr.Field("name_"+string(l), "library.taxonomy.name", maxTermName))
		}
		if utf8.RuneCountInString(in.Abbr[i]) > maxTermAbbr || !utf8.ValidString(in.Abbr[i]) {
			errs = append(errs, apperr.Field("abbr_"+string(l), "library.taxonomy.abbr", maxTermAbbr))
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	active := 0
	if in.Active {
		active = 1
	}
	_, err := s.db.Exec(ctx, `INSERT INTO taxonomy (id, kind, code, name_kk, name_ru, name_en, abbr_kk, abbr_ru, abbr_en, sort_order, active, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, code) DO UPDATE SET name_kk = excluded.name_kk, name_ru = excluded.name_ru, name_en = excluded.name_en,
			abbr_kk = excluded.abbr_kk, abbr_ru = excluded.abbr_ru, abbr_en = excluded.abbr_en,
			sort_order = excluded.sort_order, active = excluded.active, updated_at = excluded.updated_at`,
		db.NewID(), string(in.Kind), in.Code, in.Name[0], in.Name[1], in.Name[2], in.Abbr[0], in.Abbr[1], in.Abbr[2], in.Sort, active, s.nowMS())
	if err != nil {
		return fmt.Errorf("library: save term: %w", err)
	}
	s.tax.Store(nil)
	return nil
}
