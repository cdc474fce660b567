package telemetry_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/telemetry"
	"github.com/smartustaz/smartustaz/internal/vault"
)

const (
	chromeUA  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36"
	androidUA = "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36"
	// A signed-in user's address and browser: the database must hold
	// them only sealed.
	userIP = "203.0.113.77"
	userUA = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0 MarkerAgent/7.3"
)

// day0 is a fixed day of the tests, noon UTC.
var day0 = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

type env struct {
	d *db.DB
	v *vault.Vault
	w *telemetry.Writer
}

func newEnvB(b *testing.B, d *db.DB) *env { return newEnvTB(b, d, telemetry.WriterOptions{}) }

func newEnv(t *testing.T, d *db.DB, o telemetry.WriterOptions) *env { return newEnvTB(t, d, o) }

func newEnvTB(t testing.TB, d *db.DB, o telemetry.WriterOptions) *env {
	t.Helper()
	v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if o.Topics == nil {
		o.Topics = func(_ context.Context, id int64) (telemetry.Topic, bool, error) {
			return telemetry.Topic{Subject: "math", Grade: "5", Type: "lesson"}, true, nil
		}
	}
	return &env{d: d, v: v, w: telemetry.NewWriter(d, v, o)}
}

// user makes a user with a data key (the account package's job in the site).
func (e *env) user(t testing.TB, id int64) {
	t.Helper()
	err := e.d.InTx(context.Background(), func(tx *db.Tx) error {
		_, err := e.v.NewUserKey(context.Background(), tx, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func ev(at time.Time, path, ip, ua string, user int64) telemetry.Event {
	return telemetry.Event{At: at.UnixMilli(), Path: path, Remote: ip + ":40000", UA: ua, UserID: user, Host: "smartustaz.kz",
		Referrer: "https://www.google.com/search?q=x"}
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func (e *env) write(t *testing.T, events ...telemetry.Event) {
	t.Helper()
	if err := e.w.Write(context.Background(), events); err != nil {
		t.Fatal(err)
	}
}

// Clause 1.1: a signed-in visitor's views are personalised records, sealed;
// an anonymous visitor's are only counted.
func TestPersonalisedAndAggregateSeparation(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, telemetry.WriterOptions{})
		const uid = 4242
		e.user(t, uid)
		e.write(t,
			ev(day0, "/materials/17-fractions", userIP, userUA, uid),
			ev(day0.Add(time.Second), "/materials", userIP, userUA, uid),
			ev(day0, "/materials/17-fractions", "198.51.100.9", chromeUA, 0),
			ev(day0, "/", "198.51.100.10", androidUA, 0),
		)
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_records`); n != 2 {
			t.Fatalf("personalised records: %d, want the signed-in user's 2 only", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_records WHERE user_id <> ?`, uid); n != 0 {
			t.Fatalf("%d records of someone not signed in", n)
		}
		recs, err := telemetry.UserRecords(ctx, d, e.v, uid, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 || recs[1].Value("path") != "/materials/17" || recs[1].Value("ip") != userIP || recs[1].Value("ua") != userUA ||
			recs[1].Value("browser") != "Firefox 121" || recs[1].Value("os") != "Linux" || recs[1].Value("device") != "desktop" ||
			recs[1].Value("topic") != "math / 5 / lesson" || recs[1].Value("referrer") != "google.com" {
			t.Fatalf("the user's records do not open to what was recorded (%d records)", len(recs))
		}
		prefs, err := telemetry.UserPreferences(ctx, d, e.v, uid)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, p := range prefs {
			got[p.Month+" "+p.Kind+" "+p.Value] = p.Views
		}
		if len(got) != 3 || got["2026-11 subject math"] != 1 || got["2026-11 grade 5"] != 1 || got["2026-11 type lesson"] != 1 {
			t.Fatalf("preferences: %v", got)
		}
		// Everyone is counted in the aggregates: 4 views, 3 visitors.
		if n := e.count(t, `SELECT views FROM telemetry_live WHERE dim = 'total'`); n != 4 {
			t.Fatalf("total views %d, want 4", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_live_visitors WHERE dim = 'total'`); n != 3 {
			t.Fatalf("total visitors %d, want 3", n)
		}
		// Aggregates hold no address and no user agent string.
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_live WHERE value IN (?, ?, ?, ?)`, userIP, "198.51.100.9", userUA, chromeUA); n != 0 {
			t.Fatalf("an address or user agent in the aggregates")
		}
	})
}

// The database holds a signed-in user's address and user agent only
// sealed: every text and binary column of every table is searched.
func TestUserAddressOnlyEncrypted(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, telemetry.WriterOptions{})
		const uid = 77
		e.user(t, uid)
		e.write(t, ev(day0, "/materials/5-x", userIP, userUA, uid), ev(day0, "/authors/9", userIP, userUA, uid))
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_records`); n != 2 {
			t.Fatalf("records %d", n)
		}
		for _, needle := range []string{userIP, "MarkerAgent/7.3"} {
			if where := grepDB(t, d, needle); where != "" {
				t.Fatalf("a signed-in user's %s found in plain text in %s", map[bool]string{true: "address", false: "user agent"}[needle == userIP], where)
			}
		}
	})
}

// grepDB returns "table.column" of the first cell holding needle.
func grepDB(t *testing.T, d *db.DB, needle string) string {
	t.Helper()
	ctx := context.Background()
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if d.Engine() == db.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`
	}
	rows, err := d.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		tables = append(tables, s)
	}
	rows.Close()
	for _, tb := range tables {
		rows, err := d.Query(ctx, `SELECT * FROM `+tb)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				var b []byte
				switch x := v.(type) {
				case []byte:
					b = x
				case string:
					b = []byte(x)
				default:
					b = []byte(fmt.Sprint(x))
				}
				if bytes.Contains(b, []byte(needle)) {
					rows.Close()
					return tb + "." + cols[i]
				}
			}
		}
		rows.Close()
	}
	return ""
}

