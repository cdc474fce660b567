package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// myDataExport is the part of /account/export.json added for issue 12 §1.
type myDataExport struct {
	EndedSessions []struct {
		ID      int64  `json:"id"`
		EndedAt string `json:"ended_at"`
	} `json:"ended_sessions"`
	Reports []struct {
		MaterialTitle string `json:"material_title"`
		Reason        string `json:"reason"`
		Text          string `json:"text"`
	} `json:"reports"`
	Materials []struct {
		Title  string `json:"title"`
		Status string `json:"status"`
	} `json:"materials"`
	Reveals []struct {
		AdminID   int64  `json:"administrator_id"`
		AdminRole string `json:"administrator_role"`
		Purpose   string `json:"purpose"`
	} `json:"reveals"`
	Requests []struct {
		Type   string `json:"type"`
		Detail string `json:"detail"`
	} `json:"requests"`
}

// TestE2EMyData: /account/data shows the signed-in user everything the
// site holds about them — an ended session, the material they authored
// with its status, the report they filed, their privacy request, and the
// administrator's audited view of their data with its purpose — and the
// export holds the same; another user's data appears in neither (law L10,
// clauses 1.3, 2.3).
func TestE2EMyData(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		const (
			myTitle      = "Менің деректерім: бөлшектер сабағы"
			otherTitle   = "Басқа мұғалімнің жоспары"
			myReport     = "Мұғалімнің шағым мәтіні-7731"
			otherReport  = "Басқаның шағым мәтіні-7732"
			myRequest    = "Мұғалімнің сұрауы-7733"
			otherRequest = "Басқаның сұрауы-7734"
			myPurpose    = "Шағымды тексеру үшін қарау-7735"
			otherPurpose = "Басқа адамды тексеру-7736"
		)
		admin, _ := setupAdmin(t, srv)
		adminID := admin.export().Profile.ID
		p := newPerson("mydata")
		teacher := signup(t, srv, p)
		other := newClientSignedIn(t, srv)
		uid, otherID := teacher.export().Profile.ID, other.export().Profile.ID

		// A second session, signed out: the database keeps it for a year.
		second := newClient(t, srv)
		second.mustLogin(p.Email, p.Password)
		wantStatus(t, "logout", second.post("/logout", url.Values{}), http.StatusSeeOther)

		mine := publishApproved(t, admin, teacher, myTitle)
		theirs := publishApproved(t, admin, other, otherTitle)
		wantStatus(t, "report", teacher.post("/materials/"+theirs+"/report", url.Values{"reason": {"copyright"}, "text": {myReport}}), http.StatusOK)
		wantStatus(t, "other's report", other.post("/materials/"+mine+"/report", url.Values{"reason": {"wrong_content"}, "text": {otherReport}}), http.StatusOK)
		wantStatus(t, "request", teacher.post("/account/requests", url.Values{"type": {"correct"}, "detail": {myRequest}}), http.StatusSeeOther)
		wantStatus(t, "other's request", other.post("/account/requests", url.Values{"type": {"correct"}, "detail": {otherRequest}}), http.StatusSeeOther)
		wantStatus(t, "reveal", admin.post("/admin/users/"+strconv.FormatInt(uid, 10)+"/reveal", url.Values{"purpose": {myPurpose}}), http.StatusOK)
		wantStatus(t, "other's reveal", admin.post("/admin/users/"+strconv.FormatInt(otherID, 10)+"/reveal", url.Values{"purpose": {otherPurpose}}), http.StatusOK)

		page := teacher.get("/account/data")
		wantStatus(t, "data page", page, http.StatusOK)
		txt := page.Text()
		kk := func(key string, args ...any) string { return i18n.T(i18n.KK, key, args...) }
		for _, want := range []string{
			myTitle, kk("library.status.published"), // the material, with its status
			myReport, kk("library.report.reason.copyright"), otherTitle, // the report filed
			kk("privacy.request.correct"), `href="/account/requests#req-`, // the request
			myPurpose, kk("web.role.admin") + " №" + strconv.FormatInt(adminID, 10), // the reveal
			kk("mydata.session.ended", ""), // the ended session
			`href="/account/consent/receipts"`, `href="/agreement/agreement/1"`, `href="/account/messages"`,
			`<h2 id="reveals-h">`, `<h2 id="reports-h">`, `<h2 id="materials-h">`, `<h2 id="requests-h">`, `<h2 id="sessions-h">`,
		} {
			if !strings.Contains(txt, want) && !strings.Contains(page.Body, want) {
				t.Errorf("the data page does not show %q", want)
			}
		}
		for _, not := range []string{otherReport, otherRequest, otherPurpose} {
			if strings.Contains(txt, not) {
				t.Errorf("the data page shows another user's %q", not)
			}
		}

		r := teacher.get("/account/export.json")
		wantStatus(t, "export", r, http.StatusOK)
		var x myDataExport
		if err := json.Unmarshal([]byte(r.Body), &x); err != nil {
			t.Fatalf("export does not decode: %v", err)
		}
		signedOut := 0
		for _, s := range x.EndedSessions {
			if s.EndedAt != "" {
				signedOut++
			}
		}
		if signedOut == 0 {
			t.Errorf("export ended_sessions: %d, none with ended_at", len(x.EndedSessions))
		}
		if len(x.Materials) != 1 || x.Materials[0].Title != myTitle || x.Materials[0].Status != "published" {
			t.Errorf("export materials: %+v", x.Materials)
		}
		if len(x.Reports) != 1 || x.Reports[0].Text != myReport || x.Reports[0].MaterialTitle != otherTitle || x.Reports[0].Reason != "copyright" {
			t.Errorf("export reports: %d, or not the one filed", len(x.Reports))
		}
		if len(x.Requests) != 1 || x.Requests[0].Detail != myRequest || x.Requests[0].Type != "correct" {
			t.Errorf("export requests: %d, or not the one filed", len(x.Requests))
		}
		if len(x.Reveals) != 1 || x.Reveals[0].Purpose != myPurpose || x.Reveals[0].AdminID != adminID || x.Reveals[0].AdminRole != "admin" {
			t.Errorf("export reveals: %+v", x.Reveals)
		}
		for _, not := range []string{otherReport, otherRequest, otherPurpose} {
			if strings.Contains(r.Body, not) {
				t.Errorf("the export holds another user's %q", not)
			}
		}

		// "Download all (ZIP)": the same export and a readable copy of the page.
		if !strings.Contains(page.Body, `href="/account/data.zip"`) {
			t.Error("the data page has no link to the ZIP")
		}
		z := teacher.get("/account/data.zip")
		wantStatus(t, "zip", z, http.StatusOK)
		zr, err := zip.NewReader(bytes.NewReader([]byte(z.Body)), int64(len(z.Body)))
		if err != nil {
			t.Fatalf("the ZIP does not open: %v", err)
		}
		files := map[string]string{}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			files[f.Name] = string(b)
		}
		var zx myDataExport
		if err := json.Unmarshal([]byte(files["data.json"]), &zx); err != nil || len(zx.Reveals) != 1 || zx.Reveals[0].Purpose != myPurpose || len(zx.Materials) != 1 {
			t.Errorf("data.json in the ZIP is not the export (err %v)", err)
		}
		h := files["data.html"]
		for _, want := range []string{myTitle, myReport, myPurpose, `<h2 id="reveals-h">`} {
			if !strings.Contains(h, want) {
				t.Errorf("data.html in the ZIP does not show %q", want)
			}
		}
		for _, not := range []string{otherReport, otherRequest, otherPurpose} {
			if strings.Contains(files["data.json"], not) || strings.Contains(h, not) {
				t.Errorf("the ZIP holds another user's %q", not)
			}
		}
		if visitor := newClient(t, srv).get("/account/data.zip"); visitor.Status == http.StatusOK {
			t.Error("a visitor downloads a ZIP")
		}
	})
}
