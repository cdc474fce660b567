package privacy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"strconv"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// The data subject's control over processing (issue 12 §2; law L3, L4,
// L12): blocking and unblocking an account, withdrawing consent without
// deleting the account and giving it again, and the consent's term. The
// blocked state itself is a column of users (internal/account); this is
// the service that changes it with its audit entry in one transaction,
// and that the request register, the consent pages and the term job call.

// Control blocks and unblocks accounts and runs the consent's term.
type Control struct {
	db       *db.DB
	v        *vault.Vault
	audit    *audit.Log
	accounts *account.Service
	consent  *consent.Service
	// Receipts, when set, issues the receipt of a withdrawal at once
	// (issue 12 §5: every acceptance or withdrawal has one).
	Receipts *Receipts
	// SendTx, when set, queues a message inside the caller's transaction
	// (mailq.Queue.SendTx): the term reminders.
	SendTx func(ctx context.Context, tx *db.Tx, m mail.Message) error
	// BaseURL gives the site's address for the reminders' link.
	BaseURL func() string
	Log     *slog.Logger
}

// NewControl returns the service. It does not hook itself into c: call
// Hook once, before serving.
func NewControl(d *db.DB, v *vault.Vault, a *audit.Log, accounts *account.Service, c *consent.Service) *Control {
	return &Control{db: d, v: v, audit: a, accounts: accounts, consent: c, Log: slog.New(slog.DiscardHandler)}
}

// Hook makes every acceptance through c lift a block the missing consent
// caused (withdrawn, or term ended), in the acceptance's transaction.
func (c *Control) Hook() { c.consent.OnAccepted = c.consentGiven }

// setTx sets userID's block reason ("" unblocks) and writes the audit
// entry when it changed. It reports whether it changed.
func (c *Control) setTx(ctx context.Context, tx *db.Tx, userID int64, reason string, actor, session int64, why string) (bool, error) {
	was, err := c.accounts.SetBlockedTx(ctx, tx, userID, reason)
	if err != nil || was == reason {
		return false, err
	}
	e := audit.Entry{ActorID: actor, ActorSessionID: session, TargetUserID: userID, Action: audit.ActionUserBlock,
		Detail: "blocked: " + reason}
	if reason == "" {
		e.Action, e.Detail = audit.ActionUserUnblock, "unblocked (was "+was+")"
	}
	if why != "" {
		e.Detail += "; " + why
	}
	_, err = c.audit.AppendTx(ctx, tx, e)
	return err == nil, err
}

// Block blocks userID for reason as actor from session (audited). A
// block already in place keeps its reason.
func (c *Control) Block(ctx context.Context, userID int64, reason string, actor, session int64, why string) error {
	err := c.db.InTx(ctx, func(tx *db.Tx) error {
		_, blocked, err := c.state(ctx, tx, userID)
		if err != nil || blocked != "" {
			return err
		}
		_, err = c.setTx(ctx, tx, userID, reason, actor, session, why)
		return err
	})
	if err != nil {
		return fmt.Errorf("privacy: block: %w", err)
	}
	return nil
}

// Unblock lifts userID's block, whatever its reason (audited).
func (c *Control) Unblock(ctx context.Context, userID int64, actor, session int64, why string) error {
	err := c.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := c.setTx(ctx, tx, userID, "", actor, session, why)
		return err
	})
	if err != nil {
		return fmt.Errorf("privacy: unblock: %w", err)
	}
	return nil
}

func (c *Control) state(ctx context.Context, q db.Querier, userID int64) (string, string, error) {
	var status, blocked string
	err := q.QueryRow(ctx, `SELECT status, blocked FROM users WHERE id = ?`, userID).Scan(&status, &blocked)
	return status, blocked, err
}

