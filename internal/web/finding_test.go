package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// A search says how many materials matched, lists the best first (title
// above description above file text), shows the matched words of the
// file text marked in a snippet with the file's own markup escaped, and
// has numbered pages; "newest" is one click away and pages by keyset.
func TestSearchResults(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		srv, lib := newSite(t, d)
		author := newUser(t, srv, "author@mail.kz")
		publishWith(t, lib, author.ID, library.Input{Title: "Бөлшектер тақырыбы", Description: "Сипаттама."}, "Мәтін.")
		publishWith(t, lib, author.ID, library.Input{Title: "Файлда ғана", Description: "Сипаттама."},
			"Кіріспе <script>alert(1)</script> бөлімі. Бүгін бөлшектерді салыстырамыз.")
		for i := range 22 {
			publishWith(t, lib, author.ID, library.Input{Title: fmt.Sprintf("Басқа материал %d", i), Description: "Сипаттама."}, "Мәтін.")
		}
		page := rawKazakh(t, srv, "/materials?q="+url.QueryEscape("бөлшек"))
		for _, want := range []string{"«бөлшек» бойынша 2 материал табылды",
			`Кіріспе &lt;script&gt;alert(1)&lt;/script&gt; бөлімі. Бүгін <mark>бөлшектерді</mark> салыстырамыз.`,
			`<a href="/materials?q=%D0%B1%D3%A9%D0%BB%D1%88%D0%B5%D0%BA&amp;sort=new">`} {
			if !strings.Contains(page, want) {
				t.Errorf("the search page lacks %q", want)
			}
		}
		if a, b := strings.Index(page, "Бөлшектер тақырыбы"), strings.Index(page, "Файлда ғана"); a < 0 || b < 0 || a > b {
			t.Error("the material with the word in its title is not listed before the one with it in its file text")
		}
		if strings.Contains(page, "<script>alert") {
			t.Error("the file's markup reached the page unescaped")
		}

		all := rawKazakh(t, srv, "/materials?q="+url.QueryEscape("сипаттама"))
		if !strings.Contains(html.UnescapeString(all), "«сипаттама» бойынша 24 материал табылды") {
			t.Error("the count of a two-page search is wrong")
		}
		for _, want := range []string{`<nav class="pager" aria-label="Беттер">`, `aria-current="page" aria-label="1-бет">1</a>`,
			`<a href="/materials?q=%D1%81%D0%B8%D0%BF%D0%B0%D1%82%D1%82%D0%B0%D0%BC%D0%B0&amp;page=2" aria-label="2-бет">2</a>`} {
			if !strings.Contains(all, want) {
				t.Errorf("the first page of a two-page search lacks %q", want)
			}
		}
		second := rawKazakh(t, srv, "/materials?page=2&q="+url.QueryEscape("сипаттама"))
		if !strings.Contains(second, `aria-current="page" aria-label="2-бет">2</a>`) || strings.Count(second, `class="mat-card"`) != 4 {
			t.Errorf("the second page of 24 matches is not page 2 with 4 cards (%d cards)", strings.Count(second, `class="mat-card"`))
		}
	})
}

// rawKazakh is readKazakh without decoding entities: the page's markup.
func rawKazakh(t *testing.T, srv http.Handler, path string) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Language", "kk-KZ,kk;q=0.9")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, w.Code)
	}
	return w.Body.String()
}
