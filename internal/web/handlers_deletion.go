package web

// Account deletion (issue 12 §2): by the user on /account/delete, with
// their choice about their published materials, and by an administrator
// on a registered deletion request, which tells the user by email before
// their address is destroyed.

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// Values of the materials choice on both deletion forms.
const (
	materialsKeep     = "keep"
	materialsWithdraw = "withdraw"
)

// deleteData is what the delete page shows: how many materials the
// choice concerns.
type deleteData struct {
	Materials int
}

// materialsChoice reads the form's choice; keeping the materials public
// without the name is the default, as it changes nothing anyone else
// relies on.
func materialsChoice(r *http.Request) (withdraw bool, err error) {
	switch r.PostFormValue("materials") {
	case "", materialsKeep:
		return false, nil
	case materialsWithdraw:
		return true, nil
	}
	return false, apperr.Field("materials", "deletion.materials.bad")
}

// countMaterials is how many materials u has in the catalog or waiting.
func (s *Server) countMaterials(ctx context.Context, userID int64) (int, error) {
	if s.Library == nil {
		return 0, nil
	}
	ms, err := s.Library.ByAuthor(ctx, userID)
	n := 0
	for _, m := range ms {
		if m.Status != library.StatusWithdrawn {
			n++
		}
	}
	return n, err
}

func (s *Server) deletePage(w http.ResponseWriter, r *http.Request, pg *page, status int, err error) {
	u, uerr := user(r)
	if uerr != nil {
		s.fail(w, r, uerr)
		return
	}
	n, cerr := s.countMaterials(r.Context(), u.ID)
	if cerr != nil {
		s.fail(w, r, cerr)
		return
	}
	pg.Data = deleteData{Materials: n}
	if err != nil {
		pg.Form = r.PostForm
		s.formError(w, r, "delete", pg, err)
		return
	}
	s.render(w, r, status, "delete", pg)
}

func (s *Server) deleteForm(w http.ResponseWriter, r *http.Request) {
	s.deletePage(w, r, s.newPage(r, "web.delete.title"), http.StatusOK, nil)
}

// deleteAccount erases the user's personal data by destroying their data
// key (crypto-shredding), after they confirm with their password, and
// applies their choice about their materials in the same transaction.
func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "web.delete.title")
	withdraw, err := materialsChoice(r)
	if err == nil {
		err = s.Accounts.VerifyPassword(r.Context(), u.ID, r.PostFormValue("password"), s.meta(r))
	}
	if err != nil {
		s.deletePage(w, r, pg, http.StatusUnprocessableEntity, err)
		return
	}
	// One deletion covers every domain's tables (account.Options.Erasers).
	if err := s.Accounts.DeleteWith(r.Context(), u.ID, s.meta(r), account.DeleteChoice{WithdrawMaterials: withdraw}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.PagesChanged(r.Context())
	s.clearSessionCookie(w, r)
	done := s.newPage(r, "web.delete.title")
	done.User = nil
	done.Notice = i18n.T(done.Lang, "web.delete.done")
	s.render(w, r, http.StatusOK, "notice", done)
}

// adminRequestDelete deletes the account of an open deletion request,
// with the administrator's stated purpose in the audit log: the request
// is answered, and the answer enqueued to the user's address, in the
// deletion's own transaction, before the address is destroyed.
func (s *Server) adminRequestDelete(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "privacy.requests.not_found")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	x, err := s.privacy.requests.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	withdraw, err := materialsChoice(r)
	purpose := strings.TrimSpace(r.PostForm.Get("purpose"))
	if err == nil && purpose == "" {
		err = apperr.Field("purpose", "deletion.admin.purpose_required")
	}
	if err == nil && (x.Type != privacy.RequestDelete || x.Status != privacy.StatusOpen) {
		err = apperr.New(apperr.Conflict, "deletion.admin.not_delete")
	}
	if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
		pg := s.newPage(r, "privacy.requests.answer")
		pg.Errors = map[string]string{e.Field: i18n.T(pg.Lang, e.Key, e.Args...)}
		pg.Error = i18n.T(pg.Lang, "web.form.fix")
		s.adminRequestPage(w, r, pg, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m := s.meta(r)
	choice := account.DeleteChoice{WithdrawMaterials: withdraw, Purpose: purpose,
		Before: func(ctx context.Context, tx *db.Tx, u *account.User) error {
			l, ok := i18n.Parse(u.Locale)
			if !ok {
				l = i18n.Default
			}
			answer := i18n.T(l, "deletion.admin.answer")
			if _, err := s.privacy.requests.AnswerTx(ctx, tx, id, privacy.RequestDelete, answer, m.ActorID, m.SessionID); err != nil {
				return err
			}
			if s.MailQueue == nil || u.Email.IsZero() {
				return nil // no queue (a test server) or no address to tell
			}
			typ := i18n.T(l, "privacy.request."+string(privacy.RequestDelete))
			return s.MailQueue.SendTx(ctx, tx, mail.Message{To: u.Email.Reveal(), Lang: l, Kind: "account_deleted",
				Subject: i18n.T(l, "privacy.requests.mail.subject", typ),
				Text:    i18n.T(l, "privacy.requests.mail.text", typ, day(x.ReceivedAt)) + "\n\n" + answer})
		}}
	if err := s.Accounts.DeleteWith(r.Context(), x.UserID, m, choice); err != nil {
		s.fail(w, r, err)
		return
	}
	// An account the user deleted themselves after filing was not deleted
	// again, so its request is closed here, with no one left to email.
	if y, err := s.privacy.requests.Get(r.Context(), id); err == nil && y.Status == privacy.StatusOpen {
		if _, err := s.privacy.requests.Answer(r.Context(), id, i18n.T(i18n.Default, "deletion.admin.answer"), m.ActorID, m.SessionID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.PagesChanged(r.Context())
	http.Redirect(w, r, "/admin/requests?deleted=1", http.StatusSeeOther)
}

// auditExport records that the signed-in user took a copy of their data
// (law L10), in the given format; a failure refuses the copy, as every
// copy of personal data must be on record.
func (s *Server) auditExport(r *http.Request, u *account.User, format string) error {
	if s.Audit == nil {
		return nil
	}
	m := s.meta(r)
	_, err := s.Audit.Append(r.Context(), audit.Entry{ActorID: u.ID, ActorSessionID: m.SessionID, Action: audit.ActionDataExport,
		TargetUserID: u.ID, Detail: "format=" + format})
	return err
}
