package i18n

// Messages of the correspondence between the administration and users
// (clause 1.2 (a)): /account/messages, the contact form, the
// administrators' answers, the emails and the warning about an address
// that bounced.
func init() {
	add(map[string]Message{
		"corr.subject.required": {
			KK: "Хаттың тақырыбын жазыңыз.",
			RU: "Укажите тему сообщения.",
			EN: "Please enter the subject of your message.",
		},
		"corr.subject.long": {
			KK: "Тақырып тым ұзын: ең көбі %d таңба, бір жолда.",
			RU: "Тема слишком длинная: не более %d символов, в одну строку.",
			EN: "The subject is too long: at most %d characters, on one line.",
		},
		"corr.body.required": {
			KK: "Хаттың мәтінін жазыңыз.",
			RU: "Напишите текст сообщения.",
			EN: "Please write the text of your message.",
		},
		"corr.body.long": {
			KK: "Мәтін тым ұзын: ең көбі %d таңба.",
			RU: "Текст слишком длинный: не более %d символов.",
			EN: "The text is too long: at most %d characters.",
		},
		"corr.thread.notfound": {
			KK: "Мұндай хат алмасу табылмады.",
			RU: "Такая переписка не найдена.",
			EN: "This conversation was not found.",
		},
		"corr.mail.subject": {
			KK: "Әкімшіліктің жауабы: %s",
			RU: "Ответ администрации: %s",
			EN: "The administration's answer: %s",
		},
		"corr.mail.footer": {
			KK: "Бұл хатқа жауап жаза аласыз — жауабыңыз хат алмасуға қосылады. Барлық хат алмасу сайтта:",
			RU: "Вы можете ответить на это письмо — ответ будет добавлен в переписку. Вся переписка на сайте:",
			EN: "You can reply to this email: your reply joins the conversation. The whole conversation is on the site:",
		},
		"corr.page.title": {KK: "Әкімшілікпен хат алмасу", RU: "Переписка с администрацией", EN: "Messages to the administration"},
		"corr.page.intro": {
			KK: "Мұнда сайт әкімшілігіне жаза аласыз. Хаттарыңыз шифрланып сақталады; жауап электрондық поштаңызға келеді және осы бетте көрінеді.",
			RU: "Здесь вы можете написать администрации сайта. Сообщения хранятся в зашифрованном виде; ответ придёт на вашу почту и появится на этой странице.",
			EN: "Here you can write to the site's administration. Your messages are stored encrypted; the answer comes to your email and appears on this page.",
		},
		"corr.account.p": {
			KK: "Әкімшілікке хат жазу және жауаптарды оқу.",
			RU: "Написать администрации и прочитать ответы.",
			EN: "Write to the administration and read the answers.",
		},
		"corr.sent":            {KK: "Хатыңыз жіберілді.", RU: "Ваше сообщение отправлено.", EN: "Your message has been sent."},
		"corr.threads":         {KK: "Хат алмасулар", RU: "Переписки", EN: "Conversations"},
		"corr.status.open":     {KK: "Жауап күтуде", RU: "Ожидает ответа", EN: "Awaiting an answer"},
		"corr.status.answered": {KK: "Жауап берілді", RU: "Есть ответ", EN: "Answered"},
		"corr.count":           {KK: "%d хат", RU: "сообщений: %d", EN: "%d messages"},
		"corr.none":            {KK: "Әзірге хат жоқ.", RU: "Сообщений пока нет.", EN: "No messages yet."},
		"corr.new":             {KK: "Жаңа хат", RU: "Новое сообщение", EN: "New message"},
		"corr.field.subject":   {KK: "Тақырып", RU: "Тема", EN: "Subject"},
		"corr.field.body":      {KK: "Хат мәтіні", RU: "Текст сообщения", EN: "Message"},
		"corr.field.file":      {KK: "Тіркеме", RU: "Вложение", EN: "Attachment"},
		"corr.field.file.hint": {
			KK: "Міндетті емес. Кітапханадағыдай файл түрлері (PDF, Word, PowerPoint, Excel, сурет…), ең көбі %d МБ.",
			RU: "Необязательно. Те же типы файлов, что и в библиотеке (PDF, Word, PowerPoint, Excel, изображения…), не более %d МБ.",
			EN: "Optional. The library's file types (PDF, Word, PowerPoint, Excel, images…), at most %d MB.",
		},
		"corr.send":       {KK: "Жіберу", RU: "Отправить", EN: "Send"},
		"corr.reply":      {KK: "Жауап жазу", RU: "Ответить", EN: "Reply"},
		"corr.from.admin": {KK: "Әкімшілік", RU: "Администрация", EN: "The administration"},
		"corr.from.user":  {KK: "Сіз", RU: "Вы", EN: "You"},
		"corr.via.email":  {KK: "электрондық пошта арқылы", RU: "по электронной почте", EN: "by email"},
		"corr.contact.title": {
			KK: "Әкімшілікке жазу", RU: "Написать администрации", EN: "Contact the administration",
		},
		"corr.contact.intro": {
			KK: "Тіркелмеген болсаңыз да, әкімшілікке осы жерден жаза аласыз. Жауап көрсеткен электрондық поштаңызға келеді. Хатыңыз бен мекенжайыңыз шифрланып сақталады.",
			RU: "Даже без регистрации вы можете написать администрации здесь. Ответ придёт на указанный адрес. Сообщение и адрес хранятся в зашифрованном виде.",
			EN: "You can write to the administration here without an account. The answer comes to the address you give. Your message and address are stored encrypted.",
		},
		"corr.contact.signed_in": {
			KK: "Сіз кірдіңіз: хаттарыңыз бен жауаптарды «Әкімшілікпен хат алмасу» бетінен көре аласыз.",
			RU: "Вы вошли: ваши сообщения и ответы — на странице «Переписка с администрацией».",
			EN: "You are signed in: your messages and the answers are on the page “Messages to the administration”.",
		},
		"corr.contact.sent": {
			KK: "Хатыңыз жіберілді. Жауап электрондық поштаңызға келеді.",
			RU: "Сообщение отправлено. Ответ придёт на вашу почту.",
			EN: "Your message has been sent. The answer will come to your email.",
		},
		"corr.admin.title": {KK: "Хаттар", RU: "Сообщения", EN: "Messages"},
		"corr.admin.card": {
			KK: "Пайдаланушылар мен қонақтардың хаттары және оларға жауап.",
			RU: "Сообщения пользователей и посетителей и ответы на них.",
			EN: "Messages from users and visitors, and the answers.",
		},
		"corr.admin.intro": {
			KK: "Тізімде тек күндер мен сандар бар. Хаттың мазмұнын көру — мақсатын көрсетіп, аудит журналына жазылатын әрекет (1.3-тармақ).",
			RU: "В списке только даты и счётчики. Просмотр содержания — с указанием цели и записью в журнал аудита (пункт 1.3).",
			EN: "The list holds dates and counts only. Viewing the content needs a stated purpose and is written to the audit log (clause 1.3).",
		},
		"corr.admin.from":     {KK: "Кімнен", RU: "От кого", EN: "From"},
		"corr.admin.status":   {KK: "Күйі", RU: "Статус", EN: "Status"},
		"corr.admin.messages": {KK: "Хат саны", RU: "Сообщений", EN: "Messages"},
		"corr.admin.updated":  {KK: "Соңғы хат", RU: "Последнее", EN: "Last message"},
		"corr.admin.visitor":  {KK: "Қонақ (байланыс формасы)", RU: "Посетитель (форма связи)", EN: "Visitor (contact form)"},
		"corr.admin.user":     {KK: "Пайдаланушы №%d", RU: "Пользователь №%d", EN: "User #%d"},
		"corr.admin.thread":   {KK: "Хат алмасу", RU: "Переписка", EN: "Conversation"},
		"corr.admin.revealed": {
			KK: "Мазмұн ашылды және аудит журналына жазылды. Мақсаты: %s",
			RU: "Содержание раскрыто и записано в журнал аудита. Цель: %s",
			EN: "The content is shown and recorded in the audit log. Purpose: %s",
		},
		"corr.admin.reveal.p": {
			KK: "Тақырыпты, хаттарды және қонақтың мекенжайын көру үшін мақсатын жазыңыз. Әр көру аудит журналына жазылады.",
			RU: "Чтобы увидеть тему, сообщения и адрес посетителя, укажите цель. Каждый просмотр записывается в журнал аудита.",
			EN: "To see the subject, the messages and a visitor's address, state the purpose. Every view is recorded in the audit log.",
		},
		"corr.admin.answer": {KK: "Жауап беру", RU: "Ответить", EN: "Answer"},
		"corr.admin.answer.p": {
			KK: "Жауап пайдаланушыға электрондық поштамен жіберіледі және оның хат алмасуында көрінеді. Ол хатқа жауап жазса, жауабы осында қосылады.",
			RU: "Ответ уйдёт пользователю по почте и появится в его переписке. Если он ответит на письмо, ответ добавится сюда.",
			EN: "The answer is emailed to the user and appears in their conversation. If they reply to the email, the reply is added here.",
		},
		"corr.admin.answer.submit": {KK: "Жауапты жіберу", RU: "Отправить ответ", EN: "Send the answer"},
		"corr.admin.answered":      {KK: "Жауап сақталды және жіберілді.", RU: "Ответ сохранён и отправлен.", EN: "The answer is saved and sent."},
		"corr.admin.undeliverable": {
			KK: "Жауап сақталды, бірақ жіберілмеді: алушының мекенжайына хат жетпейді (қайтарылған). Ол мекенжайын қайта растағанша хат жіберілмейді.",
			RU: "Ответ сохранён, но не отправлен: письма на адрес получателя не доходят (возвращены). Пока адрес не подтверждён заново, писем не будет.",
			EN: "The answer is saved but not sent: mail to the recipient's address bounced. Nothing is mailed there until the address is confirmed again.",
		},
		"corr.undeliverable.p": {
			KK: "Электрондық поштаңызға жіберілген хат қайтарылды: мекенжайға хат жетпейді. Мекенжайды қайта растағанша сайт сізге хат жібермейді.",
			RU: "Письмо на ваш адрес вернулось: почта не доходит. Пока вы не подтвердите адрес заново, сайт не будет отправлять вам писем.",
			EN: "Mail to your address bounced: it does not arrive. Until you confirm the address again, the site sends you no mail.",
		},
		"corr.undeliverable.confirm": {
			KK: "Мекенжайды қайта растау", RU: "Подтвердить адрес заново", EN: "Confirm the address again",
		},
	})
}
