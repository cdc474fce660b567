package web

// The habits of the big portals (issue 13 §3): save, collect, rate and
// comment, follow, the inbox, the download history and the digest's
// one-click unsubscribe. Every handler makes one call into the library.

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
)

// socialData is what the material page shows of a reader's own choices
// and of the material's comments.
type socialData struct {
	Rating      library.Rating
	RatingText  string
	Comments    []library.Comment
	Saved       bool
	MyStars     int
	Following   bool
	Collections []library.Collection
	Stars       []int
	// Moderated: comments wait for a moderator (the form says so).
	Moderated bool
}

// materialSocial fills socialData for the material page; what belongs to
// the reader only when one is signed in (the anonymous page is cached).
func (s *Server) materialSocial(r *http.Request, l i18n.Lang, m *library.Material) (socialData, error) {
	ctx := r.Context()
	d := socialData{Stars: []int{5, 4, 3, 2, 1}, Moderated: !s.Library.PublishesImmediately()}
	var err error
	if d.Rating, err = s.Library.MaterialRating(ctx, m.ID); err != nil {
		return d, err
	}
	d.RatingText = ratingText(l, d.Rating)
	if d.Comments, err = s.Library.Comments(ctx, m.ID); err != nil {
		return d, err
	}
	ri := info(r)
	if ri.User == nil || ri.Holes != "" || m.Status != library.StatusPublished {
		return d, nil // a page for a class of readers: the page cache adds this part
	}
	err = s.personalSocial(ctx, ri.User, m, &d)
	return d, err
}

// ratingText is a rating as a card shows it ("" when nobody rated).
func ratingText(l i18n.Lang, r library.Rating) string {
	if r.Count == 0 {
		return ""
	}
	return i18n.T(l, "social.rating.short", fmt.Sprintf("%.1f", r.Average()), r.Count)
}

