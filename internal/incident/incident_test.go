package incident_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/incident"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/mail/mailtest"
	"github.com/smartustaz/smartustaz/internal/mailq"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/vault"
)

type env struct {
	d        *db.DB
	v        *vault.Vault
	a        *audit.Log
	accounts *account.Service
	contacts *privacy.Contacts
	s        *incident.Service
}

func setup(t *testing.T, d *db.DB) env {
	t.Helper()
	v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	a := audit.New(d, v)
	accounts := account.New(d, v, account.Options{})
	contacts := privacy.NewContacts(d, a)
	return env{d: d, v: v, a: a, accounts: accounts, contacts: contacts,
		s: incident.New(d, v, a, accounts, privacy.NewHolidays(d, a), contacts)}
}

// users makes n teachers (demo-1@… to demo-n@…) and returns their ids.
func (e env) users(t *testing.T, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := e.accounts.CreateDemoUsers(ctx, n, "a long enough password", nil); err != nil {
		t.Fatal(err)
	}
	ids, _, err := e.accounts.IDsByEmail(ctx, demoEmails(n))
	if err != nil || len(ids) != n {
		t.Fatalf("demo users: %d, %v", len(ids), err)
	}
	return ids
}

func demoEmails(n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, account.DemoEmail(i))
	}
	return out
}

func at(day, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, privacy.Almaty)
	if err != nil {
		panic(err)
	}
	return t
}

const (
	secretDesc     = "Жақсыбекова Әйгерімнің кестесі бөгде адамға жіберілді"
	secretMeasures = "Құпиясөздер ауыстырылды; Нұрланов Ерболға хабарланды"
)

func input(detected string) incident.Input {
	return incident.Input{Kind: string(incident.KindLeak), Categories: []string{"contact", "identity"}, DetectedAt: detected,
		Select: incident.SelectAll, Description: secretDesc, Measures: secretMeasures}
}

// Law L15: the authorised body is notified within one working day of the
// detection, counted on Kazakhstan's calendar — a leak found on a Friday
// evening is due on Monday; one found before Nauryz on the first working
// day after it — on both engines, and the incident is overdue only after
// that day ends.
func TestIncidentDeadlineOverWeekendAndHoliday(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		e.users(t, 2)
		for _, tc := range []struct{ detected, now, due string }{
			{"2026-12-04T19:30", "2026-12-05 10:00", "2026-12-07"}, // Friday → Monday
			{"2026-03-20T09:00", "2026-03-20 10:00", "2026-03-26"}, // Friday before Nauryz and its moved days off
			{"2026-03-22T12:00", "2026-03-23 10:00", "2026-03-26"}, // found on a holiday
			{"2026-12-15T16:00", "2026-12-15 17:00", "2026-12-17"}, // the day before Independence Day
		} {
			now, _ := time.ParseInLocation("2006-01-02 15:04", tc.now, privacy.Almaty)
			e.s.SetClock(func() time.Time { return now })
			x, err := e.s.Record(ctx, input(tc.detected), 7, 8)
			if err != nil {
				t.Fatalf("%s: %v", tc.detected, err)
			}
			if x.DueDay() != tc.due {
				t.Errorf("detected %s: due %s, want %s", tc.detected, x.DueDay(), tc.due)
			}
			if x.Overdue(at(tc.due, "23:59")) || !x.Overdue(at(tc.due, "23:59").Add(2*time.Minute)) {
				t.Errorf("detected %s: overdue is not the end of %s", tc.detected, tc.due)
			}
			got, err := e.s.Get(ctx, x.ID)
			if err != nil || got.DueDay() != tc.due || got.Subjects != 2 || got.Description.Reveal() != secretDesc {
				t.Fatalf("stored incident: %+v, %v", got, err)
			}
		}
		rule, _ := privacy.RuleFor(privacy.RequestBreachNote)
		if rule.WorkingDays != 1 || rule.LawItem != "L15" {
			t.Errorf("the rules table's incident rule: %+v", rule)
		}
	})
}

