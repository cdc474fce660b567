package privacy_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// controlEnv is a site's accounts, consent and control over one database.
type controlEnv struct {
	env
	acc  *account.Service
	ctl  *privacy.Control
	reqs *privacy.Requests
	sent *sentMail
}

type sentMail struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (s *sentMail) Send(_ context.Context, m mail.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	return nil
}

func (s *sentMail) list() []mail.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]mail.Message(nil), s.msgs...)
}

func newControl(t *testing.T, d *db.DB) controlEnv {
	t.Helper()
	e := setup(t, d)
	a := audit.New(d, e.v)
	acc := account.New(d, e.v, account.Options{})
	ctl := privacy.NewControl(d, e.v, a, acc, e.c)
	ctl.Receipts = e.r
	ctl.Hook()
	sent := &sentMail{}
	ctl.SendTx = func(ctx context.Context, _ *db.Tx, m mail.Message) error { return sent.Send(ctx, m) }
	ctl.BaseURL = func() string { return "https://smartustaz.example" }
	reqs := requests(e)
	reqs.Control = ctl
	return controlEnv{env: e, acc: acc, ctl: ctl, reqs: reqs, sent: sent}
}

// teacher registers a user (with an address) who accepts the documents.
func (c controlEnv) teacher(t *testing.T, email string) *account.User {
	t.Helper()
	ctx := context.Background()
	agreement, policy, err := c.c.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := c.acc.Register(ctx, account.RegisterInput{Email: email, Password: "Alma-Ata 1854 spring", FullName: "Айгүл Мұратова",
		Organization: "№12 мектеп", Position: "Мұғалім", Region: "Алматы", Locale: "kk", Accept: true},
		account.Meta{IP: "198.51.100.7", UserAgent: "test"},
		func(ctx context.Context, tx *db.Tx, u *account.User, key *vault.UserKey) error {
			return c.c.RecordAcceptance(ctx, tx, key, u.ID, []*consent.Document{agreement, policy}, consent.MethodRegistration, meta)
		})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (c controlEnv) blocked(t *testing.T, id int64) string {
	t.Helper()
	u, err := c.acc.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u.Blocked
}

func auditCount(t *testing.T, d *db.DB, action string, target int64, detail string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = ? AND target_user_id = ? AND detail LIKE ?`,
		action, target, "%"+detail+"%").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Issue 12 §2 (law L12): answering a block request blocks the account,
// answering an unblock request lifts the block, each in the answer's
// transaction with its audit entry; an action a request type does not
// allow is refused and nothing is written — on both engines.
func TestControlBlockUnblockByRequest(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newControl(t, d)
		u := c.teacher(t, "block@mektep.kz")
		access, err := c.reqs.File(ctx, u.ID, privacy.RequestAccess, "", 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.reqs.AnswerWith(ctx, access.ID, "Көшірме дайын", privacy.ActBlock, 9, 9); err == nil {
			t.Fatalf("an access request's answer blocked the account")
		}
		if c.blocked(t, u.ID) != "" {
			t.Fatalf("a refused action blocked the account")
		}
		if x, _ := c.reqs.Get(ctx, access.ID); x.Status != privacy.StatusOpen {
			t.Fatalf("a refused action closed the request")
		}
		blk, _ := c.reqs.File(ctx, u.ID, privacy.RequestBlock, "Өңдеуді тоқтатыңыз", 1)
		if _, err := c.reqs.AnswerWith(ctx, blk.ID, "Бұғатталды", privacy.ActBlock, 9, 9); err != nil {
			t.Fatal(err)
		}
		if got := c.blocked(t, u.ID); got != account.BlockRequest {
			t.Fatalf("after the block request: blocked %q, want %q", got, account.BlockRequest)
		}
		if n := auditCount(t, d, audit.ActionUserBlock, u.ID, "request"); n != 1 {
			t.Errorf("%d block entries in the audit log, want 1", n)
		}
		// Consenting again does not lift a block the user asked for.
		agreement, policy, _ := c.c.Current(ctx)
		if err := c.c.Accept(ctx, u.ID, []int64{agreement.ID, policy.ID}, consent.Meta{}); err != nil {
			t.Fatal(err)
		}
		if c.blocked(t, u.ID) != account.BlockRequest {
			t.Errorf("accepting the documents lifted a block made at the user's request")
		}
		un, _ := c.reqs.File(ctx, u.ID, privacy.RequestUnblock, "", 1)
		if _, err := c.reqs.AnswerWith(ctx, un.ID, "Бұғаттан шығарылды", privacy.ActUnblock, 9, 9); err != nil {
			t.Fatal(err)
		}
		if got := c.blocked(t, u.ID); got != "" {
			t.Fatalf("after the unblock request: blocked %q", got)
		}
		if n := auditCount(t, d, audit.ActionUserUnblock, u.ID, "unblocked (was request)"); n != 1 {
			t.Errorf("%d unblock entries in the audit log, want 1", n)
		}
	})
}

// Law L4, issue 12 §2, §5: withdrawing consent records a withdrawal per
// document (with its signed receipt, marked as a withdrawal), blocks the
// account with the reason "withdrawn" and audits it; the documents are
// pending again; accepting them records new acceptances and lifts the
// block — on both engines.
func TestControlWithdrawAndConsentAgain(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newControl(t, d)
		u := c.teacher(t, "withdraw@mektep.kz")
		if err := c.ctl.Withdraw(ctx, u.ID, consent.Meta{IP: "203.0.113.9", UserAgent: "test", SessionID: 4}); err != nil {
			t.Fatal(err)
		}
		if got := c.blocked(t, u.ID); got != account.BlockWithdrawn {
			t.Fatalf("after withdrawal: blocked %q", got)
		}
		pending, err := c.c.Pending(ctx, u.ID)
		if err != nil || len(pending) != 2 {
			t.Fatalf("after withdrawal: %d documents pending, %v", len(pending), err)
		}
		if _, ok, _ := c.c.ConsentedAt(ctx, u.ID); ok {
			t.Errorf("a withdrawn consent still counts")
		}
		issued, err := c.r.List(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		withdrawals := 0
		for _, is := range issued {
			if is.Acceptance.Method != consent.MethodWithdrawal {
				continue
			}
			withdrawals++
			if is.ReceiptID == "" {
				t.Errorf("the withdrawal of %s has no receipt issued", is.Acceptance.Kind)
				continue
			}
			jws, err := c.r.Receipt(ctx, u.ID, is.Acceptance.ID)
			if err != nil {
				t.Fatal(err)
			}
			rc, err := c.r.Verify(ctx, jws)
			if err != nil || !rc.Withdrawn || !strings.Contains(rc.CollectionMethod, "withdrawal") {
				t.Errorf("withdrawal receipt: %+v, %v", rc, err)
			}
		}
		if withdrawals != 2 {
			t.Errorf("%d withdrawal rows, want 2", withdrawals)
		}
		if n := auditCount(t, d, audit.ActionUserBlock, u.ID, "withdrawn"); n != 1 {
			t.Errorf("%d audit entries of the withdrawal, want 1", n)
		}
		// A second withdrawal records nothing more.
		if err := c.ctl.Withdraw(ctx, u.ID, consent.Meta{}); err != nil {
			t.Fatal(err)
		}
		if n := auditCount(t, d, audit.ActionUserBlock, u.ID, "withdrawn"); n != 1 {
			t.Errorf("a second withdrawal audited again: %d", n)
		}
		agreement, policy, _ := c.c.Current(ctx)
		if err := c.c.Accept(ctx, u.ID, []int64{agreement.ID, policy.ID}, consent.Meta{IP: "203.0.113.9", SessionID: 4}); err != nil {
			t.Fatal(err)
		}
		if got := c.blocked(t, u.ID); got != "" {
			t.Fatalf("consenting again left the account blocked %q", got)
		}
		if pending, _ := c.c.Pending(ctx, u.ID); len(pending) != 0 {
			t.Errorf("documents still pending after consenting again")
		}
		if n := auditCount(t, d, audit.ActionUserUnblock, u.ID, "consent given again"); n != 1 {
			t.Errorf("%d audit entries of the unblock, want 1", n)
		}
		// Withdrawal through a request an administrator answers does the same.
		x, _ := c.reqs.File(ctx, u.ID, privacy.RequestWithdraw, "", 1)
		if _, err := c.reqs.AnswerWith(ctx, x.ID, "Келісіміңіз кері қайтарылды", privacy.ActBlock, 9, 9); err != nil {
			t.Fatal(err)
		}
		if got := c.blocked(t, u.ID); got != account.BlockWithdrawn {
			t.Errorf("a withdrawal request answered with a block: %q", got)
		}
		if pending, _ := c.c.Pending(ctx, u.ID); len(pending) != 2 {
			t.Errorf("a withdrawal request did not withdraw the consent")
		}
	})
}

// Law L3: with a term of 365 days, the job emails a reminder 30 and 7
// days before the end, each once however often it runs; at the end it
// blocks the account (not deleting it), audited; accepting again renews
// (method "renewal") and lifts the block; with no term nothing happens —
// on both engines, with the clock injected.
func TestControlConsentTerm(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newControl(t, d)
		u := c.teacher(t, "term@mektep.kz")
		given, ok, err := c.c.ConsentedAt(ctx, u.ID)
		if err != nil || !ok {
			t.Fatalf("consented at: %v %v", ok, err)
		}
		day := 24 * time.Hour
		if res, err := c.ctl.RunTerm(ctx, given.Add(400*day)); err != nil || res != (privacy.TermResult{}) {
			t.Fatalf("no term set: %+v, %v", res, err)
		}
		if _, err := consent.ParseTerm("-3"); err == nil {
			t.Errorf("a negative term was accepted")
		}
		if err := c.c.SetTerm(ctx, 365, 9, 9); err != nil {
			t.Fatal(err)
		}
		end := given.Add(365 * day)
		run := func(at time.Time) privacy.TermResult {
			t.Helper()
			res, err := c.ctl.RunTerm(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		if res := run(end.Add(-31 * day)); res.Reminded != 0 {
			t.Errorf("reminded 31 days before the end")
		}
		if res := run(end.Add(-30 * day)); res.Reminded != 1 {
			t.Errorf("30 days before: %+v", res)
		}
		if res := run(end.Add(-20 * day)); res.Reminded != 0 {
			t.Errorf("the 30-day reminder was sent twice: %+v", res)
		}
		if res := run(end.Add(-6 * day)); res.Reminded != 1 {
			t.Errorf("7 days before: %+v", res)
		}
		run(end.Add(-1 * day))
		msgs := c.sent.list()
		if len(msgs) != 2 {
			t.Fatalf("%d reminders, want 2", len(msgs))
		}
		if msgs[0].To != "term@mektep.kz" || msgs[0].Kind != privacy.MailTermReminder || !strings.Contains(msgs[0].Text, "/account/consent?renew=1") ||
			!strings.Contains(msgs[0].Subject, "30") || !strings.Contains(msgs[1].Subject, "7") {
			t.Errorf("reminders: %q / %q", msgs[0].Subject, msgs[1].Subject)
		}
		if c.blocked(t, u.ID) != "" {
			t.Fatalf("blocked before the end")
		}
		if res := run(end.Add(time.Minute)); res.Blocked != 1 {
			t.Fatalf("at the end: %+v", res)
		}
		got, err := c.acc.Get(ctx, u.ID)
		if err != nil || got.Blocked != account.BlockTerm || got.Status != account.StatusActive || got.Email.Reveal() != "term@mektep.kz" {
			t.Fatalf("after the end: blocked %q status %q, %v", got.Blocked, got.Status, err)
		}
		if n := auditCount(t, d, audit.ActionUserBlock, u.ID, "blocked: term"); n != 1 {
			t.Errorf("%d audit entries of the term's block", n)
		}
		if res := run(end.Add(2 * day)); res != (privacy.TermResult{}) {
			t.Errorf("a blocked account was handled again: %+v", res)
		}
		agreement, policy, _ := c.c.Current(ctx)
		if err := c.c.Accept(ctx, u.ID, []int64{agreement.ID, policy.ID}, consent.Meta{}); err != nil {
			t.Fatal(err)
		}
		if c.blocked(t, u.ID) != "" {
			t.Fatalf("renewing did not lift the term's block")
		}
		acc, _ := c.c.Acceptances(ctx, u.ID)
		if len(acc) == 0 || acc[0].Method != consent.MethodRenewal {
			t.Errorf("the renewal is recorded as %q", acc[0].Method)
		}
		renewed, _, _ := c.c.ConsentedAt(ctx, u.ID)
		if !renewed.After(given) || !renewed.Add(365*day).After(time.Now()) {
			t.Errorf("the renewal did not start a new term")
		}
	})
}

// Issue 12 §2: nothing is mailed to a blocked account but the answer to
// its requests (and the reset link it asks for); unblocked, it is mailed
// again; other addresses are not touched — on both engines.
func TestControlHoldsMailWhileBlocked(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newControl(t, d)
		u := c.teacher(t, "hold@mektep.kz")
		out := &sentMail{}
		s := privacy.Hold(out, c.acc.AddressBlocked, nil)
		if err := c.ctl.Block(ctx, u.ID, account.BlockAdmin, 9, 9, "test"); err != nil {
			t.Fatal(err)
		}
		for _, m := range []mail.Message{
			{To: "Hold <HOLD@mektep.kz>", Subject: "digest", Kind: "other"},
			{To: "hold@mektep.kz", Subject: "agreement", Kind: "agreement"},
			{To: "hold@mektep.kz", Subject: "answer", Kind: privacy.MailRequestAnswer},
			{To: "someone@mektep.kz", Subject: "other user", Kind: "other"},
		} {
			if err := s.Send(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		for _, m := range out.list() {
			got = append(got, m.Subject)
		}
		if strings.Join(got, ",") != "answer,other user" {
			t.Errorf("sent while blocked: %v", got)
		}
		if err := c.ctl.Unblock(ctx, u.ID, 9, 9, "test"); err != nil {
			t.Fatal(err)
		}
		_ = s.Send(ctx, mail.Message{To: "hold@mektep.kz", Subject: "after", Kind: "other"})
		if l := out.list(); l[len(l)-1].Subject != "after" {
			t.Errorf("mail still held after unblocking")
		}
	})
}
