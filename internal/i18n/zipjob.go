package i18n

// Messages of the data ZIP built in the background for a large account
// (issue 12 §1).
func init() {
	add(map[string]Message{
		"zipjob.intro": {KK: "Деректеріңіз көп, сондықтан ZIP файлы фонда дайындалады. Дайын болғанда сілтеме осы бетте пайда болады және сізге хат келеді. Файл %d күн сақталады.",
			RU: "Данных у вас много, поэтому ZIP-файл готовится в фоне. Когда он будет готов, ссылка появится на этой странице, и вам придёт письмо. Файл хранится %d дней.",
			EN: "You have a lot of data, so the ZIP is prepared in the background. When it is ready, a link appears on this page and you get an email. The file is kept for %d days."},
		"zipjob.start":    {KK: "ZIP дайындау", RU: "Подготовить ZIP", EN: "Prepare the ZIP"},
		"zipjob.running":  {KK: "ZIP дайындалуда:", RU: "ZIP готовится:", EN: "Preparing the ZIP:"},
		"zipjob.download": {KK: "ZIP жүктеп алу", RU: "Скачать ZIP", EN: "Download the ZIP"},
		"zipjob.until":    {KK: "(%s дейін қолжетімді)", RU: "(доступен до %s)", EN: "(available until %s)"},
		"zipjob.failed": {KK: "ZIP дайындау сәтсіз аяқталды. Қайта көріңіз.",
			RU: "Не удалось подготовить ZIP. Попробуйте ещё раз.",
			EN: "The ZIP could not be prepared. Please try again."},
		"zipjob.notfound": {KK: "Мұндай файл жоқ немесе оның мерзімі өтіп кеткен.",
			RU: "Такого файла нет, или его срок истёк.",
			EN: "There is no such file, or it has expired."},
		"zipjob.mail.subject": {KK: "Деректеріңіздің ZIP файлы дайын", RU: "ZIP-файл с вашими данными готов", EN: "The ZIP of your data is ready"},
		"zipjob.mail.text": {KK: "Сіз сұраған деректеріңіздің ZIP файлы дайын. Оны жүйеге кіріп, мына бетте жүктеп алыңыз:\n%s\n\nФайл %d күн сақталады, содан кейін жойылады.",
			RU: "ZIP-файл с вашими данными, который вы запросили, готов. Войдите на сайт и скачайте его на этой странице:\n%s\n\nФайл хранится %d дней, затем удаляется.",
			EN: "The ZIP of your data that you asked for is ready. Sign in and download it on this page:\n%s\n\nThe file is kept for %d days, then deleted."},
	})
}
