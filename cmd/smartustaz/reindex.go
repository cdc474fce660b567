package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/search"
)

// cmdReindex recomputes every material's search terms with this binary's
// analysis, after an upgrade that changed it (search.AnalysisVersion).
// With --check it only says whether that is due. The files' text is read
// again from storage, so it takes the same --storage as serve.
func cmdReindex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var check bool
	c, _, err := parse("reindex", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&check, "check", false, "only say whether the stored search terms need recomputing")
	})
	if err != nil {
		return err
	}
	a, err := open(ctx, c, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	store, err := blob.Open(a.cfg.Storage, a.cfg.DataDir)
	if err != nil {
		return err
	}
	lib := library.New(a.db, a.vault, store, library.Options{MaxFileSize: int64(a.cfg.MaxFileMB) << 20})
	stored, due, err := lib.AnalysisState(ctx)
	if err != nil {
		return err
	}
	if check {
		if due {
			fmt.Fprintf(stdout, "smartustaz: search terms were made by analysis version %s; this binary has %d: run `smartustaz reindex`\n",
				versionName(stored), search.AnalysisVersion)
		} else {
			fmt.Fprintf(stdout, "smartustaz: search terms are up to date (analysis version %d)\n", search.AnalysisVersion)
		}
		return nil
	}
	start := time.Now()
	done := 0
	pr := newProgress(stderr)
	err = lib.Reindex(ctx, func(n, total int) {
		done = n
		pr.show("materials: %d of %d (%.1f%%)", n, total, 100*float64(n)/float64(max(total, 1)))
	})
	pr.done()
	if err != nil {
		return fmt.Errorf("reindex: after %d materials: %w", done, err)
	}
	el := time.Since(start)
	fmt.Fprintf(stdout, "smartustaz: reindexed %d materials in %s (%.0f per second), search analysis version %d\n",
		done, el.Round(time.Millisecond), float64(done)/max(el.Seconds(), 1e-9), search.AnalysisVersion)
	return nil
}

// versionName is a stored analysis version as the operator reads it.
func versionName(v int) string {
	if v == 0 {
		return "1 (or unknown)"
	}
	return fmt.Sprint(v)
}
