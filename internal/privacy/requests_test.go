package privacy_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

func requests(e env) *privacy.Requests {
	a := audit.New(e.d, e.v)
	return privacy.NewRequests(e.d, e.v, a, privacy.NewHolidays(e.d, a))
}

// Issue 12 §2 (law L10–L13): each request type a user files is
// registered with its deadline in working days of Kazakhstan, the words
// sealed; the queue is sorted by deadline and shows what is overdue;
// the answer closes the request once, audited — on both engines.
func TestRequestRegister(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		rs := requests(e)
		user := e.register(t)
		// Friday 20 March 2026, before Nauryz and its moved days off.
		friday := at("2026-03-20", "15:00")
		rs.SetClock(func() time.Time { return friday })
		want := map[privacy.RequestType]string{
			privacy.RequestAccess: "2026-03-30", privacy.RequestCorrect: "2026-03-26", privacy.RequestBlock: "2026-03-26",
			privacy.RequestWithdraw: "2026-03-26", privacy.RequestDelete: "2026-03-26", privacy.RequestUnblock: "2026-03-26",
		}
		secret := "Менің тегім қате жазылған: Әбілқасымова"
		ids := map[privacy.RequestType]int64{}
		for _, typ := range privacy.FileTypes {
			r, err := rs.File(ctx, user, typ, secret, 5)
			if err != nil {
				t.Fatalf("%s: %v", typ, err)
			}
			if dayOf(r.Due) != want[typ] {
				t.Errorf("%s: due %s, want %s", typ, dayOf(r.Due), want[typ])
			}
			ids[typ] = r.ID
		}
		var raw []byte
		if err := d.QueryRow(ctx, `SELECT detail_enc FROM privacy_requests WHERE id = ?`, ids[privacy.RequestAccess]).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("Әбілқасымова")) {
			t.Errorf("the request's words are stored in plaintext")
		}
		mine, err := rs.ForUser(ctx, user)
		if err != nil || len(mine) != len(privacy.FileTypes) || mine[0].Detail.Reveal() != secret {
			t.Fatalf("user's list: %d requests, err %v", len(mine), err)
		}

		// The queue, on Tuesday 31 March: access (due 30th) and the rest
		// (due 26th) are all overdue; the earliest deadline comes first.
		rs.SetClock(func() time.Time { return at("2026-03-31", "09:00") })
		open, _, err := rs.Queue(ctx)
		last := len(privacy.FileTypes) - 1
		if err != nil || len(open) != len(privacy.FileTypes) {
			t.Fatalf("queue: %d, %v", len(open), err)
		}
		if open[last].Type != privacy.RequestAccess || !open[0].Overdue(at("2026-03-31", "09:00")) {
			t.Errorf("queue not sorted by deadline or not overdue")
		}
		if !open[0].Detail.IsZero() {
			t.Errorf("the queue opens the users' words")
		}
		if open[last].Overdue(at("2026-03-30", "12:00")) {
			t.Errorf("a request is overdue on its own last day")
		}

		if _, err := rs.Answer(ctx, ids[privacy.RequestCorrect], "  ", 9, 9); err == nil {
			t.Errorf("an empty answer was accepted")
		}
		x, err := rs.Answer(ctx, ids[privacy.RequestCorrect], "Тегіңіз түзетілді.", 9, 9)
		if err != nil || x.Status != privacy.StatusAnswered || x.UserID != user {
			t.Fatalf("answer: %v", err)
		}
		_, err = rs.Answer(ctx, ids[privacy.RequestCorrect], "Екінші жауап", 9, 9)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.Conflict {
			t.Errorf("a second answer: %v", err)
		}
		open, answered, _ := rs.Queue(ctx)
		if len(open) != last || len(answered) != 1 {
			t.Errorf("after the answer: %d open, %d answered", len(open), len(answered))
		}
		got, _ := rs.Get(ctx, ids[privacy.RequestCorrect])
		if got.Answer.Reveal() != "Тегіңіз түзетілді." {
			t.Errorf("answer not kept")
		}
		var n int
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND target_user_id = ?`, audit.ActionPrivacyRequest, user).Scan(&n)
		if n != len(privacy.FileTypes) {
			t.Errorf("%d filings audited, want %d", n, len(privacy.FileTypes))
		}
		var detail string
		_ = d.QueryRow(ctx, `SELECT detail FROM audit_log WHERE action = ?`, audit.ActionPrivacyAnswer).Scan(&detail)
		if !strings.Contains(detail, "late") {
			t.Errorf("a late answer is not marked late in the audit log")
		}
	})
}

func TestRequestRefusals(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		rs := requests(e)
		user := e.register(t)
		for _, c := range []struct {
			typ    privacy.RequestType
			detail string
			field  string
		}{
			{"takeover", "", "type"}, {privacy.RequestBreachNote, "", "type"}, {privacy.RequestCorrect, " \n", "detail"},
			{privacy.RequestAccess, strings.Repeat("ы", privacy.MaxRequestText+1), "detail"},
		} {
			_, err := rs.File(ctx, user, c.typ, c.detail, 1)
			if e, ok := apperr.As(err); !ok || e.Field != c.field {
				t.Errorf("%s: %v, want a field error on %s", c.typ, err, c.field)
			}
		}
		var n int
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM privacy_requests`).Scan(&n)
		if n != 0 {
			t.Errorf("refused requests were written")
		}
		if _, err := rs.Answer(ctx, 12345, "x", 1, 1); err == nil {
			t.Errorf("answering a missing request succeeded")
		}
	})
}

// A deletion empties the requests' words and answers and removes the
// receipts; the request rows stay as the record of deadlines met.
func TestEraseUser(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		rs := requests(e)
		user, other := e.register(t), e.register(t)
		for _, u := range []int64{user, other} {
			x, err := rs.File(ctx, u, privacy.RequestCorrect, "Тегім қате", 1)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rs.Answer(ctx, x.ID, "Түзетілді", 9, 9); err != nil {
				t.Fatal(err)
			}
			receiptOf(t, e, u)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return privacy.EraseUser(ctx, tx, user) }); err != nil {
			t.Fatal(err)
		}
		var sealed, rows, receipts int
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM privacy_requests WHERE user_id = ? AND (detail_enc IS NOT NULL OR answer_enc IS NOT NULL)`, user).Scan(&sealed)
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM privacy_requests WHERE user_id = ?`, user).Scan(&rows)
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM consent_receipts WHERE user_id = ?`, user).Scan(&receipts)
		if sealed != 0 || rows != 1 || receipts != 0 {
			t.Errorf("after erase: %d sealed, %d rows, %d receipts; want 0, 1, 0", sealed, rows, receipts)
		}
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM privacy_requests WHERE user_id = ? AND detail_enc IS NOT NULL`, other).Scan(&sealed)
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM consent_receipts WHERE user_id = ?`, other).Scan(&receipts)
		if sealed != 1 || receipts != 1 {
			t.Errorf("another user's data was erased")
		}
	})
}
