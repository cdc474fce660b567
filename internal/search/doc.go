// Package search is the text analysis behind the materials library's
// full-text search (issue 3, section 3): it turns titles, descriptions, tags
// and the text extracted from files into index terms, and a query into groups
// of terms, so that the SQLite (FTS5) and the PostgreSQL indexes, which both
// store and look up exactly these strings, return the same results.
//
// The pipeline is Tokens → per-token analysis → Fold:
//
//   - Tokens splits on everything that is not a letter or a digit, and also
//     between letters and digits, so «8-сынып», «8 сынып» and «8сынып» are the
//     same two tokens. Latin look-alikes inside a Cyrillic word (i for і, ə for
//     ә, a Latin o or c…), which old Kazakh fonts and converted documents are
//     full of, are repaired to Cyrillic.
//
//   - Teaching materials in Kazakhstan mix Kazakh and Russian, often on one
//     page, and a word spelled with the Russian alphabet only (жоспар, сынып,
//     тест, презентация) may be either. Every Cyrillic word gets the Kazakh
//     analysis; a word without a Kazakh-only letter (ә ғ қ ң ө ұ ү һ і) also
//     gets the Russian one. The two analyses keep apart: a Russian stem ends
//     in the tag "0" (урок0), which no word of a text can (Tokens splits
//     letters from digits), so Russian олени (олен0) never meets Kazakh өлең
//     (folded олен), nor копия көп, nor ель ел, while both analyses still
//     meet themselves. Known Kazakh words and their forms get no Russian
//     analysis: the protected list (бала, ата…) and native words of the
//     shared alphabet whose Russian "stem" is another word (жазу → жаз
//     "summer", тарих → тар "narrow", адам → ад). A loanword with Kazakh
//     endings (презентацияға, презентациясы, тесттер, конспектісі) also gets
//     the Russian stem of its Kazakh stem, so it meets the Russian forms
//     (презентации, тесты); looksBorrowed tells a loan stem by what native
//     words lack (the letters в ф ц ч щ ъ ь э ё ю я и, two consonants at the
//     start, a voiced stop at the end, vowels of both rows). A wrong extra
//     term costs a little precision; a missing one loses the document. The
//     relevance table in eval_test.go measures both.
//
//   - StemKK is our own suffix stripper (plural, possessive, case, with vowel
//     harmony and the sound a suffix follows checked, k/q/p devoicing undone).
//     Where a form is truly ambiguous without a dictionary (оқушысы: оқушы+сы,
//     or жұмысы: жұмыс+ы; тілі: тіл+і, or a stem ending in -і) the analysis
//     keeps both readings and Terms indexes both.
//
//   - Fold lower-cases and maps the Kazakh letters to what a Russian keyboard
//     types (қ→к, і→и, ү→у, …), after stemming, so «кітап» and «китап» meet.
//
// A document matches a query when every group of QueryTerms has a term in
// the document's Terms. Because a query word goes through the same analysis
// as a document word, an identical word always matches.
//
// Storage notes for the index: terms are lower-case runs of letters and
// digits, and must be compared as whole strings, never through an engine's
// own stemmer or case folding. In SQLite store them space-separated in an
// FTS5 table with tokenize="ascii" (every non-ASCII character is a token
// character, so a term is never split or changed; unicode61 knows only
// Unicode 6.1 letters and its remove_diacritics would fold й to и); in
// PostgreSQL a text[] column with a GIN index (or to_tsvector('simple', …)).
//
// Limits: no dictionary, so irregular stems are handled only by a small list
// (орын/орны, халық/халқы, …), over-stripping by the protected and loan
// lists, and words of the shared alphabet by the native list; the 1st and
// 2nd person singular possessive (кітабым, кітабың) and the 2nd person
// plural after a vowel (балаңдар) are not stripped because they cannot be
// told from nouns in -ым/-ім (білім, мұғалім) and stems in -ң (өлеңдер);
// verbs are not analysed; no phrase or proximity search; a query typed on a
// Russian keyboard is the folded Kazakh word as well (музы finds мұзы, by
// design); and a Kazakh word of the shared alphabet missing from the native
// list can still meet a Russian word through its Russian stem.
//
// AnalysisVersion changes whenever Terms would give some text other terms;
// stored terms of another version must be recomputed (smartustaz reindex).
package search
