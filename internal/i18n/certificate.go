package i18n

// Messages of the certificate package: the printed certificate of
// publication. certificate.intro takes the site name; certificate.verify
// the verify address; certificate.signature the signature fingerprint;
// certificate.date.format the day, the month name and the year.
func init() {
	add(map[string]Message{
		"certificate.heading": {
			KK: "Жариялау туралы сертификат",
			RU: "Сертификат о публикации",
			EN: "Certificate of publication",
		},
		"certificate.intro": {
			KK: "Осы сертификат төмендегі материалдың %s сайтында жарияланғанын растайды",
			RU: "Настоящий сертификат подтверждает, что на сайте %s опубликован материал",
			EN: "This certifies that the following material has been published on %s",
		},
		"certificate.author": {
			KK: "Авторы",
			RU: "Автор",
			EN: "Author",
		},
		"certificate.number": {
			KK: "Сертификат нөмірі",
			RU: "Номер сертификата",
			EN: "Certificate number",
		},
		"certificate.date": {
			KK: "Берілген күні",
			RU: "Дата выдачи",
			EN: "Date of issue",
		},
		"certificate.scan": {
			KK: "Тексеру үшін QR-кодты сканерлеңіз",
			RU: "Отсканируйте QR-код для проверки",
			EN: "Scan the QR code to verify",
		},
		"certificate.verify": {
			KK: "Түпнұсқалығын тексеру: %s",
			RU: "Проверка подлинности: %s",
			EN: "Verify at %s",
		},
		"certificate.signature": {
			KK: "Ed25519 электрондық қолтаңбасы: %s",
			RU: "Электронная подпись Ed25519: %s",
			EN: "Ed25519 digital signature: %s",
		},
		"certificate.date.format": {
			KK: "%[3]d жылғы %[1]d %[2]s",
			RU: "%[1]d %[2]s %[3]d г.",
			EN: "%[1]d %[2]s %[3]d",
		},
		// Month names as they stand in a date: Russian in the genitive
		// ("15 марта"), Kazakh in the nominative ("15 наурыз").
		"certificate.month.01": {KK: "қаңтар", RU: "января", EN: "January"},
		"certificate.month.02": {KK: "ақпан", RU: "февраля", EN: "February"},
		"certificate.month.03": {KK: "наурыз", RU: "марта", EN: "March"},
		"certificate.month.04": {KK: "сәуір", RU: "апреля", EN: "April"},
		"certificate.month.05": {KK: "мамыр", RU: "мая", EN: "May"},
		"certificate.month.06": {KK: "маусым", RU: "июня", EN: "June"},
		"certificate.month.07": {KK: "шілде", RU: "июля", EN: "July"},
		"certificate.month.08": {KK: "тамыз", RU: "августа", EN: "August"},
		"certificate.month.09": {KK: "қыркүйек", RU: "сентября", EN: "September"},
		"certificate.month.10": {KK: "қазан", RU: "октября", EN: "October"},
		"certificate.month.11": {KK: "қараша", RU: "ноября", EN: "November"},
		"certificate.month.12": {KK: "желтоқсан", RU: "декабря", EN: "December"},
	})
}
