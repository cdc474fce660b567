package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// publishFile has teacher publish a material with one file and admin
// approve it; it returns the material's id.
func publishFile(t *testing.T, admin, teacher *client, title, name string, b []byte) string {
	t.Helper()
	r := teacher.postMultipart("/materials/new", materialForm(title), upload{name, b})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("publish: status %d, errors %s", r.Status, pageErrors(r))
	}
	m := materialPathRe.FindStringSubmatch(r.Location())
	if m == nil {
		t.Fatalf("publish redirects to %q", r.Location())
	}
	wantStatus(t, "approve", admin.post("/admin/moderation/"+m[1]+"/approve", nil), http.StatusSeeOther)
	return m[1]
}

// stored reports whether the server's local storage holds the file sha.
func stored(srv *testServer, sha string) bool {
	_, err := os.Stat(filepath.Join(srv.DataDir, "files", sha[:2], sha[2:4], sha))
	return err == nil
}

// authorShas lists the stored files of uid's materials: the files and
// their page images.
func authorShas(t *testing.T, d *db.DB, uid int64) (files, pages []string) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []struct {
		sql string
		out *[]string
	}{
		{`SELECT f.sha256 FROM material_files f JOIN materials m ON m.id = f.material_id WHERE m.author_id = ?`, &files},
		{`SELECT p.sha256 FROM material_previews p JOIN material_files f ON f.id = p.file_id JOIN materials m ON m.id = f.material_id
			WHERE m.author_id = ? AND p.page > 0`, &pages},
	} {
		rows, err := d.Query(ctx, q.sql, uid)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var sha string
			if err := rows.Scan(&sha); err != nil {
				t.Fatal(err)
			}
			*q.out = append(*q.out, sha)
		}
		rows.Close()
	}
	return files, pages
}

// TestE2EDeletionWithdrawsMaterials: a teacher who deletes their account
// and chooses to withdraw their materials takes them out of the catalog
// in the deletion itself: the pages and files answer no more, search
// finds nothing, certificates are revoked, and the stored files and page
// images are gone from storage, except a file another teacher published
// too, which stays for them.
func TestE2EDeletionWithdrawsMaterials(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		other := newClientSignedIn(t, srv)
		p := newPerson("withdraws")
		teacher := signup(t, srv, p)
		uid := teacher.export().Profile.ID
		own := publishFile(t, admin, teacher, "Алынатын Қобыланды жоспары", "жоспар.pdf", sample(t, "sample.pdf"))
		sharedOwn := publishApproved(t, admin, teacher, "Ортақ файлы бар жоспар")
		theirs := publishApproved(t, admin, other, "Басқаның ортақ файлы") // the same Word file
		wantStatus(t, "certificate", teacher.post("/materials/"+own+"/certificate", url.Values{"name": {p.FullName}, "lang": {"kk"}, "show_name": {"yes"}}), http.StatusSeeOther)
		number := certNumber(t, teacher, own)
		if !strings.Contains(follow(admin, "/materials?q="+url.QueryEscape("Қобыланды")).Body, "/materials/"+own+"-") {
			t.Fatal("control: search does not find the material before the deletion")
		}
		d := openDB(t, srv)
		// The PDF's page images are drawn in the background.
		waitFor(t, "the page images of the teacher's PDF", func() bool {
			_, pages := authorShas(t, d, uid)
			return len(pages) > 0
		})
		files, pages := authorShas(t, d, uid)
		for _, sha := range append(append([]string{}, files...), pages...) {
			if !stored(srv, sha) {
				t.Fatalf("control: a file of the teacher is not in storage before the deletion")
			}
		}

		page := teacher.get("/account/delete")
		wantStatus(t, "delete page", page, http.StatusOK)
		for _, key := range []string{"deletion.materials.withdraw", "deletion.materials.keep", "deletion.kept.audit", "deletion.kept.requests"} {
			if !strings.Contains(page.Text(), i18n.T(i18n.KK, key)) {
				t.Errorf("the delete page does not say %s", key)
			}
		}
		if !strings.Contains(page.Text(), i18n.T(i18n.KK, "deletion.materials.count", 2)) {
			t.Errorf("the delete page does not count the teacher's two materials")
		}
		wantStatus(t, "delete with a wrong choice", teacher.post("/account/delete", url.Values{"password": {p.Password}, "materials": {"burn"}}), http.StatusUnprocessableEntity)
		if !signedIn(t, teacher) {
			t.Fatal("a refused deletion signed the teacher out")
		}
		wantStatus(t, "delete", teacher.post("/account/delete", url.Values{"password": {p.Password}, "materials": {"withdraw"}}), http.StatusOK)

		for _, id := range []string{own, sharedOwn} {
			if r := newClient(t, srv).get("/materials/" + id); r.Status == http.StatusOK {
				t.Errorf("a withdrawn material's page still answers 200")
			}
		}
		if strings.Contains(follow(admin, "/materials?q="+url.QueryEscape("Қобыланды")).Body, "/materials/"+own+"-") {
			t.Errorf("search still finds the withdrawn material")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM material_search WHERE material_id IN (SELECT id FROM materials WHERE author_id = ?)`, uid); n != 0 {
			t.Errorf("%d search entries of the withdrawn materials are left", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM material_files f JOIN materials m ON m.id = f.material_id WHERE m.author_id = ?`, uid); n != 0 {
			t.Errorf("%d file rows of the withdrawn materials are left", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM materials WHERE author_id = ? AND status <> 'withdrawn'`, uid); n != 0 {
			t.Errorf("%d materials of the deleted teacher are not withdrawn", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM certificates WHERE author_id = ? AND revoked_at = 0`, uid); n != 0 {
			t.Errorf("%d certificates of the withdrawn materials are not revoked", n)
		}
		if v := admin.get("/verify/" + number); strings.Contains(v.Text(), p.FullName) || !strings.Contains(v.Text(), i18n.T(i18n.KK, "certificate.web.state.revoked")) {
			t.Errorf("the verify page of a withdrawn material's certificate does not say revoked, or names the author")
		}
		// Storage: the teacher's own files and page images are gone; the
		// Word file the other teacher published too stays for them.
		theirFiles, _ := authorShas(t, d, other.export().Profile.ID)
		sharedSha := map[string]bool{}
		for _, sha := range theirFiles {
			sharedSha[sha] = true
		}
		gone := 0
		for _, sha := range append(files, pages...) {
			switch {
			case sharedSha[sha] && !stored(srv, sha):
				t.Errorf("a file another teacher published too was deleted from storage")
			case !sharedSha[sha] && stored(srv, sha):
				t.Errorf("a file of the withdrawn materials is still in storage")
			case !sharedSha[sha]:
				gone++
			}
		}
		if gone < 2 || len(sharedSha) == 0 {
			t.Fatalf("control: %d files were the teacher's alone, %d shared", gone, len(sharedSha))
		}
		if r := follow(newClient(t, srv), "/materials/"+theirs); r.Status != http.StatusOK {
			t.Errorf("the other teacher's material with the shared file answers %d", r.Status)
		}
		wantStatus(t, "login after deletion", newClient(t, srv).login(p.Email, p.Password), http.StatusUnauthorized)
	})
}

