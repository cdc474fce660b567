package i18n

// Messages of finding materials (issue 13, section 1): the home page,
// search results, thumbnails and the filters on a phone.
func init() {
	add(map[string]Message{
		"finding.search.go": {KK: "Іздеу", RU: "Найти", EN: "Search"},
		"finding.home.promise": {
			KK: "Мұғалімдер мұғалімдерге арнап жасаған сабақ материалдары — тегін, жеке деректеріңіз қорғалған.",
			RU: "Материалы к урокам, которые учителя делают для учителей, — бесплатно, ваши персональные данные под защитой.",
			EN: "Lesson materials teachers make for teachers — free, with your personal data protected.",
		},
		"finding.home.rules":      {KK: "Ережелер", RU: "Правила", EN: "The rules"},
		"finding.home.newest":     {KK: "Жаңа материалдар", RU: "Новые материалы", EN: "Newest materials"},
		"finding.home.downloaded": {KK: "Ең көп жүктелгендер", RU: "Чаще всего скачивают", EN: "Most downloaded"},
		"finding.home.all":        {KK: "Барлығы (%d)", RU: "Все (%d)", EN: "All (%d)"},
		"finding.home.more":       {KK: "Жүктелуі бойынша барлығы", RU: "Все по скачиваниям", EN: "All by downloads"},
		"finding.home.subjects":   {KK: "Пәндер", RU: "Предметы", EN: "Subjects"},
		"finding.home.grades":     {KK: "Сыныптар", RU: "Классы", EN: "Grades"},
		"finding.filters":         {KK: "Сүзгілер", RU: "Фильтры", EN: "Filters"},
		"finding.download":        {KK: "Жүктеп алу", RU: "Скачать", EN: "Download"},
		"finding.download.more":   {KK: "және төменде тағы %d файл", RU: "и ещё файлов ниже: %d", EN: "and %d more files below"},
		"library.sort.relevance":  {KK: "Сәйкестігі", RU: "По релевантности", EN: "Best match"},
		// The count of a search: exact up to library.CountBound (200),
		// which finding.count.more spells out.
		"finding.count":      {KK: "«%[2]s» бойынша %[1]d материал табылды", RU: "Найдено материалов по запросу «%[2]s»: %[1]d", EN: "%[1]d materials for «%[2]s»"},
		"finding.count.one":  {KK: "«%s» бойынша 1 материал табылды", RU: "По запросу «%s» найден 1 материал", EN: "1 material for «%s»"},
		"finding.count.more": {KK: "«%s» бойынша 200-ден астам материал табылды", RU: "По запросу «%s» найдено больше 200 материалов", EN: "More than 200 materials for «%s»"},
		"finding.pages":      {KK: "Беттер", RU: "Страницы", EN: "Pages"},
		"finding.page":       {KK: "%d-бет", RU: "Страница %d", EN: "Page %d"},
		"finding.prev":       {KK: "Алдыңғы бет", RU: "Предыдущая страница", EN: "Previous page"},
	})
}
