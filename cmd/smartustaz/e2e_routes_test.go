package main

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"mime/multipart"
	"net/http"
	nettextproto "net/textproto"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
)

// The role matrix: every route of internal/web/routes.go, GET and POST,
// requested by each kind of visitor, with the answer each must get. The
// routes are read from routes.go itself, so a route added without a row
// here fails the test, and so does a row for a route that is gone.
//
// Requests are real: a server on each engine, real accounts of every
// role, a real published and a real pending material with a file and a
// page image, a real certificate, report, session and emailed tokens.
// A request that would change something is sent with a form that would
// succeed, so a refusal is the authorisation's doing and not a missing
// id or field; where the change uses its object up (approve, withdraw,
// dismiss, a token), the row makes a fresh one for every request.

// role is who sends a request.
type role int

const (
	anon  role = iota // no session
	user              // a teacher: the author of the materials, certificate and session below
	other             // another teacher
	moder             // a moderator
	admin             // an administrator
	nRoles
)

var roleNames = [nRoles]string{"anonymous", "user (author)", "other user", "moderator", "administrator"}

// want is the answer each role gets, in role order: a status, and for a
// redirect where it leads: "303 /login" (the path), "303 /x?y=z" (path
// and query), "303 /materials/*" (a prefix). Placeholders are expanded.
type want [nRoles]string

const toLogin = "303 /login"

func everyone(s string) want  { return want{s, s, s, s, s} }
func forUsers(s string) want  { return want{toLogin, s, s, s, s} }
func staffOnly(s string) want { return want{toLogin, "403", "403", s, s} }
func adminOnly(s string) want { return want{toLogin, "403", "403", "403", s} }

// vars are the placeholders of a row: "{mat}" → "123".
type vars map[string]string

