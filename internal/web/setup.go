package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// SetupTokenKey is the settings row holding the hash of the one-time
// first-administrator link that `serve` prints on a fresh install.
const SetupTokenKey = "setup_token_hash"

func (s *Server) setupTokenOK(r *http.Request, token string) bool {
	if token == "" {
		return false
	}
	var stored string
	if err := s.DB.QueryRow(r.Context(), `SELECT value FROM settings WHERE key = ?`, SetupTokenKey).Scan(&stored); err != nil {
		return false
	}
	got := hex.EncodeToString(vault.TokenHash(token))
	return subtle.ConstantTimeCompare([]byte(stored), []byte(got)) == 1
}

func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if !s.setupTokenOK(r, token) {
		s.renderError(w, r, http.StatusGone, "web.setup.invalid")
		return
	}
	pg := s.newPage(r, "web.setup.title")
	pg.Form = url.Values{"token": {token}}
	s.render(w, r, http.StatusOK, "setup", pg)
}

// setup creates the first administrator through the one-time link and
// then removes the link, so it works once.
func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	token := r.PostFormValue("token")
	if !s.setupTokenOK(r, token) {
		s.renderError(w, r, http.StatusGone, "web.setup.invalid")
		return
	}
	pg := s.newPage(r, "web.setup.title")
	pg.Form = formValues(r.PostForm)
	if r.PostFormValue("password") != r.PostFormValue("password_repeat") {
		s.formError(w, r, "setup", pg, apperr.Field("password_repeat", "web.setup.mismatch"))
		return
	}
	u, err := s.Accounts.CreateAdmin(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), r.PostFormValue("full_name"))
	if err != nil {
		s.formError(w, r, "setup", pg, err)
		return
	}
	if _, err := s.DB.Exec(r.Context(), `DELETE FROM settings WHERE key = ?`, SetupTokenKey); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.Audit.Append(r.Context(), audit.Entry{ActorID: u.ID, Action: "admin_create", TargetUserID: u.ID, Detail: "first administrator, setup link"}); err != nil {
		s.fail(w, r, err)
		return
	}
	done := s.newPage(r, "web.setup.title")
	done.Notice = i18n.T(done.Lang, "web.setup.done")
	s.render(w, r, http.StatusOK, "notice", done)
}

// NewSetupLink stores a fresh one-time token for creating the first
// administrator and returns it; an earlier link stops working. The
// settings row is this package's: it exists only for this link.
func NewSetupLink(ctx context.Context, d *db.DB) (string, error) {
	var b [32]byte
	rand.Read(b[:])
	token := base64.RawURLEncoding.EncodeToString(b[:])
	h := hex.EncodeToString(vault.TokenHash(token))
	_, err := d.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, SetupTokenKey, h)
	if err != nil {
		return "", fmt.Errorf("web: setup link: %w", err)
	}
	return token, nil
}
