package preview

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Tool is an external program the previews use.
type Tool struct {
	// Name is the program looked for on PATH (soffice, pdftoppm).
	Name string
	// Path is where it was found; "" when it is not installed.
	Path string
	// Version is what the program says it is ("" until Start has asked,
	// or when it would not say).
	Version string
}

// Installed reports whether the program was found.
func (t Tool) Installed() bool { return t.Path != "" }

// Tools is what is installed.
type Tools struct {
	// LibreOffice converts office documents to PDF (soffice).
	LibreOffice Tool
	// Poppler draws PDF pages as images (pdftoppm).
	Poppler Tool
	// Isolated reports whether conversions run without network access (a
	// private network namespace; Linux, where the kernel allows it).
	Isolated bool
	// Checked reports whether the versions and the isolation have been
	// checked yet (Start does it in the background).
	Checked bool
	// Off: page images are turned off in the settings, and the tools
	// were not looked for.
	Off bool
}

// Tools returns what is installed.
func (s *Service) Tools() Tools {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tools
}

func findTools(lookPath func(string) (string, error)) Tools {
	t := Tools{LibreOffice: Tool{Name: "soffice"}, Poppler: Tool{Name: "pdftoppm"}}
	if p, err := lookPath(t.LibreOffice.Name); err == nil {
		t.LibreOffice.Path = p
	}
	if p, err := lookPath(t.Poppler.Name); err == nil {
		t.Poppler.Path = p
	}
	return t
}

// versionRe picks a version number out of a program's banner
// ("LibreOffice 7.4.7.2 40(Build:2)", "pdftoppm version 22.12.0").
var versionRe = regexp.MustCompile(`\d+(\.\d+)+`)

// detectVersions asks each installed tool its version (soffice takes a
// second or two, so it is not done in New), and learns whether tools can
// be started in a private network namespace: the first run tries it, and
// a refusal (a kernel without unprivileged user namespaces) makes every
// later run go without.
func (s *Service) detectVersions(ctx context.Context) {
	t := s.Tools()
	isolated := canIsolate()
	ask := func(tool *Tool, args ...string) {
		if !tool.Installed() {
			return
		}
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		dir, cleanup, err := s.workdir()
		if err != nil {
			return
		}
		defer cleanup()
		out, err := run(ctx, dir, isolated, tool.Path, args...)
		if isolated && isStartError(err) {
			isolated = false
			out, err = run(ctx, dir, false, tool.Path, args...)
		}
		if err == nil {
			tool.Version = versionRe.FindString(strings.TrimSpace(out))
		}
	}
	ask(&t.Poppler, "-v")
	ask(&t.LibreOffice, "--version")
	if !t.Poppler.Installed() && !t.LibreOffice.Installed() {
		isolated = false
	}
	t.Isolated, t.Checked = isolated, true
	s.mu.Lock()
	s.tools = t
	s.mu.Unlock()
}
