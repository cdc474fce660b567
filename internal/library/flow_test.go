package library_test

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/mail"
)

func ids(cards []library.Card) []int64 {
	var out []int64
	for _, c := range cards {
		out = append(out, c.ID)
	}
	return out
}

func contains(xs []int64, x int64) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// outboxSubjects reads the subjects of the emails written to dir.
func outboxSubjects(t *testing.T, dir string) []string {
	t.Helper()
	fs, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	var out []string
	for _, f := range fs {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := netmail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		s, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		out = append(out, s)
	}
	return out
}

// publish → pending (not in the catalog, visible to its author and staff
// only) → approved (listed, author told in their language); a rejected
// one is not listed and its author is told why.
func TestModerationFlow(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		outbox := t.TempDir()
		o := library.Options{Mail: mail.NewOutbox(outbox, ""), BaseURL: "https://smartustaz.test",
			Contacts: func(ctx context.Context, id int64) (string, i18n.Lang, error) {
				return "author@mektep.test", i18n.RU, nil
			}}
		e := newEnv(t, d, o)
		author, other, mod := e.user("user"), e.user("user"), e.user("moderator")
		m, err := e.publish(author, validInput(), upload{"жоспар.docx", docx(t, "Теңдеулер жүйесін шешу")})
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != library.StatusPending || m.Slug == "" || len(m.Files) != 1 || m.Files[0].Kind != "docx" || m.Files[0].Name != "жоспар.docx" {
			t.Fatalf("published: %+v", m)
		}
		if !strings.Contains(m.Preview(), "Теңдеулер жүйесін шешу") {
			t.Errorf("preview %q lacks the document's text", m.Preview())
		}
		page, _ := e.lib.List(ctx, library.Filter{}, library.Cursor{}, 20)
		if len(page.Items) != 0 {
			t.Fatalf("a pending material is in the catalog")
		}
		if _, err := e.lib.Get(ctx, m.ID, library.Viewer{UserID: other}); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another user sees a pending material: %v", err)
		}
		for _, v := range []library.Viewer{{UserID: author}, {UserID: mod, Staff: true}} {
			if _, err := e.lib.Get(ctx, m.ID, v); err != nil {
				t.Errorf("viewer %+v: %v", v, err)
			}
		}
		queue, err := e.lib.Pending(ctx, 0, 0, 50)
		if err != nil || len(queue) != 1 || queue[0].ID != m.ID {
			t.Fatalf("queue: %v %v", queue, err)
		}
		if err := e.lib.Approve(ctx, mod, m.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.lib.Approve(ctx, mod, m.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("approving twice: %v", err)
		}
		page, _ = e.lib.List(ctx, library.Filter{}, library.Cursor{}, 20)
		if len(page.Items) != 1 || page.Items[0].ID != m.ID || page.Items[0].PublishedAt.IsZero() {
			t.Fatalf("catalog after approval: %+v", page.Items)
		}
		for _, f := range []library.Filter{{Subject: "algebra"}, {Grade: "7"}, {Type: "short-term-plan"}, {Language: "kk"}} {
			if p, _ := e.lib.List(ctx, f, library.Cursor{}, 20); len(p.Items) != 1 {
				t.Errorf("filter %+v: %d items", f, len(p.Items))
			}
		}
		for _, f := range []library.Filter{{Subject: "physics"}, {Grade: "8"}, {Type: "test"}, {Language: "ru"}} {
			if p, _ := e.lib.List(ctx, f, library.Cursor{}, 20); len(p.Items) != 0 {
				t.Errorf("filter %+v: %d items, want none", f, len(p.Items))
			}
		}

		r, err := e.publish(author, with(validInput(), "Басқа жоспар"), upload{"b.pdf", pdf(t, "other")})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.lib.Reject(ctx, mod, r.ID, "no-such-reason", ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("reject with an unknown reason: %v", err)
		}
		if err := e.lib.Reject(ctx, mod, r.ID, "wrong_category", "Бұл 8-сыныпқа арналған"); err != nil {
			t.Fatal(err)
		}
		got, _ := e.lib.Get(ctx, r.ID, library.Viewer{UserID: author})
		if got.Status != library.StatusRejected || got.RejectReason != "wrong_category" {
			t.Errorf("rejected: %+v", got)
		}
		subjects := outboxSubjects(t, outbox)
		want := []string{i18n.T(i18n.RU, "library.mail.approved.subject"), i18n.T(i18n.RU, "library.mail.rejected.subject")}
		if len(subjects) != 2 || !containsAll(subjects, want) {
			t.Errorf("author's email subjects %q, want %q", subjects, want)
		}

		// The author edits the rejected material: back to the queue.
		if _, err := e.lib.Edit(ctx, other, r.ID, validInput(), nil, library.Meta{}); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another user edits: %v", err)
		}
		ed, err := e.lib.Edit(ctx, author, r.ID, with(validInput(), "Түзетілген жоспар"), nil, library.Meta{})
		if err != nil || ed.Status != library.StatusPending || ed.Title != "Түзетілген жоспар" || len(ed.Files) != 1 {
			t.Fatalf("edit: %+v %v", ed, err)
		}
		// Editing a published material takes it out of the catalog until approved.
		if _, err := e.lib.Edit(ctx, author, m.ID, validInput(), nil, library.Meta{}); err != nil {
			t.Fatal(err)
		}
		if p, _ := e.lib.List(ctx, library.Filter{}, library.Cursor{}, 20); len(p.Items) != 0 {
			t.Errorf("an edited material stays in the catalog before moderation")
		}
		if err := e.lib.Approve(ctx, mod, m.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.lib.Withdraw(ctx, author, m.ID); err != nil {
			t.Fatal(err)
		}
		if p, _ := e.lib.List(ctx, library.Filter{}, library.Cursor{}, 20); len(p.Items) != 0 {
			t.Errorf("a withdrawn material stays in the catalog")
		}
	})
}

