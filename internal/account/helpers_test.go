package account_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// clock is the fake clock tests move instead of sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	s   *account.Service
	v   *vault.Vault
	d   *db.DB
	clk *clock
	ctx context.Context
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s := account.New(d, v, account.Options{Now: clk.Now})
	return &env{s: s, v: v, d: d, clk: clk, ctx: context.Background()}
}

var ipSeq atomic.Int64

// freshIP is a different documentation-range address per call, so tests
// that register many users do not meet the registration throttle.
func freshIP() string {
	n := ipSeq.Add(1)
	return fmt.Sprintf("198.51.%d.%d", n/250%250, n%250+1)
}

const goodPassword = "Alma-Ata 1854 spring"

func validInput(email string) account.RegisterInput {
	return account.RegisterInput{
		Email: email, Password: goodPassword, FullName: "Айгүл Сейітқызы Мұратова",
		Organization: "№12 мектеп-гимназия", Position: "Математика пәнінің мұғалімі",
		Region: "Алматы облысы", Phone: "+7 (701) 123-45-67", Locale: "kk", Accept: true,
	}
}

// register creates a user with valid input and returns it with its
// email-verification token.
func (e *env) register(t *testing.T, email string) (*account.User, string) {
	t.Helper()
	u, tok, err := e.s.Register(e.ctx, validInput(email), account.Meta{IP: freshIP(), UserAgent: "test"}, nil)
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return u, tok
}

// login signs in and fails the test on error.
func (e *env) login(t *testing.T, email, pw string) (*account.User, *account.Session, string) {
	t.Helper()
	u, s, tok, err := e.s.Login(e.ctx, email, pw, account.Meta{IP: freshIP(), UserAgent: "test"})
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	return u, s, tok
}

// wantErr checks the code and message key (and field, when given) of a
// user-facing error: what the web layer would show.
func wantErr(t *testing.T, err error, code apperr.Code, field, key string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s %s %s, got success", code, field, key)
	}
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("want code %s, got %s (%v)", code, got, err)
	}
	var fs apperr.Fields
	if errors.As(err, &fs) {
		for _, f := range fs {
			if f.Field == field && f.Key == key {
				return
			}
		}
		t.Fatalf("want field %q key %q, got %v", field, key, describe(fs))
	}
	e, ok := apperr.As(err)
	if !ok || e.Key != key || e.Field != field {
		t.Fatalf("want field %q key %q, got %v", field, key, err)
	}
}

func describe(fs apperr.Fields) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Field+":"+f.Key)
	}
	return out
}

// ownTables are the tables the account package writes.
var ownTables = []string{"users", "user_keys", "sessions", "tokens", "profile_changes", "throttle"}

// counts returns the row count of each own table.
func (e *env) counts(t *testing.T) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, tb := range ownTables {
		var n int
		if err := e.d.QueryRow(e.ctx, "SELECT COUNT(*) FROM "+tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		m[tb] = n
	}
	return m
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.QueryRow(e.ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
