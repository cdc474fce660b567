package i18n

// Messages of the materials library (internal/library) and its pages.
// Keys with %d / %s are formatted with the values carried in
// apperr.Error.Args (limits and the uploaded file's own name).
func init() {
	add(map[string]Message{
		"library.notfound": {
			KK: "Материал табылмады немесе әлі жарияланбаған.",
			RU: "Материал не найден или ещё не опубликован.",
			EN: "The material was not found or is not published yet.",
		},
		// Publishing form.
		"library.title.length": {
			KK: "Атауы %d таңбадан %d таңбаға дейін болуы керек.",
			RU: "Название должно содержать от %d до %d символов.",
			EN: "The title must be %d to %d characters long.",
		},
		"library.description.length": {
			KK: "Сипаттама %d таңбадан аспауы керек.",
			RU: "Описание не должно превышать %d символов.",
			EN: "The description must be at most %d characters long.",
		},
		"library.subject.invalid": {
			KK: "Тізімнен пәнді таңдаңыз.",
			RU: "Выберите предмет из списка.",
			EN: "Choose a subject from the list.",
		},
		"library.grade.invalid": {
			KK: "Тізімнен сыныпты таңдаңыз.",
			RU: "Выберите класс из списка.",
			EN: "Choose a grade from the list.",
		},
		"library.type.invalid": {
			KK: "Тізімнен материал түрін таңдаңыз.",
			RU: "Выберите тип материала из списка.",
			EN: "Choose a material type from the list.",
		},
		"library.language.invalid": {
			KK: "Оқыту тілін таңдаңыз: қазақ, орыс немесе ағылшын.",
			RU: "Выберите язык обучения: казахский, русский или английский.",
			EN: "Choose the teaching language: Kazakh, Russian or English.",
		},
		"library.tags.too_many": {
			KK: "Тегтер %d-ден аспауы керек.",
			RU: "Не больше %d тегов.",
			EN: "At most %d tags.",
		},
		"library.tags.too_long": {
			KK: "Әр тег %d таңбадан аспауы керек.",
			RU: "Каждый тег — не длиннее %d символов.",
			EN: "Each tag must be at most %d characters long.",
		},
		"library.files.required": {
			KK: "Кемінде бір файл тіркеңіз.",
			RU: "Прикрепите хотя бы один файл.",
			EN: "Attach at least one file.",
		},
		"library.files.too_many": {
			KK: "Бір материалға %d файлдан артық тіркеуге болмайды.",
			RU: "К одному материалу можно прикрепить не больше %d файлов.",
			EN: "A material can have at most %d files.",
		},
		"library.files.name": {
			KK: "Файл атауы жарамсыз: атауда қалта жолы (/ немесе \\), басқару таңбалары болмауы керек, ұзындығы %d таңбадан аспауы керек. Файлдың атауын өзгертіп, қайта жүктеңіз.",
			RU: "Недопустимое имя файла: в нём не должно быть пути к папке (/ или \\) и управляющих символов, длина — не больше %d символов. Переименуйте файл и загрузите снова.",
			EN: "The file name is not allowed: it must not contain a folder path (/ or \\) or control characters, and must be at most %d characters long. Rename the file and upload it again.",
		},
		"library.files.empty": {
			KK: "«%s» файлы бос.",
			RU: "Файл «%s» пуст.",
			EN: "The file “%s” is empty.",
		},
		"library.files.type": {
			KK: "«%s» файлының түрі қабылданбайды. Қабылданатын түрлері: PDF, DOC, DOCX, PPT, PPTX, XLS, XLSX, ODT, ODP, RTF, TXT, JPG, PNG, ZIP. Түрі файл атауының соңымен емес, мазмұнымен анықталады.",
			RU: "Тип файла «%s» не принимается. Принимаются: PDF, DOC, DOCX, PPT, PPTX, XLS, XLSX, ODT, ODP, RTF, TXT, JPG, PNG, ZIP. Тип определяется по содержимому, а не по расширению.",
			EN: "The file “%s” is not of an accepted type. Accepted: PDF, DOC, DOCX, PPT, PPTX, XLS, XLSX, ODT, ODP, RTF, TXT, JPG, PNG, ZIP. The type is told by the file's content, not its name.",
		},
		"library.files.too_large": {
			KK: "«%s» файлы тым үлкен: бір файлдың көлемі %d МБ-тан аспауы керек.",
			RU: "Файл «%s» слишком большой: размер одного файла — не больше %d МБ.",
			EN: "The file “%s” is too large: each file must be at most %d MB.",
		},
		"library.files.bomb": {
			KK: "«%s» файлы қабылданбады: ашқанда ол шектен тыс үлкейеді (ZIP бомбасы). Файлды қалыпты түрде қайта сақтап, жүктеңіз.",
			RU: "Файл «%s» не принят: при распаковке он разрастается сверх всякой меры (zip-бомба). Пересохраните файл обычным образом и загрузите снова.",
			EN: "The file “%s” was refused: it expands beyond any reasonable size when unpacked (a zip bomb). Save it again normally and upload it.",
		},
		"library.files.damaged": {
			KK: "«%s» файлы зақымдалған немесе оқылмайды. Файлды қайта сақтап, жүктеңіз.",
			RU: "Файл «%s» повреждён или не читается. Пересохраните его и загрузите снова.",
			EN: "The file “%s” is damaged or cannot be read. Save it again and upload it.",
		},
		"library.declaration.required": {
			KK: "Материалдың авторы екеніңізді және оны жалпыға ашық бөлімде жариялауға келісетініңізді растаңыз.",
			RU: "Подтвердите, что вы автор материала и согласны опубликовать его в общедоступном разделе.",
			EN: "Confirm that you are the author of the material and agree to publish it in the public sections.",
		},
		"library.author.unverified": {
			KK: "Материал жариялау үшін электрондық пошта мекенжайыңызды растаңыз.",
			RU: "Чтобы публиковать материалы, подтвердите адрес электронной почты.",
			EN: "Confirm your email address to publish materials.",
		},
		"library.edit.taken_down": {
			KK: "Бұл материал модератордың шешімімен алынып тасталған, оны өзгертуге болмайды.",
			RU: "Этот материал снят по решению модератора, его нельзя изменить.",
			EN: "This material was taken down by a moderator and cannot be changed.",
		},
		// Moderation.
		"library.moderation.stale": {
			KK: "Бұл материал бойынша шешім қабылданып қойған. Кезекті жаңартыңыз.",
			RU: "По этому материалу уже принято решение. Обновите очередь.",
			EN: "This material has already been decided. Reload the queue.",
		},
		"library.reason.invalid": {
			KK: "Тізімнен себепті таңдаңыз.",
			RU: "Выберите причину из списка.",
			EN: "Choose a reason from the list.",
		},
		"library.note.length": {
			KK: "Түсініктеме %d таңбадан аспауы керек.",
			RU: "Комментарий не должен превышать %d символов.",
			EN: "The note must be at most %d characters long.",
		},
		"library.reason.not_own_work": {
			KK: "Материал авторға тиесілі емес (авторлық құқық)",
			RU: "Материал не принадлежит автору (авторское право)",
			EN: "Not the author's own work (copyright)",
		},
		"library.reason.personal_data": {
			KK: "Басқа адамдардың дербес деректері бар",
			RU: "Содержит персональные данные других людей",
			EN: "Contains other people's personal data",
		},
		"library.reason.wrong_category": {
			KK: "Пәні, сыныбы немесе түрі қате көрсетілген",
			RU: "Неверно указаны предмет, класс или тип",
			EN: "Wrong subject, grade or type",
		},
		"library.reason.low_quality": {
			KK: "Мазмұны толық емес немесе оқылмайды",
			RU: "Содержание неполное или нечитаемое",
			EN: "Incomplete or unreadable content",
		},
		"library.reason.duplicate": {
			KK: "Сайтта бұрыннан бар материалдың көшірмесі",
			RU: "Копия материала, который уже есть на сайте",
			EN: "A copy of a material already on the site",
		},
		"library.reason.inappropriate": {
			KK: "Мектепке жарамсыз мазмұн",
			RU: "Неуместное для школы содержание",
			EN: "Content unsuitable for school",
		},
		"library.reason.other": {
			KK: "Басқа себеп",
			RU: "Другая причина",
			EN: "Other reason",
		},
		// Reports.
		"library.report.reason.invalid": {
			KK: "Шағымның себебін таңдаңыз.",
			RU: "Выберите причину жалобы.",
			EN: "Choose the reason for the report.",
		},
		"library.report.text.length": {
			KK: "Шағым мәтіні %d таңбадан аспауы керек.",
			RU: "Текст жалобы не должен превышать %d символов.",
			EN: "The report must be at most %d characters long.",
		},
		"library.report.reason.personal_data": {
			KK: "Менің немесе басқа адамның дербес деректері",
			RU: "Мои или чужие персональные данные",
			EN: "My or someone else's personal data",
		},
		"library.report.reason.copyright": {
			KK: "Авторлық құқықты бұзу",
			RU: "Нарушение авторского права",
			EN: "Copyright infringement",
		},
		"library.report.reason.wrong_content": {
			KK: "Қате немесе жарамсыз мазмұн",
			RU: "Ошибочное или недопустимое содержание",
			EN: "Wrong or unacceptable content",
		},
		"library.report.reason.other": {
			KK: "Басқа",
			RU: "Другое",
			EN: "Other",
		},
		"library.taxonomy.kind": {
			KK: "Жіктеме түрін таңдаңыз.",
			RU: "Выберите вид справочника.",
			EN: "Choose the kind of term.",
		},
		"library.taxonomy.code": {
			KK: "Код тек латын кіші әріптерінен, цифрлардан және сызықшадан тұрады, %d таңбадан аспайды.",
			RU: "Код — только строчные латинские буквы, цифры и дефис, не длиннее %d символов.",
			EN: "The code is lowercase Latin letters, digits and hyphens, at most %d characters.",
		},
		"library.taxonomy.name": {
			KK: "Атауы міндетті, %d таңбадан аспайды.",
			RU: "Название обязательно, не длиннее %d символов.",
			EN: "The name is required, at most %d characters.",
		},
		"library.taxonomy.abbr": {
			KK: "Қысқартпа %d таңбадан аспауы керек.",
			RU: "Сокращение — не длиннее %d символов.",
			EN: "The abbreviation must be at most %d characters.",
		},
		// Email to authors.
		"library.mail.hello": {
			KK: "Сәлеметсіз бе!",
			RU: "Здравствуйте!",
			EN: "Hello,",
		},
		"library.mail.approved.subject": {
			KK: "Материалыңыз жарияланды",
			RU: "Ваш материал опубликован",
			EN: "Your material is published",
		},
		"library.mail.approved.text": {
			KK: "«%s» материалыңызды модератор тексерді, ол каталогта жарияланды.",
			RU: "Модератор проверил ваш материал «%s», он опубликован в каталоге.",
			EN: "A moderator has reviewed your material “%s”; it is now published in the catalog.",
		},
		"library.mail.rejected.subject": {
			KK: "Материалыңыз жарияланбады",
			RU: "Ваш материал не опубликован",
			EN: "Your material was not published",
		},
		"library.mail.rejected.text": {
			KK: "Модератор «%s» материалыңызды жариялаудан бас тартты. Оны түзетіп, қайта жіберуге болады.",
			RU: "Модератор отклонил ваш материал «%s». Вы можете исправить его и отправить снова.",
			EN: "A moderator did not accept your material “%s”. You can correct it and send it again.",
		},
		"library.mail.taken_down.subject": {
			KK: "Материалыңыз сайттан алынды",
			RU: "Ваш материал снят с сайта",
			EN: "Your material was taken down",
		},
		"library.mail.taken_down.text": {
			KK: "«%s» материалыңыз модератордың шешімімен жалпыға ашық бөлімнен алынды, оның сертификаттары жарамсыз деп танылды.",
			RU: "Ваш материал «%s» снят из общедоступного раздела по решению модератора, его сертификаты отозваны.",
			EN: "Your material “%s” was removed from the public sections by a moderator; its certificates are revoked.",
		},
		"library.mail.reason": {
			KK: "Себебі",
			RU: "Причина",
			EN: "Reason",
		},
		"library.mail.note": {
			KK: "Модератордың түсініктемесі",
			RU: "Комментарий модератора",
			EN: "Moderator's note",
		},
		"library.mail.signature": {
			KK: "smartustaz әкімшілігі",
			RU: "Администрация smartustaz",
			EN: "The smartustaz team",
		},
	})
}