func with(in library.Input, title string) library.Input { in.Title = title; return in }

func containsAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return false
		}
	}
	return true
}

// The same file published by another author is flagged to the moderator.
func TestDuplicateFlagged(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		a, b := e.user("user"), e.user("user")
		file := upload{"plan.pdf", pdf(t, "the same plan")}
		orig, err := e.publish(a, validInput(), file)
		if err != nil || orig.Status != library.StatusPublished {
			t.Fatalf("publish immediately: %+v %v", orig, err)
		}
		mine, _ := e.publish(a, with(validInput(), "Менің екінші жоспарым"), file)
		copy, _ := e.publish(b, with(validInput(), "Көшірме жоспар"), file)
		if mine.DuplicateOf != 0 {
			t.Errorf("an author's own file again is flagged as a duplicate")
		}
		if copy.DuplicateOf != orig.ID {
			t.Errorf("copy.DuplicateOf = %d, want %d", copy.DuplicateOf, orig.ID)
		}
		if e.blobs() != 1 {
			t.Errorf("identical files stored %d times, want once", e.blobs())
		}
		_ = ctx
	})
}

// Keyset pages cover the catalog exactly once in every order, and stay
// stable when new materials arrive between pages.
func TestCatalogKeyset(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author := e.user("user")
		file := upload{"p.pdf", pdf(t, "p")}
		var all []int64
		for i := 0; i < 23; i++ {
			if i%3 != 0 {
				e.clock.now = e.clock.now.Add(time.Minute) // every third shares a timestamp: the id breaks the tie
			}
			m, err := e.publish(author, with(validInput(), fmt.Sprintf("Жоспар %d", i)), file)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, m.ID)
			for v := 0; v < i%5; v++ {
				e.lib.View(ctx, m.ID)
			}
			if i%4 == 0 {
				e.lib.RecordDownload(ctx, &m.Files[0], 0, library.Meta{})
			}
		}
		for _, s := range []library.Sort{library.SortNew, library.SortPopular, library.SortDownloads} {
			var seen []int64
			var prev *library.Card
			after := library.Cursor{}
			for pages := 0; ; pages++ {
				p, err := e.lib.List(ctx, library.Filter{Sort: s}, after, 5)
				if err != nil {
					t.Fatal(err)
				}
				for i := range p.Items {
					c := p.Items[i]
					if contains(seen, c.ID) {
						t.Fatalf("%s: material %d on two pages", s, c.ID)
					}
					if prev != nil && !ordered(s, *prev, c) {
						t.Fatalf("%s: %+v before %+v", s, *prev, c)
					}
					seen = append(seen, c.ID)
					prev = &p.Items[i]
				}
				if pages == 1 {
					// A new material arrives while the reader is on page 2.
					e.clock.now = e.clock.now.Add(time.Hour)
					if _, err := e.publish(author, with(validInput(), "Кейін келген"), file); err != nil {
						t.Fatal(err)
					}
				}
				after = p.Next
				if after.IsZero() {
					break
				}
				if round := library.ParseCursor(after.String()); round != after {
					t.Fatalf("cursor %v does not survive its URL form %q", after, after.String())
				}
			}
			for _, id := range all {
				if !contains(seen, id) {
					t.Errorf("%s: material %d never listed", s, id)
				}
			}
		}
	})
}

