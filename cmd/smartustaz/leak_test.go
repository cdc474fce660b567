package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
)

// The probe values: recognisable strings that a real teacher's data
// stands in for. Test messages name a probe by its index, never its value.
const (
	leakUA             = "LeakProbeBrowser/1.0"
	leakControlPurpose = "LeakControlPurpose: мұғалімнің өтінішін тексеру"
	leakControlText    = "LeakControlParagraph: жаңа тармақ"
)

// leakUsers are the teachers of the leak test, each connecting from a
// loopback address of their own, which is a probe too: the server sees
// it as the client's real IP address (it trusts no proxy header).
var leakUsers = []struct {
	person
	ip, newEmail, newOrg, newPosition string
}{
	{person{"leak-probe-aigerim@mektep-test.kz", "Лейкпроб-құпиясөз-Айгерім-1", "Лейкпроб Айгерім Сәтбаева",
		"Лейкпроб мектебі №77", "Лейкпроб мұғалімі", "Лейкпроб облысы", "+7 701 555 19 77"},
		"127.83.41.77", "leak-probe-new-aigerim@mektep-test.kz", "Лейкпроб жаңа мектебі №91", "Лейкпроб аға мұғалімі"},
	{person{"leak-probe-dauren@mektep-test.kz", "Лейкпроб-құпиясөз-Дәурен-2", "Лейкпроб Дәурен Қасымұлы",
		"Лейкпроб лицейі №12", "Лейкпроб директоры", "Лейкпроб ауданы", "+7 702 555 28 14"},
		"127.83.41.78", "", "Лейкпроб жаңа лицейі №13", "Лейкпроб директордың орынбасары"},
	{person{"leak-probe-zhanar@mektep-test.kz", "Лейкпроб-құпиясөз-Жанар-3", "Лейкпроб Жанар Өмірзақова",
		"Лейкпроб гимназиясы №3", "Лейкпроб кітапханашысы", "Лейкпроб қаласы", "+7 705 555 46 02"},
		"127.83.41.79", "", "Лейкпроб жаңа гимназиясы №4", "Лейкпроб аға кітапханашысы"},
}

// leakUnknownEmail is typed into the login and reset forms but belongs
// to nobody: it reaches only the throttle counters.
const leakUnknownEmail = "leak-probe-nobody@mektep-test.kz"

// Probes of the library: the browser an upload and a download are made
// with (recorded with the address, sealed, clause 1.2 (c)), the words of
// a signed-in reporter, and the name printed on a certificate.
const (
	leakUploadUA   = "LeakProbeUploader/2.7 (Лейкпроб жүктеуші)"
	leakDownloadUA = "LeakProbeDownloader/3.1 (Лейкпроб алушы)"
	leakReportText = "Лейкпроб шағымы: бұл менің сабағым, телефоным +7 777 555 01 02"
	leakCertName   = "Лейкпроб Сертификат Иесі Әлібекқызы"
)

// Probes of the public profile (clause 1.4): what a teacher chose to
// show on their author page is public, and still sealed where it is kept.
const (
	leakPublicName   = "Лейкпроб Жария Есім Нұрланқызы"
	leakPublicSchool = "Лейкпроб жария мектебі №58"
	// A private collection's name: the owner's alone, and sealed too.
	leakCollectionTitle = "Лейкпроб жинағы Ерасылға"
)

// leakProbes lists every probe value.
func leakProbes() []string {
	ps := []string{leakUA, leakUnknownEmail, leakUploadUA, leakDownloadUA, leakReportText, leakCertName, leakPublicName, leakPublicSchool, leakCollectionTitle}
	for _, u := range leakUsers {
		ps = append(ps, u.Email, u.Password, u.FullName, u.Organization, u.Position, u.Region, u.Phone,
			u.ip, u.newOrg, u.newPosition)
		if u.newEmail != "" {
			ps = append(ps, u.newEmail)
		}
	}
	return ps
}

// probeForm is one way a probe could sit in stored bytes.
type probeForm struct {
	probe int
	name  string
	b     []byte
}

// probeForms: each probe as UTF-8 and lowercased; with hexToo also as
// lowercase hex, which is how pg_dump prints a bytea column (plaintext
// put in a BLOB column by mistake would show up that way).
func probeForms(probes []string, hexToo bool) []probeForm {
	var out []probeForm
	for i, p := range probes {
		forms := map[string]string{"utf-8": p, "lowercase": strings.ToLower(p)}
		for name, s := range forms {
			out = append(out, probeForm{i, name, []byte(s)})
			if hexToo {
				out = append(out, probeForm{i, name + " as hex", []byte(hex.EncodeToString([]byte(s)))})
			}
		}
	}
	return out
}

