package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/complaints"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/correspondence"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/incident"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/ui"
)

// revealView is one time an administrator viewed the user's decrypted
// data: the administrator is named by role and number, never by their own
// personal data.
type revealView struct {
	At      time.Time
	ActorID int64
	Role    account.Role
	Purpose string
	Detail  string
}

// myData is everything the site holds about one user, read through the
// package that owns each table; /account/data, the export and the ZIP are
// drawn from it (issue 12 §1, law L10).
type myData struct {
	User          *account.User
	Consents      []consent.Acceptance
	Sessions      []account.Session // open and ended, as long as they are kept
	Changes       []account.Change
	Materials     []library.Material
	Reports       []library.ReportEntry
	Threads       []correspondence.Thread
	Requests      []privacy.Request
	Complaints    []complaints.Complaint
	Incidents     []incident.Notice // incidents that concerned the user, once they were told
	Reveals       []revealView
	Tech          *techData
	RetentionDays int
	SessionDays   int // how long an ended session is kept
	// Zip is the background ZIP's state on the live page; nil in the
	// ZIP's own copy of the page and for a small account.
	Zip *zipView
}

// loadMyData reads everything about u. limit bounds the technical records
// shown on the page (0: all; negative: none, for the export, which reads
// them its own way).
func (s *Server) loadMyData(ctx context.Context, u *account.User, limit int) (*myData, error) {
	d := &myData{User: u, RetentionDays: s.retentionDays(), SessionDays: int(account.SessionRetention / (24 * time.Hour))}
	var err error
	if limit >= 0 {
		if d.Tech, err = s.loadTech(ctx, u.ID, limit); err != nil {
			return nil, err
		}
	}
	if d.Consents, err = s.Consent.Acceptances(ctx, u.ID); err != nil {
		return nil, err
	}
	if d.Sessions, err = s.Accounts.SessionHistory(ctx, u.ID); err != nil {
		return nil, err
	}
	if d.Changes, err = s.Accounts.Changes(ctx, u.ID); err != nil {
		return nil, err
	}
	if s.Library != nil {
		if d.Materials, err = s.Library.ByAuthor(ctx, u.ID); err != nil {
			return nil, err
		}
		if d.Reports, err = s.Library.ReportsBy(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	if s.Corr != nil {
		if d.Threads, err = s.Corr.Threads(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	if d.Requests, err = s.privacy.requests.ForUser(ctx, u.ID); err != nil {
		return nil, err
	}
	if d.Complaints, err = s.Complaints.ForUser(ctx, u.ID); err != nil {
		return nil, err
	}
	if d.Incidents, err = s.Incidents.ForUser(ctx, u.ID); err != nil {
		return nil, err
	}
	es, err := s.Audit.RevealsOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	roles := map[int64]account.Role{}
	for _, e := range es {
		r, ok := roles[e.ActorID]
		if !ok {
			if r, err = s.Accounts.RoleOf(ctx, e.ActorID); err != nil {
				return nil, err
			}
			roles[e.ActorID] = r
		}
		d.Reveals = append(d.Reveals, revealView{At: e.At, ActorID: e.ActorID, Role: r, Purpose: e.Purpose, Detail: e.Detail})
	}
	return d, nil
}

// exportExtra is the export's sections drawn from myData that the older
// export code did not have: ended sessions, reports filed, materials
// authored, administrators' views, privacy requests (issue 12 §1).
func exportExtra(d *myData) map[string]any {
	type obj = map[string]any
	ended, reports, mats, reveals, reqs := []obj{}, []obj{}, []obj{}, []obj{}, []obj{}
	now := time.Now()
	for _, x := range d.Sessions {
		if x.EndedAt.IsZero() && x.ExpiresAt.After(now) {
			continue // open: in "sessions"
		}
		o := obj{"id": x.ID, "created_at": x.CreatedAt, "last_seen_at": x.LastSeenAt, "expires_at": x.ExpiresAt,
			"ip": x.IP.Reveal(), "user_agent": x.UserAgent.Reveal()}
		if !x.EndedAt.IsZero() {
			o["ended_at"] = x.EndedAt
		}
		ended = append(ended, o)
	}
	for _, r := range d.Reports {
		o := obj{"id": r.ID, "material_id": r.MaterialID, "material_title": r.MaterialTitle, "reason": r.Reason,
			"text": r.Text.Reveal(), "created_at": r.CreatedAt, "deadline": r.Deadline}
		if r.CommentID != 0 {
			o["comment_id"] = r.CommentID
		}
		if r.Decision != "" {
			o["decision"], o["decided_at"] = r.Decision, r.DecidedAt
		}
		reports = append(reports, o)
	}
	for _, m := range d.Materials {
		mats = append(mats, obj{"id": m.ID, "title": m.Title, "description": m.Description, "subject": m.Subject, "grade": m.Grade,
			"type": m.Type, "language": m.Language, "tags": m.Tags, "status": m.Status, "slug": m.Slug,
			"created_at": m.CreatedAt, "updated_at": m.UpdatedAt, "published_at": m.PublishedAt,
			"reject_reason": m.RejectReason, "reject_note": m.RejectNote})
	}
	for _, r := range d.Reveals {
		reveals = append(reveals, obj{"at": r.At, "administrator_id": r.ActorID, "administrator_role": r.Role,
			"purpose": r.Purpose, "detail": r.Detail})
	}
	for _, r := range d.Requests {
		o := obj{"id": r.ID, "type": r.Type, "status": r.Status, "detail": r.Detail.Reveal(), "received_at": r.ReceivedAt, "due": r.Due}
		if !r.AnsweredAt.IsZero() {
			o["answered_at"], o["answer"] = r.AnsweredAt, r.Answer.Reveal()
		}
		reqs = append(reqs, o)
	}
	incidents := []obj{}
	for _, x := range d.Incidents {
		cats := make([]string, len(x.Categories))
		for i, c := range x.Categories {
			cats[i] = string(c)
		}
		o := obj{"id": x.IncidentID, "kind": x.Kind, "categories": cats, "detected_at": x.DetectedAt, "measures": x.Measures.Reveal()}
		if !x.OccurredAt.IsZero() {
			o["occurred_at"] = x.OccurredAt
		}
		if !x.NotifiedAt.IsZero() {
			o["notified_at"] = x.NotifiedAt
		}
		incidents = append(incidents, o)
	}
	return obj{"ended_sessions": ended, "reports": reports, "materials": mats, "reveals": reveals, "requests": reqs,
		"complaints": exportComplaints(d.Complaints), "incidents": incidents}
}

// accountDataZip is the download of everything at once: data.json (the
// export) and data.html (the data page, readable offline). A small
// account's is built in the request; a large one's by a background job
// (handlers_zipjob.go), so this address sends it to /account/data.
func (s *Server) accountDataZip(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if bg, err := s.zipInBackground(r.Context(), u.ID); err != nil {
		s.fail(w, r, err)
		return
	} else if bg {
		http.Redirect(w, r, "/account/data#zip", http.StatusSeeOther)
		return
	}
	b, err := s.dataZip(r.Context(), u, info(r).Lang, nil)
	if err == nil {
		err = s.auditExport(r, u, "zip")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendZip(w, b)
}

// sendZip answers with a data ZIP as a download.
func (s *Server) sendZip(w http.ResponseWriter, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="smartustaz-data.zip"`)
	h.Set("Cache-Control", "no-store")
	if _, err := w.Write(b); err != nil {
		s.Log.Error("data zip", "err", err)
	}
}

// dataZip builds u's ZIP in lang, in a request or in the background job;
// progress (may be nil) hears the percent done after each step.
func (s *Server) dataZip(ctx context.Context, u *account.User, lang i18n.Lang, progress func(int)) ([]byte, error) {
	step := func(p int) {
		if progress != nil {
			progress(p)
		}
	}
	out, err := s.exportData(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("data zip: %w", err)
	}
	step(30)
	js, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("data zip: %w", err)
	}
	step(40)
	d, err := s.loadMyData(ctx, u, 0)
	if err != nil {
		return nil, fmt.Errorf("data zip: %w", err)
	}
	if d.Tech != nil {
		d.Tech.Lang = lang
	}
	step(70)
	pg := &page{Lang: lang, Langs: i18n.Langs, User: u, Title: i18n.T(lang, "telemetry.data.title"), Static: ui.StaticPath,
		NowYear: time.Now().In(i18n.Zone).Year(), Data: d}
	t, ok := s.tmpl[pg.Lang]["account_data"]
	if !ok {
		return nil, fmt.Errorf("data zip: no template for %s", pg.Lang)
	}
	// The page's own content, in a bare document: the copy is read
	// offline, without the site's styles, menus or forms.
	var page bytes.Buffer
	fmt.Fprintf(&page, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title></head><body>\n",
		pg.Lang, template.HTMLEscapeString(pg.Title))
	if err := t.ExecuteTemplate(&page, "content", pg); err != nil {
		return nil, fmt.Errorf("data zip: %w", err)
	}
	page.WriteString("\n</body></html>\n")
	step(85)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	now := time.Now()
	for _, f := range []struct {
		name string
		b    []byte
	}{{"data.json", js}, {"data.html", page.Bytes()}} {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: now})
		if err != nil {
			return nil, fmt.Errorf("data zip: %w", err)
		}
		if _, err := fw.Write(f.b); err != nil {
			return nil, fmt.Errorf("data zip: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("data zip: %w", err)
	}
	step(95)
	return buf.Bytes(), nil
}

// exportComplaints is the export's section of the user's complaints,
// disputes and official requests (clause 3.2), each with its documents'
// download addresses and the answer.
func exportComplaints(cs []complaints.Complaint) []map[string]any {
	out := []map[string]any{}
	for _, c := range cs {
		files := []map[string]any{}
		for _, f := range c.Files {
			files = append(files, map[string]any{"name": f.Name, "kind": f.Kind,
				"download": fmt.Sprintf("/account/complaints/%d/files/%d", c.ID, f.ID)})
		}
		o := map[string]any{"id": c.ID, "kind": c.Kind, "status": c.Status, "sender": c.Sender.Reveal(), "contact": c.Contact.Reveal(),
			"parties": c.Parties.Reveal(), "subject": c.Subject.Reveal(), "text": c.Text.Reveal(), "received_at": c.ReceivedAt, "due": c.Due,
			"documents": files}
		if !c.AnsweredAt.IsZero() {
			o["answered_at"], o["answer"] = c.AnsweredAt, c.Answer.Reveal()
		}
		if !c.ClosedAt.IsZero() {
			o["closed_at"] = c.ClosedAt
		}
		out = append(out, o)
	}
	return out
}
