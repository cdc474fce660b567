package library

// What a Searcher outside this package (internal/search/index) needs to
// select and page exactly as the catalog and SQLSearcher do.

// SearchConditions returns the catalog's filter and keyset conditions over
// materials aliased m (published only; subject, grade, type, language;
// after the cursor in f's sort) and their arguments, for `?` placeholders.
func SearchConditions(f Filter, after Cursor) (string, []any) {
	f.Sort = ParseSort(string(f.Sort))
	return where(f, after)
}

// SearchOrder returns the catalog's ORDER BY clause for sort s over
// materials aliased m: the sort column descending, then id descending.
func SearchOrder(s Sort) string { return orderBy(ParseSort(string(s))) }

// SortColumn names the materials column sort s orders by.
func SortColumn(s Sort) string { return ParseSort(string(s)).column() }