// Unique visitors are hashes under the day's salt; closing the day deletes
// the salt and the hashes, so nobody can compute them again.
func TestSaltRotation(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, telemetry.WriterOptions{})
		day1 := day0.Add(24 * time.Hour)
		e.write(t, ev(day0, "/", "198.51.100.1", chromeUA, 0), ev(day0, "/", "198.51.100.1", chromeUA, 0), ev(day0, "/", "198.51.100.2", chromeUA, 0))
		e.write(t, ev(day1, "/", "198.51.100.1", chromeUA, 0))
		var s0, s1 []byte
		if err := d.QueryRow(ctx, `SELECT salt FROM telemetry_salts WHERE day = ?`, "2026-11-20").Scan(&s0); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, `SELECT salt FROM telemetry_salts WHERE day = ?`, "2026-11-21").Scan(&s1); err != nil {
			t.Fatal(err)
		}
		if len(s0) != 32 || bytes.Equal(s0, s1) {
			t.Fatal("each day must have its own random salt")
		}
		// A second node gets the same salt for the day from the database.
		other := telemetry.NewWriter(d, e.v, telemetry.WriterOptions{})
		if err := other.Write(ctx, []telemetry.Event{ev(day0, "/", "198.51.100.1", chromeUA, 0)}); err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_live_visitors WHERE day = '2026-11-20' AND dim = 'total'`); n != 2 {
			t.Fatalf("visitors of day 0 after a second node's write: %d, want 2 (the same salt on both nodes)", n)
		}
		// Not closed before the grace after midnight.
		if days, err := telemetry.CloseDays(ctx, d, day1.Truncate(24*time.Hour).Add(time.Minute)); err != nil || len(days) != 0 {
			t.Fatalf("closed %v (err %v) within the grace period", days, err)
		}
		days, err := telemetry.CloseDays(ctx, d, day1.Truncate(24*time.Hour).Add(telemetry.CloseGrace+time.Minute))
		if err != nil || len(days) != 1 || days[0] != "2026-11-20" {
			t.Fatalf("closed %v, %v", days, err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_salts WHERE day = '2026-11-20'`); n != 0 {
			t.Fatal("yesterday's salt survived the closing of the day")
		}
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_live_visitors WHERE day = '2026-11-20'`); n != 0 {
			t.Fatal("yesterday's visitor hashes survived the closing of the day")
		}
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_salts`); n != 1 {
			t.Fatalf("salts left: %d, want today's only", n)
		}
		series, err := telemetry.Series(ctx, d, telemetry.DimTotal, "", "2026-11-01", "2026-11-30")
		if err != nil || len(series) != 1 || series[0].Views != 4 || series[0].Visitors != 2 {
			t.Fatalf("day 0 aggregate %+v, %v; want 4 views by 2 visitors", series, err)
		}
		// A late event of the closed day does not bring a salt back.
		e.write(t, ev(day0, "/", "198.51.100.3", chromeUA, 0))
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_salts WHERE day = '2026-11-20'`); n != 0 {
			t.Fatal("a late event made a new salt for a closed day")
		}
		// Closing again changes nothing.
		if _, err := telemetry.CloseDays(ctx, d, day1.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if series2, _ := telemetry.Series(ctx, d, telemetry.DimTotal, "", "2026-11-01", "2026-11-30"); len(series2) != 1 || series2[0] != series[0] {
			t.Fatalf("closing twice changed the aggregate: %+v", series2)
		}
	})
}

// A value seen by fewer than K visitors in a day is merged into "other".
func TestKAnonymityMerge(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, telemetry.WriterOptions{})
		var events []telemetry.Event
		for i := range 6 { // six visitors of the home page
			events = append(events, ev(day0, "/authors/1", fmt.Sprintf("198.51.100.%d", i+1), chromeUA, 0))
		}
		// Two visitors of a rare page, one of another; one of them
		// saw both.
		events = append(events, ev(day0, "/authors/2", "198.51.100.1", chromeUA, 0), ev(day0, "/authors/2", "198.51.100.2", chromeUA, 0),
			ev(day0, "/authors/3", "198.51.100.1", chromeUA, 0))
		// Two downloads of one material by two visitors.
		for i := range 2 {
			dl := ev(day0, "/materials/9/files/1", fmt.Sprintf("198.51.100.%d", i+1), chromeUA, 0)
			dl.Download = true
			events = append(events, dl)
		}
		e.write(t, events...)
		if _, err := telemetry.CloseDays(ctx, d, day0.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		top, err := telemetry.Top(ctx, d, "path", "2026-11-20", "2026-11-20", 10)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]telemetry.Count{}
		for _, c := range top {
			got[c.Value] = c
		}
		if len(got) != 2 || got["/authors/1"].Views != 6 || got["/authors/1"].Visitors != 6 ||
			got[telemetry.Other].Views != 3 || got[telemetry.Other].Visitors != 2 {
			t.Fatalf("path aggregates after closing: %+v; want /authors/1 (6 views, 6 visitors) and other (3 views, 2 visitors)", top)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_daily WHERE value IN ('/authors/2', '/authors/3')`); n != 0 {
			t.Fatal("a page seen by fewer than 5 visitors is named in the aggregates")
		}
		// The material downloaded by 2 visitors is not named; the day's
		// downloads are still counted in full.
		if dl, _ := telemetry.Top(ctx, d, "download", "2026-11-20", "2026-11-20", 10); len(dl) != 1 || dl[0].Value != telemetry.Other || dl[0].Views != 2 {
			t.Fatalf("downloads by material: %+v, want only other with 2", dl)
		}
		if c, _ := telemetry.Totals(ctx, d, telemetry.DimDownloads, "2026-11-20", "2026-11-20"); c.Views != 2 || c.Visitors != 2 {
			t.Fatalf("the day's downloads: %+v, want 2 by 2 visitors", c)
		}
		// The total is never merged.
		if s, _ := telemetry.Series(ctx, d, telemetry.DimTotal, "", "2026-11-20", "2026-11-20"); len(s) != 1 || s[0].Views != 9 || s[0].Visitors != 6 {
			t.Fatalf("total %+v", s)
		}
	})
}

