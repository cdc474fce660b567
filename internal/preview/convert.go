package preview

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig of jpg files
	"image/png"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// render draws the first pages of f: an image file is its own page; a PDF
// goes to pdftoppm; an office document goes to LibreOffice first.
func (s *Service) render(ctx context.Context, f File) ([]page, error) {
	if imageKinds[f.Kind] {
		return s.imagePage(ctx, f)
	}
	dir, cleanup, err := s.workdir()
	if err != nil {
		return nil, err
	}
	defer cleanup()
	in := filepath.Join(dir, "in."+f.Kind)
	if err := s.copyOut(ctx, f, in); err != nil {
		return nil, err
	}
	pdf := in
	if officeKinds[f.Kind] {
		if pdf, err = s.toPDF(ctx, dir, in); err != nil {
			return nil, err
		}
	}
	return s.toPNG(ctx, dir, pdf)
}

// imagePage reads only the header of a jpg or png for its size: the file
// itself is shown, scaled by the page's CSS, so no pixel is decoded here.
func (s *Service) imagePage(ctx context.Context, f File) ([]page, error) {
	rc, _, err := s.store.Open(ctx, f.SHA256)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.SHA256, err)
	}
	defer rc.Close()
	cfg, _, err := image.DecodeConfig(io.LimitReader(rc, 1<<20))
	if err != nil {
		return nil, failed("image", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > 1<<16 || cfg.Height > 1<<16 {
		return nil, failed("image", fmt.Errorf("size %d×%d", cfg.Width, cfg.Height))
	}
	return []page{{sha: f.SHA256, width: cfg.Width, height: cfg.Height}}, nil
}

// workdir makes a private folder for one conversion; cleanup removes it
// with everything the tools left there.
func (s *Service) workdir() (string, func(), error) {
	dir, err := os.MkdirTemp(s.o.TempDir, workPrefix)
	if err != nil {
		return "", nil, fmt.Errorf("temp dir: %w", err)
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// workPrefix names conversion folders, so removeStale finds them.
const workPrefix = "smartustaz-preview-"

// removeStale removes conversion folders a killed process left behind.
// Only folders older than an hour: a live conversion lasts at most
// Timeout, and another process may be converting in the same place.
func (s *Service) removeStale() {
	dir := s.o.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	old, _ := filepath.Glob(filepath.Join(dir, workPrefix+"*"))
	for _, p := range old {
		if st, err := os.Lstat(p); err == nil && st.IsDir() && time.Since(st.ModTime()) > max(time.Hour, 2*s.o.Timeout) {
			os.RemoveAll(p)
		}
	}
}

// copyOut writes the stored file to path for a tool to read. The name is
// ours ("in.docx"), never the uploader's.
func (s *Service) copyOut(ctx context.Context, f File, path string) error {
	rc, _, err := s.store.Open(ctx, f.SHA256)
	if err != nil {
		return fmt.Errorf("open %s: %w", f.SHA256, err)
	}
	defer rc.Close()
	w, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("copy out: %w", err)
	}
	n, err := io.Copy(w, io.LimitReader(rc, maxInput+1))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("copy out: %w", err)
	}
	if n > maxInput {
		return failed("too_large", fmt.Errorf("%d bytes", n))
	}
	return nil
}

// profileSettings hardens LibreOffice's private profile: links to
// external resources (an image at http://…) are not followed, and no
// macro runs. Without the first, converting a crafted document makes the
// server fetch any address it names (tried: LibreOffice 7.4 fetched an
// externally linked image during --convert-to).
const profileSettings = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
`

// toPDF converts an office document with LibreOffice, in a profile of its
// own (so conversions never share state or lock each other out).
func (s *Service) toPDF(ctx context.Context, dir, in string) (string, error) {
	profile := filepath.Join(dir, "profile")
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o700); err != nil {
		return "", fmt.Errorf("profile: %w", err)
	}
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(profileSettings), 0o600); err != nil {
		return "", fmt.Errorf("profile: %w", err)
	}
	outDir := filepath.Join(dir, "pdf")
	t := s.Tools()
	if _, err := s.tool(ctx, dir, t.LibreOffice.Path,
		"-env:UserInstallation="+(&url.URL{Scheme: "file", Path: profile}).String(),
		"--headless", "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck",
		"--convert-to", "pdf", "--outdir", outDir, in); err != nil {
		return "", err
	}
	pdf := filepath.Join(outDir, strings.TrimSuffix(filepath.Base(in), filepath.Ext(in))+".pdf")
	st, err := os.Stat(pdf)
	if err != nil {
		// LibreOffice says nothing and exits 0 when it cannot read a file.
		return "", failed("convert", errors.New("LibreOffice wrote no PDF"))
	}
	if st.Size() > maxPDF {
		return "", failed("too_large", fmt.Errorf("PDF of %d bytes", st.Size()))
	}
	return pdf, nil
}

// toPNG draws the first pages of a PDF with pdftoppm, Width pixels wide
// and at most heightFactor × Width tall (a crop, so a freak page size
// cannot make a huge image).
func (s *Service) toPNG(ctx context.Context, dir, pdf string) ([]page, error) {
	outDir := filepath.Join(dir, "png")
	if err := os.Mkdir(outDir, 0o700); err != nil {
		return nil, fmt.Errorf("png dir: %w", err)
	}
	w := strconv.Itoa(s.o.Width)
	t := s.Tools()
	if _, err := s.tool(ctx, dir, t.Poppler.Path, "-png", "-f", "1", "-l", strconv.Itoa(s.o.Pages),
		"-scale-to-x", w, "-scale-to-y", "-1", "-W", w, "-H", strconv.Itoa(heightFactor*s.o.Width),
		pdf, filepath.Join(outDir, "page")); err != nil {
		return nil, err
	}
	names, err := pageFiles(outDir)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, failed("render", errors.New("no page drawn"))
	}
	var drawn [][]byte
	var pages []page
	anyInk := false
	for _, name := range names[:min(len(names), s.o.Pages)] {
		b, p, ink, err := s.readPNG(name)
		if err != nil {
			return nil, err
		}
		drawn, pages, anyInk = append(drawn, b), append(pages, p), anyInk || ink
	}
	if !anyInk {
		// White pages (a document LibreOffice could open but not lay out,
		// such as a slide whose shapes have no position) would show less
		// than the text preview does.
		return nil, failed("blank", errors.New("every page is blank"))
	}
	for i, b := range drawn {
		sha, release, err := s.storePage(ctx, b)
		if err != nil {
			releasePages(pages)
			return nil, fmt.Errorf("store page: %w", err)
		}
		pages[i].sha, pages[i].release = sha, release
	}
	return pages, nil
}

// storePage stores one page image, held (Catalog.HoldBlob) from before
// it is stored; a stored image whose rows are never written is collected
// by the library's janitor.
func (s *Service) storePage(ctx context.Context, b []byte) (string, func(), error) {
	st, err := s.store.Stage(ctx, bytes.NewReader(b), maxPNG)
	if err != nil {
		return "", nil, err
	}
	defer st.Close()
	release := func() {}
	if s.catalog != nil {
		if release, err = s.catalog.HoldBlob(ctx, st.SHA256); err != nil {
			return "", nil, err
		}
	}
	if err := st.Commit(ctx); err != nil {
		release()
		return "", nil, err
	}
	return st.SHA256, release, nil
}

// pageFiles lists pdftoppm's page-N.png (N zero-padded to the page
// count's width) in page order.
func pageFiles(dir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if err != nil {
		return nil, err
	}
	num := func(p string) int {
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), "page-"), ".png"))
		return n
	}
	sort.Slice(matches, func(i, j int) bool { return num(matches[i]) < num(matches[j]) })
	return matches, nil
}

// readPNG reads a drawn page, checks that it is a PNG of bounded size,
// and tells whether anything is drawn on it (a pixel that is not white).
func (s *Service) readPNG(name string) ([]byte, page, bool, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, page{}, false, fmt.Errorf("page: %w", err)
	}
	if st.Size() > maxPNG {
		return nil, page{}, false, failed("too_large", fmt.Errorf("page of %d bytes", st.Size()))
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, page{}, false, fmt.Errorf("page: %w", err)
	}
	// The size is checked from the header before any pixel is decoded.
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, page{}, false, failed("render", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > s.o.Width || cfg.Height > heightFactor*s.o.Width {
		return nil, page{}, false, failed("render", fmt.Errorf("page of %d×%d", cfg.Width, cfg.Height))
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, page{}, false, failed("render", err)
	}
	return b, page{width: cfg.Width, height: cfg.Height}, inked(img), nil
}

// inked reports whether any pixel is visibly not white.
func inked(img image.Image) bool {
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr < 0xf000 || cg < 0xf000 || cb < 0xf000 {
				return true
			}
		}
	}
	return false
}

// tool runs one program for a conversion, bounded by Timeout; a program
// that fails or runs out of time is the file's failure.
func (s *Service) tool(ctx context.Context, dir, path string, args ...string) (string, error) {
	rctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	out, err := run(rctx, dir, s.Tools().Isolated, path, args...)
	switch {
	case err == nil:
		return out, nil
	case ctx.Err() != nil:
		return "", ctx.Err()
	case rctx.Err() != nil:
		return "", failed("timeout", fmt.Errorf("%s: no result in %s", filepath.Base(path), s.o.Timeout))
	case isStartError(err):
		return "", fmt.Errorf("start %s: %w", filepath.Base(path), err)
	}
	return "", failed("convert", fmt.Errorf("%s: %w: %s", filepath.Base(path), err, lastLine(out)))
}

// lastLine is the last line a tool printed, for the log: the tools print
// paths of our temporary folder and page counts, never document text.
func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// childEnv is all a tool gets: no variable of ours (the keyring may be in
// SMARTUSTAZ_KEYRING, storage keys in AWS_*) reaches it. HOME and TMPDIR
// point into the conversion's folder, so whatever it writes is removed.
func childEnv(dir string) []string {
	return []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + dir, "TMPDIR=" + dir,
		"LANG=C.UTF-8", "LC_ALL=C.UTF-8", "SAL_USE_VCLPLUGIN=svp"}
}

// startError is a program that could not be started at all.
type startError struct{ err error }

func (e *startError) Error() string { return e.err.Error() }
func (e *startError) Unwrap() error { return e.err }

func isStartError(err error) bool {
	var se *startError
	return errors.As(err, &se)
}

// run starts a program without a shell, in dir, with childEnv, its
// output capped, and kills its whole process group when ctx ends and
// again after it exits (LibreOffice's helpers must not outlive it).
func run(ctx context.Context, dir string, isolated bool, path string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = dir
	cmd.Env = childEnv(dir)
	out := &capped{max: 16 << 10}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr(isolated)
	cmd.Cancel = func() error {
		killGroup(cmd.Process)
		return nil
	}
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		return "", &startError{err}
	}
	err := cmd.Wait()
	killGroup(cmd.Process)
	if ctx.Err() != nil {
		return out.String(), ctx.Err()
	}
	return out.String(), err
}

// capped keeps the first max bytes written to it and drops the rest, so
// a chatty tool cannot fill memory.
type capped struct {
	buf bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) String() string { return c.buf.String() }
