package i18n

// Messages of certificate issuance and the public verify pages
// (internal/library/certificates.go, internal/web/handlers_certificates.go).
// library.cert.name.length takes the limit.
func init() {
	add(map[string]Message{
		// Refusals (internal/library).
		"library.cert.name.required": {
			KK: "Сертификатқа басылатын аты-жөніңізді жазыңыз.",
			RU: "Укажите имя, которое будет напечатано на сертификате.",
			EN: "Enter the name to print on the certificate.",
		},
		"library.cert.name.length": {
			KK: "Аты-жөні %d таңбадан аспауы керек.",
			RU: "Имя должно быть не длиннее %d символов.",
			EN: "The name must be at most %d characters long.",
		},
		"library.cert.not_author": {
			KK: "Сертификатты тек материалдың авторы ала алады.",
			RU: "Сертификат может получить только автор материала.",
			EN: "Only the material's author can get its certificate.",
		},
		"library.cert.not_published": {
			KK: "Сертификат материал жарияланғаннан кейін беріледі.",
			RU: "Сертификат выдаётся после публикации материала.",
			EN: "A certificate is issued once the material is published.",
		},
		"library.cert.none": {
			KK: "Бұл материалға әлі сертификат алынбаған.",
			RU: "Сертификат для этого материала ещё не получен.",
			EN: "No certificate has been issued for this material yet.",
		},

		// Issue form (author).
		"certificate.web.issue.title": {KK: "Жариялау туралы сертификат", RU: "Сертификат о публикации", EN: "Certificate of publication"},
		"certificate.web.issue.intro": {
			KK: "Сертификатта аты-жөніңіз қалай басылатынын тексеріңіз, қажет болса түзетіңіз. Сертификатты қайта алу тегін.",
			RU: "Проверьте, как ваше имя будет напечатано на сертификате, и при необходимости исправьте. Повторная выдача бесплатна.",
			EN: "Check how your name will be printed on the certificate and correct it if needed. Reissuing is free.",
		},
		"certificate.web.field.name": {KK: "Сертификаттағы аты-жөні", RU: "Имя на сертификате", EN: "Name on the certificate"},
		"certificate.web.field.name.hint": {
			KK: "Аккаунтыңыздағы аты-жөніңіз алдын ала жазылды. Басқа атпен қайта алсаңыз, бұрынғы сертификат жарамсыз болып, жаңа нөмір беріледі.",
			RU: "Подставлено имя из вашей учётной записи. Если получить сертификат заново с другим именем, прежний будет отозван и выдан новый номер.",
			EN: "Your account name is filled in. Issuing again with another name revokes the previous certificate and gives a new number.",
		},
		"certificate.web.field.show_name": {KK: "Тексеру бетінде аты-жөнімді көрсету", RU: "Показывать моё имя на странице проверки", EN: "Show my name on the verify page"},
		"certificate.web.field.show_name.hint": {
			KK: "Белгілемесеңіз, аты-жөніңіз ешкімге көрсетілмейді: тексеруші қағаздағы аты-жөнді жазып, сәйкес келетінін ғана біле алады.",
			RU: "Без отметки имя никому не показывается: проверяющий может только ввести имя с бумаги и узнать, совпадает ли оно.",
			EN: "Unticked, your name is shown to no one: a verifier can only type the name from the paper and learn whether it matches.",
		},
		"certificate.web.field.lang":      {KK: "Сертификат тілі", RU: "Язык сертификата", EN: "Certificate language"},
		"certificate.web.issue.submit":    {KK: "Сертификат алу", RU: "Получить сертификат", EN: "Get the certificate"},
		"certificate.web.reissue.submit":  {KK: "Өзгерістерді сақтау", RU: "Сохранить изменения", EN: "Save changes"},
		"certificate.web.current":         {KK: "Қазіргі сертификат", RU: "Текущий сертификат", EN: "Current certificate"},
		"certificate.web.number":          {KK: "Нөмірі", RU: "Номер", EN: "Number"},
		"certificate.web.issued":          {KK: "Берілген күні", RU: "Дата выдачи", EN: "Issued"},
		"certificate.web.download":        {KK: "PDF жүктеу", RU: "Скачать PDF", EN: "Download the PDF"},
		"certificate.web.open_verify":     {KK: "Тексеру беті", RU: "Страница проверки", EN: "Verify page"},
		"certificate.web.done.issued":     {KK: "Сертификат берілді.", RU: "Сертификат выдан.", EN: "The certificate is issued."},
		"certificate.web.done.saved":      {KK: "Таңдауыңыз сақталды.", RU: "Ваш выбор сохранён.", EN: "Your choice is saved."},
		"certificate.web.done.reissued":   {KK: "Жаңа сертификат берілді, бұрынғысы жарамсыз деп танылды.", RU: "Выдан новый сертификат, прежний отозван.", EN: "A new certificate is issued; the previous one is revoked."},
		"certificate.web.account.title":   {KK: "Менің сертификаттарым", RU: "Мои сертификаты", EN: "My certificates"},
		"certificate.web.account.none":    {KK: "Әзірге сертификат жоқ. Материалыңыз жарияланған соң, оның бетінен сертификат алыңыз.", RU: "Сертификатов пока нет. Когда материал опубликован, получите сертификат на его странице.", EN: "No certificates yet. Once a material is published, get its certificate on its page."},
		"certificate.web.status.valid":    {KK: "жарамды", RU: "действителен", EN: "valid"},
		"certificate.web.status.revoked":  {KK: "жарамсыз", RU: "отозван", EN: "revoked"},
		"certificate.web.verify.anywhere": {KK: "Кез келген сертификатты тексеру", RU: "Проверить любой сертификат", EN: "Verify any certificate"},

		// Public verify pages.
		"certificate.web.verify.title": {KK: "Сертификатты тексеру", RU: "Проверка сертификата", EN: "Verify a certificate"},
		"certificate.web.verify.intro": {
			KK: "Сертификаттағы нөмірді жазыңыз (мысалы, SU-2026-7K4M-9QXD). Кіші әріппен немесе сызықшасыз жазуға да болады.",
			RU: "Введите номер с сертификата (например, SU-2026-7K4M-9QXD). Можно строчными буквами и без дефисов.",
			EN: "Type the number from the certificate (for example SU-2026-7K4M-9QXD). Lower case and no dashes are fine.",
		},
		"certificate.web.verify.number": {KK: "Сертификат нөмірі", RU: "Номер сертификата", EN: "Certificate number"},
		"certificate.web.verify.submit": {KK: "Тексеру", RU: "Проверить", EN: "Verify"},
		"certificate.web.verify.other":  {KK: "Басқа нөмірді тексеру", RU: "Проверить другой номер", EN: "Verify another number"},
		"certificate.web.key.title":     {KK: "Сайттың ашық кілті", RU: "Открытый ключ сайта", EN: "The site's public key"},
		"certificate.web.key.p": {
			KK: "Сертификаттарға Ed25519 цифрлық қолтаңбасы қойылады. Кез келген адам қолтаңбаны осы ашық кілтпен тексере алады; кілттің саусақ ізін басқа дереккөздегімен салыстырыңыз.",
			RU: "Сертификаты подписываются цифровой подписью Ed25519. Любой может проверить подпись этим открытым ключом; сверьте отпечаток ключа с другим источником.",
			EN: "Certificates carry an Ed25519 digital signature. Anyone can check it with this public key; compare the key's fingerprint with another source.",
		},
		"certificate.web.key.fingerprint": {KK: "Кілттің саусақ ізі", RU: "Отпечаток ключа", EN: "Key fingerprint"},
		"certificate.web.key.base64":      {KK: "Ашық кілт (base64)", RU: "Открытый ключ (base64)", EN: "Public key (base64)"},
		"certificate.web.state.valid":     {KK: "Сертификат жарамды", RU: "Сертификат действителен", EN: "The certificate is valid"},
		"certificate.web.state.revoked":   {KK: "Сертификат жарамсыз деп танылды", RU: "Сертификат отозван", EN: "The certificate is revoked"},
		"certificate.web.state.forged": {
			KK: "Қолтаңба сәйкес келмейді: бұл сертификатқа сенуге болмайды",
			RU: "Подпись не совпадает: этому сертификату доверять нельзя",
			EN: "The signature does not match: do not trust this certificate",
		},
		"certificate.web.state.unknown": {KK: "Мұндай нөмірлі сертификат табылмады", RU: "Сертификат с таким номером не найден", EN: "No certificate has this number"},
		"certificate.web.unknown.p":     {KK: "Нөмірдің дұрыс жазылғанын тексеріңіз.", RU: "Проверьте, правильно ли введён номер.", EN: "Check that the number is typed correctly."},
		"certificate.web.revoked.reissued": {
			KK: "Автор жаңа сертификат алды", RU: "Автор получил новый сертификат", EN: "The author was issued a new certificate",
		},
		"certificate.web.revoked.author_deleted": {
			KK: "Автор аккаунтын жойды", RU: "Автор удалил учётную запись", EN: "The author deleted their account",
		},
		"certificate.web.revoked.takedown": {
			KK: "Материал жарияланымнан алынды", RU: "Материал снят с публикации", EN: "The material was taken down",
		},
		"certificate.web.revoked_at":    {KK: "Жарамсыз деп танылған күні", RU: "Дата отзыва", EN: "Revoked on"},
		"certificate.web.reason":        {KK: "Себебі", RU: "Причина", EN: "Reason"},
		"certificate.web.material":      {KK: "Материал", RU: "Материал", EN: "Material"},
		"certificate.web.material.gone": {KK: "материал қазір жарияланбаған", RU: "материал сейчас не опубликован", EN: "the material is not published now"},
		"certificate.web.material.withdrawn": {
			KK: "автор материалды каталогтан алып тастады", RU: "автор убрал материал из каталога", EN: "withdrawn from the catalog by its author",
		},
		"certificate.web.material.withdrawn.p": {
			KK: "Автор бұл материалды каталогтан алып тастады, сондықтан оның беті енді ашылмайды. Сертификат жарамды болып қала береді: ол материалдың сертификат берілген күні осы сайтта жарияланғанын растайды.",
			RU: "Автор убрал этот материал из каталога, поэтому его страница больше не открывается. Сертификат остаётся действительным: он подтверждает, что на дату выдачи материал был опубликован на этом сайте.",
			EN: "The author has withdrawn this material from the catalog, so its page no longer opens. The certificate remains valid: it attests that the material was published on this site on the date it was issued.",
		},
		"certificate.web.material.unlisted.p": {
			KK: "Материал қазір каталогта жоқ: автор оны өзгертіп жатыр немесе ол қайта модерациядан өтуде. Сертификат жарамды болып қала береді: ол материалдың сертификат берілген күні осы сайтта жарияланғанын растайды.",
			RU: "Материала сейчас нет в каталоге: автор его изменяет или он снова на модерации. Сертификат остаётся действительным: он подтверждает, что на дату выдачи материал был опубликован на этом сайте.",
			EN: "The material is not in the catalog at the moment: its author is changing it, or it is being moderated again. The certificate remains valid: it attests that the material was published on this site on the date it was issued.",
		},
		"certificate.web.issue.unpublished": {
			KK: "Материал қазір жарияланбаған. Бұрын алынған сертификат жарамды, оны жүктеп алуға болады; аты-жөнін өзгертіп қайта алу материал қайта жарияланған соң мүмкін болады.",
			RU: "Материал сейчас не опубликован. Выданный ранее сертификат действителен, его можно скачать; получить его заново с другим именем можно будет после повторной публикации материала.",
			EN: "The material is not published now. The certificate issued earlier is still valid and you can download it; you can reissue it under another name once the material is published again.",
		},
		"certificate.web.author":         {KK: "Автор", RU: "Автор", EN: "Author"},
		"certificate.web.signature":      {KK: "Цифрлық қолтаңба", RU: "Цифровая подпись", EN: "Digital signature"},
		"certificate.web.signature.ok":   {KK: "сайттың ашық кілтімен тексерілді: сәйкес келеді", RU: "проверена открытым ключом сайта: совпадает", EN: "checked with the site's public key: matches"},
		"certificate.web.signature.bad":  {KK: "сайттың ашық кілтімен тексерілді: сәйкес келмейді", RU: "проверена открытым ключом сайта: не совпадает", EN: "checked with the site's public key: does not match"},
		"certificate.web.signature.none": {KK: "тексеру мүмкін емес", RU: "проверить невозможно", EN: "cannot be checked"},
		"certificate.web.signature.fp":   {KK: "Сертификатта басылған қолтаңба ізі", RU: "Отпечаток подписи, напечатанный на сертификате", EN: "Signature fingerprint printed on the certificate"},
		"certificate.web.name.hidden": {
			KK: "Автор аты-жөнін жарияламауды таңдады. Қағаз сертификаттағы аты-жөнді жазып, сәйкестігін тексеріңіз.",
			RU: "Автор решил не публиковать имя. Введите имя с бумажного сертификата, чтобы проверить совпадение.",
			EN: "The author chose not to publish the name. Type the name from the paper certificate to check that it matches.",
		},
		"certificate.web.name.submit":  {KK: "Аты-жөнін тексеру", RU: "Проверить имя", EN: "Check the name"},
		"certificate.web.name.match":   {KK: "Аты-жөні сертификаттағымен сәйкес келеді.", RU: "Имя совпадает с указанным в сертификате.", EN: "The name matches the certificate."},
		"certificate.web.name.nomatch": {KK: "Аты-жөні сертификаттағымен сәйкес келмейді.", RU: "Имя не совпадает с указанным в сертификате.", EN: "The name does not match the certificate."},
		"certificate.web.name.limited": {
			KK: "Сіздің желі мекенжайыңыздан сәйкес келмейтін аты-жөн тым көп рет жазылды, сондықтан аты-жөнді тексеру уақытша тоқтатылды. Біраз күтіп, қайталап көріңіз. Сертификаттың жарамдылығы жоғарыда көрсетілген.",
			RU: "С вашего сетевого адреса слишком много раз вводились несовпадающие имена, поэтому проверка имени временно приостановлена. Подождите немного и попробуйте снова. Действителен ли сертификат, показано выше.",
			EN: "Too many names that did not match were typed from your network address, so name checks are paused for a while. Wait a little and try again. Whether the certificate is valid is shown above.",
		},
	})
}
