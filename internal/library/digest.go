package library

// The digest of followed authors' new materials (issue 13 §3): one email
// a day or a week, as the reader chose, listing what the authors they
// follow published in the period that just ended. A job runs it hourly
// across the nodes (jobs.Every, cmd/smartustaz/digest.go); each user's
// period is claimed in the database before their email is sent, so a
// second run, on any node, never sends the same period twice. The
// unsubscribe link is signed (an HMAC under the vault's blind-index key)
// and works without signing in.

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"encoding/base64"
	"errors"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
)

// Digest frequencies.
const (
	DigestDaily  = "daily"
	DigestWeekly = "weekly"
	DigestOff    = "off"
)

// DigestFrequencies are the choices, in the order the form offers them.
var DigestFrequencies = []string{DigestDaily, DigestWeekly, DigestOff}

// digestPeriod returns the start of the period of frequency freq that
// holds t, and the start of the one before it.
func digestPeriod(freq string, t time.Time) (start, prev time.Time) {
	l := t.In(Kazakhstan)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, Kazakhstan)
	if freq == DigestWeekly {
		back := (int(day.Weekday()) + 6) % 7 // Monday starts the week
		start = day.AddDate(0, 0, -back)
		return start, start.AddDate(0, 0, -7)
	}
	return day, day.AddDate(0, 0, -1)
}

// DigestFrequency is userID's choice ("off" when never chosen).
func (s *Service) DigestFrequency(ctx context.Context, userID int64) (string, error) {
	var f string
	err := s.db.QueryRow(ctx, `SELECT frequency FROM digest_prefs WHERE user_id = ?`, userID).Scan(&f)
	if errors.Is(err, sql.ErrNoRows) {
		return DigestOff, nil
	}
	return f, wrap("digest", err)
}

// SetDigestFrequency records userID's choice. A period already sent stays
// sent.
func (s *Service) SetDigestFrequency(ctx context.Context, userID int64, freq string) error {
	ok := false
	for _, f := range DigestFrequencies {
		ok = ok || f == freq
	}
	if !ok {
		return apperr.Field("frequency", "social.digest.invalid")
	}
	_, err := s.db.Exec(ctx, `INSERT INTO digest_prefs (user_id, frequency, last_period, updated_at) VALUES (?, ?, 0, ?)
		ON CONFLICT (user_id) DO UPDATE SET frequency = excluded.frequency, updated_at = excluded.updated_at`, userID, freq, s.nowMS())
	return wrap("set digest", err)
}

// DigestToken is the signed token of userID's unsubscribe link.
func (s *Service) DigestToken(userID int64) string {
	return base64.RawURLEncoding.EncodeToString(s.v.BlindIndex("digest_unsubscribe", strconv.FormatInt(userID, 10)))
}

// UnsubscribeDigest turns userID's digest off when token is theirs; a
// wrong token is a link that does not work (gone), whoever sent it.
func (s *Service) UnsubscribeDigest(ctx context.Context, userID int64, token string) error {
	if userID <= 0 || !hmac.Equal([]byte(token), []byte(s.DigestToken(userID))) {
		return apperr.New(apperr.Gone, "social.digest.badlink")
	}
	_, err := s.db.Exec(ctx, `UPDATE digest_prefs SET frequency = ?, updated_at = ? WHERE user_id = ?`, DigestOff, s.nowMS(), userID)
	return wrap("unsubscribe", err)
}

// DigestResult counts what a run did.
type DigestResult struct{ Sent, Empty int }

// SendDigests sends, for the moment now, every digest whose period ended:
// to each daily reader the materials their authors published yesterday
// (Kazakhstan's day), to each weekly reader those of last week, from
// Monday. A reader whose period was claimed already (by this run, an
// earlier one, another node) is skipped; a period with nothing new is
// claimed without an email. A failed email gives its claim back and the
// run fails, so the job's retry sends it.
func (s *Service) SendDigests(ctx context.Context, now time.Time) (DigestResult, error) {
	var res DigestResult
	for _, freq := range []string{DigestDaily, DigestWeekly} {
		start, prev := digestPeriod(freq, now)
		// The period that ended is [prev, start); its key is its start.
		key := prev.UnixMilli()
		for {
			users, err := s.dueDigests(ctx, freq, key)
			if err != nil {
				return res, err
			}
			if len(users) == 0 {
				break
			}
			for _, u := range users {
				sent, err := s.sendDigest(ctx, u, freq, key, prev, start)
				if err != nil {
					return res, err
				}
				if sent {
					res.Sent++
				} else {
					res.Empty++
				}
			}
		}
	}
	return res, nil
}

// dueDigests lists up to 200 users of freq whose last period is before key.
func (s *Service) dueDigests(ctx context.Context, freq string, key int64) ([]int64, error) {
	return s.ids(ctx, `SELECT user_id FROM digest_prefs WHERE frequency = ? AND last_period < ? ORDER BY user_id LIMIT 200`, freq, key)
}

