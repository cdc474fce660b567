package i18n

// Messages of issue 13 §4–§5: sign-up without friction, upload progress,
// the description editor, feeds and the other details people notice.
func init() {
	add(map[string]Message{
		"details.register.resend_q":    {KK: "Хат келмеді ме? Бірнеше минут күтіп, «Спам» қалтасын қараңыз немесе қайта жіберіңіз.", RU: "Письмо не пришло? Подождите несколько минут, проверьте папку «Спам» или отправьте ещё раз.", EN: "No message? Wait a few minutes, look in your spam folder, or send it again."},
		"details.register.continue":    {KK: "Материалдарды қарау", RU: "Смотреть материалы", EN: "Browse materials"},
		"web.account.done.verified":    {KK: "Рақмет, электрондық пошта расталды. Енді материал жариялай аласыз.", RU: "Спасибо, адрес почты подтверждён. Теперь можно публиковать материалы.", EN: "Thank you, your email address is confirmed. You can now publish materials."},
		"details.unverified.title":     {KK: "Алдымен поштаңызды растаңыз", RU: "Сначала подтвердите почту", EN: "Confirm your email first"},
		"details.unverified.why":       {KK: "Материалды электрондық поштасы расталған мұғалім ғана жариялай алады: осылай әр материалдың авторымен байланысуға болады. Растау хатын мына мекенжайға жібердік:", RU: "Публиковать материалы может только учитель с подтверждённой почтой: так с автором каждого материала можно связаться. Письмо для подтверждения мы отправили на адрес:", EN: "Only a teacher with a confirmed email address can publish: that way the author of every material can be reached. We sent the confirmation message to:"},
		"details.unverified.then":      {KK: "Хаттағы сілтемені ашып, «Растау» батырмасын басыңыз да, осы бетке қайта оралыңыз.", RU: "Откройте ссылку из письма, нажмите «Подтвердить» и вернитесь на эту страницу.", EN: "Open the link in the message, press the confirm button, and come back to this page."},
		"details.unverified.wrong":     {KK: "Мекенжай қате болса, оны өзгертіңіз:", RU: "Если адрес указан неверно, измените его:", EN: "If the address is wrong, change it:"},
		"details.unverified.change":    {KK: "Мекенжайды өзгерту", RU: "Изменить адрес", EN: "Change the address"},
		"details.upload.sending":       {KK: "Жіберілуде", RU: "Отправка", EN: "Sending"},
		"details.upload.network":       {KK: "Байланыс үзілді, файлдар жіберілмеді. Қайталап көріңіз.", RU: "Связь прервалась, файлы не отправлены. Попробуйте ещё раз.", EN: "The connection broke and the files were not sent. Try again."},
		"details.consent.first.title":  {KK: "Сайт құжаттары", RU: "Документы сайта", EN: "The site's documents"},
		"details.consent.first.intro":  {KK: "Жалғастыру алдында сайттың пайдаланушы келісімі мен құпиялылық саясатын оқып, қабылдаңыз.", RU: "Прежде чем продолжить, прочитайте и примите пользовательское соглашение и политику конфиденциальности сайта.", EN: "Before you go on, read and accept the site's user agreement and privacy policy."},
		"details.consent.first.accept": {KK: "Құжаттарды оқыдым және қабылдаймын", RU: "Я прочитал(а) документы и принимаю их", EN: "I have read the documents and accept them"},
		"details.consent.changes":      {KK: "%d-нұсқадан %d-нұсқаға дейін не өзгерді", RU: "Что изменилось с версии %d до версии %d", EN: "What changed from version %d to version %d"},
		"details.consent.full":         {KK: "Толық мәтінді оқу", RU: "Читать полный текст", EN: "Read the full text"},
		"details.meta.site":            {KK: "smartustaz — мұғалімдердің сабақ жоспарлары, презентациялары мен тесттері: тегін табыңыз, жүктеп алыңыз және өз материалыңызды жариялаңыз.", RU: "smartustaz — поурочные планы, презентации и тесты учителей Казахстана: находите, скачивайте бесплатно и публикуйте свои материалы.", EN: "smartustaz — lesson plans, presentations and tests by Kazakhstan's teachers: find and download them free, and publish your own."},
		"details.feed.title":           {KK: "smartustaz: жаңа материалдар", RU: "smartustaz: новые материалы", EN: "smartustaz: new materials"},
		"details.feed.subject":         {KK: "smartustaz: жаңа материалдар — %s", RU: "smartustaz: новые материалы — %s", EN: "smartustaz: new materials — %s"},
		"details.editor.toolbar":       {KK: "Сипаттаманы пішімдеу", RU: "Оформление описания", EN: "Format the description"},
		"details.editor.bold":          {KK: "Қалың", RU: "Жирный", EN: "Bold"},
		"details.editor.italic":        {KK: "Көлбеу", RU: "Курсив", EN: "Italic"},
		"details.editor.strike":        {KK: "Сызылған", RU: "Зачёркнутый", EN: "Strikethrough"},
		"details.editor.heading":       {KK: "Тақырыпша", RU: "Подзаголовок", EN: "Heading"},
		"details.editor.ul":            {KK: "Таңбалы тізім", RU: "Маркированный список", EN: "Bulleted list"},
		"details.editor.ol":            {KK: "Нөмірленген тізім", RU: "Нумерованный список", EN: "Numbered list"},
		"details.editor.quote":         {KK: "Дәйексөз", RU: "Цитата", EN: "Quote"},
		"details.editor.link":          {KK: "Сілтеме", RU: "Ссылка", EN: "Link"},
		"details.editor.link_text":     {KK: "сілтеме мәтіні", RU: "текст ссылки", EN: "link text"},
		"details.editor.preview":       {KK: "Алдын ала қарау", RU: "Предпросмотр", EN: "Preview"},
		"details.editor.edit":          {KK: "Өңдеу", RU: "Редактировать", EN: "Edit"},
	})
}

// Counted messages (format.go): the plural forms of each language by the
// CLDR rules. Kazakh nouns stay singular after a numeral, so one form.
func init() {
	addPlural(map[string]Plural{
		"library.views": {
			KK: {"other", "%d қаралым"},
			RU: {"one", "%d просмотр", "few", "%d просмотра", "many", "%d просмотров", "other", "%d просмотра"},
			EN: {"one", "%d view", "other", "%d views"},
		},
		"library.downloads": {
			KK: {"other", "%d жүктеу"},
			RU: {"one", "%d скачивание", "few", "%d скачивания", "many", "%d скачиваний", "other", "%d скачивания"},
			EN: {"one", "%d download", "other", "%d downloads"},
		},
	})
}
