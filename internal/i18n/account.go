package i18n

// Messages of the account package: registration, sign-in, passwords,
// emailed links and profile edits. Keys with %d are formatted with the
// limit carried in apperr.Error.Args.
func init() {
	add(map[string]Message{
		"account.accept.required": {
			KK: "Тіркелу үшін келісім мен құпиялылық саясатын қабылдауыңыз қажет.",
			RU: "Для регистрации необходимо принять соглашение и политику конфиденциальности.",
			EN: "To register, please accept the agreement and the privacy policy.",
		},
		"account.deleted": {
			KK: "Бұл тіркелгі жойылған.",
			RU: "Эта учётная запись удалена.",
			EN: "This account has been deleted.",
		},
		"account.email.already_verified": {
			KK: "Электрондық пошта мекенжайыңыз расталып қойған.",
			RU: "Ваш адрес электронной почты уже подтверждён.",
			EN: "Your email address is already confirmed.",
		},
		"account.email.invalid": {
			KK: "Электрондық пошта мекенжайы дұрыс емес. Мекенжайды тексеріп, қайта жазыңыз.",
			RU: "Адрес электронной почты указан неверно. Проверьте его и введите снова.",
			EN: "The email address is not valid. Please check it and enter it again.",
		},
		"account.email.same": {
			KK: "Бұл — сіздің қазіргі мекенжайыңыз. Жаңа мекенжайды жазыңыз.",
			RU: "Это ваш текущий адрес. Укажите новый адрес.",
			EN: "This is your current address. Please enter a new one.",
		},
		"account.email.taken": {
			KK: "Бұл электрондық пошта мекенжайымен тіркелгі бар. Кіріп көріңіз немесе құпиясөзді қалпына келтіріңіз.",
			RU: "Учётная запись с этим адресом электронной почты уже существует. Попробуйте войти или восстановите пароль.",
			EN: "An account with this email address already exists. Please sign in or reset your password.",
		},
		"account.field.charset": {
			KK: "Бұл өрісте рұқсат етілмеген таңбалар бар. Мәтінді қайта теріп жазыңыз.",
			RU: "Поле содержит недопустимые символы. Пожалуйста, наберите текст заново.",
			EN: "This field contains characters that are not allowed. Please type the text again.",
		},
		"account.field.required": {
			KK: "Бұл өрісті толтыру міндетті.",
			RU: "Это поле обязательно для заполнения.",
			EN: "This field is required.",
		},
		"account.field.too_long": {
			KK: "Мәтін тым ұзын: ең көбі %d таңба болуы керек.",
			RU: "Слишком длинный текст: не более %d символов.",
			EN: "This text is too long: at most %d characters.",
		},
		"account.locale.invalid": {
			KK: "Мұндай тіл жоқ. Қазақ, орыс немесе ағылшын тілін таңдаңыз.",
			RU: "Такого языка нет. Выберите казахский, русский или английский.",
			EN: "This language is not available. Please choose Kazakh, Russian or English.",
		},
		"account.login.failed": {
			KK: "Электрондық пошта мекенжайы немесе құпиясөз қате.",
			RU: "Неверный адрес электронной почты или пароль.",
			EN: "The email address or password is incorrect.",
		},
		"account.password.is_email": {
			KK: "Құпиясөз электрондық пошта мекенжайымен бірдей болмауы керек.",
			RU: "Пароль не должен совпадать с адресом электронной почты.",
			EN: "The password must not be the same as your email address.",
		},
		"account.password.too_long": {
			KK: "Құпиясөз тым ұзын: ең көбі %d таңба болуы керек.",
			RU: "Пароль слишком длинный: не более %d символов.",
			EN: "The password is too long: at most %d characters.",
		},
		"account.password.too_short": {
			KK: "Құпиясөз тым қысқа: кемінде %d таңба болуы керек.",
			RU: "Пароль слишком короткий: не менее %d символов.",
			EN: "The password is too short: it must have at least %d characters.",
		},
		"account.password.wrong": {
			KK: "Қазіргі құпиясөз қате.",
			RU: "Текущий пароль указан неверно.",
			EN: "The current password is incorrect.",
		},
		"account.phone.invalid": {
			KK: "Телефон нөмірі дұрыс емес. 10–15 цифр жазыңыз, мысалы: +7 701 123 45 67.",
			RU: "Неверный номер телефона. Укажите от 10 до 15 цифр, например: +7 701 123 45 67.",
			EN: "The phone number is not valid. Please enter 10 to 15 digits, for example: +7 701 123 45 67.",
		},
		"account.role.invalid": {
			KK: "Мұндай рөл жоқ.",
			RU: "Такой роли нет.",
			EN: "There is no such role.",
		},
		"account.role.last_admin": {
			KK: "Сайтта кемінде бір әкімші қалуы керек. Алдымен басқа әкімші тағайындаңыз.",
			RU: "На сайте должен остаться хотя бы один администратор. Сначала назначьте другого администратора.",
			EN: "The site must keep at least one administrator. Please appoint another administrator first.",
		},
		"account.session.invalid": {
			KK: "Сеанс аяқталды. Қайта кіріңіз.",
			RU: "Сеанс завершён. Пожалуйста, войдите снова.",
			EN: "Your session has ended. Please sign in again.",
		},
		"account.session.not_found": {
			KK: "Мұндай сеанс табылмады немесе ол аяқталған.",
			RU: "Сеанс не найден или уже завершён.",
			EN: "This session was not found or has already ended.",
		},
		"account.throttled": {
			KK: "Тым көп әрекет жасалды. Біраз күтіп, қайталап көріңіз.",
			RU: "Слишком много попыток. Подождите немного и попробуйте снова.",
			EN: "Too many attempts. Please wait a little and try again.",
		},
		"account.token.expired": {
			KK: "Сілтеменің мерзімі өтіп кеткен. Жаңа сілтеме сұраңыз.",
			RU: "Срок действия ссылки истёк. Запросите новую ссылку.",
			EN: "This link has expired. Please request a new one.",
		},
		"account.token.invalid": {
			KK: "Сілтеме жарамсыз немесе бұрын пайдаланылған. Жаңа сілтеме сұраңыз.",
			RU: "Ссылка недействительна или уже использована. Запросите новую ссылку.",
			EN: "This link is not valid or has already been used. Please request a new one.",
		},
	})
}
