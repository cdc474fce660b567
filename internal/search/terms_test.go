package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// matches is what the index does with the analysis: a document matches a
// query when every query group has a term among the document's terms.
func matches(query, doc string) bool {
	groups := QueryTerms(query)
	if len(groups) == 0 {
		return false
	}
	terms := Terms(doc)
	for _, g := range groups {
		if !slices.ContainsFunc(g, func(t string) bool { return slices.Contains(terms, t) }) {
			return false
		}
	}
	return true
}

// The examples of issue 3, section 3, and more of the same kind.
func TestQueryMatchesInflectedDocument(t *testing.T) {
	cases := []struct{ query, doc string }{
		{"сабақ жоспары", "сабақтың жоспарлары"},
		{"презентации", "презентация"},
		{"презентация", "Презентации к уроку"},
		{"презентацию", "презентаций"},
		{"презентации", "Сабаққа арналған презентацияға тапсырмалар"},
		{"кітап", "кітаптарымызда"},
		{"китап", "кітабы"},                    // typed on a Russian keyboard
		{"казак тили", "Қазақ тілі 5-сынып"},   // folded letters
		{"8-сынып", "8 сыныпқа арналған тест"}, // hyphen or space
		{"8 сынып", "8-сыныптың оқушылары"},    //
		{"оқушы", "оқушыларға арналған жұмыс дәптері"},
		{"мектеп", "Біздің мектептерімізде"},
		{"сауаттылық", "функционалдық сауаттылығы"},
		{"мұғалімдер", "мұғалім"},
		{"тест", "тесттері бар"},
		{"жұмыс", "жұмысының нәтижесі"},
		{"орын", "орнына"},
		{"халық", "халқының ертегілері"},
		{"ертегі", "Қазақ халық ертегілері"},
		{"урок", "уроки литературы"},
		{"уроки математики", "Урок математики в 5 классе"},
		{"учителей", "учитель начальных классов"},
		{"ёлка", "Новогодняя елка"},
		{"мeктeп", "мектеп"}, // Latin e inside a Cyrillic word
		{"ана тілі", "АНА ТІЛІ пәні бойынша"},
		{"Presentations", "presentation"},
		{"әріптестер", "әріптесі"},
		{"тақырыбы", "Тақырып: Абай"},
	}
	for _, c := range cases {
		if !matches(c.query, c.doc) {
			t.Errorf("query %q does not find %q: QueryTerms=%v Terms=%v", c.query, c.doc, QueryTerms(c.query), Terms(c.doc))
		}
	}
}

// Every form in the stem table is found by a query for its base word, and a
// query in any form finds the base word.
func TestTableFormsMatchBaseWord(t *testing.T) {
	for _, g := range kkForms {
		forms := strings.Fields(g.forms)
		base := forms[0]
		for _, f := range forms {
			if !matches(base, f) {
				t.Errorf("query %q does not find %q", base, f)
			}
			if !matches(f, base) {
				t.Errorf("query %q does not find %q", f, base)
			}
		}
	}
}

// Precision: different words must not meet in one term, or a search for one
// would list materials about the other.
func TestDistinctWordsDoNotCollide(t *testing.T) {
	pairs := [][2]string{
		{"ата", "ат"}, {"бала", "бал"}, {"алма", "ал"}, {"ана", "ан"},
		{"ойын", "ой"}, {"орын", "ор"}, {"ақын", "ақ"}, {"жақын", "жақ"},
		{"тақта", "тақ"}, {"кесте", "кес"}, {"апта", "ап"}, {"дәптер", "дәп"},
		{"сынып", "сын"}, {"оқушы", "оқу"}, {"қазақ", "қаз"}, {"келін", "кел"},
		{"ерін", "ер"}, {"білім", "біл"}, {"мақала", "мақал"}, {"қала", "қал"},
		{"тақырып", "тақыр"}, {"кеңес", "кең"}, {"сана", "сан"}, {"дала", "дал"},
		{"қорытынды", "қорытын"}, {"бүгін", "бүк"}, {"теңіз", "тең"},
		{"мұғалім", "мұғал"}, {"мәтін", "мәт"}, {"Қазақстан", "қазақ"},
		{"дастан", "дас"}, {"ұлы", "ұл"}, {"толқын", "толқ"},
		{"урок", "урод"}, {"школа", "шкаф"},
		{"баланың", "бал"}, {"ойыны", "ой"}, {"мәтінде", "мәт"}, {"аталары", "ат"},
	}
	for _, p := range pairs {
		a, b := Terms(p[0]), Terms(p[1])
		for _, x := range a {
			if slices.Contains(b, x) {
				t.Errorf("%q and %q share the term %q (%v / %v)", p[0], p[1], x, a, b)
			}
		}
	}
}

func TestStemRU(t *testing.T) {
	groups := [][]string{
		{"презентация", "презентации", "презентацию", "презентацией", "презентаций", "Презентациями"},
		{"урок", "урока", "уроки", "уроков", "уроками", "уроке"},
		{"учитель", "учителя", "учителей", "учителям", "учителю"},
		{"школа", "школы", "школе", "школу", "школой"},
		{"ёлка", "елка", "ёлки"},
	}
	for _, g := range groups {
		want := StemRU(g[0])
		for _, w := range g[1:] {
			if got := StemRU(w); got != want {
				t.Errorf("StemRU(%q) = %q, want %q as for %q", w, got, want, g[0])
			}
		}
	}
	if a, b := StemRU("урок"), StemRU("урожай"); a == b {
		t.Errorf("урок and урожай share the stem %q", a)
	}
}

