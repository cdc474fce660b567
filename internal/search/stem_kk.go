package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// harmony is the vowel class of a suffix and of the last vowel of a stem.
type harmony int

const (
	anyHarmony harmony = iota
	back
	front
)

func vowelClass(r rune) harmony {
	switch r {
	case 'а', 'о', 'ұ', 'ы', 'я', 'ё':
		return back
	case 'ә', 'ө', 'ү', 'і', 'е', 'э':
		return front
	}
	return anyHarmony // и, у, ю go either way in loanwords; consonants
}

// lastHarmony is the class of the last vowel that decides one, anyHarmony for
// a word with none (then any suffix shape is accepted).
func lastHarmony(rs []rune) harmony {
	for i := len(rs) - 1; i >= 0; i-- {
		if h := vowelClass(rs[i]); h != anyHarmony {
			return h
		}
	}
	return anyHarmony
}

// stemHarmony is the harmony a suffix must follow: the last vowel's, except
// in a word with both back and front vowels, which is a loanword (педагог,
// компьютер) whose suffixes Kazakh spelling does not always harmonise
// (педагогтің in the official lesson-plan form): then any shape goes.
func stemHarmony(rs []rune) harmony {
	if ambiguousLastVowel(rs) {
		return anyHarmony
	}
	var b, f bool
	for _, r := range rs {
		switch vowelClass(r) {
		case back:
			b = true
		case front:
			f = true
		}
	}
	if b && f {
		return anyHarmony
	}
	return lastHarmony(rs)
}

// ambiguousLastVowel reports a stem whose last vowel letter is и, у or
// ю after a consonant: in a loanword that vowel takes suffixes of either
// row (алгоритмдер, ребустар, графигі, but also алгоритмдар), so the
// spelling of the suffix, not of the stem, decides. A rule, not a list:
// it covers loanwords no table names. Native words end in -у as a verbal
// noun (оқу, жазу), whose suffixes this accepts in both rows too; the
// wrong row never occurs in a text, so nothing is found that should not be.
func ambiguousLastVowel(rs []rune) bool {
	for i := len(rs) - 1; i > 0; i-- {
		r := rs[i]
		if r == 'и' || r == 'у' || r == 'ю' {
			return !isVowelLetter(rs[i-1]) || rs[i-1] == 'у'
		}
		if vowelClass(r) != anyHarmony {
			return false
		}
	}
	return false
}

// Classes of the sound a stem ends in, which choose the suffix's first
// consonant (лар after a vowel, дар after м, тар after п, …).
const (
	sVowel     = 1 << iota
	sRUY       // р у й: sonorants that behave like vowels for -лар, -дың
	sNasal     // м н ң
	sLZJ       // л з ж
	sVoiceless // п к қ т с ш щ ч ц ф х һ, and б в г д in loanwords
)

const sConsonant = sRUY | sNasal | sLZJ | sVoiceless

func finalClass(rs []rune) int {
	i := len(rs) - 1
	for i > 0 && (rs[i] == 'ь' || rs[i] == 'ъ') {
		i--
	}
	switch rs[i] {
	case 'а', 'ә', 'е', 'ё', 'о', 'ө', 'ұ', 'ү', 'ы', 'і', 'э', 'ю', 'я':
		return sVowel
	case 'и': // ий/ый in Kazakh spelling: either
		return sVowel | sRUY
	case 'р', 'у', 'й':
		return sRUY
	case 'м', 'н', 'ң':
		return sNasal
	case 'л', 'з', 'ж':
		return sLZJ
	case 'п', 'к', 'қ', 'т', 'с', 'ш', 'щ', 'ч', 'ц', 'ф', 'х', 'һ', 'б', 'в', 'г', 'д':
		return sVoiceless
	case 'ғ': // only before a vowel suffix, as the voiced form of қ (сабағы)
		return sVoiceless
	}
	return 0
}

func isVowelLetter(r rune) bool {
	return finalClass([]rune{r})&sVowel != 0 || r == 'у'
}

// suffix is one shape of a Kazakh ending.
type suffix struct {
	s     []rune
	h     harmony // the shape's vowel class; anyHarmony for -мен, which has one shape
	after int     // classes of the sound the stem must end in
	poss3 bool    // a case shape used only after a 3rd-person possessive (-на, -нда, -н…)
	third bool    // a 3rd-person possessive
	min   int     // minimum stem length in runes beyond the general one
}

func sfx(s string, after int) suffix {
	rs := []rune(s)
	return suffix{s: rs, h: lastHarmony(rs), after: after}
}

