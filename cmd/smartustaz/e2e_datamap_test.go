package main

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/datamap"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// TestE2EDataMap: /privacy/data-map shows every category and what each
// table holds, why and for how long, in kk, ru and en, to anyone, and is
// linked from every page's footer; /admin/data-map lists every declared
// table.column, for administrators only (clause P.1, issue 12 §6).
func TestE2EDataMap(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		for _, l := range i18n.Langs {
			c := newClient(t, srv)
			c.Lang = string(l)
			home := c.get("/")
			if !strings.Contains(home.Body, `href="/privacy/data-map"`) {
				t.Errorf("%s: the footer does not link the data map", l)
			}
			r := c.get("/privacy/data-map")
			wantStatus(t, string(l)+" /privacy/data-map", r, http.StatusOK)
			body := html.UnescapeString(r.Body)
			wantText(t, string(l), r, i18n.T(l, "datamap.title"))
			for _, sec := range datamap.PublicMap(l) {
				if !strings.Contains(body, sec.Name) {
					t.Errorf("%s: category %s missing", l, sec.Category)
				}
			}
			for _, tb := range datamap.Tables {
				if _, ok := datamap.EngineOnly[tb.Name]; ok {
					continue // an engine's copy of another table, left off the public page
				}
				if !strings.Contains(body, tb.What.In(l)) || !strings.Contains(body, tb.Why.In(l)) {
					t.Errorf("%s: table %s's what or why missing from the public map", l, tb.Name)
				}
			}
			for _, want := range []string{datamap.Days(365).Text(l), datamap.WhileAccount.Text(l), i18n.T(l, "datamap.encrypted")} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the public map lacks %q", l, want)
				}
			}
			if strings.Contains(body, "email_enc") {
				t.Errorf("%s: the public map shows technical column names", l)
			}
		}
		u := signup(t, srv, newPerson("datamap"))
		wantStatus(t, "teacher /admin/data-map", u.get("/admin/data-map"), http.StatusForbidden)
		admin, _ := setupAdmin(t, srv)
		r := admin.get("/admin/data-map")
		wantStatus(t, "admin /admin/data-map", r, http.StatusOK)
		for _, c := range datamap.All() {
			if !strings.Contains(r.Body, "<code>"+c.Table.Name+"."+c.Name+"</code>") {
				t.Errorf("/admin/data-map lacks %s.%s", c.Table.Name, c.Name)
			}
		}
		wantText(t, "admin data map", r, i18n.T(i18n.KK, "datamap.admin.plain"))
		if !strings.Contains(r.Body, "<li><code>comments.body</code>") {
			t.Errorf("/admin/data-map does not list comments.body among the personal values stored plain")
		}
		// The retention rules from the same declarations, and the
		// destruction register (empty on a new site).
		wantText(t, "admin data map", r, i18n.T(i18n.KK, "retention.admin.rules"))
		wantText(t, "admin data map", r, i18n.T(i18n.KK, "retention.admin.register"))
		rules, err := datamap.Rules()
		if err != nil {
			t.Fatal(err)
		}
		for _, rule := range rules {
			if !strings.Contains(r.Body, "<code>"+rule.Retention.From+"</code>") || !strings.Contains(r.Body, rule.Retention.Text(i18n.KK)) {
				t.Errorf("/admin/data-map lacks the rule %s", rule.Name())
			}
		}
	})
}