// noProbes fails the test for every probe form found in data; the message
// names the probe's index and the place, never the value.
func noProbes(t *testing.T, where string, data []byte, forms []probeForm) {
	t.Helper()
	for _, f := range forms {
		if bytes.Contains(data, f.b) {
			t.Errorf("probe #%d (%s) is stored in plaintext in %s", f.probe, f.name, where)
		}
	}
}

// mustContain is the positive control: a value stored in plaintext on
// purpose must be found, or the scan is not reading the live data.
func mustContain(t *testing.T, where string, data []byte, controls ...string) {
	t.Helper()
	for _, c := range controls {
		if !bytes.Contains(data, []byte(c)) && !bytes.Contains(data, []byte(hex.EncodeToString([]byte(c)))) {
			t.Errorf("control text %q not found in %s: the scan does not see the live data", c, where)
		}
	}
}

// TestLeakNoPlaintext is the proof of clause 1.3 (and 1.2 (c), 2.1):
// after registrations, sign-ins from a recognisable browser and address,
// profile edits (history), an address change, a password reset request,
// failed logins, a new agreement version accepted by everyone, an upload
// and a download by signed-in teachers, a report with the reporter's own
// words, a certificate with the author's name (and a verifier checking
// it), an administrator's search and reveal, and a deletion, none of the personal
// values is anywhere in the database files — the SQLite file and its WAL
// read raw, or a pg_dump of PostgreSQL — nor in the key or data folder,
// nor in anything the server logged. Only the outbox (a mail sink, not the
// database) holds addresses, as mail must.
func TestLeakNoPlaintext(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		clients := make([]*client, len(leakUsers))
		ids := make([]int64, len(leakUsers))
		for i, u := range leakUsers {
			c := newClientFrom(t, srv, u.ip)
			c.UA = leakUA
			clients[i] = c
			if r := c.register(u.person); r.Status != http.StatusCreated {
				t.Fatalf("user #%d: register: status %d", i, r.Status)
			}
			if r := c.verifyLink(waitMailTo(t, srv, u.Email, 1).Link); r.Status != http.StatusOK && r.Status != http.StatusSeeOther {
				t.Fatalf("user #%d: verify: status %d", i, r.Status)
			}
			// A failed login first (throttle counters), then the real one.
			if r := c.login(strings.ToUpper(u.Email), u.Password+"x"); r.Status != http.StatusUnauthorized {
				t.Fatalf("user #%d: wrong password: status %d", i, r.Status)
			}
			c.mustLogin(u.Email, u.Password)
			ids[i] = c.export().Profile.ID
			// Profile history keeps the old and new values (sealed).
			r := c.post("/account/profile", url.Values{"full_name": {u.FullName}, "organization": {u.newOrg},
				"position": {u.newPosition}, "region": {u.Region}, "phone": {u.Phone}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("user #%d: profile edit: status %d", i, r.Status)
			}
		}

		// An address change, confirmed from the new mailbox.
		a := leakUsers[0]
		if r := clients[0].post("/account/email", url.Values{"email": {a.newEmail}, "password": {a.Password}}); r.Status != http.StatusOK {
			t.Fatalf("email change: status %d", r.Status)
		}
		tok := tokenOf(t, waitMailTo(t, srv, a.newEmail, 1).Link)
		if r := clients[0].post("/account/email/confirm", url.Values{"token": {tok}}); r.Status != http.StatusOK {
			t.Fatalf("email confirm: status %d", r.Status)
		}

		// Forms that take an address from anyone: throttle keys and tokens.
		stranger := newClientFrom(t, srv, leakUsers[1].ip)
		stranger.UA = leakUA
		stranger.login(leakUnknownEmail, "Лейкпроб-кез-келген-1")
		stranger.post("/reset", url.Values{"email": {leakUsers[1].Email}})
		stranger.post("/reset", url.Values{"email": {leakUnknownEmail}})

		// A new agreement version, accepted by every user (acceptances
		// keep the browser and address, sealed).
		if r := publish(t, admin, "agreement", leakControlText); r.Status != http.StatusOK {
			t.Fatalf("publish: status %d", r.Status)
		}
		for i, c := range clients {
			if n := acceptPending(t, c); n != 1 {
				t.Fatalf("user #%d accepted %d documents, want 1", i, n)
			}
		}
		acceptPending(t, admin)

		// The library: user #0 uploads a material from a browser of its
		// own, an administrator approves it, user #1 downloads its file
		// from another browser and reports it in their own words, and
		// user #0 has a certificate issued in a name of its own, which a
		// verifier then checks.
		clients[0].UA = leakUploadUA
		r := clients[0].postMultipart("/materials/new", materialForm("Лейк: Абай өлеңдері сабағы"), upload{"абай.pdf", sample(t, "sample.pdf")})
		clients[0].UA = leakUA
		mp := materialPathRe.FindStringSubmatch(r.Location())
		if r.Status != http.StatusSeeOther || mp == nil {
			t.Fatalf("upload: status %d, errors %s", r.Status, pageErrors(r))
		}
		mid := mp[1]
		if r := admin.post("/admin/moderation/"+mid+"/approve", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("approve: status %d", r.Status)
		}
		file := regexp.MustCompile(`/materials/\d+/files/\d+`).FindString(clients[1].get("/materials/" + mid + "-" + mp[2]).Body)
		if file == "" {
			t.Fatalf("the material page links no file")
		}
		clients[1].UA = leakDownloadUA
		if r := clients[1].get(file); r.Status != http.StatusOK || r.Body != string(sample(t, "sample.pdf")) {
			t.Fatalf("download: status %d, %d bytes", r.Status, len(r.Body))
		}
		clients[1].UA = leakUA
		if r := clients[1].post("/materials/"+mid+"/report", url.Values{"reason": {"personal_data"}, "text": {leakReportText}}); r.Status != http.StatusOK {
			t.Fatalf("report: status %d", r.Status)
		}
		if r := clients[0].post("/materials/"+mid+"/certificate", url.Values{"name": {leakCertName}, "lang": {"kk"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("certificate: status %d, errors %s", r.Status, pageErrors(r))
		}
		number := certNumber(t, clients[0], mid)
		if r := newClient(t, srv).post("/verify/"+number, url.Values{"name": {leakCertName}}); r.Status != http.StatusOK {
			t.Fatalf("certificate name check: status %d", r.Status)
		}
		if r := clients[0].post("/account/public", url.Values{"show_display_name": {"yes"}, "display_name": {leakPublicName},
			"show_school": {"yes"}, "school": {leakPublicSchool}}); r.Status != http.StatusSeeOther {
			t.Fatalf("public profile: status %d, errors %s", r.Status, pageErrors(r))
		}
		if r := newClient(t, srv).get("/authors/" + strconv.FormatInt(ids[0], 10)); shown(r, []string{leakPublicName, leakPublicSchool}) != 2 {
			t.Fatalf("the author page does not show the chosen public fields: status %d", r.Status)
		}
		r = clients[0].post("/collections", url.Values{"title": {leakCollectionTitle}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/collections/") {
			t.Fatalf("collection: status %d, errors %s", r.Status, pageErrors(r))
		}
		if c := clients[0].get(strings.SplitN(r.Location(), "?", 2)[0]); shown(c, []string{leakCollectionTitle}) != 1 {
			t.Fatalf("the owner's collection page does not show its name: status %d", c.Status)
		}
		// Each was stored, and opens for the person it belongs to: so a
		// clean scan below means sealed, not missing.
		libraryStored(t, srv, clients[0], "upload", leakUploadUA)
		libraryStored(t, srv, clients[1], "download", leakDownloadUA)
		if n := count(t, openDB(t, srv), `SELECT COUNT(*) FROM reports WHERE reporter_id = ? AND length(text_enc) > 0`, ids[1]); n != 1 {
			t.Fatalf("%d reports with the reporter's words stored, want 1", n)
		}

		// The administrator searches by address and reveals one user.
		if r := admin.post("/admin/users/find", url.Values{"email": {leakUsers[1].Email}}); r.Status != http.StatusSeeOther {
			t.Fatalf("admin search: status %d", r.Status)
		}
		r = admin.post("/admin/users/"+strconv.FormatInt(ids[1], 10)+"/reveal", url.Values{"purpose": {leakControlPurpose}})
		if r.Status != http.StatusOK || shown(r, []string{leakUsers[1].FullName}) != 1 {
			t.Fatalf("reveal: status %d", r.Status)
		}

		// The last user leaves.
		if r := clients[2].post("/account/delete", url.Values{"password": {leakUsers[2].Password}}); r.Status != http.StatusOK {
			t.Fatalf("delete: status %d", r.Status)
		}
		// The announcement of the new version is mailed in the background;
		// wait for it so its work is in the files too.
		for i, u := range leakUsers[:2] {
			addr := u.Email
			if u.newEmail != "" {
				addr = u.newEmail
			}
			if n := len(mailsTo(t, srv, addr)); n == 0 {
				t.Fatalf("user #%d got no mail", i)
			}
		}
		waitAnnounced(t, srv)

		probes := leakProbes()
		switch srv.Engine {
		case db.SQLite:
			path := strings.TrimPrefix(srv.DSN, "sqlite:")
			main, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read the database file: %v", err)
			}
			wal, err := os.ReadFile(path + "-wal")
			if err != nil {
				t.Fatalf("read the WAL file (it must exist while the server runs): %v", err)
			}
			t.Logf("scanned the SQLite file (%d bytes) and its WAL (%d bytes)", len(main), len(wal))
			forms := probeForms(probes, false)
			noProbes(t, "the SQLite database file", main, forms)
			noProbes(t, "the SQLite WAL file", wal, forms)
			mustContain(t, "the SQLite file and WAL", append(append([]byte{}, main...), wal...), leakControlPurpose, leakControlText)
		case db.Postgres:
			dump := pgDump(t, srv.DSN)
			t.Logf("scanned a pg_dump of %d bytes", len(dump))
			noProbes(t, "the pg_dump of the database", dump, probeForms(probes, true))
			mustContain(t, "the pg_dump", dump, leakControlPurpose, leakControlText)
		}

		// The data folder: key file, anything else — except the outbox.
		forms := probeForms(probes, false)
		outbox := filepath.Join(srv.DataDir, "outbox")
		filepath.WalkDir(srv.DataDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Errorf("walk the data folder: %v", err)
				return nil
			}
			if d.IsDir() {
				if p == outbox {
					return filepath.SkipDir
				}
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Errorf("read %s: %v", filepath.Base(p), err)
				return nil
			}
			rel, _ := filepath.Rel(srv.DataDir, p)
			noProbes(t, "data folder file "+rel, b, forms)
			return nil
		})

		// The server's log and console output.
		out := srv.Output()
		noProbes(t, "the server's output", []byte(out), forms)
		if !strings.Contains(out, "listening on") {
			t.Errorf("the server output was not captured")
		}

		// The outbox is a mail sink: it does carry the address (control
		// that the scan finds values where they are).
		var eml []byte
		for _, f := range srv.outbox(t) {
			b, _ := os.ReadFile(f)
			eml = append(eml, b...)
		}
		if !bytes.Contains(eml, []byte(leakUsers[0].Email)) {
			t.Errorf("the scan does not find probe #2 even in the outbox, where mail must carry it")
		}
	})
}