func withPoss3(s string) suffix { x := sfx(s, 0); x.poss3 = true; return x }

func anyShape(x suffix) suffix { x.h = anyHarmony; return x }

func third(x suffix, min int) suffix { x.third = true; x.min = min; return x }

const (
	cV    = sVowel
	cVoc  = sVowel | sRUY | sNasal | sLZJ // vowels and voiced consonants
	cVSZ  = sVowel | sRUY | sLZJ
	cK    = sVoiceless
	cNZ   = sNasal | sLZJ
	cAnyC = sConsonant
)

// caseSuffixes: every shape of the six oblique cases and of the locative
// relative -ғы (мектептегі), longest first so -нда is tried before -да.
var caseSuffixes = sortLongestFirst([]suffix{
	// genitive
	sfx("ның", cV|sNasal), sfx("нің", cV|sNasal),
	sfx("дың", sRUY|sLZJ), sfx("дің", sRUY|sLZJ),
	sfx("тың", cK), sfx("тің", cK),
	// accusative
	sfx("ны", cV), sfx("ні", cV),
	sfx("ды", sRUY|cNZ), sfx("ді", sRUY|cNZ),
	sfx("ты", cK), sfx("ті", cK),
	withPoss3("н"),
	// dative (-а/-е after 1st/2nd singular possessive is not stripped: see doc.go)
	sfx("ға", cVoc), sfx("ге", cVoc),
	sfx("қа", cK), sfx("ке", cK),
	withPoss3("на"), withPoss3("не"),
	// locative and locative + relative -ғы
	sfx("да", cVoc), sfx("де", cVoc),
	sfx("та", cK), sfx("те", cK),
	withPoss3("нда"), withPoss3("нде"),
	sfx("дағы", cVoc), sfx("дегі", cVoc),
	sfx("тағы", cK), sfx("тегі", cK),
	withPoss3("ндағы"), withPoss3("ндегі"),
	// ablative
	sfx("дан", cVSZ), sfx("ден", cVSZ),
	sfx("нан", sNasal), sfx("нен", sNasal),
	withPoss3("нан"), withPoss3("нен"),
	sfx("тан", cK), sfx("тен", cK),
	// instrumental: one vowel shape in every word
	anyShape(sfx("мен", cVoc)), anyShape(sfx("менен", cVoc)),
	anyShape(sfx("бен", cNZ)), anyShape(sfx("бенен", cNZ)),
	anyShape(sfx("пен", cK)), anyShape(sfx("пенен", cK)),
})

// possSuffixes: possessive endings except the 1st and 2nd person singular
// (-ым, -ың), which nouns in -ым/-ім (білім, мұғалім) make too ambiguous.
var possSuffixes = sortLongestFirst([]suffix{
	sfx("ыңыздар", cAnyC), sfx("іңіздер", cAnyC), sfx("ңыздар", cV), sfx("ңіздер", cV),
	// -ңдар/-ңдер after a vowel (балаңдар, "your children") is left out:
	// it is rare in materials and would take the plural off stems in -ң
	// wrongly (өлең·дер is not өле·ңдер).
	sfx("ыңдар", cAnyC), sfx("іңдер", cAnyC),
	sfx("ымыз", cAnyC), sfx("іміз", cAnyC), sfx("мыз", cV), sfx("міз", cV),
	sfx("ыңыз", cAnyC), sfx("іңіз", cAnyC), sfx("ңыз", cV), sfx("ңіз", cV),
	third(sfx("сы", cV), 3), third(sfx("сі", cV), 3),
	third(sfx("ы", cAnyC), 0), third(sfx("і", cAnyC), 0),
})

var pluralSuffixes = []suffix{
	sfx("лар", sVowel|sRUY), sfx("лер", sVowel|sRUY),
	sfx("дар", cNZ), sfx("дер", cNZ),
	sfx("тар", cK), sfx("тер", cK),
}

func sortLongestFirst(xs []suffix) []suffix {
	// A stable insertion sort keeps the written order among equal lengths.
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && len(xs[j].s) > len(xs[j-1].s); j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
	return xs
}

