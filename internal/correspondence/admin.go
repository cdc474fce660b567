package correspondence

import (
	"context"
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
)

// List is the administrators' list of threads: dates, counts and status,
// no subject and no address (those need the audited reveal).
func (s *Service) List(ctx context.Context, limit int) ([]Thread, error) {
	rows, err := s.db.Query(ctx, `SELECT `+threadCols+` FROM corr_threads ORDER BY updated_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("correspondence: list: %w", err)
	}
	defer rows.Close()
	var out []Thread
	for rows.Next() {
		r, err := scanThread(rows)
		if err != nil {
			return nil, fmt.Errorf("correspondence: list: %w", err)
		}
		out = append(out, r.t)
	}
	return out, rows.Err()
}

// Summary is one thread without its content, for an administrator.
func (s *Service) Summary(ctx context.Context, id int64) (*Thread, error) {
	r, err := s.loadThread(ctx, s.db, id)
	if err != nil {
		return nil, fmt.Errorf("correspondence: summary: %w", err)
	}
	return &r.t, nil
}

// Reveal opens a thread to an administrator who stated purpose: the view
// is committed to the audit log before any content leaves (clause 1.3).
func (s *Service) Reveal(ctx context.Context, id int64, purpose string, actorID, sessionID int64) (*Thread, error) {
	var r *threadRow
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if r, err = s.loadThread(ctx, tx, id); err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: actorID, ActorSessionID: sessionID, Action: audit.ActionReveal,
			TargetUserID: r.t.UserID, Purpose: purpose, Detail: "correspondence thread=" + strconv.FormatInt(id, 10)})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("correspondence: reveal: %w", err)
	}
	t, err := s.open(ctx, s.db, r)
	if err != nil {
		return nil, fmt.Errorf("correspondence: reveal: %w", err)
	}
	return t, nil
}

// RevealAttachment opens an attachment to an administrator, audited like
// Reveal.
func (s *Service) RevealAttachment(ctx context.Context, id, msgID int64, actorID, sessionID int64) (*Attachment, error) {
	var r *threadRow
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if r, err = s.loadThread(ctx, tx, id); err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: actorID, ActorSessionID: sessionID, Action: audit.ActionReveal,
			TargetUserID: r.t.UserID, Purpose: "correspondence attachment",
			Detail: "correspondence thread=" + strconv.FormatInt(id, 10) + " message=" + strconv.FormatInt(msgID, 10)})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("correspondence: reveal attachment: %w", err)
	}
	return s.attachment(ctx, r, msgID)
}

// Recipient says where a thread's mail goes: the user's address (looked
// up by the caller, who owns accounts) or a visitor's.
type Recipient func(ctx context.Context, userID int64) (email string, lang i18n.Lang, err error)

// Answer stores an administrator's answer in the thread and returns the
// email that carries it, with a new reply address of the thread. The
// caller sends it (through mail.Sender); the answer is kept even if the
// mail then fails, and the user sees it in /account/messages.
func (s *Service) Answer(ctx context.Context, id, adminID int64, body string, to Recipient, domain, baseURL string) (mail.Message, error) {
	_, body, err := clean("", body, false)
	if err != nil {
		return mail.Message{}, err
	}
	tok := newToken()
	var t *Thread
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.loadThread(ctx, tx, id)
		if err != nil {
			return err
		}
		k, err := s.v.UserKey(ctx, tx, r.keyOwner)
		if err != nil {
			return err
		}
		if err := s.insertMessage(ctx, tx, k, id, AuthorAdmin, ViaWeb, adminID, body, nil); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO corr_tokens (token_hash, thread_id, created_at) VALUES (?, ?, ?)`,
			tokenHash(tok), id, s.now().UnixMilli()); err != nil {
			return err
		}
		t, err = s.open(ctx, tx, r)
		return err
	})
	if err != nil {
		return mail.Message{}, fmt.Errorf("correspondence: answer: %w", err)
	}
	lang, ok := i18n.Parse(t.Lang)
	if !ok {
		lang = i18n.Default
	}
	addr := t.Email.Reveal()
	link := strings.TrimRight(baseURL, "/") + "/contact"
	if !t.Visitor() {
		if addr, lang, err = to(ctx, t.UserID); err != nil {
			return mail.Message{}, fmt.Errorf("correspondence: answer: recipient: %w", err)
		}
		link = strings.TrimRight(baseURL, "/") + "/account/messages/" + strconv.FormatInt(id, 10)
	}
	subject := i18n.T(lang, "corr.mail.subject", t.Subject.Reveal())
	text := body + "\n\n-- \n" + i18n.T(lang, "corr.mail.footer") + "\n" + link + "\n"
	htm := `<p>` + strings.ReplaceAll(html.EscapeString(body), "\n", "<br>") + `</p><hr><p>` +
		html.EscapeString(i18n.T(lang, "corr.mail.footer")) + `<br><a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + `</a></p>`
	return mail.Message{To: addr, Subject: subject, Text: text, HTML: htm, Lang: lang,
		ReplyTo: ReplyAddress(tok, domain)}, nil
}

// ReplyAddress is the address replies to a thread go to.
func ReplyAddress(token, domain string) string { return "reply+" + token + "@" + domain }
