package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	netmail "net/mail"
	"net/smtp"
	nettextproto "net/textproto"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// The correspondence between the administration and users (clause
// 1.2 (a)), end to end: the site's pages, the mail it sends, and the
// replies and bounces its SMTP listener receives.

const replyDomain = "smartustaz.test"

var (
	threadLinkRe = regexp.MustCompile(`/account/messages/(\d+)"`)
	threadFileRe = regexp.MustCompile(`/account/messages/\d+/files/(\d+)"`)
	adminLinkRe  = regexp.MustCompile(`/admin/messages/(\d+)"`)
	smtpAddrRe   = regexp.MustCompile(`receiving replies by SMTP on (\S+) for`)
)

// smtpAddr is the address serve's SMTP listener took.
func (s *testServer) smtpAddr(t *testing.T) string {
	t.Helper()
	m := smtpAddrRe.FindStringSubmatch(s.Output())
	if m == nil {
		t.Fatalf("serve did not say where it receives SMTP")
	}
	return m[1]
}

// postFile submits a multipart form with one file under "file", as the
// message form does.
func (c *client) postFile(path string, fields url.Values, name string, data []byte) *response {
	c.t.Helper()
	return c.postFileAs(path, fields, "file", name, data)
}

// postFileAs submits a multipart form with fields and one file under
// field (none when name is empty).
func (c *client) postFileAs(path string, fields url.Values, field, name string, data []byte) *response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		h := nettextproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, field, name))
		h.Set("Content-Type", "application/octet-stream")
		w, _ := mw.CreatePart(h)
		w.Write(data)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// writeThread has c write to the administration and returns the new
// thread's id (the newest on their page).
func writeThread(t *testing.T, c *client, subject, body, file string, data []byte) string {
	t.Helper()
	r := c.postFile("/account/messages", url.Values{"subject": {subject}, "body": {body}}, file, data)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("write to the administration: status %d, errors %s", r.Status, pageErrors(r))
	}
	m := threadLinkRe.FindStringSubmatch(c.get("/account/messages").Body)
	if m == nil {
		t.Fatalf("the new thread is not listed on /account/messages")
	}
	return m[1]
}

// thread makes the role matrix's thread: the author writes with a file.
func (m *matrix) thread() (id, file string) {
	m.t.Helper()
	id = writeThread(m.t, m.main[user], "Матрица хат алмасуы", "Матрицаның бірінші хаты", "сурет.jpg", m.jpg)
	f := threadFileRe.FindStringSubmatch(m.main[user].get("/account/messages/" + id).Body)
	if f == nil {
		m.t.Fatalf("the thread page links no attachment")
	}
	return id, f[1]
}

// rawHeader reads one header of an .eml file, decoded.
func rawHeader(t *testing.T, file, name string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := bytes.Cut(b, []byte("\r\n\r\n"))
	r := nettextproto.NewReader(bufio.NewReader(bytes.NewReader(append(head, "\r\n\r\n"...))))
	h, err := r.ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		t.Fatalf("an outbox message's header does not parse")
	}
	v, err := new(mime.WordDecoder).DecodeHeader(h.Get(name))
	if err != nil {
		t.Fatalf("%s does not decode", name)
	}
	return v
}

// smtpSend sends raw through a real net/smtp client and returns the code
// of the refusal (0: accepted).
func smtpSend(t *testing.T, addr, from, to, raw string) int {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	code := func(err error) int {
		var te *nettextproto.Error
		if errors.As(err, &te) {
			return te.Code
		}
		t.Fatalf("not an SMTP reply: %v", err)
		return 0
	}
	if err := c.Mail(from); err != nil {
		return code(err)
	}
	if err := c.Rcpt(to); err != nil {
		return code(err)
	}
	w, err := c.Data()
	if err != nil {
		return code(err)
	}
	w.Write([]byte(raw))
	if err := w.Close(); err != nil {
		return code(err)
	}
	c.Quit()
	return 0
}

