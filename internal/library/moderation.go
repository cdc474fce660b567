package library

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
)

// RejectReasons are the reasons a moderator picks from when rejecting or
// taking down a material (each has the key library.reason.<code>).
var RejectReasons = []string{"not_own_work", "personal_data", "wrong_category", "low_quality", "duplicate", "inappropriate", "other"}

// MaxNote bounds a moderator's free text.
const MaxNote = 2000

// Moderation actions, as the decisions register records them.
const (
	ActionApprove  = "approve"
	ActionReject   = "reject"
	ActionTakeDown = "take_down"
)

// QueueItem is a material waiting for a moderator.
type QueueItem struct {
	Material
	// Duplicate is the other author's published material with an
	// identical file, when there is one.
	Duplicate *Card
	// OpenReports counts undecided reports about it.
	OpenReports int
}

// Pending lists materials waiting for moderation, oldest first, after
// the material with id after (0 for the start).
func (s *Service) Pending(ctx context.Context, afterUpdated int64, afterID int64, limit int) ([]QueueItem, error) {
	limit = clampLimit(limit)
	rows, err := s.db.Query(ctx, `SELECT `+materialColumns+` FROM materials WHERE status = ? AND (updated_at, id) > (?, ?)
		ORDER BY updated_at, id LIMIT ?`, string(StatusPending), afterUpdated, afterID, limit)
	if err != nil {
		return nil, wrap("pending", err)
	}
	var items []QueueItem
	for rows.Next() {
		m, err := scanMaterial(rows)
		if err != nil {
			rows.Close()
			return nil, wrap("pending", err)
		}
		items = append(items, QueueItem{Material: *m})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("pending", err)
	}
	for i := range items {
		full, err := s.get(ctx, items[i].ID)
		if err != nil {
			return nil, err
		}
		items[i].Material = *full
		if d := items[i].DuplicateOf; d != 0 {
			if cs, err := s.cards(ctx, []int64{d}); err == nil && len(cs) == 1 {
				items[i].Duplicate = &cs[0]
			}
		}
		if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM reports WHERE material_id = ? AND decided_at = 0`, items[i].ID).Scan(&items[i].OpenReports); err != nil {
			return nil, wrap("pending", err)
		}
	}
	return items, nil
}

// PendingCount is the length of the moderation queue.
func (s *Service) PendingCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM materials WHERE status = ?`, string(StatusPending)).Scan(&n)
	return n, wrap("pending count", err)
}

func validReason(r string) bool {
	for _, x := range RejectReasons {
		if r == x {
			return true
		}
	}
	return false
}

func checkDecision(reason, note string) (string, error) {
	note = strings.TrimSpace(text(note))
	var errs apperr.Fields
	if !validReason(reason) {
		errs = append(errs, apperr.Field("reason", "library.reason.invalid"))
	}
	if utf8.RuneCountInString(note) > MaxNote {
		errs = append(errs, apperr.Field("note", "library.note.length", MaxNote))
	}
	return note, errs.Err()
}