// protectedKK are words whose ending looks like a suffix but is part of the
// stem (бала is not бал + -а, тақта not тақ + -та, ойын not ой + -ы + -н),
// frequent adjectives whose -ы/-і/-гі is not a possessive, and words whose
// -қа/-да is not a case (қысқа "short", not қыс "winter" + -қа; кейде).
// Stripping stops at them.
var protectedKK = toSet(`
бала алма ана ата аға апа әке әже іні әпке қала дала тақта кесте апта дәптер
теңіз қымыз семіз ойын орын қиын жиын бейін түйін дарын ақын жақын бұрын кейін
тегін келін ерін мұрын қарын жалын толқын ағын қауын жауын бүгін үшін мәтін тағы
ұлы алты жеті екі сары бірге сияқты туралы арқылы әрі бәрі түлкі кірпі
кеңес әріптес сыныптас жолдас қарындас замандас отандас
қорытынды туынды ертегі соңғы бастапқы сыртқы ішкі қазіргі алғашқы жоғарғы
төменгі кейінгі келесі негізгі жалпы түрлі әртүрлі пайдалы
қазақстан өзбекстан қырғызстан түрікменстан тәжікстан ауғанстан пәкістан
үндістан дағыстан татарстан башқұртстан дастан бостан
сана ара бота дана жаза шана бата бәйге
қысқа басқа кейде сонда мұнда осында бірде әзірге
`)

// loanStems are loanwords the Kazakh analysis keeps whole: most end in two
// consonants, so тесті is тест + -і, not тес + -ті as дыбысты is дыбыс +
// -ты; экзамен and феномен are not экза·мен, фено·мен, олимпиада not
// олимпиа·да; Казахстан in
// Russian spelling is not Казахс·тан.
var loanStems = toSet(`
тест текст контекст факт акт контакт объект субъект проект эффект аспект
интеллект концепт рецепт скрипт шрифт журналист артист турист специалист
пианист лингвист
экзамен феномен казахстан олимпиада декада баллада эстрада
`)

// nativeKK are Kazakh words in the shared alphabet whose Russian stem is
// another word (жазу → жаз "summer", тарих → тар "narrow", адам → ад),
// and the short words such stems land on. The Russian analysis leaves them
// and their forms alone (see cyrillicTerms); the Kazakh one is unchanged.
var nativeKK = toSet(`
жаз тар тарих адам ел ет ер жер жол жыл ай сан бас тас жас сал ат мал нан кез бет кеш
жазу алу беру келу салу айту тарту сату табу болу басу атау жасау сызу
жинау санау ойнау тексеру тану жету кету ету бару
`)

// voicedLoanB are loanwords that really end in б, so кубы is not куп + -ы.
var voicedLoanB = toSet(`клуб куб араб штаб микроб гардероб зуб`)

// elided stems lose the vowel of their last syllable before a vowel-initial
// suffix (орын → орны, халық → халқы, әріп → әрпі).
var elided = map[string]string{
	"орн": "орын", "халқ": "халық", "әрп": "әріп", "ерн": "ерін", "мұрн": "мұрын",
	"ауз": "ауыз", "ерк": "ерік", "қарн": "қарын", "даус": "дауыс", "бөрк": "бөрік",
	"көрк": "көрік", "қойн": "қойын", "нарқ": "нарық", "құлқ": "құлық", "мойн": "мойын",
	"ырқ": "ырық",
}

func toSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// StemKK returns the stem of a Kazakh word form: plural, possessive and case
// endings are stripped from the right, each only in the shape that vowel
// harmony and the preceding sound allow, and a final г/ғ/б voiced before a
// removed vowel is turned back (кітабы → кітап, сауаттылығы → сауаттылық).
// The word is lower-cased but not folded (folding would lose the harmony).
// A word that is not Cyrillic is returned lower-cased. Where a form has two
// readings (see doc.go) StemKK returns the likelier one; Terms indexes both.
func StemKK(word string) string {
	return stemsKK(lowerNFC(word))[0]
}

func lowerNFC(s string) string {
	return strings.Map(unicode.ToLower, norm.NFC.String(s))
}