// libraryStored checks, through the user's own export, that a file event
// of theirs was recorded with the browser it was made with, and, for the
// author, that the certificate carries the name they chose.
func libraryStored(t *testing.T, srv *testServer, c *client, action, ua string) {
	t.Helper()
	r := c.get("/account/export.json")
	var x struct {
		Files []struct {
			Action    string `json:"action"`
			UserAgent string `json:"user_agent"`
		} `json:"files"`
		Certificates []struct {
			Name string `json:"name"`
		} `json:"certificates"`
	}
	if err := json.Unmarshal([]byte(r.Body), &x); err != nil {
		t.Fatalf("export.json: %v", err)
	}
	found := false
	for _, f := range x.Files {
		found = found || f.Action == action && f.UserAgent == ua
	}
	if !found {
		t.Fatalf("the %s is not in its user's export with the browser it was made with", action)
	}
	if action == "upload" && (len(x.Certificates) != 1 || x.Certificates[0].Name != leakCertName) {
		t.Fatalf("the author's export has %d certificates, not the one with the chosen name", len(x.Certificates))
	}
}

// waitAnnounced waits until the server has logged that the background
// announcement of a new document version finished.
func waitAnnounced(t *testing.T, srv *testServer) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(srv.Output(), "announced new document version") {
		if time.Now().After(deadline) {
			t.Fatalf("the announcement of the new version never finished")
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// pgDump dumps the test database with the real pg_dump: what a backup of
// the site contains.
func pgDump(t *testing.T, dsn string) []byte {
	t.Helper()
	bin := "/usr/bin/pg_dump"
	if _, err := os.Stat(bin); err != nil {
		if p, err := exec.LookPath("pg_dump"); err == nil {
			bin = p
		} else if os.Getenv("CI") == "true" {
			t.Fatalf("pg_dump is required in CI to prove the PostgreSQL database holds no plaintext")
		} else {
			t.Skip("pg_dump not installed: cannot scan the PostgreSQL database")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "--no-owner", "--no-privileges", "--dbname", dsn)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg_dump: %v: %s", err, stderr.String())
	}
	return out
}
