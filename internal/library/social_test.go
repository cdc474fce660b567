package library_test

import (
	"bytes"
	"context"
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

// socialEnv is a library that moderates (nothing public until approved)
// and writes its email to an outbox folder.
func socialEnv(t *testing.T, d *db.DB, immediate bool) (*env, string) {
	t.Helper()
	outbox := t.TempDir()
	e := newEnv(t, d, library.Options{Mail: mail.NewOutbox(outbox, ""), BaseURL: "https://smartustaz.test", PublishImmediately: immediate,
		Contacts: func(ctx context.Context, id int64) (string, i18n.Lang, error) {
			return "reader@mektep.test", i18n.KK, nil
		}})
	return e, outbox
}

// outboxMails reads the emails written to dir: subject, List-Unsubscribe
// header and the raw message.
type outMail struct{ Subject, Unsubscribe, Raw string }

func outboxMails(t *testing.T, dir string) []outMail {
	t.Helper()
	fs, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	var out []outMail
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
		out = append(out, outMail{Subject: s, Unsubscribe: m.Header.Get("List-Unsubscribe"), Raw: string(raw)})
	}
	return out
}

func subjectsWith(ms []outMail, subject string) int {
	n := 0
	for _, m := range ms {
		if m.Subject == subject {
			n++
		}
	}
	return n
}

// Publishing under one's name (issue 13 §2, clause 1.4): the choice made
// on the publish form is a publication consent like /account/public's;
// the name then shows on the card, the author page and the certificate's
// verify page; without the choice nothing shows; unchanged choices record
// nothing new; unticking withdraws the name everywhere at once.
func TestPublishUnderName(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author := e.user("user")
		m := e.published(author, "Химия: сабақ жоспары")
		if _, _, err := e.lib.IssueCertificate(ctx, author, m.ID, library.CertificateInput{Name: "Сәуле Мұғалімова", Lang: i18n.KK}); err != nil {
			t.Fatal(err)
		}
		certs, err := e.lib.Certificates(ctx, author)
		if err != nil || len(certs) != 1 {
			t.Fatalf("certificates: %d, %v", len(certs), err)
		}
		number := certs[0].Number
		verifyName := func() string {
			v, err := e.lib.VerifyCertificate(ctx, number)
			if err != nil {
				t.Fatal(err)
			}
			return v.AuthorName
		}
		consents := func() int { return count(t, d, `SELECT COUNT(*) FROM publication_consents WHERE user_id = ?`, author) }

		// Not chosen: nothing anywhere, and leaving the box unticked
		// records nothing.
		if err := e.lib.SetPublishName(ctx, author, 5, false, "Сәуле Мұғалімова"); err != nil {
			t.Fatal(err)
		}
		if catalogCards(t, e)[m.ID] != "" || verifyName() != "" || consents() != 0 {
			t.Fatalf("a name shows, or a consent was recorded, though none was chosen")
		}
		// Chosen at publication.
		const name = "Сәуле Мұғалімова"
		if err := e.lib.SetPublishName(ctx, author, 5, true, name); err != nil {
			t.Fatal(err)
		}
		if catalogCards(t, e)[m.ID] != name {
			t.Errorf("the catalog card does not show the chosen name")
		}
		if a, _ := e.lib.Author(ctx, author); a.Profile.DisplayName() != name || len(a.Certificates) != 1 || a.Certificates[0].Number != number {
			t.Errorf("the author page does not show the name and the certificate")
		}
		if verifyName() != name {
			t.Errorf("the verify page does not show the chosen name")
		}
		pcs, _ := e.lib.PublicationConsents(ctx, author)
		if len(pcs) != 1 || strings.Join(pcs[0].Fields, ",") != library.ProfileDisplayName || pcs[0].SessionID != 5 {
			t.Fatalf("the choice is not recorded as a publication consent: %d records", len(pcs))
		}
		// The same choice again (the next publication) records nothing.
		if err := e.lib.SetPublishName(ctx, author, 6, true, name); err != nil || consents() != 1 {
			t.Errorf("an unchanged choice was recorded again (%d records, %v)", consents(), err)
		}
		// Changed later: gone at once, and recorded.
		if err := e.lib.SetPublishName(ctx, author, 7, false, name); err != nil {
			t.Fatal(err)
		}
		if catalogCards(t, e)[m.ID] != "" || verifyName() != "" || consents() != 2 {
			t.Errorf("after unticking, the name still shows or the change is not recorded")
		}
	})
}