func TestRetention(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, telemetry.WriterOptions{})
		e.user(t, 5)
		old := day0.Add(-100 * 24 * time.Hour)
		e.write(t, ev(old, "/", userIP, userUA, 5), ev(day0, "/", userIP, userUA, 5))
		telemetry.CloseDays(ctx, d, day0.Add(24*time.Hour))
		n, err := telemetry.Retain(ctx, d, day0.Add(time.Hour), telemetry.DefaultRetention)
		if err != nil || n != 1 {
			t.Fatalf("retention deleted %d, %v; want the 100-day-old record", n, err)
		}
		recs, _ := telemetry.UserRecords(ctx, d, e.v, 5, 0)
		if len(recs) != 1 || !recs[0].At.Equal(day0) {
			t.Fatalf("records left: %d", len(recs))
		}
		// The aggregates of the old day stay.
		if s, _ := telemetry.Series(ctx, d, telemetry.DimTotal, "", Day(old), Day(old)); len(s) != 1 || s[0].Views != 1 {
			t.Fatalf("the old day's aggregate went with the records: %+v", s)
		}
	})
}

func Day(t time.Time) string { return telemetry.Day(t.UnixMilli()) }

// Deleting an account erases its records and preferences; the key is
// gone, so nothing left would open.
func TestEraseUser(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, telemetry.WriterOptions{})
		e.user(t, 9)
		e.user(t, 10)
		e.write(t, ev(day0, "/materials/3-a", userIP, userUA, 9), ev(day0, "/materials/3-a", "198.51.100.4", chromeUA, 10))
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := e.v.Shred(ctx, tx, 9); err != nil {
				return err
			}
			return telemetry.EraseUser(ctx, tx, 9)
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_records WHERE user_id = 9`) + e.count(t, `SELECT COUNT(*) FROM telemetry_preferences WHERE user_id = 9`); n != 0 {
			t.Fatalf("%d rows of the deleted user left", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_records WHERE user_id = 10`); n != 1 {
			t.Fatal("another user's record went too")
		}
		// Visits of the deleted user that were still buffered are not
		// recorded as theirs.
		e.write(t, ev(day0, "/", userIP, userUA, 9))
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_records WHERE user_id = 9`); n != 0 {
			t.Fatal("a deleted user's visit was recorded as theirs")
		}
	})
}

// The recorder writes everything it took on Close (a graceful stop).
func TestFlushOnShutdown(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, telemetry.WriterOptions{})
		r := telemetry.NewRecorder(e.w, telemetry.Options{Interval: time.Hour})
		for i := range 1000 {
			r.Add(ev(day0, fmt.Sprintf("/authors/%d", i%7), "198.51.100.1", chromeUA, 0))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := r.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, `SELECT views FROM telemetry_live WHERE dim = 'total'`); n != 1000 {
			t.Fatalf("after a graceful stop %d of 1000 views are written", n)
		}
	})
}

// A crash loses at most the last interval: an event is in the database
// one interval (and the batch's write) after it was taken, without any
// stop. By design: the writer flushes on a ticker of the interval.
func TestCrashBound(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, telemetry.WriterOptions{})
		const interval = 200 * time.Millisecond
		r := telemetry.NewRecorder(e.w, telemetry.Options{Interval: interval})
		defer r.Close(context.Background())
		r.Add(ev(day0, "/", "198.51.100.1", chromeUA, 0))
		deadline := time.Now().Add(2*interval + 2*time.Second) // the interval, plus a generous write time on a busy machine
		for {
			var n int
			err := d.QueryRow(context.Background(), `SELECT COALESCE(SUM(views), 0) FROM telemetry_live WHERE dim = 'total'`).Scan(&n)
			if err == nil && n == 1 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("an event taken is not in the database after %s (a crash would lose more than one interval)", 2*interval)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// A full batch is written at once, not at the next tick: with an
// interval of an hour, two batches' worth of events are in the database
// without a stop, and the rest of a batch waits for the tick or the stop.
func TestFullBatchWrittenAtOnce(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	e := newEnv(t, d, telemetry.WriterOptions{})
	r := telemetry.NewRecorder(e.w, telemetry.Options{Interval: time.Hour, Batch: 50, Buffer: 1000})
	total := func() int {
		var n int
		if err := d.QueryRow(context.Background(), `SELECT COALESCE(SUM(views), 0) FROM telemetry_live WHERE dim = 'total'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := range 120 {
		r.Add(ev(day0, fmt.Sprintf("/authors/%d", i%7), "198.51.100.1", chromeUA, 0))
	}
	deadline := time.Now().Add(10 * time.Second)
	for total() < 100 {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 120 views written after 10 s with batches of 50: a full batch waited for the hourly tick", total())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := total(); n != 120 {
		t.Fatalf("after the stop %d of 120 views are written", n)
	}
}

