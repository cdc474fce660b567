package i18n

// Messages of the privacy centre (internal/privacy,
// internal/web/handlers_privacy.go): consent receipts, the contacts page,
// the holiday calendar and deadlines, the register of processors.
func init() {
	add(map[string]Message{
		"audit.action.settings_change": {KK: "Сайт баптауын өзгерту", RU: "Изменение настроек сайта", EN: "Changed a site setting"},

		// Consent receipts.
		"privacy.receipts.title": {KK: "Келісім түбіртектері", RU: "Квитанции о согласии", EN: "Consent receipts"},
		"privacy.receipts.p": {
			KK: "Әр келісіміңізге сайт қол қойған түбіртек (Kantara Consent Receipt v1.1, JWS) беріледі. Оны сақтап қойыңыз: кез келген адам оны сайттың ашық кілтімен тексере алады. Түбіртекте сіз тек тіркелгі нөмірімен аталасыз — электрондық пошта да, аты-жөн де жоқ.",
			RU: "На каждое ваше согласие выдаётся квитанция, подписанная сайтом (Kantara Consent Receipt v1.1, JWS). Сохраните её: любой может проверить её открытым ключом сайта. В квитанции вы названы только номером учётной записи — без адреса почты и имени.",
			EN: "Each of your consents has a receipt signed by the site (Kantara Consent Receipt v1.1, JWS). Keep it: anyone can check it with the site's public key. The receipt names you by account number only — no email address, no name.",
		},
		"privacy.receipts.when":                {KK: "Уақыты", RU: "Время", EN: "When"},
		"privacy.receipts.document":            {KK: "Құжат", RU: "Документ", EN: "Document"},
		"privacy.receipts.method":              {KK: "Тәсілі", RU: "Способ", EN: "How"},
		"privacy.receipts.file":                {KK: "Түбіртек", RU: "Квитанция", EN: "Receipt"},
		"privacy.receipts.download":            {KK: "Жүктеп алу", RU: "Скачать", EN: "Download"},
		"privacy.receipts.none":                {KK: "Әзірге келісім жоқ.", RU: "Согласий пока нет.", EN: "No consents yet."},
		"privacy.receipts.version":             {KK: "%d-нұсқа", RU: "редакция %d", EN: "version %d"},
		"privacy.receipts.kind.agreement":      {KK: "Құпиялылық туралы келісім", RU: "Соглашение о конфиденциальности", EN: "Confidentiality Agreement"},
		"privacy.receipts.kind.privacy":        {KK: "Құпиялылық саясаты", RU: "Политика конфиденциальности", EN: "Privacy Policy"},
		"privacy.receipts.method.registration": {KK: "Тіркелу кезінде белгі қою", RU: "Отметка при регистрации", EN: "Ticked box at registration"},
		"privacy.receipts.method.reacceptance": {KK: "Жаңа нұсқаны қабылдау", RU: "Принятие новой редакции", EN: "Accepted a new version"},
		"privacy.receipt.not_found":            {KK: "Мұндай келісім түбіртегі жоқ.", RU: "Такой квитанции о согласии нет.", EN: "There is no such consent receipt."},

		// Verification.
		"privacy.verify.title": {KK: "Келісім түбіртегін тексеру", RU: "Проверка квитанции о согласии", EN: "Verify a consent receipt"},
		"privacy.verify.intro": {
			KK: "Түбіртектің мәтінін қойыңыз немесе файлын таңдаңыз. Сайт оның қолтаңбасын ашық кілтпен тексеріп, ішінде не жазылғанын көрсетеді.",
			RU: "Вставьте текст квитанции или выберите её файл. Сайт проверит подпись открытым ключом и покажет, что в ней написано.",
			EN: "Paste the receipt's text or choose its file. The site checks its signature with the public key and shows what it says.",
		},
		"privacy.verify.paste":        {KK: "Түбіртек мәтіні", RU: "Текст квитанции", EN: "Receipt text"},
		"privacy.verify.upload":       {KK: "немесе түбіртек файлы (.jws)", RU: "или файл квитанции (.jws)", EN: "or the receipt file (.jws)"},
		"privacy.verify.submit":       {KK: "Тексеру", RU: "Проверить", EN: "Verify"},
		"privacy.verify.ok":           {KK: "Түбіртек түпнұсқа: оған осы сайт қол қойған және ол өзгертілмеген.", RU: "Квитанция подлинная: она подписана этим сайтом и не изменена.", EN: "The receipt is genuine: this site signed it and it has not been changed."},
		"privacy.verify.says":         {KK: "Түбіртекте не жазылған", RU: "Что сказано в квитанции", EN: "What the receipt says"},
		"privacy.verify.id":           {KK: "Түбіртек нөмірі", RU: "Номер квитанции", EN: "Receipt number"},
		"privacy.verify.subject":      {KK: "Дербес деректер субъектісі", RU: "Субъект персональных данных", EN: "Data subject"},
		"privacy.verify.jurisdiction": {KK: "Юрисдикция", RU: "Юрисдикция", EN: "Jurisdiction"},
		"privacy.verify.purposes":     {KK: "Мақсаттар және деректер", RU: "Цели и данные", EN: "Purposes and data"},
		"privacy.verify.key":          {KK: "Сайттың ашық кілті (JWK)", RU: "Открытый ключ сайта (JWK)", EN: "The site's public key (JWK)"},
		"privacy.verify.key.p": {
			KK: "Түбіртекті сайтсыз да, кез келген JOSE кітапханасымен тексеруге болады (EdDSA, Ed25519).",
			RU: "Квитанцию можно проверить и без сайта, любой библиотекой JOSE (EdDSA, Ed25519).",
			EN: "A receipt can also be checked without the site, with any JOSE library (EdDSA, Ed25519).",
		},
		"privacy.verify.malformed": {
			KK: "Бұл келісім түбіртегі емес: мәтін толық көшірілгенін тексеріңіз (нүктемен бөлінген үш бөлік).",
			RU: "Это не квитанция о согласии: проверьте, что текст скопирован целиком (три части через точку).",
			EN: "This is not a consent receipt: check that the whole text was copied (three parts separated by dots).",
		},
		"privacy.verify.tampered": {
			KK: "Қолтаңба сәйкес емес: түбіртек қол қойылғаннан кейін өзгертілген. Оған сенуге болмайды.",
			RU: "Подпись не совпадает: квитанция изменена после подписания. Доверять ей нельзя.",
			EN: "The signature does not match: the receipt was changed after it was signed. It cannot be trusted.",
		},
		"privacy.verify.foreign": {
			KK: "Бұл түбіртекке осы сайт қол қоймаған: оның кілті сайттың кілттерінің ешқайсысы емес.",
			RU: "Эту квитанцию подписал не этот сайт: её ключ не совпадает ни с одним ключом сайта.",
			EN: "This site did not sign this receipt: its key is none of the site's keys.",
		},
		"privacy.verify.too_big": {KK: "Файл тым үлкен: түбіртек бірнеше килобайт болады.", RU: "Файл слишком большой: квитанция занимает несколько килобайт.", EN: "The file is too big: a receipt is a few kilobytes."},

		// Contacts.
		"privacy.contacts.title": {KK: "Байланыс: дербес деректер үшін кім жауап береді", RU: "Контакты: кто отвечает за персональные данные", EN: "Contacts: who answers for personal data"},
		"privacy.contacts.p": {
			KK: "Сайттың операторы және дербес деректерді өңдеуді ұйымдастыруға жауапты тұлға. Сұрауларыңыз бен шағымдарыңызды осы мекенжайға жіберіңіз.",
			RU: "Оператор сайта и лицо, ответственное за организацию обработки персональных данных. Запросы и жалобы направляйте по этому адресу.",
			EN: "The site's operator and the person responsible for organising the processing of personal data. Send your requests and complaints to this address.",
		},
		"privacy.contacts.operator":    {KK: "Оператор", RU: "Оператор", EN: "Operator"},
		"privacy.contacts.bin":         {KK: "БСН", RU: "БИН", EN: "BIN"},
		"privacy.contacts.bin.hint":    {KK: "Бизнес-сәйкестендіру нөмірі, 12 цифр.", RU: "Бизнес-идентификационный номер, 12 цифр.", EN: "Business identification number, 12 digits."},
		"privacy.contacts.address":     {KK: "Заңды мекенжайы", RU: "Юридический адрес", EN: "Legal address"},
		"privacy.contacts.responsible": {KK: "Дербес деректерді өңдеуді ұйымдастыруға жауапты тұлға", RU: "Ответственный за организацию обработки персональных данных", EN: "Person responsible for personal-data processing"},
		"privacy.contacts.email":       {KK: "Байланыс мекенжайы", RU: "Адрес для обращений", EN: "Contact address"},
		"privacy.contacts.unset":       {KK: "әкімші әлі көрсетпеген", RU: "администратор ещё не указал", EN: "not set by the administrator yet"},
		"privacy.contacts.rights": {
			KK: "Сіз өзіңіз туралы сақталған деректерді білуге, оларды түзетуге, бұғаттауға, келісіміңізді қайтарып алуға және тіркелгіңізді жоюға сұрау жібере аласыз (ҚР «Дербес деректер және оларды қорғау туралы» Заңы).",
			RU: "Вы можете запросить сведения о хранимых о вас данных, их исправление, блокирование, отозвать согласие и удалить учётную запись (Закон РК «О персональных данных и их защите»).",
			EN: "You can ask what data is held about you, have it corrected or blocked, withdraw your consent and delete your account (Law of the Republic of Kazakhstan on personal data and their protection).",
		},
		"privacy.contacts.too_long":  {KK: "%d таңбадан аспауы керек.", RU: "Не длиннее %d символов.", EN: "At most %d characters."},
		"privacy.contacts.email_bad": {KK: "Электрондық пошта мекенжайын дұрыс жазыңыз.", RU: "Укажите правильный адрес электронной почты.", EN: "Enter a valid email address."},
		"privacy.contacts.bin_bad":   {KK: "БСН 12 цифрдан тұрады.", RU: "БИН состоит из 12 цифр.", EN: "A BIN is 12 digits."},

		// Admin settings.
		"privacy.admin.title": {KK: "Оператор және өңдеушілер", RU: "Оператор и обработчики", EN: "Operator and processors"},
		"privacy.admin.p": {
			KK: "Бұл мәліметтер /contacts бетінде және келісім түбіртектерінде жарияланады. Әр өзгеріс аудит журналына жазылады.",
			RU: "Эти сведения публикуются на странице /contacts и в квитанциях о согласии. Каждое изменение записывается в журнал аудита.",
			EN: "These details are published on /contacts and in consent receipts. Every change is written to the audit log.",
		},
		"privacy.admin.saved": {KK: "Сақталды.", RU: "Сохранено.", EN: "Saved."},

		// Processors.
		"privacy.processors.title": {KK: "Өңдеушілер тізілімі", RU: "Реестр обработчиков", EN: "Register of processors"},
		"privacy.processors.p": {
			KK: "Сайттың баптауынан алынған: дербес деректер сақталатын немесе жіберілетін орындар. Заң деректердің Қазақстанда сақталуын талап етеді.",
			RU: "Взято из настроек сайта: места, где хранятся или куда передаются персональные данные. Закон требует хранить данные в Казахстане.",
			EN: "Read from the site's configuration: the places personal data is kept or sent. The law requires the data to be stored in Kazakhstan.",
		},
		"privacy.processors.warning": {
			KK: "Назар аударыңыз: кей өңдеуші Қазақстаннан тыс тұр немесе елі белгісіз. Тексеріп, елін көрсетіңіз.",
			RU: "Внимание: обработчик за пределами Казахстана или его страна неизвестна. Проверьте и укажите страну.",
			EN: "Warning: a processor is outside Kazakhstan or its country is unknown. Check it and set the country.",
		},
		"privacy.processors.kind":          {KK: "Түрі", RU: "Вид", EN: "Kind"},
		"privacy.processors.host":          {KK: "Мекенжайы", RU: "Адрес", EN: "Host"},
		"privacy.processors.country":       {KK: "Елі", RU: "Страна", EN: "Country"},
		"privacy.processors.country.hint":  {KK: "ISO 3166-1 екі әріпті коды, мысалы KZ. Бос — белгісіз.", RU: "Двухбуквенный код ISO 3166-1, например KZ. Пусто — неизвестно.", EN: "Two-letter ISO 3166-1 code, e.g. KZ. Empty means unknown."},
		"privacy.processors.unknown":       {KK: "белгісіз", RU: "неизвестно", EN: "unknown"},
		"privacy.processors.review":        {KK: "тексеру керек", RU: "нужна проверка", EN: "needs review"},
		"privacy.processors.edit":          {KK: "Елдерін көрсету", RU: "Указать страны", EN: "Set the countries"},
		"privacy.processors.country_bad":   {KK: "Елдің екі әріпті кодын жазыңыз, мысалы KZ.", RU: "Укажите двухбуквенный код страны, например KZ.", EN: "Enter a two-letter country code, e.g. KZ."},
		"privacy.processors.not_found":     {KK: "Мұндай өңдеуші баптауда жоқ.", RU: "Такого обработчика нет в настройках.", EN: "No such processor is configured."},
		"privacy.processors.kind.server":   {KK: "Сайт сервері (диск, SQLite, хат қалтасы)", RU: "Сервер сайта (диск, SQLite, папка писем)", EN: "The site's server (disk, SQLite, outbox)"},
		"privacy.processors.kind.database": {KK: "PostgreSQL дерекқоры", RU: "База данных PostgreSQL", EN: "PostgreSQL database"},
		"privacy.processors.kind.storage":  {KK: "Файл қоймасы (S3)", RU: "Хранилище файлов (S3)", EN: "File storage (S3)"},
		"privacy.processors.kind.smtp":     {KK: "Пошта сервері (SMTP)", RU: "Почтовый сервер (SMTP)", EN: "Mail relay (SMTP)"},

		// Holidays and deadlines.
		"privacy.holidays.title": {KK: "Мереке күндерінің күнтізбесі", RU: "Календарь праздничных дней", EN: "Holiday calendar"},
		"privacy.holidays.p": {
			KK: "Заңдағы мерзімдер Қазақстанның жұмыс күндерімен есептеледі. Мереке мен ауыстырылған демалыс күндерін, сондай-ақ жұмыс күні болған сенбі мен жексенбіні осында енгізіңіз. Әр өзгеріс аудитке жазылады.",
			RU: "Сроки по закону считаются в рабочих днях Казахстана. Внесите сюда праздники и перенесённые выходные, а также субботы и воскресенья, ставшие рабочими. Каждое изменение записывается в аудит.",
			EN: "Legal deadlines are counted in working days of Kazakhstan. Enter holidays and moved days off here, and Saturdays or Sundays made working days. Every change is audited.",
		},
		"privacy.holidays.add":             {KK: "Күнді қосу немесе өзгерту", RU: "Добавить или изменить день", EN: "Add or change a day"},
		"privacy.holidays.list":            {KK: "Күнтізбе", RU: "Календарь", EN: "Calendar"},
		"privacy.holidays.day":             {KK: "Күні", RU: "Дата", EN: "Day"},
		"privacy.holidays.kind":            {KK: "Түрі", RU: "Вид", EN: "Kind"},
		"privacy.holidays.off":             {KK: "Демалыс күні", RU: "Выходной день", EN: "Day off"},
		"privacy.holidays.work":            {KK: "Жұмыс күні (сенбі не жексенбі)", RU: "Рабочий день (суббота или воскресенье)", EN: "Working day (Saturday or Sunday)"},
		"privacy.holidays.name":            {KK: "Атауы", RU: "Название", EN: "Name"},
		"privacy.holidays.remove":          {KK: "Алып тастау", RU: "Убрать", EN: "Remove"},
		"privacy.holidays.day_bad":         {KK: "Күнді ЖЖЖЖ-АА-КК түрінде жазыңыз (2000–2100 жылдар).", RU: "Укажите дату в виде ГГГГ-ММ-ДД (2000–2100 годы).", EN: "Enter the day as YYYY-MM-DD (years 2000–2100)."},
		"privacy.holidays.name_required":   {KK: "Күннің атауын жазыңыз.", RU: "Укажите название дня.", EN: "Enter the day's name."},
		"privacy.holidays.workday_weekday": {KK: "Дүйсенбі–жұма онсыз да жұмыс күні: жұмыс күні ретінде тек сенбі не жексенбіні енгізуге болады.", RU: "Понедельник–пятница и так рабочие: рабочим можно сделать только субботу или воскресенье.", EN: "Monday to Friday are working days already: only a Saturday or Sunday can be made a working day."},
		"privacy.holidays.not_found":       {KK: "Бұл күн күнтізбеде жоқ.", RU: "Этого дня нет в календаре.", EN: "This day is not in the calendar."},
		"privacy.deadlines.title":          {KK: "Сұраулардың заңды мерзімдері", RU: "Сроки ответа на запросы по закону", EN: "Legal deadlines of requests"},
		"privacy.deadlines.p":              {KK: "Бүгін түскен сұрау үшін мерзім осы күнтізбе бойынша есептелген.", RU: "Срок для запроса, поступившего сегодня, по этому календарю.", EN: "The deadline of a request received today, by this calendar."},
		"privacy.deadlines.type":           {KK: "Сұрау", RU: "Запрос", EN: "Request"},
		"privacy.deadlines.days":           {KK: "Жұмыс күні", RU: "Рабочих дней", EN: "Working days"},
		"privacy.deadlines.article":        {KK: "Негізі", RU: "Основание", EN: "Source"},
		"privacy.deadlines.today":          {KK: "Бүгін түссе, мерзімі", RU: "Если поступил сегодня, срок", EN: "If received today, due"},
		"privacy.deadlines.unconfirmed":    {KK: "Заң мәтінінен әлі тексерілмеген", RU: "Ещё не сверено с текстом закона", EN: "Not yet checked against the law's text"},
		"privacy.request.access":           {KK: "Деректермен танысу", RU: "Доступ к данным", EN: "Access to data"},
		"privacy.request.correct":          {KK: "Деректерді түзету", RU: "Исправление данных", EN: "Correction"},
		"privacy.request.block":            {KK: "Бұғаттау", RU: "Блокирование", EN: "Blocking"},
		"privacy.request.unblock":          {KK: "Бұғаттан шығару", RU: "Разблокирование", EN: "Unblocking"},
		"privacy.request.takedown":         {KK: "Заңсыз жарияланған деректерді алып тастау", RU: "Удаление незаконно опубликованных данных", EN: "Removal of unlawfully published data"},
		"privacy.request.withdraw":         {KK: "Келісімді кері қайтарып алу", RU: "Отзыв согласия", EN: "Withdrawal of consent"},
		"privacy.request.delete":           {KK: "Тіркелгіні жою", RU: "Удаление учётной записи", EN: "Account deletion"},
		"privacy.request.breach":           {KK: "Деректердің таралуы туралы уәкілетті органға хабарлау", RU: "Уведомление уполномоченного органа об утечке", EN: "Notifying the authority of a leak"},

		"privacy.footer.contacts": {KK: "Байланыс", RU: "Контакты", EN: "Contacts"},
	})
}

