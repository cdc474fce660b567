package correspondence

import (
	"context"
	"errors"
	"fmt"
	"net/mail"

	"github.com/smartustaz/smartustaz/internal/db"
	smail "github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// ErrUndeliverable means the recipient's address bounced and has not been
// confirmed since: the message was not sent. It names no address.
var ErrUndeliverable = errors.New("correspondence: the recipient's address bounced; not mailed until it is confirmed again")

func (s *Service) emailIndex(email string) []byte {
	return s.v.BlindIndex("email", vault.NormalizeEmail(email))
}

// MarkUndeliverable records that mail to email bounced (status is the
// DSN's status code, e.g. 5.1.1, never an address).
func (s *Service) MarkUndeliverable(ctx context.Context, email, status string) error {
	if len(status) > 16 {
		status = status[:16]
	}
	bidx := s.emailIndex(email)
	now := s.now().UnixMilli()
	var owner int64
	if s.OwnerOf != nil {
		owner = s.OwnerOf(ctx, email)
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE mail_undeliverable SET status = ?, at = ?, user_id = ? WHERE email_bidx = ?`, status, now, owner, bidx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `INSERT INTO mail_undeliverable (email_bidx, user_id, status, at) VALUES (?, ?, ?, ?)`, bidx, owner, status, now)
		return err
	})
	if err != nil && !db.IsUniqueViolation(err) {
		return fmt.Errorf("correspondence: mark undeliverable: %w", err)
	}
	return nil
}

// Undeliverable reports whether email bounced and was not confirmed since.
func (s *Service) Undeliverable(ctx context.Context, email string) (bool, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM mail_undeliverable WHERE email_bidx = ?`, s.emailIndex(email)).Scan(&n); err != nil {
		return false, fmt.Errorf("correspondence: undeliverable: %w", err)
	}
	return n > 0, nil
}

// ClearUndeliverable forgets a bounce once the address is confirmed again
// (the verification link worked, so mail arrives).
func (s *Service) ClearUndeliverable(ctx context.Context, email string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM mail_undeliverable WHERE email_bidx = ?`, s.emailIndex(email)); err != nil {
		return fmt.Errorf("correspondence: clear undeliverable: %w", err)
	}
	return nil
}

type confirmKey struct{}

// ForConfirmation marks ctx as sending the link that confirms an address:
// that one message goes out even to an address that bounced, since it is
// how the address is cleared.
func ForConfirmation(ctx context.Context) context.Context {
	return context.WithValue(ctx, confirmKey{}, true)
}

// Suppress wraps next so that nothing is mailed to an address that
// bounced (ErrUndeliverable), except the confirmation link
// (ForConfirmation). serve wraps the site's sender with it, outermost, so
// the decision is made when a message is handed over.
func (s *Service) Suppress(next smail.Sender) smail.Sender { return suppressor{s: s, next: next} }

type suppressor struct {
	s    *Service
	next smail.Sender
}

func (p suppressor) Send(ctx context.Context, m smail.Message) error {
	if ok, _ := ctx.Value(confirmKey{}).(bool); !ok {
		if a, err := mail.ParseAddress(m.To); err == nil {
			bad, err := p.s.Undeliverable(ctx, a.Address)
			if err != nil {
				return err
			}
			if bad {
				return ErrUndeliverable
			}
		}
	}
	return p.next.Send(ctx, m)
}
