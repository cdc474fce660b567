package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// defaultDemoPassword is printed after a run so that anyone can sign in as
// a demo teacher. Demo data only: never on a site with real users.
const defaultDemoPassword = "demo-password-2026"

// demoStep is one kind of synthetic data. Later kinds (materials, …) are
// further steps in cmdDemo's list, each reporting its own progress.
type demoStep struct {
	name string // plural noun for the progress line and the summary
	want int
	run  func(ctx context.Context, a *app, n int, progress func(done int)) (int, error)
}

// cmdDemo fills the database with synthetic teachers, for trying the site
// and for measuring it at scale (docs/benchmarks.md).
func cmdDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var users int
	var password string
	c, _, err := parse("demo", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&users, "users", 1000, "how many demo teachers to add")
		fs.StringVar(&password, "password", defaultDemoPassword, "the password of every demo teacher")
	})
	if err != nil {
		return err
	}
	if users < 0 {
		return fmt.Errorf("demo: --users must not be negative")
	}
	a, err := open(ctx, c, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	before, err := a.accounts.DemoCount(ctx)
	if err != nil {
		return err
	}
	steps := []demoStep{
		{name: "demo teachers", want: users, run: func(ctx context.Context, a *app, n int, progress func(int)) (int, error) {
			return demoUsers(ctx, a, n, password, progress)
		}},
	}
	total := time.Now()
	for _, st := range steps {
		start := time.Now()
		done, err := st.run(ctx, a, st.want, func(done int) {
			fmt.Fprintf(stderr, "\r%s: %d of %d (%.1f%%)", st.name, done, st.want, 100*float64(done)/float64(max(st.want, 1)))
		})
		if done > 0 {
			fmt.Fprintln(stderr)
		}
		el := time.Since(start)
		fmt.Fprintf(stdout, "smartustaz: added %d %s in %s (%.0f per second)\n", done, st.name, el.Round(time.Millisecond), float64(done)/max(el.Seconds(), 1e-9))
		if err != nil {
			return fmt.Errorf("demo: %s: %s", st.name, describe(err))
		}
	}
	if users > 0 {
		fmt.Fprintf(stdout, "  addresses: %s … %s\n", account.DemoEmail(before+1), account.DemoEmail(before+users))
	}
	fmt.Fprintf(stdout, "  password:  %s (every demo teacher)\n", password)
	fmt.Fprintf(stdout, "  database:  %s, done in %s\n", a.db.Engine(), time.Since(total).Round(time.Millisecond))
	admins, err := a.accounts.CountAdmins(ctx)
	if err != nil {
		return err
	}
	if admins == 0 {
		fmt.Fprintln(stdout, "  no administrator yet: run `smartustaz serve` and open the /setup link it prints, or `smartustaz admin create --email ADDRESS`")
	}
	return nil
}

// demoUsers adds n demo teachers, each having accepted the documents in
// force, as a registration records it (clause P.3), so they use the site
// like any registered teacher instead of meeting the acceptance page.
func demoUsers(ctx context.Context, a *app, n int, password string, progress func(int)) (int, error) {
	agreement, privacy, err := a.consent.Current(ctx)
	if err != nil {
		return 0, err
	}
	docs := []*consent.Document{agreement, privacy}
	return a.accounts.CreateDemoUsersWith(ctx, n, account.DemoOptions{
		Password: password,
		Progress: progress,
		OnCreate: func(ctx context.Context, tx *db.Tx, u *account.User, key *vault.UserKey) error {
			// No address or browser: nobody sat at a browser for these.
			return a.consent.RecordAcceptance(ctx, tx, key, u.ID, docs, consent.MethodRegistration, consent.Meta{})
		},
	})
}