// stemsKK returns the readings of a lower-case word, the likelier first,
// without duplicates; never empty.
func stemsKK(word string) []string {
	rs := []rune(word)
	for _, r := range rs {
		if !isCyrillic(r) || !unicode.IsLetter(r) {
			return []string{word}
		}
	}
	var out []string
	for _, c := range analyseKK(rs) {
		s := string(dropEpenthetic(c))
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// dropEpenthetic undoes the vowel that teachers' Kazakh puts between a
// loanword's final two consonants and a suffix (конспект·і·сі,
// проект·і·лер, тест·і·сі): a stem ending in two consonants and -і/-ы is the
// loan without it when that loan could not be a native word (see
// looksBorrowed). A native stem keeps its vowel: көрші, басты.
func dropEpenthetic(c []rune) []rune {
	n := len(c)
	if n < 5 || c[n-1] != 'і' && c[n-1] != 'ы' {
		return c
	}
	if loan := c[:n-1]; loanInCluster(loan) {
		return loan
	}
	return c
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// analyseKK strips a case ending, then the possessive and plural.
func analyseKK(w []rune) [][]rune {
	if protectedKK[string(w)] || loanStems[string(w)] {
		return [][]rune{w}
	}
	for _, sf := range caseSuffixes {
		rem, ok := cut(w, sf)
		if !ok {
			continue
		}
		if sf.poss3 {
			c, ok := possessive(rem, true)
			if !ok {
				continue
			}
			// A stem in -ын/-ін (мәтін, толқын) reads as a 3rd-person
			// possessive too: мәтін·де or мәті·н·де, мәтін or мәті·н.
			// Keep the stem-in-н reading as well; alone if it is a known word.
			plain := w
			if len(sf.s) > 1 && sf.s[1] == 'д' {
				plain = w[:len(w)-len(sf.s)+1]
			}
			if len(sf.s) == 1 || len(plain) < len(w) {
				if protectedKK[string(plain)] {
					return [][]rune{plain}
				}
				c = append(c, plain)
			}
			return c
		}
		c, _ := possessive(rem, false)
		if isAccusative(sf) {
			// -ты may be the accusative (дыбыс·ты) or a stem in -т with
			// the possessive -ы (тест·і); -ны a vowel stem's accusative
			// (оқушы·ны) or a stem in -н (пән·і): keep both readings.
			// A known stem decides; the bare case stem first, so that
			// диктант·ты is not read as диктантт·ы.
			possStem := w[:len(w)-1]
			if known(rem) {
				return c
			}
			if known(possStem) {
				p, _ := possessive(w, false)
				return p[:1]
			}
			p, _ := possessive(w, false)
			if preferPossessive(rem) {
				return append(p, c...)
			}
			return append(c, p[0]) // its other readings are only noise here
		}
		return c
	}
	c, _ := possessive(w, false)
	return c
}

// isAccusative reports the accusative shapes -ны/-ды/-ты (-ні/-ді/-ті),
// which also read as a stem consonant plus the possessive -ы/-і.
func isAccusative(sf suffix) bool {
	if len(sf.s) != 2 {
		return false
	}
	last := sf.s[1]
	return last == 'ы' || last == 'і'
}

func known(rs []rune) bool {
	return protectedKK[string(rs)] || loanStems[string(rs)] || loanInCluster(rs)
}

// loanInCluster reports a loanword ending in two voiceless-final consonants
// (конспект, текст): конспекті is конспект·і, not конспек·ті. A cluster
// ending in д or г is left out: there the д, г is the suffix's (жоспар·ды,
// негіз·гі), and a voiced end would make any such stem look borrowed.
func loanInCluster(rs []rune) bool {
	n := len(rs)
	if n < 4 || isVowelLetter(rs[n-1]) || isVowelLetter(rs[n-2]) {
		return false
	}
	switch rs[n-1] {
	case 'б', 'г', 'ғ', 'д':
		return false
	}
	return looksBorrowed(string(rs))
}

// preferPossessive chooses between the accusative reading (rest caseStem)
// and the possessive one (a stem ending in the suffix's consonant).
func preferPossessive(caseStem []rune) bool {
	n := len(caseStem)
	if n < 3 && finalClass(caseStem)&sVowel != 0 {
		return true // пә·ні is too short to be a noun: пән·і (but ой·ды)
	}
	last := caseStem[n-1]
	// A stem in -ы/-і other than an agent noun in -шы/-ші is rare: мәті·ні
	// is less likely than мәтін·і.
	return (last == 'ы' || last == 'і') && caseStem[n-2] != 'ш'
}

// possessive strips a possessive ending, then the plural. With onlyThird it
// accepts only a 3rd-person ending and fails without one.
func possessive(w []rune, onlyThird bool) ([][]rune, bool) {
	if protectedKK[string(w)] {
		return [][]rune{w}, !onlyThird
	}
	for _, sf := range possSuffixes {
		if onlyThird && !sf.third {
			continue
		}
		rem, ok := cut(w, sf)
		if !ok {
			continue
		}
		if sf.third && len(sf.s) == 2 {
			// -сы after a vowel, or a stem in -с plus -ы: оқушы·сы, жұмыс·ы.
			inS := w[:len(w)-1]
			if loan := dropEpenthetic(rem); len(loan) < len(rem) {
				return [][]rune{loan}, true // конспекті·сі
			}
			if preferStemInS(rem, inS) {
				return [][]rune{inS, rem}, true
			}
			return [][]rune{rem, inS}, true
		}
		if isVowelLetter(sf.s[0]) {
			rem = restoreStem(rem)
		}
		if p, ok := plural(rem); ok {
			return [][]rune{p}, true
		}
		if sf.third && !onlyThird {
			// A bare -ы/-і may end the stem itself: agent nouns in -шы/-ші
			// (оқушы) and adjectives in -ғы/-гі after a consonant (жылғы,
			// кейінгі) are likelier than a possessive.
			n := len(w)
			if w[n-2] == 'ш' || (w[n-2] == 'ғ' || w[n-2] == 'г') && finalClass(w[:n-2])&sConsonant != 0 {
				return [][]rune{w, rem}, true
			}
			return [][]rune{rem, w}, true
		}
		return [][]rune{rem}, true
	}
	if onlyThird {
		return nil, false
	}
	if p, ok := plural(w); ok {
		return [][]rune{p}, true
	}
	return [][]rune{w}, true
}

// preferStemInS decides between оқушы·сы (a stem in a vowel) and жұмыс·ы (a
// stem in -с): a vowel stem ending in -ы/-і is an agent noun in -шы/-ші;
// otherwise -ы/-і before с belongs to the stem (жұмыс, әдіс, дыбыс).
func preferStemInS(vowelStem, sStem []rune) bool {
	if protectedKK[string(sStem)] || loanStems[string(sStem)] {
		return true
	}
	if protectedKK[string(vowelStem)] {
		return false
	}
	n := len(vowelStem)
	last := vowelStem[n-1]
	return (last == 'ы' || last == 'і') && vowelStem[n-2] != 'ш'
}

func plural(w []rune) ([]rune, bool) {
	if protectedKK[string(w)] {
		return w, false
	}
	for _, sf := range pluralSuffixes {
		if rem, ok := cut(w, sf); ok {
			return rem, true
		}
	}
	return w, false
}

// restoreStem undoes what a vowel-initial suffix did to the stem: the vowel
// dropped from орын/орны, and к/қ/п voiced to г/ғ/б (жүрегі, сабағы, кітабы).
// г stays after a back vowel: педагог, диалог are loanwords ending in г.
func restoreStem(rs []rune) []rune {
	if full, ok := elided[string(rs)]; ok {
		return []rune(full)
	}
	n := len(rs)
	var to rune
	switch rs[n-1] {
	case 'ғ':
		to = 'қ'
	case 'г':
		// график → графигі: after и the stem's к was voiced too.
		if lastHarmony(rs) == front || ambiguousLastVowel(rs) && lastVowelLetter(rs) == 'и' {
			to = 'к'
		}
	case 'б':
		if !voicedLoanB[string(rs)] {
			to = 'п'
		}
	}
	if to == 0 {
		return rs
	}
	out := append([]rune(nil), rs...)
	out[n-1] = to
	return out
}

// cut removes sf from the end of w when the rest is a possible stem: long
// enough, with a vowel, agreeing in vowel harmony, ending in a sound that
// takes this shape.
func cut(w []rune, sf suffix) ([]rune, bool) {
	n := len(sf.s)
	if len(w) <= n {
		return nil, false
	}
	for i, r := range sf.s {
		if w[len(w)-n+i] != r {
			return nil, false
		}
	}
	rem := w[:len(w)-n]
	if len(rem) < 2 || len(rem) < sf.min || !hasVowel(rem) {
		return nil, false
	}
	if sf.h != anyHarmony {
		if h := stemHarmony(rem); h != anyHarmony && h != sf.h {
			return nil, false
		}
	}
	if sf.poss3 {
		last := rem[len(rem)-1]
		return rem, last == 'ы' || last == 'і'
	}
	return rem, finalClass(rem)&sf.after != 0
}

func hasVowel(rs []rune) bool {
	for _, r := range rs {
		if isVowelLetter(r) {
			return true
		}
	}
	return false
}

// lastVowelLetter is the stem's last vowel letter (и and у included), 0
// when it has none.
func lastVowelLetter(rs []rune) rune {
	for i := len(rs) - 1; i >= 0; i-- {
		if isVowelLetter(rs[i]) || rs[i] == 'и' {
			return rs[i]
		}
	}
	return 0
}