// sendDigest claims userID's period and sends its digest when it holds
// something.
func (s *Service) sendDigest(ctx context.Context, userID int64, freq string, key int64, from, to time.Time) (bool, error) {
	var old int64
	claimed := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT last_period FROM digest_prefs WHERE user_id = ?`+db.ForUpdate(tx.Engine()), userID).Scan(&old); err != nil {
			return err
		}
		if old >= key {
			return nil
		}
		res, err := tx.Exec(ctx, `UPDATE digest_prefs SET last_period = ? WHERE user_id = ? AND last_period = ?`, key, userID, old)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		claimed = n == 1
		return nil
	})
	if err != nil || !claimed {
		return false, wrap("digest claim", err)
	}
	cards, err := s.queryCards(ctx, `SELECT `+cardColumns+` FROM follows f JOIN materials m ON m.author_id = f.author_id
		JOIN users u ON u.id = m.author_id
		WHERE f.follower_id = ? AND m.status = ? AND u.status = 'active' AND m.published_at >= ? AND m.published_at < ?
		ORDER BY m.published_at DESC, m.id DESC LIMIT 50`, userID, string(StatusPublished), from.UnixMilli(), to.UnixMilli())
	if err == nil {
		cards, err = s.withAuthorNames(ctx, cards)
	}
	if err != nil {
		s.unclaim(ctx, userID, key, old)
		return false, err
	}
	if len(cards) == 0 || s.o.Mail == nil || s.o.Contacts == nil {
		return false, nil
	}
	addr, lang, err := s.o.Contacts(ctx, userID)
	if err != nil || addr == "" {
		return false, nil // a deleted or unreachable account: nothing to send
	}
	msg := s.composeDigest(lang, addr, userID, freq, cards)
	if err := s.o.Mail.Send(context.WithoutCancel(ctx), msg); err != nil {
		s.unclaim(ctx, userID, key, old)
		return false, wrap("digest send", err)
	}
	return true, nil
}

func (s *Service) unclaim(ctx context.Context, userID, key, old int64) {
	if _, err := s.db.Exec(context.WithoutCancel(ctx), `UPDATE digest_prefs SET last_period = ? WHERE user_id = ? AND last_period = ?`, old, userID, key); err != nil {
		s.o.Log.Warn("library: digest claim not given back", "user", userID, "err", err)
	}
}

// UnsubscribeURL is the one-click link of userID's digest.
func (s *Service) UnsubscribeURL(userID int64) string {
	return s.o.BaseURL + "/digest/unsubscribe?u=" + strconv.FormatInt(userID, 10) + "&t=" + s.DigestToken(userID)
}

func (s *Service) composeDigest(lang i18n.Lang, to string, userID int64, freq string, cards []Card) mail.Message {
	unsub := s.UnsubscribeURL(userID)
	subject := i18n.T(lang, "social.digest.mail.subject."+freq)
	lines := []string{i18n.T(lang, "library.mail.hello"), "", i18n.T(lang, "social.digest.mail.intro."+freq), ""}
	var h strings.Builder
	h.WriteString(`<!doctype html><html lang="` + string(lang) + `"><body><p>` + html.EscapeString(lines[0]) + `</p><p>` +
		html.EscapeString(lines[2]) + `</p><ul>`)
	for _, c := range cards {
		by := c.AuthorName
		if by == "" {
			by = i18n.T(lang, "library.author", c.AuthorID)
		}
		link := s.o.BaseURL + c.Path()
		lines = append(lines, "• "+c.Title+" — "+by, "  "+link)
		h.WriteString(`<li><a href="` + html.EscapeString(link) + `">` + html.EscapeString(c.Title) + `</a> — ` + html.EscapeString(by) + `</li>`)
	}
	foot := i18n.T(lang, "social.digest.mail.unsubscribe")
	lines = append(lines, "", foot, unsub, "", i18n.T(lang, "library.mail.signature"))
	h.WriteString(`</ul><p>` + html.EscapeString(foot) + ` <a href="` + html.EscapeString(unsub) + `">` + html.EscapeString(unsub) + `</a></p><p>` +
		html.EscapeString(i18n.T(lang, "library.mail.signature")) + `</p></body></html>`)
	return mail.Message{To: to, Subject: subject, Text: strings.Join(lines, "\n"), HTML: h.String(), Lang: lang, ListUnsubscribe: unsub}
}

// notifyComment emails a material's author that a comment on it is
// public (the inbox already has it). A failure is logged only.
func (s *Service) notifyComment(ctx context.Context, materialID int64) {
	if s.o.Mail == nil || s.o.Contacts == nil {
		return
	}
	m, err := s.get(ctx, materialID)
	if err != nil {
		return
	}
	to, lang, err := s.o.Contacts(ctx, m.AuthorID)
	if err != nil || to == "" {
		return
	}
	link := s.o.BaseURL + m.Path() + "#comments"
	lines := []string{i18n.T(lang, "library.mail.hello"), "", i18n.T(lang, "social.comment.mail.text", m.Title), "", link, "", i18n.T(lang, "library.mail.signature")}
	h := `<!doctype html><html lang="` + string(lang) + `"><body><p>` + html.EscapeString(lines[0]) + `</p><p>` + html.EscapeString(lines[2]) +
		`</p><p><a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + `</a></p><p>` + html.EscapeString(lines[6]) + `</p></body></html>`
	msg := mail.Message{To: to, Subject: i18n.T(lang, "social.comment.mail.subject"), Text: strings.Join(lines, "\n"), HTML: h, Lang: lang}
	if err := s.o.Mail.Send(context.WithoutCancel(ctx), msg); err != nil {
		s.o.Log.Warn("library: comment email not sent", "material", materialID, "err", err)
	}
}
