package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// zipFiles opens a ZIP answer into its files.
func zipFiles(t *testing.T, body string) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
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
	return files
}

// comparable is an export with what differs between two moments taken
// out: the time of the export, when each session was last seen, and the
// technical records (returned apart: each request adds one).
func comparable(t *testing.T, js string) (map[string]any, []any) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatalf("the export does not decode: %v", err)
	}
	tech, _ := m["technical"].([]any)
	delete(m, "exported_at")
	delete(m, "technical")
	for _, k := range []string{"sessions", "ended_sessions"} {
		if ss, ok := m[k].([]any); ok {
			for _, s := range ss {
				delete(s.(map[string]any), "last_seen_at")
			}
		}
	}
	return m, tech
}

// TestE2EDataZipJob: for a large account (here every account:
// --data-zip-background=0) "download" on /account/data starts a job that
// builds the ZIP; the page shows its progress (with a script polling the
// status, and a refresh without JavaScript) and then a link; the user
// gets an email with a link to the page and none of the data; the ZIP
// holds the same export as the request's ZIP and a readable page; only
// its owner downloads it (another user: 404), each download is on the
// audit record, and the database holds none of it in plaintext (issue 12
// §1, law L10) — on both engines.
func TestE2EDataZipJob(t *testing.T) {
	eachEngineWith(t, []string{"SMARTUSTAZ_DATA_ZIP_BACKGROUND=0"}, func(t *testing.T, srv *testServer) {
		const myRequest = "Менің деректерімді түзетіңіз-8841"
		p := newPerson("zipjob")
		teacher := signup(t, srv, p)
		other := newClientSignedIn(t, srv)
		uid := teacher.export().Profile.ID
		wantStatus(t, "request", teacher.post("/account/requests", url.Values{"type": {"correct"}, "detail": {myRequest}}), http.StatusSeeOther)

		page := teacher.get("/account/data")
		wantStatus(t, "data page", page, http.StatusOK)
		if !strings.Contains(page.Body, `action="/account/data/exports"`) || strings.Contains(page.Body, `href="/account/data.zip"`) {
			t.Fatal("a large account's data page has no button to prepare the ZIP, or still links the immediate download")
		}
		wantText(t, "data page", page, i18n.T(i18n.KK, "zipjob.intro", 7))
		if r := teacher.get("/account/data.zip"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/account/data#zip" {
			t.Errorf("the immediate download of a large account: status %d to %q, want 303 to the page", r.Status, r.Location())
		}
		status := func(c *client) map[string]any {
			r := c.get("/account/data/exports/status")
			wantStatus(t, "status", r, http.StatusOK)
			var s map[string]any
			if err := json.Unmarshal([]byte(r.Body), &s); err != nil {
				t.Fatalf("status: %v", err)
			}
			return s
		}
		if s := status(teacher); s["state"] != "none" {
			t.Errorf("status before any: %v", s)
		}

		// The page views so far are written within the flush interval
		// (1 s); the job must find some to show it carries them, so it
		// starts only once the export holds them.
		waitFor(t, "the teacher's page views in their export", func() bool {
			_, tech := comparable(t, teacher.get("/account/export.json").Body)
			return len(tech) > 0
		})
		start := teacher.post("/account/data/exports", url.Values{})
		if start.Status != http.StatusSeeOther || start.Header.Get("Location") != "/account/data#zip" {
			t.Fatalf("start: status %d to %q", start.Status, start.Location())
		}
		// Right after: the page shows the progress (and refreshes itself
		// without JavaScript), or the job was quicker and shows the link.
		page = teacher.get("/account/data")
		running := strings.Contains(page.Body, `data-running`)
		if running && (!strings.Contains(page.Body, `<meta http-equiv="refresh"`) || !strings.Contains(page.Body, "<progress") ||
			!strings.Contains(page.Body, "/zipjob.js") || !strings.Contains(page.Text(), i18n.T(i18n.KK, "zipjob.running"))) {
			t.Error("the page of a ZIP being built shows no progress, script or refresh")
		}
		var last map[string]any
		states := map[string]bool{}
		for deadline := time.Now().Add(30 * time.Second); ; {
			last = status(teacher)
			st, _ := last["state"].(string)
			states[st] = true
			if st == "ready" || st == "failed" || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		for st := range states {
			if st != "pending" && st != "running" && st != "ready" {
				t.Errorf("status went through %q", st)
			}
		}
		if last["state"] != "ready" || last["progress"] != float64(100) {
			t.Fatalf("the ZIP is not ready: %v", last)
		}
		href, _ := last["href"].(string)
		if !regexp.MustCompile(`^/account/data/exports/\d+$`).MatchString(href) {
			t.Fatalf("status link %q", href)
		}
		page = teacher.get("/account/data")
		if !strings.Contains(page.Body, `href="`+href+`"`) || strings.Contains(page.Body, "data-running") {
			t.Error("the page of a ready ZIP does not link it, or still shows progress")
		}

		m := waitMailTo(t, srv, p.Email, 2) // the first is the address confirmation
		if m.Subject != i18n.T(i18n.KK, "zipjob.mail.subject") || m.Link != srv.URL+"/account/data#zip" {
			t.Errorf("the email: subject %q, link %q", m.Subject, m.Link)
		}
		if strings.Contains(m.Text+m.HTML, myRequest) || strings.Contains(m.Text+m.HTML, p.FullName) || strings.Contains(m.Text+m.HTML, href) {
			t.Error("the email carries the user's data or the download address")
		}

		z := teacher.get(href)
		wantStatus(t, "download", z, http.StatusOK)
		if ct := z.Header.Get("Content-Type"); ct != "application/zip" {
			t.Errorf("download type %q", ct)
		}
		files := zipFiles(t, z.Body)
		if !strings.Contains(files["data.html"], p.FullName) || !strings.Contains(files["data.html"], i18n.T(i18n.KK, "privacy.request.correct")) || !strings.Contains(files["data.html"], `<h2 id="reveals-h">`) || strings.Contains(files["data.html"], `id="zip-status"`) {
			t.Error("data.html in the job's ZIP is not the readable data page")
		}
		// The job's JSON is the request's export.
		exp := teacher.get("/account/export.json")
		wantStatus(t, "export", exp, http.StatusOK)
		job, jobTech := comparable(t, files["data.json"])
		req, reqTech := comparable(t, exp.Body)
		jb, _ := json.Marshal(job)
		rb, _ := json.Marshal(req)
		if !bytes.Equal(jb, rb) {
			t.Errorf("the job's data.json differs from the export:\njob %s\nreq %s", jb, rb)
		}
		// The records are newest first: the job's are the export's older
		// ones, the requests made since are the newer ones.
		tj, _ := json.Marshal(jobTech)
		tr := []byte("null")
		if len(reqTech) >= len(jobTech) {
			tr, _ = json.Marshal(reqTech[len(reqTech)-len(jobTech):])
		}
		if all, _ := json.Marshal(reqTech); strings.Contains(string(all), "/account/data/exports/status") {
			t.Error("the page's polling of the ZIP's status is recorded as page views")
		}
		if len(jobTech) == 0 || !bytes.Equal(tj, tr) {
			t.Errorf("the job's technical records (%d) are not the export's (%d) older ones", len(jobTech), len(reqTech))
		}

		if r := other.get(href); r.Status != http.StatusNotFound {
			t.Errorf("another user's download: status %d, want 404", r.Status)
		}
		if r := newClient(t, srv).get(href); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login") {
			t.Errorf("a visitor's download: status %d", r.Status)
		}
		if s := status(other); s["state"] != "none" {
			t.Errorf("another user sees a ZIP: %v", s)
		}

		d := openDB(t, srv)
		ctx := context.Background()
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'data_export' AND target_user_id = ? AND detail = 'format=zip'`, uid).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit entries of the ZIP's download: %d (%v), want 1", n, err)
		}
		rows, err := d.Query(ctx, `SELECT data_enc FROM data_export_parts`)
		if err != nil {
			t.Fatal(err)
		}
		parts := 0
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			parts++
			for _, plain := range []string{myRequest, p.Email, "data.json", "PK\x03\x04"} {
				if bytes.Contains(b, []byte(plain)) {
					t.Errorf("the stored ZIP holds %q in plaintext", plain)
				}
			}
		}
		rows.Close()
		if parts == 0 {
			t.Error("no stored ZIP")
		}

		// The page of a ZIP being built and of one that failed, whatever
		// the job's speed above: the other user's rows, set directly.
		otherID := other.export().Profile.ID
		now := time.Now().UnixMilli()
		if _, err := d.Exec(ctx, `INSERT INTO data_exports (id, user_id, lang, state, progress, created_at, expires_at) VALUES (?, ?, 'ru', 'running', 40, ?, ?)`,
			uid+1, otherID, now, now+3600_000); err != nil {
			t.Fatal(err)
		}
		op := other.get("/account/data")
		if !strings.Contains(op.Body, `data-running`) || !strings.Contains(op.Body, `<noscript><meta http-equiv="refresh"`) ||
			!strings.Contains(op.Body, `<progress max="100" value="40">`) || !strings.Contains(op.Body, "/zipjob.js") ||
			strings.Contains(op.Body, `action="/account/data/exports"`) {
			t.Error("the page of a ZIP being built does not show its progress, refresh and script, or offers to start another")
		}
		if s := status(other); s["state"] != "running" || s["progress"] != float64(40) || s["href"] != nil {
			t.Errorf("status of a ZIP being built: %v", s)
		}
		if _, err := d.Exec(ctx, `UPDATE data_exports SET state = 'failed' WHERE user_id = ?`, otherID); err != nil {
			t.Fatal(err)
		}
		op = other.get("/account/data")
		wantText(t, "failed", op, i18n.T(i18n.KK, "zipjob.failed"))
		if strings.Contains(op.Body, `data-running`) || !strings.Contains(op.Body, `action="/account/data/exports"`) {
			t.Error("the page of a failed ZIP still polls, or offers no new start")
		}

		// Deleting the account deletes the ZIP.
		wantStatus(t, "delete", teacher.post("/account/delete", url.Values{"password": {p.Password}}), http.StatusOK)
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM data_exports WHERE user_id = ?`, uid).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d exports left after the account's deletion (%v)", n, err)
		}
	})
}
