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
//     тест, презентация) may be either. So each word is stemmed by both
//     stemmers and both stems are indexed; a word with a Kazakh-only letter
//     (ә ғ қ ң ө ұ ү һ і) is Kazakh and gets the Kazakh stem only (plus the
//     Russian stem of that stem when it is a loanword, spelled with a letter
//     native words lack, such as презентация, so «презентацияға» meets
//     «презентации»). A wrong extra stem costs a little precision; a missing
//     one loses the document. Known Kazakh words (the protected list: бала,
//     ата…) get no Russian stem, which would be бал, ат.
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
// (орын/орны, халық/халқы, …) and over-stripping by a protected-words list;
// the 1st and 2nd person singular possessive (кітабым, кітабың) is not
// stripped because it cannot be told from nouns in -ым/-ім (білім, мұғалім);
// verbs are not analysed; no phrase or proximity search; words typed with
// Kazakh suffixes on a Russian keyboard (сабактын) are matched only through
// the Russian stemmer, if at all; and the Russian stem of a Kazakh word in
// the common alphabet can meet another Kazakh word (the verbal noun жазу
// gives the Russian stem жаз, "summer"; тарих gives тар).
package search
