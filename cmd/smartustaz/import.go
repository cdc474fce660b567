package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/config"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/importer"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/mailq"
)

// importFlags are the flags of "import users".
type importFlags struct {
	dsn, mapping, encoding, onConflict, source, format string
	dryRun                                             bool
}

func (f *importFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dsn, "dsn", "", "read users from this database: mysql://user:pass@host:3306/db, postgres://…, sqlite:PATH (needs --mapping)")
	fs.StringVar(&f.mapping, "mapping", "", "JSON mapping file: table or query, and which column is which field (examples/import/)")
	fs.StringVar(&f.encoding, "encoding", "", "CSV encoding: utf-8 or windows-1251 (default: detect)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "check every row and print the report without writing anything")
	fs.StringVar(&f.onConflict, "on-conflict", importer.OnConflictSkip, "an address already registered: skip, or update its profile")
	fs.StringVar(&f.source, "source", "", "the name recorded as where the users came from (default: the file name or the database name)")
	fs.StringVar(&f.format, "format", "", "csv or jsonl (default: from the file name; .jsonl/.ndjson are JSON Lines)")
}

// splitPositional takes the arguments that are not flags out of args, so
// "import users FILE --dry-run" works as well as "--dry-run FILE" (the
// flag package stops at the first argument that is not a flag).
func splitPositional(args []string, fs *flag.FlagSet) (flags, positional []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(positional, args[i+1:]...)
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return flags, positional
}

func cmdImportUsers(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var probe importFlags
	var tmp config.Config
	pfs := config.FlagSet("import users", &tmp, getenv, io.Discard)
	probe.register(pfs)
	flagArgs, positional := splitPositional(args, pfs)

	var f importFlags
	c, _, err := parse("import users", flagArgs, getenv, stderr, f.register)
	if err != nil {
		return err
	}
	if len(positional) > 1 {
		return fmt.Errorf("import users: one FILE at a time")
	}
	file := ""
	if len(positional) == 1 {
		file = positional[0]
	}
	if (file == "") == (f.dsn == "") {
		return fmt.Errorf("usage: smartustaz import users FILE | --dsn DSN --mapping FILE")
	}
	var m *importer.Mapping
	if f.mapping != "" {
		if m, err = importer.ReadMapping(f.mapping); err != nil {
			return err
		}
	}
	if f.encoding == "" && m != nil {
		f.encoding = m.Encoding
	}
	// The source is opened before the site's database, so a mistyped
	// file name or mapping costs nothing.
	src, format, name, err := openImportSource(ctx, file, f, m)
	if err != nil {
		return err
	}
	defer src.Close()
	if f.source == "" {
		f.source = name
		if m != nil && m.Source != "" {
			f.source = m.Source
		}
	}
	a, err := open(ctx, c, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	svc := a.imports
	bar := newProgressBar(stderr)
	started := time.Now()
	rep, err := svc.Run(ctx, src, importer.Options{Source: f.source, Format: format, Encoding: f.encoding, OnConflict: f.onConflict,
		DryRun: f.dryRun, Progress: bar.update})
	bar.finish()
	if rep != nil {
		printReport(stdout, rep, time.Since(started))
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("import users: interrupted; the users written so far are kept, and running the same command again finishes the import without duplicates")
		}
		return err
	}
	if !f.dryRun {
		a.checkpoint(ctx, stderr)
	}
	return nil
}