// decide moves a material from one of the statuses in from to status,
// records the decision, and returns the material as it was before.
func (s *Service) decide(ctx context.Context, moderatorID, id int64, from []Status, to Status, action, reason, note string, extra func(tx *db.Tx, now int64) error) (*Material, error) {
	var before *Material
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var status string
		if err := tx.QueryRow(ctx, `SELECT status FROM materials WHERE id = ?`+db.ForUpdate(tx.Engine()), id).Scan(&status); err != nil {
			return err
		}
		ok := false
		for _, f := range from {
			ok = ok || Status(status) == f
		}
		if !ok {
			return apperr.New(apperr.Conflict, "library.moderation.stale")
		}
		m, err := getMaterial(ctx, tx, id)
		if err != nil {
			return err
		}
		before = m
		now := s.nowMS()
		published := m.PublishedAt.UnixMilli()
		if to == StatusPublished && m.PublishedAt.IsZero() {
			published = now
		}
		if m.PublishedAt.IsZero() && to != StatusPublished {
			published = 0
		}
		if _, err := tx.Exec(ctx, `UPDATE materials SET status = ?, moderated_by = ?, moderated_at = ?, published_at = ?,
			reject_reason = ?, reject_note = ? WHERE id = ?`, string(to), moderatorID, now, published, reason, note, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO moderation_decisions (id, material_id, moderator_id, action, reason, note, at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, db.NewID(), id, moderatorID, action, reason, note, now); err != nil {
			return err
		}
		// The author's inbox keeps the decision and its reasons; a first
		// publication also reaches the author's followers (issue 13).
		if err := s.inboxTx(ctx, tx, m.AuthorID, inboxKind(action), id, 0, reason, note); err != nil {
			return err
		}
		if to == StatusPublished && m.PublishedAt.IsZero() {
			if err := s.followersInboxTx(ctx, tx, id); err != nil {
				return err
			}
		}
		if extra != nil {
			return extra(tx, now)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(action, err)
	}
	return before, nil
}

// Approve publishes a pending material and tells its author.
func (s *Service) Approve(ctx context.Context, moderatorID, id int64) error {
	m, err := s.decide(ctx, moderatorID, id, []Status{StatusPending}, StatusPublished, ActionApprove, "", "", func(tx *db.Tx, _ int64) error {
		return s.publishedTx(ctx, tx, id)
	})
	if err != nil {
		return err
	}
	s.notify(ctx, m, "approved", "", "")
	return nil
}

// Reject refuses a pending material with a reason from RejectReasons and
// an optional note, and tells its author; they may edit and resubmit.
func (s *Service) Reject(ctx context.Context, moderatorID, id int64, reason, note string) error {
	note, err := checkDecision(reason, note)
	if err != nil {
		return err
	}
	m, err := s.decide(ctx, moderatorID, id, []Status{StatusPending}, StatusRejected, ActionReject, reason, note, nil)
	if err != nil {
		return err
	}
	s.notify(ctx, m, "rejected", reason, note)
	return nil
}

// TakeDown removes a material from the public sections at once (a
// report, personal data of others, a breach): its certificates are
// revoked, its open reports are decided, its author is told.
func (s *Service) TakeDown(ctx context.Context, moderatorID, id int64, reason, note string) error {
	note, err := checkDecision(reason, note)
	if err != nil {
		return err
	}
	var decided []int64
	m, err := s.decide(ctx, moderatorID, id, []Status{StatusPending, StatusPublished, StatusRejected, StatusWithdrawn},
		StatusTakenDown, ActionTakeDown, reason, note, func(tx *db.Tx, now int64) error {
			// The open reports this decides: their reporters are told.
			rows, err := tx.Query(ctx, `SELECT id FROM reports WHERE material_id = ? AND decided_at = 0`, id)
			if err != nil {
				return err
			}
			for rows.Next() {
				var rid int64
				if err := rows.Scan(&rid); err != nil {
					rows.Close()
					return err
				}
				decided = append(decided, rid)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE certificates SET revoked_at = ?, revoke_reason = ? WHERE material_id = ? AND revoked_at = 0`,
				now, reason, id); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `UPDATE reports SET decision = ?, decided_by = ?, decided_at = ? WHERE material_id = ? AND decided_at = 0`,
				DecisionTakenDown, moderatorID, now, id)
			return err
		})
	if err != nil {
		return err
	}
	s.notify(ctx, m, "taken_down", reason, note)
	s.tellReporters(ctx, decided)
	return nil
}

// Decision is one entry of a material's moderation history.
type Decision struct {
	ModeratorID          int64
	Action, Reason, Note string
	At                   int64
}

// Decisions lists a material's moderation history, oldest first.
func (s *Service) Decisions(ctx context.Context, id int64) ([]Decision, error) {
	rows, err := s.db.Query(ctx, `SELECT moderator_id, action, reason, note, at FROM moderation_decisions WHERE material_id = ? ORDER BY at, id`, id)
	if err != nil {
		return nil, fmt.Errorf("library: decisions: %w", err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		if err := rows.Scan(&d.ModeratorID, &d.Action, &d.Reason, &d.Note, &d.At); err != nil {
			return nil, fmt.Errorf("library: decisions: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// inboxKind names a moderation action as the author's inbox does.
func inboxKind(action string) string {
	switch action {
	case ActionApprove:
		return "approved"
	case ActionReject:
		return "rejected"
	}
	return "taken_down"
}
