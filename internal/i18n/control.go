package i18n

// Messages of the data subject's control over processing (internal/
// privacy/control.go, internal/web/handlers_control.go): the blocked
// state, withdrawing and giving consent again, the consent's term.
func init() {
	add(map[string]Message{
		"consent.method.renewal":                     {KK: "Келісімді ұзарту", RU: "Продление согласия", EN: "Consent renewed"},
		"consent.method.withdrawal":                  {KK: "Келісімді кері қайтарып алу", RU: "Отзыв согласия", EN: "Consent withdrawn"},
		"privacy.receipts.method.renewal":            {KK: "Келісімді ұзарту", RU: "Продление согласия", EN: "Renewed the consent"},
		"privacy.receipts.method.withdrawal":         {KK: "Келісімді кері қайтарып алу", RU: "Отзыв согласия", EN: "Withdrew the consent"},
		"privacy.receipts.method.import-first-login": {KK: "Бірінші кіргенде қабылдау", RU: "Принятие при первом входе", EN: "Accepted at first sign-in"},

		// Why an account is blocked.
		"control.reason.request":   {KK: "Сіздің өтінішіңіз бойынша бұғатталған", RU: "Заблокировано по вашему запросу", EN: "Blocked at your request"},
		"control.reason.withdrawn": {KK: "Келісіміңізді кері қайтарып алдыңыз", RU: "Вы отозвали согласие", EN: "You withdrew your consent"},
		"control.reason.term":      {KK: "Келісіміңіздің мерзімі бітті", RU: "Срок вашего согласия истёк", EN: "Your consent's term has ended"},
		"control.reason.admin":     {KK: "Әкімші бұғаттады", RU: "Заблокировано администратором", EN: "Blocked by an administrator"},

		// The blocked page.
		"control.blocked.title": {KK: "Тіркелгіңіз бұғатталған", RU: "Ваша учётная запись заблокирована", EN: "Your account is blocked"},
		"control.blocked.why.request": {
			KK: "Сіз деректеріңізді өңдеуді тоқтатуды сұрадыңыз, әкімшілік оны орындады.",
			RU: "Вы попросили остановить обработку ваших данных, администрация это сделала.",
			EN: "You asked us to stop processing your data, and the administration did.",
		},
		"control.blocked.why.withdrawn": {
			KK: "Сіз келісімді және құпиялылық саясатын қабылдаудан бас тарттыңыз.",
			RU: "Вы отозвали согласие с соглашением и политикой конфиденциальности.",
			EN: "You withdrew your consent to the agreement and the privacy policy.",
		},
		"control.blocked.why.term": {
			KK: "Деректеріңізді өңдеуге берген келісіміңіздің мерзімі бітті, ал сіз оны ұзартпадыңыз.",
			RU: "Срок вашего согласия на обработку данных истёк, и вы его не продлили.",
			EN: "The term of your consent to the processing of your data ended and it was not renewed.",
		},
		"control.blocked.why.admin": {
			KK: "Әкімшілік деректеріңізді өңдеуді тоқтатты. Себебін білу үшін өтініш жіберіңіз.",
			RU: "Администрация остановила обработку ваших данных. Чтобы узнать причину, отправьте запрос.",
			EN: "The administration stopped processing your data. File a request to learn why.",
		},
		"control.blocked.p": {
			KK: "Деректеріңіз сақталады, бірақ өңделмейді: хат жіберілмейді (өтініштеріңізге жауаптан басқа), статистика жазылмайды, жария профиліңіз және атыңыз көрсетілмейді (материалдарыңыз атаусыз жарияланып тұрады).",
			RU: "Ваши данные хранятся, но не обрабатываются: писем нет (кроме ответов на ваши запросы), статистика не пишется, публичный профиль и ваше имя не показываются (материалы остаются опубликованными без имени).",
			EN: "Your data is kept but not processed: no email (except the answers to your requests), no statistics, no public profile or name (your materials stay published without your name).",
		},
		"control.blocked.how":         {KK: "Бұғаттан қалай шығуға болады", RU: "Как снять блокировку", EN: "How to unblock"},
		"control.blocked.how.consent": {KK: "Құжаттарды оқып, келісіміңізді қайта беріңіз — тіркелгі бірден бұғаттан шығады.", RU: "Прочитайте документы и дайте согласие снова — блокировка снимется сразу.", EN: "Read the documents and give your consent again: the block is lifted at once."},
		"control.blocked.consent":     {KK: "Келісімді қайта беру", RU: "Дать согласие снова", EN: "Give consent again"},
		"control.blocked.how.request": {KK: "Бұғаттан шығару туралы өтініш жіберіңіз: әкімшілік оны бір жұмыс күні ішінде қарайды.", RU: "Отправьте запрос на разблокирование: администрация рассмотрит его в течение одного рабочего дня.", EN: "File an unblocking request: the administration answers it within one working day."},
		"control.blocked.request":     {KK: "Бұғаттан шығаруды сұрау", RU: "Запросить разблокирование", EN: "Ask to unblock"},
		"control.blocked.how.waiting": {KK: "Бұғаттан шығару туралы өтінішіңіз тіркелді; жауап осы жерде және поштаңызда болады.", RU: "Ваш запрос на разблокирование зарегистрирован; ответ появится здесь и придёт на почту.", EN: "Your unblocking request is registered; the answer will be here and in your mail."},
		"control.blocked.can":         {KK: "Бұғатталған кезде не істей аласыз", RU: "Что можно, пока учётная запись заблокирована", EN: "What you can do while blocked"},
		"control.blocked.refused":     {KK: "Тіркелгіңіз бұғатталған: бұл әрекет қолжетімсіз.", RU: "Ваша учётная запись заблокирована: это действие недоступно.", EN: "Your account is blocked: this action is not available."},

		// Withdrawal and consent on the account page.
		"control.consent.title":  {KK: "Деректерді өңдеуге келісім", RU: "Согласие на обработку данных", EN: "Consent to processing"},
		"control.consent.given":  {KK: "Келісім берілген күн: %s.", RU: "Согласие дано %s.", EN: "Consent given on %s."},
		"control.consent.ends":   {KK: "Мерзімі бітетін күн: %s.", RU: "Действует до %s.", EN: "It lasts until %s."},
		"control.consent.no_end": {KK: "Мерзімі шектелмеген.", RU: "Бессрочно.", EN: "It has no end date."},
		"control.withdraw.title": {KK: "Келісімді кері қайтарып алу", RU: "Отозвать согласие", EN: "Withdraw my consent"},
		"control.withdraw.p1": {
			KK: "Келісімді кері қайтарып алсаңыз, тіркелгіңіз жойылмайды, бірақ бұғатталады: деректеріңіз сақталады, бірақ өңделмейді — хат, статистика, жария профиль болмайды, материалдарыңыз атаусыз жарияланып тұрады.",
			RU: "Если вы отзовёте согласие, учётная запись не удаляется, а блокируется: данные хранятся, но не обрабатываются — ни писем, ни статистики, ни публичного профиля; ваши материалы остаются опубликованными без имени.",
			EN: "If you withdraw your consent, your account is not deleted but blocked: your data is kept and not processed — no email, no statistics, no public profile; your materials stay published without your name.",
		},
		"control.withdraw.p2": {
			KK: "Деректеріңізді көріп, өтініш жіберіп, тіркелгіні жоя аласыз. Келісімді кез келген уақытта қайта беруге болады — сонда бәрі қалпына келеді. Бас тарту жазылады, оның түбіртегін жүктей аласыз.",
			RU: "Вы сможете видеть свои данные, отправлять запросы и удалить учётную запись. Согласие можно дать снова в любой момент — тогда всё вернётся. Отзыв записывается, квитанцию о нём можно скачать.",
			EN: "You can still see your data, file requests and delete the account. You can give consent again at any time, and everything comes back. The withdrawal is recorded and you can download its receipt.",
		},
		"control.withdraw.submit":           {KK: "Келісімімді кері қайтарып алу", RU: "Отозвать моё согласие", EN: "Withdraw my consent"},
		"control.withdraw.confirm_required": {KK: "Келісімді кері қайтарып алу расталмады.", RU: "Отзыв согласия не подтверждён.", EN: "The withdrawal was not confirmed."},

		// Renewal.
		"control.renew.title":  {KK: "Келісімді ұзарту", RU: "Продление согласия", EN: "Renew your consent"},
		"control.renew.intro":  {KK: "Төмендегі құжаттарды бұрын қабылдағансыз. Келісімді ұзарту немесе қайта беру үшін оларды қайта қабылдаңыз.", RU: "Эти документы вы уже принимали. Чтобы продлить согласие или дать его снова, примите их ещё раз.", EN: "You accepted these documents before. Accept them again to renew your consent or give it anew."},
		"control.banner.p":     {KK: "Деректеріңізді өңдеуге берген келісіміңіздің мерзімі %s бітеді. Ұзартпасаңыз, тіркелгіңіз бұғатталады (жойылмайды).", RU: "Срок вашего согласия на обработку данных истекает %s. Если не продлить, учётная запись будет заблокирована (не удалена).", EN: "Your consent to the processing of your data ends on %s. If it is not renewed, your account will be blocked (not deleted)."},
		"control.banner.renew": {KK: "Келісімді ұзарту", RU: "Продлить согласие", EN: "Renew consent"},

		// The reminder email.
		"control.term.mail.subject": {KK: "Келісіміңіздің мерзімі %d күннен кейін бітеді", RU: "Срок вашего согласия истекает через %d дн.", EN: "Your consent ends in %d days"},
		"control.term.mail.body": {
			KK: "smartustaz сайтында деректеріңізді өңдеуге берген келісіміңіздің мерзімі %s бітеді. Ұзартпасаңыз, тіркелгіңіз бұғатталады: деректер сақталады, бірақ өңделмейді.",
			RU: "Срок вашего согласия на обработку данных на сайте smartustaz истекает %s. Если его не продлить, учётная запись будет заблокирована: данные сохранятся, но обрабатываться не будут.",
			EN: "Your consent to the processing of your data on smartustaz ends on %s. If it is not renewed, your account will be blocked: your data is kept but not processed.",
		},
		"control.term.mail.action": {KK: "Келісімді ұзарту", RU: "Продлить согласие", EN: "Renew your consent"},
		"control.term.mail.note":   {KK: "Ұзартқыңыз келмесе, ештеңе істемеңіз.", RU: "Если вы не хотите продлевать, ничего делать не нужно.", EN: "If you do not want to renew it, do nothing."},

		// The term on /admin/privacy.
		"control.term.title": {KK: "Келісім мерзімі", RU: "Срок согласия", EN: "Consent term"},
		"control.term.p": {
			KK: "Келісім қанша күн жарамды. Мерзімі біткенге дейін 30 және 7 күн қалғанда пайдаланушыға хат және кіргенде ескерту көрсетіледі; ұзартпаса, тіркелгі бұғатталады (жойылмайды).",
			RU: "Сколько дней действует согласие. За 30 и 7 дней до конца пользователю приходит письмо и показывается напоминание при входе; если он не продлит, учётная запись блокируется (не удаляется).",
			EN: "How many days a consent lasts. 30 and 7 days before it ends the user is emailed and reminded at sign-in; if they do not renew, the account is blocked (not deleted).",
		},
		"control.term.label": {KK: "Мерзімі, күн", RU: "Срок, дней", EN: "Term, days"},
		"control.term.hint":  {KK: "0 — мерзімсіз (тіркелгі бар кезде).", RU: "0 — бессрочно (пока существует учётная запись).", EN: "0: no end (as long as the account exists)."},
		"control.term.bad":   {KK: "0-ден %d-ге дейінгі бүтін сан енгізіңіз.", RU: "Введите целое число от 0 до %d.", EN: "Enter a whole number from 0 to %d."},

		// Administrators.
		"control.admin.state":       {KK: "Өңдеу", RU: "Обработка", EN: "Processing"},
		"control.admin.not_blocked": {KK: "Бұғатталмаған", RU: "Не заблокирована", EN: "Not blocked"},
		"control.admin.block":       {KK: "Бұғаттау", RU: "Заблокировать", EN: "Block"},
		"control.admin.unblock":     {KK: "Бұғаттан шығару", RU: "Разблокировать", EN: "Unblock"},
		"control.act.block":         {KK: "Жауап беріп, бұғаттау", RU: "Ответить и заблокировать", EN: "Answer and block"},
		"control.act.unblock":       {KK: "Жауап беріп, бұғаттан шығару", RU: "Ответить и разблокировать", EN: "Answer and unblock"},
		"control.act.bad":           {KK: "Бұл өтінішке мұндай әрекет жасалмайды.", RU: "Для этого запроса такое действие невозможно.", EN: "This action does not apply to this request."},
	})
}
