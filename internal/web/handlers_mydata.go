package web

import (
	"context"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/correspondence"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/privacy"
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
	Reveals       []revealView
	Tech          *techData
	RetentionDays int
	SessionDays   int // how long an ended session is kept
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
	return obj{"ended_sessions": ended, "reports": reports, "materials": mats, "reveals": reveals, "requests": reqs}
}