// approved publishes a material and has mod approve it.
func (e *env) approved(author, mod int64, title string) *library.Material {
	e.t.Helper()
	in := validInput()
	in.Title = title
	m, err := e.publish(author, in, upload{"жоспар.docx", docx(e.t, "Теңдеулер жүйесі "+title)})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.lib.Approve(context.Background(), mod, m.ID); err != nil {
		e.t.Fatal(err)
	}
	return m
}

// Ratings and comments (issue 13 §3): one rating per teacher, changed
// not repeated; no rating of one's own; comments wait for a moderator,
// then show (without a name nobody chose to publish), the author is told
// by email and in the inbox; a reported comment is taken down from the
// register; the catalog's "rating" sort pages by keyset.
func TestRatingsAndComments(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e, outbox := socialEnv(t, d, false)
		author, r1, r2, mod := e.user("user"), e.user("user"), e.user("user"), e.user("moderator")
		m := e.approved(author, mod, "Алгебра: бөлшектер")

		if _, err := e.lib.Rate(ctx, r1, m.ID, 4, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.lib.Rate(ctx, r1, m.ID, 2, ""); err != nil { // changed, not a second vote
			t.Fatal(err)
		}
		status, err := e.lib.Rate(ctx, r2, m.ID, 5, "  Өте пайдалы жоспар, рахмет!  ")
		if err != nil || status != library.CommentPending {
			t.Fatalf("rate with a comment: status %q, %v", status, err)
		}
		r, _ := e.lib.MaterialRating(ctx, m.ID)
		if r.Count != 2 || r.Sum != 7 || r.Average() != 3.5 {
			t.Errorf("rating after a change and a second reader: sum %d count %d", r.Sum, r.Count)
		}
		if s, _ := e.lib.MyRating(ctx, r1, m.ID); s != 2 {
			t.Errorf("my rating %d, want 2", s)
		}
		if _, err := e.lib.Rate(ctx, author, m.ID, 5, ""); codeOf(err) != apperr.Forbidden {
			t.Errorf("the author rated their own material: %v", err)
		}
		for _, bad := range []int{0, 6, -1} {
			if _, err := e.lib.Rate(ctx, r1, m.ID, bad, ""); err == nil {
				t.Errorf("%d stars accepted", bad)
			}
		}
		if _, err := e.lib.Rate(ctx, r1, m.ID, 3, strings.Repeat("ә", library.MaxComment+1)); err == nil {
			t.Errorf("an over-long comment was accepted")
		}
		if r, _ := e.lib.MaterialRating(ctx, m.ID); r.Sum != 7 {
			t.Errorf("a refused rating changed the sum to %d", r.Sum)
		}

		// The comment waits for a moderator.
		if cs, _ := e.lib.Comments(ctx, m.ID); len(cs) != 0 {
			t.Fatalf("a comment shows before moderation")
		}
		pending, err := e.lib.PendingComments(ctx, 10)
		if err != nil || len(pending) != 1 || pending[0].Body != "Өте пайдалы жоспар, рахмет!" {
			t.Fatalf("moderation queue of comments: %d, %v", len(pending), err)
		}
		if _, err := e.lib.ModerateComment(ctx, mod, pending[0].ID, "approve", ""); err != nil {
			t.Fatal(err)
		}
		cs, _ := e.lib.Comments(ctx, m.ID)
		if len(cs) != 1 || cs[0].AuthorName != "" || cs[0].Stars != 5 {
			t.Fatalf("published comments: %+v", cs)
		}
		if n := subjectsWith(outboxMails(t, outbox), i18n.T(i18n.KK, "social.comment.mail.subject")); n != 1 {
			t.Errorf("the author got %d comment emails, want 1", n)
		}
		ns, _ := e.lib.Notifications(ctx, author, 20)
		kinds := map[string]int{}
		for _, n := range ns {
			kinds[n.Kind]++
		}
		if kinds["comment"] != 1 || kinds["approved"] != 1 {
			t.Errorf("author's inbox: %v", kinds)
		}
		if n, _ := e.lib.UnreadNotifications(ctx, author); n != 0 {
			t.Errorf("the inbox, once read, still has %d unread", n)
		}
		// A comment shows its writer's name only by their choice.
		if err := e.lib.SetPublishName(ctx, r2, 1, true, "Айгүл Оқырман"); err != nil {
			t.Fatal(err)
		}
		if cs, _ := e.lib.Comments(ctx, m.ID); cs[0].AuthorName != "Айгүл Оқырман" {
			t.Errorf("the chosen name does not show on the comment")
		}

		// A report about the comment, then its take-down from the register.
		if _, err := e.lib.Report(ctx, m.ID, library.ReportInput{Reason: library.ReasonOther, ReporterID: r1, CommentID: cs[0].ID}); err != nil {
			t.Fatal(err)
		}
		reps, _ := e.lib.Reports(ctx, true, 10)
		if len(reps) != 1 || reps[0].CommentID != cs[0].ID || reps[0].CommentBody == "" {
			t.Fatalf("the register does not name the reported comment")
		}
		if _, err := e.lib.ModerateComment(ctx, mod, cs[0].ID, "takedown", "inappropriate"); err != nil {
			t.Fatal(err)
		}
		if cs, _ := e.lib.Comments(ctx, m.ID); len(cs) != 0 {
			t.Errorf("a taken-down comment still shows")
		}
		if reps, _ := e.lib.Reports(ctx, true, 10); len(reps) != 0 {
			t.Errorf("the comment's report is still open after the take-down")
		}
		if _, err := e.lib.Report(ctx, m.ID, library.ReportInput{Reason: library.ReasonOther, CommentID: cs[0].ID}); codeOf(err) != apperr.NotFound {
			t.Errorf("a taken-down comment can still be reported: %v", err)
		}

		// The "rating" sort: best first, unrated last, one per page.
		m2 := e.approved(author, mod, "Геометрия: үшбұрыштар")
		m3 := e.approved(author, mod, "Физика: күш")
		if _, err := e.lib.Rate(ctx, r1, m2.ID, 5, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.lib.Rate(ctx, r2, m2.ID, 5, ""); err != nil {
			t.Fatal(err)
		}
		var got []int64
		after := library.Cursor{}
		for i := 0; i < 5; i++ {
			p, err := e.lib.List(ctx, library.Filter{Sort: library.SortRating}, after, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Items {
				got = append(got, c.ID)
			}
			if p.Next.IsZero() {
				break
			}
			after = p.Next
		}
		if want := []int64{m2.ID, m.ID, m3.ID}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("rating order %v, want %v", got, want)
		}
		// The same order through the search path.
		p, err := e.lib.List(ctx, library.Filter{Sort: library.SortRating, Q: "теңдеулер"}, library.Cursor{}, 10)
		if err != nil || len(p.Items) != 3 || p.Items[0].ID != m2.ID || p.Items[2].ID != m3.ID {
			t.Errorf("search in the rating order: %d items, %v", len(p.Items), err)
		}
	})
}

