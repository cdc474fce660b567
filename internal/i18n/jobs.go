package i18n

// Messages of the background jobs on the administrator's status page
// (internal/jobs, internal/web/handlers_jobs.go). jobs.status.retried
// takes the number of jobs.
func init() {
	add(map[string]Message{
		"jobs.status.title": {KK: "Фондық жұмыстар", RU: "Фоновые задачи", EN: "Background jobs"},
		"jobs.status.p": {
			KK: "Барлық түйіндерге ортақ кезек дерекқорда сақталады: әр жұмысты бір түйін орындайды, түйін тоқтап қалса, жұмысты басқасы алады.",
			RU: "Общая для всех узлов очередь хранится в базе данных: каждую задачу выполняет один узел, а если узел остановился, задачу берёт другой.",
			EN: "The queue is kept in the database and shared by every node: each job is run by one node, and if a node stops, another takes its job.",
		},
		"jobs.status.none":     {KK: "Күтіп тұрған жұмыс жоқ.", RU: "Задач в очереди нет.", EN: "No jobs waiting."},
		"jobs.status.kind":     {KK: "Түрі", RU: "Вид", EN: "Kind"},
		"jobs.status.waiting":  {KK: "Күтуде", RU: "Ждут", EN: "Waiting"},
		"jobs.status.retrying": {KK: "Қайталанады", RU: "Будут повторены", EN: "To be retried"},
		"jobs.status.running":  {KK: "Орындалуда", RU: "Выполняются", EN: "Running"},
		"jobs.status.failed":   {KK: "Сәтсіз аяқталған", RU: "Завершились неудачей", EN: "Failed"},
		"jobs.status.failures": {KK: "Соңғы сәтсіз жұмыстар", RU: "Последние неудачные задачи", EN: "Latest failed jobs"},
		"jobs.status.attempts": {KK: "Әрекет саны", RU: "Попыток", EN: "Attempts"},
		"jobs.status.error":    {KK: "Соңғы қате", RU: "Последняя ошибка", EN: "Last error"},
		"jobs.status.at":       {KK: "Уақыты", RU: "Когда", EN: "When"},
		"jobs.status.retry":    {KK: "Сәтсіз жұмыстарды қайта орындау", RU: "Повторить неудачные задачи", EN: "Retry failed jobs"},
		"jobs.status.retry.p": {
			KK: "Себебін жойғаннан кейін (пошта сервері қайта қосылды, құрал орнатылды) басыңыз: сәтсіз жұмыстар қайтадан кезекке қойылады.",
			RU: "Нажмите, когда причина устранена (почтовый сервер снова доступен, программа установлена): неудачные задачи снова встанут в очередь.",
			EN: "Press once the cause is mended (the mail server is back, a tool is installed): the failed jobs are queued again.",
		},
		// The kinds of jobs, by their names in the queue.
		"jobs.kind.preview.draw":     {KK: "Файл беттерінің суреттері", RU: "Изображения страниц файла", EN: "Page images of a file"},
		"jobs.kind.preview.catchup":  {KK: "Суреті жоқ файлдарды іздеу", RU: "Поиск файлов без изображений", EN: "Looking for files without page images"},
		"jobs.kind.preview.prune":    {KK: "Ескі бет суреттерін жою", RU: "Удаление старых изображений страниц", EN: "Deleting page images no longer shown"},
		"jobs.kind.consent.announce": {KK: "Келісімнің жаңа нұсқасы туралы хат", RU: "Письма о новой редакции соглашения", EN: "Mail about a new version of the agreement"},
		"jobs.kind.janitor.purge":    {KK: "Ескірген сілтемелер мен сеанстарды жою", RU: "Удаление истёкших ссылок и сеансов", EN: "Deleting expired links and sessions"},
		"jobs.kind.janitor.files":    {KK: "Ешкім сілтемейтін файлдарды жинау", RU: "Сбор файлов, на которые нет ссылок", EN: "Collecting files nothing refers to"},
		"jobs.status.retried": {
			KK: "Қайта орындауға жіберілген жұмыстар: %d.",
			RU: "Задач отправлено на повторное выполнение: %d.",
			EN: "Jobs sent to run again: %d.",
		},
	})
}
