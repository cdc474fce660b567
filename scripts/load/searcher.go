package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/search"
	"github.com/smartustaz/smartustaz/internal/search/index"
)

// The searcher scenario: the catalog scenario's searches (the same words,
// filters one time in three, a random order one time in four), made one
// after another in this process through internal/search/index, without the
// server, HTTP or the page cache: what the search itself costs, and which
// queries make its tail. Unlike the other scenarios it opens the database
// itself (and migrates it, as serve would), so -data must name a filled
// folder.
func runSearcher(ctx context.Context, o options, stdout, stderr io.Writer) error {
	if o.data == "" {
		return errors.New("the searcher scenario needs -data: a folder filled by `smartustaz demo --materials N`")
	}
	d, err := db.Open(ctx, o.dsn, o.data)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	c := &catalogInfo{}
	for _, f := range []struct {
		col string
		to  *[]string
	}{{"subject", &c.subjects}, {"grade", &c.grades}, {"type", &c.types}} {
		if *f.to, err = distinct(ctx, d, f.col); err != nil {
			return err
		}
	}
	x := index.New(d)
	r := rand.New(rand.NewPCG(1, 2)) // the same searches on every run
	type timed struct {
		d   time.Duration
		url string
		n   int
	}
	var all []timed
	fmt.Fprintf(stderr, "load: %d searches, one at a time\n", o.maxRequests)
	start := time.Now()
	for range o.maxRequests {
		if ctx.Err() != nil || time.Since(start) > o.duration {
			break
		}
		u := c.searchURL(r)
		q, _ := url.ParseQuery(strings.TrimPrefix(u, "/materials?"))
		f := library.Filter{Subject: q.Get("subject"), Grade: q.Get("grade"), Type: q.Get("type"), Language: q.Get("language"), Sort: library.Sort(q.Get("sort"))}
		t := time.Now()
		// 21: a catalog page of 20 and one more, as the catalog asks.
		ids, err := x.Search(ctx, search.QueryTerms(q.Get("q")), f, library.Cursor{}, 21)
		el := time.Since(t)
		if err != nil {
			return fmt.Errorf("%s: %w", u, err)
		}
		all = append(all, timed{el, u, len(ids)})
	}
	if len(all) == 0 {
		return errors.New("no search ran")
	}
	lat := make([]time.Duration, len(all))
	var sum time.Duration
	for i, a := range all {
		lat[i], sum = a.d, sum+a.d
	}
	slices.Sort(lat)
	fmt.Fprintf(stdout, "load: %s, the searcher alone, %d searches one at a time in %s\n", engineOf(o), len(all), time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "%-8s %10s %10s %10s %10s %10s %10s\n", "", "mean", "p50", "p90", "p95", "p99", "max")
	fmt.Fprintf(stdout, "%-8s %10s %10s %10s %10s %10s %10s\n", "search", round(sum/time.Duration(len(all))),
		pct(lat, 50), pct(lat, 90), pct(lat, 95), pct(lat, 99), pct(lat, 100))
	slices.SortFunc(all, func(a, b timed) int { return cmp.Compare(b.d, a.d) })
	for _, a := range all[:min(o.slow, len(all))] {
		u, err := url.QueryUnescape(a.url)
		if err != nil {
			u = a.url
		}
		fmt.Fprintf(stdout, "slow: %10s %2d found  %s\n", round(a.d), a.n, u)
	}
	return nil
}

func round(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }

// distinct is every value of a materials column, as the catalog's filter
// lists offer them.
func distinct(ctx context.Context, d *db.DB, col string) ([]string, error) {
	rows, err := d.Query(ctx, `SELECT DISTINCT `+col+` FROM materials WHERE status = ? ORDER BY 1`, string(library.StatusPublished))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no published material has a %s: is the folder filled with --materials?", col)
	}
	return out, rows.Err()
}
