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
		"finding.home.more":       {KK: "Тағы", RU: "Ещё", EN: "More"},
		"finding.home.subjects":   {KK: "Пәндер", RU: "Предметы", EN: "Subjects"},
		"finding.home.grades":     {KK: "Сыныптар", RU: "Классы", EN: "Grades"},
	})
}
