package account_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// entries lists the audit log as "action target detail" lines, oldest first.
func (e *env) entries(t *testing.T) []string {
	t.Helper()
	list, err := audit.New(e.d, e.v).List(e.ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(list) - 1; i >= 0; i-- {
		out = append(out, fmt.Sprintf("%s %d %s", list[i].Action, list[i].TargetUserID, list[i].Detail))
	}
	return out
}

// breakAudit makes every append fail, as a lost head lock or a full disk
// would: the head's MAC no longer matches, so AppendTx refuses.
func (e *env) breakAudit(t *testing.T) func() {
	t.Helper()
	var mac []byte
	if err := e.d.QueryRow(e.ctx, `SELECT mac FROM audit_head WHERE id = 1`).Scan(&mac); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Exec(e.ctx, `UPDATE audit_head SET mac = ? WHERE id = 1`, []byte("broken")); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := e.d.Exec(e.ctx, `UPDATE audit_head SET mac = ? WHERE id = 1`, mac); err != nil {
			t.Fatal(err)
		}
	}
}

// Every audited change commits with its audit entry or not at all: when
// the entry cannot be written, the role, the administrator, the deletion
// and the reveal do not happen (issue 8 §2).
func TestAuditedChangesAreAtomic(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		admin, err := e.s.CreateAdmin(e.ctx, "admin@mail.kz", "admin password 1", "Бас әкімші")
		if err != nil {
			t.Fatal(err)
		}
		u, _ := e.register(t, "teacher@mail.kz")
		m := account.Meta{ActorID: admin.ID, SessionID: 7}
		restore := e.breakAudit(t)
		before := e.entries(t)

		if err := e.s.SetRole(e.ctx, u.ID, account.RoleModerator, m); !errors.Is(err, audit.ErrHeadTampered) {
			t.Errorf("role change without its audit entry: %v", err)
		}
		if got, _ := e.s.Get(e.ctx, u.ID); got.Role != account.RoleUser {
			t.Errorf("the role changed to %s without an audit entry", got.Role)
		}
		if _, err := e.s.CreateAdmin(e.ctx, "second@mail.kz", "admin password 2", "Екінші әкімші"); !errors.Is(err, audit.ErrHeadTampered) {
			t.Errorf("admin create without its audit entry: %v", err)
		}
		if n, _ := e.s.CountAdmins(e.ctx); n != 1 {
			t.Errorf("%d administrators: one was made without an audit entry", n)
		}
		if _, err := e.s.Reveal(e.ctx, u.ID, "checking a complaint", m); !errors.Is(err, audit.ErrHeadTampered) {
			t.Errorf("reveal without its audit entry: %v", err)
		}
		if err := e.s.Delete(e.ctx, u.ID, account.Meta{}); !errors.Is(err, audit.ErrHeadTampered) {
			t.Errorf("deletion without its audit entry: %v", err)
		}
		if got, _ := e.s.Get(e.ctx, u.ID); got.Status != account.StatusActive || got.FullName.Reveal() == "" {
			t.Errorf("the account was deleted without an audit entry")
		}
		if got := e.entries(t); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Errorf("entries changed by refused changes: %q, want %q", got, before)
		}

		restore()
		if err := e.s.SetRole(e.ctx, u.ID, account.RoleModerator, m); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Reveal(e.ctx, u.ID, "checking a complaint", m)
		if err != nil || got.FullName.Reveal() != "Айгүл Сейітқызы Мұратова" {
			t.Fatalf("reveal: %v", err)
		}
		if err := e.s.Delete(e.ctx, u.ID, account.Meta{SessionID: 9}); err != nil {
			t.Fatal(err)
		}
		want := []string{
			fmt.Sprintf("admin_create %d command line", admin.ID),
			fmt.Sprintf("role_change %d role=moderator", u.ID),
			fmt.Sprintf("reveal %d ", u.ID),
			fmt.Sprintf("user_delete %d by the user; materials left public without the name", u.ID),
		}
		if got := e.entries(t); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("audit log %q, want %q", got, want)
		}
		if r, err := audit.New(d, e.v).Verify(e.ctx); err != nil || !r.OK {
			t.Errorf("chain after the changes: %+v %v", r, err)
		}
	})
}

