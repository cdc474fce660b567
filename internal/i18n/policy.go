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
		"policy.admin.title":    {KK: "Құпиялылық саясаты және деректер сипаттамасы", RU: "Политика конфиденциальности и описание данных", EN: "The Privacy Policy and the data declarations"},
		"policy.admin.p": {
			KK: "Саясаттың не жиналатыны, не үшін, қанша уақыт сақталатыны және деректерді кім алатыны туралы бөлімдері сайттың кодындағы деректер сипаттамасынан және өңдеушілер тізілімінен жасалады. Жаңа нұсқа жарияланғанда әр пайдаланушы оны қайта қабылдайды.",
			RU: "Разделы Политики о том, что собирается, зачем, как долго хранится и кто получает данные, составляются из описания данных в коде сайта и реестра обработчиков. Когда публикуется новая редакция, каждый пользователь принимает её заново.",
			EN: "The Policy's sections on what is collected, why, for how long and who receives the data are produced from the data declarations in the site's code and the register of processors. When a new version is published, every user accepts it again.",
		},
		"policy.admin.same":      {KK: "Күштегі Саясат (%d-нұсқа) сайттың іс жүзінде не істейтінін айтады.", RU: "Действующая Политика (редакция %d) говорит то, что сайт делает на деле.", EN: "The Policy in force (version %d) says what the site actually does."},
		"policy.admin.differs":   {KK: "Жасалған Саясат жарияланғаннан (%d-нұсқа) өзгеше: жаңа нұсқаны жариялаңыз.", RU: "Составленная Политика отличается от опубликованной (редакция %d): опубликуйте новую редакцию.", EN: "The generated Policy differs from the published one (version %d): publish a new version."},
		"policy.admin.published": {KK: "Саясаттың жаңа нұсқасы жарияланды; пайдаланушылар оны келесі кіргенде қабылдайды.", RU: "Новая редакция Политики опубликована; пользователи примут её при следующем входе.", EN: "A new version of the Policy is published; users accept it at their next sign-in."},
		"policy.admin.publish":   {KK: "Жаңа нұсқаны жариялау", RU: "Опубликовать новую редакцию", EN: "Publish a new version"},
		"policy.missing":         {KK: "Күштегі Саясатта жасалатын бөлімдердің тақырыптары жоқ, сондықтан оларды жаңарту мүмкін емес. Саясатты «Келісім» бетінде түзетіңіз.", RU: "В действующей Политике нет заголовков составляемых разделов, поэтому их нельзя обновить. Исправьте Политику на странице «Соглашение».", EN: "The Policy in force lacks the headings of the generated sections, so they cannot be brought up to date. Fix the Policy on the Agreement page."},
		"retention.admin.none":   {KK: "Әзірге ештеңе жойылған жоқ.", RU: "Пока ничего не уничтожено.", EN: "Nothing destroyed yet."},
	})
}
