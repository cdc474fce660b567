package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
)

// The materials library's pages (issue 3): catalog, material, upload,
// edit, download, report, and the moderators' queue.

// uploadTime is how long one upload or download may take: a 50 MB file
// over a slow village line needs many minutes, far beyond the server's
// default read and write timeouts.
const uploadTime = 30 * time.Minute

// extendDeadlines gives an upload request time to arrive and its answer
// time to leave: the server's own timeouts suit small forms.
func extendDeadlines(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(uploadTime))
	rc.SetWriteDeadline(time.Now().Add(uploadTime + time.Minute))
}

// maxTextPart bounds one text field of the upload form (the description
// is at most 20,000 characters, up to 4 bytes each).
const maxTextPart = 128 << 10

// uploadLimit is the body limit of the upload forms: every file at its
// largest, plus room for the text fields.
func (s *Server) uploadLimit() int64 {
	if s.Library == nil {
		return maxBody
	}
	return s.Library.MaxFileSize()*int64(s.Library.MaxFiles()) + 1<<20
}

// isUploadPath reports whether a request is one of the upload forms,
// which alone get the larger body limit.
func isUploadPath(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	p := r.URL.Path
	if p == "/materials/new" {
		return true
	}
	rest, ok := strings.CutPrefix(p, "/materials/")
	if !ok {
		return false
	}
	id, tail, _ := strings.Cut(rest, "/")
	_, err := strconv.ParseInt(id, 10, 64)
	return err == nil && tail == "edit"
}

func viewer(r *http.Request) library.Viewer {
	u := info(r).User
	if u == nil {
		return library.Viewer{}
	}
	return library.Viewer{UserID: u.ID, Staff: staff(u.Role)}
}

func (s *Server) libMeta(r *http.Request) library.Meta {
	ri := info(r)
	return library.Meta{IP: ri.IP, UserAgent: ri.UA}
}

// pathID parses a numeric path value, or reports not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "library.notfound")
	}
	return id, nil
}

// catalogData is what the catalog page shows, every label already in the
// reader's language. A page is twenty cards and about sixty filter
// options; made in the template, their labels were function calls through
// reflection, a third of the CPU a page cost (docs/benchmarks.md).
type catalogData struct {
	Filter                             library.Filter
	Subjects, Grades, Types, Languages []option
	Sorts                              []sortLink
	Cards                              []cardView
	NextURL                            string
	// Found says how many materials matched a search text ("" without
	// one); Pages are the numbered pages of a ranked search.
	Found string
	// Narrowed is how many filters are set (their panel opens then).
	Narrowed int
	// DefaultSort is the order without "sort" in the address.
	DefaultSort library.Sort
	Pages       []pageLink
	// PrevURL is the previous numbered page ("" on the first).
	PrevURL string
	// Unfilled: no cards although nothing narrowed the list (no search
	// text, no filter, the first page), so the catalog has no material
	// at all, which is told apart from a search that found nothing.
	Unfilled bool
}

// option is one choice of a filter's select.
type option struct {
	Value, Label string
	Selected     bool
}

// sortLink is the catalog in one order.
type sortLink struct {
	URL, Label string
	Current    bool
}

// cardView is one material of a list as a reader sees it.
type cardView struct {
	ID          int64
	Path, Title string
	Meta        string // type · subject · grade · language
	AuthorID    int64
	AuthorName  string
	Views       string
	Downloads   string
	Day         string
	// Rating is the average and count ("" when nobody rated).
	Rating string
	// Snippet is the text around the matched words of a search.
	Snippet []library.Segment
	// Picture is the first page's thumbnail or the file type's icon.
	Picture thumbView
}

func termOptions(terms []library.Term, chosen string, label func(library.Term) string) []option {
	out := make([]option, 0, len(terms))
	for _, t := range terms {
		if t.Active {
			out = append(out, option{Value: t.Code, Label: label(t), Selected: t.Code == chosen})
		}
	}
	return out
}

