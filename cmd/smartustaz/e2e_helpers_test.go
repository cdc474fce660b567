package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/cookiejar"
	netmail "net/mail"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// Helpers shared by the end-to-end tests (e2e_*, leak_*, cli_*): a
// browser-like client per user, email parsing, and direct database
// checks. Every test runs on both engines through eachEngine.

// eachEngine runs fn once per database engine, as subtests "sqlite" and
// "postgres", each on a server of its own with a fresh data folder and
// database.
func eachEngine(t *testing.T, fn func(t *testing.T, srv *testServer)) {
	t.Helper()
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			fn(t, startServer(t, e))
		})
	}
}

// ipSeq hands out loopback source addresses. The server throttles
// registration and failed logins per client address (clause 2.1), and
// every test client connects from 127.0.0.1 unless told otherwise; giving
// each simulated user an address of its own (all of 127.0.0.0/8 is
// loopback on Linux) keeps one scenario's attempts from blocking the next.
var ipSeq atomic.Uint32

func nextIP() string {
	n := ipSeq.Add(1)
	return fmt.Sprintf("127.%d.%d.%d", 20+n/62500%200, n/250%250, n%250+1)
}

// client is one browser: its own cookie jar, language, user agent and
// source address. It does not follow redirects, so tests see each 303.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
	IP   string
	// Lang is sent as Accept-Language when not empty.
	Lang string
	// UA is the User-Agent header.
	UA string
}

// response is what a user agent received, body read in full.
type response struct {
	Status int
	Header http.Header
	Body   string
}

// Location is the redirect target's path and query.
func (r *response) Location() string {
	l := r.Header.Get("Location")
	if u, err := url.Parse(l); err == nil {
		return u.RequestURI()
	}
	return l
}

// Text is the body with HTML entities decoded, so a translated sentence
// can be looked for as the user reads it.
func (r *response) Text() string { return html.UnescapeString(r.Body) }

// newClient returns a browser connecting from a fresh loopback address.
func newClient(t *testing.T, srv *testServer) *client {
	return newClientFrom(t, srv, nextIP())
}

