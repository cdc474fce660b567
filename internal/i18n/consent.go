package i18n

func init() {
	add(map[string]Message{
		"consent.kind.agreement": {
			KK: "Құпиялылық туралы келісім",
			RU: "Соглашение о конфиденциальности",
			EN: "Confidentiality Agreement",
		},
		"consent.kind.privacy": {
			KK: "Құпиялылық саясаты",
			RU: "Политика конфиденциальности",
			EN: "Privacy Policy",
		},
		"consent.kind.invalid": {
			KK: "Мұндай құжат түрі жоқ.",
			RU: "Такого вида документа нет.",
			EN: "There is no such kind of document.",
		},
		"consent.method.registration": {
			KK: "Тіркелу кезінде",
			RU: "При регистрации",
			EN: "At registration",
		},
		"consent.method.reacceptance": {
			KK: "Жаңа нұсқасын қабылдау",
			RU: "Принятие новой редакции",
			EN: "Acceptance of a new version",
		},
		"consent.document.not_found": {
			KK: "Құжаттың мұндай нұсқасы табылмады.",
			RU: "Такая редакция документа не найдена.",
			EN: "This version of the document was not found.",
		},
		"consent.publish.title_required": {
			KK: "Осы тілдегі тақырыпты жазыңыз.",
			RU: "Укажите заголовок на этом языке.",
			EN: "Enter the title in this language.",
		},
		"consent.publish.body_required": {
			KK: "Осы тілдегі мәтінді енгізіңіз.",
			RU: "Введите текст на этом языке.",
			EN: "Enter the text in this language.",
		},
		"consent.publish.title_too_long": {
			KK: "Тақырып тым ұзын: ең көбі %d таңба.",
			RU: "Заголовок слишком длинный: не более %d символов.",
			EN: "The title is too long: at most %d characters.",
		},
		"consent.publish.body_too_long": {
			KK: "Мәтін тым ұзын: ең көбі %d таңба.",
			RU: "Текст слишком длинный: не более %d символов.",
			EN: "The text is too long: at most %d characters.",
		},
		"consent.publish.unchanged": {
			KK: "Мәтін қазіргі нұсқамен бірдей, жаңа нұсқа жарияланбады.",
			RU: "Текст совпадает с действующей редакцией, новая редакция не опубликована.",
			EN: "The text is the same as the current version; no new version was published.",
		},
		"consent.publish.conflict": {
			KK: "Дәл осы сәтте басқа әкімші жаңа нұсқа жариялады. Оны қарап шығып, қайта көріңіз.",
			RU: "В этот же момент другой администратор опубликовал новую редакцию. Просмотрите её и попробуйте снова.",
			EN: "Another administrator published a new version at the same moment. Review it and try again.",
		},
		"consent.accept.empty": {
			KK: "Қабылдайтын құжатты белгілеңіз.",
			RU: "Отметьте документ, который вы принимаете.",
			EN: "Tick the document you accept.",
		},
		"consent.accept.not_current": {
			KK: "Бұл нұсқа енді күшінде емес. Жаңа нұсқасын оқып шығып, соны қабылдаңыз.",
			RU: "Эта редакция больше не действует. Прочитайте новую редакцию и примите её.",
			EN: "This version is no longer in force. Read the new version and accept it.",
		},
	})
}