// A full buffer drops, counts, and never blocks.
func TestOverflowCounted(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	e := newEnv(t, d, telemetry.WriterOptions{})
	r := telemetry.NewRecorder(e.w, telemetry.Options{Buffer: 10, Interval: time.Hour, Batch: 1 << 20})
	start := time.Now()
	for range 5000 {
		r.Add(ev(day0, "/", "198.51.100.1", chromeUA, 0))
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("Add blocked on a full buffer")
	}
	if r.Dropped() < 4000 {
		t.Fatalf("dropped %v of 5000 into a buffer of 10", r.Dropped())
	}
	r.Close(context.Background())
}

// A spoofed X-Forwarded-For is believed only from a trusted proxy.
func TestTrustedProxy(t *testing.T) {
	proxies, err := telemetry.ParseProxies("10.0.0.0/8, 192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ remote, xff, want string }{
		{"198.51.100.5:1234", "1.2.3.4", "198.51.100.5"},           // untrusted peer: XFF ignored
		{"10.1.2.3:1234", "1.2.3.4", "1.2.3.4"},                    // our proxy
		{"10.1.2.3:1234", "6.6.6.6, 1.2.3.4", "1.2.3.4"},           // the client's own XFF entry is not believed
		{"10.1.2.3:1234", "6.6.6.6, 1.2.3.4, 10.9.9.9", "1.2.3.4"}, // two of our proxies
		{"192.0.2.1:80", "garbage, 1.2.3.4", "1.2.3.4"},            // garbage on the left is never reached
		{"10.1.2.3:1234", "garbage", "10.1.2.3"},                   // garbage: the proxy itself
		{"[::ffff:10.0.0.1]:1234", "2001:db8::1", "2001:db8::1"},   // mapped IPv4 proxy
		{"[2001:db8::5]:443", "1.2.3.4", "2001:db8::5"},            // IPv6 untrusted peer
	} {
		if got := telemetry.ClientAddr(c.remote, c.xff, proxies); got.String() != c.want {
			t.Errorf("ClientAddr(%q, %q) = %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
	if _, err := telemetry.ParseProxies("10.0.0.0/8, nonsense"); err == nil {
		t.Fatal("a bad --trusted-proxy entry was accepted")
	}
}

// The spoofed header reaches the database only through a trusted proxy.
func TestTrustedProxyRecorded(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		proxies, _ := telemetry.ParseProxies("10.0.0.0/8")
		e := newEnv(t, d, telemetry.WriterOptions{Proxies: proxies})
		e.user(t, 1)
		spoof := ev(day0, "/", "198.51.100.8", chromeUA, 1)
		spoof.XFF = "192.0.2.99"
		viaProxy := ev(day0.Add(time.Second), "/", "10.0.0.2", chromeUA, 1)
		viaProxy.XFF = "192.0.2.50"
		e.write(t, spoof, viaProxy)
		recs, _ := telemetry.UserRecords(context.Background(), d, e.v, 1, 0)
		if len(recs) != 2 || recs[1].Value("ip") != "198.51.100.8" || recs[0].Value("ip") != "192.0.2.50" {
			t.Fatal("X-Forwarded-For believed from an untrusted peer, or not from a trusted proxy")
		}
	})
}

func TestParseUA(t *testing.T) {
	for _, c := range []struct {
		ua   string
		want telemetry.Agent
	}{
		{chromeUA, telemetry.Agent{Browser: "Chrome", Version: "118", OS: "Windows", Device: "desktop"}},
		{androidUA, telemetry.Agent{Browser: "Chrome", Version: "120", OS: "Android", Device: "mobile"}},
		{"", telemetry.Agent{}},
	} {
		if got := telemetry.ParseUA(c.ua); got != c.want {
			t.Errorf("ParseUA(%.30q) = %+v, want %+v", c.ua, got, c.want)
		}
	}
}

func TestReferrerAndPath(t *testing.T) {
	for ref, want := range map[string]string{
		"https://www.Google.kz/search?q=1": "google.kz",
		"https://smartustaz.kz/materials":  "",
		"javascript:alert(1)":              "",
		"":                                 "",
		"http://[::1]:80/":                 "::1",
		"android-app://com.google":         "",
	} {
		if got := telemetry.ReferrerDomain(ref, "smartustaz.kz"); got != want {
			t.Errorf("ReferrerDomain(%q) = %q, want %q", ref, got, want)
		}
	}
	for p, want := range map[string]int64{"/materials/12-abc": 12, "/materials/12/files/3": 12, "/materials/new": 0, "/materials/12x": 0, "/": 0, "/materials/99999999999999999999": 0} {
		if got := telemetry.MaterialID(p); got != want {
			t.Errorf("MaterialID(%q) = %d, want %d", p, got, want)
		}
	}
}

// The reader of the MaxMind-format database, against one built here.
func TestIPDB(t *testing.T) {
	path := buildIPDB(t)
	ipdb, err := telemetry.OpenIPDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ipdb.Close()
	c, p := ipdb.Lookup(netip.MustParseAddr("95.56.1.2"))
	if c != "KZ" || p != "AS9198 JSC Kazakhtelecom" {
		t.Fatalf("lookup: %q %q", c, p)
	}
	if c, p := ipdb.Lookup(netip.MustParseAddr("8.8.8.8")); c != "" || p != "" {
		t.Fatalf("unknown address: %q %q", c, p)
	}
	if _, err := telemetry.OpenIPDB(filepath.Join(t.TempDir(), "none.mmdb")); err == nil {
		t.Fatal("a missing file opened")
	}
	// Country and provider reach the records and the aggregates.
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, telemetry.WriterOptions{IPDB: ipdb})
		e.user(t, 3)
		e.write(t, ev(day0, "/", "95.56.1.2", chromeUA, 3))
		recs, _ := telemetry.UserRecords(context.Background(), d, e.v, 3, 0)
		if len(recs) != 1 || recs[0].Value("country") != "KZ" || recs[0].Value("provider") != "AS9198 JSC Kazakhtelecom" {
			t.Fatal("country or provider missing from the record")
		}
		if n := e.count(t, `SELECT COUNT(*) FROM telemetry_live WHERE dim = 'provider' AND value = 'AS9198 JSC Kazakhtelecom'`); n != 1 {
			t.Fatal("provider missing from the aggregates")
		}
	})
}