func newCatalogData(l i18n.Lang, tax *library.Taxonomy, f library.Filter, after library.Cursor, page *library.Page) catalogData {
	d := catalogData{Filter: f,
		Subjects: termOptions(tax.Subjects, f.Subject, func(t library.Term) string { return t.NameIn(l) }),
		Grades:   termOptions(tax.Grades, f.Grade, func(t library.Term) string { return t.NameIn(l) }),
		Types:    termOptions(tax.Types, f.Type, func(t library.Term) string { return t.LabelIn(l) }),
	}
	for _, code := range library.Languages {
		d.Languages = append(d.Languages, option{Value: code, Label: i18n.T(l, "library.lang."+code), Selected: code == f.Language})
	}
	sorts := []library.Sort{library.SortNew, library.SortPopular, library.SortDownloads, library.SortRating}
	if f.Q != "" {
		sorts = append([]library.Sort{library.SortRelevance}, sorts...)
	}
	for _, s := range sorts {
		d.Sorts = append(d.Sorts, sortLink{URL: catalogURL(f, s, library.Cursor{}), Label: i18n.T(l, "library.sort."+string(s)), Current: s == f.Sort})
	}
	d.Cards = cardViews(l, tax, page.Items)
	d.DefaultSort = defaultSort(f)
	for _, v := range []string{f.Subject, f.Grade, f.Type, f.Language} {
		if v != "" {
			d.Narrowed++
		}
	}
	d.Unfilled = len(d.Cards) == 0 && after.IsZero() &&
		f.Q == "" && f.Subject == "" && f.Grade == "" && f.Type == "" && f.Language == ""
	if !page.Next.IsZero() {
		d.NextURL = catalogURL(f, f.Sort, page.Next)
	}
	return d
}

func cardViews(l i18n.Lang, tax *library.Taxonomy, cards []library.Card) []cardView {
	out := make([]cardView, len(cards))
	for i, c := range cards {
		out[i] = cardView{ID: c.ID, Path: c.Path(), Title: c.Title, AuthorID: c.AuthorID, AuthorName: c.AuthorName,
			Meta: tax.Name(library.KindType, c.Type, l) + " · " + tax.Name(library.KindSubject, c.Subject, l) + " · " +
				tax.Name(library.KindGrade, c.Grade, l) + " · " + i18n.T(l, "library.lang."+c.Language),
			Views: i18n.T(l, "library.views", c.Views), Downloads: i18n.T(l, "library.downloads", c.Downloads),
			Day: i18n.Date(l, c.PublishedAt), Rating: ratingText(l, c.Rating())}
	}
	return out
}

func catalogURL(f library.Filter, sort library.Sort, after library.Cursor) string {
	q := url.Values{}
	for k, v := range map[string]string{"subject": f.Subject, "grade": f.Grade, "type": f.Type, "language": f.Language, "q": f.Q} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if sort != defaultSort(f) {
		q.Set("sort", string(sort))
	}
	if !after.IsZero() {
		q.Set("after", after.String())
	}
	if len(q) == 0 {
		return "/materials"
	}
	return "/materials?" + q.Encode()
}