func ordered(s library.Sort, a, b library.Card) bool {
	va, vb := a.PublishedAt.UnixMilli(), b.PublishedAt.UnixMilli()
	switch s {
	case library.SortPopular:
		va, vb = a.Views, b.Views
	case library.SortDownloads:
		va, vb = a.Downloads, b.Downloads
	}
	return va > vb || va == vb && a.ID > b.ID
}

// A report gets the deadline the law sets; the reporter's text is sealed
// and opened only when asked (administrators); a take-down decides the
// reports, revokes the certificates and removes the material.
func TestReportAndTakeDown(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author, reporter, mod := e.user("user"), e.user("user"), e.user("moderator")
		m, err := e.publish(author, validInput(), upload{"p.pdf", pdf(t, "p")})
		if err != nil {
			t.Fatal(err)
		}
		const secret = "Бұл құжатта менің ЖСН-ім бар: 900101300123"
		deadline, err := e.lib.Report(ctx, m.ID, library.ReportInput{Reason: library.ReasonPersonalData, Text: secret, ReporterID: reporter})
		if err != nil {
			t.Fatal(err)
		}
		// Monday 2 March 2026, 09:00 in Kazakhstan: decide by the end of Tuesday.
		if got := deadline.In(library.Kazakhstan).Format("2006-01-02 15:04"); got != "2026-03-03 23:59" {
			t.Errorf("deadline %s", got)
		}
		if _, err := e.lib.Report(ctx, m.ID, library.ReportInput{Reason: "spam"}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("unknown reason: %v", err)
		}
		if _, err := e.lib.Report(ctx, m.ID, library.ReportInput{Reason: library.ReasonCopyright, Text: "visitor text"}); err != nil {
			t.Fatal(err)
		}
		var raw int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM reports WHERE text_enc IS NOT NULL`).Scan(&raw)
		if raw != 2 {
			t.Errorf("%d reports keep a text, want the signed-in reporter's and the visitor's", raw)
		}
		rows, _ := d.Query(ctx, `SELECT text_enc FROM reports`)
		for rows.Next() {
			var b []byte
			rows.Scan(&b)
			if bytes.Contains(b, []byte("900101300123")) || bytes.Contains(b, []byte("visitor text")) {
				t.Errorf("the reporter's text is stored in plain text")
			}
		}
		rows.Close()
		open, err := e.lib.Reports(ctx, true, 50)
		if err != nil || len(open) != 2 || open[0].Reason != library.ReasonPersonalData {
			t.Fatalf("open reports: %+v %v", open, err)
		}
		if open[0].Text.Reveal() != "" || !open[0].HasText {
			t.Errorf("text opened without being asked")
		}
		if one, err := e.lib.ReportByID(ctx, open[0].ID, false); err != nil || one.Text.Reveal() != "" || !one.HasText {
			t.Errorf("one report: text opened without being asked (%v)", err)
		}
		revealed, err := e.lib.ReportByID(ctx, open[0].ID, true)
		if err != nil || revealed.Text.Reveal() != secret {
			t.Errorf("administrator cannot read the report")
		}
		// Past the deadline the report is shown as overdue.
		e.clock.now = e.clock.now.Add(48 * time.Hour)
		if late, _ := e.lib.Reports(ctx, true, 50); !late[0].Overdue {
			t.Errorf("report past its deadline not overdue")
		}

		if _, err := d.Exec(ctx, `INSERT INTO certificates (id, number, material_id, author_id, title, lang, issued_at, signature)
			VALUES (?, 'SU-1', ?, ?, ?, 'kk', ?, ?)`, db.NewID(), m.ID, author, m.Title, db.Now(), []byte{1}); err != nil {
			t.Fatal(err)
		}
		if err := e.lib.TakeDown(ctx, mod, m.ID, "personal_data", ""); err != nil {
			t.Fatal(err)
		}
		if p, _ := e.lib.List(ctx, library.Filter{}, library.Cursor{}, 20); len(p.Items) != 0 {
			t.Errorf("a taken-down material is listed")
		}
		var revoked int64
		d.QueryRow(ctx, `SELECT revoked_at FROM certificates WHERE number = 'SU-1'`).Scan(&revoked)
		if revoked == 0 {
			t.Errorf("the certificate of a taken-down material is not revoked")
		}
		if open, _ := e.lib.Reports(ctx, true, 50); len(open) != 0 {
			t.Errorf("%d reports still open after the take-down", len(open))
		}
		done, _ := e.lib.Reports(ctx, false, 50)
		if len(done) != 2 || done[0].Decision != library.DecisionTakenDown || done[0].DecidedBy != mod {
			t.Errorf("decided reports: %+v", done)
		}
		if _, err := e.lib.Edit(ctx, author, m.ID, validInput(), nil, library.Meta{}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("editing a taken-down material: %v", err)
		}
	})
}

// A download counts for everyone; only a signed-in user's download is
// recorded as an event, its address sealed.
func TestDownloadCount(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author, reader := e.user("user"), e.user("user")
		m, err := e.publish(author, validInput(), upload{"p.pdf", pdf(t, "p")})
		if err != nil {
			t.Fatal(err)
		}
		f := &m.Files[0]
		if err := e.lib.RecordDownload(ctx, f, 0, library.Meta{IP: "192.0.2.77", UserAgent: "Anon"}); err != nil {
			t.Fatal(err)
		}
		if err := e.lib.RecordDownload(ctx, f, reader, library.Meta{IP: "192.0.2.88", UserAgent: "Chrome"}); err != nil {
			t.Fatal(err)
		}
		got, _ := e.lib.Get(ctx, m.ID, library.Viewer{})
		if got.Downloads != 2 || got.Files[0].Downloads != 2 {
			t.Errorf("downloads %d / %d, want 2", got.Downloads, got.Files[0].Downloads)
		}
		var events int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM file_events WHERE action = 'download'`).Scan(&events)
		if events != 1 {
			t.Errorf("%d download events, want 1 (the signed-in reader's)", events)
		}
		evs, err := e.lib.FileEvents(ctx, reader)
		if err != nil || len(evs) != 1 || evs[0].IP.Reveal() != "192.0.2.88" || evs[0].Action != "download" {
			t.Fatalf("reader's events: %+v %v", evs, err)
		}
		if up, _ := e.lib.FileEvents(ctx, author); len(up) != 1 || up[0].Action != "upload" || up[0].IP.Reveal() != "10.1.2.3" {
			t.Errorf("author's upload events: %+v", up)
		}
		rows, _ := d.Query(ctx, `SELECT ip_enc, ua_enc FROM file_events`)
		for rows.Next() {
			var ip, ua []byte
			rows.Scan(&ip, &ua)
			if bytes.Contains(ip, []byte("192.0.2")) || bytes.Contains(ua, []byte("Chrome")) {
				t.Errorf("a file event stores the address or browser in plain text")
			}
		}
		rows.Close()
		if strings.Contains(fmt.Sprint(evs), "192.0.2.88") {
			t.Errorf("an event prints its address")
		}
	})
}