// Favourites and collections (issue 13 §3): a save toggles; a private
// collection is its owner's only, a public one anyone's; anyone's
// published materials can be collected; others cannot add to it.
func TestFavouritesAndCollections(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author, reader, stranger := e.user("user"), e.user("user"), e.user("user")
		m := e.published(author, "Тарих: Абылай хан")
		own := e.published(reader, "Әдебиет: Абай өлеңдері")

		if saved, err := e.lib.ToggleFavourite(ctx, reader, m.ID); err != nil || !saved {
			t.Fatalf("save: %v %v", saved, err)
		}
		if favs, _ := e.lib.Favourites(ctx, reader); len(favs) != 1 || favs[0].ID != m.ID {
			t.Errorf("favourites after saving: %d", len(favs))
		}
		if saved, _ := e.lib.ToggleFavourite(ctx, reader, m.ID); saved {
			t.Errorf("a second press did not unsave")
		}
		if ok, _ := e.lib.IsFavourite(ctx, reader, m.ID); ok {
			t.Errorf("still saved after unsaving")
		}
		if _, err := e.lib.ToggleFavourite(ctx, reader, 12345); codeOf(err) != apperr.NotFound {
			t.Errorf("a missing material was saved: %v", err)
		}

		if _, err := e.lib.CreateCollection(ctx, reader, "   ", false); err == nil {
			t.Errorf("a nameless collection was made")
		}
		priv, err := e.lib.CreateCollection(ctx, reader, "Сабаққа дайындық", false)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := e.lib.CreateCollection(ctx, reader, "7-сынып  тарихы", true)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{m.ID, own.ID} {
			if err := e.lib.CollectionItem(ctx, reader, pub, id, false); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.lib.CollectionItem(ctx, reader, pub, m.ID, false); err != nil { // twice is once
			t.Fatal(err)
		}
		if err := e.lib.CollectionItem(ctx, stranger, pub, m.ID, true); codeOf(err) != apperr.NotFound {
			t.Errorf("a stranger changed someone's collection: %v", err)
		}
		c, err := e.lib.GetCollection(ctx, pub, stranger)
		if err != nil || len(c.Items) != 2 || c.Title != "7-сынып тарихы" || !c.Public {
			t.Fatalf("public collection seen by a stranger: %v", err)
		}
		if _, err := e.lib.GetCollection(ctx, priv, stranger); codeOf(err) != apperr.NotFound {
			t.Errorf("a private collection is seen by a stranger: %v", err)
		}
		if _, err := e.lib.GetCollection(ctx, priv, 0); codeOf(err) != apperr.NotFound {
			t.Errorf("a private collection is seen by a visitor: %v", err)
		}
		if c, err := e.lib.GetCollection(ctx, priv, reader); err != nil || len(c.Items) != 0 {
			t.Errorf("the owner does not see their private collection: %v", err)
		}
		if err := e.lib.CollectionItem(ctx, reader, pub, m.ID, true); err != nil {
			t.Fatal(err)
		}
		if c, _ := e.lib.GetCollection(ctx, pub, reader); len(c.Items) != 1 || c.Items[0].ID != own.ID {
			t.Errorf("after removing: %d items", len(c.Items))
		}
		// The owner's author page lists only the public one.
		if a, err := e.lib.Author(ctx, reader); err != nil || len(a.Collections) != 1 || a.Collections[0].ID != pub {
			t.Errorf("author page collections: %v", err)
		}
	})
}

