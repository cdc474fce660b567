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
	total := time.Now()
	err = fillDemo(ctx, a, demoFill{users: users, materials: materials, password: password}, stderr,
		func(name string, done int, took time.Duration) {
			fmt.Fprintf(stdout, "smartustaz: added %d %s in %s (%.0f per second)\n", done, name, took.Round(time.Millisecond), float64(done)/max(took.Seconds(), 1e-9))
		})
	if err != nil {
		return err
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

// demoFill is what one fill adds: demo teachers sharing one password,
// then published materials by them.
type demoFill struct {
	users, materials int
	password         string
}

// fillDemo adds f's demo teachers and then their materials, showing each
// step's progress on stderr, and readies the database for reading after
// the bulk load. `smartustaz demo` and `serve --demo` both fill through
// it. added is told, after each step that had anything to add (also one
// that stopped on an error), how many it added and in how long.
func fillDemo(ctx context.Context, a *app, f demoFill, stderr io.Writer, added func(name string, done int, took time.Duration)) error {
	steps := []demoStep{
		{name: "demo teachers", want: f.users, run: func(ctx context.Context, a *app, n int, progress func(int)) (int, error) {
			return demoUsers(ctx, a, n, f.password, progress)
		}},
		{name: "demo materials", want: f.materials, run: func(ctx context.Context, a *app, n int, progress func(int)) (int, error) {
			return demoMaterials(ctx, a, n, progress)
		}},
	}
	for _, st := range steps {
		if st.want == 0 {
			continue
		}
		start := time.Now()
		pr := newProgress(stderr)
		done, err := st.run(ctx, a, st.want, func(done int) {
			pr.show("%s: %d of %d (%.1f%%)", st.name, done, st.want, 100*float64(done)/float64(max(st.want, 1)))
		})
		pr.done()
		added(st.name, done, time.Since(start))
		if err != nil {
			return fmt.Errorf("demo: %s: %s", st.name, describe(err))
		}
	}
	if err := a.db.AfterBulkLoad(ctx); err != nil {
		return fmt.Errorf("demo: %s", describe(err))
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

// What serve --demo adds to an empty library: the catalog of `smartustaz
// demo --users 200 --materials 2000`, big enough to page through and to
// search in, small enough to make in seconds on first start.
const (
	demoServeUsers     = 200
	demoServeMaterials = 2000
)

// fillEmptyDemo is serve --demo. A library without a single material gets
// the demo catalog before the site opens; one with any material is left
// alone, so a restart with the flag adds nothing and a site whose
// teachers have begun publishing never gets synthetic materials among
// theirs.
func fillEmptyDemo(ctx context.Context, a *app, lib *library.Service, stdout, stderr io.Writer) error {
	has, err := lib.HasMaterials(ctx)
	if err != nil {
		return fmt.Errorf("serve: --demo: %w", err)
	}
	if has {
		fmt.Fprintln(stdout, "smartustaz: --demo: the catalog is not empty, so no demo data was added")
		return nil
	}
	before, err := a.accounts.DemoCount(ctx)
	if err != nil {
		return fmt.Errorf("serve: --demo: %w", err)
	}
	added := map[string]int{}
	err = fillDemo(ctx, a, demoFill{users: demoServeUsers, materials: demoServeMaterials, password: defaultDemoPassword}, stderr,
		func(name string, done int, _ time.Duration) { added[name] = done })
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintf(stdout, "smartustaz: --demo: added %d demo materials by %d demo teachers (demo accounts, not real people: %s … %s, password %s)\n",
		added["demo materials"], added["demo teachers"], account.DemoEmail(before+1), account.DemoEmail(before+demoServeUsers), defaultDemoPassword)
	return nil
}