// Recording: bad input is refused with a field and nothing written;
// users chosen by id or by address (blind index) are the ones stored;
// the texts are sealed (never in plaintext in the database); the
// record, the notification of the body and the document are audited.
func TestIncidentRecordAndAudit(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		ids := e.users(t, 4)
		e.s.SetClock(func() time.Time { return at("2026-12-03", "12:00") })

		bad := []struct {
			field string
			in    func(*incident.Input)
		}{
			{"kind", func(in *incident.Input) { in.Kind = "flood" }},
			{"categories", func(in *incident.Input) { in.Categories = nil }},
			{"categories", func(in *incident.Input) { in.Categories = []string{"passport"} }},
			{"detected_at", func(in *incident.Input) { in.DetectedAt = "yesterday" }},
			{"detected_at", func(in *incident.Input) { in.DetectedAt = "2026-12-04T12:00" }},
			{"occurred_at", func(in *incident.Input) { in.OccurredAt = "2026-12-03T11:00" }},
			{"description", func(in *incident.Input) { in.Description = "  " }},
			{"select", func(in *incident.Input) { in.Select = "some" }},
			{"users", func(in *incident.Input) { in.Select, in.Users = incident.SelectIDs, "" }},
			{"users", func(in *incident.Input) { in.Select, in.Users = incident.SelectIDs, "12 abc" }},
			{"users", func(in *incident.Input) { in.Select, in.Users = incident.SelectIDs, fmt.Sprint(ids[0], " 999") }},
			{"users", func(in *incident.Input) { in.Select, in.Users = incident.SelectEmails, "nobody@example.kz" }},
		}
		for _, b := range bad {
			in := input("2026-12-03T10:00")
			b.in(&in)
			_, err := e.s.Record(ctx, in, 7, 8)
			var fields apperr.Fields
			if !errors.As(err, &fields) {
				e1, ok := apperr.As(err)
				if !ok || e1.Code != apperr.Invalid {
					t.Fatalf("%s: %v, want a field error", b.field, err)
				}
				fields = apperr.Fields{e1}
			}
			found := false
			for _, f := range fields {
				found = found || f.Field == b.field
			}
			if !found {
				t.Errorf("%s: errors on %v", b.field, fields)
			}
			if msg := i18n.T(i18n.KK, fields[0].Key, fields[0].Args...); strings.HasPrefix(msg, "incident.") {
				t.Errorf("%s: untranslated %q", b.field, msg)
			}
		}
		list, _ := e.s.List(ctx)
		if len(list) != 0 {
			t.Fatalf("bad input wrote %d incidents", len(list))
		}

		in := input("2026-12-03T10:00")
		in.Select, in.Users = incident.SelectEmails, "DEMO-2@demo.smartustaz.kz, "+account.DemoEmail(3)+"\n"+account.DemoEmail(3)
		x, err := e.s.Record(ctx, in, 7, 8)
		if err != nil {
			t.Fatal(err)
		}
		subj, err := e.s.Subjects(ctx, x.ID, 0)
		if err != nil || len(subj) != 2 || !has(subj, ids[1]) || !has(subj, ids[2]) {
			t.Fatalf("subjects by address: %+v, %v", subj, err)
		}
		in.Select, in.Users = incident.SelectIDs, fmt.Sprint(ids[3])
		y, err := e.s.Record(ctx, in, 7, 8)
		if err != nil {
			t.Fatal(err)
		}
		if subj, _ := e.s.Subjects(ctx, y.ID, 0); len(subj) != 1 || subj[0].UserID != ids[3] || subj[0].Revealed {
			t.Fatalf("subjects by id: %+v", subj)
		}

		var desc, measures []byte
		if err := d.QueryRow(ctx, `SELECT description_enc, measures_enc FROM incidents WHERE id = ?`, x.ID).Scan(&desc, &measures); err != nil {
			t.Fatal(err)
		}
		for _, b := range [][]byte{desc, measures} {
			if bytes.Contains(b, []byte("Жақсыбекова")) || bytes.Contains(b, []byte("Нұрланов")) || len(b) == 0 {
				t.Errorf("an incident's text is stored in plaintext or not at all")
			}
		}

		if err := e.s.BodyNotified(ctx, x.ID, "2026-12-02T10:00", 7, 8); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("notified before detection: %v", err)
		}
		if err := e.s.BodyNotified(ctx, x.ID, "2026-12-03T11:30", 7, 8); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.s.Get(ctx, x.ID); got.BodyNotifiedAt.IsZero() || got.Overdue(at("2027-01-01", "00:00")) || got.Late() {
			t.Errorf("after the notification: %+v", got)
		}
		if err := e.s.DocumentIssued(ctx, x.ID, "ru", 7, 8); err != nil {
			t.Fatal(err)
		}
		revealed, err := e.s.RevealSubjects(ctx, x.ID, 0, "notification to the ministry", account.Meta{ActorID: 7, SessionID: 8})
		if err != nil || len(revealed) != 2 || !revealed[0].Revealed || !strings.HasPrefix(revealed[0].Email.Reveal(), "demo-") {
			t.Fatalf("reveal: %+v, %v", revealed, err)
		}
		if _, err := e.s.RevealSubjects(ctx, x.ID, 0, " ", account.Meta{ActorID: 7}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("a reveal without a purpose: %v", err)
		}

		entries := auditEntries(t, e)
		want := []string{
			fmt.Sprintf("incident %d recorded: leak, 2 users, due 2026-12-04", x.ID),
			fmt.Sprintf("incident %d recorded: leak, 1 users, due 2026-12-04", y.ID),
			fmt.Sprintf("incident %d: authorised body notified 2026-12-03T11:30", x.ID),
			fmt.Sprintf("incident %d: notification document (ru)", x.ID),
		}
		for _, w := range want {
			if !containsDetail(entries, audit.ActionIncident, w) {
				t.Errorf("no audit entry %q", w)
			}
		}
		reveals := 0
		for _, en := range entries {
			if en.Action == audit.ActionReveal && strings.Contains(en.Purpose, fmt.Sprintf("incident %d", x.ID)) && en.ActorID == 7 {
				reveals++
			}
		}
		if reveals != 2 {
			t.Errorf("%d reveal entries, want one for each of 2 users", reveals)
		}
	})
}

