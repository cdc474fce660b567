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
		"audit.action.keys_add": {
			KK: "Жаңа шифрлау кілтін қосу (әлі белсенді емес)",
			RU: "Добавление нового ключа шифрования (ещё не активен)",
			EN: "Added an encryption key (not active yet)",
		},
		"audit.action.audit_reanchor": {
			KK: "Аудит журналының бақылау нүктесін ауыстыру",
			RU: "Замена контрольной точки журнала аудита",
			EN: "Replaced the audit log's checkpoint",
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
		"audit.verify.behind_checkpoint": {
			KK: "Журнал дерекқордан тыс сақталған бақылау нүктесіне жетпейді: №%d жазбадан бастап жазбалар жоқ. Оларды біреу жойған немесе дерекқор ескі сақтық көшірмеден қалпына келтірілген.",
			RU: "Журнал не доходит до контрольной точки, хранящейся вне базы данных: записей начиная с № %d нет. Их удалили, или база данных восстановлена из более старой резервной копии.",
			EN: "The log does not reach its checkpoint kept outside the database: entries from %d on are missing. They were removed, or the database was restored from an older backup.",
		},
		"audit.verify.checkpoint_mismatch": {
			KK: "№%d жазба дерекқордан тыс сақталған бақылау нүктесі қол қойған жазбаға сәйкес келмейді: журнал осы жерден бастап қайта жазылған.",
			RU: "Запись № %d не совпадает с той, что подписана контрольной точкой вне базы данных: журнал переписан начиная с неё.",
			EN: "Entry %d is not the one signed by the checkpoint kept outside the database: the log was rewritten from there.",
		},
		"audit.verify.checkpoint_invalid": {
			KK: "Дерекқордан тыс сақталған бақылау нүктесінің қолтаңбасы жарамсыз: оны біреу өзгерткен немесе ол бүлінген.",
			RU: "Подпись контрольной точки вне базы данных недействительна: её изменили или она повреждена.",
			EN: "The checkpoint kept outside the database is not validly signed: it was altered or damaged.",
		},
	})
}