// Withdraw records that userID withdraws their consent to the documents
// in force (one withdrawal row per document, with its receipt) and
// blocks the account with the reason "withdrawn", in one transaction
// with its audit entry. The account and its data stay; accepting the
// documents again lifts the block.
func (c *Control) Withdraw(ctx context.Context, userID int64, m consent.Meta) error {
	var ids []int64
	err := c.db.InTx(ctx, func(tx *db.Tx) error {
		key, err := c.v.UserKey(ctx, tx, userID)
		if err != nil {
			return err
		}
		if ids, err = c.consent.WithdrawTx(ctx, tx, key, userID, m); err != nil {
			return err
		}
		_, blocked, err := c.state(ctx, tx, userID)
		if err != nil {
			return err
		}
		if blocked == account.BlockWithdrawn || (blocked != "" && len(ids) == 0) {
			return nil // withdrawn already: nothing new to record
		}
		if blocked != "" && blocked != account.BlockTerm {
			// Blocked already (at the user's request or by an
			// administrator): the withdrawal is recorded, the block keeps
			// its reason, so re-consenting alone does not lift it.
			_, err = c.audit.AppendTx(ctx, tx, audit.Entry{ActorID: userID, ActorSessionID: m.SessionID, TargetUserID: userID,
				Action: audit.ActionUserBlock, Detail: "consent withdrawn while blocked: " + blocked})
			return err
		}
		_, err = c.setTx(ctx, tx, userID, account.BlockWithdrawn, userID, m.SessionID, "consent withdrawn by the user")
		return err
	})
	if err != nil {
		return fmt.Errorf("privacy: withdraw consent: %w", err)
	}
	if c.Receipts != nil {
		for _, id := range ids {
			if _, err := c.Receipts.Receipt(ctx, userID, id); err != nil {
				// Issued on the receipts page later; the withdrawal stands.
				c.Log.Error("privacy: withdrawal receipt not issued", "acceptance", id, "err", err)
			}
		}
	}
	return nil
}

// consentGiven is consent.Service.OnAccepted: once both documents are
// accepted, a block that the missing consent caused is lifted. A block
// at the user's request or by an administrator stays.
func (c *Control) consentGiven(ctx context.Context, tx *db.Tx, userID int64) error {
	_, blocked, err := c.state(ctx, tx, userID)
	if err != nil || (blocked != account.BlockWithdrawn && blocked != account.BlockTerm) {
		return err
	}
	_, err = c.setTx(ctx, tx, userID, "", userID, 0, "consent given again")
	return err
}

// Reminders are sent this many days before a consent's term ends.
var Reminders = []int{30, 7}

// TermResult counts what a run of the term job did.
type TermResult struct{ Reminded, Blocked int }

// termPage is how many users the term job reads at a time.
const termPage = 500

// RunTerm is the consent-term job (law L3), run hourly on one node of
// the site: every user whose consent (to the documents in force) ends
// within a reminder's distance is emailed once per reminder, and every
// user whose consent ended is blocked with the reason "term". now is
// injected so tests move through the term.
func (c *Control) RunTerm(ctx context.Context, now time.Time) (TermResult, error) {
	var res TermResult
	days, err := c.consent.Term(ctx)
	if err != nil || days == 0 {
		return res, err
	}
	term := time.Duration(days) * consent.Day
	longest := 0
	for _, d := range Reminders {
		longest = max(longest, d)
	}
	cutoff := now.Add(-term + time.Duration(longest)*consent.Day)
	after := int64(0)
	for {
		list, err := c.consent.ConsentedBefore(ctx, cutoff, after, termPage)
		if err != nil {
			return res, fmt.Errorf("privacy: consent term: %w", err)
		}
		for _, u := range list {
			after = u.UserID
			if err := c.termOne(ctx, u, u.At.Add(term), now, &res); err != nil {
				return res, err
			}
		}
		if len(list) < termPage {
			return res, nil
		}
	}
}

