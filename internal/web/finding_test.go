package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
)

// publishWith publishes a material with one text file of body, approved
// by its author acting as moderator, and returns its id.
func publishWith(t *testing.T, lib *library.Service, author int64, in library.Input, body string) int64 {
	t.Helper()
	ctx := context.Background()
	up := lib.NewUpload()
	if err := up.Add(ctx, "file.txt", strings.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	if in.Subject == "" {
		in.Subject = "algebra"
	}
	if in.Grade == "" {
		in.Grade = "7"
	}
	if in.Type == "" {
		in.Type = "short-term-plan"
	}
	if in.Language == "" {
		in.Language = "kk"
	}
	in.AuthorDeclaration = true
	m, err := lib.Publish(ctx, author, in, up, library.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Approve(ctx, author, m.ID); err != nil {
		t.Fatal(err)
	}
	return m.ID
}

// The home page starts with a search box, shows the newest and the most
// downloaded materials, lets the reader browse by subject and by grade
// with how many materials each holds, and says what the site promises in
// one line instead of three cards about encryption.
func TestHomeShowsMaterials(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		srv, lib := newSite(t, d)
		author := newUser(t, srv, "author@mail.kz")
		publishWith(t, lib, author.ID, library.Input{Title: "Бөлшектерді қосу", Subject: "mathematics", Grade: "5"}, "Бөлшектер.")
		publishWith(t, lib, author.ID, library.Input{Title: "Теңдеулер жүйесі", Subject: "algebra", Grade: "7"}, "Теңдеу.")
		publishWith(t, lib, author.ID, library.Input{Title: "Сызықтық функция", Subject: "algebra", Grade: "8"}, "Функция.")
		page := readKazakh(t, srv, "/")

		q := strings.Index(page, `<input id="home-q" name="q" type="search"`)
		if q < 0 || !strings.Contains(page, `<form method="get" action="/materials" class="qbox" role="search">`) {
			t.Fatal("the home page has no search box that searches the catalog")
		}
		for _, title := range []string{"Бөлшектерді қосу", "Теңдеулер жүйесі", "Сызықтық функция"} {
			at := strings.Index(page, title)
			if at < 0 {
				t.Errorf("the home page does not list %q", title)
			} else if at < q {
				t.Errorf("%q comes before the search box", title)
			}
		}
		for _, want := range []string{"Жаңа материалдар", "Ең көп жүктелгендер", "Пәндер", "Сыныптар",
			`<a href="/materials?subject=algebra">Алгебра <span class="n">2</span></a>`,
			`<a href="/materials?grade=7">7-сынып <span class="n">1</span></a>`,
			"Барлығы (3)",
			"Мұғалімдер мұғалімдерге арнап жасаған сабақ материалдары"} {
			if !strings.Contains(page, want) {
				t.Errorf("the home page lacks %q", want)
			}
		}
		if strings.Contains(page, "Деректеріңіз — сіздің бақылауыңызда") {
			t.Error("the home page still shows the cards about data")
		}
	})
}
