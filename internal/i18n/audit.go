package i18n

func init() {
	add(map[string]Message{
		"audit.action.reveal": {
			KK: "Құпия деректерді қарау",
			RU: "Просмотр конфиденциальных данных",
			EN: "Viewed confidential data",
		},
		"audit.action.role_change": {
			KK: "Рөлді өзгерту",
			RU: "Изменение роли",
			EN: "Changed a role",
		},
		"audit.action.publish_document": {
			KK: "Құжаттың жаңа нұсқасын жариялау",
			RU: "Публикация новой редакции документа",
			EN: "Published a new version of a document",
		},
		"audit.action.user_delete": {
			KK: "Пайдаланушыны жою",
			RU: "Удаление пользователя",
			EN: "Deleted a user",
		},
		"audit.action.admin_create": {
			KK: "Әкімші тіркелгісін құру",
			RU: "Создание учётной записи администратора",
			EN: "Created an administrator account",
		},
		"audit.action.user_block": {
			KK: "Деректерді өңдеуді бұғаттау",
			RU: "Блокирование обработки данных",
			EN: "Blocked the processing of data",
		},
		"audit.action.user_unblock": {
			KK: "Бұғаттауды алу",
			RU: "Снятие блокирования",
			EN: "Lifted a block",
		},
		"audit.action.data_export": {
			KK: "Деректерді экспорттау",
			RU: "Выгрузка данных",
			EN: "Exported data",
		},
		"audit.action.import": {
			KK: "Пайдаланушыларды басқа дерекқордан көшіру",
			RU: "Перенос пользователей из другой базы данных",
			EN: "Imported users from another database",
		},
		"audit.action.keys_rotate": {
			KK: "Шифрлау кілтін ауыстыру",
			RU: "Смена ключа шифрования",
			EN: "Rotated the encryption key",
		},
		"audit.verify.ok": {
			KK: "Журнал тұтас: ешбір жазба өзгертілмеген, жойылмаған және орны ауыстырылмаған.",
			RU: "Журнал цел: ни одна запись не изменена, не удалена и не переставлена.",
			EN: "The log is intact: no entry was altered, removed or reordered.",
		},
		"audit.verify.altered": {
			KK: "№%d жазба өзгертілген.",
			RU: "Запись № %d изменена.",
			EN: "Entry %d was altered.",
		},
		"audit.verify.removed": {
			KK: "№%d жазба жойылған.",
			RU: "Запись № %d удалена.",
			EN: "Entry %d was removed.",
		},
		"audit.verify.reordered": {
			KK: "№%d жазбаның орны ауыстырылған.",
			RU: "Запись № %d переставлена.",
			EN: "Entry %d was moved out of order.",
		},
		"audit.verify.head_mismatch": {
			KK: "Журналдың соңы сәйкес келмейді: №%d жазбадан бастап жазбалар жойылған болуы мүмкін.",
			RU: "Конец журнала не сходится: записи начиная с № %d могли быть удалены.",
			EN: "The end of the log does not match: entries from %d on may have been removed.",
		},
	})
}
