package i18n

// Messages of the owner's edits of a collection (issue 13 §3): rename,
// public or private, delete.
func init() {
	add(map[string]Message{
		"social.collection.edit":                    {KK: "Жинақты өңдеу", RU: "Изменить подборку", EN: "Edit the collection"},
		"social.collection.field.name":              {KK: "Жинақтың атауы", RU: "Название подборки", EN: "Collection's name"},
		"social.collection.save":                    {KK: "Сақтау", RU: "Сохранить", EN: "Save"},
		"social.collection.delete":                  {KK: "Жинақты жою", RU: "Удалить подборку", EN: "Delete the collection"},
		"social.collection.delete.confirm":          {KK: "Иә, бұл жинақты жою керек (материалдардың өздері сайтта қалады)", RU: "Да, удалить эту подборку (сами материалы останутся на сайте)", EN: "Yes, delete this collection (the materials themselves stay on the site)"},
		"social.collection.delete.confirm_required": {KK: "Жинақты жою үшін белгіні қойыңыз.", RU: "Чтобы удалить подборку, поставьте отметку.", EN: "Tick the box to delete the collection."},
		"social.done.collection_updated":            {KK: "Жинақ сақталды.", RU: "Подборка сохранена.", EN: "The collection is saved."},
		"social.done.collection_deleted":            {KK: "Жинақ жойылды.", RU: "Подборка удалена.", EN: "The collection is deleted."},
	})
}