// A collection's name is sealed with its owner's key where it is kept,
// on creation and on renaming, and reads as written, in the list and on
// its page; a name kept in plain text before migration 0030 is sealed by
// SealLeftovers and reads as before.
func TestCollectionTitleSealed(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		owner := e.user("user")
		id, err := e.lib.CreateCollection(ctx, owner, "Құпия жинақ Бекзатқа", false)
		if err != nil {
			t.Fatal(err)
		}
		stored := func() (plain string, sealed []byte) {
			t.Helper()
			if err := d.QueryRow(ctx, `SELECT title, title_enc FROM collections WHERE id = ?`, id).Scan(&plain, &sealed); err != nil {
				t.Fatal(err)
			}
			return plain, sealed
		}
		if plain, sealed := stored(); plain != "" || len(sealed) == 0 || strings.Contains(string(sealed), "Бекзат") {
			t.Fatalf("a new collection's name is stored in plain text (%d plain bytes, %d sealed)", len(plain), len(sealed))
		}
		if err := e.lib.UpdateCollection(ctx, owner, id, "Жаңа құпия атау Бекзатқа", true); err != nil {
			t.Fatal(err)
		}
		if plain, sealed := stored(); plain != "" || len(sealed) == 0 || strings.Contains(string(sealed), "Бекзат") {
			t.Fatal("a renamed collection's name is stored in plain text")
		}
		if c, err := e.lib.GetCollection(ctx, id, 0); err != nil || c.Title != "Жаңа құпия атау Бекзатқа" {
			t.Fatalf("the public collection's page: %v", err)
		}

		// A row from before migration 0030.
		old := db.NewID()
		if _, err := d.Exec(ctx, `INSERT INTO collections (id, owner_id, title, public, created_at, updated_at) VALUES (?, ?, ?, 0, 1, 1)`, old, owner, "Ескі жинақ"); err != nil {
			t.Fatal(err)
		}
		if n, err := library.SealLeftovers(ctx, d, e.v); err != nil || n != 1 {
			t.Fatalf("sealed %d old names (%v), want 1", n, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM collections WHERE title <> '' OR title_enc IS NULL`); n != 0 {
			t.Errorf("%d collection names left in plain text", n)
		}
		cs, err := e.lib.Collections(ctx, owner, false)
		if err != nil || len(cs) != 2 {
			t.Fatalf("the owner's collections: %d, %v", len(cs), err)
		}
		titles := map[int64]string{}
		for _, c := range cs {
			titles[c.ID] = c.Title
		}
		if titles[id] != "Жаңа құпия атау Бекзатқа" || titles[old] != "Ескі жинақ" {
			t.Error("the owner's list after sealing does not read the names as written")
		}
	})
}

// Following and the digest (issue 13 §3): a follow turns the daily digest
// on; the followed author's new material reaches the inbox at once and
// the digest after the day ends, once — a second run for the same period
// sends nothing; a weekly reader gets last week's after Monday; the
// signed unsubscribe link turns it off without signing in, a forged one
// does nothing.
func TestFollowAndDigest(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e, outbox := socialEnv(t, d, true)
		author, reader, weekly := e.user("user"), e.user("user"), e.user("user")
		first := e.published(author, "Биология: жасуша")
		if _, err := e.lib.ToggleFollow(ctx, reader, reader); codeOf(err) != apperr.Forbidden {
			t.Errorf("a user followed themselves: %v", err)
		}
		if _, err := e.lib.ToggleFollow(ctx, reader, weekly); codeOf(err) != apperr.NotFound {
			t.Errorf("someone with nothing published was followed: %v", err)
		}
		for _, u := range []int64{reader, weekly} {
			if on, err := e.lib.ToggleFollow(ctx, u, author); err != nil || !on {
				t.Fatalf("follow: %v %v", on, err)
			}
		}
		if f, _ := e.lib.DigestFrequency(ctx, reader); f != library.DigestDaily {
			t.Errorf("a follow left the digest %q", f)
		}
		if err := e.lib.SetDigestFrequency(ctx, weekly, library.DigestWeekly); err != nil {
			t.Fatal(err)
		}
		if err := e.lib.SetDigestFrequency(ctx, weekly, "hourly"); err == nil {
			t.Errorf("an unknown frequency was accepted")
		}

		// Monday 2 March 2026, 9:00 in Kazakhstan (the env's clock): a new material.
		m := e.published(author, "Биология: фотосинтез")
		ns, _ := e.lib.Notifications(ctx, reader, 10)
		if len(ns) != 1 || ns[0].Kind != "followed" || ns[0].MaterialID != m.ID {
			t.Errorf("the follower's inbox does not have the new material")
		}

		daily := i18n.T(i18n.KK, "social.digest.mail.subject.daily")
		weeklySubj := i18n.T(i18n.KK, "social.digest.mail.subject.weekly")
		// Later the same day: the day has not ended, nothing of today goes.
		if res, err := e.lib.SendDigests(ctx, e.clock.now.Add(3*time.Hour)); err != nil || subjectsWith(outboxMails(t, outbox), daily) != 0 {
			t.Fatalf("a digest went before the day ended: %+v %v", res, err)
		}
		// Tuesday 00:30: Monday's digest, once.
		tuesday := time.Date(2026, 3, 3, 0, 30, 0, 0, library.Kazakhstan)
		res, err := e.lib.SendDigests(ctx, tuesday)
		if err != nil || res.Sent != 1 {
			t.Fatalf("Tuesday's run: %+v %v", res, err)
		}
		if res, _ := e.lib.SendDigests(ctx, tuesday.Add(time.Hour)); res.Sent != 0 {
			t.Errorf("a second run for the same day sent %d", res.Sent)
		}
		mails := outboxMails(t, outbox)
		if subjectsWith(mails, daily) != 1 {
			t.Fatalf("%d daily digests, want 1", subjectsWith(mails, daily))
		}
		var dm outMail
		for _, x := range mails {
			if x.Subject == daily {
				dm = x
			}
		}
		if !strings.Contains(dm.Unsubscribe, "https://smartustaz.test/digest/unsubscribe?u=") || !strings.Contains(dm.Raw, "List-Unsubscribe-Post") {
			t.Errorf("the digest has no one-click unsubscribe")
		}
		if strings.Contains(dm.Raw, first.Title) {
			t.Errorf("the digest lists a material from before the day")
		}
		// Wednesday: nothing new, nothing sent; the weekly reader has had
		// nothing yet (their week has not ended).
		if res, _ := e.lib.SendDigests(ctx, tuesday.Add(24*time.Hour)); res.Sent != 0 {
			t.Errorf("a day with nothing new sent %d", res.Sent)
		}
		if subjectsWith(outboxMails(t, outbox), weeklySubj) != 0 {
			t.Errorf("a weekly digest went before the week ended")
		}
		// The next Monday: last week's digest for the weekly reader.
		monday := time.Date(2026, 3, 9, 6, 0, 0, 0, library.Kazakhstan)
		if res, _ := e.lib.SendDigests(ctx, monday); res.Sent != 1 || subjectsWith(outboxMails(t, outbox), weeklySubj) != 1 {
			t.Errorf("the weekly digest: %+v", res)
		}

		// Unsubscribe: a forged token does nothing, the real one stops it.
		if err := e.lib.UnsubscribeDigest(ctx, reader, e.lib.DigestToken(weekly)); codeOf(err) != apperr.Gone {
			t.Errorf("another user's token unsubscribed: %v", err)
		}
		if f, _ := e.lib.DigestFrequency(ctx, reader); f != library.DigestDaily {
			t.Errorf("a forged link changed the digest to %q", f)
		}
		if err := e.lib.UnsubscribeDigest(ctx, reader, e.lib.DigestToken(reader)); err != nil {
			t.Fatal(err)
		}
		if f, _ := e.lib.DigestFrequency(ctx, reader); f != library.DigestOff {
			t.Errorf("after unsubscribing the digest is %q", f)
		}
		// Unfollow.
		if on, _ := e.lib.ToggleFollow(ctx, reader, author); on {
			t.Errorf("a second press did not unfollow")
		}
	})
}

// Deleting an account (clause P.4) removes what issue 13 keeps about the
// user and takes their stars out of the averages; the export had it all.
func TestSocialEraseAndExport(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e, _ := socialEnv(t, d, true)
		author, reader, other := e.user("user"), e.user("user"), e.user("user")
		m := e.published(author, "Информатика: алгоритм")
		mustDo := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		_, err := e.lib.Rate(ctx, reader, m.ID, 5, "Жақсы")
		mustDo(err)
		_, err = e.lib.Rate(ctx, other, m.ID, 3, "")
		mustDo(err)
		_, err = e.lib.ToggleFavourite(ctx, reader, m.ID)
		mustDo(err)
		c, err := e.lib.CreateCollection(ctx, reader, "Менің жинағым", true)
		mustDo(err)
		mustDo(e.lib.CollectionItem(ctx, reader, c, m.ID, false))
		_, err = e.lib.ToggleFollow(ctx, reader, author)
		mustDo(err)

		x, err := e.lib.ExportSocial(ctx, reader)
		mustDo(err)
		if len(x.Ratings) != 1 || len(x.Comments) != 1 || x.Comments[0].Body != "Жақсы" || len(x.Favourites) != 1 ||
			len(x.Collections) != 1 || len(x.Collections[0].Materials) != 1 || len(x.Follows) != 1 || x.Digest != library.DigestDaily {
			t.Fatalf("export misses something: %+v", x)
		}

		mustDo(d.InTx(ctx, func(tx *db.Tx) error { return library.EraseUser(ctx, tx, reader) }))
		for table, col := range map[string]string{"ratings": "user_id", "comments": "user_id", "favourites": "user_id",
			"collections": "owner_id", "follows": "follower_id", "digest_prefs": "user_id", "notifications": "user_id"} {
			if n := count(t, d, `SELECT COUNT(*) FROM `+table+` WHERE `+col+` = ?`, reader); n != 0 {
				t.Errorf("%s keeps %d rows of the deleted user", table, n)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM collection_items WHERE collection_id = ?`, c); n != 0 {
			t.Errorf("the deleted collection keeps %d items", n)
		}
		r, _ := e.lib.MaterialRating(ctx, m.ID)
		if r.Count != 1 || r.Sum != 3 {
			t.Errorf("after the deletion the rating is sum %d count %d, want 3/1", r.Sum, r.Count)
		}
		if n := count(t, d, `SELECT rating_score FROM materials WHERE id = ?`, m.ID); n != (3+6)*1000/3 {
			t.Errorf("rating score %d after the deletion", n)
		}
	})
}