// back is where a form on the material page returns: the material.
func (s *Server) backToMaterial(w http.ResponseWriter, r *http.Request, id int64, done string) {
	m, err := s.Library.Get(r.Context(), id, viewer(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, m.Path()+"?done="+done, http.StatusSeeOther)
}

func (s *Server) favouriteToggle(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	saved, err := s.Library.ToggleFavourite(r.Context(), u.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	done := "unsaved"
	if saved {
		done = "saved"
	}
	s.backToMaterial(w, r, id, done)
}

func (s *Server) rate(w http.ResponseWriter, r *http.Request) {
	u, id, ok := s.signedForm(w, r)
	if !ok {
		return
	}
	stars, _ := strconv.Atoi(r.PostForm.Get("stars"))
	status, err := s.Library.Rate(r.Context(), u.ID, id, stars, r.PostForm.Get("comment"))
	if err != nil {
		var fs apperr.Fields
		if errors.As(err, &fs) {
			s.renderError(w, r, http.StatusUnprocessableEntity, fs[0].Key, fs[0].Args...)
			return
		}
		s.fail(w, r, err)
		return
	}
	done := "rated"
	switch status {
	case library.CommentPending:
		done = "comment_pending"
	case library.CommentPublished:
		done = "comment_published"
	}
	s.backToMaterial(w, r, id, done)
}

// collect adds the material to one of the reader's collections, or
// removes it (remove=yes).
func (s *Server) collect(w http.ResponseWriter, r *http.Request) {
	u, id, ok := s.signedForm(w, r)
	if !ok {
		return
	}
	coll, err := strconv.ParseInt(r.PostForm.Get("collection"), 10, 64)
	if err != nil || coll <= 0 {
		s.renderError(w, r, http.StatusUnprocessableEntity, "social.collection.choose")
		return
	}
	remove := r.PostForm.Get("remove") == "yes"
	if err := s.Library.CollectionItem(r.Context(), u.ID, coll, id, remove); err != nil {
		s.fail(w, r, err)
		return
	}
	if remove {
		http.Redirect(w, r, "/collections/"+strconv.FormatInt(coll, 10)+"?done=removed", http.StatusSeeOther)
		return
	}
	s.backToMaterial(w, r, id, "collected")
}

func (s *Server) collectionCreate(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	id, err := s.Library.CreateCollection(r.Context(), u.ID, r.PostForm.Get("title"), r.PostForm.Get("public") == "yes")
	if err != nil {
		pg, perr := s.savedPage(r)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		pg.Form = formValues(r.PostForm)
		s.formError(w, r, "social_saved", pg, err)
		return
	}
	http.Redirect(w, r, "/collections/"+strconv.FormatInt(id, 10)+"?done=created", http.StatusSeeOther)
}

func (s *Server) collection(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg, c, err := s.collectionPage(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	switch done := r.URL.Query().Get("done"); done {
	case "created", "removed", "collection_updated":
		pg.Notice = i18n.T(pg.Lang, "social.done."+done)
	}
	pg.Form = collectionForm(c)
	s.render(w, r, http.StatusOK, "social_collection", pg)
}

// collectionPage is /collections/{id} as the signed-in viewer (if any)
// sees it: a private collection is not found unless it is theirs.
func (s *Server) collectionPage(r *http.Request, id int64) (*page, *library.Collection, error) {
	var viewerID int64
	if u := info(r).User; u != nil {
		viewerID = u.ID
	}
	c, err := s.Library.GetCollection(r.Context(), id, viewerID)
	if err != nil {
		return nil, nil, err
	}
	tax, err := s.Library.Taxonomy(r.Context())
	if err != nil {
		return nil, nil, err
	}
	pg := s.newPage(r, "social.collection.title")
	pg.Title = c.Title
	pg.Data = struct {
		C     *library.Collection
		Cards []cardView
		Mine  bool
		Max   int
	}{c, cardViews(pg.Lang, tax, c.Items), viewerID != 0 && viewerID == c.OwnerID, library.MaxCollectionTitle}
	return pg, c, nil
}

// collectionForm fills the owner's edit form with the collection as it is.
func collectionForm(c *library.Collection) url.Values {
	f := url.Values{"title": {c.Title}}
	if c.Public {
		f.Set("public", "yes")
	}
	return f
}

// collectionUpdate renames the owner's collection and sets whether it is
// public (issue 13 §3). A bad name shows the page again with the message
// and what was typed; someone else's collection is not found.
func (s *Server) collectionUpdate(w http.ResponseWriter, r *http.Request) {
	u, id, ok := s.signedForm(w, r)
	if !ok {
		return
	}
	err := s.Library.UpdateCollection(r.Context(), u.ID, id, r.PostForm.Get("title"), r.PostForm.Get("public") == "yes")
	if err != nil {
		if _, ok := apperr.As(err); !ok || apperr.CodeOf(err) != apperr.Invalid {
			s.fail(w, r, err)
			return
		}
		pg, _, perr := s.collectionPage(r, id)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		pg.Form = formValues(r.PostForm)
		s.formError(w, r, "social_collection", pg, err)
		return
	}
	http.Redirect(w, r, "/collections/"+strconv.FormatInt(id, 10)+"?done=collection_updated", http.StatusSeeOther)
}

// collectionDelete deletes the owner's collection (the materials stay).
func (s *Server) collectionDelete(w http.ResponseWriter, r *http.Request) {
	u, id, ok := s.signedForm(w, r)
	if !ok {
		return
	}
	// A deletion cannot be undone: the form asks for a tick first (the
	// browser asks too, but a form posted without it is refused here).
	if r.PostForm.Get("confirm") != "yes" {
		pg, c, err := s.collectionPage(r, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if c.OwnerID != u.ID {
			s.fail(w, r, apperr.New(apperr.NotFound, "web.error.notfound"))
			return
		}
		pg.Form = collectionForm(c)
		s.formError(w, r, "social_collection", pg, apperr.Field("confirm", "social.collection.delete.confirm_required"))
		return
	}
	if err := s.Library.DeleteCollection(r.Context(), u.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/saved?done=collection_deleted", http.StatusSeeOther)
}

func (s *Server) followToggle(w http.ResponseWriter, r *http.Request) {
	u, id, ok := s.signedForm(w, r)
	if !ok {
		return
	}
	following, err := s.Library.ToggleFollow(r.Context(), u.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	done := "unfollowed"
	if following {
		done = "followed"
	}
	// From a material page the reader goes back to it.
	if mid, err := strconv.ParseInt(r.PostForm.Get("material"), 10, 64); err == nil && mid > 0 {
		s.backToMaterial(w, r, mid, done)
		return
	}
	http.Redirect(w, r, "/authors/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
}

// savedPage is /account/saved: favourites, collections, followed authors.
func (s *Server) savedPage(r *http.Request) (*page, error) {
	u, err := user(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	favs, err := s.Library.Favourites(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	cols, err := s.Library.Collections(ctx, u.ID, false)
	if err != nil {
		return nil, err
	}
	follows, err := s.Library.Following(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	tax, err := s.Library.Taxonomy(ctx)
	if err != nil {
		return nil, err
	}
	pg := s.newPage(r, "social.saved.title")
	pg.Data = struct {
		Favourites  []cardView
		Collections []library.Collection
		Following   []library.Followed
		Max         int
	}{cardViews(pg.Lang, tax, favs), cols, follows, library.MaxCollectionTitle}
	return pg, nil
}

func (s *Server) saved(w http.ResponseWriter, r *http.Request) {
	pg, err := s.savedPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("done") == "collection_deleted" {
		pg.Notice = i18n.T(pg.Lang, "social.done.collection_deleted")
	}
	s.render(w, r, http.StatusOK, "social_saved", pg)
}

// inboxPage is /account/notifications: the inbox and the digest choice.
func (s *Server) inboxPage(r *http.Request) (*page, error) {
	u, err := user(r)
	if err != nil {
		return nil, err
	}
	ns, err := s.Library.Notifications(r.Context(), u.ID, 100)
	if err != nil {
		return nil, err
	}
	freq, err := s.Library.DigestFrequency(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	pg := s.newPage(r, "social.inbox.title")
	pg.Data = struct {
		Items       []library.Notification
		Frequency   string
		Frequencies []string
	}{ns, freq, library.DigestFrequencies}
	return pg, nil
}

func (s *Server) notifications(w http.ResponseWriter, r *http.Request) {
	pg, err := s.inboxPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("done") == "digest" {
		pg.Notice = i18n.T(pg.Lang, "social.digest.saved")
	}
	s.render(w, r, http.StatusOK, "social_inbox", pg)
}

func (s *Server) digestSave(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	if err := s.Library.SetDigestFrequency(r.Context(), u.ID, r.PostForm.Get("frequency")); err != nil {
		pg, perr := s.inboxPage(r)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "social_inbox", pg, err)
		return
	}
	http.Redirect(w, r, "/account/notifications?done=digest", http.StatusSeeOther)
}

func (s *Server) downloads(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ds, err := s.Library.Downloads(r.Context(), u.ID, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "social.downloads.title")
	pg.Data = ds
	s.render(w, r, http.StatusOK, "social_downloads", pg)
}

// unsubscribeForm is the page the digest's link opens: a button, so a
// mail scanner that follows links turns nothing off; mail programs use
// the one-click POST (RFC 8058) to the same address.
func (s *Server) unsubscribeForm(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "social.unsubscribe.title")
	pg.Data = struct{ U, T string }{r.URL.Query().Get("u"), r.URL.Query().Get("t")}
	s.render(w, r, http.StatusOK, "social_unsubscribe", pg)
}

func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	// The one-click POST carries u and t in the link's query; the page's
	// form sends them in the body.
	get := func(k string) string {
		if v := r.PostForm.Get(k); v != "" {
			return v
		}
		return r.URL.Query().Get(k)
	}
	uid, _ := strconv.ParseInt(get("u"), 10, 64)
	if err := s.Library.UnsubscribeDigest(r.Context(), uid, get("t")); err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "social.unsubscribe.title")
	pg.Notice = i18n.T(pg.Lang, "social.unsubscribe.done")
	s.render(w, r, http.StatusOK, "notice", pg)
}

// moderateComment approves, rejects or takes down a comment.
func (s *Server) moderateComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	action := r.PathValue("action")
	if _, err := s.Library.ModerateComment(r.Context(), info(r).User.ID, id, action, r.PostForm.Get("reason")); err != nil {
		s.fail(w, r, err)
		return
	}
	back := "/admin/moderation?done=comment_" + action
	if r.PostForm.Get("back") == "reports" {
		back = "/admin/reports?done=takedown"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// signedForm is the start of every signed-in form about one thing named
// by {id} in the path: the user, the id and the parsed form, or the
// answer already written (a visitor, an id that names nothing, a form
// that cannot be read) and false.
func (s *Server) signedForm(w http.ResponseWriter, r *http.Request) (*account.User, int64, bool) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, 0, false
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return nil, 0, false
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return nil, 0, false
	}
	return u, id, true
}