func TestFold(t *testing.T) {
	cases := map[string]string{
		"ӘҒҚҢӨҰҮҺІ":  "агкноуухи",
		"әғқңөұүһі":  "агкноуухи",
		"Кітап":      "китап",
		"ЁЛКА":       "елка",
		"Ұлы Отан":   "улы отан",
		"Math 5":     "math 5",
		"е\u0308лка": "елка", // ё decomposed: NFC first, then folded
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Қазақ тілі 5-сынып: сабақ жоспары", []string{"қазақ", "тілі", "5", "сынып", "сабақ", "жоспары"}},
		{"8сынып, 10А", []string{"8", "сынып", "10"}},
		{"a б и в ж 7", []string{"7"}},                       // one letter dropped, a digit kept
		{"пре\u00adзента\u200bция", []string{"презентация"}}, // soft hyphen, zero-width space
		{"приве\u0301т", []string{"привет"}},                 // stress mark
		{"мeктeп қaзaқ", []string{"мектеп", "қазақ"}},        // Latin e, a repaired
		{"Pi-Day мiндет", []string{"pi", "day", "міндет"}},   // Latin i for і
		{"iPhone-ға", []string{"iphone", "ға"}},              // a Latin word stays Latin
		{"ІІ тоқсан", []string{"іі", "тоқсан"}},
		{strings.Repeat("ж", 65) + " сөз", []string{"сөз"}}, // overlong garbage
	}
	for _, c := range cases {
		if got := Tokens(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTermsShape(t *testing.T) {
	text := "Қазақ тілі 5-сынып: сабақ жоспары. Урок литературы, presentations және тест."
	terms := Terms(text)
	for _, term := range terms {
		if term == "" || strings.ContainsAny(term, " \t\n") || !utf8.ValidString(term) {
			t.Errorf("bad term %q", term)
		}
		if term != Fold(term) {
			t.Errorf("term %q is not folded", term)
		}
	}
	for _, want := range []string{"казак", "тил", "5", "сынып", "сабак", "жоспар", "урок" + ruTag, "литератур" + ruTag, "presentation", "тест", "тест" + ruTag} {
		if !slices.Contains(terms, want) {
			t.Errorf("Terms(%q) lacks %q: %v", text, want, terms)
		}
	}
	if slices.Contains(terms, "жане") || slices.Contains(terms, "және") {
		t.Errorf("the stop word және was indexed: %v", terms)
	}
	// A word with Kazakh letters is Kazakh: its Kazakh stem only, no
	// Russian one (Snowball would cut қалаларда to қалалард).
	if got := Terms("қалаларда"); !slices.Equal(got, []string{"кала"}) {
		t.Errorf("Terms(қалаларда) = %v, want [кала]", got)
	}
	// A word in the common alphabet gets both analyses, the Russian stem
	// tagged.
	if got := Terms("уроки"); !slices.Equal(got, []string{"уроки", "урок" + ruTag}) {
		t.Errorf("Terms(уроки) = %v, want the Kazakh reading уроки and the Russian stem урок%s", got, ruTag)
	}
	// A known Kazakh word and its forms get no Russian stem.
	for _, w := range []string{"жазу", "тарихы", "балалар", "адамдар"} {
		for _, term := range Terms(w) {
			if strings.HasSuffix(term, ruTag) {
				t.Errorf("Terms(%s) = %v has a Russian stem", w, Terms(w))
			}
		}
	}
}

func TestQueryTerms(t *testing.T) {
	if got := QueryTerms("және мен в на"); len(got) != 0 {
		t.Errorf("a query of stop words gave %v, want nothing", got)
	}
	if got := QueryTerms("  ,.- "); len(got) != 0 {
		t.Errorf("an empty query gave %v", got)
	}
	got := QueryTerms("сабақ сабақ жоспары")
	if len(got) != 2 {
		t.Errorf("QueryTerms(сабақ сабақ жоспары) = %v, want two groups", got)
	}
	if matches("сабақ физика", "сабақтың жоспарлары") {
		t.Error("a query with a word the document lacks still matched")
	}
}

func TestEnglishPlural(t *testing.T) {
	for _, pair := range [][2]string{
		{"worksheets", "worksheet"}, {"studies", "study"}, {"classes", "class"},
		{"boxes", "box"}, {"sketches", "sketch"}, {"class", "class"}, {"bus", "bus"},
		{"analysis", "analysis"},
	} {
		if !matches(pair[0], pair[1]) || !matches(pair[1], pair[0]) {
			t.Errorf("%q and %q do not find each other: %v / %v", pair[0], pair[1], Terms(pair[0]), Terms(pair[1]))
		}
	}
	if matches("bus", "bu") {
		t.Error("bus was cut to bu")
	}
}

// HasTaggedTerm tells stored terms of version 2 (a tagged Russian stem)
// from those of version 1, whose terms never end in a digit after a letter.
func TestHasTaggedTerm(t *testing.T) {
	if !HasTaggedTerm(strings.Join(Terms("Урок литературы"), " ")) {
		t.Errorf("Terms(Урок литературы) = %v: no tagged term", Terms("Урок литературы"))
	}
	for _, old := range []string{"", "урок литератур 2020 100 10", "сабак жоспар"} {
		if HasTaggedTerm(old) {
			t.Errorf("HasTaggedTerm(%q) = true", old)
		}
	}
}