// Two nodes running the digest at once (the hourly job's leader changing
// at a boundary, or `smartustaz digest` beside the job): each reader's
// period is claimed by one of them, so every reader gets one email.
func TestDigestOnceAcrossRuns(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e, outbox := socialEnv(t, d, true)
		author := e.user("user")
		e.published(author, "Музыка: күй")
		readers := make([]int64, 12)
		for i := range readers {
			readers[i] = e.user("user")
			if _, err := e.lib.ToggleFollow(ctx, readers[i], author); err != nil {
				t.Fatal(err)
			}
		}
		e.published(author, "Музыка: домбыра")
		tuesday := time.Date(2026, 3, 3, 1, 0, 0, 0, library.Kazakhstan)
		sent := make(chan int, 4)
		errs := make(chan error, 4)
		for i := 0; i < 4; i++ {
			go func() {
				res, err := e.lib.SendDigests(ctx, tuesday)
				sent <- res.Sent
				errs <- err
			}()
		}
		total := 0
		for i := 0; i < 4; i++ {
			total += <-sent
			if err := <-errs; err != nil {
				t.Errorf("a concurrent run failed: %v", err)
			}
		}
		daily := i18n.T(i18n.KK, "social.digest.mail.subject.daily")
		if n := subjectsWith(outboxMails(t, outbox), daily); total != len(readers) || n != len(readers) {
			t.Errorf("four runs at once sent %d digests (%d in the outbox) to %d readers", total, n, len(readers))
		}
	})
}