// TestE2EAdminDeletesOnRequest: a teacher asks for deletion on
// /account/requests; an administrator deletes the account from the
// request with a stated purpose (audited), leaving the materials public
// without the name; the request is answered and the teacher told by
// email, enqueued before the address was destroyed and wiped from the
// queue once sent; the login no longer works and nothing personal is left.
func TestE2EAdminDeletesOnRequest(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		p := newPerson("asks-deletion")
		teacher := signup(t, srv, p)
		uid := teacher.export().Profile.ID
		id := publishApproved(t, admin, teacher, "Атсыз қалатын жоспар")
		wantStatus(t, "file the request", teacher.post("/account/requests", url.Values{"type": {"delete"}, "detail": {"Менің аккаунтымды жойыңыз"}}), http.StatusSeeOther)
		m := requestRowRe.FindStringSubmatch(admin.get("/admin/requests").Body)
		if m == nil {
			t.Fatal("the request is not in the queue")
		}
		req := m[1]
		if !strings.Contains(admin.get("/admin/requests/"+req).Body, `action="/admin/requests/`+req+`/delete"`) {
			t.Fatal("the request's page offers no deletion")
		}
		d := openDB(t, srv)
		before := userRows(t, d, uid)
		mails := len(mailsTo(t, srv, p.Email))

		r := admin.post("/admin/requests/"+req+"/delete", url.Values{"materials": {"keep"}})
		wantStatus(t, "delete without a purpose", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.Text(), i18n.T(i18n.KK, "deletion.admin.purpose_required")) {
			t.Errorf("the refusal does not ask for the purpose")
		}
		if !signedIn(t, teacher) {
			t.Fatal("a refused deletion deleted the account")
		}
		const purpose = "Пайдаланушының жою туралы өтінішін орындау"
		r = admin.post("/admin/requests/"+req+"/delete", url.Values{"materials": {"keep"}, "purpose": {purpose}})
		wantStatus(t, "delete", r, http.StatusSeeOther)
		if r.Location() != "/admin/requests?deleted=1" {
			t.Errorf("the deletion leads to %q", r.Location())
		}
		if !strings.Contains(admin.get("/admin/requests?deleted=1").Text(), i18n.T(i18n.KK, "deletion.admin.done")) {
			t.Errorf("the queue does not say the account was deleted")
		}
		msg := waitMailTo(t, srv, p.Email, mails+1)
		if !strings.Contains(msg.Text, i18n.T(i18n.KK, "deletion.admin.answer")) {
			t.Errorf("the email does not tell the teacher their account was deleted")
		}
		// Sent: the queue keeps the row's kind and status, no address.
		waitFor(t, "the message marked sent", func() bool {
			return count(t, d, `SELECT COUNT(*) FROM mail_queue WHERE kind = 'account_deleted' AND status = 'sent' AND rcpt IS NULL AND body_text IS NULL`) == 1
		})
		wantStatus(t, "login", newClient(t, srv).login(p.Email, p.Password), http.StatusUnauthorized)
		if signedIn(t, teacher) {
			t.Errorf("the deleted teacher's session still signs in")
		}
		erasedEverywhere(t, "after an administrator's deletion", d, uid, before)
		if n := count(t, d, `SELECT COUNT(*) FROM privacy_requests WHERE id = ? AND status = 'answered'`, mustInt(t, req)); n != 1 {
			t.Errorf("the deletion request is not answered")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'user_delete' AND target_user_id = ? AND purpose = ?`, uid, purpose); n != 1 {
			t.Errorf("the audit log has no deletion by the administrator with its purpose")
		}
		// The material stays public, without the name.
		mp := follow(newClient(t, srv), "/materials/"+id)
		if mp.Status != http.StatusOK || strings.Contains(mp.Text(), p.FullName) {
			t.Errorf("the material left public answers %d or names the deleted author", mp.Status)
		}
		// A second deletion on the answered request is refused.
		wantStatus(t, "delete again", admin.post("/admin/requests/"+req+"/delete", url.Values{"purpose": {purpose}}), http.StatusConflict)
	})
}
