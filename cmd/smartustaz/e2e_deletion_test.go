package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// userTables says, for every table that holds something of a user, which
// column names the user and what a deletion leaves of their rows:
// "gone" (no row), "sealed" (rows stay, every sealed column empty) or
// "kept" (rows stay and hold nothing of theirs: ids, field names, dates,
// the published work). erasedEverywhere finds the tables from the live
// schema (every migration applied), so a new table with a user column or
// a sealed column and no row here fails the test.
var userTables = map[string]struct{ owner, rule string }{
	"users":                {"id", "sealed"},
	"user_keys":            {"user_id", "gone"},
	"sessions":             {"user_id", "gone"},
	"tokens":               {"user_id", "gone"},
	"profile_changes":      {"user_id", "sealed"},
	"acceptances":          {"user_id", "sealed"},
	"public_profiles":      {"user_id", "gone"},
	"publication_consents": {"user_id", "kept"},
	"file_events":          {"user_id", "sealed"},
	"certificates":         {"author_id", "sealed"},
	"reports":              {"reporter_id", "sealed"},
	"materials":            {"author_id", "kept"},
	"audit_log":            {"target_user_id", "kept"},
	// Issue 13: what the user saved, rated, wrote, followed and was told.
	"ratings":       {"user_id", "gone"},
	"comments":      {"user_id", "gone"},
	"favourites":    {"user_id", "gone"},
	"collections":   {"owner_id", "gone"},
	"follows":       {"follower_id", "gone"},
	"digest_prefs":  {"user_id", "gone"},
	"notifications": {"user_id", "gone"},
	// The teacher's correspondence goes with them (their threads, the
	// administration's answers in them, their messages, a bounce of their
	// address). An administrator's answers in other users' threads would
	// stay, under those users' keys: they are those users' correspondence.
	"corr_threads":       {"user_id", "gone"},
	"corr_messages":      {"author_id", "gone"},
	"mail_undeliverable": {"user_id", "gone"},
	"import_users":       {"user_id", "gone"},
	"import_chunks":      {"user_id", "gone"},
	"consent_receipts":   {"user_id", "gone"},
	"privacy_requests":   {"user_id", "sealed"},
	// The consent-receipt signing key is the site's own, sealed under
	// the site's data key (owner 0): nothing of any user.
	"receipt_keys":          {"id", "kept"},
	"telemetry_records":     {"user_id", "gone"},
	"telemetry_preferences": {"user_id", "gone"},
	// Blocking and the consent's term: the reminders sent go with the
	// account.
	"consent_reminders": {"user_id", "gone"},
	// A complaint stays as the record that its deadline was met (kind,
	// dates, status); who sent it, its words, parties, answer and
	// documents go.
	"complaints":      {"user_id", "sealed"},
	"complaint_files": {"(SELECT c.user_id FROM complaints c WHERE c.id = complaint_files.complaint_id)", "gone"},
	// An incident names its users by id only (kept as the proof of the
	// notification); its description and measures are the site's record,
	// sealed under the site's key, about no single user (0 matches no
	// user's id).
	// A data ZIP built in the background goes with the account.
	"data_exports":      {"user_id", "gone"},
	"data_export_parts": {"(SELECT e.user_id FROM data_exports e WHERE e.id = data_export_parts.export_id)", "gone"},
	"incident_users":    {"user_id", "kept"},
	"incidents":         {"CAST(0 AS BIGINT)", "kept"},
}

// userColumnRe names the columns that point at the user a row is about.
var userColumnRe = regexp.MustCompile(`^(user_id|author_id|reporter_id|target_user_id)$`)

// schemaColumns lists every table's columns as the database has them.
func schemaColumns(t *testing.T, d *db.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	var rows interface {
		Next() bool
		Scan(...any) error
		Close() error
	}
	var err error
	if d.Engine() == db.SQLite {
		rows, err = d.Query(ctx, `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'material_fts%'`)
	} else {
		rows, err = d.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var tbl, col string
		if err := rows.Scan(&tbl, &col); err != nil {
			t.Fatal(err)
		}
		out[tbl] = append(out[tbl], col)
	}
	return out
}