func replyEmail(to, text string) string {
	return "From: teacher@mektep.test\r\nTo: " + to + "\r\nSubject: Re\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + text +
		"\r\n\r\nOn Tue, 1 Dec 2026 smartustaz wrote:\r\n> the answer\r\n"
}

func bounceEmail(failed string) string {
	return "From: MAILER-DAEMON@mx.mektep.test\r\nTo: no-reply@" + replyDomain + "\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n" +
		"--R\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--R\r\nContent-Type: message/delivery-status\r\n\r\n" +
		"Reporting-MTA: dns; mx.mektep.test\r\n\r\nFinal-Recipient: rfc822; " + failed + "\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--R--\r\n"
}

// answerMail waits for the answer's email to addr (the n-th message to
// it) and returns its file.
func answerMail(t *testing.T, srv *testServer, addr string, n int) email {
	t.Helper()
	return waitMailTo(t, srv, addr, n)
}

// TestE2ECorrespondence: a teacher writes with a file, the list shows
// the administrator no content, the audited reveal does, the answer is
// mailed with a reply+TOKEN address and shows in the thread; the
// teacher's email reply joins the thread, a forged token is refused;
// nothing is in the database in plaintext; the export has the thread; a
// moderator is refused; a bounce warns the teacher on /account and stops
// the mail until the address is confirmed again; a visitor's contact
// message reaches the administration.
func TestE2ECorrespondence(t *testing.T) {
	eachEngine2(t, func(t *testing.T, srv *testServer) {
		const (
			subject = "Сертификат-5521 ашылмайды"
			body    = "Сәлеметсіз бе! Сертификат-5521 файлы ашылмайды."
			answer  = "Жауап-5521: сертификат қайта жасалды."
			reply   = "Рахмет-5521, ашылды!"
			visitor = "Қонақ-5521: қалай тіркелемін?"
		)
		admin, adminP := setupAdmin(t, srv)
		p := newPerson("corr")
		teacher := signup(t, srv, p)
		modP := newPerson("mod")
		mod := signup(t, srv, modP)
		if r := admin.post("/admin/users/"+fmt.Sprint(mod.export().Profile.ID)+"/role", url.Values{"role": {"moderator"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("make a moderator: status %d", r.Status)
		}
		// A refused file writes nothing and says why, in Kazakh.
		r := teacher.postFile("/account/messages", url.Values{"subject": {subject}, "body": {body}}, "бағдарлама.exe", []byte("MZ\x90\x00\x03binary"))
		if r.Status != http.StatusUnprocessableEntity || fieldErrors(r)["file"] == "" {
			t.Errorf("an executable attachment: status %d, no error under the file field", r.Status)
		}
		// Files above the site's usual 1 MiB body limit pass up to the
		// attachment limit (5 MB); above it, a message under the field.
		big := bytes.Repeat([]byte("Сабақ жоспарының мәтіні. "), 2<<20/len("Сабақ жоспарының мәтіні. "))
		if r := teacher.postFile("/account/messages", url.Values{"subject": {"Үлкен файл"}, "body": {body}}, "жоспар.txt", big); r.Status != http.StatusSeeOther {
			t.Errorf("a 2 MB attachment: status %d, errors %s", r.Status, pageErrors(r))
		}
		for _, size := range []int{5<<20 + 1000, 7 << 20} {
			r := teacher.postFile("/account/messages", url.Values{"subject": {"Тым үлкен"}, "body": {body}}, "жоспар.txt", bytes.Repeat([]byte("a"), size))
			if r.Status != http.StatusUnprocessableEntity || fieldErrors(r)["file"] == "" {
				t.Errorf("a %d-byte attachment: status %d, no message under the file field", size, r.Status)
			}
		}
		id := writeThread(t, teacher, subject, body, "хат.pdf", sample(t, "sample.pdf"))

		// The administrators' list and page show no content.
		list := admin.get("/admin/messages")
		if list.Status != http.StatusOK || !strings.Contains(list.Body, "/admin/messages/"+id+`"`) || strings.Contains(list.Text(), subject) {
			t.Errorf("the administrators' list does not list the thread without its subject (status %d)", list.Status)
		}
		if pg := admin.get("/admin/messages/" + id); strings.Contains(pg.Text(), subject) || strings.Contains(pg.Text(), body) {
			t.Errorf("the thread's page shows its content before the reveal")
		}
		for _, path := range []string{"/admin/messages", "/admin/messages/" + id} {
			if r := mod.get(path); r.Status != http.StatusForbidden {
				t.Errorf("a moderator gets %d at %s, want 403", r.Status, path)
			}
		}
		if r := mod.post("/admin/messages/"+id+"/reveal", url.Values{"purpose": {"Модератордың әрекеті"}}); r.Status != http.StatusForbidden {
			t.Errorf("a moderator's reveal: %d, want 403", r.Status)
		}
		if r := mod.get("/account/messages/" + id); r.Status != http.StatusNotFound {
			t.Errorf("a moderator opens the teacher's thread: %d, want 404", r.Status)
		}
		rv := admin.post("/admin/messages/"+id+"/reveal", url.Values{"purpose": {"Мұғалімнің сұрағына жауап беру"}})
		if rv.Status != http.StatusOK || !strings.Contains(rv.Text(), subject) || !strings.Contains(rv.Text(), body) {
			t.Errorf("the reveal does not show the thread (status %d)", rv.Status)
		}
		if a := admin.get("/admin/audit"); !strings.Contains(a.Text(), "correspondence thread="+id) {
			t.Errorf("the audit log does not record the reveal of the thread")
		}

		// The answer: in the thread, and by email with a reply address.
		if r := admin.post("/admin/messages/"+id+"/answer", url.Values{"body": {answer}}); r.Status != http.StatusSeeOther || r.Location() != "/admin/messages/"+id+"?done=answered" {
			t.Fatalf("answer: status %d to %s", r.Status, r.Location())
		}
		m := answerMail(t, srv, p.Email, 2) // 1 is the verification
		replyTo := rawHeader(t, m.File, "Reply-To")
		if a, err := netmail.ParseAddress(replyTo); err == nil {
			replyTo = a.Address
		}
		if !strings.HasPrefix(replyTo, "reply+") || !strings.HasSuffix(replyTo, "@"+replyDomain) || !strings.Contains(m.Text, answer) || !strings.Contains(m.Subject, subject) {
			t.Fatalf("the answer's email has no reply+TOKEN@%s address or not the answer", replyDomain)
		}
		if th := teacher.get("/account/messages/" + id); !strings.Contains(th.Text(), answer) {
			t.Errorf("the answer is not in the teacher's thread")
		}

		// The teacher replies to the email; a forged token is refused.
		addr := srv.smtpAddr(t)
		if code := smtpSend(t, addr, "teacher@mektep.test", replyTo, replyEmail(replyTo, reply)); code != 0 {
			t.Fatalf("the reply was refused with %d", code)
		}
		forged := "reply+" + strings.Repeat("z", len(replyTo)-len("reply+@"+replyDomain)) + "@" + replyDomain
		if code := smtpSend(t, addr, "teacher@mektep.test", forged, replyEmail(forged, "x")); code != 550 {
			t.Errorf("a forged token: %d, want 550", code)
		}
		th := teacher.get("/account/messages/" + id).Text()
		if !strings.Contains(th, reply) || strings.Contains(th, "the answer") {
			t.Errorf("the email reply is not in the thread without its quote")
		}

		// Nothing of it is in the database in plaintext.
		d := openDB(t, srv)
		for _, q := range []string{"SELECT subject_enc FROM corr_threads", "SELECT body_enc FROM corr_messages", "SELECT att_name_enc FROM corr_messages", "SELECT att_enc FROM corr_messages"} {
			rows, err := d.Query(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var b []byte
				rows.Scan(&b)
				n++
				for _, s := range []string{subject, body, answer, reply, "5521", "хат.pdf", "%PDF"} {
					if bytes.Contains(b, []byte(s)) {
						t.Errorf("%s holds a value in plaintext", q)
					}
				}
			}
			rows.Close()
			if n == 0 {
				t.Errorf("%s: no rows", q)
			}
		}
		for i, v := range []string{subject, body, answer, reply, p.Email, replyTo} {
			if strings.Contains(srv.Output(), v) {
				t.Errorf("the server's log holds value #%d of the correspondence", i)
			}
		}
		if n := count(t, d, "SELECT COUNT(*) FROM corr_tokens"); n != 1 {
			t.Errorf("%d reply tokens stored, want 1 (hashed)", n)
		}

		// The export has the whole thread.
		var x struct {
			Correspondence []struct {
				ID       int64  `json:"id"`
				Subject  string `json:"subject"`
				Messages []struct {
					From, Via, Body string
					Attachment      *struct{ Name string } `json:"attachment"`
				} `json:"messages"`
			} `json:"correspondence"`
		}
		if err := json.Unmarshal([]byte(teacher.get("/account/export.json").Body), &x); err != nil {
			t.Fatal(err)
		}
		if len(x.Correspondence) != 2 || x.Correspondence[0].Subject != subject || len(x.Correspondence[0].Messages) != 3 ||
			x.Correspondence[0].Messages[0].Attachment == nil || x.Correspondence[0].Messages[2].Body != reply || x.Correspondence[0].Messages[2].Via != "email" {
			t.Errorf("the export's correspondence is not the thread of three messages with its file and the email reply")
		}

		// A bounce of the teacher's address: a warning, and no more mail.
		if code := smtpSend(t, addr, "", "no-reply@"+replyDomain, bounceEmail(strings.ToUpper(p.Email))); code != 0 {
			t.Fatalf("the bounce was refused with %d", code)
		}
		acc := teacher.get("/account")
		if !strings.Contains(acc.Text(), i18n.T(i18n.KK, "corr.undeliverable.p")) {
			t.Errorf("/account does not warn that the address bounced")
		}
		before := len(mailsTo(t, srv, p.Email))
		if r := admin.post("/admin/messages/"+id+"/answer", url.Values{"body": {"Екінші жауап"}}); r.Location() != "/admin/messages/"+id+"?done=undeliverable" {
			t.Errorf("a second answer to a bounced address: to %s, want done=undeliverable", r.Location())
		}
		time.Sleep(200 * time.Millisecond)
		if n := len(mailsTo(t, srv, p.Email)); n != before {
			t.Errorf("mail went to a bounced address (%d messages, was %d)", n, before)
		}
		// Nor the notice of a new agreement version, a bulk send queued
		// past Suppress: the administrator gets it, the bounced teacher not.
		adminMails := len(mailsTo(t, srv, adminP.Email))
		announced := strings.Count(srv.Output(), "announced new document version")
		if r := publish(t, admin, "agreement", "Жаңа тармақ-5521"); r.Status != http.StatusOK {
			t.Fatalf("publish: status %d", r.Status)
		}
		for deadline := time.Now().Add(20 * time.Second); strings.Count(srv.Output(), "announced new document version") == announced; {
			if time.Now().After(deadline) {
				t.Fatalf("the announcement of the new version never finished")
			}
			time.Sleep(25 * time.Millisecond)
		}
		for deadline := time.Now().Add(20 * time.Second); len(mailsTo(t, srv, adminP.Email)) == adminMails; {
			if time.Now().After(deadline) {
				t.Fatalf("the administrator never got the notice of the new version")
			}
			time.Sleep(50 * time.Millisecond)
		}
		if n := len(mailsTo(t, srv, p.Email)); n != before {
			t.Errorf("the notice of a new version went to a bounced address (%d messages, was %d)", n, before)
		}
		acceptPending(t, admin)
		acceptPending(t, teacher)
		// Confirming the address again lifts the stop.
		if r := teacher.post("/account/email/reconfirm", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("reconfirm: status %d", r.Status)
		}
		link := answerMail(t, srv, p.Email, before+1)
		// Confirmed in the browser that is signed in: on to /account.
		if r := teacher.verifyLink(link.Link); r.Status != http.StatusSeeOther || r.Location() != "/account?done=verified" {
			t.Fatalf("the confirmation link: status %d to %q", r.Status, r.Location())
		}
		if strings.Contains(teacher.get("/account").Text(), i18n.T(i18n.KK, "corr.undeliverable.p")) {
			t.Errorf("/account still warns after the address was confirmed again")
		}
		if r := admin.post("/admin/messages/"+id+"/answer", url.Values{"body": {"Үшінші жауап"}}); r.Location() != "/admin/messages/"+id+"?done=answered" {
			t.Errorf("an answer after the confirmation: to %s", r.Location())
		}
		answerMail(t, srv, p.Email, before+2)

		// A visitor's contact form: sealed, listed, answered by email.
		known := map[string]bool{}
		for _, x := range adminLinkRe.FindAllStringSubmatch(admin.get("/admin/messages").Body, -1) {
			known[x[1]] = true
		}
		vc := newClient(t, srv)
		const vEmail = "qonaq-5521@mektep.test"
		if r := vc.post("/contact", url.Values{"email": {"not an address"}, "subject": {"Тіркелу"}, "body": {visitor}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a contact message with a bad address: %d, want 422", r.Status)
		}
		if r := vc.post("/contact", url.Values{"email": {vEmail}, "subject": {"Тіркелу"}, "body": {visitor}}); r.Status != http.StatusSeeOther {
			t.Fatalf("contact: status %d, errors %s", r.Status, pageErrors(r))
		}
		vid := ""
		for _, x := range adminLinkRe.FindAllStringSubmatch(admin.get("/admin/messages").Body, -1) {
			if !known[x[1]] {
				vid = x[1]
			}
		}
		if vid == "" {
			t.Fatalf("the visitor's thread is not listed")
		}
		if r := admin.post("/admin/messages/"+vid+"/answer", url.Values{"body": {"Қонаққа жауап"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("answer the visitor: %d", r.Status)
		}
		if vm := waitMailTo(t, srv, vEmail, 1); !strings.Contains(vm.Text, "Қонаққа жауап") {
			t.Errorf("the visitor's answer is not in their email")
		}
		// The contact form is limited per client address.
		limited := 0
		for i := range 5 {
			r := vc.post("/contact", url.Values{"email": {vEmail}, "subject": {fmt.Sprint("Тағы ", i)}, "body": {visitor}})
			if r.Status == http.StatusTooManyRequests {
				limited = i + 2 // the how-many-th message of this client
				if !strings.Contains(r.Text(), i18n.T(i18n.KK, "account.throttled")) {
					t.Errorf("the limited contact form does not say why in Kazakh")
				}
				break
			}
		}
		if limited != 5 {
			t.Errorf("the contact form limited the client at message %d, want 5 (3 free, then a wait)", limited)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM corr_threads WHERE key_owner = -id AND user_id = 0"); n != 4 {
			t.Errorf("%d visitor threads, want 4 (the limited message is not stored)", n)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM corr_threads WHERE key_owner = -id AND user_id = 0"); n < 1 {
			t.Errorf("the visitor's thread is not sealed under a key of its own (%d)", n)
		}
	})
}

// eachEngine2 is eachEngine with the SMTP listener on.
func eachEngine2(t *testing.T, fn func(t *testing.T, srv *testServer)) {
	t.Helper()
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			fn(t, startServer(t, e, "SMARTUSTAZ_SMTP_LISTEN=127.0.0.1:0", "SMARTUSTAZ_REPLY_DOMAIN="+replyDomain))
		})
	}
}
