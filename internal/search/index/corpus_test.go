package index_test

// A synthetic library for the benchmark: materials whose index terms are
// what search.Terms makes of realistic Kazakh and Russian lesson texts,
// generated fast enough to fill a million rows (every sentence and word is
// analysed once, a material's terms are the union of its parts' terms).

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/smartustaz/smartustaz/internal/search"
)

// Sentences of lesson plans, worksheets and class hours, as teachers
// write them; a material draws several, the first ones more often.
var sentencesKK = []string{
	"Сабақтың мақсаты: оқушылар жай бөлшектерді салыстыруды үйренеді.",
	"Оқушылар топпен жұмыс істейді және тапсырмаларды орындайды.",
	"Мұғалім жаңа тақырыпты түсіндіреді, оқушылар сұрақтарға жауап береді.",
	"Бағалау критерийлері: оқушы есептің шешу жолын түсіндіре алады.",
	"Қысқа мерзімді сабақ жоспары бойынша сабақтың барысы көрсетілген.",
	"Дескрипторлар: мәтіннің негізгі ойын анықтайды, сөйлем құрайды.",
	"Үй тапсырмасы: оқулықтағы жаттығуларды орындау.",
	"Ой қозғау кезеңінде оқушылар бейнежазбаны көреді.",
	"Кері байланыс: бағдаршам әдісі, смайликтер.",
	"Жиынтық бағалау тапсырмалары және балл қою кестесі.",
	"Сабақ жоспарлары мен жұмыс парақтары сынып жетекшілеріне арналған.",
	"Оқушылардың функционалдық сауаттылығын дамыту.",
	"Сыни тұрғыдан ойлау стратегиялары: кубизм, Венн диаграммасы.",
	"Көбейту кестесін қайталау, екі таңбалы сандарды қосу және азайту.",
	"Пропорция және пайыздар, мәтінді есептер шығару.",
	"Зат есімнің септелуі: атау, ілік, барыс, табыс, жатыс, шығыс, көмектес септіктері.",
	"Қазақстан Республикасының тәуелсіздік күні туралы тәрбие сағаты.",
	"Абай Құнанбайұлының өлеңдерін мәнерлеп оқу.",
	"Ертегі кейіпкерлерінің мінездемесі, мақал-мәтелдер.",
	"Ағылшын тілінен сөздік жұмыс, жаңа сөздерді жаттау.",
	"Географиялық картамен жұмыс, материктер мен мұхиттар.",
	"Информатика: алгоритм, бағдарлама, Python тілінде цикл.",
	"Фотосинтез процесі өсімдіктердің жапырақтарында жүреді.",
	"Квадрат теңдеулерді шешудің әдістері: дискриминант және Виет теоремасы.",
	"Жасушаның құрылысы мен қызметі, жасуша мембранасы.",
	"Дене шынықтыру сабағында доппен жаттығулар орындалады.",
	"Химиялық реакциялардың жылдамдығы және катализаторлар.",
	"Электр тогының күші, кернеу және кедергі, Ом заңы.",
	"Сыныптан тыс іс-шара: наурыз мейрамы, ұлттық ойындар.",
	"Ата-аналар жиналысының хаттамасы.",
	"Ежелгі қалалар мен Ұлы Жібек жолы.",
	"Мектепке дейінгі топтағы балалармен ойын арқылы оқыту.",
	"Ұлы Отан соғысы жылдарындағы қазақстандықтардың ерлігі.",
	"Қазақ әдебиетіндегі ақындар айтысы.",
	"Қоршаған ортаны қорғау және экология мәселелері.",
	"Мұқағали Мақатаевтың шығармашылығы.",
}