func (v vars) expand(s string) string {
	var pairs []string
	for k, x := range v {
		pairs = append(pairs, "{"+k+"}", x)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// routeRow is one request of the matrix.
type routeRow struct {
	// route is the pattern in routes.go this row exercises; the test
	// checks that path really is routed to it.
	route string
	// method is the method to use when route has none (the catch-all).
	method string
	// path is the request path with placeholders.
	path string
	// form is the body of a POST; values may hold placeholders.
	form url.Values
	// upload: the form is multipart and carries a JPEG as "files".
	upload bool
	// importCSV, when not "", makes the form multipart with this CSV as
	// "file" (the import's upload form).
	importCSV string
	// fresh makes objects of the row's own for one request (a
	// material, a report, a token) and returns their placeholders.
	fresh func(m *matrix, r role) vars
	// ownSession: the request uses a session of its own, signed in for
	// it (it signs out, or ends other sessions), and the role's main
	// session is signed in again afterwards.
	ownSession bool
	// ownAccount: the request is made by a new account of the same
	// role, made for it (the account deletes itself).
	ownAccount bool
	// after runs once the row's requests are done.
	after func(m *matrix)
	want  want
}

func (row *routeRow) httpMethod() string {
	if m, _, ok := strings.Cut(row.route, " "); ok {
		return m
	}
	if row.method != "" {
		return row.method
	}
	return http.MethodGet
}

// routeTable is the matrix. To add a route: one row (or several for
// different states of its object), with what each role must get.
func routeTable() []routeRow {
	return []routeRow{
		// Site.
		{route: "GET /static/", path: "{css}", want: everyone("200")},
		{route: "GET /healthz", path: "/healthz", want: everyone("200")},
		{route: "GET /metrics", path: "/metrics", want: adminOnly("200")},
		{route: "GET /{$}", path: "/", want: everyone("200")},
		{route: "GET /lang/{lang}", path: "/lang/kk?next=/materials", want: everyone("303 /materials")},
		{route: "GET /robots.txt", path: "/robots.txt", want: everyone("200")},
		{route: "GET /favicon.ico", path: "/favicon.ico", want: everyone("200")},
		{route: "GET /sitemap.xml", path: "/sitemap.xml", want: everyone("200")},
		{route: "GET /sitemaps/{file}", path: "/sitemaps/pages.xml", want: everyone("200")},
		{route: "GET /sitemaps/{file}", path: "/sitemaps/0.xml", want: everyone("200")},
		{route: "GET /sitemaps/{file}", path: "/sitemaps/x.txt", want: everyone("404")},
		{route: "GET /feed.atom", path: "/feed.atom", want: everyone("200")},
		{route: "GET /feed.atom", path: "/feed.atom?subject=no-such-subject", want: everyone("404")},
		{route: "/", path: "/no-such-page", want: everyone("404")},
		{route: "/", method: http.MethodPost, path: "/no-such-page", want: everyone("404")},

		// Documents.
		{route: "GET /agreement", path: "/agreement", want: everyone("200")},
		{route: "GET /privacy/data-map", path: "/privacy/data-map", want: everyone("200")},
		{route: "GET /agreement/{kind}/{version}", path: "/agreement/agreement/2", want: everyone("200")},
		{route: "GET /agreement/{kind}/diff", path: "/agreement/agreement/diff?from=1&to=2", want: everyone("200")},
		{route: "GET /agreement/collected", path: "/agreement/collected", want: everyone("200")},

		// Accounts: open to all; tokens, not roles, authorise.
		{route: "GET /register", path: "/register", want: everyone("200")},
		{route: "POST /register", path: "/register", form: url.Values{"email": {"matrix-reg-{n}@mektep.test"},
			"password": {"Матрица-құпия-{n}-ұзын"}, "full_name": {"Матрица Тіркелуші {n}"}, "organization": {"№{n} мектеп"},
			"position": {"Мұғалім"}, "region": {"Абай облысы"}, "phone": {"+7 701 000 11 22"}, "accept": {"yes"}},
			want: everyone("201")},
		{route: "GET /verify", path: "/verify?token=x", want: everyone("200")},
		{route: "POST /verify", path: "/verify", fresh: (*matrix).verifyToken, form: url.Values{"token": {"{token}"}}, want: everyone("200")},
		{route: "GET /login", path: "/login", want: everyone("200")},
		{route: "POST /login", path: "/login", ownSession: true, form: url.Values{"email": {"{spareemail}"}, "password": {"{sparepassword}"}},
			want: everyone("303 /account")},
		{route: "POST /logout", path: "/logout", ownSession: true, want: everyone("303 /")},
		{route: "GET /reset", path: "/reset", want: everyone("200")},
		{route: "POST /reset", path: "/reset", form: url.Values{"email": {"matrix-nobody-{n}@mektep.test"}}, want: everyone("200")},
		{route: "GET /reset/confirm", path: "/reset/confirm?token=x", want: everyone("200")},
		{route: "POST /reset/confirm", path: "/reset/confirm", fresh: (*matrix).resetToken,
			form: url.Values{"token": {"{token}"}, "password": {"Жаңа-құпия-сөз-{n}-ұзын"}}, want: everyone("200")},
		{route: "GET /account/email/confirm", path: "/account/email/confirm?token=x", want: everyone("200")},
		{route: "POST /account/email/confirm", path: "/account/email/confirm", fresh: (*matrix).emailToken,
			form: url.Values{"token": {"{token}"}}, want: everyone("200")},

		// The signed-in user's own pages.
		{route: "GET /account", path: "/account", want: forUsers("200")},
		// Every account of the matrix has confirmed its address already.
		{route: "POST /account/verify/resend", path: "/account/verify/resend", want: forUsers("409")},
		{route: "GET /account/profile", path: "/account/profile", want: forUsers("200")},
		{route: "POST /account/profile", path: "/account/profile", form: url.Values{"full_name": {"{full_name}"},
			"organization": {"{organization}"}, "position": {"{position}"}, "region": {"{region}"}, "phone": {"{phone}"}},
			want: forUsers("303 /account?done=profile")},
		{route: "GET /account/password", path: "/account/password", want: forUsers("200")},
		// A password change ends the user's other sessions.
		{route: "POST /account/password", path: "/account/password", ownSession: true,
			form: url.Values{"old_password": {"{password}"}, "password": {"{password}"}}, want: forUsers("303 /account?done=password")},
		{route: "GET /account/email", path: "/account/email", want: forUsers("200")},
		{route: "POST /account/email", path: "/account/email", form: url.Values{"email": {"matrix-new-{n}@mektep.test"}, "password": {"{password}"}},
			want: forUsers("200")},
		{route: "GET /account/sessions", path: "/account/sessions", want: forUsers("200")},
		// {session} is another session of the author's: only they end it.
		{route: "POST /account/sessions/{id}/end", path: "/account/sessions/{session}/end", fresh: (*matrix).authorSession,
			want: want{toLogin, "303 /account/sessions", "404", "404", "404"}},
		{route: "POST /account/sessions/end-others", path: "/account/sessions/end-others", ownSession: true,
			want: forUsers("303 /account/sessions")},
		// Nothing is pending: the page sends the user on.
		{route: "GET /account/consent", path: "/account/consent", want: forUsers("303 /account")},
		{route: "POST /account/consent", path: "/account/consent", fresh: (*matrix).currentDocuments,
			form: url.Values{"document": {"{agreementdoc}", "{privacydoc}"}, "accept": {"yes"}, "next": {"/account"}},
			want: forUsers("303 /account?done=consent")},
		{route: "GET /account/delete", path: "/account/delete", want: forUsers("200")},
		{route: "POST /account/delete", path: "/account/delete", ownAccount: true, form: url.Values{"password": {"{password}"}},
			want: forUsers("200")},
		{route: "POST /account/delete", path: "/account/delete", form: url.Values{"password": {"{password}"}, "materials": {"burn"}},
			want: forUsers("422")},
		{route: "GET /account/export.json", path: "/account/export.json", want: forUsers("200")},
		{route: "GET /account/data", path: "/account/data", want: forUsers("200")},
		{route: "GET /account/data.zip", path: "/account/data.zip", want: forUsers("200")},
		// Small accounts (under --data-zip-background) are sent to the
		// immediate download; nobody's ZIP 1 exists.
		{route: "POST /account/data/exports", path: "/account/data/exports", want: forUsers("303 /account/data.zip")},
		{route: "GET /account/data/exports/status", path: "/account/data/exports/status", want: forUsers("200")},
		{route: "GET /account/data/exports/{id}", path: "/account/data/exports/1", want: forUsers("404")},
		{route: "GET /account/public", path: "/account/public", want: forUsers("200")},
		{route: "POST /account/public", path: "/account/public", form: url.Values{"show_region": {"yes"}, "region": {"{region}"}},
			want: forUsers("303 /account/public?done=saved")},
		{route: "GET /account/materials", path: "/account/materials", want: forUsers("200")},

		// Correspondence with the administration (clause 1.2 (a)). {thread}
		// is the author's thread, {threadfile} its message with a file.
		{route: "GET /account/messages", path: "/account/messages", want: forUsers("200")},
		{route: "POST /account/messages", path: "/account/messages", form: url.Values{"subject": {"Матрица сұрағы {n}"}, "body": {"Матрица хаты {n}"}},
			want: forUsers("303 /account/messages?done=sent")},
		{route: "GET /account/messages/{id}", path: "/account/messages/{thread}", want: want{toLogin, "200", "404", "404", "404"}},
		{route: "POST /account/messages/{id}", path: "/account/messages/{thread}", form: url.Values{"body": {"Матрица жауабы {n}"}},
			want: want{toLogin, "303 /account/messages/{thread}?done=sent", "404", "404", "404"}},
		{route: "GET /account/messages/{id}/files/{msg}", path: "/account/messages/{thread}/files/{threadfile}", want: want{toLogin, "200", "404", "404", "404"}},
		{route: "POST /account/email/reconfirm", path: "/account/email/reconfirm", want: forUsers("303 /account?done=verify-sent")},
		{route: "GET /contact", path: "/contact", want: everyone("200")},
		{route: "POST /contact", path: "/contact", form: url.Values{"email": {"matrix-contact-{n}@mektep.test"}, "subject": {"Матрица {n}"}, "body": {"Қонақ хаты {n}"}},
			want: everyone("303 /contact?done=sent")},
		{route: "GET /admin/messages", path: "/admin/messages", want: adminOnly("200")},
		{route: "GET /admin/messages/{id}", path: "/admin/messages/{thread}", want: adminOnly("200")},
		{route: "POST /admin/messages/{id}/reveal", path: "/admin/messages/{thread}/reveal", form: url.Values{"purpose": {"Рөлдер кестесін тексеру {n}"}},
			want: adminOnly("200")},
		{route: "POST /admin/messages/{id}/answer", path: "/admin/messages/{thread}/answer", form: url.Values{"body": {"Әкімшілік жауабы {n}"}},
			want: adminOnly("303 /admin/messages/{thread}?done=answered")},
		{route: "POST /admin/messages/{id}/files/{msg}", path: "/admin/messages/{thread}/files/{threadfile}", want: adminOnly("200")},

		// The library. {mat} is the author's published material, {pend}
		// their material waiting for moderation.
		{route: "GET /materials", path: "/materials", want: everyone("200")},
		{route: "GET /materials/new", path: "/materials/new", want: forUsers("200")},
		{route: "POST /materials/new", path: "/materials/new", upload: true, form: matrixMaterialForm("Матрица: жаңа материал {n}"),
			want: forUsers("303 /materials/*")},
		{route: "POST /materials/preview", path: "/materials/preview", form: url.Values{"description": {"**Матрица** {n}"}}, want: forUsers("200")},
		{route: "GET /materials/{ref}", path: "/materials/{matref}", want: everyone("200")},
		{route: "GET /materials/{ref}", path: "/materials/{pendref}", want: want{"404", "200", "404", "200", "200"}},
		{route: "GET /materials/{id}/files/{file}", path: "/materials/{mat}/files/{matfile}", want: everyone("200")},
		{route: "GET /materials/{id}/files/{file}", path: "/materials/{pend}/files/{pendfile}", want: want{"404", "200", "404", "200", "200"}},
		{route: "GET /materials/{id}/files/{file}/pages/{page}", path: "/materials/{mat}/files/{matfile}/pages/1.jpg", want: everyone("200")},
		{route: "GET /materials/{id}/files/{file}/thumb.png", path: "/materials/{mat}/files/{matfile}/thumb.png", want: everyone("200")},
		{route: "GET /materials/{id}/files/{file}/thumb.png", path: "/materials/{pend}/files/{pendfile}/thumb.png", want: want{"404", "404", "404", "404", "404"}},
		{route: "POST /materials/{id}/report", path: "/materials/{mat}/report",
			form: url.Values{"reason": {"wrong_content"}, "text": {"Матрица шағымы {n}"}}, want: everyone("200")},
		{route: "GET /materials/{id}/edit", path: "/materials/{mat}/edit", want: want{toLogin, "200", "404", "404", "404"}},
		{route: "GET /materials/{id}/edit", path: "/materials/{pend}/edit", want: want{toLogin, "200", "404", "404", "404"}},
		{route: "POST /materials/{id}/edit", path: "/materials/{fresh}/edit", fresh: (*matrix).publishedMaterial, upload: true,
			form: matrixMaterialForm("Матрица: өңделген {n}"), want: want{toLogin, "303 /materials/{fresh}-*", "404", "404", "404"}},
		{route: "POST /materials/{id}/withdraw", path: "/materials/{fresh}/withdraw", fresh: (*matrix).publishedMaterial,
			want: want{toLogin, "303 /account/materials?done=withdrawn", "404", "404", "404"}},

		// Certificates: the author issues and prints; anyone verifies.
		{route: "GET /materials/{id}/certificate", path: "/materials/{mat}/certificate", want: want{toLogin, "200", "403", "403", "403"}},
		{route: "POST /materials/{id}/certificate", path: "/materials/{mat}/certificate",
			form: url.Values{"name": {"{certname}"}, "lang": {"kk"}},
			want: want{toLogin, "303 /materials/{mat}/certificate?done=saved", "403", "403", "403"}},
		{route: "GET /materials/{id}/certificate.pdf", path: "/materials/{mat}/certificate.pdf?lang=ru", want: want{toLogin, "200", "403", "403", "403"}},
		{route: "GET /verify/{$}", path: "/verify/", want: everyone("200")},
		{route: "GET /verify/{number}", path: "/verify/{cert}", want: everyone("200")},
		{route: "POST /verify/{number}", path: "/verify/{cert}", form: url.Values{"name": {"Бөтен Есім {n}"}}, want: everyone("200")},

		// Public profiles.
		{route: "GET /authors/{id}", path: "/authors/{author}", want: everyone("200")},

		// The habits of the big portals (issue 13 §3). Saving and
		// following toggle, so the answer names only where it leads; the
		// author does not rate their own material nor follow themselves;
		// {privcoll} and {pubcoll} are the author's collections.
		{route: "POST /materials/{id}/save", path: "/materials/{mat}/save", want: forUsers("303 /materials/{mat}-*")},
		{route: "POST /materials/{id}/rate", path: "/materials/{mat}/rate", form: url.Values{"stars": {"4"}},
			want: want{toLogin, "403", "303 /materials/{mat}-*", "303 /materials/{mat}-*", "303 /materials/{mat}-*"}},
		{route: "POST /materials/{id}/collect", path: "/materials/{mat}/collect", form: url.Values{"collection": {"{privcoll}"}},
			want: want{toLogin, "303 /materials/{mat}-*", "404", "404", "404"}},
		{route: "POST /collections", path: "/collections", form: url.Values{"title": {"Матрица жинағы {n}"}}, want: forUsers("303 /collections/*")},
		{route: "GET /collections/{id}", path: "/collections/{pubcoll}", want: everyone("200")},
		{route: "GET /collections/{id}", path: "/collections/{privcoll}", want: want{"404", "200", "404", "404", "404"}},
		// Only the owner edits a collection; to others even a public one's
		// edits are "not found". A renamed collection keeps its visibility
		// here so the rows above answer the same in any order.
		{route: "POST /collections/{id}", path: "/collections/{pubcoll}", form: url.Values{"title": {"Матрица: ашық жинақ {n}"}, "public": {"yes"}},
			want: want{toLogin, "303 /collections/{pubcoll}?done=collection_updated", "404", "404", "404"}},
		{route: "POST /collections/{id}", path: "/collections/{privcoll}", form: url.Values{"title": {"Матрица: жабық жинақ {n}"}},
			want: want{toLogin, "303 /collections/{privcoll}?done=collection_updated", "404", "404", "404"}},
		{route: "POST /materials/{id}/collect", path: "/materials/{mat}/collect", form: url.Values{"collection": {"{privcoll}"}, "remove": {"yes"}},
			want: want{toLogin, "303 /collections/{privcoll}?done=removed", "404", "404", "404"}},
		{route: "POST /collections/{id}/delete", path: "/collections/{coll}/delete", fresh: (*matrix).freshCollection, form: url.Values{"confirm": {"yes"}},
			want: want{toLogin, "303 /account/saved?done=collection_deleted", "404", "404", "404"}},
		{route: "POST /authors/{id}/follow", path: "/authors/{author}/follow",
			want: want{toLogin, "403", "303 /authors/{author}?done=*", "303 /authors/{author}?done=*", "303 /authors/{author}?done=*"}},
		{route: "GET /account/saved", path: "/account/saved", want: forUsers("200")},
		{route: "GET /account/notifications", path: "/account/notifications", want: forUsers("200")},
		{route: "POST /account/digest", path: "/account/digest", form: url.Values{"frequency": {"weekly"}},
			want: forUsers("303 /account/notifications?done=digest")},
		{route: "GET /account/downloads", path: "/account/downloads", want: forUsers("200")},
		// The unsubscribe link works without signing in; a forged token
		// is refused for everyone.
		{route: "GET /digest/unsubscribe", path: "/digest/unsubscribe?u={author}&t=x", want: everyone("200")},
		{route: "POST /digest/unsubscribe", path: "/digest/unsubscribe", form: url.Values{"u": {"{author}"}, "t": {"forged"}}, want: everyone("410")},
		{route: "POST /admin/comments/{id}/{action}", path: "/admin/comments/{comment}/approve", fresh: (*matrix).pendingComment,
			want: staffOnly("303 /admin/moderation?done=comment_approve")},

		// The first administrator's link is used up by the time anyone
		// else exists.
		{route: "GET /setup", path: "/setup?token=x", want: everyone("410")},
		{route: "POST /setup", path: "/setup", form: url.Values{"token": {"x"}}, want: everyone("410")},

		// Administration.
		{route: "GET /admin", path: "/admin", want: staffOnly("200")},
		{route: "GET /admin/status", path: "/admin/status", want: staffOnly("200")},
		{route: "POST /admin/status/previews/retry", path: "/admin/status/previews/retry", want: adminOnly("303 /admin/status")},
		{route: "POST /admin/status/jobs/retry", path: "/admin/status/jobs/retry", want: adminOnly("303 /admin/status?jobs_retried=0")},
		{route: "GET /admin/mail", path: "/admin/mail", want: adminOnly("200")},
		{route: "GET /admin/data-map", path: "/admin/data-map", want: adminOnly("200")},
		{route: "POST /admin/mail/retry", path: "/admin/mail/retry", want: adminOnly("303 /admin/mail?retried=0")},
		{route: "GET /admin/users", path: "/admin/users", want: adminOnly("200")},
		{route: "POST /admin/users/find", path: "/admin/users/find", form: url.Values{"email": {"matrix-nobody-{n}@mektep.test"}},
			want: adminOnly("200")},
		{route: "GET /admin/users/{id}", path: "/admin/users/{author}", want: adminOnly("200")},
		{route: "POST /admin/users/{id}/reveal", path: "/admin/users/{author}/reveal",
			form: url.Values{"purpose": {"Рөлдер кестесін тексеру {n}"}}, want: adminOnly("200")},
		{route: "POST /admin/users/{id}/role", path: "/admin/users/{spare}/role", form: url.Values{"role": {"moderator"}},
			want: adminOnly("303 /admin/users/{spare}")},
		{route: "GET /admin/audit", path: "/admin/audit", want: adminOnly("200")},
		{route: "GET /admin/stats", path: "/admin/stats", want: adminOnly("200")},
		{route: "GET /admin/stats.csv", path: "/admin/stats.csv", want: adminOnly("200")},
		{route: "GET /admin/agreement", path: "/admin/agreement", want: adminOnly("200")},
		{route: "POST /admin/agreement", path: "/admin/agreement", fresh: (*matrix).agreementForm,
			form: url.Values{"kind": {"privacy"}, "title_kk": {"{title_kk}"}, "title_ru": {"{title_ru}"}, "title_en": {"{title_en}"},
				"body_kk": {"{body_kk}"}, "body_ru": {"{body_ru}"}, "body_en": {"{body_en}"}},
			after: (*matrix).acceptAll, want: adminOnly("200")},
		{route: "GET /admin/import", path: "/admin/import", want: adminOnly("200")},
		{route: "POST /admin/import", path: "/admin/import", importCSV: "email,full_name\nmatrix-import-{n}@mektep.test,Матрица\n",
			want: adminOnly("200")},
		{route: "GET /admin/import/{id}", path: "/admin/import/{batch}", fresh: (*matrix).importBatch, want: adminOnly("200")},
		{route: "GET /admin/import/{id}/status", path: "/admin/import/{batch}/status", fresh: (*matrix).importBatch, want: adminOnly("200")},
		{route: "POST /admin/import/{id}/run", path: "/admin/import/{batch}/run", fresh: (*matrix).importBatch,
			want: adminOnly("303 /admin/import/{batch}")},
		{route: "POST /admin/import/{id}/invite", path: "/admin/import/{batch}/invite", fresh: (*matrix).importBatch,
			want: adminOnly("303 /admin/import/{batch}")},
		{route: "GET /admin/taxonomy", path: "/admin/taxonomy", want: adminOnly("200")},
		{route: "POST /admin/taxonomy", path: "/admin/taxonomy", form: url.Values{"kind": {"type"}, "code": {"worksheet"},
			"name_kk": {"Жұмыс парағы"}, "name_ru": {"Рабочий лист"}, "name_en": {"Worksheet"}, "active": {"yes"}, "sort": {"90"}},
			want: adminOnly("303 /admin/taxonomy?done=saved")},

		// The privacy centre (issue 12 §2, §3a, §5).
		{route: "GET /account/consent/receipts", path: "/account/consent/receipts", want: forUsers("200")},
		{route: "GET /account/consent/receipts/{id}", path: "/account/consent/receipts/{acc}", fresh: (*matrix).authorAcceptance,
			want: want{toLogin, "200", "404", "404", "404"}},
		{route: "GET /consent/public-key", path: "/consent/public-key", want: everyone("200")},
		{route: "GET /consent/verify", path: "/consent/verify", want: everyone("200")},
		{route: "POST /consent/verify", path: "/consent/verify", form: url.Values{"receipt": {"not-a-receipt"}}, want: everyone("422")},
		{route: "GET /contacts", path: "/contacts", want: everyone("200")},
		{route: "GET /admin/privacy", path: "/admin/privacy", want: adminOnly("200")},
		{route: "POST /admin/privacy/contacts", path: "/admin/privacy/contacts", form: url.Values{"operator_name": {"ТОО «Смарт Ұстаз»"},
			"operator_bin": {"123456789012"}, "contact_email": {"privacy@mektep.test"}}, want: adminOnly("303 /admin/privacy?saved=1")},
		{route: "POST /admin/privacy/processors/{id}", path: "/admin/privacy/processors/server", form: url.Values{"country": {"KZ"}},
			want: adminOnly("303 /admin/privacy?saved=1")},
		// The server's country is now known, so the generated Policy
		// differs from the seeded one: publishing it makes a new version.
		{route: "POST /admin/privacy/policy", path: "/admin/privacy/policy", after: (*matrix).acceptAll,
			want: adminOnly("303 /admin/privacy?published=1")},
		{route: "GET /admin/holidays", path: "/admin/holidays", want: adminOnly("200")},
		{route: "POST /admin/holidays", path: "/admin/holidays", form: url.Values{"day": {"2026-12-31"}, "off": {"1"}, "name": {"Жаңа жыл қарсаңы"}},
			want: adminOnly("303 /admin/holidays?saved=1")},
		{route: "POST /admin/holidays/{day}/delete", path: "/admin/holidays/{hday}/delete", fresh: (*matrix).holiday,
			want: adminOnly("303 /admin/holidays?saved=1")},
		{route: "GET /account/requests", path: "/account/requests", want: forUsers("200")},
		{route: "POST /account/requests", path: "/account/requests", form: url.Values{"type": {"access"}},
			want: forUsers("303 /account/requests?filed=1")},
		// Personal-data incidents (issue 12 §4).
		{route: "GET /admin/incidents", path: "/admin/incidents", want: adminOnly("200")},
		{route: "GET /admin/incidents/new", path: "/admin/incidents/new", want: adminOnly("200")},
		{route: "POST /admin/incidents", path: "/admin/incidents", form: incidentForm, want: adminOnly("303 /admin/incidents/*")},
		{route: "GET /admin/incidents/{id}", path: "/admin/incidents/{inc}", fresh: (*matrix).incident, want: adminOnly("200")},
		{route: "POST /admin/incidents/{id}/reveal", path: "/admin/incidents/{inc}/reveal", fresh: (*matrix).incident,
			form: url.Values{"purpose": {"Уәкілетті органға хабарлама"}}, want: adminOnly("200")},
		{route: "POST /admin/incidents/{id}/notified", path: "/admin/incidents/{inc}/notified", fresh: (*matrix).incident,
			form: url.Values{"notified_at": {""}}, want: adminOnly("303 /admin/incidents/{inc}?body=1")},
		{route: "POST /admin/incidents/{id}/notify", path: "/admin/incidents/{inc}/notify", fresh: (*matrix).incident,
			form: url.Values{}, want: adminOnly("303 /admin/incidents/{inc}?notify=1")},
		{route: "GET /admin/incidents/{id}/notice/{lang}", path: "/admin/incidents/{inc}/notice/ru", fresh: (*matrix).incident, want: adminOnly("200")},
		{route: "GET /admin/requests", path: "/admin/requests", want: adminOnly("200")},
		{route: "GET /admin/requests/{id}", path: "/admin/requests/{req}", fresh: (*matrix).privacyRequest, want: adminOnly("200")},
		{route: "POST /admin/requests/{id}/answer", path: "/admin/requests/{req}/answer", fresh: (*matrix).privacyRequest,
			form: url.Values{"answer": {"Деректеріңіздің көшірмесі қосымшада."}}, want: adminOnly("303 /admin/requests?answered=1")},
		// Only a deletion request deletes an account: on the author's access
		// request the administrator is refused and nothing is deleted
		// (TestE2EAdminDeletesOnRequest deletes one).
		{route: "POST /admin/requests/{id}/delete", path: "/admin/requests/{req}/delete", fresh: (*matrix).privacyRequest,
			form: url.Values{"purpose": {"Жою туралы өтінішті орындау"}, "materials": {"keep"}}, want: adminOnly("409")},
		// Blocking, withdrawal and the consent's term (issue 12 §2). The
		// rows leave every role unblocked: the withdrawal is not confirmed
		// (TestE2EBlockedAccount withdraws for real), the block row lifts.
		{route: "GET /account/blocked", path: "/account/blocked", want: forUsers("303 /account")},
		{route: "POST /account/consent/withdraw", path: "/account/consent/withdraw", want: forUsers("422")},
		{route: "POST /admin/privacy/term", path: "/admin/privacy/term", form: url.Values{"term": {"0"}},
			want: adminOnly("303 /admin/privacy?saved=1")},
		{route: "POST /admin/users/{id}/block", path: "/admin/users/{spare}/block", form: url.Values{"action": {"unblock"}},
			want: adminOnly("303 /admin/users/{spare}")},
		{route: "GET /complaint", path: "/complaint", want: everyone("200")},
		{route: "POST /complaint", path: "/complaint", form: url.Values{"kind": {"complaint"}, "contact": {"matrix-complaint-{n}@mektep.test"}, "subject": {"Матрица {n}"}, "text": {"Шағым {n}"}},
			want: everyone("303 /complaint?due=*")},
		{route: "GET /account/complaints", path: "/account/complaints", want: forUsers("200")},
		{route: "GET /account/complaints/{id}/files/{file}", path: "/account/complaints/{complaint}/files/{cfile}", fresh: (*matrix).complaint,
			want: want{toLogin, "200", "404", "404", "404"}},
		{route: "GET /admin/complaints", path: "/admin/complaints", want: adminOnly("200")},
		{route: "POST /admin/complaints", path: "/admin/complaints", form: url.Values{"kind": {"official"}, "sender": {"Орган {n}"}, "subject": {"Хат {n}"}, "text": {"Сұрау {n}"}, "letter_date": {"2026-01-05"}},
			want: adminOnly("303 /admin/complaints?done=entered")},
		{route: "GET /admin/complaints/{id}", path: "/admin/complaints/{complaint}", fresh: (*matrix).complaint, want: adminOnly("200")},
		{route: "POST /admin/complaints/{id}/reveal", path: "/admin/complaints/{complaint}/reveal", fresh: (*matrix).complaint,
			form: url.Values{"purpose": {"Рөлдер кестесін тексеру {n}"}}, want: adminOnly("200")},
		{route: "POST /admin/complaints/{id}/status", path: "/admin/complaints/{complaint}/status", fresh: (*matrix).complaint,
			form: url.Values{"status": {"in_progress"}}, want: adminOnly("303 /admin/complaints/{complaint}?done=moved")},
		{route: "POST /admin/complaints/{id}/answer", path: "/admin/complaints/{complaint}/answer", fresh: (*matrix).complaint,
			form: url.Values{"answer": {"Матрица жауабы {n}"}}, want: adminOnly("303 /admin/complaints/{complaint}?done=answered")},
		{route: "POST /admin/complaints/{id}/files/{file}", path: "/admin/complaints/{complaint}/files/{cfile}", fresh: (*matrix).complaint, want: adminOnly("200")},

		// Moderation.
		{route: "GET /admin/moderation", path: "/admin/moderation", want: staffOnly("200")},
		{route: "GET /admin/reports", path: "/admin/reports", want: staffOnly("200")},
		{route: "POST /admin/moderation/{id}/approve", path: "/admin/moderation/{fresh}/approve", fresh: (*matrix).pendingMaterial,
			want: staffOnly("303 /admin/moderation?done=approve")},
		{route: "POST /admin/moderation/{id}/reject", path: "/admin/moderation/{fresh}/reject", fresh: (*matrix).pendingMaterial,
			form: url.Values{"reason": {"low_quality"}}, want: staffOnly("303 /admin/moderation?done=reject")},
		{route: "POST /admin/moderation/{id}/takedown", path: "/admin/moderation/{fresh}/takedown", fresh: (*matrix).publishedMaterial,
			form: url.Values{"reason": {"not_own_work"}}, want: staffOnly("303 /admin/moderation?done=takedown")},
		{route: "POST /admin/reports/{id}/reveal", path: "/admin/reports/{report}/reveal", fresh: (*matrix).openReport,
			form: url.Values{"purpose": {"Шағымды тексеру {n}"}}, want: adminOnly("200")},
		{route: "POST /admin/reports/{id}/dismiss", path: "/admin/reports/{report}/dismiss", fresh: (*matrix).openReport,
			want: staffOnly("303 /admin/reports?done=dismiss")},
	}
}

// matrixMaterialForm is a valid publishing form (the JPEG is added).
func matrixMaterialForm(title string) url.Values {
	f := materialForm(title)
	f.Set("description", "Рөлдер кестесінің материалы.")
	return f
}

// routePatterns reads every pattern handed to Handle or HandleFunc in
// internal/web/routes.go.
func routePatterns(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	file := filepath.Join("..", "..", "internal", "web", "routes.go")
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		t.Fatalf("parse routes.go: %v", err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") || len(call.Args) == 0 {
			return true
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Errorf("%s: a route whose pattern is not a string literal: the role matrix cannot read it", fset.Position(call.Pos()))
			return true
		}
		p, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Errorf("%s: %v", fset.Position(lit.Pos()), err)
			return true
		}
		out = append(out, p)
		return true
	})
	if len(out) < 20 {
		t.Fatalf("found only %d routes in routes.go: the parser no longer reads it", len(out))
	}
	return out
}

