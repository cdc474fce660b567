package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/telemetry"
)

// The data ZIP of a large account, built by a background job (issue 12
// §1): /account/data starts it, shows its progress (zipjob.js polls the
// status; without JavaScript the page refreshes itself) and, when it is
// ready, a link; the user also gets an email with a link to the page.

// zipView is the background ZIP's block on /account/data.
type zipView struct {
	Export *privacy.Export // the newest one not expired; nil: none
	Days   int             // how long a ZIP is kept
}

// zipInBackground reports whether u's ZIP is built by the job: the site
// has the job, and the account has more technical records than the
// threshold (those are what makes an account's data large).
func (s *Server) zipInBackground(ctx context.Context, userID int64) (bool, error) {
	if s.DataExports == nil {
		return false, nil
	}
	if s.DataZipBackground == 0 {
		return true, nil
	}
	n, err := telemetry.UserRecordCount(ctx, s.DB, userID)
	return n > s.DataZipBackground, err
}

// loadZipView is the block for the data page; nil for a small account.
func (s *Server) loadZipView(ctx context.Context, userID int64) (*zipView, error) {
	bg, err := s.zipInBackground(ctx, userID)
	if err != nil || !bg {
		return nil, err
	}
	v := &zipView{Days: int(privacy.ExportLifetime.Hours() / 24)}
	x, err := s.DataExports.Latest(ctx, userID)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return nil, err
	}
	v.Export = x
	return v, nil
}

// zipStart asks for the ZIP to be built (one at a time per user).
func (s *Server) zipStart(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if bg, err := s.zipInBackground(r.Context(), u.ID); err != nil {
		s.fail(w, r, err)
		return
	} else if !bg {
		http.Redirect(w, r, "/account/data.zip", http.StatusSeeOther)
		return
	}
	if _, err := s.DataExports.Start(r.Context(), u.ID, string(info(r).Lang)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/data#zip", http.StatusSeeOther)
}

// zipStatus is the state of the user's newest ZIP, for zipjob.js.
func (s *Server) zipStatus(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := map[string]any{"state": "none", "progress": 0}
	if s.DataExports != nil {
		x, err := s.DataExports.Latest(r.Context(), u.ID)
		switch {
		case err == nil:
			out["state"], out["progress"] = x.State, x.Progress
			if x.State == privacy.ExportReady {
				out["href"] = "/account/data/exports/" + strconv.FormatInt(x.ID, 10)
			}
		case apperr.CodeOf(err) != apperr.NotFound:
			s.fail(w, r, err)
			return
		}
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if err := json.NewEncoder(w).Encode(out); err != nil {
		s.Log.Error("zip status", "err", err)
	}
}

// zipDownload serves a built ZIP to its owner only (anyone else: 404);
// each download is a copy of the data on record (law L10).
func (s *Server) zipDownload(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || s.DataExports == nil {
		s.fail(w, r, apperr.New(apperr.NotFound, "zipjob.notfound"))
		return
	}
	b, err := s.DataExports.Download(r.Context(), u.ID, id)
	if err == nil {
		err = s.auditExport(r, u, "zip")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendZip(w, b)
}

// BuildDataZip is the background job's build of a user's ZIP in lang
// (privacy.BuildFunc): the same ZIP as the request's.
func (s *Server) BuildDataZip(ctx context.Context, userID int64, lang string, progress func(int)) ([]byte, error) {
	u, err := s.Accounts.Get(ctx, userID)
	if err != nil {
		return nil, err
	}
	l, ok := i18n.Parse(lang)
	if !ok {
		l = i18n.Default
	}
	progress(10)
	return s.dataZip(ctx, u, l, progress)
}

// MailDataZipReady tells the user, in the transaction that stores the
// ZIP, that it is ready (privacy.NotifyFunc): a link to the data page,
// and none of the data.
func (s *Server) MailDataZipReady(ctx context.Context, tx *db.Tx, userID int64, lang string) error {
	if s.MailQueue == nil {
		return nil
	}
	u, err := s.Accounts.Get(ctx, userID)
	if err != nil {
		return err
	}
	if u.Email.IsZero() {
		return nil
	}
	l, ok := i18n.Parse(lang)
	if !ok {
		l = i18n.Default
	}
	link := s.absolute("/account/data#zip")
	return s.MailQueue.SendTx(ctx, tx, mail.Message{To: u.Email.Reveal(), Lang: l, Kind: "data_zip_ready",
		Subject: i18n.T(l, "zipjob.mail.subject"),
		Text:    i18n.T(l, "zipjob.mail.text", link, int(privacy.ExportLifetime.Hours()/24))})
}