var sentencesRU = []string{
	"Цель урока: учащиеся научатся сравнивать обыкновенные дроби.",
	"Учитель объясняет новую тему, ученики отвечают на вопросы.",
	"Работа в группах, взаимооценивание, рефлексия.",
	"Критерии оценивания и дескрипторы к заданиям.",
	"Домашнее задание: выполнить упражнения из учебника.",
	"Краткосрочный план урока по математике для 5 класса.",
	"Суммативное оценивание за раздел и ключ ответов.",
	"Развитие функциональной грамотности учащихся.",
	"Презентация к уроку литературы по творчеству Пушкина.",
	"Контрольная работа по алгебре за первую четверть.",
	"Проценты и пропорции, решение текстовых задач.",
	"Падежи имён существительных в русском языке.",
	"Решение квадратных уравнений через дискриминант.",
	"Строение клетки и функции клеточной мембраны.",
	"Фотосинтез происходит в листьях растений.",
	"Законы Ньютона и примеры задач с решениями.",
	"Классный час, посвящённый Дню независимости Казахстана.",
	"Химические реакции и скорость реакции.",
	"История Казахстана: Великий шёлковый путь.",
	"Внеклассное мероприятие к празднику Наурыз.",
	"Тест по английскому языку для 7 класса.",
	"Методическое пособие для учителей начальных классов.",
	"Открытый урок по познанию мира.",
	"Электрический ток, напряжение, сопротивление, закон Ома.",
	"Подготовка к ЕНТ по истории Казахстана.",
}

var sentencesEN = []string{
	"Lesson plan for grade 7: present simple and past simple.",
	"Reading comprehension worksheet with questions and answers.",
	"Vocabulary: animals, food, family members, school subjects.",
	"Speaking activity in pairs, peer assessment and reflection.",
}

// Subjects and types with their kk and ru names, as library indexes them
// with every material.
var subjects = [][3]string{
	{"mathematics", "Математика", "Математика"},
	{"algebra", "Алгебра", "Алгебра"},
	{"geometry", "Геометрия", "Геометрия"},
	{"kazakh-language", "Қазақ тілі", "Казахский язык"},
	{"kazakh-literature", "Қазақ әдебиеті", "Казахская литература"},
	{"russian-language", "Орыс тілі", "Русский язык"},
	{"english", "Ағылшын тілі", "Английский язык"},
	{"physics", "Физика", "Физика"},
	{"chemistry", "Химия", "Химия"},
	{"biology", "Биология", "Биология"},
	{"geography", "География", "География"},
	{"history-of-kazakhstan", "Қазақстан тарихы", "История Казахстана"},
	{"computer-science", "Информатика", "Информатика"},
	{"primary-school", "Бастауыш сынып", "Начальные классы"},
	{"upbringing", "Тәрбие жұмысы", "Воспитательная работа"},
}

var types = [][3]string{
	{"short-term-plan", "Қысқа мерзімді жоспар ҚМЖ", "Краткосрочный план КСП"},
	{"unit-summative", "Бөлім бойынша жиынтық бағалау БЖБ", "Суммативное оценивание за раздел СОР"},
	{"term-summative", "Тоқсан бойынша жиынтық бағалау ТЖБ", "Суммативное оценивание за четверть СОЧ"},
	{"presentation", "Презентация", "Презентация"},
	{"test", "Тест", "Тест"},
	{"worksheet", "Жұмыс парағы", "Рабочий лист"},
	{"class-hour", "Тәрбие сағаты", "Классный час"},
	{"open-lesson", "Ашық сабақ", "Открытый урок"},
	{"article", "Мақала", "Статья"},
}

var grades = []string{"preschool", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "college"}

// corpus holds every analysed part a material is made of, as ids into
// one table of terms.
type corpus struct {
	terms    []string
	byTerm   map[string]int32
	kk, ru   [][]int32 // sentences
	en       [][]int32
	subjects [][]int32
	types    [][]int32
	tail     [][]int32 // rare words: names, places, terms of one topic
	numbers  [][]int32
}

func (c *corpus) analyse(text string) []int32 {
	var ids []int32
	for _, t := range search.Terms(text) {
		id, ok := c.byTerm[t]
		if !ok {
			id = int32(len(c.terms))
			c.terms = append(c.terms, t)
			c.byTerm[t] = id
		}
		ids = append(ids, id)
	}
	return ids
}

// tailWords is how many distinct rare words the corpus holds; drawn with
// a Zipf law, a few are in thousands of materials and most in a handful,
// as names and topic words are in a real library.
const tailWords = 60000

