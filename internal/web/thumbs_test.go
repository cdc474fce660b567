package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/preview"
	"github.com/smartustaz/smartustaz/internal/vault"
	"github.com/smartustaz/smartustaz/internal/web"
)

// A catalog card shows a small thumbnail of its first page where the file
// has a page image (a JPEG is its own), lazily loaded and with its size
// set so the list does not jump, and the file type's icon otherwise; the
// thumbnail is a PNG 128 pixels wide.
func TestCardPictures(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		v, _, err := vault.Open(d, dir, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		cs := consent.New(d, v)
		if err := cs.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		store, err := blob.Open("", dir)
		if err != nil {
			t.Fatal(err)
		}
		lib := library.New(d, v, store, library.Options{})
		if err := lib.SeedTaxonomy(ctx); err != nil {
			t.Fatal(err)
		}
		pv := preview.New(d, store, preview.Options{TempDir: t.TempDir(), LookPath: func(string) (string, error) { return "", fmt.Errorf("none") }})
		srv, err := web.NewServer(web.Deps{DB: d, Vault: v, Accounts: account.New(d, v, account.Options{}), Consent: cs,
			Audit: audit.New(d, v), Library: lib, Previews: pv, BaseURL: "http://smartustaz.test"})
		if err != nil {
			t.Fatal(err)
		}
		author := newUser(t, srv, "author@mail.kz")

		img := image.NewRGBA(image.Rect(0, 0, 600, 800))
		for y := range 800 {
			for x := range 600 {
				img.Set(x, y, color.RGBA{200, 220, 240, 255})
			}
		}
		var jpg bytes.Buffer
		if err := jpeg.Encode(&jpg, img, nil); err != nil {
			t.Fatal(err)
		}
		up := lib.NewUpload()
		if err := up.Add(ctx, "slide.jpg", bytes.NewReader(jpg.Bytes())); err != nil {
			t.Fatal(err)
		}
		m, err := lib.Publish(ctx, author.ID, library.Input{Title: "Суреті бар материал", Subject: "algebra", Grade: "7",
			Type: "presentation", Language: "kk", AuthorDeclaration: true}, up, library.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if err := lib.Approve(ctx, author.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		got, err := lib.Get(ctx, m.ID, library.Viewer{UserID: author.ID})
		if err != nil {
			t.Fatal(err)
		}
		f := got.Files[0]
		if err := pv.Make(ctx, preview.File{ID: f.ID, MaterialID: m.ID, SHA256: f.SHA256, Kind: f.Kind, Size: f.Size}); err != nil {
			t.Fatal(err)
		}
		publishWith(t, lib, author.ID, library.Input{Title: "Мәтіндік материал"}, "Мәтін.")

		for _, path := range []string{"/materials", "/"} {
			page := rawKazakh(t, srv, path)
			tag := regexp.MustCompile(`<img class="mat-pic" src="(/materials/\d+/files/\d+/thumb\.png)" width="64" height="85" loading="lazy" decoding="async" alt="">`).FindStringSubmatch(page)
			if tag == nil {
				t.Fatalf("%s: the card of the material with a page image has no lazy thumbnail of set size", path)
			}
			if !strings.Contains(page, `<span class="mat-pic ficon" aria-hidden="true">TXT</span>`) {
				t.Errorf("%s: the card of the text file has no file-type icon", path)
			}
			req := httptest.NewRequest(http.MethodGet, tag[1], nil)
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" {
				t.Fatalf("GET %s: %d %s", tag[1], w.Code, w.Header().Get("Content-Type"))
			}
			th, err := png.Decode(w.Body)
			if err != nil || th.Bounds().Dx() != 128 || th.Bounds().Dy() != 171 {
				t.Errorf("the thumbnail is not a 128×171 PNG: %v %v", err, th)
			}
		}
	})
}