func init() {
	add(map[string]Message{
		"audit.action.privacy_request": {KK: "Дербес деректер бойынша сұрау беру", RU: "Подача запроса о персональных данных", EN: "Filed a personal-data request"},
		"audit.action.privacy_answer":  {KK: "Дербес деректер бойынша сұрауға жауап беру", RU: "Ответ на запрос о персональных данных", EN: "Answered a personal-data request"},
	})
}

func init() {
	add(map[string]Message{
		"privacy.requests.title": {KK: "Дербес деректер бойынша сұрауларым", RU: "Мои запросы о персональных данных", EN: "My personal-data requests"},
		"privacy.requests.p": {
			KK: "Сақталған деректеріңізді білуге, түзетуге, бұғаттауға, келісімді қайтарып алуға немесе тіркелгіні жоюға сұрау жіберіңіз. Әр сұрау заңдағы мерзіммен (Қазақстанның жұмыс күндерімен) тіркеледі, жауап осында және поштаңызға келеді.",
			RU: "Запросите сведения о хранимых данных, их исправление, блокирование, отзыв согласия или удаление учётной записи. Каждый запрос регистрируется со сроком по закону (в рабочих днях Казахстана); ответ придёт сюда и на вашу почту.",
			EN: "Ask what data is held, to correct or block it, to withdraw your consent or to delete your account. Each request is registered with its legal deadline (in working days of Kazakhstan); the answer appears here and in your email.",
		},
		"privacy.requests.new":              {KK: "Жаңа сұрау", RU: "Новый запрос", EN: "New request"},
		"privacy.requests.detail":           {KK: "Сұраудың мәні", RU: "Суть запроса", EN: "What you ask"},
		"privacy.requests.detail.hint":      {KK: "Түзету үшін не дұрыс емес екенін және қалай болуы керегін жазыңыз. Басқа сұрауларда міндетті емес.", RU: "Для исправления напишите, что неверно и как должно быть. Для других запросов необязательно.", EN: "For a correction, say what is wrong and what it should be. Optional for other requests."},
		"privacy.requests.submit":           {KK: "Сұрау жіберу", RU: "Отправить запрос", EN: "Send the request"},
		"privacy.requests.filed":            {KK: "Сұрау тіркелді. Жауап мерзімі кестеде көрсетілген.", RU: "Запрос зарегистрирован. Срок ответа указан в таблице.", EN: "Your request is registered. The deadline for the answer is in the table."},
		"privacy.requests.mine":             {KK: "Сұрауларым", RU: "Мои запросы", EN: "My requests"},
		"privacy.requests.none":             {KK: "Сұрау жоқ.", RU: "Запросов нет.", EN: "No requests."},
		"privacy.requests.received":         {KK: "Түскен уақыты", RU: "Получен", EN: "Received"},
		"privacy.requests.due":              {KK: "Мерзімі", RU: "Срок", EN: "Due"},
		"privacy.requests.status":           {KK: "Күйі", RU: "Состояние", EN: "Status"},
		"privacy.requests.status.open":      {KK: "Қаралуда", RU: "На рассмотрении", EN: "Open"},
		"privacy.requests.status.answered":  {KK: "Жауап берілді", RU: "Отвечен", EN: "Answered"},
		"privacy.requests.type_bad":         {KK: "Сұраудың түрін тізімнен таңдаңыз.", RU: "Выберите вид запроса из списка.", EN: "Choose the kind of request from the list."},
		"privacy.requests.detail_required":  {KK: "Нені түзету керегін жазыңыз.", RU: "Напишите, что нужно исправить.", EN: "Say what should be corrected."},
		"privacy.requests.not_found":        {KK: "Мұндай сұрау жоқ.", RU: "Такого запроса нет.", EN: "There is no such request."},
		"privacy.requests.already_answered": {KK: "Бұл сұрауға жауап берілген.", RU: "На этот запрос уже ответили.", EN: "This request has already been answered."},
		"privacy.requests.queue":            {KK: "Дербес деректер бойынша сұраулар", RU: "Запросы о персональных данных", EN: "Personal-data requests"},
		"privacy.requests.queue.p":          {KK: "Ашық сұраулар мерзімі жақынынан бастап. Мерзімі өткендер қызылмен белгіленген.", RU: "Открытые запросы, начиная с ближайшего срока. Просроченные отмечены красным.", EN: "Open requests, the nearest deadline first. Overdue ones are marked in red."},
		"privacy.requests.overdue":          {KK: "мерзімі өтті", RU: "просрочен", EN: "overdue"},
		"privacy.requests.account":          {KK: "Тіркелгі", RU: "Учётная запись", EN: "Account"},
		"privacy.requests.answer":           {KK: "Жауап беру", RU: "Ответить", EN: "Answer"},
		"privacy.requests.answered":         {KK: "Жауап жіберілді, сұрау жабылды.", RU: "Ответ отправлен, запрос закрыт.", EN: "The answer was sent and the request closed."},
		"privacy.requests.audited":          {KK: "Бұл сұрауды ашқаныңыз аудит журналына жазылды.", RU: "Просмотр этого запроса записан в журнал аудита.", EN: "Opening this request was written to the audit log."},
		"privacy.requests.answer.label":     {KK: "Жауап", RU: "Ответ", EN: "Answer"},
		"privacy.requests.answer.hint":      {KK: "Жауап пайдаланушыға поштамен жіберіледі және сұрауды жабады.", RU: "Ответ уйдёт пользователю по почте и закроет запрос.", EN: "The answer is emailed to the user and closes the request."},
		"privacy.requests.answer.submit":    {KK: "Жауап беріп, жабу", RU: "Ответить и закрыть", EN: "Answer and close"},
		"privacy.requests.answer_required":  {KK: "Жауапты жазыңыз.", RU: "Напишите ответ.", EN: "Write the answer."},
		"privacy.requests.mail.subject":     {KK: "Сұрауыңызға жауап: %s", RU: "Ответ на ваш запрос: %s", EN: "The answer to your request: %s"},
		"privacy.requests.mail.text":        {KK: "Сәлеметсіз бе!\n\n%s туралы %s күнгі сұрауыңызға жауап:", RU: "Здравствуйте!\n\nОтвет на ваш запрос «%s» от %s:", EN: "Hello,\n\nThe answer to your request (%s) of %s:"},
		"privacy.requests.due_at":           {KK: "%s, 23:59 (Астана уақыты)", RU: "%s, 23:59 (по времени Астаны)", EN: "%s, 23:59 (Astana time)"},
		"privacy.requests.link":             {KK: "Дербес деректер бойынша сұраулар", RU: "Запросы о персональных данных", EN: "Personal-data requests"},
	})
}
