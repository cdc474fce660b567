package i18n

// Messages of the page-view statistics (internal/telemetry, issue 9):
// what is recorded (telemetry.def.<name> and .why, one per telemetry.Defs
// entry), the user's data page, the public page of what is collected and
// the administrators' statistics.
func init() {
	add(map[string]Message{
		// What is recorded, one entry per telemetry.Defs.
		"telemetry.def.path":         {KK: "Ашылған бет", RU: "Открытая страница", EN: "Page opened"},
		"telemetry.def.path.why":     {KK: "Қай беттер мен материалдар оқылатынын білу үшін.", RU: "Чтобы знать, какие страницы и материалы читают.", EN: "To know which pages and materials are read."},
		"telemetry.def.referrer":     {KK: "Келген сайт", RU: "Сайт, с которого пришли", EN: "Site you came from"},
		"telemetry.def.referrer.why": {KK: "Тек домен (мысалы, google.kz), мекенжайдың қалған бөлігі сақталмайды.", RU: "Только домен (например, google.kz), остальная часть адреса не сохраняется.", EN: "Only the domain (such as google.kz); the rest of the address is not kept."},
		"telemetry.def.ip":           {KK: "IP мекенжайы", RU: "IP-адрес", EN: "IP address"},
		"telemetry.def.ip.why":       {KK: "Тек кірген пайдаланушының жазбасында, шифрланған күйде. Жалпы санақта сақталмайды.", RU: "Только в записи вошедшего пользователя, в зашифрованном виде. В общей статистике не хранится.", EN: "Only in a signed-in user's record, encrypted. Never kept in the overall counts."},
		"telemetry.def.provider":     {KK: "Интернет-провайдер", RU: "Интернет-провайдер", EN: "Internet provider"},
		"telemetry.def.provider.why": {KK: "IP мекенжайы бойынша анықталады (автономды жүйе).", RU: "Определяется по IP-адресу (автономная система).", EN: "Found from the IP address (the autonomous system)."},
		"telemetry.def.country":      {KK: "Ел", RU: "Страна", EN: "Country"},
		"telemetry.def.country.why":  {KK: "IP мекенжайы бойынша анықталады; қала сақталмайды.", RU: "Определяется по IP-адресу; город не сохраняется.", EN: "Found from the IP address; no city is kept."},
		"telemetry.def.ua":           {KK: "Браузер жолы (User-Agent)", RU: "Строка браузера (User-Agent)", EN: "Browser string (User-Agent)"},
		"telemetry.def.ua.why":       {KK: "Тек кірген пайдаланушының жазбасында, шифрланған күйде.", RU: "Только в записи вошедшего пользователя, в зашифрованном виде.", EN: "Only in a signed-in user's record, encrypted."},
		"telemetry.def.browser":      {KK: "Браузер және оның нұсқасы", RU: "Браузер и его версия", EN: "Browser and its version"},
		"telemetry.def.browser.why":  {KK: "Сайт қолданылатын браузерлерде дұрыс жұмыс істеуі үшін.", RU: "Чтобы сайт правильно работал в используемых браузерах.", EN: "So the site works well in the browsers people use."},
		"telemetry.def.os":           {KK: "Операциялық жүйе", RU: "Операционная система", EN: "Operating system"},
		"telemetry.def.os.why":       {KK: "Компьютердің бағдарламалық сипаттамасы.", RU: "Программная характеристика компьютера.", EN: "A characteristic of the computer's software."},
		"telemetry.def.device":       {KK: "Құрылғы түрі", RU: "Тип устройства", EN: "Device type"},
		"telemetry.def.device.why":   {KK: "Компьютер, телефон немесе планшет: беттерді экранға лайықтау үшін.", RU: "Компьютер, телефон или планшет: чтобы подстраивать страницы под экран.", EN: "Computer, phone or tablet: to fit pages to the screen."},
		"telemetry.def.topic":        {KK: "Беттің тақырыбы", RU: "Тема страницы", EN: "Topic of the page"},
		"telemetry.def.topic.why":    {KK: "Материалдың пәні, сыныбы және түрі немесе сайттың бөлімі.", RU: "Предмет, класс и тип материала или раздел сайта.", EN: "The material's subject, grade and type, or the section of the site."},
		"telemetry.def.subject":      {KK: "Пән", RU: "Предмет", EN: "Subject"},
		"telemetry.def.subject.why":  {KK: "Қай пәндер қызықтыратынын білу үшін.", RU: "Чтобы знать, какие предметы интересны.", EN: "To know which subjects are of interest."},
		"telemetry.def.grade":        {KK: "Сынып", RU: "Класс", EN: "Grade"},
		"telemetry.def.grade.why":    {KK: "Қай сыныптарға материал ізделетінін білу үшін.", RU: "Чтобы знать, для каких классов ищут материалы.", EN: "To know which grades materials are sought for."},
		"telemetry.def.type":         {KK: "Материал түрі", RU: "Тип материала", EN: "Type of material"},
		"telemetry.def.type.why":     {KK: "Сабақ жоспары, тест, таныстырылым және т.б.", RU: "План урока, тест, презентация и т. д.", EN: "Lesson plan, test, presentation and so on."},
		"telemetry.def.section":      {KK: "Сайт бөлімі", RU: "Раздел сайта", EN: "Section of the site"},
		"telemetry.def.section.why":  {KK: "Мысалы, каталог, авторлар, жеке кабинет.", RU: "Например, каталог, авторы, личный кабинет.", EN: "Such as the catalog, authors, the account."},
		"telemetry.def.download":     {KK: "Жүктеп алынған материал", RU: "Скачанный материал", EN: "Material downloaded"},
		"telemetry.def.download.why": {KK: "Материалдардың жүктеу санағы үшін.", RU: "Для подсчёта скачиваний материалов.", EN: "To count the downloads of materials."},

		// The public page of what is collected.
		"telemetry.about.title": {KK: "Сайт кірулер туралы не жазады", RU: "Что сайт записывает о посещениях", EN: "What the site records about visits"},
		"telemetry.about.p": {
			KK: "Бұл бет сайттың өзі жазатын тізімнен жасалады, сондықтан шындықпен әрқашан сәйкес келеді. Санақ үшін cookie қолданылмайды.",
			RU: "Эта страница составляется из того же списка, по которому сайт ведёт записи, поэтому всегда совпадает с действительностью. Cookie для подсчёта не используются.",
			EN: "This page is drawn from the very list the site records by, so it always matches what is done. No cookies are used for counting.",
		},
		"telemetry.about.personal.h": {KK: "Кірген пайдаланушы туралы (дербестендірілген ақпарат)", RU: "О вошедшем пользователе (персонифицированная информация)", EN: "About a signed-in user (personalised information)"},
		"telemetry.about.personal.p": {
			KK: "Әр ашылған бет тіркелгіңізбен байланысты жазба ретінде сақталады; жазбаның әр өрісі тек сіздің кілтіңізбен шифрланады. Оларды «Мен туралы деректер» бетінде және экспортта көресіз. Жазбалар %d күн сақталады, содан кейін жойылады; тіркелгіні жойғанда бірден жойылады. Сонымен бірге айына қай пәндердің, сыныптардың және түрлердің материалдарын қанша рет ашқаныңыз есептеледі.",
			RU: "Каждая открытая страница сохраняется как запись, связанная с вашей учётной записью; каждое поле записи зашифровано только вашим ключом. Вы видите их на странице «Данные обо мне» и в выгрузке. Записи хранятся %d дней, затем удаляются; при удалении учётной записи — сразу. Также по месяцам считается, сколько раз вы открывали материалы каких предметов, классов и типов.",
			EN: "Each page you open is kept as a record tied to your account; every field of it is encrypted with your key alone. You see them on the “Data about me” page and in the export. Records are kept %d days and then deleted, and at once when you delete your account. Also counted, by month, is how many materials of each subject, grade and type you opened.",
		},
		"telemetry.about.aggregate.h": {KK: "Барлық келушілер туралы (дербестендірілмеген ақпарат)", RU: "Обо всех посетителях (неперсонифицированная информация)", EN: "About every visitor (non-personalised information)"},
		"telemetry.about.aggregate.p": {
			KK: "Күн сайын әр бет, тақырып, келген сайт, браузер, жүйе, құрылғы, ел және провайдер бойынша тек сандар сақталады. Бірегей келушілер сол күнгі кездейсоқ «тұзбен» есептеледі; күн жабылғанда тұз жойылады, сондықтан кешегі келушілерді ешкім, әкімшілік те, қайта анықтай алмайды. Бір күнде %d келушіден аз көрген мән «басқа» ішіне біріктіріледі.",
			RU: "Каждый день хранятся только числа — по страницам, темам, сайтам-источникам, браузерам, системам, устройствам, странам и провайдерам. Уникальные посетители считаются со случайной «солью» дня; когда день закрывается, соль удаляется, и вчерашних посетителей никто, включая администрацию, узнать не может. Значение, которое за день видели меньше %d посетителей, объединяется в «другое».",
			EN: "Each day only numbers are kept — per page, topic, referring site, browser, system, device, country and provider. Unique visitors are counted with a random “salt” of the day; when the day is closed the salt is deleted, so nobody, the administration included, can tell yesterday's visitors again. A value seen by fewer than %d visitors in a day is merged into “other”.",
		},
		"telemetry.about.col.what":      {KK: "Не жазылады", RU: "Что записывается", EN: "What is recorded"},
		"telemetry.about.col.why":       {KK: "Неге және қалай", RU: "Зачем и как", EN: "Why and how"},
		"telemetry.about.col.personal":  {KK: "Сіздің жазбаңызда", RU: "В вашей записи", EN: "In your record"},
		"telemetry.about.col.aggregate": {KK: "Жалпы санақта", RU: "В общей статистике", EN: "In the overall counts"},
		"telemetry.about.col.clause":    {KK: "Тармақ", RU: "Пункт", EN: "Clause"},
		"telemetry.about.yes":           {KK: "иә", RU: "да", EN: "yes"},
		"telemetry.about.no":            {KK: "жоқ", RU: "нет", EN: "no"},
		"telemetry.about.link":          {KK: "Кірулер туралы не жазылады", RU: "Что записывается о посещениях", EN: "What is recorded about visits"},

		// The user's data page.
		"telemetry.data.title": {KK: "Мен туралы деректер", RU: "Данные обо мне", EN: "Data about me"},
		"telemetry.data.p": {
			KK: "Сайттың сіз туралы сақтайтыны, бөлімдер бойынша. Барлығын JSON ретінде жүктеп алуға болады.",
			RU: "То, что сайт хранит о вас, по разделам. Всё это можно скачать в формате JSON.",
			EN: "What the site keeps about you, section by section. You can download all of it as JSON.",
		},
		"telemetry.data.technical":      {KK: "Техникалық ақпарат", RU: "Техническая информация", EN: "Technical information"},
		"telemetry.data.technical.p":    {KK: "Сіз ашқан беттер: уақыты, мекенжайыңыз, провайдеріңіз, браузеріңіз және беттің тақырыбы. %d күн сақталады.", RU: "Открытые вами страницы: время, ваш адрес, провайдер, браузер и тема страницы. Хранятся %d дней.", EN: "The pages you opened: the time, your address, provider, browser and the page's topic. Kept %d days."},
		"telemetry.data.technical.n":    {KK: "Соңғы %d жазба көрсетілген; қалғаны экспортта.", RU: "Показаны последние %d записей; остальные — в выгрузке.", EN: "The latest %d records are shown; the export has the rest."},
		"telemetry.data.none":           {KK: "Әзірге ештеңе жоқ.", RU: "Пока ничего нет.", EN: "Nothing yet."},
		"telemetry.data.prefs":          {KK: "Қалауларыңыздың статистикасы", RU: "Статистика ваших предпочтений", EN: "Statistics of your preferences"},
		"telemetry.data.prefs.p":        {KK: "Айына қай пәндердің, сыныптардың және түрлердің материалдарын қанша рет ашқаныңыз.", RU: "Сколько раз в месяц вы открывали материалы каких предметов, классов и типов.", EN: "How many times a month you opened materials of each subject, grade and type."},
		"telemetry.data.at":             {KK: "Уақыты", RU: "Время", EN: "Time"},
		"telemetry.data.month":          {KK: "Ай", RU: "Месяц", EN: "Month"},
		"telemetry.data.kind":           {KK: "Түрі", RU: "Вид", EN: "Kind"},
		"telemetry.data.value":          {KK: "Мәні", RU: "Значение", EN: "Value"},
		"telemetry.data.views":          {KK: "Қаралым", RU: "Просмотры", EN: "Views"},
		"telemetry.data.export":         {KK: "Барлығын жүктеп алу (JSON)", RU: "Скачать всё (JSON)", EN: "Download everything (JSON)"},
		"telemetry.data.about":          {KK: "Не және неге жазылады", RU: "Что и зачем записывается", EN: "What is recorded and why"},
		"telemetry.data.contents":       {KK: "Мазмұны", RU: "Содержание", EN: "Contents"},
		"telemetry.data.link":           {KK: "Мен туралы деректер", RU: "Данные обо мне", EN: "Data about me"},
		"telemetry.data.admin.p":        {KK: "Пайдаланушының техникалық жазбалары мен қалаулары (ашылуы журналға жазылды).", RU: "Технические записи и предпочтения пользователя (просмотр записан в журнал).", EN: "The user's technical records and preferences (this view is in the audit log)."},
		"telemetry.data.files":          {KK: "Файлдар бойынша әрекеттер", RU: "Действия с файлами", EN: "File events"},
		"telemetry.data.files.action":   {KK: "Әрекет", RU: "Действие", EN: "Action"},
		"telemetry.data.files.upload":   {KK: "жүктеп салу", RU: "загрузка", EN: "upload"},
		"telemetry.data.files.download": {KK: "жүктеп алу", RU: "скачивание", EN: "download"},

		// The administrators' statistics.
		"telemetry.stats.title": {KK: "Статистика", RU: "Статистика", EN: "Statistics"},
		"telemetry.stats.p": {
			KK: "Тек жабылған күндердің жиынтық сандары (бүгінгісі ертең шығады). Келушілер — әр күннің бірегей келушілерінің қосындысы: күндердің тұзы жойылғандықтан, екі күні келген адамды ешкім ажырата алмайды.",
			RU: "Только сводные числа закрытых дней (сегодняшние появятся завтра). Посетители — сумма уникальных посетителей каждого дня: соль дней удалена, поэтому пришедшего в два дня человека никто не может узнать.",
			EN: "Only the totals of closed days (today's appear tomorrow). Visitors are the sum of each day's unique visitors: the days' salts are deleted, so nobody can tell that one person came on two days.",
		},
		"telemetry.stats.from":      {KK: "Басы", RU: "С", EN: "From"},
		"telemetry.stats.to":        {KK: "Соңы", RU: "По", EN: "To"},
		"telemetry.stats.show":      {KK: "Көрсету", RU: "Показать", EN: "Show"},
		"telemetry.stats.csv":       {KK: "CSV ретінде жүктеп алу", RU: "Скачать CSV", EN: "Download CSV"},
		"telemetry.stats.visits":    {KK: "Кірулер", RU: "Посещения", EN: "Visits"},
		"telemetry.stats.visitors":  {KK: "Келушілер", RU: "Посетители", EN: "Visitors"},
		"telemetry.stats.downloads": {KK: "Жүктеулер", RU: "Скачивания", EN: "Downloads"},
		"telemetry.stats.day":       {KK: "Күн", RU: "День", EN: "Day"},
		"telemetry.stats.none":      {KK: "Бұл кезеңде дерек жоқ.", RU: "За этот период данных нет.", EN: "No data for this period."},
		"telemetry.stats.other":     {KK: "басқа (%d келушіден аз)", RU: "другое (меньше %d посетителей)", EN: "other (fewer than %d visitors)"},
		"telemetry.stats.period":    {KK: "Кезеңді дұрыс жазыңыз: ЖЖЖЖ-АА-КК форматындағы екі күн, басы соңынан кейін емес, 366 күннен аспайтын.", RU: "Укажите период правильно: две даты в формате ГГГГ-ММ-ДД, начало не позже конца, не больше 366 дней.", EN: "Please give a valid period: two dates as YYYY-MM-DD, the start not after the end, at most 366 days."},
		"telemetry.stats.chart":     {KK: "Күндер бойынша кірулер мен келушілер", RU: "Посещения и посетители по дням", EN: "Visits and visitors by day"},

		// Background jobs on the status page.
		"jobs.kind.telemetry.close":  {KK: "Өткен күндердің статистикасын жабу", RU: "Закрытие статистики прошедших дней", EN: "Closing the statistics of past days"},
		"jobs.kind.telemetry.retain": {KK: "Ескі техникалық жазбаларды жою", RU: "Удаление старых технических записей", EN: "Deleting old technical records"},
	})
}
