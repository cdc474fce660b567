package account_test

import (
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// A Limiter is the login throttle for another kind of attempt: free
// failures, then a doubling block that lifts when the clock moves; its
// counters are its own (neither login failures nor another scope count),
// no address is stored, and Purge forgets an idle counter.
func TestLimiter(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		const ip = "203.0.113.7"
		l := e.s.Limiter("cert_name_ip", 3)
		other := e.s.Limiter("other", 3)
		for i := 1; i <= 4; i++ { // three free failures, the fourth starts a 2-second block
			if err := l.Check(e.ctx, ip); err != nil {
				t.Fatalf("attempt %d refused: %v", i, err)
			}
			if err := l.Fail(e.ctx, ip); err != nil {
				t.Fatal(err)
			}
		}
		wantErr(t, l.Check(e.ctx, ip), apperr.TooMany, "", "account.throttled")
		if err := l.Check(e.ctx, "203.0.113.8"); err != nil {
			t.Errorf("another address is blocked: %v", err)
		}
		if err := other.Check(e.ctx, ip); err != nil {
			t.Errorf("another scope is blocked: %v", err)
		}
		if err := l.Check(e.ctx, ""); err != nil {
			t.Errorf("an unknown address is blocked: %v", err)
		}
		// Login failures from the address are counted apart.
		e.register(t, "teacher@mail.kz")
		if _, _, _, err := e.s.Login(e.ctx, "teacher@mail.kz", goodPassword, account.Meta{IP: ip}); err != nil {
			t.Errorf("login from the limited address: %v", err)
		}
		e.clk.Add(1900 * time.Millisecond)
		wantErr(t, l.Check(e.ctx, ip), apperr.TooMany, "", "account.throttled")
		e.clk.Add(100 * time.Millisecond)
		if err := l.Check(e.ctx, ip); err != nil {
			t.Fatalf("the block did not lift: %v", err)
		}
		if err := l.Fail(e.ctx, ip); err != nil { // the fifth: 4 seconds
			t.Fatal(err)
		}
		e.clk.Add(3 * time.Second)
		wantErr(t, l.Check(e.ctx, ip), apperr.TooMany, "", "account.throttled")
		if n := e.count(t, "SELECT COUNT(*) FROM throttle WHERE key = ?", []byte(ip)); n != 0 {
			t.Errorf("the address is stored as a key")
		}
		before := e.count(t, "SELECT COUNT(*) FROM throttle")
		e.clk.Add(25 * time.Hour)
		if _, err := e.s.Purge(e.ctx); err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM throttle"); before == 0 || n != 0 {
			t.Errorf("throttle rows: %d before purge, %d after a day idle", before, n)
		}
		if err := l.Check(e.ctx, ip); err != nil {
			t.Errorf("after a day idle: %v", err)
		}
	})
}
