package i18n

// Messages of the administrator's outgoing mail page (/admin/mail,
// internal/mailq). A kind of message is named by its subject
// ("mail.<kind>.subject", "library.mail.<decision>.subject").
func init() {
	add(map[string]Message{
		"mailq.title": {KK: "Шығыс пошта", RU: "Исходящая почта", EN: "Outgoing mail"},
		"mailq.p": {
			KK: "Сайт жіберетін әр хат алдымен дерекқордағы кезекке шифрланып жазылады, содан кейін пошта серверіне беріледі. Сервер жауап бермесе, хат бір тәулік бойы қайта жіберіледі. Алушының мекенжайы мұнда көрсетілмейді.",
			RU: "Каждое письмо сайта сначала зашифрованным записывается в очередь в базе данных, затем передаётся почтовому серверу. Если сервер не отвечает, письмо отправляется повторно в течение суток. Адрес получателя здесь не показывается.",
			EN: "Every message the site sends is first written, encrypted, to a queue in the database, then handed to the mail server. If the server does not answer, the message is tried again for a day. The recipient's address is not shown here.",
		},
		"mailq.off": {
			KK: "Бұл серверде пошта кезегі жоқ.",
			RU: "На этом сервере нет почтовой очереди.",
			EN: "This server has no mail queue.",
		},
		"mailq.pending":        {KK: "Жіберілуде", RU: "Ожидают отправки", EN: "Pending"},
		"mailq.sent":           {KK: "Жіберілді", RU: "Отправлены", EN: "Sent"},
		"mailq.failed":         {KK: "Жіберілмеді", RU: "Не отправлены", EN: "Failed"},
		"mailq.status.pending": {KK: "жіберілуде", RU: "ожидает", EN: "pending"},
		"mailq.status.sent":    {KK: "жіберілді", RU: "отправлено", EN: "sent"},
		"mailq.status.failed":  {KK: "жіберілмеді", RU: "не отправлено", EN: "failed"},
		"mailq.recent":         {KK: "Соңғы хаттар", RU: "Последние письма", EN: "Recent messages"},
		"mailq.filter.all":     {KK: "Барлығы", RU: "Все", EN: "All"},
		"mailq.none":           {KK: "Хат жоқ.", RU: "Писем нет.", EN: "No messages."},
		"mailq.col.kind":       {KK: "Хат түрі", RU: "Вид письма", EN: "Kind"},
		"mailq.col.lang":       {KK: "Тілі", RU: "Язык", EN: "Language"},
		"mailq.col.status":     {KK: "Күйі", RU: "Состояние", EN: "Status"},
		"mailq.col.attempts":   {KK: "Әрекет саны", RU: "Попыток", EN: "Attempts"},
		"mailq.col.reason":     {KK: "Сервердің жауабы", RU: "Ответ сервера", EN: "Server's answer"},
		"mailq.col.time":       {KK: "Уақыты", RU: "Время", EN: "Time"},
		"mailq.kind.other":     {KK: "Басқа хат", RU: "Другое письмо", EN: "Other message"},
		"mailq.retry":          {KK: "Қайта жіберу", RU: "Отправить снова", EN: "Send again"},
		"mailq.retry_all":      {KK: "Жіберілмеген хаттардың барлығын қайта жіберу", RU: "Отправить снова все неотправленные", EN: "Send every failed message again"},
		"mailq.retry.p": {
			KK: "Себебін жойғаннан кейін (пошта сервері қайта қосылды, баптаулар түзетілді) басыңыз: хат тағы бір тәулік бойы жіберіліп көреді.",
			RU: "Нажмите, когда причина устранена (почтовый сервер снова доступен, настройки исправлены): письмо снова будет отправляться в течение суток.",
			EN: "Press once the cause is mended (the mail server is back, the settings are fixed): the message is tried again for another day.",
		},
		"mailq.retried": {
			KK: "Қайта жіберуге қойылған хаттар: %d.",
			RU: "Писем снова поставлено в очередь: %d.",
			EN: "Messages queued again: %d.",
		},
		"mailq.bulk.title": {KK: "Жаппай жіберілімдер", RU: "Массовые рассылки", EN: "Bulk sends"},
		"mailq.bulk.p": {
			KK: "Келісімнің жаңа нұсқасы туралы хабарлама мен көшірілген пайдаланушыларға шақырулар баптаулардағы жылдамдықпен жіберіледі; сервер қайта іске қосылса, жіберілім тоқтаған жерінен жалғасады.",
			RU: "Уведомление о новой редакции соглашения и приглашения перенесённым пользователям рассылаются с заданной в настройках скоростью; после перезапуска сервера рассылка продолжается с того места, где остановилась.",
			EN: "The notice of a new version of the agreement and the invitations of imported users go out at the configured rate; after a restart a send continues where it stopped.",
		},
		"mailq.bulk.none":     {KK: "Жаппай жіберілім болған жоқ.", RU: "Массовых рассылок не было.", EN: "No bulk sends yet."},
		"mailq.bulk.name":     {KK: "Жіберілім", RU: "Рассылка", EN: "Send"},
		"mailq.bulk.started":  {KK: "Басталды", RU: "Начата", EN: "Started"},
		"mailq.bulk.progress": {KK: "Барысы", RU: "Ход", EN: "Progress"},
		"mailq.bulk.counts": {
			KK: "кезекке қойылған %d хаттың %d жіберілді, %d күтуде, %d жіберілмеді",
			RU: "из %d писем в очереди отправлено %d, ожидают %d, не отправлено %d",
			EN: "of %d queued, %d sent, %d pending, %d failed",
		},
		"mailq.bulk.queuing":  {KK: "хаттар әлі кезекке қойылуда", RU: "письма ещё ставятся в очередь", EN: "still queuing messages"},
		"mailq.bulk.complete": {KK: "барлық хат кезекте", RU: "все письма в очереди", EN: "every message queued"},
		"mailq.bulk.kind.agreement": {
			KK: "Келісімнің жаңа нұсқасы туралы хабарлама",
			RU: "Уведомление о новой редакции соглашения",
			EN: "Notice of a new version of the agreement",
		},
		"mailq.admin.p": {
			KK: "Кезектегі, жіберілген және жіберілмеген хаттар, жаппай жіберілімдердің барысы.",
			RU: "Письма в очереди, отправленные и неотправленные, ход массовых рассылок.",
			EN: "Messages pending, sent and failed, and the progress of bulk sends.",
		},
		// The mail queue's jobs on the status page.
		"jobs.kind.mail.send":  {KK: "Хатты пошта серверіне беру", RU: "Передача письма почтовому серверу", EN: "Handing a message to the mail server"},
		"jobs.kind.mail.bulk":  {KK: "Жаппай жіберілім хатын беру", RU: "Передача письма массовой рассылки", EN: "Handing a bulk message to the mail server"},
		"jobs.kind.mail.prune": {KK: "Ескі хат жазбаларын жою", RU: "Удаление старых записей о письмах", EN: "Deleting old message records"},
	})
}
