package i18n

// Messages of the invitation of imported users as a bulk send of the mail
// queue (issue 11 §3, /admin/import and /admin/mail).
func init() {
	add(map[string]Message{
		"mailq.bulk.kind.import": {
			KK: "Көшірілген пайдаланушыларға шақыру",
			RU: "Приглашения перенесённым пользователям",
			EN: "Invitations to imported users",
		},
		"import.invite.mail": {
			KK: "Хаттар пошта кезегіне қойылып, баптаулардағы жылдамдықпен жіберіледі; әр пайдаланушыға бір хат, қайта басылса да. Жеткізілу барысы:",
			RU: "Письма ставятся в почтовую очередь и уходят с заданной в настройках скоростью; каждому пользователю одно письмо, даже при повторном нажатии. Ход доставки:",
			EN: "The letters are queued and sent at the configured rate; one letter per user, even if pressed again. Their delivery:",
		},
	})
}
