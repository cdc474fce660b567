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