func has(xs []incident.Subject, id int64) bool {
	for _, x := range xs {
		if x.UserID == id {
			return true
		}
	}
	return false
}

func auditEntries(t *testing.T, e env) []audit.Entry {
	t.Helper()
	rows, err := e.d.Query(context.Background(), `SELECT actor_user_id, action, target_user_id, purpose, detail FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var x audit.Entry
		if err := rows.Scan(&x.ActorID, &x.Action, &x.TargetUserID, &x.Purpose, &x.Detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, x)
	}
	return out
}

func containsDetail(es []audit.Entry, action, detail string) bool {
	for _, x := range es {
		if x.Action == action && x.Detail == detail {
			return true
		}
	}
	return false
}

// jobOptions are quick: polls every 20 ms, retries after 50 ms.
func jobOptions(node string) jobs.Options {
	return jobs.Options{Poll: 20 * time.Millisecond, Lease: 5 * time.Second, Timeout: 10 * time.Second,
		Node: node, Workers: 2, Backoff: func(int) time.Duration { return 50 * time.Millisecond }}
}

// node is one serve process's job queue, mail queue and incident jobs.
func (e env) node(t *testing.T, name string, out mail.Sender) (*jobs.Queue, *incident.Service) {
	t.Helper()
	jq, err := jobs.New(e.d, jobOptions(name))
	if err != nil {
		t.Fatal(err)
	}
	mq := mailq.New(e.d, e.v, jq, out, mailq.Options{Rate: 1000, From: "site@smartustaz.kz"})
	if err := mq.Register(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := incident.New(e.d, e.v, e.a, e.accounts, privacy.NewHolidays(e.d, e.a), e.contacts)
	s.UseJobs(incident.Jobs{Queue: jq, Mail: mq, Base: func() string { return "https://smartustaz.example" }})
	return jq, s
}

// Each user an incident concerns gets its notice once, in their
// language, even when the button is pressed twice and the node that
// took the work is stopped before it ran and another node finishes; the
// users then see the notice on their data (ForUser) — on both engines.
func TestIncidentNotifyUsersExactlyOnce(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		const n = 230 // more than one page of the job
		ids := e.users(t, n)
		if err := e.accounts.SetLocale(ctx, ids[0], "ru"); err != nil {
			t.Fatal(err)
		}
		if err := e.accounts.SetLocale(ctx, ids[1], "en"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.contacts.Save(ctx, privacy.ContactInfo{OperatorName: "ТОО «Smart Ustaz»", OperatorBIN: "123456789012",
			OperatorAddress: "Астана, Мәңгілік Ел 8", ResponsibleName: "Сәрсенова Гүлнар", ContactEmail: "dpo@smartustaz.kz"}, 7, 8); err != nil {
			t.Fatal(err)
		}
		srv := (&mailtest.Server{}).Start(t, mailtest.Plain)
		out, err := mail.Open("smtp://"+srv.Addr, t.TempDir(), "site@smartustaz.kz")
		if err != nil {
			t.Fatal(err)
		}

		// Node A: recorded and pressed twice, stopped before any job ran.
		_, a := e.node(t, "node-a", out)
		a.SetClock(func() time.Time { return time.Now() })
		x, err := a.Record(ctx, input(time.Now().In(privacy.Almaty).Add(-time.Hour).Format(incident.TimeLayout)), 7, 8)
		if err != nil {
			t.Fatal(err)
		}
		if mine, _ := a.ForUser(ctx, ids[0]); len(mine) != 0 {
			t.Errorf("users see the incident before they are told")
		}
		if err := a.NotifyUsers(ctx, x.ID, 7, 8); err != nil {
			t.Fatal(err)
		}
		if err := a.NotifyUsers(ctx, x.ID, 7, 8); err != nil {
			t.Fatal(err)
		}

		// Node B takes the jobs; pressed once more while it works.
		jq, b := e.node(t, "node-b", out)
		runCtx, cancel := context.WithCancel(ctx)
		if err := jq.Start(runCtx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { jq.Stop(5 * time.Second); cancel() })
		if err := b.NotifyUsers(ctx, x.ID, 7, 8); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Minute)
		for srv.Count() < n {
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d letters arrived", srv.Count(), n)
			}
			time.Sleep(50 * time.Millisecond)
		}
		time.Sleep(500 * time.Millisecond) // time for a duplicate to arrive, if one were coming
		got := map[string]int{}
		for _, r := range srv.Received() {
			for _, to := range r.To {
				got[strings.ToLower(to)]++
			}
		}
		if len(got) != n || srv.Count() != n {
			t.Fatalf("%d letters to %d addresses, want %d, each once", srv.Count(), len(got), n)
		}
		for addr, c := range got {
			if c != 1 {
				t.Errorf("%s got %d letters", addr, c)
			}
		}
		langs := map[string]int{}
		for _, r := range srv.Received() {
			msg, err := netmail.ReadMessage(bytes.NewReader(r.Data))
			if err != nil {
				t.Fatal(err)
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range i18n.Langs {
				if subject == i18n.T(l, "incident.mail.subject") {
					langs[string(l)]++
				}
			}
		}
		want := map[string]int{}
		for _, id := range ids {
			u, err := e.accounts.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			want[u.Locale]++
		}
		if fmt.Sprint(langs) != fmt.Sprint(want) || len(want) != 3 {
			t.Errorf("letters by language %v, the users' languages %v", langs, want)
		}
		got2, _ := b.Get(ctx, x.ID)
		if got2.Notified != n || got2.UsersNotifyAt.IsZero() {
			t.Errorf("notified %d of %d", got2.Notified, n)
		}
		mine, err := b.ForUser(ctx, ids[5])
		if err != nil || len(mine) != 1 || mine[0].Measures.Reveal() != secretMeasures || mine[0].NotifiedAt.IsZero() {
			t.Fatalf("the user's notice: %+v, %v", mine, err)
		}
		// Nothing personal stays in the queue once sent, and the letter's
		// words are nowhere in the database in plaintext.
		var plain int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM mail_queue WHERE bulk = ? AND (status <> 'sent' OR rcpt IS NOT NULL)`, incident.Bulk(x.ID)).Scan(&plain); err != nil {
			t.Fatal(err)
		}
		if plain != 0 {
			t.Errorf("%d letters not sent or not wiped", plain)
		}
		starts := 0
		for _, en := range auditEntries(t, e) {
			if en.Action == audit.ActionIncident && strings.HasPrefix(en.Detail, fmt.Sprintf("incident %d: notice to users", x.ID)) {
				starts++
			}
		}
		if starts != 3 {
			t.Errorf("%d audit entries of the notice, want 3 (started, resumed twice)", starts)
		}
	})
}

// The letter says what happened, which data, the measures and whom to
// ask, in the user's language, and never the description.
func TestIncidentLetter(t *testing.T) {
	x := &incident.Incident{ID: 5, Kind: incident.KindLostBackup, DetectedAt: at("2026-12-03", "10:00"),
		Description: vault.NewSecret(secretDesc), Measures: vault.NewSecret(secretMeasures)}
	x.Categories = append(x.Categories, "contact")
	c := privacy.ContactInfo{ResponsibleName: "Сәрсенова Гүлнар", ContactEmail: "dpo@smartustaz.kz"}
	for _, l := range i18n.Langs {
		m := incident.Letter(l, x, c, "https://smartustaz.example/account/data#incidents")
		for _, want := range []string{i18n.T(l, "incident.kind.lost_backup"), secretMeasures, "dpo@smartustaz.kz", "Сәрсенова Гүлнар", "/account/data"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("%s: the letter lacks %q", l, want)
			}
		}
		if strings.Contains(m.Text, "Жақсыбекова") || m.Subject == "" || m.Kind != "incident" {
			t.Errorf("%s: %q / %q", l, m.Subject, m.Text)
		}
	}
}
