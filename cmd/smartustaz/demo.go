package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// defaultDemoPassword is printed after a run so that anyone can sign in as
// a demo teacher. Demo data only: never on a site with real users.
const defaultDemoPassword = "demo-password-2026"

// demoStep is one kind of synthetic data, reporting its own progress.
type demoStep struct {
	name string // plural noun for the progress line and the summary
	want int
	run  func(ctx context.Context, a *app, n int, progress func(done int)) (int, error)
}

// cmdDemo fills the database with synthetic teachers and their published
// materials, for trying the site and for measuring it at scale
// (docs/benchmarks.md).
func cmdDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var users, materials int
	var password string
	c, _, err := parse("demo", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&users, "users", 1000, "how many demo teachers to add")
		fs.IntVar(&materials, "materials", 0, "how many published demo materials to add, by the demo teachers")
		fs.StringVar(&password, "password", defaultDemoPassword, "the password of every demo teacher")
	})
	if err != nil {
		return err
	}
	if users < 0 || materials < 0 {
		return fmt.Errorf("demo: --users and --materials must not be negative")
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
	if materials > 0 {
		steps = append(steps, demoStep{name: "demo materials", want: materials, run: func(ctx context.Context, a *app, n int, progress func(int)) (int, error) {
			return demoMaterials(ctx, a, n, progress)
		}})
	}
	total := time.Now()
	for _, st := range steps {
		if st.want == 0 {
			continue
		}
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
	if err := a.db.AfterBulkLoad(ctx); err != nil {
		return fmt.Errorf("demo: %s", describe(err))
	}
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

// demoAuthors bounds how many demo teachers are looked up to author demo
// materials: enough for a varied catalog, few enough that finding them
// (one blind-index lookup each) takes seconds at a million users.
const demoAuthors = 2000

// demoMaterials adds n published materials by demo teachers spread over
// all of them, their files in the configured storage (--storage).
func demoMaterials(ctx context.Context, a *app, n int, progress func(int)) (int, error) {
	teachers, err := a.accounts.DemoCount(ctx)
	if err != nil {
		return 0, err
	}
	if teachers == 0 {
		return 0, fmt.Errorf("there are no demo teachers to be the authors: add some with --users")
	}
	var authors []int64
	k := min(teachers, demoAuthors)
	for i := range k {
		u, err := a.accounts.FindByEmail(ctx, account.DemoEmail(1+i*teachers/k))
		if err != nil {
			return 0, err
		}
		authors = append(authors, u.ID)
	}
	store, err := blob.Open(a.cfg.Storage, a.cfg.DataDir)
	if err != nil {
		return 0, err
	}
	lib := library.New(a.db, a.vault, store, library.Options{MaxFileSize: int64(a.cfg.MaxFileMB) << 20})
	return lib.CreateDemoMaterials(ctx, n, library.DemoOptions{Authors: authors, Progress: progress})
}
