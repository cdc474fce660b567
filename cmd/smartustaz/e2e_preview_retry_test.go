package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// A file's page images failed in an earlier run (a tool drew blank pages)
// → the material page shows no image, and /admin/status counts it as
// failed and offers administrators — not moderators or teachers — a
// button to retry → pressing it says how many files were sent, and the
// running worker draws the page again. Pictures need no tool, so this
// runs without LibreOffice and poppler.
func TestE2EPreviewRetryFailed(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	eachEngineWith(t, []string{"SMARTUSTAZ_PUBLISH_IMMEDIATELY=true"}, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		teacher := signup(t, srv, newPerson("retry"))
		moderator := signup(t, srv, newPerson("retrymod"))
		mid := moderator.export().Profile.ID
		wantStatus(t, "make moderator", admin.post("/admin/users/"+strconv.FormatInt(mid, 10)+"/role", url.Values{"role": {"moderator"}}), http.StatusSeeOther)

		r := teacher.postMultipart("/materials/new", materialForm("Момышұлы: суреті бар жоспар"), upload{"сурет.png", sample(t, "sample.png")})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("publish: status %d, errors %s", r.Status, pageErrors(r))
		}
		path := materialPathRe.FindString(r.Location())
		imgs := pageImages(waitPageImages(t, admin, path, 1).Body)
		fileID, err := strconv.ParseInt(strings.Split(strings.Split(imgs[0].URL, "/files/")[1], "/")[0], 10, 64)
		if err != nil {
			t.Fatalf("page image address %q: %v", imgs[0].URL, err)
		}

		// As an earlier worker left it: the outcome failed, no page.
		d := openDB(t, srv)
		ctx := context.Background()
		err = d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `DELETE FROM material_previews WHERE file_id = ? AND page > 0`, fileID); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE material_previews SET status = 'failed', note = 'blank' WHERE file_id = ?`, fileID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(pageImages(admin.get(path).Body)); n != 0 {
			t.Fatalf("the failed file shows %d page images", n)
		}

		st := admin.get("/admin/status")
		wantStatus(t, "status page", st, http.StatusOK)
		if !strings.Contains(st.Body, `id="status-failed">1<`) {
			t.Errorf("the status page does not count the failed file")
		}
		if !strings.Contains(st.Body, `action="/admin/status/previews/retry"`) || !strings.Contains(st.Body, `id="preview-retry">`+i18n.T(i18n.KK, "preview.status.retry")+`<`) {
			t.Fatalf("the administrator is not offered the retry button")
		}
		wantText(t, "what the retry does", st, i18n.T(i18n.KK, "preview.status.retry.p"))
		// Staff who are not administrators see the page without the button,
		// and neither they nor teachers may retry.
		if ms := moderator.get("/admin/status"); ms.Status != http.StatusOK || strings.Contains(ms.Body, "/admin/status/previews/retry") {
			t.Errorf("moderator's status page: status %d, retry button shown: %v", ms.Status, strings.Contains(ms.Body, "/admin/status/previews/retry"))
		}
		wantStatus(t, "a moderator retries", moderator.post("/admin/status/previews/retry", nil), http.StatusForbidden)
		wantStatus(t, "a teacher retries", teacher.post("/admin/status/previews/retry", nil), http.StatusForbidden)
		if n := count(t, d, `SELECT COUNT(*) FROM material_previews WHERE status = 'failed'`); n != 1 {
			t.Fatalf("a refused retry changed the outcomes: %d failed, want 1", n)
		}

		r = admin.post("/admin/status/previews/retry", nil)
		if r.Status != http.StatusSeeOther || r.Location() != "/admin/status?retried=1" {
			t.Fatalf("retry: status %d to %q, want 303 to /admin/status?retried=1", r.Status, r.Location())
		}
		wantText(t, "the notice after the retry", admin.get(r.Location()), i18n.T(i18n.KK, "preview.status.retried", 1))
		admin.get("/lang/ru")
		wantText(t, "the notice in Russian", admin.get(r.Location()), i18n.T(i18n.RU, "preview.status.retried", 1))

		imgs = pageImages(waitPageImages(t, admin, path, 1).Body)
		wantStatus(t, "the page drawn again", teacher.get(imgs[0].URL), http.StatusOK)
		st = admin.get("/admin/status")
		if !strings.Contains(st.Body, `id="status-failed">0<`) || !strings.Contains(st.Body, `id="status-done">1<`) {
			t.Errorf("after the retry the status page does not count 1 done and 0 failed")
		}
		if strings.Contains(st.Body, "/admin/status/previews/retry") {
			t.Errorf("the retry button is offered with nothing failed")
		}
	})
}
