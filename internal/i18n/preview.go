package i18n

// Messages of page images on the material page and of the administrator's
// status page (internal/preview, internal/web/handlers_preview.go).
// preview.pages.alt takes the file name and the page number;
// preview.status.tool.version the version; preview.status.timeout.value
// seconds; preview.status.uptime.value days, hours, minutes.
func init() {
	add(map[string]Message{
		"preview.pages.title": {KK: "Беттері", RU: "Страницы", EN: "Pages"},
		"preview.pages.alt":   {KK: "«%s» файлының %d-беті", RU: "Файл «%s», страница %d", EN: "“%s”, page %d"},
		"preview.pages.more":  {KK: "Толығын көру үшін файлды жүктеп алыңыз.", RU: "Чтобы увидеть всё, скачайте файл.", EN: "Download the file to see all of it."},
		"preview.pages.missing": {
			KK: "Бұл серверде беттердің суреттері жасалмайды (LibreOffice немесе poppler орнатылмаған), сондықтан мәтіні ғана көрсетіледі.",
			RU: "На этом сервере изображения страниц не создаются (не установлены LibreOffice или poppler), поэтому показан только текст.",
			EN: "This server makes no page images (LibreOffice or poppler is not installed), so only the text is shown.",
		},
		"preview.pages.status_link": {KK: "Сайттың күйі", RU: "Состояние сайта", EN: "Site status"},

		"preview.status.title": {KK: "Сайттың күйі", RU: "Состояние сайта", EN: "Site status"},
		"preview.status.p": {
			KK: "Сыртқы құралдар, беттер суреттерінің кезегі, дерекқор мен файлдар қоймасы.",
			RU: "Внешние программы, очередь изображений страниц, база данных и хранилище файлов.",
			EN: "External tools, the page image queue, the database and file storage.",
		},
		"preview.status.tools": {KK: "Беттердің суреттеріне арналған құралдар", RU: "Программы для изображений страниц", EN: "Tools for page images"},
		"preview.status.tools.p": {
			KK: "Бұл құралдар міндетті емес: оларсыз сайт толық жұмыс істейді, тек материал бетінде беттердің суреттері болмайды.",
			RU: "Эти программы необязательны: без них сайт работает полностью, только на странице материала не будет изображений страниц.",
			EN: "These tools are optional: without them the site works fully, only material pages have no page images.",
		},
		"preview.status.libreoffice":  {KK: "LibreOffice (soffice): кеңсе құжаттарын PDF пішіміне айналдырады", RU: "LibreOffice (soffice): переводит офисные документы в PDF", EN: "LibreOffice (soffice): turns office documents into PDF"},
		"preview.status.poppler":      {KK: "poppler (pdftoppm): PDF беттерін сурет етіп салады", RU: "poppler (pdftoppm): рисует страницы PDF как изображения", EN: "poppler (pdftoppm): draws PDF pages as images"},
		"preview.status.tool.version": {KK: "орнатылған, нұсқасы %s", RU: "установлен, версия %s", EN: "installed, version %s"},
		"preview.status.tool.found":   {KK: "орнатылған", RU: "установлен", EN: "installed"},
		"preview.status.tool.missing": {KK: "орнатылмаған", RU: "не установлен", EN: "not installed"},
		"preview.status.tool.off":     {KK: "баптауда өшірілген", RU: "отключено в настройках", EN: "turned off in the settings"},
		"preview.status.does.off": {
			KK: "Бет суреттері баптауда өшірілген (--page-images=false): материал беттерінде файлдың мәтіні ғана көрсетіледі. Қосу үшін серверді --page-images=true баптауымен іске қосыңыз.",
			RU: "Изображения страниц отключены в настройках (--page-images=false): на страницах материалов показан только текст файла. Чтобы включить их, запустите сервер с --page-images=true.",
			EN: "Page images are turned off in the settings (--page-images=false): material pages show the file's text only. To turn them on, start the server with --page-images=true.",
		},
		"preview.status.tool.checking": {
			KK: "орнатылған (нұсқасы тексерілуде)", RU: "установлен (версия проверяется)", EN: "installed (checking the version)",
		},
		"preview.status.does": {KK: "Қазір сайт не істейді", RU: "Что сайт делает сейчас", EN: "What the site does now"},
		"preview.status.does.all": {
			KK: "PDF файлдарының, кеңсе құжаттарының (doc, docx, ppt, pptx, xls, xlsx, odt, odp, rtf) алғашқы үш беті сурет етіп салынады; jpg мен png суреттері өз күйінде көрсетіледі. Мәтіні де көрсетіледі.",
			RU: "Первые три страницы PDF и офисных документов (doc, docx, ppt, pptx, xls, xlsx, odt, odp, rtf) рисуются как изображения; картинки jpg и png показываются как есть. Текст тоже показывается.",
			EN: "The first three pages of PDFs and office documents (doc, docx, ppt, pptx, xls, xlsx, odt, odp, rtf) are drawn as images; jpg and png pictures are shown as they are. The text is shown too.",
		},
		"preview.status.does.no_office": {
			KK: "LibreOffice жоқ: PDF файлдарының беттері сурет етіп салынады, jpg мен png суреттері көрсетіледі; кеңсе құжаттарының орнына алғашқы беттерінің мәтіні ғана көрсетіледі. LibreOffice орнатылса, соңғы жарияланған құжаттардың суреттері келесі іске қосылғанда жасалады.",
			RU: "Нет LibreOffice: страницы PDF рисуются, картинки jpg и png показываются; для офисных документов показывается только текст первых страниц. Если установить LibreOffice, изображения недавно опубликованных документов появятся после следующего запуска.",
			EN: "No LibreOffice: PDF pages are drawn and jpg and png pictures shown; office documents show only the text of their first pages. Once LibreOffice is installed, the next start makes images of recently published documents.",
		},
		"preview.status.does.none": {
			KK: "poppler жоқ: беттердің суреттері мүлде жасалмайды, тек jpg мен png суреттері көрсетіледі; материал бетінде файлдардың алғашқы беттерінің мәтіні көрсетіледі. Құралдар орнатылса, соңғы жарияланған файлдардың суреттері келесі іске қосылғанда жасалады.",
			RU: "Нет poppler: изображения страниц не создаются совсем, показываются только картинки jpg и png; на странице материала показывается текст первых страниц файлов. Если установить программы, изображения недавно опубликованных файлов появятся после следующего запуска.",
			EN: "No poppler: no page images are made at all, only jpg and png pictures are shown; material pages show the text of the files' first pages. Once the tools are installed, the next start makes images of recently published files.",
		},
		"preview.status.isolation": {KK: "Түрлендіру желіден оқшауланған", RU: "Конвертация изолирована от сети", EN: "Conversions cut off from the network"},
		"preview.status.isolation.yes": {
			KK: "иә: әр түрлендіру жеке желі кеңістігінде жүреді",
			RU: "да: каждая конвертация идёт в отдельном сетевом пространстве имён",
			EN: "yes: each conversion runs in a network namespace of its own",
		},
		"preview.status.isolation.no": {
			KK: "жоқ (ядро рұқсат бермейді); LibreOffice профилі құжаттағы сыртқы сілтемелерді бәрібір бұғаттайды",
			RU: "нет (ядро не позволяет); профиль LibreOffice всё равно блокирует внешние ссылки в документах",
			EN: "no (the kernel does not allow it); LibreOffice's profile still blocks external links in documents",
		},
		"preview.status.queue":         {KK: "Беттер суреттерінің кезегі", RU: "Очередь изображений страниц", EN: "Page image queue"},
		"preview.status.queued":        {KK: "Кезекте күтуде", RU: "Ждут в очереди", EN: "Waiting"},
		"preview.status.converting":    {KK: "Қазір түрлендірілуде", RU: "Конвертируются сейчас", EN: "Being converted now"},
		"preview.status.done":          {KK: "Суреттері бар файлдар", RU: "Файлов с изображениями", EN: "Files with page images"},
		"preview.status.failed":        {KK: "Түрлендірілмеген файлдар", RU: "Не удалось преобразовать", EN: "Files that could not be converted"},
		"preview.status.workers":       {KK: "Бір мезгілдегі түрлендірулер", RU: "Конвертаций одновременно", EN: "Conversions at once"},
		"preview.status.timeout":       {KK: "Бір түрлендірудің уақыт шегі", RU: "Предел времени одной конвертации", EN: "Time limit of a conversion"},
		"preview.status.timeout.value": {KK: "%d секунд", RU: "%d секунд", EN: "%d seconds"},
		"preview.status.site":          {KK: "Сайт", RU: "Сайт", EN: "Site"},
		"preview.status.db":            {KK: "Дерекқор", RU: "База данных", EN: "Database"},
		"preview.status.storage":       {KK: "Файлдар қоймасы", RU: "Хранилище файлов", EN: "File storage"},
		"preview.status.storage.local": {KK: "жергілікті қалта", RU: "локальная папка", EN: "local folder"},
		"preview.status.storage.s3":    {KK: "S3 үйлесімді қойма", RU: "S3-совместимое хранилище", EN: "S3-compatible store"},
		"preview.status.go":            {KK: "Go нұсқасы", RU: "Версия Go", EN: "Go version"},
		"preview.status.uptime":        {KK: "Үздіксіз жұмыс уақыты", RU: "Время работы", EN: "Uptime"},
		"preview.status.uptime.value":  {KK: "%d күн %d сағ %d мин", RU: "%d дн %d ч %d мин", EN: "%d d %d h %d min"},
		"preview.status.started":       {KK: "Іске қосылған уақыты", RU: "Запущен", EN: "Started"},
		"preview.status.publish":       {KK: "Модерациясыз жариялау", RU: "Публикация без модерации", EN: "Publishing without moderation"},
		"preview.status.yes":           {KK: "иә", RU: "да", EN: "yes"},
		"preview.status.no":            {KK: "жоқ", RU: "нет", EN: "no"},

		// The administrator's retry of failed page images;
		// preview.status.retried takes the number of files.
		"preview.status.catchup": {KK: "Суреті жоқ файлдар ізделуде", RU: "Идёт поиск файлов без изображений", EN: "Looking for files without page images"},
		"preview.status.retry":   {KK: "Сәтсіз бет суреттерін қайта жасау", RU: "Повторить неудавшиеся изображения страниц", EN: "Retry failed page images"},
		"preview.status.retry.p": {
			KK: "Түрлендірілмеген файлдар (құрал қатемен аяқталды не уақыт шегінен асты, немесе беттері бос шықты) өздігінен қайта түрлендірілмейді. Құралды орнатқаннан не жаңартқаннан кейін осы батырманы басыңыз: олардың суреттері фонда қайта жасалады.",
			RU: "Файлы, которые не удалось преобразовать (программа завершилась с ошибкой или не уложилась во время, либо страницы вышли пустыми), сами повторно не преобразуются. После установки или обновления программы нажмите эту кнопку: их изображения будут созданы заново в фоне.",
			EN: "Files that could not be converted (a tool failed or ran out of time, or the pages came out blank) are not tried again by themselves. After installing or updating a tool, press this button: their page images are made again in the background.",
		},
		"preview.status.retried": {
			KK: "Қайта түрлендіруге жіберілген файлдар: %d. Суреттер фонда жасалады.",
			RU: "Файлов отправлено на повторное преобразование: %d. Изображения создаются в фоне.",
			EN: "Files sent to be converted again: %d. The page images are made in the background.",
		},
	})
}
