package preview_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/extract"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/preview"
	"github.com/smartustaz/smartustaz/internal/preview/previewtest"
)

func needTools(t *testing.T) {
	t.Helper()
	previewtest.NeedTools(t, "the real-tool test")
}

// noTools is a PATH on which nothing is installed.
func noTools(string) (string, error) { return "", exec.ErrNotFound }

type env struct {
	t     *testing.T
	d     *db.DB
	store blob.Store
	svc   *preview.Service
	tmp   string
	clock time.Time
}

func newEnv(t *testing.T, d *db.DB, o preview.Options) *env {
	t.Helper()
	store, err := blob.Open("", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, d: d, store: store, tmp: t.TempDir(), clock: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	o.TempDir = e.tmp
	o.Now = func() time.Time { return e.clock }
	e.svc = preview.New(d, store, o)
	return e
}

// put stores a file as an upload would and returns it as the library
// would hand it over.
func (e *env) put(kind string, body []byte) preview.File {
	e.t.Helper()
	obj, err := e.store.Put(context.Background(), bytes.NewReader(body), -1)
	if err != nil {
		e.t.Fatal(err)
	}
	return preview.File{ID: db.NewID(), SHA256: obj.SHA256, Kind: kind, Size: obj.Size}
}

func (e *env) pages(f preview.File) []preview.Page {
	e.t.Helper()
	m, err := e.svc.Pages(context.Background(), []int64{f.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	return m[f.ID]
}

func (e *env) status() preview.Status {
	e.t.Helper()
	st, err := e.svc.Status(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

// readPNG opens a page image from the store and decodes every pixel.
func (e *env) readPNG(p preview.Page) image.Image {
	e.t.Helper()
	rc, err := e.svc.Open(context.Background(), p)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rc.Close()
	img, err := png.Decode(rc)
	if err != nil {
		e.t.Fatalf("page %d of file %d is not a PNG: %v", p.N, p.FileID, err)
	}
	return img
}

// inked counts the pixels that are clearly not white: drawn text.
func inked(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0x8000 && g < 0x8000 && bl < 0x8000 {
				n++
			}
		}
	}
	return n
}

func testdata(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, h/2, color.Black)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sniffed stores a file and names its kind as the library would: by
// content, with internal/extract.
func (e *env) sniffed(body []byte) preview.File {
	e.t.Helper()
	k, err := extract.SniffFile(context.Background(), bytes.NewReader(body), int64(len(body)))
	if err != nil {
		e.t.Fatalf("sniff: %v", err)
	}
	return e.put(string(k), body)
}

// TestRealFiles converts real files of the office kinds the library
// accepts (written by Word's and LibreOffice's formats, see
// testdata/README.md) and real PDFs (Chromium-printed worksheets) with the
// installed tools, and checks each first page is an 800-pixel-wide PNG
// with text on it, stored under its SHA-256.
func TestRealFiles(t *testing.T) {
	needTools(t)
	e := newEnv(t, dbtest.Open(t, db.SQLite), preview.Options{})
	ctx := context.Background()
	cases := []struct {
		kind, file string
		landscape  bool
	}{
		{"pdf", "library/demodata/worksheet-kk.pdf", false},
		{"pdf", "extract/testdata/sample.pdf", false},
		{"docx", "extract/testdata/sample.docx", false},
		{"odt", "extract/testdata/sample.odt", false},
		{"rtf", "extract/testdata/sample.rtf", false},
		{"odp", "extract/testdata/sample.odp", true},
		{"doc", "preview/testdata/sample.doc", false},
		{"pptx", "preview/testdata/sample.pptx", true},
		{"xlsx", "preview/testdata/sample.xlsx", false},
		{"xls", "preview/testdata/sample.xls", false},
	}
	for _, c := range cases {
		t.Run(c.kind+"/"+filepath.Base(c.file), func(t *testing.T) {
			f := e.sniffed(testdata(t, c.file))
			if f.Kind != c.kind {
				t.Fatalf("%s sniffed as %q, want %q", c.file, f.Kind, c.kind)
			}
			if err := e.svc.Make(ctx, f); err != nil {
				t.Fatal(err)
			}
			pages := e.pages(f)
			if len(pages) == 0 {
				t.Fatalf("no page image for %s", c.file)
			}
			if len(pages) > preview.DefaultPages {
				t.Fatalf("%d pages, want at most %d", len(pages), preview.DefaultPages)
			}
			p := pages[0]
			if p.N != 1 || p.Width != preview.DefaultWidth || p.Height <= 0 || p.Height > 3*preview.DefaultWidth {
				t.Fatalf("page %+v, want page 1, %d wide", p, preview.DefaultWidth)
			}
			if c.landscape != (p.Height < p.Width) {
				t.Errorf("page %d×%d: landscape=%v expected", p.Width, p.Height, c.landscape)
			}
			img := e.readPNG(p)
			if b := img.Bounds(); b.Dx() != p.Width || b.Dy() != p.Height {
				t.Errorf("image is %v, row says %d×%d", b, p.Width, p.Height)
			}
			if n := inked(img); n < 200 {
				t.Errorf("page 1 of %s has %d dark pixels: nothing was drawn", c.file, n)
			}
			rc, err := e.svc.Open(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			buf.ReadFrom(rc)
			rc.Close()
			if sum := sha256.Sum256(buf.Bytes()); hex.EncodeToString(sum[:]) != p.SHA256 {
				t.Errorf("the image is not stored under its SHA-256")
			}
		})
	}
	if st := e.status(); st.Done != len(cases) || st.Failed != 0 {
		t.Errorf("status: %d done, %d failed; want %d done", st.Done, st.Failed, len(cases))
	}
	// Every conversion's folder is gone.
	if left, _ := os.ReadDir(e.tmp); len(left) != 0 {
		t.Errorf("conversion folders left behind: %v", left)
	}
}

// TestBlankPagesFail: a presentation LibreOffice opens but draws as white
// slides (shapes without positions, like the minimal generated sample) is
// recorded as failed, so its page shows the text preview instead of
// empty images, and nothing is left in the store.
func TestBlankPagesFail(t *testing.T) {
	needTools(t)
	e := newEnv(t, dbtest.Open(t, db.SQLite), preview.Options{})
	f := e.sniffed(testdata(t, "extract/testdata/sample.pptx"))
	if err := e.svc.Make(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	if p := e.pages(f); len(p) != 0 {
		t.Fatalf("white slides shown as pages: %+v", p)
	}
	var note string
	if err := e.d.QueryRow(context.Background(), `SELECT note FROM material_previews WHERE file_id = ? AND page = 0`, f.ID).Scan(&note); err != nil {
		t.Fatal(err)
	}
	if note != "blank" {
		t.Fatalf("outcome %q, want blank", note)
	}
}

// TestManyPagesFirstThree: a long document gets images of its first
// three pages only.
func TestManyPagesFirstThree(t *testing.T) {
	needTools(t)
	e := newEnv(t, dbtest.Open(t, db.SQLite), preview.Options{})
	var body strings.Builder
	body.WriteString(`{\rtf1\ansi\deff0{\fonttbl{\f0 DejaVu Sans;}}\f0\fs48 `)
	for i := 1; i <= 6; i++ {
		body.WriteString(`Бет ` + string(rune('0'+i)) + `\par\page `)
	}
	body.WriteString(`}`)
	f := e.put("rtf", []byte(body.String()))
	if err := e.svc.Make(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	pages := e.pages(f)
	if len(pages) != 3 {
		t.Fatalf("%d page images of a six-page document, want 3", len(pages))
	}
	for i, p := range pages {
		if p.N != i+1 {
			t.Errorf("page %d is numbered %d", i+1, p.N)
		}
	}
}

// TestOutcomes runs on both engines: image files need no tool, a damaged
// file is recorded as failed once and not tried again, the same content
// in another file reuses the images, and pages are read back in order.
func TestOutcomes(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, preview.Options{LookPath: noTools})
		ctx := context.Background()

		img := e.put("png", pngOf(t, 1200, 900))
		if err := e.svc.Make(ctx, img); err != nil {
			t.Fatal(err)
		}
		pages := e.pages(img)
		if len(pages) != 1 || pages[0].SHA256 != img.SHA256 || pages[0].Width != 1200 || pages[0].Height != 900 {
			t.Fatalf("a png is its own page, got %+v", pages)
		}

		bad := e.put("jpg", []byte("\xff\xd8\xff\xe0 not really a jpeg"))
		if err := e.svc.Make(ctx, bad); err != nil {
			t.Fatal(err)
		}
		if p := e.pages(bad); len(p) != 0 {
			t.Fatalf("a damaged jpg has pages %+v", p)
		}
		if st := e.status(); st.Done != 1 || st.Failed != 1 {
			t.Fatalf("status %+v, want 1 done and 1 failed", st)
		}
		// Tried again later: the outcome stays the first one.
		e.clock = e.clock.Add(time.Hour)
		if err := e.svc.Make(ctx, bad); err != nil {
			t.Fatal(err)
		}
		var n int
		var at int64
		if err := d.QueryRow(ctx, `SELECT COUNT(*), MAX(created_at) FROM material_previews WHERE file_id = ?`, bad.ID).Scan(&n, &at); err != nil {
			t.Fatal(err)
		}
		if n != 1 || at != e.clock.Add(-time.Hour).UnixMilli() {
			t.Fatalf("a failed file was tried again: %d rows, created %d", n, at)
		}

		// The same content in another material's file: rows copied.
		dup := img
		dup.ID = db.NewID()
		if err := e.svc.Make(ctx, dup); err != nil {
			t.Fatal(err)
		}
		if p := e.pages(dup); len(p) != 1 || p[0].SHA256 != img.SHA256 {
			t.Fatalf("the duplicate's pages: %+v", p)
		}
		if st := e.status(); st.Done != 2 || st.Failed != 1 {
			t.Fatalf("status %+v, want 2 done and 1 failed", st)
		}

		if _, err := e.svc.Page(ctx, img.ID, 2); !errors.Is(err, preview.ErrNotFound) {
			t.Fatalf("page 2 of a one-page image: %v", err)
		}
		if p, err := e.svc.Page(ctx, img.ID, 1); err != nil || p.Width != 1200 {
			t.Fatalf("page 1: %+v, %v", p, err)
		}
	})
}

// TestWithoutTools: with nothing on PATH, documents get no images and no
// outcome (so installing the tools later makes them), the status says so,
// and images still show.
func TestWithoutTools(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, preview.Options{LookPath: noTools})
		ctx := context.Background()
		st := e.status()
		if st.Tools.LibreOffice.Installed() || st.Tools.Poppler.Installed() {
			t.Fatalf("tools found on an empty PATH: %+v", st.Tools)
		}
		for _, k := range []string{"pdf", "docx", "pptx", "odt", "xlsx", "rtf", "doc"} {
			if e.svc.Can(k) {
				t.Errorf("Can(%s) without tools", k)
			}
		}
		if !e.svc.Can("jpg") || !e.svc.Can("png") || e.svc.Can("txt") || e.svc.Can("zip") {
			t.Errorf("images need no tool; txt and zip get no page images")
		}
		for _, f := range []preview.File{
			e.put("pdf", testdata(t, "library/demodata/worksheet-ru.pdf")),
			e.put("docx", testdata(t, "extract/testdata/sample.docx")),
		} {
			if err := e.svc.Make(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM material_previews`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("%d preview rows without tools, want none", n)
		}
	})
}

// TestDamagedPDF: pdftoppm refuses a damaged PDF; it is recorded as
// failed, with no image.
func TestDamagedPDF(t *testing.T) {
	needTools(t)
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, preview.Options{})
		f := e.put("pdf", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"))
		if err := e.svc.Make(context.Background(), f); err != nil {
			t.Fatal(err)
		}
		if p := e.pages(f); len(p) != 0 {
			t.Fatalf("pages of a damaged PDF: %+v", p)
		}
		if st := e.status(); st.Failed != 1 || st.Done != 0 {
			t.Fatalf("status %+v, want one failure", st)
		}
	})
}

// TestTimeoutKillsTheTool: a conversion that runs past its time is
// killed with every process it started, its folder removed, and the file
// recorded as failed.
func TestTimeoutKillsTheTool(t *testing.T) {
	needTools(t)
	e := newEnv(t, dbtest.Open(t, db.SQLite), preview.Options{Timeout: 300 * time.Millisecond})
	f := e.put("docx", testdata(t, "extract/testdata/sample.docx"))
	if err := e.svc.Make(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	var note string
	if err := e.d.QueryRow(context.Background(), `SELECT note FROM material_previews WHERE file_id = ? AND page = 0`, f.ID).Scan(&note); err != nil {
		t.Fatal(err)
	}
	if note != "timeout" {
		t.Fatalf("outcome %q, want timeout", note)
	}
	if left, _ := os.ReadDir(e.tmp); len(left) != 0 {
		t.Errorf("the conversion's folder is left: %v", left)
	}
	// No process still runs in the conversion's folder.
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, []byte(e.tmp)) {
			t.Errorf("a tool outlived its timeout: %s", bytes.ReplaceAll(b, []byte{0}, []byte{' '}))
		}
	}
}

// TestToolsVersions: Start reads the installed tools' versions.
func TestToolsVersions(t *testing.T) {
	needTools(t)
	e := newEnv(t, dbtest.Open(t, db.SQLite), preview.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.svc.Start(ctx, emptyCatalog{})
	defer e.svc.Stop()
	deadline := time.Now().Add(2 * time.Minute)
	for !e.svc.Tools().Checked {
		if time.Now().After(deadline) {
			t.Fatal("versions not read within 2 minutes")
		}
		time.Sleep(50 * time.Millisecond)
	}
	tl := e.svc.Tools()
	for _, tool := range []preview.Tool{tl.LibreOffice, tl.Poppler} {
		if !tool.Installed() || !strings.Contains(tool.Version, ".") {
			t.Errorf("%s: path %q version %q", tool.Name, tool.Path, tool.Version)
		}
	}
}

// emptyCatalog is a library with nothing published.
type emptyCatalog struct{}

func (emptyCatalog) PublishedFiles(context.Context, int64) ([]preview.File, error) { return nil, nil }
func (emptyCatalog) RecentFiles(context.Context, int64, int) ([]preview.File, error) {
	return nil, nil
}
func (emptyCatalog) ExistingFiles(context.Context, []int64) (map[int64]bool, error) {
	return map[int64]bool{}, nil
}
func (emptyCatalog) ReleaseBlob(context.Context, string) error        { return nil }
func (emptyCatalog) HoldBlob(context.Context, string) (func(), error) { return func() {}, nil }

// linkedImageDocx is a Word document whose only picture is linked, not
// embedded: opening it makes an office suite fetch url.
func linkedImageDocx(t *testing.T, url string) []byte {
	t.Helper()
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="` + url + `" TargetMode="External"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body><w:p><w:r><w:t>Сабақ жоспары</w:t></w:r></w:p><w:p><w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/><wp:docPr id="1" name="P"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="p.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="rId5"/></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="952500"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p></w:body></w:document>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestExternalLinksNotFetched: converting a document that links a
// picture from an address makes no request to it — the worker's profile
// blocks external links and, where the kernel allows, the tool has no
// network at all. A control run first converts the very same file with
// LibreOffice's default profile and the network open, and must fetch the
// picture: otherwise "not fetched" below would prove nothing (a file
// LibreOffice does not follow, a server it cannot reach).
func TestExternalLinksNotFetched(t *testing.T) {
	needTools(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.NotFound(w, r)
	}))
	defer srv.Close()
	docx := linkedImageDocx(t, srv.URL+"/leak.png")

	// Control: the protections off.
	e := newEnv(t, dbtest.Open(t, db.SQLite), preview.Options{})
	convertUnprotected(t, e.svc.Tools().LibreOffice.Path, docx)
	if hits.Load() == 0 {
		t.Fatalf("control: LibreOffice with its default profile and the network open did not fetch the linked picture, so the test below cannot tell a protected conversion from one that never fetches")
	}
	t.Logf("control: the unprotected conversion fetched the picture %d times", hits.Load())
	hits.Store(0)

	for _, isolated := range []bool{false, true} {
		e := newEnv(t, dbtest.Open(t, db.SQLite), preview.Options{})
		if isolated {
			// Start decides whether tools run in their own network namespace.
			ctx, cancel := context.WithCancel(context.Background())
			e.svc.Start(ctx, emptyCatalog{})
			for !e.svc.Tools().Checked {
				time.Sleep(20 * time.Millisecond)
			}
			t.Logf("network namespace: %v", e.svc.Tools().Isolated)
			defer func() { cancel(); e.svc.Stop() }()
		}
		f := e.sniffed(docx)
		if err := e.svc.Make(context.Background(), f); err != nil {
			t.Fatal(err)
		}
		if len(e.pages(f)) == 0 {
			t.Fatalf("the document's text page was not drawn")
		}
		if n := hits.Load(); n != 0 {
			t.Fatalf("the conversion fetched the linked picture %d times (isolated=%v)", n, isolated)
		}
	}
}

// convertUnprotected converts docx to PDF as the worker does (same
// command-line switches) but with none of its protections: a fresh
// default profile and the network of this process.
func convertUnprotected(t *testing.T, soffice string, docx []byte) {
	t.Helper()
	if soffice == "" {
		t.Fatalf("LibreOffice is not found")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.docx")
	if err := os.WriteFile(in, docx, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck",
		"--convert-to", "pdf", "--outdir", filepath.Join(dir, "pdf"), in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("control conversion: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "pdf", "in.pdf")); err != nil {
		t.Fatalf("control conversion wrote no PDF: %v", err)
	}
}

// TestStaleFoldersRemoved: folders a killed process left in the temporary
// folder are removed at start; a recent one (another process may be
// converting in it) is kept.
func TestStaleFoldersRemoved(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, db.SQLite), preview.Options{LookPath: noTools})
	stale, fresh := filepath.Join(e.tmp, "smartustaz-preview-1"), filepath.Join(e.tmp, "smartustaz-preview-2")
	for _, d := range []string{stale, fresh} {
		if err := os.MkdirAll(filepath.Join(d, "profile"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-3 * time.Hour)
	if err := os.Chtimes(stale, long, long); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.svc.Start(ctx, emptyCatalog{})
	defer e.svc.Stop()
	for !e.svc.Tools().Checked {
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a stale conversion folder is still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a recent conversion folder was removed: %v", err)
	}
}

// TestFileAskedTwiceDrawnOnce, on both engines: a file asked for twice
// at once — by its publication and by a catch-up, on two nodes that both
// draw — is one job, drawn once: the page cache hears of it once, and a
// node that starts later draws nothing again.
func TestFileAskedTwiceDrawnOnce(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var drawn atomic.Int32
		o := preview.Options{LookPath: noTools, Drawn: func(int64) { drawn.Add(1) }}
		a := newEnv(t, d, o)
		f := a.put("png", pngOf(t, 320, 200))
		f.MaterialID = db.NewID()
		b := &env{t: t, d: d, store: a.store, tmp: t.TempDir(), clock: a.clock}
		o.TempDir = b.tmp
		b.svc = preview.New(d, a.store, o)
		// Both nodes have the queue before either works it, so the two
		// requests are made while the first waits.
		qa, qb := queue(t, d, a.svc), queue(t, d, b.svc)
		for range 2 {
			if err := d.InTx(ctx, func(tx *db.Tx) error { return a.svc.EnqueueTx(ctx, tx, []preview.File{f}) }); err != nil {
				t.Fatal(err)
			}
		}
		cat := newListCatalog(f)
		for _, n := range []struct {
			e *env
			q *jobs.Queue
		}{{a, qa}, {b, qb}} {
			ctx, cancel := context.WithCancel(context.Background())
			if err := n.q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			n.e.svc.Start(ctx, cat) // each start asks for a catch-up
			t.Cleanup(func() { n.e.svc.Stop(); n.q.Stop(10 * time.Second); cancel() })
		}
		eventually(t, "the file drawn", func() bool { return len(a.pages(f)) == 1 })
		eventually(t, "the catch-ups done", func() bool { st := a.status(); return !st.CatchingUp && st.Queued == 0 && st.Converting == 0 })
		var jobsOfFile int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'preview.draw'`).Scan(&jobsOfFile); err != nil {
			t.Fatal(err)
		}
		if jobsOfFile != 1 {
			t.Errorf("%d drawing jobs for one file, want 1", jobsOfFile)
		}
		if n := drawn.Load(); n != 1 {
			t.Errorf("drawn %d times, want once", n)
		}
	})
}