func newCorpus() *corpus {
	c := &corpus{byTerm: map[string]int32{}}
	for _, s := range sentencesKK {
		c.kk = append(c.kk, c.analyse(s))
	}
	for _, s := range sentencesRU {
		c.ru = append(c.ru, c.analyse(s))
	}
	for _, s := range sentencesEN {
		c.en = append(c.en, c.analyse(s))
	}
	for _, s := range subjects {
		c.subjects = append(c.subjects, c.analyse(s[1]+" "+s[2]))
	}
	for _, s := range types {
		c.types = append(c.types, c.analyse(s[1]+" "+s[2]))
	}
	for i := range tailWords {
		c.tail = append(c.tail, c.analyse(tailWord(i)))
	}
	for i := 1; i <= 2030; i++ {
		c.numbers = append(c.numbers, c.analyse(fmt.Sprint(i)))
	}
	return c
}

// tailWord is the i-th rare word: Kazakh-looking syllables, distinct for
// every i (the syllables spell i in base 24).
func tailWord(i int) string {
	syl := []string{"ба", "қар", "тө", "ғыл", "мұ", "ней", "сә", "жүр", "ки", "дос", "өр", "шал",
		"лы", "құм", "тең", "зе", "рым", "ай", "бек", "сұң", "ол", "жан", "тау", "мер"}
	var b strings.Builder
	b.WriteString(syl[i%len(syl)])
	i /= len(syl)
	for {
		b.WriteString(syl[i%len(syl)])
		i /= len(syl)
		if i == 0 {
			break
		}
	}
	return b.String()
}

// benchMaterial is one generated material row.
type benchMaterial struct {
	subject, grade, typ, lang, status string
	views, downloads, published       int64
	terms                             string
}

// generator draws materials from a corpus; not safe for concurrent use.
type generator struct {
	c    *corpus
	r    *rand.Rand
	zipf *rand.Zipf
	seen []uint32
	gen  uint32
	buf  []string
}

func newGenerator(c *corpus, seed uint64) *generator {
	r := rand.New(rand.NewPCG(seed, 7))
	return &generator{c: c, r: r, zipf: rand.NewZipf(r, 1.07, 2, tailWords-1), seen: make([]uint32, len(c.terms))}
}

// pick draws a sentence, the first ones of the list more often.
func (g *generator) pick(list [][]int32) []int32 {
	i := int(float64(len(list)) * g.r.Float64() * g.r.Float64())
	return list[i]
}

func (g *generator) next(start int64) benchMaterial {
	g.gen++
	g.buf = g.buf[:0]
	add := func(ids []int32) {
		for _, id := range ids {
			if g.seen[id] != g.gen {
				g.seen[id] = g.gen
				g.buf = append(g.buf, g.c.terms[id])
			}
		}
	}
	m := benchMaterial{status: "published"}
	si, ti := g.r.IntN(len(subjects)), g.r.IntN(len(types))
	m.subject, m.typ = subjects[si][0], types[ti][0]
	m.grade = grades[g.r.IntN(len(grades))]
	add(g.c.subjects[si])
	add(g.c.types[ti])
	main, other := g.c.kk, g.c.ru
	switch x := g.r.IntN(100); {
	case x < 60:
		m.lang = "kk"
	case x < 95:
		m.lang, main, other = "ru", g.c.ru, g.c.kk
	default:
		m.lang, main = "en", g.c.en
	}
	// Title, description and the text of the files: several sentences of
	// the material's language, some of the other one (materials mix
	// Kazakh and Russian), rare words and numbers.
	for range 4 + g.r.IntN(12) {
		add(g.pick(main))
	}
	for range g.r.IntN(3) {
		add(g.pick(other))
	}
	for range 10 + g.r.IntN(50) {
		add(g.c.tail[g.zipf.Uint64()])
	}
	for range 1 + g.r.IntN(6) {
		add(g.c.numbers[g.r.IntN(len(g.c.numbers))])
	}
	m.terms = strings.Join(g.buf, " ")
	switch x := g.r.IntN(100); {
	case x < 3:
		m.status = "pending"
	case x < 5:
		m.status = "withdrawn"
	}
	m.views = int64(g.r.ExpFloat64() * 300)
	m.downloads = int64(float64(m.views) * g.r.Float64() * 0.3)
	m.published = start + g.r.Int64N(3*365*24*3600*1000)
	return m
}