// TestRouteTableCoversRoutes: every route of routes.go has a row and
// every row names a route of routes.go, and each row's request is routed
// to the pattern it names (checked with a ServeMux of the same patterns).
// It needs no server, so a forgotten row is reported at once.
func TestRouteTableCoversRoutes(t *testing.T) {
	checkRouteTable(t, routePatterns(t), routeTable())
}

func checkRouteTable(t *testing.T, patterns []string, rows []routeRow) {
	t.Helper()
	inTable := map[string]bool{}
	for _, row := range rows {
		inTable[row.route] = true
	}
	inRoutes := map[string]bool{}
	mux := http.NewServeMux()
	for _, p := range patterns {
		inRoutes[p] = true
		if !inTable[p] {
			t.Errorf("route %q of internal/web/routes.go has no row in routeTable (cmd/smartustaz/e2e_routes_test.go): add one with the answer for %s", p, strings.Join(roleNames[:], ", "))
		}
		mux.HandleFunc(p, func(http.ResponseWriter, *http.Request) {})
	}
	for _, row := range rows {
		if !inRoutes[row.route] {
			t.Errorf("routeTable has a row for %q, which internal/web/routes.go no longer has", row.route)
			continue
		}
		for r, w := range row.want {
			if w == "" {
				t.Errorf("row %s %s: no answer for %s", row.route, row.path, roleNames[r])
			}
			if st, loc, _ := strings.Cut(w, " "); strings.HasPrefix(st, "3") && loc == "" {
				t.Errorf("row %s %s: a redirect for %s without where it leads", row.route, row.path, roleNames[r])
			}
		}
		// Placeholders become digits or letters; "1" stands for any.
		path := regexp.MustCompile(`\{[a-z]+\}`).ReplaceAllString(row.path, "1")
		if row.path == "{css}" {
			path = "/static/x/app.css"
		}
		req, err := http.NewRequest(row.httpMethod(), path, nil)
		if err != nil {
			t.Errorf("row %s: bad path %q", row.route, row.path)
			continue
		}
		if _, got := mux.Handler(req); got != row.route {
			t.Errorf("row %s: %s %s is routed to %q, not to the route it is written for", row.route, row.httpMethod(), row.path, got)
		}
	}
}