// Pages of the library: catalog, material, upload form, the author's own
// list, moderation, the report register and the taxonomy editor.
func init() {
	add(map[string]Message{
		"library.nav.catalog":   {KK: "Материалдар", RU: "Материалы", EN: "Materials"},
		"library.home.catalog":  {KK: "Материалдар каталогы", RU: "Каталог материалов", EN: "Browse the materials"},
		"library.page.catalog":  {KK: "Материалдар каталогы", RU: "Каталог материалов", EN: "Materials catalog"},
		"library.page.material": {KK: "Материал", RU: "Материал", EN: "Material"},
		"library.page.new":      {KK: "Материал жариялау", RU: "Опубликовать материал", EN: "Publish a material"},
		"library.page.new.intro": {
			KK: "Өз материалыңызды жүктеңіз. Модератор тексергеннен кейін ол каталогта барлығына көрінеді Жалпыға ашық бөлімге орналастырылған ақпарат құпия болып саналмайды.",
			RU: "Загрузите свой материал. После проверки модератором он станет виден всем в каталоге Размещённое в общедоступных разделах не является конфиденциальным.",
			EN: "Upload your own material. Once a moderator has checked it, everyone can see it in the catalog What is placed in public sections is not confidential.",
		},
		"library.page.new.submit": {KK: "Модерацияға жіберу", RU: "Отправить на модерацию", EN: "Send for moderation"},
		"library.page.edit":       {KK: "Материалды өзгерту", RU: "Изменить материал", EN: "Edit the material"},
		"library.page.edit.intro": {
			KK: "Өзгертілген материал модератор қайта тексергенше каталогтан уақытша алынады.",
			RU: "Изменённый материал временно уходит из каталога, пока модератор не проверит его снова.",
			EN: "An edited material leaves the catalog until a moderator checks it again.",
		},
		"library.page.edit.submit": {KK: "Өзгерістерді жіберу", RU: "Отправить изменения", EN: "Send the changes"},
		"library.page.mine":        {KK: "Менің материалдарым", RU: "Мои материалы", EN: "My materials"},
		"library.mine.empty":       {KK: "Сіз әлі материал жарияламадыңыз.", RU: "Вы ещё не опубликовали ни одного материала.", EN: "You have not published any material yet."},
		"library.page.submitted": {
			KK: "Материал модерацияға жіберілді. Шешім туралы электрондық пошта арқылы хабарлаймыз.",
			RU: "Материал отправлен на модерацию. О решении мы сообщим по электронной почте.",
			EN: "The material was sent for moderation. We will tell you the decision by email.",
		},
		"library.page.published":        {KK: "Материал жарияланды.", RU: "Материал опубликован.", EN: "The material is published."},
		"library.page.withdrawn":        {KK: "Материал каталогтан алынды.", RU: "Материал снят из каталога.", EN: "The material was withdrawn from the catalog."},
		"library.page.yours":            {KK: "Бұл — сіздің материалыңыз", RU: "Это ваш материал", EN: "This is your material"},
		"library.page.withdraw":         {KK: "Каталогтан алу", RU: "Снять из каталога", EN: "Withdraw"},
		"library.page.preview":          {KK: "Алдын ала қарау", RU: "Предпросмотр", EN: "Preview"},
		"library.page.related":          {KK: "Ұқсас материалдар", RU: "Похожие материалы", EN: "Related materials"},
		"library.page.rejected_because": {KK: "Жарияланбау себебі", RU: "Причина отказа", EN: "Not published because"},
		"library.catalog.empty": {
			KK: "Бұл сүзгілерге сай материал табылмады. Сүзгілерді өзгертіп көріңіз.",
			RU: "По этим фильтрам материалов не найдено. Попробуйте изменить фильтры.",
			EN: "No materials match these filters. Try changing them.",
		},
		// The catalog with nothing in it at all (no search, no filter):
		// a new site, not a search that found nothing.
		"library.catalog.none": {
			KK: "Каталогта әзірге материал жоқ.",
			RU: "В каталоге пока нет материалов.",
			EN: "There are no materials in the catalog yet.",
		},
		"library.catalog.first": {
			KK: "Алғашқы материалды жариялаңыз",
			RU: "Опубликуйте первый материал",
			EN: "Publish the first one",
		},
		"library.author":    {KK: "Автор #%d", RU: "Автор #%d", EN: "Author #%d"},
		"library.views":     {KK: "%d қаралым", RU: "просмотров: %d", EN: "%d views"},
		"library.downloads": {KK: "%d жүктеу", RU: "скачиваний: %d", EN: "%d downloads"},

		"library.field.q":        {KK: "Іздеу", RU: "Поиск", EN: "Search"},
		"library.field.q.hint":   {KK: "мысалы: сабақ жоспары, ҚМЖ", RU: "например: план урока, КСП", EN: "e.g. lesson plan, ҚМЖ"},
		"library.filter.all":     {KK: "Барлығы", RU: "Все", EN: "All"},
		"library.filter.apply":   {KK: "Көрсету", RU: "Показать", EN: "Show"},
		"library.sort.label":     {KK: "Сұрыптау", RU: "Сортировка", EN: "Sort"},
		"library.sort.new":       {KK: "Жаңалары", RU: "Новые", EN: "Newest"},
		"library.sort.popular":   {KK: "Көп қаралғандар", RU: "Популярные", EN: "Most viewed"},
		"library.sort.downloads": {KK: "Көп жүктелгендер", RU: "Чаще скачивают", EN: "Most downloaded"},
		"library.field.title":    {KK: "Атауы", RU: "Название", EN: "Title"},
		"library.field.title.hint": {
			KK: "Материал неге арналғанын айтыңыз: тақырып, сынып, сабақ түрі.",
			RU: "Скажите, о чём материал: тема, класс, вид урока.",
			EN: "Say what the material is: topic, grade, kind of lesson.",
		},
		"library.field.description": {KK: "Сипаттама", RU: "Описание", EN: "Description"},
		"library.field.description.hint": {
			KK: "Markdown пішімі: **қалың**, *көлбеу*, тізімдер, сілтемелер. Басқа адамдардың дербес деректерін жазбаңыз.",
			RU: "Формат Markdown: **жирный**, *курсив*, списки, ссылки. Не указывайте персональные данные других людей.",
			EN: "Markdown: **bold**, *italic*, lists, links. Do not include other people's personal data.",
		},
		"library.field.subject":   {KK: "Пән", RU: "Предмет", EN: "Subject"},
		"library.field.grade":     {KK: "Сынып", RU: "Класс", EN: "Grade"},
		"library.field.type":      {KK: "Материал түрі", RU: "Тип материала", EN: "Material type"},
		"library.field.language":  {KK: "Оқыту тілі", RU: "Язык обучения", EN: "Teaching language"},
		"library.field.choose":    {KK: "— таңдаңыз —", RU: "— выберите —", EN: "— choose —"},
		"library.field.tags":      {KK: "Тегтер", RU: "Теги", EN: "Tags"},
		"library.field.tags.hint": {KK: "Үтір арқылы, 10-ға дейін.", RU: "Через запятую, до 10.", EN: "Separated by commas, up to 10."},
		"library.field.files":     {KK: "Файлдар", RU: "Файлы", EN: "Files"},
		"library.field.files.hint": {
			KK: "PDF, Word, PowerPoint, Excel, OpenDocument, RTF, TXT, JPG, PNG немесе ZIP; бір файл %d МБ-қа дейін, %d файлға дейін.",
			RU: "PDF, Word, PowerPoint, Excel, OpenDocument, RTF, TXT, JPG, PNG или ZIP; файл до %d МБ, не больше %d файлов.",
			EN: "PDF, Word, PowerPoint, Excel, OpenDocument, RTF, TXT, JPG, PNG or ZIP; up to %d MB a file, up to %d files.",
		},
		"library.field.files.keep": {
			KK: "Жаңа файл таңдамасаңыз, қазіргі файлдар қалады; таңдасаңыз, олар жаңаларымен ауыстырылады.",
			RU: "Если не выбрать новые файлы, останутся текущие; если выбрать — они заменят текущие.",
			EN: "Choose no files to keep the current ones; new files replace them.",
		},
		"library.field.declaration": {
			KK: "Мен осы материалдың авторымын және оны сайттың жалпыға ашық бөлімінде жариялауға келісемін.",
			RU: "Я автор этого материала и согласен(на) опубликовать его в общедоступном разделе сайта.",
			EN: "I am the author of this material and agree to publish it in the public sections of the site.",
		},
		"library.field.author":        {KK: "Автор", RU: "Автор", EN: "Author"},
		"library.field.published":     {KK: "Жарияланды", RU: "Опубликован", EN: "Published"},
		"library.field.created":       {KK: "Жүктелді", RU: "Загружен", EN: "Uploaded"},
		"library.field.counts":        {KK: "Статистика", RU: "Статистика", EN: "Statistics"},
		"library.field.status":        {KK: "Күйі", RU: "Статус", EN: "Status"},
		"library.field.reason":        {KK: "Себебі", RU: "Причина", EN: "Reason"},
		"library.field.note":          {KK: "Авторға түсініктеме", RU: "Комментарий для автора", EN: "Note to the author"},
		"library.field.material":      {KK: "Материал", RU: "Материал", EN: "Material"},
		"library.field.reporter":      {KK: "Шағым иесі", RU: "Заявитель", EN: "Reported by"},
		"library.field.received":      {KK: "Түскен уақыты", RU: "Поступила", EN: "Received"},
		"library.field.deadline":      {KK: "Мерзімі", RU: "Срок", EN: "Deadline"},
		"library.field.decision":      {KK: "Шешім", RU: "Решение", EN: "Decision"},
		"library.field.report_reason": {KK: "Не дұрыс емес?", RU: "Что не так?", EN: "What is wrong?"},
		"library.field.report_text":   {KK: "Түсіндірме (міндетті емес)", RU: "Пояснение (необязательно)", EN: "Explanation (optional)"},
		"library.field.report_text.hint": {
			KK: "Мұны тек сайт әкімшілігі оқиды; мәтін шифрланып сақталады.",
			RU: "Это прочитает только администрация сайта; текст хранится в зашифрованном виде.",
			EN: "Only the site administration reads this; the text is stored encrypted.",
		},
		"library.field.code":      {KK: "Код", RU: "Код", EN: "Code"},
		"library.field.code.hint": {KK: "Латын кіші әріптері, цифрлар, сызықша; кейін өзгермейді.", RU: "Строчные латинские буквы, цифры, дефис; потом не меняется.", EN: "Lowercase Latin letters, digits, hyphens; it never changes."},
		"library.field.kind":      {KK: "Түрі", RU: "Вид", EN: "Kind"},
		"library.field.name_kk":   {KK: "Қазақша атауы", RU: "Название на казахском", EN: "Name in Kazakh"},
		"library.field.name_ru":   {KK: "Орысша атауы", RU: "Название на русском", EN: "Name in Russian"},
		"library.field.name_en":   {KK: "Ағылшынша атауы", RU: "Название на английском", EN: "Name in English"},
		"library.field.abbr":      {KK: "Қысқартпа", RU: "Сокращение", EN: "Abbreviation"},
		"library.field.sort":      {KK: "Реті", RU: "Порядок", EN: "Order"},
		"library.field.active":    {KK: "Қолданыста", RU: "Активен", EN: "Active"},

		"library.lang.kk": {KK: "Қазақ тілі", RU: "Казахский", EN: "Kazakh"},
		"library.lang.ru": {KK: "Орыс тілі", RU: "Русский", EN: "Russian"},
		"library.lang.en": {KK: "Ағылшын тілі", RU: "Английский", EN: "English"},

		"library.status.pending":    {KK: "Модерацияда", RU: "На модерации", EN: "Waiting for moderation"},
		"library.status.published":  {KK: "Жарияланған", RU: "Опубликован", EN: "Published"},
		"library.status.rejected":   {KK: "Қабылданбады", RU: "Отклонён", EN: "Rejected"},
		"library.status.withdrawn":  {KK: "Автор алып тастады", RU: "Снят автором", EN: "Withdrawn"},
		"library.status.taken_down": {KK: "Модератор алып тастады", RU: "Снят модератором", EN: "Taken down"},

		"library.kind.subject": {KK: "Пәндер", RU: "Предметы", EN: "Subjects"},
		"library.kind.grade":   {KK: "Сыныптар", RU: "Классы", EN: "Grades"},
		"library.kind.type":    {KK: "Материал түрлері", RU: "Типы материалов", EN: "Material types"},

		"library.action.approve":      {KK: "Жарияланды", RU: "Одобрен", EN: "Approved"},
		"library.action.reject":       {KK: "Қабылданбады", RU: "Отклонён", EN: "Rejected"},
		"library.action.take_down":    {KK: "Алып тасталды", RU: "Снят", EN: "Taken down"},
		"library.decision.taken_down": {KK: "Материал алынды", RU: "Материал снят", EN: "Material taken down"},
		"library.decision.dismissed":  {KK: "Шағым қанағаттандырылмады", RU: "Жалоба отклонена", EN: "Report dismissed"},

		"library.page.report":      {KK: "Шағым жіберу", RU: "Пожаловаться", EN: "Report this material"},
		"library.page.report.send": {KK: "Шағымды жіберу", RU: "Отправить жалобу", EN: "Send the report"},
		"library.page.report.anon": {
			KK: "Себебін таңдап жіберуге болады. Түсіндірме жазу үшін кіріңіз: ол сіздің кілтіңізбен шифрланады.",
			RU: "Можно отправить, выбрав причину. Чтобы написать пояснение, войдите: оно будет зашифровано вашим ключом.",
			EN: "You can send it with a reason. To add an explanation, sign in: it is encrypted with your key.",
		},
		"library.page.reported": {KK: "Шағым қабылданды", RU: "Жалоба принята", EN: "Report received"},
		"library.page.reported.p": {
			KK: "Рақмет! Шағымыңыз тіркелді. Ол %s (Қазақстан уақыты) дейін қаралады.",
			RU: "Спасибо! Ваша жалоба зарегистрирована. Её рассмотрят до %s (время Казахстана).",
			EN: "Thank you. Your report is registered and will be decided by %s (Kazakhstan time).",
		},

		"library.report.limited": {
			KK: "Сіздің желі мекенжайыңыздан шағымдар тым көп жіберілді. Бірнеше минуттан соң қайталап көріңіз.",
			RU: "С вашего сетевого адреса отправлено слишком много жалоб. Попробуйте снова через несколько минут.",
			EN: "Too many reports have been sent from your network address. Please try again in a few minutes.",
		},

		"library.page.moderation":    {KK: "Модерация", RU: "Модерация", EN: "Moderation"},
		"library.admin.moderation.p": {KK: "Жариялауды күтіп тұрған материалдар.", RU: "Материалы, ожидающие публикации.", EN: "Materials waiting to be published."},
		"library.admin.reports.p":    {KK: "Шағымдар тізілімі мен олардың мерзімдері.", RU: "Реестр жалоб и их сроки.", EN: "The register of reports and their deadlines."},
		"library.admin.taxonomy.p":   {KK: "Пәндер, сыныптар және материал түрлері.", RU: "Предметы, классы и типы материалов.", EN: "Subjects, grades and material types."},
		"library.page.queue":         {KK: "Кезек", RU: "Очередь", EN: "Queue"},
		"library.page.queue.empty":   {KK: "Кезекте материал жоқ.", RU: "В очереди нет материалов.", EN: "The queue is empty."},
		"library.page.to_queue":      {KK: "Модерация кезегіне өту", RU: "Перейти к очереди модерации", EN: "Go to the moderation queue"},
		"library.page.approve":       {KK: "Жариялау", RU: "Опубликовать", EN: "Approve"},
		"library.page.reject":        {KK: "Қабылдамау", RU: "Отклонить", EN: "Reject"},
		"library.page.takedown":      {KK: "Бірден алып тастау", RU: "Снять немедленно", EN: "Take down now"},
		"library.page.dismiss":       {KK: "Шағымды қабылдамау", RU: "Отклонить жалобу", EN: "Dismiss"},
		"library.page.duplicate": {
			KK: "Назар аударыңыз: дәл осындай файл басқа автордың жарияланған материалында бар:",
			RU: "Внимание: точно такой же файл есть в опубликованном материале другого автора:",
			EN: "Note: an identical file is in another author's published material:",
		},
		"library.page.open_reports":       {KK: "Ашық шағымдар: %d", RU: "Открытых жалоб: %d", EN: "Open reports: %d"},
		"library.page.open_reports_title": {KK: "Ашық шағымдар", RU: "Открытые жалобы", EN: "Open reports"},
		"library.page.decided_reports":    {KK: "Шешім қабылданған шағымдар", RU: "Рассмотренные жалобы", EN: "Decided reports"},
		"library.page.no_reports":         {KK: "Шағым жоқ.", RU: "Жалоб нет.", EN: "No reports."},
		"library.page.reports":            {KK: "Шағымдар тізілімі", RU: "Реестр жалоб", EN: "Report register"},
		"library.page.reports.p": {
			KK: "Келісімнің 3.2-тармағы: шағымдар ҚР заңында көзделген тәртіппен қаралады. Жалпыға қолжетімді дереккөзде заңсыз жарияланған дербес деректер талап түскеннен кейін бір жұмыс күні ішінде алынады.",
			RU: "Пункт 3.2 соглашения: жалобы рассматриваются в порядке, предусмотренном законом РК. Незаконно опубликованные персональные данные удаляются из общедоступных источников в течение одного рабочего дня с момента требования.",
			EN: "Clause 3.2 of the agreement: complaints are handled as the law of the RK provides. Personal data unlawfully published in public sources is removed within one working day of the demand.",
		},
		"library.report.title":     {KK: "Шағым", RU: "Жалоба", EN: "Report"},
		"library.report.text":      {KK: "Шағым иесінің мәтіні", RU: "Текст заявителя", EN: "The reporter's text"},
		"library.report.text.show": {KK: "Мәтінді көрсету", RU: "Показать текст", EN: "Show the text"},
		"library.report.text.none": {KK: "Бұл шағымда мәтін жоқ.", RU: "В этой жалобе нет текста.", EN: "This report has no text."},
		"library.report.text.p": {
			KK: "Шағым иесінің сөздері — оның дербес деректері. Мәтін тек мақсатын көрсеткеннен кейін ашылады, әр қарау аудит журналына жазылады.",
			RU: "Слова заявителя — его персональные данные. Текст открывается только после указания цели, каждый просмотр записывается в журнал аудита.",
			EN: "The reporter's words are their personal data. The text opens only once you state the purpose, and every view is written to the audit log.",
		},
		"library.page.back_reports":  {KK: "Шағымдар тізіліміне оралу", RU: "Вернуться к реестру жалоб", EN: "Back to the report register"},
		"library.page.overdue":       {KK: "мерзімі өтті", RU: "просрочено", EN: "overdue"},
		"library.page.own_target":    {KK: "сайттың өз мерзімі", RU: "собственный срок сайта", EN: "the site's own target"},
		"library.page.text_admins":   {KK: "(мәтінді тек әкімші көреді)", RU: "(текст видит только администратор)", EN: "(text visible to administrators only)"},
		"library.page.visitor":       {KK: "кірмеген келуші", RU: "гость", EN: "visitor"},
		"library.page.done.approve":  {KK: "Материал жарияланды, авторға хат жіберілді.", RU: "Материал опубликован, автору отправлено письмо.", EN: "Published; the author was emailed."},
		"library.page.done.reject":   {KK: "Материал қабылданбады, авторға хат жіберілді.", RU: "Материал отклонён, автору отправлено письмо.", EN: "Rejected; the author was emailed."},
		"library.page.done.takedown": {KK: "Материал алынды, сертификаттары жарамсыз деп танылды.", RU: "Материал снят, его сертификаты отозваны.", EN: "Taken down; its certificates are revoked."},
		"library.page.done.dismiss":  {KK: "Шағым бойынша шешім жазылды.", RU: "Решение по жалобе записано.", EN: "The decision on the report is recorded."},
		"library.page.done.saved":    {KK: "Сақталды.", RU: "Сохранено.", EN: "Saved."},
		"library.page.taxonomy":      {KK: "Жіктемелер", RU: "Справочники", EN: "Taxonomy"},
		"library.page.taxonomy.p": {
			KK: "Атауларды үш тілде өзгертуге болады. Код өзгермейді; қажет емес жолды «Қолданыста» белгісін алып, жасырыңыз.",
			RU: "Названия можно менять на трёх языках. Код не меняется; ненужную строку скройте, сняв отметку «Активен».",
			EN: "Names can be edited in three languages. Codes never change; hide a term by unticking Active.",
		},
		"library.page.taxonomy.add": {KK: "Жаңа жол қосу", RU: "Добавить", EN: "Add a term"},
		"library.page.save":         {KK: "Сақтау", RU: "Сохранить", EN: "Save"},

		"library.upload.form": {
			KK: "Форма дұрыс жіберілмеді. Бетті жаңартып, қайталап көріңіз.",
			RU: "Форма отправлена некорректно. Обновите страницу и попробуйте снова.",
			EN: "The form was not sent correctly. Reload the page and try again.",
		},
		"library.upload.too_large": {
			KK: "Жүктеме тым үлкен: бір файл %d МБ-қа дейін, барлығы %d файлға дейін.",
			RU: "Слишком большая загрузка: файл до %d МБ, не больше %d файлов.",
			EN: "The upload is too large: up to %d MB a file and %d files.",
		},
	})
}
