package i18n

// Messages of the retention job's register (internal/retention, on
// /admin/data-map) and of the Privacy Policy generated from the
// declarations (internal/policy, on /admin/privacy).
func init() {
	add(map[string]Message{
		"retention.admin.rules": {KK: "Сақтау мерзімдері және оларды орындайтын тапсырма", RU: "Сроки хранения и задание, которое их соблюдает", EN: "Retention periods and the job that enforces them"},
		"retention.admin.rules.p": {
			KK: "Бұл мерзімдер деректер картасындағы мәндердің өзі: тапсырма күн сайын бір рет (барлық серверлерге бір рет) мерзімі өткенін жояды немесе шифрланған мәндерін өшіреді.",
			RU: "Эти сроки — те же значения, что и в карте данных: раз в сутки (один раз на все серверы) задание удаляет просроченное или стирает его зашифрованные значения.",
			EN: "These periods are the very values of the data map: once a day (once across all servers) the job deletes what is past them or erases its encrypted values.",
		},
		"retention.admin.table":    {KK: "Кесте", RU: "Таблица", EN: "Table"},
		"retention.admin.purge":    {KK: "Не істеледі", RU: "Что делается", EN: "What is done"},
		"retention.admin.from":     {KK: "Мерзім басталатын баған", RU: "Срок считается от", EN: "Counted from"},
		"retention.purge.delete":   {KK: "жолдар жойылады", RU: "строки удаляются", EN: "rows deleted"},
		"retention.purge.empty":    {KK: "шифрланған мәндер өшіріледі:", RU: "зашифрованные значения стираются:", EN: "encrypted values erased:"},
		"retention.admin.register": {KK: "Жою тізілімі", RU: "Реестр уничтожения", EN: "Destruction register"},
		"retention.admin.register.p": {
			KK: "Әр тазалау бір жазба қалдырады: қашан, қай кесте, қандай санаттағы деректер, қанша жол және қай ереже бойынша. Кімнің деректері екені жазылмайды.",
			RU: "Каждая очистка оставляет запись: когда, какая таблица, данные каких категорий, сколько строк и по какому правилу. Чьи это были данные, не записывается.",
			EN: "Each purge leaves a record: when, which table, data of which categories, how many rows and by which rule. Whose data it was is not recorded.",
		},
		"retention.admin.when":  {KK: "Қашан", RU: "Когда", EN: "When"},
		"retention.admin.count": {KK: "Жол саны", RU: "Строк", EN: "Rows"},
		"retention.admin.rule":  {KK: "Ереже", RU: "Правило", EN: "Rule"},
		"retention.admin.none":  {KK: "Әзірге ештеңе жойылған жоқ.", RU: "Пока ничего не уничтожено.", EN: "Nothing destroyed yet."},
	})
}