// openImportSource opens a file (CSV or JSON Lines) or a database.
func openImportSource(ctx context.Context, file string, f importFlags, m *importer.Mapping) (importer.Source, string, string, error) {
	if f.dsn != "" {
		if m == nil {
			return nil, "", "", fmt.Errorf("import users: --dsn needs --mapping (which table or query, which columns)")
		}
		d, err := importer.OpenSourceDB(f.dsn)
		if err != nil {
			return nil, "", "", err
		}
		src, err := importer.NewSQL(ctx, d, m)
		if err != nil {
			d.Close()
			return nil, "", "", err
		}
		return src, "sql", dsnName(f.dsn), nil
	}
	fh, err := os.Open(file)
	if err != nil {
		return nil, "", "", fmt.Errorf("import users: %w", err)
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, "", "", fmt.Errorf("import users: %w", err)
	}
	format := f.format
	if format == "" {
		format = "csv"
		switch strings.ToLower(filepath.Ext(file)) {
		case ".jsonl", ".ndjson":
			format = "jsonl"
		}
	}
	var src importer.Source
	switch format {
	case "csv":
		src, err = importer.NewCSV(fh, importer.CSVOptions{Encoding: f.encoding, Mapping: m, Size: st.Size()})
	case "jsonl":
		src = importer.NewJSONL(fh, m, st.Size())
	default:
		err = fmt.Errorf("import users: --format must be csv or jsonl")
	}
	if err != nil {
		fh.Close()
		return nil, "", "", err
	}
	return closeBoth{src, fh}, format, filepath.Base(file), nil
}

// dsnName is a database address without its password, for the record.
func dsnName(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			rest = rest[at+1:]
		}
		if q := strings.IndexByte(rest, '?'); q >= 0 {
			rest = rest[:q]
		}
		return dsn[:i] + "://" + rest
	}
	return dsn
}

type closeBoth struct {
	importer.Source
	f *os.File
}

func (c closeBoth) Close() error { return errors.Join(c.Source.Close(), c.f.Close()) }

// printReport prints the bad rows (where and why, never a value) and ends
// with the counts line.
func printReport(w io.Writer, rep *importer.Report, took time.Duration) {
	for _, f := range rep.Failures {
		field := ""
		if f.Field != "" {
			field = f.Field + ": "
		}
		fmt.Fprintf(w, "%s: %s%s\n", f.Where, field, i18n.T(i18n.EN, f.Reason))
	}
	if more := rep.Failed - int64(len(rep.Failures)); more > 0 {
		fmt.Fprintf(w, "… and %d more bad rows (not listed)\n", more)
	}
	if rep.DryRun {
		fmt.Fprintln(w, "dry run: nothing was written")
	} else {
		fmt.Fprintf(w, "import batch %d from %q, %s; the report is kept at /admin/import\n", rep.BatchID, rep.Source, took.Round(time.Millisecond))
	}
	fmt.Fprintln(w, rep.Summary())
}

// progressBar shows rows per second and the time left (see progress for
// how it writes to a terminal and elsewhere).
type progressBar struct {
	p     *progress
	start time.Time
}

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{p: newProgress(w), start: time.Now()}
}

func (b *progressBar) update(p importer.Progress) {
	b.p.show("%s", progressLine(p, time.Since(b.start)))
}

// progressLine is one frame of the bar.
func progressLine(p importer.Progress, elapsed time.Duration) string {
	rate := float64(p.Read) / max(elapsed.Seconds(), 1e-9)
	const width = 30
	bar, eta := strings.Repeat("·", width), "?"
	if p.Total > 0 {
		frac := min(1, float64(p.Done)/float64(p.Total))
		n := int(frac * width)
		bar = strings.Repeat("█", n) + strings.Repeat("·", width-n)
		if frac > 0 {
			eta = (time.Duration(float64(elapsed)/frac) - elapsed).Round(time.Second).String()
		}
	}
	return fmt.Sprintf("[%s] %d rows, %.0f rows/s, ETA %s, created %d, failed %d ", bar, p.Read, rate, eta, p.Created, p.Failed)
}

func (b *progressBar) finish() { b.p.done() }

// importJobs is what the import's background jobs need: the invitations
// are a bulk send of the mail queue (paced, resumed after a restart, shown
// on /admin/mail), none to an address that bounced; their links use the
// address the site listens on, known once serve listens (the announcer
// keeps it).
func importJobs(q *jobs.Queue, mq *mailq.Queue, undeliverable func(context.Context, string) (bool, error), log *slog.Logger, an *announcer) importer.Jobs {
	return importer.Jobs{Queue: q, Mail: mq, Undeliverable: undeliverable, Log: log, Base: func() string {
		if b := an.base.Load(); b != nil {
			return *b
		}
		return ""
	}}
}
