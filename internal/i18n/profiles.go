package i18n

// Messages of public author profiles (internal/library/profiles.go,
// internal/web/handlers_profiles.go; clause 1.4). library.profile.length
// takes the limit.
func init() {
	add(map[string]Message{
		"library.profile.empty":   {KK: "Жолды толтырыңыз немесе белгіні алып тастаңыз.", RU: "Заполните поле или снимите отметку.", EN: "Fill this in or untick it."},
		"library.profile.length":  {KK: "%d таңбадан аспауы керек.", RU: "Не длиннее %d символов.", EN: "At most %d characters."},
		"library.profile.unknown": {KK: "Мұндай жол жоқ.", RU: "Такого поля нет.", EN: "There is no such field."},

		"profiles.page.title": {KK: "Жария профиль", RU: "Публичный профиль", EN: "Public profile"},
		"profiles.page.intro": {
			KK: "Жеке деректеріңіз құпия сақталады. Авторлық бетіңізде барлығына не көрсетілетінін осы жерде өзіңіз таңдайсыз: белгі қоймасаңыз, ештеңе жарияланбайды. Белгіні алып тастасаңыз, жол беттен бірден жойылады.",
			RU: "Ваши персональные данные конфиденциальны. Здесь вы сами выбираете, что видно всем на вашей авторской странице: без отметки ничего не публикуется. Снятая отметка сразу убирает поле со страницы.",
			EN: "Your personal data is confidential. Here you choose what everyone sees on your author page: nothing is published unless ticked. Unticking a field removes it from the page at once.",
		},
		"profiles.page.show":          {KK: "Көрсету", RU: "Показывать", EN: "Show"},
		"profiles.field.display_name": {KK: "Көрсетілетін аты", RU: "Отображаемое имя", EN: "Display name"},
		"profiles.field.school":       {KK: "Мектеп", RU: "Школа", EN: "School"},
		"profiles.field.region":       {KK: "Өңір", RU: "Регион", EN: "Region"},
		"profiles.field.position":     {KK: "Лауазымы", RU: "Должность", EN: "Position"},
		"profiles.field.about":        {KK: "Өзім туралы", RU: "О себе", EN: "About me"},
		"profiles.page.photo":         {KK: "Фотосурет әзірге қосылмайды.", RU: "Фотографию пока добавить нельзя.", EN: "A photo cannot be added yet."},
		"profiles.page.save":          {KK: "Таңдауды сақтау", RU: "Сохранить выбор", EN: "Save my choice"},
		"profiles.page.hide_all":      {KK: "Барлығын жасыру", RU: "Скрыть всё", EN: "Hide everything"},
		"profiles.page.saved":         {KK: "Таңдауыңыз сақталды.", RU: "Ваш выбор сохранён.", EN: "Your choice is saved."},
		"profiles.page.view":          {KK: "Жария бетімді ашу", RU: "Открыть мою публичную страницу", EN: "Open my public page"},
		"profiles.page.nothing":       {KK: "Қазір ештеңе жарияланбаған.", RU: "Сейчас ничего не опубликовано.", EN: "Nothing is published now."},
		"profiles.page.consent_note": {
			KK: "Әр сақтау жариялауға келісім ретінде тіркеледі (қай жолдар, қашан), келісім шарттан бөлек. Олардың тізімі деректеріңіздің көшірмесінде бар.",
			RU: "Каждое сохранение записывается как согласие на публикацию (какие поля и когда), отдельно от соглашения. Их список есть в выгрузке ваших данных.",
			EN: "Each save is recorded as a consent to publication (which fields, when), apart from the agreement. The list is in your data export.",
		},
		"profiles.account.p":        {KK: "Авторлық бетіңізде не көрінетінін өзіңіз таңдайсыз.", RU: "Вы выбираете, что видно на вашей авторской странице.", EN: "You choose what your author page shows."},
		"profiles.author.title":     {KK: "Автор", RU: "Автор", EN: "Author"},
		"profiles.author.materials": {KK: "Жарияланған материалдары", RU: "Опубликованные материалы", EN: "Published materials"},
		"profiles.author.none":      {KK: "Жарияланған материал жоқ.", RU: "Опубликованных материалов нет.", EN: "No published materials."},
		"profiles.author.hidden":    {KK: "Автор өзі туралы мәлімет жарияламаған.", RU: "Автор не публиковал сведений о себе.", EN: "The author has published nothing about themselves."},
	})
}