// matrix holds the server and the accounts and objects of the matrix.
type matrix struct {
	t      *testing.T
	srv    *testServer
	d      *db.DB
	people [nRoles]person
	// main is each role's browser, signed in (nil for anon).
	main [nRoles]*client
	// spare is an account for sign-in and role changes.
	spare             person
	spareID           int64
	resetUser         person
	mailUser          *client
	mailUserP         person
	base              vars
	seq               int
	jpg               []byte
	dismissRe, fileRe *regexp.Regexp
}

func (m *matrix) next() string {
	m.seq++
	return strconv.Itoa(m.seq)
}

// newMatrix sets the site up: an administrator, a second version of the
// agreement, the accounts of each role, the author's published material
// (with its page image) and pending one, and a certificate.
func newMatrix(t *testing.T, srv *testServer) *matrix {
	t.Helper()
	m := &matrix{t: t, srv: srv, d: openDB(t, srv), jpg: sample(t, "sample.jpg"),
		dismissRe: regexp.MustCompile(`/admin/reports/(\d+)/dismiss`), fileRe: regexp.MustCompile(`/materials/\d+/files/(\d+)"`)}
	var adminP person
	m.main[admin], adminP = setupAdmin(t, srv)
	m.people[admin] = adminP
	// A second version, so the diff and version pages have two.
	if r := publish(t, m.main[admin], "agreement", "Рөлдер кестесінің тармағы"); r.Status != http.StatusOK {
		t.Fatalf("publish the agreement: status %d", r.Status)
	}
	acceptPending(t, m.main[admin])
	for _, r := range []role{user, other, moder} {
		m.people[r] = newPerson(strings.Fields(roleNames[r])[0])
		m.main[r] = signup(t, srv, m.people[r])
	}
	m.setRole(m.main[moder], "moderator")
	m.spare = newPerson("spare")
	m.spareID = signup(t, srv, m.spare).export().Profile.ID
	m.resetUser = newPerson("reset")
	signup(t, srv, m.resetUser)
	m.mailUserP = newPerson("mail")
	m.mailUser = signup(t, srv, m.mailUserP)

	css := staticRefRe.FindStringSubmatch(newClient(t, srv).get("/").Body)
	if css == nil {
		t.Fatalf("the home page links no static file")
	}
	mat, matref := m.material("Матрица: жарияланған", true)
	pend, pendref := m.material("Матрица: тексерілуде", false)
	// The page image of a JPEG is the file itself, drawn in the background.
	waitPageImages(t, m.main[user], "/materials/"+matref, 1)
	if r := m.main[user].post("/materials/"+mat+"/certificate", url.Values{"name": {m.people[user].FullName}, "lang": {"kk"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("issue the certificate: status %d %s", r.Status, pageErrors(r))
	}
	pubcoll, privcoll := m.collection("Матрица: ашық жинақ", true), m.collection("Матрица: жабық жинақ", false)
	thread, threadFile := m.thread()
	m.base = vars{
		"pubcoll": pubcoll, "privcoll": privcoll,
		"thread": thread, "threadfile": threadFile,
		"css": css[1], "mat": mat, "matref": matref, "matfile": m.fileOf(matref),
		"pend": pend, "pendref": pendref, "pendfile": m.fileOf(pendref),
		"cert": certNumber(t, m.main[user], mat), "certname": m.people[user].FullName,
		"author": strconv.FormatInt(m.main[user].export().Profile.ID, 10),
		"spare":  strconv.FormatInt(m.spareID, 10), "spareemail": m.spare.Email, "sparepassword": m.spare.Password,
	}
	return m
}

// setRole has the administrator give c's account a role.
func (m *matrix) setRole(c *client, r string) {
	m.t.Helper()
	id := c.export().Profile.ID
	if resp := m.main[admin].post("/admin/users/"+strconv.FormatInt(id, 10)+"/role", url.Values{"role": {r}}); resp.Status != http.StatusSeeOther {
		m.t.Fatalf("make %s: status %d", r, resp.Status)
	}
}

// material has the author publish a material with a JPEG, approved when
// published is true; it returns its id and id-slug.
func (m *matrix) material(title string, published bool) (id, ref string) {
	m.t.Helper()
	r := m.main[user].postMultipart("/materials/new", matrixMaterialForm(title), upload{"сурет.jpg", m.jpg})
	p := materialPathRe.FindStringSubmatch(r.Location())
	if r.Status != http.StatusSeeOther || p == nil {
		m.t.Fatalf("publish: status %d to %q, errors %s", r.Status, r.Location(), pageErrors(r))
	}
	if published {
		if r := m.main[admin].post("/admin/moderation/"+p[1]+"/approve", nil); r.Status != http.StatusSeeOther {
			m.t.Fatalf("approve: status %d", r.Status)
		}
	}
	return p[1], p[1] + "-" + p[2]
}

// fileOf is the id of the first file of a material, from its page.
func (m *matrix) fileOf(ref string) string {
	m.t.Helper()
	r := m.main[user].get("/materials/" + ref)
	f := m.fileRe.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || f == nil {
		m.t.Fatalf("material page: status %d, no file link", r.Status)
	}
	return f[1]
}

// collection has the author make a collection; it returns its id.
func (m *matrix) collection(title string, public bool) string {
	m.t.Helper()
	f := url.Values{"title": {title}}
	if public {
		f.Set("public", "yes")
	}
	r := m.main[user].post("/collections", f)
	c := matrixCollectionRe.FindStringSubmatch(r.Location())
	if r.Status != http.StatusSeeOther || c == nil {
		m.t.Fatalf("make a collection: status %d to %q", r.Status, r.Location())
	}
	return c[1]
}

var (
	matrixCollectionRe = regexp.MustCompile(`^/collections/(\d+)\?done=created$`)
	matrixCommentRe    = regexp.MustCompile(`/admin/comments/(\d+)/approve`)
)

// Fresh objects, one per request.

// pendingComment: another teacher rates the published material with a
// comment, which waits for a moderator.
func (m *matrix) pendingComment(role) vars {
	m.t.Helper()
	before := map[string]bool{}
	for _, x := range matrixCommentRe.FindAllStringSubmatch(m.main[admin].get("/admin/moderation").Body, -1) {
		before[x[1]] = true
	}
	if r := m.main[other].post("/materials/"+m.base["mat"]+"/rate", url.Values{"stars": {"5"}, "comment": {"Матрица пікірі " + m.next()}}); r.Status != http.StatusSeeOther {
		m.t.Fatalf("comment: status %d", r.Status)
	}
	for _, x := range matrixCommentRe.FindAllStringSubmatch(m.main[admin].get("/admin/moderation").Body, -1) {
		if !before[x[1]] {
			return vars{"comment": x[1]}
		}
	}
	m.t.Fatalf("the new comment is not in the moderation queue")
	return nil
}

func (m *matrix) publishedMaterial(role) vars {
	id, _ := m.material("Матрица: жаңа "+m.next(), true)
	return vars{"fresh": id}
}

func (m *matrix) pendingMaterial(role) vars {
	id, _ := m.material("Матрица: күтуде "+m.next(), false)
	return vars{"fresh": id}
}

// freshCollection: the author makes a public collection for one request
// (deleting it is the row's request).
func (m *matrix) freshCollection(role) vars {
	return vars{"coll": m.collection("Матрица: жойылатын жинақ "+m.next(), true)}
}

// openReport: another teacher reports the published material; its id is
// the one new in the register.
func (m *matrix) openReport(role) vars {
	m.t.Helper()
	before := m.reportIDs()
	if r := m.main[other].post("/materials/"+m.base["mat"]+"/report", url.Values{"reason": {"copyright"}, "text": {"Матрица шағымы"}}); r.Status != http.StatusOK {
		m.t.Fatalf("report: status %d", r.Status)
	}
	for _, id := range m.reportIDs() {
		if !slices.Contains(before, id) {
			return vars{"report": id}
		}
	}
	m.t.Fatalf("the new report is not in the register")
	return nil
}

func (m *matrix) reportIDs() []string {
	var out []string
	for _, x := range m.dismissRe.FindAllStringSubmatch(m.main[admin].get("/admin/reports").Body, -1) {
		out = append(out, x[1])
	}
	return out
}

// authorSession signs the author in on another browser and returns that
// session's id.
func (m *matrix) authorSession(role) vars {
	m.t.Helper()
	ids := func() map[int64]bool {
		out := map[int64]bool{}
		for _, s := range m.main[user].export().Sessions {
			out[s.ID] = true
		}
		return out
	}
	before := ids()
	newClient(m.t, m.srv).mustLogin(m.people[user].Email, m.people[user].Password)
	for id := range ids() {
		if !before[id] {
			return vars{"session": strconv.FormatInt(id, 10)}
		}
	}
	m.t.Fatalf("the new session of the author is not listed")
	return nil
}

// authorAcceptance returns the id of one of the author's acceptances.
func (m *matrix) authorAcceptance(role) vars {
	m.t.Helper()
	var id int64
	author, _ := strconv.ParseInt(m.base["author"], 10, 64)
	err := m.d.QueryRow(context.Background(), `SELECT id FROM acceptances WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT 1`, author).Scan(&id)
	if err != nil {
		m.t.Fatal(err)
	}
	return vars{"acc": strconv.FormatInt(id, 10)}
}

// privacyRequest has the author file an access request and returns its id.
func (m *matrix) privacyRequest(role) vars {
	m.t.Helper()
	r := m.main[user].post("/account/requests", url.Values{"type": {"access"}, "detail": {"matrix {n}"}})
	if r.Status != http.StatusSeeOther {
		m.t.Fatalf("file a request: status %d", r.Status)
	}
	var id int64
	if err := m.d.QueryRow(context.Background(), `SELECT id FROM privacy_requests ORDER BY received_at DESC, id DESC LIMIT 1`).Scan(&id); err != nil {
		m.t.Fatal(err)
	}
	return vars{"req": strconv.FormatInt(id, 10)}
}

// incidentForm records an incident that concerns the author (whose
// mail no row counts).
var incidentForm = url.Values{"kind": {"leak"}, "categories": {"contact", "identity"}, "detected_at": {"2026-01-05T10:00"},
	"select": {"ids"}, "users": {"{author}"}, "description": {"matrix {n}"}, "measures": {"matrix"}}

// incident records an incident as the administrator, for a row to act on.
func (m *matrix) incident(role) vars {
	m.t.Helper()
	form := url.Values{}
	for k, xs := range incidentForm {
		for _, x := range xs {
			form.Add(k, strings.ReplaceAll(x, "{author}", m.base["author"]))
		}
	}
	r := m.main[admin].post("/admin/incidents", form)
	if r.Status != http.StatusSeeOther {
		m.t.Fatalf("record an incident: status %d, errors %s", r.Status, pageErrors(r))
	}
	id := strings.TrimPrefix(strings.SplitN(r.Location(), "?", 2)[0], "/admin/incidents/")
	return vars{"inc": id}
}

// holiday puts a day into the holiday calendar for a row to remove.
func (m *matrix) holiday(role) vars {
	m.t.Helper()
	if _, err := m.d.Exec(context.Background(), `INSERT INTO holidays (day, off, name) VALUES ('2031-01-01', 1, 'test') ON CONFLICT (day) DO NOTHING`); err != nil {
		m.t.Fatal(err)
	}
	return vars{"hday": "2031-01-01"}
}

// verifyToken registers a new teacher and returns the emailed token.
func (m *matrix) verifyToken(role) vars {
	m.t.Helper()
	p := newPerson("verify")
	if r := newClient(m.t, m.srv).register(p); r.Status != http.StatusCreated {
		m.t.Fatalf("register: status %d", r.Status)
	}
	return vars{"token": tokenOf(m.t, waitMailTo(m.t, m.srv, p.Email, 1).Link)}
}

// resetToken asks for a password reset of an account of its own.
func (m *matrix) resetToken(role) vars {
	m.t.Helper()
	n := len(mailsTo(m.t, m.srv, m.resetUser.Email))
	if r := newClient(m.t, m.srv).post("/reset", url.Values{"email": {m.resetUser.Email}}); r.Status != http.StatusOK {
		m.t.Fatalf("reset request: status %d", r.Status)
	}
	return vars{"token": tokenOf(m.t, waitMailTo(m.t, m.srv, m.resetUser.Email, n+1).Link)}
}

// emailToken has an account of its own ask to change its address.
func (m *matrix) emailToken(role) vars {
	m.t.Helper()
	addr := "matrix-moved-" + m.next() + "@mektep.test"
	if r := m.mailUser.post("/account/email", url.Values{"email": {addr}, "password": {m.mailUserP.Password}}); r.Status != http.StatusOK {
		m.t.Fatalf("email change: status %d", r.Status)
	}
	return vars{"token": tokenOf(m.t, waitMailTo(m.t, m.srv, addr, 1).Link)}
}

// currentDocuments are the ids of the current agreement and privacy
// policy (re-accepting them is allowed).
func (m *matrix) currentDocuments(role) vars {
	m.t.Helper()
	v := vars{}
	for _, kind := range []string{"agreement", "privacy"} {
		var id int64
		if err := m.d.QueryRow(context.Background(), `SELECT id FROM documents WHERE kind = ? ORDER BY version DESC LIMIT 1`, kind).Scan(&id); err != nil {
			m.t.Fatal(err)
		}
		v[kind+"doc"] = strconv.FormatInt(id, 10)
	}
	return v
}

var (
	matrixTitleRe = regexp.MustCompile(`<input id="f-title-([a-z]+)" name="title_[a-z]+" value="([^"]*)"`)
	matrixBodyRe  = regexp.MustCompile(`(?s)<textarea id="f-body-([a-z]+)" name="body_[a-z]+"[^>]*>(.*?)</textarea>`)
)

// agreementForm is a new version of the privacy policy: the current
// text as the form shows it, with a paragraph added.
func (m *matrix) agreementForm(role) vars {
	m.t.Helper()
	r := m.main[admin].get("/admin/agreement?kind=privacy")
	v := vars{}
	n := m.next()
	for _, x := range matrixTitleRe.FindAllStringSubmatch(r.Body, -1) {
		v["title_"+x[1]] = html.UnescapeString(x[2])
	}
	for _, x := range matrixBodyRe.FindAllStringSubmatch(r.Body, -1) {
		v["body_"+x[1]] = html.UnescapeString(x[2]) + "\n\nРөлдер кестесі " + n
	}
	if len(v) != 6 {
		m.t.Fatalf("the agreement form is not filled: %d fields", len(v))
	}
	return v
}

// acceptAll has every role accept what it is asked to.
func (m *matrix) acceptAll() {
	for _, c := range m.main[user:] {
		acceptPending(m.t, c)
	}
}

// signIn returns a new browser signed in to p's account.
func (m *matrix) signIn(p person) *client {
	m.t.Helper()
	c := newClient(m.t, m.srv)
	c.mustLogin(p.Email, p.Password)
	return c
}

// newAccount makes an account of role r, signed in.
func (m *matrix) newAccount(r role) (*client, person) {
	m.t.Helper()
	p := newPerson("own")
	c := signup(m.t, m.srv, p)
	switch r {
	case moder:
		m.setRole(c, "moderator")
	case admin:
		m.setRole(c, "admin")
	}
	return c, p
}

// send makes the row's request as role r and returns the answer.
func (m *matrix) send(row *routeRow, r role, v vars, session string) *response {
	m.t.Helper()
	c := newClient(m.t, m.srv)
	defer c.hc.CloseIdleConnections()
	if session != "" {
		c.setCookie("sid", session)
	}
	target := m.srv.URL + v.expand(row.path)
	method := row.httpMethod()
	var body bytes.Buffer
	ctype := ""
	if method == http.MethodPost {
		form := url.Values{}
		for k, vs := range row.form {
			for _, x := range vs {
				form.Add(k, v.expand(x))
			}
		}
		if row.importCSV != "" {
			mw := multipart.NewWriter(&body)
			for k, vs := range form {
				for _, x := range vs {
					mw.WriteField(k, x)
				}
			}
			fw, _ := mw.CreateFormFile("file", "users.csv")
			fw.Write([]byte(v.expand(row.importCSV)))
			mw.Close()
			ctype = mw.FormDataContentType()
		} else if row.upload {
			mw := multipart.NewWriter(&body)
			for k, vs := range form {
				for _, x := range vs {
					mw.WriteField(k, x)
				}
			}
			h := nettextproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="files"; filename="сурет.jpg"`)
			h.Set("Content-Type", "image/jpeg")
			w, _ := mw.CreatePart(h)
			w.Write(m.jpg)
			mw.Close()
			ctype = mw.FormDataContentType()
		} else {
			body.WriteString(form.Encode())
			ctype = "application/x-www-form-urlencoded"
		}
	}
	req, err := http.NewRequest(method, target, &body)
	if err != nil {
		m.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
		// What a browser sends with a form of the site itself.
		req.Header.Set("Origin", m.srv.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	return c.do(req)
}

// matches reports whether r is the answer w describes.
func matches(r *response, w string) bool {
	st, loc, _ := strings.Cut(w, " ")
	if strconv.Itoa(r.Status) != st {
		return false
	}
	got := r.Location()
	switch {
	case loc == "":
		return true
	case strings.HasSuffix(loc, "*"):
		return strings.HasPrefix(got, strings.TrimSuffix(loc, "*"))
	case strings.Contains(loc, "?"):
		return got == loc
	}
	path, _, _ := strings.Cut(got, "?")
	return path == loc
}

func answerOf(r *response) string {
	if r.Header.Get("Location") != "" {
		return fmt.Sprintf("%d → %s", r.Status, r.Location())
	}
	return strconv.Itoa(r.Status)
}

// TestE2ERouteMatrix sends every row of routeTable as every role and
// checks the answer.
func TestE2ERouteMatrix(t *testing.T) {
	rows := routeTable()
	checkRouteTable(t, routePatterns(t), rows)
	eachEngine(t, func(t *testing.T, srv *testServer) {
		m := newMatrix(t, srv)
		sessions := [nRoles]string{}
		for r := user; r < nRoles; r++ {
			sessions[r] = m.main[r].cookie("sid").Value
		}
		sent := 0
		for i := range rows {
			row := &rows[i]
			for r := anon; r < nRoles; r++ {
				v := vars{"n": m.next()}
				for k, x := range m.base {
					v[k] = x
				}
				p := m.people[r]
				session := sessions[r]
				switch {
				case r == anon:
				case row.ownAccount:
					var c *client
					c, p = m.newAccount(r)
					session = c.cookie("sid").Value
				case row.ownSession:
					session = m.signIn(p).cookie("sid").Value
				}
				for k, x := range map[string]string{"password": p.Password, "full_name": p.FullName, "organization": p.Organization,
					"position": p.Position, "region": p.Region, "phone": p.Phone} {
					v[k] = x
				}
				if row.fresh != nil {
					for k, x := range row.fresh(m, r) {
						v[k] = x
					}
				}
				resp := m.send(row, r, v, session)
				sent++
				if w := v.expand(row.want[r]); !matches(resp, w) {
					t.Errorf("%s as %s (%s %s): got %s, want %s", row.route, roleNames[r], row.httpMethod(), v.expand(row.path), answerOf(resp), w)
				}
				if row.ownSession && r != anon {
					// The role's main session may have been ended with it.
					m.main[r] = m.signIn(m.people[r])
					sessions[r] = m.main[r].cookie("sid").Value
				}
			}
			if row.after != nil {
				row.after(m)
			}
		}
		t.Logf("%d requests over %d rows and %d routes", sent, len(rows), len(routePatterns(t)))
	})
}
