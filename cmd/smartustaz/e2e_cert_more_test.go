package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// Checks of the name printed on a certificate are limited per client
// address (a hidden name must not be guessed from a list), and a
// material its author withdraws keeps a valid certificate whose verify
// page says the material was withdrawn instead of linking a 404.
func TestE2ECertificateLimitAndWithdrawal(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		p := newPerson("cert-more")
		teacher := signup(t, srv, p)
		id := publishApproved(t, admin, teacher, "Физика: күш және қозғалыс")
		r := teacher.post("/materials/"+id+"/certificate", url.Values{"name": {p.FullName}, "lang": {"kk"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("issue: status %d (%s)", r.Status, pageErrors(r))
		}
		number := certNumber(t, teacher, id)

		t.Run("name checks limited per address", func(t *testing.T) {
			guesser := newClient(t, srv)
			limited := 0
			for i := 0; i < 20 && limited == 0; i++ {
				r := guesser.post("/verify/"+number, url.Values{"name": {"Болжам Адам " + strconv.Itoa(i)}})
				switch r.Status {
				case http.StatusOK:
					wantText(t, "wrong name", r, i18n.T(i18n.KK, "certificate.web.name.nomatch"))
				case http.StatusTooManyRequests:
					limited = i + 1
					if i < 10 {
						t.Errorf("limited after only %d wrong names", i)
					}
					wantText(t, "limited", r, i18n.T(i18n.KK, "certificate.web.name.limited"))
					wantText(t, "limited", r, i18n.T(i18n.KK, "certificate.web.state.valid"))
					if r.Header.Get("Retry-After") == "" {
						t.Errorf("429 without Retry-After")
					}
					if strings.Contains(r.Text(), i18n.T(i18n.KK, "certificate.web.name.nomatch")) {
						t.Errorf("a limited check still says whether the name matches")
					}
				default:
					t.Fatalf("wrong name #%d: status %d", i+1, r.Status)
				}
			}
			if limited == 0 {
				t.Fatalf("no 429 after 20 wrong names from one address")
			}
			// While blocked (2 s at least; these take milliseconds) even the
			// right name is not compared, in every language.
			for _, lang := range []i18n.Lang{i18n.RU, i18n.EN} {
				guesser.Lang = string(lang)
				r := guesser.post("/verify/"+number, url.Values{"name": {p.FullName}})
				wantStatus(t, "right name while limited, "+string(lang), r, http.StatusTooManyRequests)
				wantText(t, "right name while limited", r, i18n.T(lang, "certificate.web.name.limited"))
				if strings.Contains(r.Text(), i18n.T(lang, "certificate.web.name.match")) {
					t.Errorf("a limited check says the name matches")
				}
			}
			// Another address is not affected, and viewing is never limited.
			other := newClient(t, srv)
			r := other.post("/verify/"+number, url.Values{"name": {p.FullName}})
			wantStatus(t, "another address", r, http.StatusOK)
			wantText(t, "another address", r, i18n.T(i18n.KK, "certificate.web.name.match"))
			wantStatus(t, "view while limited", guesser.get("/verify/"+number), http.StatusOK)
		})

		t.Run("withdrawn material", func(t *testing.T) {
			visitor := newClient(t, srv)
			kk := func(key string) string { return i18n.T(i18n.KK, key) }
			if !strings.Contains(visitor.get("/verify/"+number).Body, `href="/materials/`+id) {
				t.Fatalf("the verify page of a published material does not link it")
			}
			wantStatus(t, "withdraw", teacher.post("/materials/"+id+"/withdraw", nil), http.StatusSeeOther)
			if r := follow(visitor, "/materials/"+id); r.Status != http.StatusNotFound {
				t.Fatalf("a withdrawn material's page: status %d, want 404", r.Status)
			}
			v := visitor.get("/verify/" + number)
			wantStatus(t, "verify after withdrawal", v, http.StatusOK)
			wantText(t, "verify after withdrawal", v, kk("certificate.web.state.valid"))
			wantText(t, "verify after withdrawal", v, kk("certificate.web.signature.ok"))
			wantText(t, "verify after withdrawal", v, kk("certificate.web.material.withdrawn.p"))
			wantText(t, "verify after withdrawal", v, "Физика: күш және қозғалыс")
			if strings.Contains(v.Body, `href="/materials/`+id) {
				t.Errorf("the verify page links a withdrawn material (a 404)")
			}
			ru := newClient(t, srv)
			ru.Lang = "ru"
			wantText(t, "verify after withdrawal, ru", ru.get("/verify/"+number), i18n.T(i18n.RU, "certificate.web.material.withdrawn.p"))

			// The author keeps the PDF but cannot reissue.
			page := teacher.get("/materials/" + id + "/certificate")
			wantStatus(t, "certificate page after withdrawal", page, http.StatusOK)
			wantText(t, "certificate page after withdrawal", page, kk("certificate.web.issue.unpublished"))
			if strings.Contains(page.Body, `<form method="post" action="/materials/`+id+`/certificate"`) {
				t.Errorf("the certificate page offers to reissue for a withdrawn material")
			}
			if pdf := teacher.get("/materials/" + id + "/certificate.pdf?lang=ru"); pdf.Status != http.StatusOK || !strings.HasPrefix(pdf.Body, "%PDF-") {
				t.Errorf("PDF after withdrawal: status %d", pdf.Status)
			}
			re := teacher.post("/materials/"+id+"/certificate", url.Values{"name": {"Басқа Аты"}})
			wantStatus(t, "reissue after withdrawal", re, http.StatusConflict)
			wantText(t, "reissue after withdrawal", re, kk("library.cert.not_published"))
			if certNumberRe.FindString(teacher.get("/materials/"+id+"/certificate").Body) != number {
				t.Errorf("a refused reissue changed the number")
			}

			// A moderator taking the withdrawn material down revokes.
			wantStatus(t, "take down", admin.post("/admin/moderation/"+id+"/takedown", url.Values{"reason": {"not_own_work"}}), http.StatusSeeOther)
			gone := visitor.get("/verify/" + number)
			wantText(t, "after take-down", gone, kk("certificate.web.state.revoked"))
			wantText(t, "after take-down", gone, kk("certificate.web.revoked.takedown"))
			if strings.Contains(gone.Text(), kk("certificate.web.material.withdrawn.p")) {
				t.Errorf("a revoked certificate still explains the withdrawal as if valid")
			}
		})
	})
}