// Search covers the title, tags and the text inside the files, in
// Kazakh and Russian word forms, with the filters and in pages.
func TestCatalogSearch(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author := e.user("user")
		inDocx, err := e.publish(author, with(validInput(), "Теңдеулер"), upload{"a.docx", docx(t, "Бұл сабақтың жоспарлары жетінші сыныпқа арналған.")})
		if err != nil {
			t.Fatal(err)
		}
		ru := validInput()
		ru.Title, ru.Language, ru.Tags = "Презентация по алгебре", "ru", "квадратные уравнения"
		inTitle, err := e.publish(author, ru, upload{"b.pdf", pdf(t, "slides")})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			q    string
			f    library.Filter
			want []int64
		}{
			{q: "сабақ жоспары", want: []int64{inDocx.ID}},
			{q: "презентации", want: []int64{inTitle.ID}},
			{q: "квадратное уравнение", want: []int64{inTitle.ID}},
			{q: "ҚМЖ", want: []int64{inTitle.ID, inDocx.ID}}, // the type's abbreviation is indexed
			{q: "сабақ жоспары", f: library.Filter{Language: "ru"}, want: nil},
			{q: "география", want: nil},
		} {
			c.f.Q = c.q
			p, err := e.lib.List(ctx, c.f, library.Cursor{}, 20)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p.Items); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%q %+v: found %v, want %v", c.q, c.f, got, c.want)
			}
		}
		// Pages of a search do not repeat or lose materials.
		p1, _ := e.lib.List(ctx, library.Filter{Q: "ҚМЖ"}, library.Cursor{}, 1)
		p2, _ := e.lib.List(ctx, library.Filter{Q: "ҚМЖ"}, p1.Next, 1)
		if len(p1.Items) != 1 || len(p2.Items) != 1 || p1.Items[0].ID == p2.Items[0].ID {
			t.Errorf("search pages: %v then %v", ids(p1.Items), ids(p2.Items))
		}
	})
}
