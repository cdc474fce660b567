package i18n

// Messages of internal/mail: the subjects and words of the portal's email.
func init() {
	add(map[string]Message{
		"mail.greeting": {
			KK: "Сәлеметсіз бе!",
			RU: "Здравствуйте!",
			EN: "Hello,",
		},
		"mail.fallback": {
			KK: "Батырма ашылмаса, мына сілтемені көшіріп, браузерге қойыңыз:",
			RU: "Если кнопка не открывается, скопируйте ссылку и вставьте её в браузер:",
			EN: "If the button does not work, copy this link into your browser:",
		},
		"mail.footer": {
			KK: "Бұл хатты smartustaz порталы автоматты түрде жіберді. Оған жауап берудің қажеті жоқ.",
			RU: "Это письмо автоматически отправлено порталом smartustaz. Отвечать на него не нужно.",
			EN: "This email was sent automatically by the smartustaz portal. There is no need to reply.",
		},

		"mail.verify.subject": {
			KK: "Электрондық поштаңызды растаңыз",
			RU: "Подтвердите адрес электронной почты",
			EN: "Confirm your email address",
		},
		"mail.verify.body": {
			KK: "smartustaz порталында тіркелгеніңізге рақмет. Тіркелуді аяқтау үшін электрондық пошта мекенжайыңызды растаңыз.",
			RU: "Спасибо за регистрацию на портале smartustaz. Чтобы завершить регистрацию, подтвердите адрес электронной почты.",
			EN: "Thank you for registering on the smartustaz portal. To finish registering, please confirm your email address.",
		},
		"mail.verify.action": {
			KK: "Поштаны растау",
			RU: "Подтвердить адрес",
			EN: "Confirm email address",
		},
		"mail.verify.note": {
			KK: "Егер сіз тіркелмеген болсаңыз, бұл хатты елемеңіз.",
			RU: "Если вы не регистрировались, просто не обращайте внимания на это письмо.",
			EN: "If you did not register, you can ignore this email.",
		},

		"mail.reset.subject": {
			KK: "Құпиясөзді қалпына келтіру",
			RU: "Восстановление пароля",
			EN: "Reset your password",
		},
		"mail.reset.body": {
			KK: "Есептік жазбаңыздың құпиясөзін қалпына келтіру сұралды. Жаңа құпиясөз орнату үшін төмендегі сілтемені ашыңыз.",
			RU: "Поступил запрос на восстановление пароля вашей учётной записи. Чтобы задать новый пароль, откройте ссылку ниже.",
			EN: "We received a request to reset the password of your account. To set a new password, open the link below.",
		},
		"mail.reset.action": {
			KK: "Жаңа құпиясөз орнату",
			RU: "Задать новый пароль",
			EN: "Set a new password",
		},
		"mail.reset.note": {
			KK: "Егер мұны сіз сұрамаған болсаңыз, бұл хатты елемеңіз: құпиясөзіңіз өзгермейді.",
			RU: "Если вы этого не запрашивали, не обращайте внимания на письмо: пароль останется прежним.",
			EN: "If you did not ask for this, ignore this email: your password stays the same.",
		},

		"mail.register_attempt.subject": {
			KK: "Сіздің мекенжайыңызбен тіркелу әрекеті",
			RU: "Попытка регистрации с вашим адресом",
			EN: "Someone tried to register with your address",
		},
		"mail.register_attempt.body": {
			KK: "Біреу smartustaz порталында осы электрондық пошта мекенжайымен тіркелмек болды, бірақ бұл мекенжаймен есептік жазба бұрыннан бар. Егер бұл сіз болсаңыз, өз құпиясөзіңізбен кіріңіз; құпиясөзді ұмытсаңыз, төмендегі сілтеме арқылы жаңасын орнатыңыз.",
			RU: "Кто-то пытался зарегистрироваться на портале smartustaz с этим адресом электронной почты, но учётная запись с ним уже есть. Если это были вы, войдите со своим паролем; если вы его забыли, задайте новый по ссылке ниже.",
			EN: "Someone tried to register on the smartustaz portal with this email address, but an account with it already exists. If it was you, sign in with your password; if you have forgotten it, set a new one with the link below.",
		},
		"mail.register_attempt.action": {
			KK: "Құпиясөзді қалпына келтіру",
			RU: "Восстановить пароль",
			EN: "Reset your password",
		},
		"mail.register_attempt.note": {
			KK: "Егер бұл сіз болмасаңыз, хатты елемеңіз: ештеңе өзгерген жоқ, құпиясөзіңізсіз есептік жазбаңызға ешкім кіре алмайды.",
			RU: "Если это были не вы, не обращайте внимания на письмо: ничего не изменилось, и без вашего пароля в учётную запись никто не войдёт.",
			EN: "If it was not you, ignore this email: nothing has changed, and nobody can sign in to your account without your password.",
		},

		"mail.email_change.subject": {
			KK: "Жаңа электрондық пошта мекенжайын растаңыз",
			RU: "Подтвердите новый адрес электронной почты",
			EN: "Confirm your new email address",
		},
		"mail.email_change.body": {
			KK: "Бұл мекенжай smartustaz порталындағы есептік жазбаңыздың жаңа электрондық поштасы ретінде көрсетілді. Өзгерісті растау үшін төмендегі сілтемені ашыңыз.",
			RU: "Этот адрес указан как новый адрес электронной почты вашей учётной записи на портале smartustaz. Чтобы подтвердить изменение, откройте ссылку ниже.",
			EN: "This address was entered as the new email address of your account on the smartustaz portal. To confirm the change, open the link below.",
		},
		"mail.email_change.action": {
			KK: "Жаңа мекенжайды растау",
			RU: "Подтвердить новый адрес",
			EN: "Confirm the new address",
		},
		"mail.email_change.note": {
			KK: "Егер мекенжайды сіз өзгертпеген болсаңыз, бұл хатты елемеңіз: ештеңе өзгермейді.",
			RU: "Если вы не меняли адрес, не обращайте внимания на письмо: ничего не изменится.",
			EN: "If you did not change your address, ignore this email: nothing will change.",
		},

		"mail.email_changed.subject": {
			KK: "Электрондық пошта мекенжайыңыз өзгертілді",
			RU: "Адрес электронной почты изменён",
			EN: "Your email address has been changed",
		},
		"mail.email_changed.body": {
			KK: "smartustaz порталындағы есептік жазбаңыздың электрондық пошта мекенжайы өзгертілді. Енді хаттар жаңа мекенжайға жіберіледі.",
			RU: "Адрес электронной почты вашей учётной записи на портале smartustaz изменён. Теперь письма будут приходить на новый адрес.",
			EN: "The email address of your account on the smartustaz portal has been changed. From now on, emails will go to the new address.",
		},
		"mail.email_changed.note": {
			KK: "Егер мұны сіз жасамаған болсаңыз, дереу портал әкімшілігіне хабарласыңыз.",
			RU: "Если это сделали не вы, немедленно свяжитесь с администрацией портала.",
			EN: "If you did not do this, contact the portal administration at once.",
		},

		"mail.password_changed.subject": {
			KK: "Құпиясөзіңіз өзгертілді",
			RU: "Пароль изменён",
			EN: "Your password has been changed",
		},
		"mail.password_changed.body": {
			KK: "smartustaz порталындағы есептік жазбаңыздың құпиясөзі өзгертілді.",
			RU: "Пароль вашей учётной записи на портале smartustaz изменён.",
			EN: "The password of your account on the smartustaz portal has been changed.",
		},
		"mail.password_changed.note": {
			KK: "Егер мұны сіз жасамаған болсаңыз, құпиясөзді қалпына келтіріп, дереу портал әкімшілігіне хабарласыңыз.",
			RU: "Если это сделали не вы, восстановите пароль и немедленно свяжитесь с администрацией портала.",
			EN: "If you did not do this, reset your password and contact the portal administration at once.",
		},

		// clause 3.4: a new version is published; accept it or leave.
		"mail.agreement.subject": {
			KK: "Құпиялылық құжаттарының жаңа нұсқасы жарияланды",
			RU: "Опубликована новая редакция документов о конфиденциальности",
			EN: "A new version of our privacy documents has been published",
		},
		"mail.agreement.body": {
			KK: "smartustaz порталының әкімшілігі құпиялылық құжаттарының (Құпиялылық туралы келісім мен Құпиялылық саясатының) жаңа нұсқасын жариялады. Оны төмендегі сілтеме бойынша оқи аласыз.",
			RU: "Администрация портала smartustaz опубликовала новую редакцию документов о конфиденциальности (Соглашения о конфиденциальности и Политики конфиденциальности). Прочитать её можно по ссылке ниже.",
			EN: "The administration of the smartustaz portal has published a new version of its privacy documents (the Confidentiality Agreement and the Privacy Policy). You can read it at the link below.",
		},
		"mail.agreement.action": {
			KK: "Жаңа нұсқаны оқу",
			RU: "Прочитать новую редакцию",
			EN: "Read the new version",
		},
		"mail.agreement.note": {
			KK: "Порталға келесі жолы кіргенде сізден жаңа нұсқаны қабылдау сұралады. Егер онымен келіспесеңіз, есептік жазбаңызды және дербес деректеріңізді кез келген уақытта жоя аласыз.",
			RU: "При следующем входе на портал вам будет предложено принять новую редакцию. Если вы с ней не согласны, вы можете в любое время удалить свою учётную запись и персональные данные.",
			EN: "The next time you sign in, you will be asked to accept the new version. If you do not agree with it, you can delete your account and your personal data at any time.",
		},

		"mail.admin_invite.subject": {
			KK: "smartustaz порталын басқаруға шақыру",
			RU: "Приглашение в администраторы портала smartustaz",
			EN: "Invitation to administer the smartustaz portal",
		},
		"mail.admin_invite.body": {
			KK: "Сіз smartustaz порталының әкімшісі болуға шақырылдыңыз. Шақыруды қабылдау үшін төмендегі сілтемені ашыңыз.",
			RU: "Вас пригласили стать администратором портала smartustaz. Чтобы принять приглашение, откройте ссылку ниже.",
			EN: "You have been invited to become an administrator of the smartustaz portal. To accept the invitation, open the link below.",
		},
		"mail.admin_invite.action": {
			KK: "Шақыруды қабылдау",
			RU: "Принять приглашение",
			EN: "Accept the invitation",
		},
		"mail.admin_invite.note": {
			KK: "Егер сіз бұл шақыруды күтпеген болсаңыз, хатты елемеңіз.",
			RU: "Если вы не ждали этого приглашения, не обращайте внимания на письмо.",
			EN: "If you were not expecting this invitation, ignore this email.",
		},
	})
}
