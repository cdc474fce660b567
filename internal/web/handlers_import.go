package web

// Importing users from another site (issue 11, clause 1.2 (b)):
// administrators upload a file, see the first rows mapped, run it as a
// background job and read the saved reports.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/importer"
)

// previewRows is how many rows the preview shows.
const previewRows = 10

// importData is what the import pages show.
type importData struct {
	Batches []*importer.Batch
	Batch   *importer.Batch
	Preview []importer.PreviewRow
	Fields  []string
}

func (s *Server) importEnabled(w http.ResponseWriter, r *http.Request) bool {
	if s.Import == nil {
		s.renderError(w, r, http.StatusNotFound, "library.notfound")
		return false
	}
	return true
}

// adminImport is the upload form and the list of past imports.
func (s *Server) adminImport(w http.ResponseWriter, r *http.Request) {
	if !s.importEnabled(w, r) {
		return
	}
	s.renderImportForm(w, r, s.newPage(r, "import.title"), http.StatusOK)
}

func (s *Server) renderImportForm(w http.ResponseWriter, r *http.Request, pg *page, status int) {
	list, err := s.Import.Batches(r.Context(), 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Data = importData{Batches: list}
	s.render(w, r, status, "admin_import", pg)
}

// importUpload is the upload form as read: its fields and the file, in
// memory only (never a temporary file: it is personal data in plaintext).
type importUpload struct {
	source, encoding, onConflict, name string
	data                               []byte
}

// readImportUpload reads the multipart form part by part, so the file is
// never spilled to disk as ParseMultipartForm would for a large one.
func readImportUpload(r *http.Request) (*importUpload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, apperr.New(apperr.Malformed, "web.error.badform")
	}
	u := &importUpload{}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, uploadErr(err)
		}
		switch p.FormName() {
		case "file":
			u.name = p.FileName()
			u.data, err = io.ReadAll(io.LimitReader(p, importer.MaxUpload+1))
			if err != nil {
				return nil, uploadErr(err)
			}
			if len(u.data) > importer.MaxUpload {
				return nil, apperr.Field("file", "import.file.too_big")
			}
		case "source", "encoding", "on_conflict":
			v, err := io.ReadAll(io.LimitReader(p, 1024))
			if err != nil {
				return nil, uploadErr(err)
			}
			switch p.FormName() {
			case "source":
				u.source = strings.TrimSpace(string(v))
			case "encoding":
				u.encoding = string(v)
			case "on_conflict":
				u.onConflict = string(v)
			}
		}
		p.Close()
	}
	if len(u.data) == 0 {
		return nil, apperr.Field("file", "import.file.required")
	}
	return u, nil
}

func uploadErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return apperr.Field("file", "import.file.too_big")
	}
	if errors.Is(err, multipart.ErrMessageTooLarge) {
		return apperr.Field("file", "import.file.too_big")
	}
	return apperr.New(apperr.Malformed, "web.error.badform")
}

// adminImportUpload keeps the uploaded file (sealed) and shows the first
// rows as the import will take them. The values are shown to this
// administrator on this page only and never logged.
func (s *Server) adminImportUpload(w http.ResponseWriter, r *http.Request) {
	if !s.importEnabled(w, r) {
		return
	}
	pg := s.newPage(r, "import.title")
	up, err := readImportUpload(r)
	if err != nil {
		s.importFormError(w, r, pg, err)
		return
	}
	switch up.encoding {
	case importer.EncodingUTF8, importer.EncodingWindows1251:
	default:
		up.encoding = ""
	}
	format := importer.FormatOf(up.name)
	src, err := importer.OpenFile(bytes.NewReader(up.data), int64(len(up.data)), format, up.encoding)
	var preview []importer.PreviewRow
	if err == nil {
		preview, err = importer.Preview(src, previewRows)
	}
	if err != nil {
		s.importFormError(w, r, pg, apperr.Field("file", "import.file.invalid"))
		return
	}
	source := up.source
	if source == "" {
		source = up.name
	}
	id, err := s.Import.Upload(r.Context(), up.data, importer.Options{Source: source, Format: format, Encoding: up.encoding,
		OnConflict: up.onConflict, ActorID: info(r).User.ID})
	if err != nil {
		s.importFormError(w, r, pg, err)
		return
	}
	b, err := s.Import.Batch(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Data = importData{Batch: b, Preview: preview, Fields: importer.Fields[:]}
	s.render(w, r, http.StatusOK, "admin_import_preview", pg)
}

func (s *Server) importFormError(w http.ResponseWriter, r *http.Request, pg *page, err error) {
	list, lerr := s.Import.Batches(r.Context(), 50)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	pg.Data = importData{Batches: list}
	s.formError(w, r, "admin_import", pg, err)
}

func (s *Server) importBatch(w http.ResponseWriter, r *http.Request) (*importer.Batch, bool) {
	if !s.importEnabled(w, r) {
		return nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "library.notfound")
		return nil, false
	}
	b, err := s.Import.Batch(r.Context(), id)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "library.notfound")
		return nil, false
	}
	return b, true
}

// adminImportRun queues the import of an uploaded file.
func (s *Server) adminImportRun(w http.ResponseWriter, r *http.Request) {
	b, ok := s.importBatch(w, r)
	if !ok {
		return
	}
	if err := s.Import.Start(r.Context(), b.ID); err != nil && apperr.CodeOf(err) != apperr.Conflict {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/import/%d", b.ID), http.StatusSeeOther)
}

// adminImportInvite queues the invitation of a batch's users.
func (s *Server) adminImportInvite(w http.ResponseWriter, r *http.Request) {
	b, ok := s.importBatch(w, r)
	if !ok {
		return
	}
	if err := s.Import.Invite(r.Context(), b.ID); err != nil && apperr.CodeOf(err) != apperr.Conflict {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/import/%d", b.ID), http.StatusSeeOther)
}

// adminImportShow is one import: its progress while it runs (a script
// polls the status fragment; without JavaScript the page reloads itself
// through a meta refresh in <noscript>), then its report and the
// invitation.
func (s *Server) adminImportShow(w http.ResponseWriter, r *http.Request) {
	b, ok := s.importBatch(w, r)
	if !ok {
		return
	}
	pg := s.newPage(r, "import.title")
	pg.Title = i18n.T(pg.Lang, "import.batch.title", b.ID)
	pg.Data = importData{Batch: b}
	s.render(w, r, http.StatusOK, "admin_import_batch", pg)
}

// adminImportStatus is the progress alone, an HTML fragment for the
// page's script that polls it (opened on its own, it refreshes itself).
func (s *Server) adminImportStatus(w http.ResponseWriter, r *http.Request) {
	b, ok := s.importBatch(w, r)
	if !ok {
		return
	}
	if b.Running() || b.Inviting() {
		w.Header().Set("Refresh", "2")
	}
	pg := s.newPage(r, "import.title")
	pg.Data = importData{Batch: b}
	var buf bytes.Buffer
	if err := s.tmpl["admin_import_batch"].ExecuteTemplate(&buf, "import_status", pg); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