// buildIPDB writes a small database with both country and ASN fields.
func buildIPDB(t testing.TB) string {
	t.Helper()
	w, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "Test-Country-ASN", RecordSize: 24})
	if err != nil {
		t.Fatal(err)
	}
	_, n, _ := net.ParseCIDR("95.56.0.0/16")
	if err := w.Insert(n, mmdbtype.Map{
		"country":                        mmdbtype.Map{"iso_code": mmdbtype.String("KZ")},
		"autonomous_system_number":       mmdbtype.Uint32(9198),
		"autonomous_system_organization": mmdbtype.String("JSC Kazakhtelecom"),
	}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ip.mmdb")
	if err := writeFile(path, buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	return path
}

// Top sums a period's days exactly for every value that is near the top
// of some day, and orders by the period's views.
func TestTopOverPeriod(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, telemetry.WriterOptions{})
		// Day 1: a leads; day 2: b leads by enough to win the period.
		for _, dayViews := range []struct {
			t     time.Time
			paths map[string]int
		}{
			{day0, map[string]int{"/authors/1": 6, "/authors/2": 5}},
			{day0.Add(24 * time.Hour), map[string]int{"/authors/2": 8, "/authors/1": 5}},
		} {
			var events []telemetry.Event
			for p, n := range dayViews.paths {
				for i := range n {
					events = append(events, ev(dayViews.t, p, fmt.Sprintf("198.51.100.%d", i+1), chromeUA, 0))
				}
			}
			e.write(t, events...)
		}
		if _, err := telemetry.CloseDays(ctx, d, day0.Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		top, err := telemetry.Top(ctx, d, "path", "2026-11-20", "2026-11-21", 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(top) != 1 || top[0].Value != "/authors/2" || top[0].Views != 13 || top[0].Visitors != 13 {
			t.Fatalf("top of the period: %+v, want /authors/2 with 13 views", top)
		}
		top, _ = telemetry.Top(ctx, d, "path", "2026-11-20", "2026-11-20", 5)
		if len(top) != 2 || top[0].Value != "/authors/1" || top[0].Views != 6 {
			t.Fatalf("top of day 1: %+v", top)
		}
	})
}