// Issue 14 item 6: every node that starts before an administrator exists
// prints a link, and each one works until an administrator is created;
// then none does.
func TestSetupLinksOfEveryNode(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var links []string
		for range 3 { // three nodes start
			l, err := e.s.NewSetupLink(e.ctx)
			if err != nil || l == "" {
				t.Fatalf("setup link: %q %v", l, err)
			}
			links = append(links, l)
		}
		for i, l := range links {
			if ok, err := e.s.SetupLinkValid(e.ctx, l); err != nil || !ok {
				t.Errorf("link of node %d does not work: %v", i+1, err)
			}
		}
		for _, bad := range []string{"", "x", links[0] + "x"} {
			if ok, _ := e.s.SetupLinkValid(e.ctx, bad); ok {
				t.Errorf("link %q works", bad)
			}
		}
		if _, err := e.s.CreateFirstAdmin(e.ctx, links[1], "admin@mail.kz", "short", "Әкімші"); err == nil || errors.Is(err, account.ErrSetupLink) {
			t.Errorf("a short password: %v, want a field error", err)
		}
		if ok, _ := e.s.SetupLinkValid(e.ctx, links[1]); !ok {
			t.Errorf("a refused form used up the link")
		}
		a, err := e.s.CreateFirstAdmin(e.ctx, links[1], "admin@mail.kz", "admin password 1", "Бас әкімші")
		if err != nil || a.Role != account.RoleAdmin {
			t.Fatalf("first admin: %v", err)
		}
		for i, l := range links {
			if ok, _ := e.s.SetupLinkValid(e.ctx, l); ok {
				t.Errorf("link of node %d still works after the administrator was made", i+1)
			}
			if _, err := e.s.CreateFirstAdmin(e.ctx, l, fmt.Sprintf("x%d@mail.kz", i), "admin password 2", "Әкімші"); !errors.Is(err, account.ErrSetupLink) {
				t.Errorf("link of node %d used again: %v", i+1, err)
			}
		}
		if l, err := e.s.NewSetupLink(e.ctx); err != nil || l != "" {
			t.Errorf("a node started after the administrator got a link: %q %v", l, err)
		}
		if n, _ := e.s.CountAdmins(e.ctx); n != 1 {
			t.Errorf("%d administrators, want 1", n)
		}
		if got := e.entries(t); len(got) != 1 || got[0] != fmt.Sprintf("admin_create %d first administrator, setup link", a.ID) {
			t.Errorf("audit log %q", got)
		}
	})
}

// `admin create` at the console also ends the links.
func TestAdminCreateEndsSetupLinks(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		l, err := e.s.NewSetupLink(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.CreateAdmin(e.ctx, "admin@mail.kz", "admin password 1", "Әкімші"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := e.s.SetupLinkValid(e.ctx, l); ok {
			t.Errorf("the setup link works after admin create")
		}
	})
}

// Issue 8 §3: requests at the same moment, with one link or with the links
// of different nodes, make exactly one administrator.
func TestSetupLinkConcurrentUse(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var links []string
		for range 2 {
			l, err := e.s.NewSetupLink(e.ctx)
			if err != nil {
				t.Fatal(err)
			}
			links = append(links, l)
		}
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = e.s.CreateFirstAdmin(e.ctx, links[i%2], fmt.Sprintf("admin%d@mail.kz", i), "admin password 1", "Әкімші")
			}()
		}
		close(start)
		wg.Wait()
		made := 0
		for _, err := range errs {
			switch {
			case err == nil:
				made++
			case !errors.Is(err, account.ErrSetupLink):
				t.Errorf("a concurrent use failed otherwise than with ErrSetupLink: %v", err)
			}
		}
		if made != 1 {
			t.Errorf("%d requests made an administrator, want 1", made)
		}
		if c, _ := e.s.CountAdmins(e.ctx); c != 1 {
			t.Errorf("%d administrators, want 1", c)
		}
	})
}