// sealedColumns are a table's columns that hold a user's secrets: vault
// ciphertexts (_enc), blind indexes (_bidx), the wrapped data key.
func sealedColumns(cols []string) []string {
	var out []string
	for _, c := range cols {
		if strings.HasSuffix(c, "_enc") || strings.HasSuffix(c, "_bidx") || c == "wrapped_key" {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// userSecrets returns every sealed value the database holds for uid,
// "table.column" → values, checking on the way that every table with a
// user column or a sealed column is in userTables.
func userSecrets(t *testing.T, d *db.DB, uid int64) map[string][][]byte {
	t.Helper()
	out := map[string][][]byte{}
	for tbl, cols := range schemaColumns(t, d) {
		rule, ok := userTables[tbl]
		if !ok {
			for _, c := range cols {
				if userColumnRe.MatchString(c) || len(sealedColumns([]string{c})) > 0 {
					t.Errorf("table %s has column %s but the deletion test does not know it: erase it in a deletion (account.Eraser) and add it to userTables", tbl, c)
				}
			}
			continue
		}
		for _, c := range sealedColumns(cols) {
			rows, err := d.Query(context.Background(), `SELECT `+c+` FROM `+tbl+` WHERE `+rule.owner+` = ? AND `+c+` IS NOT NULL`, uid)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var b []byte
				if err := rows.Scan(&b); err != nil {
					t.Fatal(err)
				}
				if len(b) > 0 {
					out[tbl+"."+c] = append(out[tbl+"."+c], b)
				}
			}
			rows.Close()
		}
	}
	return out
}

// userRows counts uid's rows in each table of userTables.
func userRows(t *testing.T, d *db.DB, uid int64) map[string]int {
	t.Helper()
	out := map[string]int{}
	for tbl, rule := range userTables {
		out[tbl] = count(t, d, `SELECT COUNT(*) FROM `+tbl+` WHERE `+rule.owner+` = ?`, uid)
	}
	return out
}

// erasedEverywhere checks that nothing of uid is left: no row in a
// "gone" table, no sealed value anywhere, the account marked deleted
// without a password; before is userRows from before the deletion, to
// check that the rows a deletion keeps are still there.
func erasedEverywhere(t *testing.T, where string, d *db.DB, uid int64, before map[string]int) {
	t.Helper()
	for col, vals := range userSecrets(t, d, uid) {
		t.Errorf("%s: %d sealed value(s) of the deleted user left in %s", where, len(vals), col)
	}
	after := userRows(t, d, uid)
	for tbl, rule := range userTables {
		switch {
		case rule.rule == "gone" && after[tbl] != 0:
			t.Errorf("%s: %d row(s) of the deleted user left in %s", where, after[tbl], tbl)
		case rule.rule != "gone" && after[tbl] < before[tbl]:
			t.Errorf("%s: %s lost rows (%d → %d) that a deletion keeps", where, tbl, before[tbl], after[tbl])
		}
	}
	if n := count(t, d, `SELECT COUNT(*) FROM users WHERE id = ? AND status = 'deleted' AND password_hash = ''`, uid); n != 1 {
		t.Errorf("%s: the account is not marked deleted without a password", where)
	}
}

// backup takes a real backup of the site's database, as docs/operations.md
// says to: SQLite's VACUUM INTO (a consistent copy of a live database,
// like the sqlite3 .backup command), PostgreSQL's pg_dump --format=custom.
func backup(t *testing.T, d *db.DB, dsn, dir string) string {
	t.Helper()
	if d.Engine() == db.SQLite {
		path := filepath.Join(dir, "backup.db")
		if _, err := d.Exec(context.Background(), `VACUUM INTO ?`, path); err != nil {
			t.Fatalf("VACUUM INTO: %v", err)
		}
		return path
	}
	path := filepath.Join(dir, "backup.dump")
	pgTool(t, "pg_dump", "--format=custom", "--file="+path, "--dbname="+dsn)
	return path
}

// restore puts the backup back as the site's database and returns its
// address: the SQLite file copied over the database (the server is
// stopped, and the WAL of the newer database removed), or pg_restore into
// a new PostgreSQL database.
func restore(t *testing.T, e db.Engine, file, dsn string) string {
	t.Helper()
	if e == db.SQLite {
		path := strings.TrimPrefix(dsn, "sqlite:")
		for _, suffix := range []string{"-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return dsn
	}
	fresh := dbtest.DSN(t, db.Postgres)
	pgTool(t, "pg_restore", "--no-owner", "--no-privileges", "--dbname="+fresh, file)
	return fresh
}

// pgTool runs a PostgreSQL client program (pg_dump, pg_restore).
func pgTool(t *testing.T, name string, args ...string) {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI to test restoring a PostgreSQL backup", name)
		}
		t.Skipf("%s not installed: cannot test restoring a PostgreSQL backup", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v: %s", name, err, stderr.String())
	}
}

// TestE2EDeletionEveryCopy: a teacher who used every part of the site
// deletes their account. Every table that held their data is emptied of
// it (found from the schema, so a skipped step or a new table fails), the
// SQLite file and its WAL no longer hold their ciphertexts or wrapped
// key, and a real backup taken before the deletion, restored with the
// current data folder (key file and deletion list), gives nothing back:
// not to the code that reads the database before anything is re-erased
// (the account, session, history and consent reads the administrator's
// reveal page shows), not to `smartustaz migrate`, and not to the site
// started on it (old session, login, the administrator's audited reveal,
// the certificate and author pages), which erases the account again
// before it serves.
func TestE2EDeletionEveryCopy(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dataDir, dsn := t.TempDir(), dbtest.DSN(t, e)
			const noImages = "SMARTUSTAZ_PAGE_IMAGES=false"
			srv, stop := launchServer(t, e, dataDir, dsn, nil, true, noImages, "SMARTUSTAZ_SMTP_LISTEN=127.0.0.1:0", "SMARTUSTAZ_REPLY_DOMAIN="+replyDomain,
				"SMARTUSTAZ_DATA_ZIP_BACKGROUND=0")
			admin, _ := setupAdmin(t, srv)
			other := newClientSignedIn(t, srv)
			p := newPerson("deleted")
			teacher := signup(t, srv, p)
			second := newClient(t, srv) // a second session
			second.mustLogin(p.Email, p.Password)
			uid := teacher.export().Profile.ID

			// Everything the teacher can leave on the site.
			wantStatus(t, "profile", teacher.post("/account/profile", url.Values{"full_name": {p.FullName + " Жаңа"},
				"organization": {p.Organization}, "position": {p.Position}, "region": {p.Region}, "phone": {p.Phone}}), http.StatusSeeOther)
			wantStatus(t, "public profile", teacher.post("/account/public", url.Values{"show_display_name": {"yes"}, "display_name": {p.FullName},
				"show_school": {"yes"}, "school": {p.Organization}}), http.StatusSeeOther)
			id := publishApproved(t, admin, teacher, "Жойылатын автордың сабақ жоспары")
			wantStatus(t, "certificate", teacher.post("/materials/"+id+"/certificate", url.Values{"name": {p.FullName}, "lang": {"kk"}, "show_name": {"yes"}}), http.StatusSeeOther)
			number := certNumber(t, teacher, id)
			files := regexp.MustCompile(`href="(/materials/` + id + `/files/\d+)"`).FindStringSubmatch(follow(teacher, "/materials/"+id).Body)
			if files == nil {
				t.Fatal("the material page links no file")
			}
			wantStatus(t, "download", teacher.get(files[1]), http.StatusOK)
			otherID := publishApproved(t, admin, other, "Басқа мұғалімнің материалы")
			wantStatus(t, "report", teacher.post("/materials/"+otherID+"/report", url.Values{"reason": {"copyright"}, "text": {"Бұл менің " + p.Phone + " жұмысым"}}), http.StatusOK)
			// Issue 13: a rating with a comment, a save, a collection, a
			// follow (which turns the digest on).
			wantStatus(t, "rate", teacher.post("/materials/"+otherID+"/rate", url.Values{"stars": {"4"}, "comment": {"Жақсы жоспар"}}), http.StatusSeeOther)
			wantStatus(t, "save", teacher.post("/materials/"+otherID+"/save", url.Values{}), http.StatusSeeOther)
			wantStatus(t, "collection", teacher.post("/collections", url.Values{"title": {"Жойылатын жинақ"}, "public": {"yes"}}), http.StatusSeeOther)
			wantStatus(t, "follow", teacher.post("/authors/"+strconv.FormatInt(other.export().Profile.ID, 10)+"/follow", url.Values{}), http.StatusSeeOther)
			// Correspondence: a thread with a file, an answer, a bounce.
			thread := writeThread(t, teacher, "Жойылатын автордың сұрағы", "Менің телефоным "+p.Phone, "хат.pdf", sample(t, "sample.pdf"))
			wantStatus(t, "answer", admin.post("/admin/messages/"+thread+"/answer", url.Values{"body": {"Әкімшілік жауабы"}}), http.StatusSeeOther)
			if code := smtpSend(t, srv.smtpAddr(t), "", "no-reply@"+replyDomain, bounceEmail(p.Email)); code != 0 {
				t.Fatalf("the bounce was refused with %d", code)
			}
			wantStatus(t, "privacy request", teacher.post("/account/requests", url.Values{"type": {"correct"}, "detail": {"Телефоным " + p.Phone}}), http.StatusSeeOther)
			reqID := requestRowRe.FindStringSubmatch(admin.get("/admin/requests").Body)
			if reqID == nil {
				t.Fatal("the request is not in the queue")
			}
			wantStatus(t, "answer", admin.post("/admin/requests/"+reqID[1]+"/answer", url.Values{"answer": {"Телефоныңыз түзетілді"}}), http.StatusSeeOther)
			// A complaint with a document (clause 3.2).
			if r := teacher.postFile("/complaint", url.Values{"kind": {"complaint"}, "subject": {"Жойылатын автордың шағымы"},
				"text": {"Менің телефоным " + p.Phone}}, "шағым.pdf", sample(t, "sample.pdf")); r.Status != http.StatusSeeOther {
				t.Fatalf("complaint: status %d, errors %s", r.Status, pageErrors(r))
			}
			// The data ZIP, built in the background (every account is
			// "large" here) and kept sealed until it expires.
			wantStatus(t, "data ZIP", teacher.post("/account/data/exports", url.Values{}), http.StatusSeeOther)
			waitFor(t, "the data ZIP built", func() bool {
				return strings.Contains(teacher.get("/account/data/exports/status").Body, `"ready"`)
			})
			receipt := receiptLinkRe.FindStringSubmatch(teacher.get("/account/consent/receipts").Body)
			if receipt == nil {
				t.Fatal("the receipts page links no receipt")
			}
			wantStatus(t, "consent receipt", teacher.get(receipt[1]), http.StatusOK)
			wantStatus(t, "email change", teacher.post("/account/email", url.Values{"email": {"new-" + p.Email}, "password": {p.Password}}), http.StatusOK)
			wantStatus(t, "verify page before", admin.get("/verify/"+number), http.StatusOK)
			if !strings.Contains(admin.get("/verify/"+number).Text(), p.FullName) {
				t.Fatal("control: the verify page does not show the name the author chose to show")
			}

			d, err := db.Open(ctx, dsn, dataDir)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			markImported(t, d, dataDir, uid)
			// The teacher's page views are written within a second
			// (internal/telemetry).
			waitFor(t, "the teacher's page views recorded", func() bool {
				return count(t, d, `SELECT COUNT(*) FROM telemetry_preferences WHERE user_id = ?`, uid) > 0
			})
			// A reminder of the consent's term, as the hourly job records
			// one when it mails it (privacy.Control; its sending is tested
			// in privacy/ TestControlConsentTerm).
			if _, err := d.Exec(ctx, `INSERT INTO consent_reminders (user_id, consent_at, days_before, sent_at) VALUES (?, ?, 30, ?)`,
				uid, time.Now().UnixMilli(), time.Now().UnixMilli()); err != nil {
				t.Fatal(err)
			}
			before := userRows(t, d, uid)
			secrets := userSecrets(t, d, uid)
			for tbl, rule := range userTables {
				if rule.rule != "kept" && before[tbl] == 0 {
					t.Errorf("control: the scenario left no row in %s, so its erasure is not tested", tbl)
				}
			}
			for tbl, rule := range userTables {
				if rule.rule != "sealed" || tbl == "users" {
					continue
				}
				n := 0
				for _, c := range sealedColumns(schemaColumns(t, d)[tbl]) {
					n += len(secrets[tbl+"."+c])
				}
				if n == 0 {
					t.Errorf("control: no sealed value of the user in %s", tbl)
				}
			}
			sid := teacher.cookie("sid").Value
			adminSid := admin.cookie("sid").Value
			backupFile := backup(t, d, dsn, t.TempDir())

			r := teacher.post("/account/delete", url.Values{"password": {p.Password}})
			wantStatus(t, "delete", r, http.StatusOK)
			erasedEverywhere(t, "after deletion", d, uid, before)

			if e == db.SQLite {
				// secure_delete zeroed the freed cells and the checkpoint
				// emptied the WAL: no byte of the ciphertexts or the key.
				path := strings.TrimPrefix(dsn, "sqlite:")
				var raw []byte
				for _, f := range []string{path, path + "-wal"} {
					b, err := os.ReadFile(f)
					if err != nil && !errors.Is(err, os.ErrNotExist) {
						t.Fatal(err)
					}
					raw = append(raw, b...)
				}
				n := 0
				for col, vals := range secrets {
					for _, v := range vals {
						n++
						if len(v) >= 16 && bytes.Contains(raw, v) {
							t.Errorf("the SQLite file or WAL still holds a deleted %s", col)
						}
					}
				}
				if n < 10 {
					t.Fatalf("control: only %d sealed values were collected", n)
				}
			}
			d.Close()
			stop()

			// 1. The backup restored, read before anything re-erases it:
			// the vault refuses the key the backup holds.
			restored := restore(t, e, backupFile, dsn)
			var rd *db.DB
			rd, err = db.Open(ctx, restored, dataDir)
			if err != nil {
				t.Fatal(err)
			}
			if n := count(t, rd, `SELECT COUNT(*) FROM user_keys WHERE user_id = ?`, uid); n != 1 {
				t.Fatalf("control: the backup holds %d wrapped keys of the user, want 1", n)
			}
			v, _, err := vault.Open(rd, dataDir, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.UserKey(ctx, rd, uid); !errors.Is(err, vault.ErrNoKey) {
				t.Errorf("the vault opens the restored key of a deleted user: %v", err)
			}
			acc := account.New(rd, v, account.Options{})
			u, err := acc.Get(ctx, uid)
			if err != nil {
				t.Fatal(err)
			}
			if u.Status != account.StatusDeleted || !u.Email.IsZero() || !u.FullName.IsZero() || !u.Phone.IsZero() || !u.Organization.IsZero() {
				t.Errorf("the restored account reads as %s with its fields", u.Status)
			}
			sessions, err := acc.Sessions(ctx, uid)
			if err != nil || len(sessions) == 0 {
				t.Fatalf("sessions of the restored account: %d, %v", len(sessions), err)
			}
			for _, s := range sessions {
				if !s.IP.IsZero() || !s.UserAgent.IsZero() {
					t.Errorf("a restored session opens its address or browser")
				}
			}
			changes, err := acc.Changes(ctx, uid)
			if err != nil || len(changes) == 0 {
				t.Fatalf("history of the restored account: %d, %v", len(changes), err)
			}
			for _, c := range changes {
				if !c.Old.IsZero() || !c.New.IsZero() {
					t.Errorf("a restored history entry opens its values")
				}
			}
			acs, err := consent.New(rd, v).Acceptances(ctx, uid)
			if err != nil || len(acs) == 0 {
				t.Fatalf("acceptances of the restored account: %d, %v", len(acs), err)
			}
			for _, a := range acs {
				if !a.IP.IsZero() || !a.UserAgent.IsZero() {
					t.Errorf("a restored acceptance opens its address or browser")
				}
			}
			rd.Close()

			// 2. The command line on the restored backup erases it again.
			env := map[string]string{"SMARTUSTAZ_DATA": dataDir, "SMARTUSTAZ_DB": restored}
			var out strings.Builder
			if err := run(ctx, []string{"smartustaz", "migrate"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out); err != nil {
				t.Fatalf("migrate: %v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "1 deleted account(s) were back in the database") {
				t.Errorf("migrate on the restored backup does not say it erased the account again:\n%s", out.String())
			}
			md, err := db.Open(ctx, restored, dataDir)
			if err != nil {
				t.Fatal(err)
			}
			erasedEverywhere(t, "restored, then migrate", md, uid, before)
			md.Close()

			// 3. The site started on the backup restored again.
			restored = restore(t, e, backupFile, dsn)
			srv2, _ := launchServer(t, e, dataDir, restored, nil, false, noImages)
			if !strings.Contains(srv2.Output(), "1 deleted account(s) were back in the database") {
				t.Errorf("serve on the restored backup does not say it erased the account again:\n%s", srv2.Output())
			}
			old := newClient(t, srv2)
			old.setCookie("sid", sid)
			if signedIn(t, old) {
				t.Errorf("the deleted user's session from the backup still signs in")
			}
			wantStatus(t, "login on the restored site", newClient(t, srv2).login(p.Email, p.Password), http.StatusUnauthorized)
			adm := newClient(t, srv2)
			adm.setCookie("sid", adminSid)
			rev := adm.post(fmt.Sprintf("/admin/users/%d/reveal", uid), url.Values{"purpose": {"Тексеру: жойылған есептік жазба"}})
			wantStatus(t, "reveal on the restored site", rev, http.StatusOK)
			for _, v := range []string{p.FullName, p.Phone, p.Email, p.Organization, p.Region} {
				if strings.Contains(rev.Text(), v) {
					t.Errorf("the administrator's reveal shows the deleted user's data")
				}
			}
			ver := adm.get("/verify/" + number)
			wantStatus(t, "verify on the restored site", ver, http.StatusOK)
			if strings.Contains(ver.Text(), p.FullName) {
				t.Errorf("the verify page shows the deleted author's name")
			}
			// The published material stays (the public work); the page of
			// its author no longer names them.
			if ap := newClient(t, srv2).get(fmt.Sprintf("/authors/%d", uid)); strings.Contains(ap.Text(), p.FullName) || strings.Contains(ap.Text(), p.Organization) {
				t.Errorf("the author page shows what the deleted user had published about themselves")
			}
			erasedEverywhere(t, "restored, then serve", openDB(t, srv2), uid, before)
		})
	}
}
