package i18n

// Messages about the site's keys (internal/vault, shown by internal/web).
func init() {
	add(map[string]Message{
		"web.error.unavailable": {KK: "Сайттың бұл бөлігі уақытша қолжетімсіз. Бірнеше минуттан кейін қайталап көріңіз.", RU: "Эта часть сайта временно недоступна. Попробуйте ещё раз через несколько минут.", EN: "This part of the site is temporarily unavailable. Please try again in a few minutes."},
	})
}
