package i18n

// Messages of the import of users from another site (issue 11,
// internal/importer, /admin/import, the invitation letter). import.summary
// takes the four counts; import.progress the rows read; import.invite.progress
// the letters sent and their total.
func init() {
	add(map[string]Message{
		// Why a row was not imported (the report names the row by its line
		// or the old site's key, never by a value).
		"import.reason.no_email":      {KK: "электрондық пошта мекенжайы жоқ", RU: "нет адреса электронной почты", EN: "no email address"},
		"import.reason.email_invalid": {KK: "электрондық пошта мекенжайы қате жазылған", RU: "адрес электронной почты записан неверно", EN: "malformed email address"},
		"import.reason.hash_unknown":  {KK: "құпиясөз хэшінің пішімі белгісіз", RU: "неизвестный формат хэша пароля", EN: "unknown password hash format"},
		"import.reason.charset":       {KK: "жарамсыз таңбалар (UTF-8 емес немесе басқару таңбалары)", RU: "недопустимые символы (не UTF-8 или управляющие символы)", EN: "invalid characters (not UTF-8, or control characters)"},
		"import.reason.too_long":      {KK: "жол тым ұзын", RU: "строка слишком длинная", EN: "row too long"},
		"import.reason.malformed":     {KK: "жолды оқу мүмкін емес (CSV немесе JSON қатесі)", RU: "строку невозможно прочитать (ошибка CSV или JSON)", EN: "row cannot be read (broken CSV or JSON)"},
		"import.reason.field_invalid": {KK: "өріс мәні жарамсыз", RU: "недопустимое значение поля", EN: "invalid value"},
		"import.reason.date_invalid":  {KK: "тіркелген күні оқылмайды", RU: "дата регистрации не читается", EN: "unreadable registration date"},
		"import.reason.database":      {KK: "дерекқор жолды қабылдамады", RU: "база данных не приняла строку", EN: "the database refused the row"},

		"import.title": {KK: "Пайдаланушыларды көшіру", RU: "Перенос пользователей", EN: "Import users"},
		"import.p": {
			KK: "Басқа порталдың пайдаланушыларын CSV немесе JSON Lines файлынан көшіріңіз. Бағандар: email (міндетті), full_name, phone, organization, position, region, password_hash, registered_at. Әр жеке дерек тіркелудегідей шифрланады; көшірілген адам келісімді алғаш кіргенде қабылдайды.",
			RU: "Перенесите пользователей другого портала из файла CSV или JSON Lines. Столбцы: email (обязателен), full_name, phone, organization, position, region, password_hash, registered_at. Все персональные данные шифруются так же, как при регистрации; перенесённый человек принимает соглашение при первом входе.",
			EN: "Bring another portal's users over from a CSV or JSON Lines file. Columns: email (required), full_name, phone, organization, position, region, password_hash, registered_at. Every personal value is encrypted exactly as at registration; an imported person accepts the agreement at their first sign-in.",
		},
		"import.file":            {KK: "Файл (CSV немесе JSON Lines)", RU: "Файл (CSV или JSON Lines)", EN: "File (CSV or JSON Lines)"},
		"import.encoding":        {KK: "Кодтау", RU: "Кодировка", EN: "Encoding"},
		"import.encoding.auto":   {KK: "Автоматты анықтау", RU: "Определить автоматически", EN: "Detect"},
		"import.on_conflict":     {KK: "Мекенжай бұрыннан тіркелген болса", RU: "Если адрес уже зарегистрирован", EN: "If the address is registered already"},
		"import.conflict.skip":   {KK: "Өткізіп жіберу", RU: "Пропустить", EN: "Skip"},
		"import.conflict.update": {KK: "Профильді жаңарту", RU: "Обновить профиль", EN: "Update the profile"},
		"import.source":          {KK: "Дереккөз атауы (мысалы, ескі портал)", RU: "Название источника (например, старый портал)", EN: "Source name (e.g. the old portal)"},
		"import.upload":          {KK: "Жүктеу және алдын ала қарау", RU: "Загрузить и просмотреть", EN: "Upload and preview"},
		"import.preview.title":   {KK: "Алдын ала қарау", RU: "Предварительный просмотр", EN: "Preview"},
		"import.preview.note": {
			KK: "Алғашқы жолдар сайт бағандарына сәйкестендірілген. Бұл мәндерді тек сіз көресіз; олар журналға жазылмайды.",
			RU: "Первые строки, сопоставленные со столбцами сайта. Эти значения видите только вы; в журнал они не пишутся.",
			EN: "The first rows, mapped to the site's fields. Only you see these values; they are not logged.",
		},
		"import.preview.bad":      {KK: "Қате жол", RU: "Ошибочная строка", EN: "Bad row"},
		"import.preview.where":    {KK: "Жол", RU: "Строка", EN: "Row"},
		"import.hash.yes":         {KK: "бар", RU: "есть", EN: "yes"},
		"import.card":             {KK: "Басқа порталдың пайдаланушыларын файлдан көшіру, есептер, шақырулар.", RU: "Перенос пользователей другого портала из файла, отчёты, приглашения.", EN: "Bring another portal's users over from a file; reports; invitations."},
		"import.back":             {KK: "Артқа", RU: "Назад", EN: "Back"},
		"import.run":              {KK: "Көшіруді бастау", RU: "Начать перенос", EN: "Run the import"},
		"import.history":          {KK: "Бұрынғы көшірулер", RU: "Прошлые переносы", EN: "Past imports"},
		"import.history.none":     {KK: "Әлі көшіру болған жоқ.", RU: "Переносов ещё не было.", EN: "No imports yet."},
		"import.col.started":      {KK: "Басталды", RU: "Начат", EN: "Started"},
		"import.col.source":       {KK: "Дереккөз", RU: "Источник", EN: "Source"},
		"import.col.status":       {KK: "Күйі", RU: "Состояние", EN: "Status"},
		"import.col.result":       {KK: "Нәтижесі", RU: "Итог", EN: "Result"},
		"import.status.uploaded":  {KK: "жүктелді, іске қосылмаған", RU: "загружен, не запущен", EN: "uploaded, not started"},
		"import.status.pending":   {KK: "кезекте", RU: "в очереди", EN: "queued"},
		"import.status.running":   {KK: "орындалуда", RU: "выполняется", EN: "running"},
		"import.status.done":      {KK: "аяқталды", RU: "завершён", EN: "done"},
		"import.status.failed":    {KK: "қатемен тоқтады", RU: "остановлен с ошибкой", EN: "failed"},
		"import.status.cancelled": {KK: "үзілді", RU: "прерван", EN: "interrupted"},
		"import.summary": {
			KK: "жасалды %d, жаңартылды %d, өткізілді %d, қате %d",
			RU: "создано %d, обновлено %d, пропущено %d, с ошибкой %d",
			EN: "created %d, updated %d, skipped %d, failed %d",
		},
		"import.progress":      {KK: "Оқылған жол: %d", RU: "Прочитано строк: %d", EN: "Rows read: %d"},
		"import.refresh":       {KK: "Жаңарту", RU: "Обновить", EN: "Refresh"},
		"import.report":        {KK: "Қате жолдар", RU: "Ошибочные строки", EN: "Bad rows"},
		"import.report.none":   {KK: "Қате жол жоқ.", RU: "Ошибочных строк нет.", EN: "No bad rows."},
		"import.report.more":   {KK: "…және тағы %d жол (тізімде жоқ)", RU: "…и ещё %d строк (не перечислены)", EN: "…and %d more rows (not listed)"},
		"import.batch.title":   {KK: "Көшіру №%d", RU: "Перенос № %d", EN: "Import #%d"},
		"import.file.invalid":  {KK: "Файлды оқу мүмкін емес: email бағаны бар CSV немесе JSON Lines файлын таңдаңыз.", RU: "Файл не читается: выберите файл CSV или JSON Lines со столбцом email.", EN: "The file cannot be read: choose a CSV or JSON Lines file with an email column."},
		"import.file.required": {KK: "Файлды таңдаңыз.", RU: "Выберите файл.", EN: "Choose a file."},
		"import.file.too_big":  {KK: "Файл тым үлкен; үлкен файлдарды пәрмен жолымен көшіріңіз (smartustaz import users).", RU: "Файл слишком большой; большие файлы переносите из командной строки (smartustaz import users).", EN: "The file is too big; import big files from the command line (smartustaz import users)."},
		"import.invite":        {KK: "Көшірілгендерді шақыру", RU: "Пригласить перенесённых", EN: "Invite the imported users"},
		"import.invite.p": {
			KK: "Осы көшірудің әр пайдаланушысына хат жіберіледі: порталдың жаңа мекенжайы және құпиясөз орнату сілтемесі (14 күн жарамды).",
			RU: "Каждому пользователю этого переноса уйдёт письмо: новый адрес портала и ссылка для установки пароля (действует 14 дней).",
			EN: "Each user of this import gets a letter: the portal's new address and a link to set a password (valid for 14 days).",
		},
		"import.invite.button":   {KK: "Барлығына шақыру жіберу", RU: "Отправить приглашения всем", EN: "Send invitations to all"},
		"import.invite.progress": {KK: "Жіберілген хат: %d / %d", RU: "Отправлено писем: %d из %d", EN: "Invitations sent: %d of %d"},
		"import.invite.done":     {KK: "Шақырулар жіберілді.", RU: "Приглашения отправлены.", EN: "Invitations sent."},

		"jobs.kind.import.run":    {KK: "Пайдаланушыларды көшіру", RU: "Перенос пользователей", EN: "Importing users"},
		"jobs.kind.import.invite": {KK: "Көшірілген пайдаланушыларды шақыру", RU: "Приглашение перенесённых пользователей", EN: "Inviting imported users"},

		// The invitation letter (mail.ImportInvite).
		"mail.import_invite.subject": {KK: "Сіздің аккаунтыңыз жаңа порталға көшірілді", RU: "Ваша учётная запись перенесена на новый портал", EN: "Your account has moved to the new portal"},
		"mail.import_invite.body": {
			KK: "Сіз тіркелген портал осы сайтқа көшті, сіздің деректеріңіз де көшірілді. Ескі құпиясөзіңізбен кіре аласыз немесе төмендегі сілтеме арқылы жаңасын орнатыңыз. Алғаш кіргенде құпиялылық келісімін оқып, қабылдау сұралады.",
			RU: "Портал, на котором вы были зарегистрированы, переехал на этот сайт, и ваши данные перенесены. Войдите со старым паролем или задайте новый по ссылке ниже. При первом входе вас попросят прочитать и принять соглашение о конфиденциальности.",
			EN: "The portal you were registered on has moved to this site, and your details were brought over. Sign in with your old password, or set a new one with the link below. At your first sign-in you will be asked to read and accept the confidentiality agreement.",
		},
		"mail.import_invite.action": {KK: "Құпиясөз орнату", RU: "Задать пароль", EN: "Set a password"},
		"mail.import_invite.note": {
			KK: "Сілтеме 14 күн жарамды. Егер жаңа сайтты пайдаланғыңыз келмесе, кіріп, аккаунтты жоюға болады.",
			RU: "Ссылка действует 14 дней. Если вы не хотите пользоваться новым сайтом, войдите и удалите учётную запись.",
			EN: "The link works for 14 days. If you do not want to use the new site, sign in and delete the account.",
		},
	})
}