// termOne reminds or blocks one user whose consent ends at end.
func (c *Control) termOne(ctx context.Context, u consent.Consented, end, now time.Time, res *TermResult) error {
	status, blocked, err := c.accounts.BlockedState(ctx, u.UserID)
	if errors.Is(err, db.ErrNotFound) || (err == nil && (status != account.StatusActive || blocked != "")) {
		return nil // deleted, or blocked already: no mail, nothing to block
	}
	if err != nil {
		return fmt.Errorf("privacy: consent term: %w", err)
	}
	if !now.Before(end) {
		err := c.db.InTx(ctx, func(tx *db.Tx) error {
			changed, err := c.setTx(ctx, tx, u.UserID, account.BlockTerm, 0, 0, "consent given "+u.At.UTC().Format(time.RFC3339)+" ended "+end.UTC().Format(time.RFC3339))
			if changed {
				res.Blocked++
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("privacy: consent term: block: %w", err)
		}
		return nil
	}
	// The nearest reminder due; the farther ones not yet sent are marked
	// sent with it (a term set shorter than a reminder's distance asks
	// once, not twice in a row).
	due := 0
	for _, d := range Reminders {
		if !now.Before(end.Add(-time.Duration(d)*consent.Day)) && (due == 0 || d < due) {
			due = d
		}
	}
	if due == 0 || c.SendTx == nil {
		return nil
	}
	usr, err := c.accounts.Get(ctx, u.UserID)
	if err != nil {
		return fmt.Errorf("privacy: consent term: %w", err)
	}
	return c.db.InTx(ctx, func(tx *db.Tx) error {
		send := false
		for _, d := range Reminders {
			if d < due {
				continue
			}
			r, err := tx.Exec(ctx, `INSERT INTO consent_reminders (user_id, consent_at, days_before, sent_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (user_id, consent_at, days_before) DO NOTHING`, u.UserID, u.At.UnixMilli(), d, now.UnixMilli())
			if err != nil {
				return fmt.Errorf("privacy: consent term: %w", err)
			}
			if n, _ := r.RowsAffected(); n == 1 && d == due {
				send = true
			}
		}
		if !send || usr.Email.IsZero() {
			return nil
		}
		m := c.reminder(usr, end, due)
		m.Key = "consent-term/" + strconv.FormatInt(u.UserID, 10) + "/" + strconv.FormatInt(u.At.UnixMilli(), 10) + "/" + strconv.Itoa(due)
		if err := c.SendTx(ctx, tx, m); err != nil {
			return fmt.Errorf("privacy: consent term: reminder: %w", err)
		}
		res.Reminded++
		return nil
	})
}

// reminder is the email asking u to renew a consent that ends at end.
func (c *Control) reminder(u *account.User, end time.Time, days int) mail.Message {
	l, ok := i18n.Parse(u.Locale)
	if !ok {
		l = i18n.Default
	}
	link := "/account/consent?renew=1"
	if c.BaseURL != nil {
		link = c.BaseURL() + link
	}
	text := i18n.T(l, "mail.greeting") + "\n\n" + i18n.T(l, "control.term.mail.body", end.In(Almaty).Format(DayLayout)) + "\n\n" +
		i18n.T(l, "control.term.mail.action") + ":\n" + link + "\n\n" + i18n.T(l, "control.term.mail.note") + "\n\n-- \n" + i18n.T(l, "mail.footer") + "\n"
	return mail.Message{To: u.Email.Reveal(), Subject: i18n.T(l, "control.term.mail.subject", days), Text: text, Lang: l, Kind: MailTermReminder}
}

// Mail kinds this package sends.
const (
	// MailRequestAnswer is the answer to a data subject's request: the
	// one message a blocked account still receives.
	MailRequestAnswer = "privacy.answer"
	// MailTermReminder asks to renew a consent whose term is ending.
	MailTermReminder = "consent.term"
)

// ErrBlockedRecipient is what Hold answers for a message it held back.
var ErrBlockedRecipient = errors.New("privacy: the recipient's account is blocked")

// PassBlocked are the kinds of message a blocked account still gets:
// the answers to its requests, and the password-reset link it asks for
// itself (without it, a blocked user who forgot the password could not
// reach their data or file a request).
var PassBlocked = map[string]bool{MailRequestAnswer: true, "reset": true, "password_changed": true}

// Hold wraps next so that nothing is mailed to a blocked account but the
// kinds in PassBlocked (issue 12 §2: no processing while blocked; law
// L12). blocked tells whether an address is a blocked account's
// (account.Service.AddressBlocked). A message held back is dropped, not
// queued for later: it answers nil, so callers that count sends (the
// digest) do not retry it, and the log says which kind, never to whom.
func Hold(next mail.Sender, blocked func(ctx context.Context, addr string) (bool, error), log *slog.Logger) mail.Sender {
	return holder{next: next, blocked: blocked, log: log}
}

type holder struct {
	next    mail.Sender
	blocked func(ctx context.Context, addr string) (bool, error)
	log     *slog.Logger
}

func (h holder) Send(ctx context.Context, m mail.Message) error {
	if !PassBlocked[m.Kind] {
		if a, err := netmail.ParseAddress(m.To); err == nil {
			bad, err := h.blocked(ctx, a.Address)
			if err != nil {
				return fmt.Errorf("privacy: hold: %w", err)
			}
			if bad {
				if h.log != nil {
					h.log.Info("privacy: mail to a blocked account held back", "kind", m.Kind)
				}
				return nil
			}
		}
	}
	return h.next.Send(ctx, m)
}