func (s *Server) catalog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := library.Filter{Subject: q.Get("subject"), Grade: q.Get("grade"), Type: q.Get("type"), Language: q.Get("language"),
		Q: strings.TrimSpace(q.Get("q"))}
	if len([]rune(f.Q)) > 200 {
		f.Q = string([]rune(f.Q)[:200])
	}
	f.Sort = defaultSort(f)
	if v := q.Get("sort"); v != "" {
		f.Sort = library.ParseSort(v)
	}
	if f.Sort == library.SortRelevance && f.Q == "" {
		f.Sort = library.SortNew
	}
	tax, err := s.Library.Taxonomy(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "library.page.catalog")
	pg.Form = q
	if f.Sort == library.SortRelevance {
		n, _ := strconv.Atoi(q.Get("page"))
		res, err := s.Library.Search(r.Context(), f, n, catalogPage)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d := searchData(pg.Lang, tax, f, res)
		s.withPictures(r.Context(), d.Cards)
		pg.Data = d
		s.render(w, r, http.StatusOK, "materials_list", pg)
		return
	}
	after := library.ParseCursor(q.Get("after"))
	page, err := s.Library.List(r.Context(), f, after, catalogPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := newCatalogData(pg.Lang, tax, f, after, page)
	s.withPictures(r.Context(), d.Cards)
	if f.Q != "" {
		n, more, err := s.Library.Count(r.Context(), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Found = foundText(pg.Lang, f.Q, n, more)
	}
	pg.Data = d
	s.render(w, r, http.StatusOK, "materials_list", pg)
}

// materialData is what the material page shows.
type materialData struct {
	M           *library.Material
	Tax         *library.Taxonomy
	Description any
	Related     []library.Card
	IsAuthor    bool
	IsStaff     bool
	Reasons     []string
	Decisions   []library.Decision
	Notice      string
	// AuthorName is the author's public display name ("" unless chosen).
	AuthorName string
	// Previews are the page images of its files (handlers_preview.go).
	Previews previewData
	// Social is the rating, comments and the reader's own choices
	// (handlers_social.go).
	Social socialData
}

func (s *Server) material(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	idPart, slug, _ := strings.Cut(ref, "-")
	id, err := strconv.ParseInt(idPart, 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound, "library.notfound")
		return
	}
	ctx := r.Context()
	m, err := s.Library.Get(ctx, id, viewer(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if slug != m.Slug {
		target := m.Path()
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	v := viewer(r)
	isAuthor := v.UserID != 0 && v.UserID == m.AuthorID
	if m.Status == library.StatusPublished && !isAuthor && !noteView(r, m.ID) {
		if err := s.Library.View(ctx, m.ID); err != nil {
			s.Log.Warn("count view", "err", err)
		}
	}
	noteMaterial(r, m)
	tax, err := s.Library.Taxonomy(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	related, err := s.Library.Related(ctx, m, 6)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, err := s.Library.DisplayNames(ctx, []int64{m.AuthorID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := materialData{M: m, Tax: tax, Description: renderMarkdown(m.Description), Related: related,
		IsAuthor: isAuthor, IsStaff: v.Staff, Reasons: library.ReportReasons, AuthorName: names[m.AuthorID]}
	if v.Staff || isAuthor {
		if d.Decisions, err = s.Library.Decisions(ctx, m.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	pg := s.newPage(r, "library.page.material")
	d.Previews = s.materialPreviews(ctx, m, pg.Lang)
	if d.Social, err = s.materialSocial(r, pg.Lang, m); err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Title = m.Title
	pg.OGType = "article"
	if pg.Description = plainSummary(m.Description); pg.Description == "" {
		pg.Description = fmt.Sprintf("%s · %s · %s", tax.Name(library.KindSubject, m.Subject, pg.Lang),
			tax.Name(library.KindGrade, m.Grade, pg.Lang), tax.Name(library.KindType, m.Type, pg.Lang))
	}
	switch done := r.URL.Query().Get("done"); done {
	case "submitted":
		pg.Notice = i18n.T(pg.Lang, "library.page.submitted")
	case "published":
		pg.Notice = i18n.T(pg.Lang, "library.page.published")
	case "saved", "unsaved", "rated", "comment_pending", "comment_published", "collected", "followed", "unfollowed":
		pg.Notice = i18n.T(pg.Lang, "social.done."+done)
	}
	pg.Data = d
	s.render(w, r, http.StatusOK, "materials_show", pg)
}

// formData is what the publish and edit form shows.
type formData struct {
	Tax      *library.Taxonomy
	Langs    []string
	Edit     *library.Material
	MaxMB    int64
	MaxBytes int64 // the same limit for the browser's check before sending
	MaxFiles int
	Accept   string
	// PublishName is the name the "publish under my name" box offers
	// (issue 13 §2): the public name when one is shown, else the
	// profile's; NameChecked is the box's state.
	PublishName string
	NameChecked bool
}

// acceptList is the file picker's hint; the server decides by content.
const acceptList = ".pdf,.doc,.docx,.ppt,.pptx,.xls,.xlsx,.odt,.odp,.rtf,.txt,.jpg,.jpeg,.png,.zip"

// publisher returns the signed-in user if they may publish (a confirmed
// address), else the error to show.
func publisher(r *http.Request) (*account.User, error) {
	u, err := user(r)
	if err != nil {
		return nil, err
	}
	if !u.EmailVerified {
		return nil, apperr.New(apperr.Forbidden, "library.author.unverified")
	}
	return u, nil
}

// unverifiedPublisher tells a teacher whose address is not confirmed yet
// why they cannot publish, where the message went, and offers to send it
// again (issue 13 §4), instead of a bare error page.
func (s *Server) unverifiedPublisher(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "details.unverified.title")
	if r.URL.Query().Get("done") == "verify-sent" {
		pg.Notice = i18n.T(pg.Lang, "web.account.done.verify-sent")
	}
	s.render(w, r, http.StatusForbidden, "materials_unverified", pg)
}

func (s *Server) formPage(r *http.Request, edit *library.Material) (*page, error) {
	tax, err := s.Library.Taxonomy(r.Context())
	if err != nil {
		return nil, err
	}
	title := "library.page.new"
	if edit != nil {
		title = "library.page.edit"
	}
	pg := s.newPage(r, title)
	fd := formData{Tax: tax, Langs: library.Languages, Edit: edit, MaxMB: s.Library.MaxFileSize() >> 20,
		MaxBytes: s.Library.MaxFileSize(), MaxFiles: s.Library.MaxFiles(), Accept: acceptList}
	if u := info(r).User; u != nil {
		p, err := s.Library.PublicProfile(r.Context(), u.ID)
		if err != nil {
			return nil, err
		}
		fd.PublishName, fd.NameChecked = p.DisplayName(), p.DisplayName() != ""
		if fd.PublishName == "" {
			fd.PublishName = u.FullName.Reveal()
		}
	}
	pg.Data = fd
	return pg, nil
}

// publishNameAfter records the "publish under my name" choice of a form
// that was accepted (the publication consent of clause 1.4), and keeps
// the box as the teacher left it when the form comes back with errors.
func (s *Server) publishNameAfter(r *http.Request, pg *page, form url.Values, accepted bool) error {
	fd, ok := pg.Data.(formData)
	if !ok {
		return nil
	}
	show := form.Get("publish_name") == "yes"
	if !accepted {
		fd.NameChecked = show
		pg.Data = fd
		return nil
	}
	var session int64
	if ss := info(r).Session; ss != nil {
		session = ss.ID
	}
	return s.Library.SetPublishName(r.Context(), info(r).User.ID, session, show, fd.PublishName)
}

func (s *Server) materialNewForm(w http.ResponseWriter, r *http.Request) {
	if _, err := publisher(r); err != nil {
		if u := info(r).User; u != nil && !u.EmailVerified {
			s.unverifiedPublisher(w, r)
			return
		}
		s.fail(w, r, err)
		return
	}
	pg, err := s.formPage(r, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Form = url.Values{"language": {string(pg.Lang)}}
	if pg.Lang == i18n.EN {
		pg.Form.Set("language", "kk")
	}
	s.render(w, r, http.StatusOK, "materials_new", pg)
}

// readUpload streams a multipart upload form: text fields are read into
// the form (each bounded), files go one by one into up as they arrive,
// never through ParseMultipartForm's memory and temporary files. The
// first refused file is returned as fileErr; the rest of the body is
// still read (files discarded) so the browser gets the answer and every
// text field can be checked.
func (s *Server) readUpload(r *http.Request, up *library.Upload) (form url.Values, fileErr error, err error) {
	return readUploadForm(r, up.Add)
}

// readUploadForm is readUpload apart from the library (the fuzz target
// drives it): add receives each file. A body that is not a well-formed
// multipart form, wherever it breaks, is a Malformed error (400, a
// sentence in the user's language); one past the body limit stays an
// *http.MaxBytesError (bodyTooLarge).
func readUploadForm(r *http.Request, add func(ctx context.Context, name string, body io.Reader) error) (form url.Values, fileErr error, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, malformedForm(r, err)
	}
	form = url.Values{}
	for fields := 0; ; {
		part, err := mr.NextPart()
		if err == io.EOF {
			return form, fileErr, nil
		}
		if err != nil {
			return form, fileErr, malformedForm(r, err)
		}
		name := part.FormName()
		// part.FileName() strips folders silently; the raw parameter is
		// kept so a path-like name is refused, not quietly trimmed.
		_, params, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		filename, isFile := params["filename"]
		body := &bodyReader{r: part}
		switch {
		case isFile && name == "files":
			if filename == "" && fileErr == nil {
				// An empty file input: the browser sends a nameless, empty part.
				io.Copy(io.Discard, body)
				break
			}
			if fileErr != nil {
				io.Copy(io.Discard, body)
				break
			}
			if err := add(r.Context(), filename, body); err != nil {
				if body.err != nil {
					// The body broke while the file was read: the sender's fault.
					return form, fileErr, malformedForm(r, body.err)
				}
				if _, ok := apperr.As(err); !ok {
					return form, fileErr, err
				}
				fileErr = err
				io.Copy(io.Discard, body)
			}
		case isFile:
			io.Copy(io.Discard, body)
		default:
			fields++
			if fields > 50 {
				return form, fileErr, apperr.New(apperr.Malformed, "library.upload.form")
			}
			b, err := io.ReadAll(io.LimitReader(body, maxTextPart+1))
			if err != nil {
				return form, fileErr, malformedForm(r, err)
			}
			if len(b) > maxTextPart {
				return form, fileErr, apperr.Field(name, "library.description.length", library.MaxDescription)
			}
			form.Add(name, string(b))
		}
		if body.err != nil {
			return form, fileErr, malformedForm(r, body.err)
		}
		part.Close()
	}
}

// bodyReader remembers the error the request body gave, so a failure
// inside the library can be told apart from a body that broke.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	return n, err
}

// malformedForm is what a body that broke is reported as: past the limit,
// still an *http.MaxBytesError; a request the client gave up, its
// context's error; anything else a malformed form.
func malformedForm(r *http.Request, err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	if ctxErr := r.Context().Err(); ctxErr != nil {
		return ctxErr
	}
	return &apperr.Error{Code: apperr.Malformed, Key: "library.upload.form", Err: err}
}

func inputOf(f url.Values) library.Input {
	return library.Input{Title: f.Get("title"), Description: f.Get("description"), Subject: f.Get("subject"),
		Grade: f.Get("grade"), Type: f.Get("type"), Language: f.Get("language"), Tags: f.Get("tags"),
		AuthorDeclaration: f.Get("author_declaration") == "yes"}
}

// uploadErrors merges a refused file with the form's other problems.
func (s *Server) uploadErrors(r *http.Request, in library.Input, files int, fileErr error) error {
	var out apperr.Fields
	if e, ok := apperr.As(fileErr); ok {
		out = append(out, e)
	}
	if err := s.Library.Check(r.Context(), in, max(files, 1)); err != nil {
		var fs apperr.Fields
		if errors.As(err, &fs) {
			out = append(out, fs...)
		}
	}
	return out
}

// bodyTooLarge turns an upload that ran past the body limit into a field
// error the form can show.
func bodyTooLarge(err error, maxMB int64, maxFiles int) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return apperr.Fields{apperr.Field("files", "library.upload.too_large", maxMB, maxFiles)}
	}
	return err
}

func (s *Server) materialCreate(w http.ResponseWriter, r *http.Request) {
	u, err := publisher(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	extendDeadlines(w)
	ctx := r.Context()
	up := s.Library.NewUpload()
	defer up.Discard(ctx)
	pg, err := s.formPage(r, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form, fileErr, err := s.readUpload(r, up)
	pg.Form = form
	if err != nil {
		s.formError(w, r, "materials_new", pg, bodyTooLarge(err, s.Library.MaxFileSize()>>20, s.Library.MaxFiles()))
		return
	}
	in := inputOf(form)
	s.publishNameAfter(r, pg, form, false)
	if fileErr != nil {
		s.formError(w, r, "materials_new", pg, s.uploadErrors(r, in, up.Len(), fileErr))
		return
	}
	m, err := s.Library.Publish(ctx, u.ID, in, up, s.libMeta(r))
	if err != nil {
		s.formError(w, r, "materials_new", pg, err)
		return
	}
	if err := s.publishNameAfter(r, pg, form, true); err != nil {
		s.fail(w, r, err)
		return
	}
	done := "submitted"
	if m.Status == library.StatusPublished {
		done = "published"
	}
	uploadDone(w, r, m.Path()+"?done="+done)
}

// uploadDone sends the author to the material's page after a publish or
// an edit. The form's script (ui/static/upload.js) sends with
// XMLHttpRequest, which would follow a 303 itself and load the page once
// for nothing (a view counted); it is told where to go instead, and goes.
func uploadDone(w http.ResponseWriter, r *http.Request, to string) {
	if r.Header.Get("X-Requested-With") == "XMLHttpRequest" {
		w.Header().Set("X-Redirect", to)
		w.WriteHeader(http.StatusOK)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// ownMaterial loads a material its signed-in author may edit.
func (s *Server) ownMaterial(r *http.Request) (*account.User, *library.Material, error) {
	u, err := publisher(r)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	m, err := s.Library.Get(r.Context(), id, library.Viewer{UserID: u.ID})
	if err != nil {
		return nil, nil, err
	}
	if m.AuthorID != u.ID {
		return nil, nil, apperr.New(apperr.NotFound, "library.notfound")
	}
	return u, m, nil
}

func materialForm(m *library.Material) url.Values {
	return url.Values{"title": {m.Title}, "description": {m.Description}, "subject": {m.Subject}, "grade": {m.Grade},
		"type": {m.Type}, "language": {m.Language}, "tags": {strings.Join(m.Tags, ", ")}}
}

func (s *Server) materialEditForm(w http.ResponseWriter, r *http.Request) {
	_, m, err := s.ownMaterial(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg, err := s.formPage(r, m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Form = materialForm(m)
	s.render(w, r, http.StatusOK, "materials_new", pg)
}

func (s *Server) materialEdit(w http.ResponseWriter, r *http.Request) {
	u, m, err := s.ownMaterial(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	extendDeadlines(w)
	ctx := r.Context()
	up := s.Library.NewUpload()
	defer up.Discard(ctx)
	pg, err := s.formPage(r, m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form, fileErr, err := s.readUpload(r, up)
	pg.Form = form
	if err != nil {
		s.formError(w, r, "materials_new", pg, bodyTooLarge(err, s.Library.MaxFileSize()>>20, s.Library.MaxFiles()))
		return
	}
	in := inputOf(form)
	s.publishNameAfter(r, pg, form, false)
	if fileErr != nil {
		s.formError(w, r, "materials_new", pg, s.uploadErrors(r, in, max(up.Len(), len(m.Files)), fileErr))
		return
	}
	m, err = s.Library.Edit(ctx, u.ID, m.ID, in, up, s.libMeta(r))
	if err != nil {
		s.formError(w, r, "materials_new", pg, err)
		return
	}
	if err := s.publishNameAfter(r, pg, form, true); err != nil {
		s.fail(w, r, err)
		return
	}
	done := "submitted"
	if m.Status == library.StatusPublished {
		done = "published"
	}
	uploadDone(w, r, m.Path()+"?done="+done)
}

func (s *Server) materialWithdraw(w http.ResponseWriter, r *http.Request) {
	u, m, err := s.ownMaterial(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Library.Withdraw(r.Context(), u.ID, m.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/materials?done=withdrawn", http.StatusSeeOther)
}

func (s *Server) myMaterials(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ms, err := s.Library.ByAuthor(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tax, err := s.Library.Taxonomy(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "library.page.mine")
	if r.URL.Query().Get("done") == "withdrawn" {
		pg.Notice = i18n.T(pg.Lang, "library.page.withdrawn")
	}
	pg.Data = struct {
		Materials []library.Material
		Tax       *library.Taxonomy
	}{ms, tax}
	s.render(w, r, http.StatusOK, "materials_mine", pg)
}

// contentDisposition names a download so every browser keeps Kazakh
// letters: the real name percent-encoded in UTF-8 in filename*= (RFC 6266,
// RFC 5987), and a transliterated ASCII name in filename= for clients
// that do not read filename*.
func contentDisposition(name, fallback string) string {
	var enc strings.Builder
	for _, b := range []byte(name) {
		// attr-char of RFC 5987: ALPHA / DIGIT / "!#$&+-.^_`|~"
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0 {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + enc.String()
}

// download serves a file of a material: as an attachment (never shown in
// the site's own origin), with the type its content was sniffed as, and
// range requests for resuming. Only a request for the start of the file
// counts as a download, so resumed parts are not counted twice.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	mid, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fid, err := pathID(r, "file")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	_, f, err := s.Library.File(ctx, mid, fid, viewer(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rc, err := s.Library.OpenFile(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer rc.Close()
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(uploadTime))
	h := w.Header()
	ct := library.ContentTypes[f.Kind]
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", contentDisposition(f.Name, library.ASCIIName(f.Name, f.Kind)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+f.SHA256+`"`)
	if r.Method == http.MethodGet && countsAsDownload(r.Header.Get("Range")) && r.Header.Get("If-None-Match") == "" {
		var uid int64
		if u := info(r).User; u != nil {
			uid = u.ID
		}
		if err := s.Library.RecordDownload(ctx, f, uid, s.libMeta(r)); err != nil {
			s.Log.Warn("record download", "err", err)
		}
	}
	http.ServeContent(w, r, "", time.Time{}, rc)
}

// countsAsDownload: a whole-file request, or a range from its first byte.
func countsAsDownload(rng string) bool {
	rng = strings.TrimSpace(rng)
	return rng == "" || strings.HasPrefix(rng, "bytes=0-")
}

// Reports are limited per client address with the login throttle
// (account.Limiter), as the certificate name check is: anyone may report,
// signed in or not, and every report lands in the staff's register with a
// legal deadline, so a script must not fill it. Every report filed counts;
// the first reportFree cost nothing (a school behind one address), then
// each blocks the address for 2, 4, 8… seconds, up to 15 minutes.
const (
	reportScope = "report_ip"
	reportFree  = 10
)

func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	in := library.ReportInput{Reason: r.PostForm.Get("reason"), Text: r.PostForm.Get("text"), Contact: r.PostForm.Get("contact"),
		Lang: info(r).Lang}
	if c, err := strconv.ParseInt(r.PostForm.Get("comment"), 10, 64); err == nil && c > 0 {
		in.CommentID = c // a report about one comment (issue 13)
	}
	if u := info(r).User; u != nil {
		in.ReporterID = u.ID
	}
	limit, ip := s.Accounts.Limiter(reportScope, reportFree), info(r).IP
	if err := limit.Check(r.Context(), ip); err != nil {
		if apperr.CodeOf(err) == apperr.TooMany {
			w.Header().Set("Retry-After", "60")
			s.renderError(w, r, http.StatusTooManyRequests, "library.report.limited")
			return
		}
		s.fail(w, r, err)
		return
	}
	deadline, err := s.Library.Report(r.Context(), id, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := limit.Fail(r.Context(), ip); err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "library.page.reported")
	pg.Notice = i18n.T(pg.Lang, "library.page.reported.p", i18n.DateTime(pg.Lang, deadline))
	s.render(w, r, http.StatusOK, "notice", pg)
}

// Moderation (staff: moderators and administrators).

func (s *Server) moderationQueue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	items, err := s.Library.Pending(ctx, 0, 0, 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reports, err := s.Library.Reports(ctx, true, 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tax, err := s.Library.Taxonomy(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	comments, err := s.Library.PendingComments(ctx, 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "library.page.moderation")
	switch done := r.URL.Query().Get("done"); done {
	case "approve", "reject", "takedown", "dismiss":
		pg.Notice = i18n.T(pg.Lang, "library.page.done."+done)
	case "comment_approve", "comment_reject", "comment_takedown":
		pg.Notice = i18n.T(pg.Lang, "social.done."+done)
	}
	pg.Data = struct {
		Items    []library.QueueItem
		Reports  []library.ReportEntry
		Tax      *library.Taxonomy
		Reasons  []string
		Comments []library.Comment
	}{items, reports, tax, library.RejectReasons, comments}
	s.render(w, r, http.StatusOK, "admin_moderation", pg)
}

func (s *Server) moderate(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := r.ParseForm(); err != nil {
			s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
			return
		}
		mod := info(r).User.ID
		reason, note := r.PostForm.Get("reason"), r.PostForm.Get("note")
		switch action {
		case "approve":
			err = s.Library.Approve(r.Context(), mod, id)
		case "reject":
			err = s.Library.Reject(r.Context(), mod, id, reason, note)
		case "takedown":
			err = s.Library.TakeDown(r.Context(), mod, id, reason, note)
		case "dismiss":
			err = s.Library.Dismiss(r.Context(), mod, id)
		}
		if err != nil {
			var fs apperr.Fields
			if errors.As(err, &fs) {
				s.renderError(w, r, http.StatusUnprocessableEntity, fs[0].Key, fs[0].Args...)
				return
			}
			s.fail(w, r, err)
			return
		}
		back := "/admin/moderation?done=" + action
		if action == "dismiss" || r.PostForm.Get("back") == "reports" {
			back = "/admin/reports?done=" + action
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
	}
}

// reportsRegister is the register of complaints (clause 3.2). The
// reporters' own words are personal data and are not on it: an
// administrator opens one through adminReportReveal (clause 1.3).
func (s *Server) reportsRegister(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	open, err := s.Library.Reports(ctx, true, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	decided, err := s.Library.Reports(ctx, false, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "library.page.reports")
	switch r.URL.Query().Get("done") {
	case "takedown", "dismiss":
		pg.Notice = i18n.T(pg.Lang, "library.page.done."+r.URL.Query().Get("done"))
	}
	pg.Data = struct {
		Open, Decided []library.ReportEntry
		Reasons       []string
		Admin         bool
	}{open, decided, library.RejectReasons, info(r).User.Role == account.RoleAdmin}
	s.render(w, r, http.StatusOK, "admin_reports", pg)
}

type adminReportData struct {
	Report   *library.ReportEntry
	Revealed bool
	Purpose  string
}

// adminReportReveal shows one reporter's words to an administrator who
// states the purpose. Like the profile reveal (adminReveal), the view is
// written to the audit log, naming the reporter, before the text is
// opened, so no view goes unrecorded (clause 1.3).
func (s *Server) adminReportReveal(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.Library.ReportByID(r.Context(), id, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &adminReportData{Report: e}
	pg := s.newPage(r, "library.report.title")
	pg.Data = d
	if !e.HasText || e.ReporterID == 0 {
		s.render(w, r, http.StatusOK, "admin_report", pg) // nothing personal to show
		return
	}
	purpose := strings.TrimSpace(r.PostFormValue("purpose"))
	if n := utf8.RuneCountInString(purpose); n < 10 || n > 500 {
		pg.Errors = map[string]string{"purpose": i18n.T(pg.Lang, "web.admin.reveal.purpose")}
		pg.Error = i18n.T(pg.Lang, "web.form.fix")
		s.render(w, r, http.StatusUnprocessableEntity, "admin_report", pg)
		return
	}
	m := s.meta(r)
	if _, err := s.Audit.Append(r.Context(), audit.Entry{ActorID: m.ActorID, ActorSessionID: m.SessionID,
		Action: audit.ActionReveal, TargetUserID: e.ReporterID, Purpose: purpose, Detail: fmt.Sprintf("report=%d text", e.ID)}); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Report, err = s.Library.ReportByID(r.Context(), id, true); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Revealed, d.Purpose = true, purpose
	s.render(w, r, http.StatusOK, "admin_report", pg)
}

func (s *Server) taxonomyEditor(w http.ResponseWriter, r *http.Request) {
	s.renderTaxonomy(w, r, http.StatusOK, nil)
}

func (s *Server) renderTaxonomy(w http.ResponseWriter, r *http.Request, status int, err error) {
	tax, terr := s.Library.Taxonomy(r.Context())
	if terr != nil {
		s.fail(w, r, terr)
		return
	}
	pg := s.newPage(r, "library.page.taxonomy")
	if r.URL.Query().Get("done") == "saved" {
		pg.Notice = i18n.T(pg.Lang, "library.page.done.saved")
	}
	pg.Data = tax
	if err != nil {
		s.formError(w, r, "admin_taxonomy", pg, err)
		return
	}
	s.render(w, r, status, "admin_taxonomy", pg)
}

func (s *Server) taxonomySave(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	f := r.PostForm
	sortOrder, _ := strconv.Atoi(f.Get("sort"))
	in := library.TermInput{Kind: library.TermKind(f.Get("kind")), Code: strings.TrimSpace(f.Get("code")),
		Name: [3]string{f.Get("name_kk"), f.Get("name_ru"), f.Get("name_en")},
		Abbr: [3]string{f.Get("abbr_kk"), f.Get("abbr_ru"), f.Get("abbr_en")},
		Sort: sortOrder, Active: f.Get("active") == "yes"}
	if err := s.Library.SaveTerm(r.Context(), in); err != nil {
		s.renderTaxonomy(w, r, http.StatusUnprocessableEntity, err)
		return
	}
	http.Redirect(w, r, "/admin/taxonomy?done=saved#"+string(in.Kind)+"-"+in.Code, http.StatusSeeOther)
}
