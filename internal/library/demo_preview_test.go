package library_test

import (
	"context"
	"image"
	"image/png"
	"path/filepath"
	"testing"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/preview"
	"github.com/smartustaz/smartustaz/internal/preview/previewtest"
)

// demoKinds are the kinds of file the demo makes.
var demoKinds = []string{"docx", "pptx", "xlsx", "odt", "odp", "rtf", "txt", "pdf"}

// The demo's files, as `smartustaz demo --materials` stores them, get
// page images with text on them from the real LibreOffice and poppler:
// a presentation shows its slides' titles and points, a workbook its
// table — not white pages recorded as "blank" (which is what a slide
// whose shapes have no position, or a workbook whose sheet is not linked,
// gives).
func TestDemoFilesDrawn(t *testing.T) {
	previewtest.NeedTools(t, "the page-image test of the demo files")
	// The fewest demo materials that hold every kind of file.
	n, seen := 0, map[string]bool{}
	for len(seen) < len(demoKinds) {
		n++
		for _, f := range library.DemoMaterial(n).Files {
			seen[f.Kind] = true
		}
		if n > 1000 {
			t.Fatalf("1,000 demo materials hold only the kinds %v", seen)
		}
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, library.Options{})
		ctx := context.Background()
		if got, err := e.lib.CreateDemoMaterials(ctx, n, library.DemoOptions{Authors: []int64{e.user("user")}}); err != nil || got != n {
			t.Fatalf("CreateDemoMaterials = %d, %v", got, err)
		}
		files, err := e.lib.RecentFiles(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		first := map[string]preview.File{}
		for _, f := range files {
			if _, ok := first[f.Kind]; !ok {
				first[f.Kind] = f
			}
		}
		// The library's own blob folder, so the worker reads the stored files.
		store, err := blob.Open("", filepath.Dir(e.files))
		if err != nil {
			t.Fatal(err)
		}
		svc := preview.New(d, store, preview.Options{TempDir: t.TempDir()})
		for _, kind := range demoKinds {
			t.Run(kind, func(t *testing.T) {
				f, ok := first[kind]
				if !ok {
					t.Fatalf("no published demo file of kind %s among %d", kind, len(files))
				}
				if !preview.Previewable(kind) {
					// A text file's page is its text, shown as it is; every
					// other kind the demo makes is drawn.
					if kind != "txt" {
						t.Fatalf("demo files of kind %s get no page images", kind)
					}
					return
				}
				if err := svc.Make(ctx, f); err != nil {
					t.Fatal(err)
				}
				var status, note string
				if err := d.QueryRow(ctx, `SELECT status, note FROM material_previews WHERE file_id = ? AND page = 0`, f.ID).Scan(&status, &note); err != nil {
					t.Fatalf("no outcome recorded: %v", err)
				}
				if status != "done" {
					t.Fatalf("the demo %s file was not drawn: %s (%s)", kind, status, note)
				}
				pm, err := svc.Pages(ctx, []int64{f.ID})
				if err != nil {
					t.Fatal(err)
				}
				pages := pm[f.ID]
				if len(pages) == 0 {
					t.Fatalf("the demo %s file is done but has no page image", kind)
				}
				presentation := kind == "pptx" || kind == "odp"
				if presentation && len(pages) != preview.DefaultPages {
					t.Errorf("%d slides drawn, want the first %d of five", len(pages), preview.DefaultPages)
				}
				for _, p := range pages {
					if presentation != (p.Width > p.Height) {
						t.Errorf("page %d is %d×%d: a presentation is landscape, a document portrait", p.N, p.Width, p.Height)
					}
					ink, spread := inkOf(t, svc, p)
					// A slide's title and point, or a table, are hundreds of
					// dark pixels across much of the page; letters set one
					// to a line (a frame with no width) are a narrow column.
					if ink < 500 {
						t.Errorf("page %d has %d dark pixels: nothing legible is drawn", p.N, ink)
					}
					if spread < p.Width*2/5 {
						t.Errorf("page %d's text spans %d of %d pixels: it is not laid out across the page", p.N, spread, p.Width)
					}
				}
			})
		}
	})
}

// inkOf decodes a page image and returns how many pixels are dark (text)
// and how wide the band that holds them is.
func inkOf(t *testing.T, svc *preview.Service, p preview.Page) (ink, spread int) {
	t.Helper()
	rc, err := svc.Open(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	img, err := png.Decode(rc)
	if err != nil {
		t.Fatalf("page %d is not a PNG: %v", p.N, err)
	}
	b := img.Bounds()
	left, right := b.Max.X, b.Min.X-1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if dark(img, x, y) {
				ink++
				left, right = min(left, x), max(right, x)
			}
		}
	}
	return ink, max(0, right-left+1)
}

func dark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return r < 0x8000 && g < 0x8000 && b < 0x8000
}
