package i18n

// Messages of the data map (issue 12 §6; internal/datamap,
// internal/web/handlers_datamap.go). The texts of each table, category,
// retention and reader live beside their declarations in internal/datamap.
func init() {
	add(map[string]Message{
		"datamap.title":            {KK: "Біз қандай деректерді сақтаймыз", RU: "Какие данные мы храним", EN: "What data we keep"},
		"datamap.intro":            {KK: "Бұл бет сайттың дерекқорындағы әр бағанның сипаттамасынан жасалады: не сақталады, не үшін, қанша уақыт және оны кім көре алады. Шифрланған деректерді тек әкімші ашып көре алады, әр қарау аудит журналына жазылады.", RU: "Эта страница строится из описания каждого столбца базы данных сайта: что хранится, зачем, как долго и кто может это видеть. Зашифрованные данные может открыть только администратор, и каждый просмотр записывается в журнал аудита.", EN: "This page is generated from the declaration of every column of the site's database: what is kept, why, for how long and who can see it. Only an administrator can open encrypted data, and each look is written to the audit log."},
		"datamap.what":             {KK: "Не", RU: "Что", EN: "What"},
		"datamap.why":              {KK: "Не үшін", RU: "Зачем", EN: "Why"},
		"datamap.how_long":         {KK: "Қанша уақыт", RU: "Как долго", EN: "How long"},
		"datamap.who":              {KK: "Кім көре алады", RU: "Кто видит", EN: "Who can see it"},
		"datamap.encrypted":        {KK: "шифрланған", RU: "зашифровано", EN: "encrypted"},
		"datamap.personal":         {KK: "жеке дерек", RU: "персональные данные", EN: "personal"},
		"datamap.yes":              {KK: "иә", RU: "да", EN: "yes"},
		"datamap.outro":            {KK: "Толығырақ:", RU: "Подробнее:", EN: "More:"},
		"datamap.link":             {KK: "Деректер картасы", RU: "Карта данных", EN: "Data map"},
		"datamap.admin.title":      {KK: "Деректер картасы (техникалық)", RU: "Карта данных (техническая)", EN: "Data map (technical)"},
		"datamap.admin.intro":      {KK: "Дерекқордың әр бағаны internal/datamap ішінде бір рет сипатталған; сипатталмаған баған тестті құлатады. Жария нұсқасы:", RU: "Каждый столбец базы описан один раз в internal/datamap; неописанный столбец роняет тест. Публичная версия:", EN: "Every column of the database is declared once in internal/datamap; an undeclared column fails a test. The public version:"},
		"datamap.admin.p":          {KK: "Әр кесте мен баған: санаты, қорғалуы, сақтау мерзімі, кім оқиды.", RU: "Каждая таблица и столбец: категория, защита, срок хранения, кто читает.", EN: "Every table and column: category, protection, retention, who reads it."},
		"datamap.admin.plain":      {KK: "Шифрланбай сақталатын жеке деректер", RU: "Персональные данные, хранимые без шифрования", EN: "Personal data stored without encryption"},
		"datamap.admin.plain.p":    {KK: "Адамды жазбаға байланыстыратын идентификаторлар, уақыттар және адамның өзі жария еткені. Тізімге жаңа баған қосылса, оның шифрланбауы саналы шешім болуы керек.", RU: "Идентификаторы, связывающие запись с человеком, время и то, что человек сам сделал публичным. Новый столбец в этом списке должен быть осознанным решением.", EN: "Ids that link a row to a person, times, and what the person chose to make public. A new column on this list should be a deliberate decision."},
		"datamap.admin.package":    {KK: "Пакет", RU: "Пакет", EN: "Package"},
		"datamap.admin.category":   {KK: "Санат", RU: "Категория", EN: "Category"},
		"datamap.admin.protection": {KK: "Қорғалуы", RU: "Защита", EN: "Protection"},
	})
}