// newClientFrom returns a browser connecting from source address ip.
func newClientFrom(t *testing.T, srv *testServer, ip string) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	tr := &http.Transport{
		DialContext:       d.DialContext,
		DisableKeepAlives: false,
		MaxIdleConns:      4,
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{
		t: t, base: srv.URL, IP: ip, UA: "smartustaz-e2e/1.0",
		hc: &http.Client{
			Jar: jar, Transport: tr, Timeout: 60 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// do sends req with the client's headers and reads the answer.
func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	if c.Lang != "" && req.Header.Get("Accept-Language") == "" {
		req.Header.Set("Accept-Language", c.Lang)
	}
	req.Header.Set("User-Agent", c.UA)
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// get requests path (with its query) on the site.
func (c *client) get(path string) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post submits form to path as a browser form does (same-origin request
// from a non-browser client: no Origin or Sec-Fetch-Site header).
func (c *client) post(path string, form url.Values, headers ...string) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

// cookie returns the cookie name the jar would send to the site, or nil.
func (c *client) cookie(name string) *http.Cookie {
	u, _ := url.Parse(c.base)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// setCookie replaces the session cookie in the jar (to replay an old one).
func (c *client) setCookie(name, value string) {
	u, _ := url.Parse(c.base)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// person is a user's registration form.
type person struct {
	Email, Password, FullName, Organization, Position, Region, Phone string
}

// form is the registration form for p, with the agreement ticked.
func (p person) form() url.Values {
	return url.Values{
		"email": {p.Email}, "password": {p.Password}, "full_name": {p.FullName},
		"organization": {p.Organization}, "position": {p.Position}, "region": {p.Region},
		"phone": {p.Phone}, "accept": {"yes"},
	}
}

var personSeq atomic.Uint32

// newPerson makes a valid, unique teacher; the name carries Kazakh letters.
func newPerson(tag string) person {
	n := personSeq.Add(1)
	return person{
		Email:        fmt.Sprintf("e2e-%s-%d-%d@mektep.test", tag, n, time.Now().UnixNano()%1e6),
		Password:     fmt.Sprintf("Құпия-сөз-%d-ұзын", n),
		FullName:     fmt.Sprintf("Әсел Тестқызы %d", n),
		Organization: fmt.Sprintf("№%d мектеп-гимназия", n),
		Position:     "Қазақ тілі мұғалімі",
		Region:       "Қарағанды облысы",
		Phone:        fmt.Sprintf("+7 701 %03d 22 33", n%1000),
	}
}

// register submits p's registration and returns the response.
func (c *client) register(p person) *response {
	c.t.Helper()
	return c.post("/register", p.form())
}

// login signs in and returns the response (303 on success).
func (c *client) login(email, password string) *response {
	c.t.Helper()
	return c.post("/login", url.Values{"email": {email}, "password": {password}})
}

// mustLogin signs in or fails the test.
func (c *client) mustLogin(email, password string) {
	c.t.Helper()
	if r := c.login(email, password); r.Status != http.StatusSeeOther {
		c.t.Fatalf("login: status %d, want 303", r.Status)
	}
}

// signup registers p from a new client, confirms the address through the
// emailed link and signs in; it returns the signed-in client.
func signup(t *testing.T, srv *testServer, p person) *client {
	t.Helper()
	c := newClient(t, srv)
	if r := c.register(p); r.Status != http.StatusCreated {
		t.Fatalf("register: status %d, want 201; page error: %q", r.Status, pageErrors(r))
	}
	m := waitMailTo(t, srv, p.Email, 1)
	// Registering signed c in, so confirming in c goes on to the account.
	if r := c.verifyLink(m.Link); r.Status != http.StatusOK && r.Status != http.StatusSeeOther {
		t.Fatalf("verify: status %d", r.Status)
	}
	c.mustLogin(p.Email, p.Password)
	return c
}

// verifyLink does what a user does with an emailed verification link:
// opens it (a form) and presses the button.
func (c *client) verifyLink(link string) *response {
	c.t.Helper()
	tok := tokenOf(c.t, link)
	if r := c.get("/verify?token=" + url.QueryEscape(tok)); r.Status != http.StatusOK {
		c.t.Fatalf("GET verify link: status %d", r.Status)
	}
	return c.post("/verify", url.Values{"token": {tok}})
}

// tokenOf is the token parameter of an emailed link.
func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("emailed link has no token")
	}
	return u.Query().Get("token")
}

// setupAdmin creates the first administrator through the one-time link
// and returns them signed in.
func setupAdmin(t *testing.T, srv *testServer) (*client, person) {
	t.Helper()
	p := newPerson("admin")
	c := newClient(t, srv)
	tok := tokenOf(t, srv.SetupURL)
	r := c.post("/setup", url.Values{"token": {tok}, "email": {p.Email}, "full_name": {p.FullName},
		"password": {p.Password}, "password_repeat": {p.Password}})
	if r.Status != http.StatusOK || !strings.Contains(r.Text(), i18n.T(i18n.KK, "web.setup.done")) {
		t.Fatalf("setup: status %d, page error %q", r.Status, pageErrors(r))
	}
	c.mustLogin(p.Email, p.Password)
	// The setup form records no acceptance: like every user, the
	// administrator is asked to accept the documents first (clause 3.4).
	acceptPending(t, c)
	return c, p
}

var documentInputRe = regexp.MustCompile(`<input type="hidden" name="document" value="(\d+)">`)

// acceptPending accepts whatever document versions c's user is asked to
// accept, as the consent page offers them, and reports how many there were.
func acceptPending(t *testing.T, c *client) int {
	t.Helper()
	r := c.get("/account/consent")
	if r.Status == http.StatusSeeOther {
		return 0 // nothing pending: the page sends the user on
	}
	if r.Status != http.StatusOK {
		t.Fatalf("/account/consent: status %d", r.Status)
	}
	var docs []string
	for _, m := range documentInputRe.FindAllStringSubmatch(r.Body, -1) {
		docs = append(docs, m[1])
	}
	if len(docs) == 0 {
		t.Fatalf("the consent page lists no document")
	}
	r = c.post("/account/consent", url.Values{"document": docs, "accept": {"yes"}, "next": {"/account"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("accepting: status %d (%s)", r.Status, pageErrors(r))
	}
	return len(docs)
}

var (
	alertRe    = regexp.MustCompile(`(?s)<p class="alert" role="alert">(.*?)</p>`)
	fieldErrRe = regexp.MustCompile(`(?s)<p class="err" id="e-([a-z_]+)">(.*?)</p>`)
)

// pageError is the general error sentence on a page ("" when none).
func pageError(r *response) string {
	if m := alertRe.FindStringSubmatch(r.Body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// fieldErrors maps each field shown with an error to its sentence.
func fieldErrors(r *response) map[string]string {
	out := map[string]string{}
	for _, m := range fieldErrRe.FindAllStringSubmatch(r.Body, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// pageErrors summarises a page's errors for a failure message. The
// sentences are the site's own translations, never what a user typed.
func pageErrors(r *response) string {
	return fmt.Sprintf("%s %v", pageError(r), fieldErrors(r))
}

// email is a message from the outbox as a mail client shows it.
type email struct {
	File    string
	To      string
	Subject string
	Lang    string
	Text    string
	HTML    string
	// Link is the first link in the text part.
	Link string
}

var linkRe = regexp.MustCompile(`https?://[^\s<>"]+`)

// parseMail decodes an .eml file: RFC 2047 subject, multipart bodies
// with base64 or quoted-printable parts. Errors never quote the message.
func parseMail(t *testing.T, raw []byte) email {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("outbox message does not parse as RFC 5322")
	}
	var m email
	if m.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("outbox message: Subject does not decode")
	}
	if to, err := msg.Header.AddressList("To"); err == nil && len(to) == 1 {
		m.To = to[0].Address
	}
	m.Lang = msg.Header.Get("Content-Language")
	var walk func(h textproto, body io.Reader)
	walk = func(h textproto, body io.Reader) {
		mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
		if err != nil {
			t.Fatalf("outbox message: bad Content-Type")
		}
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatalf("outbox message: multipart: %v", err)
				}
				walk(p.Header, p)
			}
		}
		switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, body)
		case "quoted-printable":
			body = quotedprintable.NewReader(body)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("outbox message: part does not decode")
		}
		switch mt {
		case "text/plain":
			m.Text += string(b)
		case "text/html":
			m.HTML += string(b)
		}
	}
	walk(msg.Header, msg.Body)
	m.Link = linkRe.FindString(m.Text)
	return m
}

// textproto is the header shape shared by net/mail and mime/multipart.
type textproto interface{ Get(string) string }

// mailsTo parses every outbox message addressed to addr, oldest first.
func mailsTo(t *testing.T, srv *testServer, addr string) []email {
	t.Helper()
	var out []email
	for _, f := range srv.outbox(t) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m := parseMail(t, raw)
		m.File = f
		if strings.EqualFold(m.To, addr) {
			out = append(out, m)
		}
	}
	return out
}

// waitMailTo waits until addr has received n messages and returns the
// n-th (1-based). Mail is written during the request, except the
// announcement of a new document version, which is sent in the background.
func waitMailTo(t *testing.T, srv *testServer, addr string, n int) email {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ms := mailsTo(t, srv, addr)
		if len(ms) >= n {
			return ms[n-1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("message #%d to a test user never arrived (%d so far)", n, len(ms))
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// openDB connects to the server's database directly, as an operator would.
func openDB(t *testing.T, srv *testServer) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), srv.DSN, srv.DataDir)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// count runs a COUNT(*) query.
func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// export is the signed-in user's /account/export.json.
type export struct {
	Profile struct {
		ID            int64  `json:"id"`
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
		FullName      string `json:"full_name"`
		Organization  string `json:"organization"`
		Position      string `json:"position"`
		Region        string `json:"region"`
		Phone         string `json:"phone"`
		Role          string `json:"role"`
		Language      string `json:"language"`
	} `json:"profile"`
	Consents []struct {
		Document  string `json:"document"`
		Version   int    `json:"version"`
		Method    string `json:"method"`
		IP        string `json:"ip"`
		UserAgent string `json:"user_agent"`
	} `json:"consents"`
	Sessions []struct {
		ID        int64  `json:"id"`
		IP        string `json:"ip"`
		UserAgent string `json:"user_agent"`
	} `json:"sessions"`
	Changes []struct {
		Field string `json:"field"`
		Old   string `json:"old"`
		New   string `json:"new"`
	} `json:"changes"`
}

// export downloads and decodes the signed-in user's export.
func (c *client) export() export {
	c.t.Helper()
	r := c.get("/account/export.json")
	if r.Status != http.StatusOK {
		c.t.Fatalf("export.json: status %d", r.Status)
	}
	var x export
	if err := json.Unmarshal([]byte(r.Body), &x); err != nil {
		c.t.Fatalf("export.json does not decode: %v", err)
	}
	return x
}

// wantStatus fails the test when r's status is not want.
func wantStatus(t *testing.T, what string, r *response, want int) {
	t.Helper()
	if r.Status != want {
		t.Errorf("%s: status %d, want %d (page error: %q)", what, r.Status, want, pageError(r))
	}
}

// wantText fails the test when the page does not show sentence.
func wantText(t *testing.T, what string, r *response, sentence string) {
	t.Helper()
	if !strings.Contains(r.Text(), sentence) {
		t.Errorf("%s: page does not show %q (page error: %q)", what, sentence, pageError(r))
	}
}

var (
	titleInputRe = regexp.MustCompile(`<input id="f-title-([a-z]+)" name="title_[a-z]+" value="([^"]*)"`)
	bodyAreaRe   = regexp.MustCompile(`(?s)<textarea id="f-body-([a-z]+)" name="body_[a-z]+"[^>]*>(.*?)</textarea>`)
)

// publish has the administrator publish a new version of a document
// kind ("agreement" or "privacy"): the form as the site fills it, with
// one paragraph added in every language. It returns the response.
func publish(t *testing.T, admin *client, kind, paragraph string) *response {
	t.Helper()
	r := admin.get("/admin/agreement?kind=" + kind)
	if r.Status != http.StatusOK {
		t.Fatalf("/admin/agreement: status %d", r.Status)
	}
	f := url.Values{"kind": {kind}}
	for _, m := range titleInputRe.FindAllStringSubmatch(r.Body, -1) {
		f.Set("title_"+m[1], html.UnescapeString(m[2]))
	}
	for _, m := range bodyAreaRe.FindAllStringSubmatch(r.Body, -1) {
		f.Set("body_"+m[1], html.UnescapeString(m[2])+"\n\n"+paragraph+" ("+m[1]+")")
	}
	for _, l := range i18n.Langs {
		if f.Get("title_"+string(l)) == "" || f.Get("body_"+string(l)) == "" {
			t.Fatalf("the publish form is not filled with the current %s text", l)
		}
	}
	return admin.post("/admin/agreement", f)
}
